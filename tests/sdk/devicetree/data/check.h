/* Shared by the *_check.c programs: compile-time and run-time assertions in C and C++. */
#ifndef GALE_DTS_TEST_CHECK_H_
#define GALE_DTS_TEST_CHECK_H_

#include <stdio.h>
#include <string.h>

#ifdef __cplusplus
#define CHECK_STATIC(expr) static_assert(expr, #expr)
#else
#define CHECK_STATIC(expr) _Static_assert(expr, #expr)
#endif

static int check_failures;

/* Run-time check for what C cannot check at compile time (string contents). */
#define CHECK_STR(actual, expected)                                                      \
  do {                                                                                   \
    if (strcmp((actual), (expected)) != 0) {                                             \
      printf("%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual,      \
             (actual), (expected));                                                      \
      check_failures++;                                                                  \
    }                                                                                    \
  } while (0)

#define CHECK_TRUE(expr)                                                  \
  do {                                                                    \
    if (!(expr)) {                                                        \
      printf("%s:%d: %s is false\n", __FILE__, __LINE__, #expr);          \
      check_failures++;                                                   \
    }                                                                     \
  } while (0)

#endif /* GALE_DTS_TEST_CHECK_H_ */
