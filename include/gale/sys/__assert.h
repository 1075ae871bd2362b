/*
 * Assertions for programmer errors (Zephyr's <zephyr/sys/__assert.h> API).
 *
 * With CONFIG_ASSERT a failed assertion prints
 *     ASSERTION FAIL [<condition>] @ <file>:<line>
 *     \t<message>
 * with printk(), then calls assert_post_action(file, line) (the kernel's default raises a
 * fatal error; ztest overrides it). Without CONFIG_ASSERT nothing is evaluated: the condition
 * is only type-checked (inside sizeof), so a condition that names a variable declared only
 * under CONFIG_ASSERT does not compile.
 *
 * Names and contracts follow Zephyr 3.7's documented API; the implementation is Gale's own.
 */
#ifndef GALE_SYS___ASSERT_H_
#define GALE_SYS___ASSERT_H_

#include <stdbool.h>

#include <gale/sys/printk.h>
#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Called after a failed assertion was reported, with its location. The kernel provides a weak
 * default that raises a fatal error; applications and test frameworks may override it. If it
 * returns, execution continues after the assertion.
 *
 * @pre any context.
 */
void assert_post_action(const char *file, unsigned int line);

#ifdef CONFIG_ASSERT

/** 1 when assertions are compiled in, else 0; usable in #if. */
#define __ASSERT_ON 1

/** Prints the failed condition and its location. */
#define __ASSERT_LOC(test) printk("ASSERTION FAIL [%s] @ %s:%d\n", #test, __FILE__, __LINE__)
/** Calls assert_post_action() with the current location. */
#define __ASSERT_POST_ACTION() assert_post_action(__FILE__, __LINE__)

/** Asserts @p test, without a message. */
#define __ASSERT_NO_MSG(test) \
  do {                        \
    if (!(test)) {            \
      __ASSERT_LOC(test);     \
      __ASSERT_POST_ACTION(); \
    }                         \
  } while (false)

/**
 * Asserts @p test; on failure also prints the message: a printk format string literal and its
 * arguments, `__ASSERT(n < 4, "bad index %d", n)`.
 */
#define __ASSERT(test, ...)     \
  do {                          \
    if (!(test)) {              \
      __ASSERT_LOC(test);       \
      printk("\t" __VA_ARGS__); \
      printk("\n");             \
      __ASSERT_POST_ACTION();   \
    }                           \
  } while (false)

/**
 * Runs @p expr2 and asserts @p test when assertions are on; runs @p expr1 alone when off. For
 * calls whose result only an assertion checks:
 * `__ASSERT_EVAL((void)k_sem_take(s, K_NO_WAIT), int r = k_sem_take(s, K_NO_WAIT), r == 0, "")`.
 */
#define __ASSERT_EVAL(expr1, expr2, test, ...) \
  do {                                         \
    expr2;                                     \
    __ASSERT(test, __VA_ARGS__);               \
  } while (false)

#else /* !CONFIG_ASSERT */

#define __ASSERT_ON 0
/* `!` makes sizeof accept any scalar condition, bit-fields included. */
#define __ASSERT_NO_MSG(test) ((void)sizeof(!(test)))
#define __ASSERT(test, ...) ((void)sizeof(!(test)))
#define __ASSERT_EVAL(expr1, expr2, test, ...) expr1

#endif /* CONFIG_ASSERT */

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS___ASSERT_H_ */
