/*
 * Formatted output through a per-character callback: the engine behind printk() and snprintk().
 * Supports the C conversions d i u o x X c s p %, flags '-' '+' ' ' '#' '0', field width and
 * precision (also '*'), and the length modifiers hh h l ll j z t. No floating point.
 */
#ifndef GALE_SYS_CBPRINTF_H_
#define GALE_SYS_CBPRINTF_H_

#include <stdarg.h>
#include <stddef.h>

#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Output callback: emit character @p c; return it, or a negative errno to stop. */
typedef int (*cbprintf_cb)(int c, void *ctx);

/**
 * Format @p format with @p ap, sending each character to @p out.
 *
 * @pre any context (no locks, no allocation)
 * @returns the number of characters emitted, or the callback's negative error.
 */
int cbvprintf(cbprintf_cb out, void *ctx, const char *format, va_list ap);

/** As cbvprintf, with variadic arguments. */
int cbprintf(cbprintf_cb out, void *ctx, const char *format, ...) __printf_like(3, 4);

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS_CBPRINTF_H_ */
