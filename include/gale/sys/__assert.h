/*
 * Assertions for programmer errors (Zephyr's __ASSERT API). With CONFIG_ASSERT a failed
 * assertion prints its condition, file, line and message, then calls assert_post_action()
 * (default: a kernel panic). Without it the condition is not evaluated, only type-checked.
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
 * What happens after a failed assertion was reported: the default raises a kernel panic.
 * Applications and test frameworks may override it.
 */
void assert_post_action(const char *file, unsigned int line);

#ifdef CONFIG_ASSERT
#define __ASSERT_ON 1
#define __ASSERT_LOC(test) printk("ASSERTION FAIL [%s] @ %s:%d\n", #test, __FILE__, __LINE__)
#define __ASSERT_POST_ACTION() assert_post_action(__FILE__, __LINE__)
#define __ASSERT_NO_MSG(test)  \
  do {                         \
    if (!(test)) {             \
      __ASSERT_LOC(test);      \
      __ASSERT_POST_ACTION();  \
    }                          \
  } while (false)
#define __ASSERT(test, ...)        \
  do {                             \
    if (!(test)) {                 \
      __ASSERT_LOC(test);          \
      printk("\t" __VA_ARGS__);    \
      printk("\n");                \
      __ASSERT_POST_ACTION();      \
    }                              \
  } while (false)
#define __ASSERT_EVAL(expr1, expr2, test, fmt, ...) \
  do {                                              \
    expr2;                                          \
    __ASSERT(test, fmt, ##__VA_ARGS__);             \
  } while (false)
#else
#define __ASSERT_ON 0
#define __ASSERT_NO_MSG(test) ((void)sizeof(test))
#define __ASSERT(test, ...) ((void)sizeof(test))
#define __ASSERT_EVAL(expr1, expr2, test, fmt, ...) expr1
#endif

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS___ASSERT_H_ */
