/* A minimal check for the C programs that compile each sys header as C11. */
#ifndef GALE_TESTS_SYS_C_CHECK_H_
#define GALE_TESTS_SYS_C_CHECK_H_

#include <stdio.h>

static int c_check_failures;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      printf("%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      c_check_failures++;                                             \
    }                                                                 \
  } while (0)

#define CHECK_DONE() (c_check_failures != 0)

#endif /* GALE_TESTS_SYS_C_CHECK_H_ */
