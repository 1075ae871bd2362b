/* atomic.h compiled as C11: counters, pointers and a static bitmap spanning several words. */
#include <stddef.h>

#include <zephyr/sys/atomic.h>

#include "c_check.h"

static atomic_t counter = ATOMIC_INIT(10);
static atomic_ptr_t slot = ATOMIC_PTR_INIT(NULL);
static ATOMIC_DEFINE(flags, 70);

int main(void) {
  int x;
  const int top = (int)ATOMIC_BITS - 1;

  CHECK(atomic_inc(&counter) == 10 && atomic_get(&counter) == 11);
  CHECK(atomic_add(&counter, 4) == 11 && atomic_sub(&counter, 5) == 15);
  CHECK(atomic_dec(&counter) == 10 && atomic_get(&counter) == 9);
  CHECK(atomic_or(&counter, 6) == 9 && atomic_get(&counter) == 15);
  CHECK(atomic_and(&counter, 5) == 15 && atomic_xor(&counter, 1) == 5);
  CHECK(atomic_nand(&counter, 4) == 4 && atomic_get(&counter) == ~4L);
  CHECK(!atomic_cas(&counter, 0, 1) && atomic_cas(&counter, ~4L, 1));
  CHECK(atomic_set(&counter, 3) == 1 && atomic_clear(&counter) == 3);

  CHECK(atomic_ptr_set(&slot, &x) == NULL && atomic_ptr_get(&slot) == &x);
  CHECK(atomic_ptr_cas(&slot, &x, NULL) && atomic_ptr_clear(&slot) == NULL);

  CHECK(sizeof(flags) == ATOMIC_BITMAP_SIZE(70) * sizeof(atomic_t));
  CHECK(!atomic_test_and_set_bit(flags, top));
  CHECK(!atomic_test_and_set_bit(flags, top + 1));
  CHECK(atomic_test_and_set_bit(flags, top + 1));
  atomic_set_bit(flags, 69);
  atomic_set_bit_to(flags, 0, true);
  CHECK(atomic_test_bit(flags, 0) && atomic_test_bit(flags, top) && atomic_test_bit(flags, 69));
  CHECK(atomic_test_and_clear_bit(flags, top) && !atomic_test_bit(flags, top));
  CHECK(atomic_test_bit(flags, top + 1));
  atomic_clear_bit(flags, top + 1);
  atomic_set_bit_to(flags, 0, false);
  CHECK(!atomic_test_bit(flags, top + 1) && !atomic_test_bit(flags, 0));
  CHECK(atomic_test_bit(flags, 69));
  return CHECK_DONE();
}
