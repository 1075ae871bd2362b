/*
 * k_lifo: the documented behaviour of Zephyr's LIFO API (a k_queue used last in, first out).
 */
#include <zephyr/irq_offload.h>

#include "common.h"

K_LIFO_DEFINE(static_lifo);
static struct k_lifo lifo;

static void *lifo_get(void *obj, k_timeout_t timeout) {
  return k_lifo_get((struct k_lifo *)obj, timeout);
}

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  reset_items();
  k_lifo_init(&lifo);
}

ZTEST(lifo, test_put_get_last_in_first_out) {
  for (int i = 0; i < 4; i++) {
    k_lifo_put(&lifo, &items[i]);
  }
  for (int i = 3; i >= 0; i--) {
    struct item *it = k_lifo_get(&lifo, K_NO_WAIT);

    zassert_not_null(it);
    zassert_equal(it->value, i);
  }
  zassert_is_null(k_lifo_get(&lifo, K_NO_WAIT));
}

ZTEST(lifo, test_static_lifo) {
  k_lifo_put(&static_lifo, &items[1]);
  k_lifo_put(&static_lifo, &items[2]);
  zassert_equal_ptr(k_lifo_get(&static_lifo, K_NO_WAIT), &items[2]);
  zassert_equal_ptr(k_lifo_get(&static_lifo, K_NO_WAIT), &items[1]);
}

ZTEST(lifo, test_alloc_put) {
  size_t allocated = system_heap_allocated();

  k_thread_heap_assign(k_current_get(), NULL);
  zassert_equal(k_lifo_alloc_put(&lifo, &items[0]), -ENOMEM);
  k_thread_system_pool_assign(k_current_get());
  zassert_ok(k_lifo_alloc_put(&lifo, &items[0]));
  k_lifo_put(&lifo, &items[1]);
  zassert_ok(k_lifo_alloc_put(&lifo, &items[2]));
  zassert_equal_ptr(items[0].reserved, (void *)(uintptr_t)0xdeadbee0);
  zassert_equal_ptr(k_lifo_get(&lifo, K_NO_WAIT), &items[2]);
  zassert_equal_ptr(k_lifo_get(&lifo, K_NO_WAIT), &items[1]);
  zassert_equal_ptr(k_lifo_get(&lifo, K_NO_WAIT), &items[0]);
  zassert_equal(system_heap_allocated(), allocated);
}

ZTEST(lifo, test_get_times_out) {
  int64_t start = k_uptime_get();

  zassert_is_null(k_lifo_get(&lifo, K_MSEC(25)));
  zassert_true(k_uptime_get() - start >= 25);
}

ZTEST(lifo, test_waiters_wake_in_priority_order) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(2), K_PRIO_PREEMPT(3), K_PRIO_PREEMPT(1)};

  start_getters(&lifo, lifo_get, prios, K_FOREVER);
  for (int i = 0; i < NUM_HELPERS; i++) {
    k_lifo_put(&lifo, &items[i]);
  }
  k_msleep(10);
  zassert_equal_ptr(got[2], &items[0]);
  zassert_equal_ptr(got[0], &items[1]);
  zassert_equal_ptr(got[1], &items[2]);
  join_helpers();
}

static void *isr_got[3];

static void isr_put_get(const void *arg) {
  ARG_UNUSED(arg);
  k_lifo_put(&lifo, &items[0]);
  k_lifo_put(&lifo, &items[1]);
  isr_got[0] = k_lifo_get(&lifo, K_NO_WAIT);
  isr_got[1] = k_lifo_get(&lifo, K_NO_WAIT);
  isr_got[2] = k_lifo_get(&lifo, K_NO_WAIT);
}

ZTEST(lifo, test_isr_put_and_get) {
  irq_offload(isr_put_get, NULL);
  zassert_equal_ptr(isr_got[0], &items[1]);
  zassert_equal_ptr(isr_got[1], &items[0]);
  zassert_is_null(isr_got[2]);
}

ZTEST_SUITE(lifo, NULL, NULL, before, NULL, NULL);
