// The formatter behind printk() and snprintk(): small, allocation-free and re-entrant, so it
// can run in an ISR. Integers are converted in the widest type the configuration allows
// (64-bit only with CONFIG_PRINTK64, to spare small images the 64-bit division helpers).
#include <gale/sys/cbprintf.h>

#include <stdint.h>

namespace {

#ifdef CONFIG_PRINTK64
using Uint = unsigned long long;
using Sint = long long;
#else
using Uint = unsigned long;
using Sint = long;
#endif

enum class Length { kNone, kChar, kShort, kLong, kLongLong, kMax, kSize, kPtrdiff };

struct Spec {
  bool left = false;
  bool plus = false;
  bool space = false;
  bool alt = false;
  bool zero = false;
  int width = 0;
  int precision = -1;
  Length length = Length::kNone;
};

class Writer {
 public:
  Writer(cbprintf_cb out, void *ctx) : out_(out), ctx_(ctx) {}

  bool Put(char c) {
    if (error_ != 0) {
      return false;
    }
    int rc = out_(static_cast<unsigned char>(c), ctx_);
    if (rc < 0) {
      error_ = rc;
      return false;
    }
    count_++;
    return true;
  }

  void Pad(char c, int n) {
    for (; n > 0; n--) {
      Put(c);
    }
  }

  int Result() const { return error_ != 0 ? error_ : count_; }

 private:
  cbprintf_cb out_;
  void *ctx_;
  int count_ = 0;
  int error_ = 0;
};

// v /= base, returning the remainder, with 32-bit divisions only: long division in 16-bit
// pieces. On 32-bit targets this keeps the 64-bit division routine (about 700 bytes of
// flash) out of every image that prints.
unsigned DivMod(Uint &v, unsigned base) {
  if constexpr (sizeof(Uint) > sizeof(uint32_t)) {
    auto hi = static_cast<uint32_t>(v >> 32);
    auto lo = static_cast<uint32_t>(v);
    uint32_t q_hi = hi / base;
    uint32_t r = hi % base;
    uint32_t mid = (r << 16) | (lo >> 16);  // r < base <= 16: no overflow
    uint32_t q_mid = mid / base;
    r = mid % base;
    uint32_t low = (r << 16) | (lo & 0xFFFFU);
    uint32_t q_low = low / base;
    r = low % base;
    v = (static_cast<Uint>(q_hi) << 32) | (q_mid << 16) | q_low;
    return r;
  } else {
    unsigned r = static_cast<unsigned>(v % base);
    v /= base;
    return r;
  }
}

// Digits of v in base (8, 10 or 16), least significant first; returns how many.
int ToDigits(Uint v, unsigned base, bool upper, char *buf) {
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  int n = 0;
  do {
    buf[n++] = digits[DivMod(v, base)];
  } while (v != 0);
  return n;
}

void EmitNumber(Writer &w, const Spec &spec, Uint magnitude, bool negative, unsigned base,
                bool upper, const char *prefix) {
  char digits[24];
  int ndigits = ToDigits(magnitude, base, upper, digits);
  if (spec.precision == 0 && magnitude == 0) {
    ndigits = 0;  // "%.0d" of zero prints no digits
  }
  char sign = 0;
  if (negative) {
    sign = '-';
  } else if (spec.plus) {
    sign = '+';
  } else if (spec.space) {
    sign = ' ';
  }
  int zeros = spec.precision > ndigits ? spec.precision - ndigits : 0;
  if (base == 8 && spec.alt && zeros == 0 && (ndigits == 0 || digits[ndigits - 1] != '0')) {
    zeros = 1;
  }
  int prefix_len = 0;
  while (prefix != nullptr && prefix[prefix_len] != '\0') {
    prefix_len++;
  }
  int len = (sign != 0 ? 1 : 0) + prefix_len + zeros + ndigits;
  int pad = spec.width > len ? spec.width - len : 0;
  bool zero_pad = spec.zero && !spec.left && spec.precision < 0;
  if (!spec.left && !zero_pad) {
    w.Pad(' ', pad);
  }
  if (sign != 0) {
    w.Put(sign);
  }
  for (int i = 0; i < prefix_len; i++) {
    w.Put(prefix[i]);
  }
  if (zero_pad) {
    w.Pad('0', pad);
  }
  w.Pad('0', zeros);
  while (ndigits > 0) {
    w.Put(digits[--ndigits]);
  }
  if (spec.left) {
    w.Pad(' ', pad);
  }
}

void EmitString(Writer &w, const Spec &spec, const char *s) {
  if (s == nullptr) {
    s = "(null)";
  }
  int len = 0;
  while (s[len] != '\0' && (spec.precision < 0 || len < spec.precision)) {
    len++;
  }
  int pad = spec.width > len ? spec.width - len : 0;
  if (!spec.left) {
    w.Pad(' ', pad);
  }
  for (int i = 0; i < len; i++) {
    w.Put(s[i]);
  }
  if (spec.left) {
    w.Pad(' ', pad);
  }
}

Uint FetchUnsigned(Length length, va_list &ap) {
  switch (length) {
    case Length::kChar:
      return static_cast<unsigned char>(va_arg(ap, unsigned int));
    case Length::kShort:
      return static_cast<unsigned short>(va_arg(ap, unsigned int));
    case Length::kLong:
      return va_arg(ap, unsigned long);
    case Length::kLongLong:
      return static_cast<Uint>(va_arg(ap, unsigned long long));
    case Length::kMax:
      return static_cast<Uint>(va_arg(ap, uintmax_t));
    case Length::kSize:
      return va_arg(ap, size_t);
    case Length::kPtrdiff:
      return static_cast<Uint>(va_arg(ap, ptrdiff_t));
    case Length::kNone:
      return va_arg(ap, unsigned int);
  }
  return 0;
}

Sint FetchSigned(Length length, va_list &ap) {
  switch (length) {
    case Length::kChar:
      return static_cast<signed char>(va_arg(ap, int));
    case Length::kShort:
      return static_cast<short>(va_arg(ap, int));
    case Length::kLong:
      return va_arg(ap, long);
    case Length::kLongLong:
      return static_cast<Sint>(va_arg(ap, long long));
    case Length::kMax:
      return static_cast<Sint>(va_arg(ap, intmax_t));
    case Length::kSize:
      return static_cast<Sint>(va_arg(ap, size_t));
    case Length::kPtrdiff:
      return va_arg(ap, ptrdiff_t);
    case Length::kNone:
      return va_arg(ap, int);
  }
  return 0;
}

// Parses flags, width, precision and length after a '%'; returns the conversion character.
const char *ParseSpec(const char *p, Spec &spec, va_list &ap) {
  for (;; p++) {
    if (*p == '-') {
      spec.left = true;
    } else if (*p == '+') {
      spec.plus = true;
    } else if (*p == ' ') {
      spec.space = true;
    } else if (*p == '#') {
      spec.alt = true;
    } else if (*p == '0') {
      spec.zero = true;
    } else {
      break;
    }
  }
  if (*p == '*') {
    spec.width = va_arg(ap, int);
    if (spec.width < 0) {
      spec.left = true;
      spec.width = -spec.width;
    }
    p++;
  } else {
    while (*p >= '0' && *p <= '9') {
      spec.width = spec.width * 10 + (*p++ - '0');
    }
  }
  if (*p == '.') {
    p++;
    spec.precision = 0;
    if (*p == '*') {
      spec.precision = va_arg(ap, int);
      p++;
    } else {
      while (*p >= '0' && *p <= '9') {
        spec.precision = spec.precision * 10 + (*p++ - '0');
      }
    }
  }
  switch (*p) {
    case 'h':
      spec.length = (p[1] == 'h') ? Length::kChar : Length::kShort;
      p += (p[1] == 'h') ? 2 : 1;
      break;
    case 'l':
      spec.length = (p[1] == 'l') ? Length::kLongLong : Length::kLong;
      p += (p[1] == 'l') ? 2 : 1;
      break;
    case 'j':
      spec.length = Length::kMax;
      p++;
      break;
    case 'z':
      spec.length = Length::kSize;
      p++;
      break;
    case 't':
      spec.length = Length::kPtrdiff;
      p++;
      break;
    default:
      break;
  }
  return p;
}

}  // namespace

