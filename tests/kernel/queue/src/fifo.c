/*
 * k_fifo: the documented behaviour of Zephyr's FIFO API (a k_queue used first in, first out).
 */
#include <zephyr/irq_offload.h>

#include "common.h"

K_FIFO_DEFINE(static_fifo);
static struct k_fifo fifo;

static void *fifo_get(void *obj, k_timeout_t timeout) {
  return k_fifo_get((struct k_fifo *)obj, timeout);
}

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  reset_items();
  k_fifo_init(&fifo);
}

static void expect_fifo(struct k_fifo *f, const uint32_t *values, int n) {
  for (int i = 0; i < n; i++) {
    struct item *it = k_fifo_get(f, K_NO_WAIT);

    zassert_not_null(it, "item %d missing", i);
    zassert_equal(it->value, values[i], "item %d", i);
  }
  zassert_is_null(k_fifo_get(f, K_NO_WAIT));
  zassert_true(k_fifo_is_empty(f));
}

ZTEST(fifo, test_put_get_first_in_first_out) {
  static const uint32_t expected[] = {0, 1, 2, 3};

  zassert_true(k_fifo_is_empty(&fifo));
  for (int i = 0; i < 4; i++) {
    k_fifo_put(&fifo, &items[i]);
  }
  zassert_false(k_fifo_is_empty(&fifo));
  zassert_equal_ptr(k_fifo_peek_head(&fifo), &items[0]);
  zassert_equal_ptr(k_fifo_peek_tail(&fifo), &items[3]);
  expect_fifo(&fifo, expected, ARRAY_SIZE(expected));
  zassert_is_null(k_fifo_peek_head(&fifo));
  zassert_is_null(k_fifo_peek_tail(&fifo));
}

ZTEST(fifo, test_static_fifo) {
  static const uint32_t expected[] = {6, 7};

  k_fifo_put(&static_fifo, &items[6]);
  k_fifo_put(&static_fifo, &items[7]);
  expect_fifo(&static_fifo, expected, ARRAY_SIZE(expected));
}

ZTEST(fifo, test_put_list_and_slist) {
  static const uint32_t expected[] = {0, 1, 2, 3, 4, 5};
  sys_slist_t list;

  zassert_equal(k_fifo_put_list(&fifo, NULL, NULL), -EINVAL);
  items[0].reserved = &items[1];
  items[1].reserved = &items[2];
  items[2].reserved = NULL;
  zassert_ok(k_fifo_put_list(&fifo, &items[0], &items[2]));
  sys_slist_init(&list);
  zassert_equal(k_fifo_put_slist(&fifo, &list), -EINVAL);
  for (int i = 3; i < 6; i++) {
    sys_slist_append(&list, (sys_snode_t *)&items[i]);
  }
  zassert_ok(k_fifo_put_slist(&fifo, &list));
  zassert_true(sys_slist_is_empty(&list));
  expect_fifo(&fifo, expected, ARRAY_SIZE(expected));
}

ZTEST(fifo, test_get_times_out) {
  int64_t start = k_uptime_get();

  zassert_is_null(k_fifo_get(&fifo, K_MSEC(25)));
  zassert_true(k_uptime_get() - start >= 25);
}

ZTEST(fifo, test_waiters_wake_in_priority_order) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(3), K_PRIO_PREEMPT(1), K_PRIO_PREEMPT(2)};

  start_getters(&fifo, fifo_get, prios, K_FOREVER);
  for (int i = 0; i < NUM_HELPERS; i++) {
    k_fifo_put(&fifo, &items[i]);
    zassert_true(k_fifo_is_empty(&fifo), "handed straight to a waiter");
  }
  k_msleep(10);
  zassert_equal_ptr(got[1], &items[0]);
  zassert_equal_ptr(got[2], &items[1]);
  zassert_equal_ptr(got[0], &items[2]);
  join_helpers();
}

ZTEST(fifo, test_cancel_wait) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(3), K_PRIO_PREEMPT(1), K_PRIO_PREEMPT(2)};

  start_getters(&fifo, fifo_get, prios, K_SECONDS(1));
  k_fifo_cancel_wait(&fifo);
  k_fifo_cancel_wait(&fifo);
  k_msleep(10);
  zassert_equal(done, 2);
  zassert_is_null(got[1]);
  zassert_is_null(got[2]);
  k_fifo_put(&fifo, &items[0]);
  k_msleep(10);
  zassert_equal_ptr(got[0], &items[0]);
  join_helpers();
}

ZTEST(fifo, test_alloc_put) {
  static const uint32_t expected[] = {0, 1, 2};

  k_thread_heap_assign(k_current_get(), NULL);
  zassert_equal(k_fifo_alloc_put(&fifo, &items[0]), -ENOMEM);
  k_thread_system_pool_assign(k_current_get());
  zassert_ok(k_fifo_alloc_put(&fifo, &items[0]));
  k_fifo_put(&fifo, &items[1]);
  zassert_ok(k_fifo_alloc_put(&fifo, &items[2]));
  zassert_equal_ptr(items[0].reserved, (void *)(uintptr_t)0xdeadbee0);
  expect_fifo(&fifo, expected, ARRAY_SIZE(expected));
}

static void isr_put(const void *arg) {
  k_fifo_put(&fifo, (void *)arg);
}

ZTEST(fifo, test_isr_put_wakes_waiter) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(1), K_PRIO_PREEMPT(1), K_PRIO_PREEMPT(1)};

  /* Waiters of equal priority are served first come, first served. */
  start_getters(&fifo, fifo_get, prios, K_FOREVER);
  for (int i = 0; i < NUM_HELPERS; i++) {
    irq_offload(isr_put, &items[i]);
  }
  k_msleep(10);
  for (int i = 0; i < NUM_HELPERS; i++) {
    zassert_equal_ptr(got[i], &items[i]);
  }
  join_helpers();
}

static void *isr_got[2];

static void isr_get(const void *arg) {
  ARG_UNUSED(arg);
  isr_got[0] = k_fifo_get(&fifo, K_NO_WAIT);
  isr_got[1] = k_fifo_get(&fifo, K_NO_WAIT);
}

ZTEST(fifo, test_isr_get) {
  k_fifo_put(&fifo, &items[4]);
  irq_offload(isr_get, NULL);
  zassert_equal_ptr(isr_got[0], &items[4]);
  zassert_is_null(isr_got[1]);
}

ZTEST_SUITE(fifo, NULL, NULL, before, NULL, NULL);
