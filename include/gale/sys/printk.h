/*
 * printk(): formatted text to the console, from any context (Zephyr's printk API).
 */
#ifndef GALE_SYS_PRINTK_H_
#define GALE_SYS_PRINTK_H_

#include <stdarg.h>
#include <stddef.h>

#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Format and print to the console. Before a console is installed, output is dropped.
 * Without CONFIG_PRINTK the call compiles to nothing.
 *
 * @pre any context (thread or ISR); the text of concurrent calls may interleave.
 */
#ifdef CONFIG_PRINTK
void printk(const char *fmt, ...) __printf_like(1, 2);
void vprintk(const char *fmt, va_list ap);
#else
static inline __printf_like(1, 2) void printk(const char *fmt, ...) {
  ARG_UNUSED(fmt);
}
static inline void vprintk(const char *fmt, va_list ap) {
  ARG_UNUSED(fmt);
  ARG_UNUSED(ap);
}
#endif

/**
 * Format into @p str, writing at most @p size bytes including the terminating NUL.
 *
 * @returns the length the full text would have had (as snprintf), or a negative errno.
 */
int snprintk(char *str, size_t size, const char *fmt, ...) __printf_like(3, 4);
int vsnprintk(char *str, size_t size, const char *fmt, va_list ap);

/**
 * Install the console's character output: @p fn is called for each printed character and
 * returns it. Console drivers call this at initialization.
 */
void __printk_hook_install(int (*fn)(int c));

/** The installed character output, or NULL. */
void *__printk_get_hook(void);

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS_PRINTK_H_ */
