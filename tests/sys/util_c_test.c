/* util.h compiled as C11, including the array check of ARRAY_SIZE and static initializers. */
#include <stdint.h>
#include <string.h>

#include <zephyr/sys/util.h>

#include "c_check.h"

static const int table[] = {1, 2, 3, 4, 5};
static const size_t table_len = ARRAY_SIZE(table);
static const unsigned long aligned = ROUND_UP(13, 8);
static const unsigned long mask = GENMASK(11, 8);
static char stack[KB(1)];

struct bits {
  unsigned int flag : 1;
};

int main(void) {
  int sum = 0;
  char buf[4];
  struct bits b = {1};
  const int *p = table;

  CHECK(table_len == 5 && IS_ARRAY(table) && !IS_ARRAY(p));
  CHECK(aligned == 16 && mask == 0xF00 && sizeof(stack) == 1024);
  ARRAY_FOR_EACH(table, i) {
    sum += table[i];
  }
  CHECK(sum == 15);
  ARRAY_FOR_EACH_PTR(table, e) {
    sum -= *e;
  }
  CHECK(sum == 0);
  CHECK(MIN(2, -3) == -3 && MAX(2, -3) == 2 && CLAMP(9, 0, 5) == 5 && IN_RANGE(b.flag, 0, 1));
  CHECK(DIV_ROUND_UP(9, 4) == 3 && DIV_ROUND_CLOSEST(-9, 4) == -2 &&
        DIV_ROUND_CLOSEST(9U, 4U) == 2);
  CHECK(ROUND_DOWN(15, 4) == 12 && IS_POWER_OF_TWO(64U) && is_power_of_two(32));
  CHECK(FIELD_GET(0x0F00U, 0x1234U) == 0x2 && FIELD_PREP(0x0F00U, 0x5U) == 0x500);
  CHECK(POINTER_TO_UINT(UINT_TO_POINTER(7)) == 7 && POINTER_TO_INT(INT_TO_POINTER(-7)) == -7);
  CHECK(MB(1) == 1048576 && MHZ(1) == 1000000);
  CHECK(sign_extend(0xFE, 7) == -2 && sign_extend_64(0xFE, 7) == -2);
  CHECK(u8_to_dec(buf, sizeof(buf), 123) == 3 && strcmp(buf, "123") == 0);
  bytecpy(buf, "xy", 3);
  CHECK(strcmp(buf, "xy") == 0);
  CHECK(IS_ENABLED(CONFIG_UNDEFINED_OPTION) == 0);
  return CHECK_DONE();
}
