/*
 * Compiler attributes and helpers used across Gale's public headers (GCC and compatibles).
 */
#ifndef GALE_TOOLCHAIN_H_
#define GALE_TOOLCHAIN_H_

#ifndef __used
#define __used __attribute__((__used__))
#endif
#ifndef __unused
#define __unused __attribute__((__unused__))
#endif
#ifndef __maybe_unused
#define __maybe_unused __attribute__((__unused__))
#endif
#ifndef __aligned
#define __aligned(x) __attribute__((__aligned__(x)))
#endif
#ifndef __packed
#define __packed __attribute__((__packed__))
#endif
#ifndef __weak
#define __weak __attribute__((__weak__))
#endif
#ifndef __noinit
#define __noinit __attribute__((__section__(".noinit")))
#endif
#ifndef __deprecated
#define __deprecated __attribute__((__deprecated__))
#endif
#ifndef __printf_like
#define __printf_like(f, a) __attribute__((__format__(__printf__, f, a)))
#endif
#ifndef __fallthrough
#define __fallthrough __attribute__((__fallthrough__))
#endif
#ifndef __noinline
#define __noinline __attribute__((__noinline__))
#endif
#define FUNC_NORETURN __attribute__((__noreturn__))
#define ALWAYS_INLINE inline __attribute__((__always_inline__))
#define likely(x) (__builtin_expect((bool)!!(x), true) != 0L)
#define unlikely(x) (__builtin_expect((bool)!!(x), false) != 0L)

#ifndef ARG_UNUSED
#define ARG_UNUSED(x) (void)(x)
#endif

#include <gale/sys/util_macro.h>

#define Z_CONCAT(a, b) a##b
#ifndef _CONCAT
#define _CONCAT(a, b) Z_CONCAT(a, b)
#endif

/** Compile-time assertion usable at file and block scope, in C and C++. */
#ifdef __cplusplus
#define BUILD_ASSERT(expr, ...) static_assert(expr, "" __VA_ARGS__)
#else
#define BUILD_ASSERT(expr, ...) _Static_assert(expr, "" __VA_ARGS__)
#endif

/** Pointer to the structure that contains @p ptr as its member @p field. */
#ifndef CONTAINER_OF
#define CONTAINER_OF(ptr, type, field) ((type *)(((char *)(ptr)) - __builtin_offsetof(type, field)))
#endif

/** Section placement for statically defined objects collected by the linker. */
#define Z_GENERIC_SECTION(name) __attribute__((__section__(STRINGIFY(name))))

#endif /* GALE_TOOLCHAIN_H_ */