extern "C" int cbvprintf(cbprintf_cb out, void *ctx, const char *format, va_list ap_in) {
  Writer w(out, ctx);
  va_list ap;
  va_copy(ap, ap_in);
  for (const char *p = format; *p != '\0'; p++) {
    if (*p != '%') {
      if (!w.Put(*p)) {
        break;
      }
      continue;
    }
    Spec spec;
    p = ParseSpec(p + 1, spec, ap);
    switch (*p) {
      case 'd':
      case 'i': {
        Sint v = FetchSigned(spec.length, ap);
        Uint magnitude = v < 0 ? Uint{0} - static_cast<Uint>(v) : static_cast<Uint>(v);
        EmitNumber(w, spec, magnitude, v < 0, 10, false, nullptr);
        break;
      }
      case 'u':
        EmitNumber(w, spec, FetchUnsigned(spec.length, ap), false, 10, false, nullptr);
        break;
      case 'o':
        EmitNumber(w, spec, FetchUnsigned(spec.length, ap), false, 8, false, nullptr);
        break;
      case 'x':
      case 'X': {
        Uint v = FetchUnsigned(spec.length, ap);
        const char *prefix = (spec.alt && v != 0) ? (*p == 'x' ? "0x" : "0X") : nullptr;
        EmitNumber(w, spec, v, false, 16, *p == 'X', prefix);
        break;
      }
      case 'p': {
        auto v = reinterpret_cast<uintptr_t>(va_arg(ap, void *));
        if (v == 0) {
          EmitString(w, spec, "(nil)");
        } else {
          EmitNumber(w, spec, v, false, 16, false, "0x");
        }
        break;
      }
      case 'c': {
        char c = static_cast<char>(va_arg(ap, int));
        int pad = spec.width > 1 ? spec.width - 1 : 0;
        if (!spec.left) {
          w.Pad(' ', pad);
        }
        w.Put(c);
        if (spec.left) {
          w.Pad(' ', pad);
        }
        break;
      }
      case 's':
        EmitString(w, spec, va_arg(ap, const char *));
        break;
      case '%':
        w.Put('%');
        break;
      case '\0':
        p--;  // a lone '%' at the end: stop at the terminator
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G':
      case 'a':
      case 'A':
        // No floating point: consume the argument so the ones after it stay in step, and
        // print the conversion as written.
        (void)va_arg(ap, double);
        w.Put('%');
        w.Put(*p);
        break;
      default:
        // Unknown conversion: print it as written.
        w.Put('%');
        w.Put(*p);
        break;
    }
  }
  va_end(ap);
  return w.Result();
}

extern "C" int cbprintf(cbprintf_cb out, void *ctx, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  int rc = cbvprintf(out, ctx, format, ap);
  va_end(ap);
  return rc;
}
