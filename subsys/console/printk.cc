// printk() and snprintk() over the cbprintf engine. The console driver installs the character
// output with __printk_hook_install(); until then printk output is dropped.
#include <gale/sys/printk.h>

#include <gale/sys/cbprintf.h>

namespace {

int (*printk_hook)(int c) = nullptr;

int PrintkOut(int c, void *) {
  if (printk_hook != nullptr) {
    printk_hook(c);
  }
  return c;
}

struct StringBuffer {
  char *str;
  size_t size;
  size_t len;
};

int StringOut(int c, void *ctx) {
  auto *buf = static_cast<StringBuffer *>(ctx);
  if (buf->len + 1 < buf->size) {
    buf->str[buf->len] = static_cast<char>(c);
  }
  buf->len++;
  return c;
}

}  // namespace

// The console's character output, for the C library's standard streams (libc_stdio.c).
extern "C" int z_printk_char_out(int c) {
  return PrintkOut(c, nullptr);
}

extern "C" void __printk_hook_install(int (*fn)(int c)) {
  printk_hook = fn;
}

extern "C" void *__printk_get_hook(void) {
  return reinterpret_cast<void *>(printk_hook);
}

#ifdef CONFIG_PRINTK
extern "C" void vprintk(const char *fmt, va_list ap) {
  cbvprintf(PrintkOut, nullptr, fmt, ap);
}

extern "C" void printk(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintk(fmt, ap);
  va_end(ap);
}
#endif

extern "C" int vsnprintk(char *str, size_t size, const char *fmt, va_list ap) {
  StringBuffer buf{str, size, 0};
  int rc = cbvprintf(StringOut, &buf, fmt, ap);
  if (size > 0) {
    str[buf.len < size ? buf.len : size - 1] = '\0';
  }
  return rc < 0 ? rc : static_cast<int>(buf.len);
}

extern "C" int snprintk(char *str, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = vsnprintk(str, size, fmt, ap);
  va_end(ap);
  return rc;
}
