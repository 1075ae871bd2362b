/* __assert.h compiled as C11 with CONFIG_ASSERT: a failing assertion reaches assert_post_action. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <zephyr/sys/__assert.h>

#include "c_check.h"

static char printed[512];
static unsigned int post_line;

void printk(const char *fmt, ...) {
  va_list ap;
  size_t used = strlen(printed);

  va_start(ap, fmt);
  vsnprintf(printed + used, sizeof(printed) - used, fmt, ap);
  va_end(ap);
}

void assert_post_action(const char *file, unsigned int line) {
  (void)file;
  post_line = line;
}

struct flags {
  unsigned int ready : 1;
};

int main(void) {
  struct flags f = {0};
  unsigned int line;

  CHECK(__ASSERT_ON == 1);
  __ASSERT(f.ready == 0, "fine");
  CHECK(printed[0] == '\0' && post_line == 0);
  line = __LINE__ + 1;
  __ASSERT(f.ready, "not ready: %d", 7);
  CHECK(post_line == line);
  CHECK(strstr(printed, "ASSERTION FAIL [f.ready] @ ") == printed);
  CHECK(strstr(printed, "\n\tnot ready: 7\n") != NULL);
  __ASSERT_EVAL((void)0, int r = 2, r == 2, "r %d", r);
  CHECK(post_line == line);
  return CHECK_DONE();
}
