/*
 * k_queue: the documented behaviour of Zephyr's queue API. The test thread is cooperative
 * (ztest's default priority -1): helper threads run only when it blocks.
 */
#include <zephyr/irq_offload.h>

#include "common.h"

K_QUEUE_DEFINE(static_queue);
static struct k_queue queue;

K_HEAP_DEFINE(tiny_heap, 128);

static void *queue_get(void *obj, k_timeout_t timeout) {
  return k_queue_get(obj, timeout);
}

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  reset_items();
  k_queue_init(&queue);
}

/* Take everything out, checking the values in order. */
static void expect_contents(struct k_queue *q, const uint32_t *values, int n) {
  for (int i = 0; i < n; i++) {
    struct item *it = k_queue_get(q, K_NO_WAIT);

    zassert_not_null(it, "item %d missing", i);
    zassert_equal(it->value, values[i], "item %d", i);
  }
  zassert_is_null(k_queue_get(q, K_NO_WAIT), "more items than expected");
  zassert_true(k_queue_is_empty(q));
}

ZTEST(queue, test_append_prepend_insert) {
  static const uint32_t expected[] = {4, 3, 0, 5, 1, 2, 6};

  zassert_true(k_queue_is_empty(&queue));
  zassert_is_null(k_queue_peek_head(&queue));
  zassert_is_null(k_queue_peek_tail(&queue));
  k_queue_append(&queue, &items[0]);
  k_queue_append(&queue, &items[1]);
  zassert_false(k_queue_is_empty(&queue));
  k_queue_prepend(&queue, &items[3]);
  k_queue_insert(&queue, NULL, &items[4]); /* NULL: at the front */
  k_queue_insert(&queue, &items[1], &items[2]);
  k_queue_insert(&queue, &items[0], &items[5]);
  k_queue_append(&queue, &items[6]); /* behind the item inserted last at the back */
  zassert_equal_ptr(k_queue_peek_head(&queue), &items[4]);
  zassert_equal_ptr(k_queue_peek_tail(&queue), &items[6]);
  expect_contents(&queue, expected, ARRAY_SIZE(expected));
}

ZTEST(queue, test_static_queue) {
  zassert_true(k_queue_is_empty(&static_queue));
  k_queue_append(&static_queue, &items[1]);
  zassert_equal_ptr(k_queue_get(&static_queue, K_NO_WAIT), &items[1]);
}

ZTEST(queue, test_append_list) {
  static const uint32_t expected[] = {0, 1, 2, 3};

  zassert_equal(k_queue_append_list(&queue, NULL, &items[0]), -EINVAL);
  zassert_equal(k_queue_append_list(&queue, &items[0], NULL), -EINVAL);
  zassert_true(k_queue_is_empty(&queue));
  k_queue_append(&queue, &items[0]);
  items[1].reserved = &items[2];
  items[2].reserved = &items[3];
  items[3].reserved = NULL;
  zassert_ok(k_queue_append_list(&queue, &items[1], &items[3]));
  zassert_equal_ptr(k_queue_peek_tail(&queue), &items[3]);
  expect_contents(&queue, expected, ARRAY_SIZE(expected));
}

ZTEST(queue, test_append_list_feeds_waiters_first) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(5), K_PRIO_PREEMPT(1), K_PRIO_PREEMPT(3)};
  static const uint32_t rest[] = {3, 4};

  start_getters(&queue, queue_get, prios, K_FOREVER);
  for (int i = 0; i < 4; i++) {
    items[i].reserved = &items[i + 1];
  }
  items[4].reserved = NULL;
  zassert_ok(k_queue_append_list(&queue, &items[0], &items[4]));
  k_msleep(10);
  zassert_equal(done, NUM_HELPERS);
  zassert_equal_ptr(got[1], &items[0]);
  zassert_equal_ptr(got[2], &items[1]);
  zassert_equal_ptr(got[0], &items[2]);
  expect_contents(&queue, rest, ARRAY_SIZE(rest));
  join_helpers();
}

ZTEST(queue, test_merge_slist) {
  static const uint32_t expected[] = {5, 0, 1, 2};
  sys_slist_t list;

  sys_slist_init(&list);
  zassert_equal(k_queue_merge_slist(&queue, &list), -EINVAL, "an empty list");
  for (int i = 0; i < 3; i++) {
    sys_slist_append(&list, (sys_snode_t *)&items[i]);
  }
  k_queue_append(&queue, &items[5]);
  zassert_ok(k_queue_merge_slist(&queue, &list));
  zassert_true(sys_slist_is_empty(&list), "the list is left empty");
  expect_contents(&queue, expected, ARRAY_SIZE(expected));
}

ZTEST(queue, test_remove_and_unique_append) {
  static const uint32_t expected[] = {0, 2, 4};

  for (int i = 0; i < 4; i++) {
    k_queue_append(&queue, &items[i]);
  }
  zassert_true(k_queue_remove(&queue, &items[1]));
  zassert_false(k_queue_remove(&queue, &items[1]), "no longer queued");
  zassert_false(k_queue_remove(&queue, &items[6]), "never queued");
  zassert_true(k_queue_remove(&queue, &items[3]), "the tail");
  zassert_equal_ptr(k_queue_peek_tail(&queue), &items[2]);
  zassert_false(k_queue_unique_append(&queue, &items[0]), "already queued");
  zassert_false(k_queue_unique_append(&queue, &items[2]), "already queued");
  zassert_true(k_queue_unique_append(&queue, &items[4]));
  expect_contents(&queue, expected, ARRAY_SIZE(expected));
}

ZTEST(queue, test_get_times_out) {
  int64_t start = k_uptime_get();

  zassert_is_null(k_queue_get(&queue, K_MSEC(40)));
  zassert_true(k_uptime_get() - start >= 40);
}

static void append_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  k_msleep(20);
  k_queue_append(&queue, p1);
  /* Handed straight to the waiting thread. */
  zassert_true(k_queue_is_empty(&queue));
}

ZTEST(queue, test_get_waits_for_append) {
  k_thread_create(&helpers[0], helper_stacks[0], STACK_SIZE, append_later, &items[3], NULL, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  int64_t start = k_uptime_get();
  zassert_equal_ptr(k_queue_get(&queue, K_FOREVER), &items[3]);
  zassert_true(k_uptime_get() - start >= 20);
  zassert_ok(k_thread_join(&helpers[0], K_FOREVER));
}

ZTEST(queue, test_waiters_wake_in_priority_order) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(4), K_PRIO_PREEMPT(9), K_PRIO_PREEMPT(2)};

  start_getters(&queue, queue_get, prios, K_FOREVER);
  k_queue_append(&queue, &items[0]);
  k_queue_prepend(&queue, &items[1]);
  k_queue_insert(&queue, NULL, &items[2]);
  zassert_true(k_queue_is_empty(&queue), "every item went straight to a waiter");
  k_msleep(10);
  zassert_equal_ptr(got[2], &items[0]);
  zassert_equal_ptr(got[0], &items[1]);
  zassert_equal_ptr(got[1], &items[2]);
  zassert_equal(order[0], 2);
  zassert_equal(order[1], 0);
  zassert_equal(order[2], 1);
  join_helpers();
}

ZTEST(queue, test_cancel_wait) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(4), K_PRIO_PREEMPT(2), K_PRIO_PREEMPT(6)};

  k_queue_cancel_wait(&queue); /* nobody waits: no effect */
  start_getters(&queue, queue_get, prios, K_FOREVER);
  k_queue_cancel_wait(&queue);
  k_msleep(10);
  zassert_equal(done, 1, "cancel_wait releases one waiter");
  zassert_equal(order[0], 1, "the highest-priority one");
  zassert_is_null(got[1]);
  k_queue_append(&queue, &items[0]);
  k_queue_append(&queue, &items[1]);
  k_msleep(10);
  zassert_equal_ptr(got[0], &items[0]);
  zassert_equal_ptr(got[2], &items[1]);
  join_helpers();
}

ZTEST(queue, test_alloc_append_and_prepend) {
  static const uint32_t expected[] = {2, 0, 3, 1};
  size_t allocated = system_heap_allocated();

  k_thread_heap_assign(k_current_get(), NULL);
  zassert_equal(k_queue_alloc_append(&queue, &items[0]), -ENOMEM, "no pool");
  zassert_equal(k_queue_alloc_prepend(&queue, &items[0]), -ENOMEM, "no pool");
  zassert_true(k_queue_is_empty(&queue));

  k_thread_system_pool_assign(k_current_get());
  zassert_ok(k_queue_alloc_append(&queue, &items[0]));
  k_queue_append(&queue, &items[3]);
  zassert_ok(k_queue_alloc_append(&queue, &items[1]));
  zassert_ok(k_queue_alloc_prepend(&queue, &items[2]));
  zassert_true(system_heap_allocated() > allocated);
  zassert_equal_ptr(k_queue_peek_head(&queue), &items[2], "peek sees the item, not its container");
  zassert_equal_ptr(k_queue_peek_tail(&queue), &items[1]);
  for (int i = 0; i < 3; i++) {
    zassert_equal_ptr(items[i].reserved, (void *)(uintptr_t)0xdeadbee0,
                      "an allocated put leaves the item's first word alone");
  }
  expect_contents(&queue, expected, ARRAY_SIZE(expected));
  zassert_equal(system_heap_allocated(), allocated, "taking the items freed the containers");
}

ZTEST(queue, test_alloc_fails_when_pool_is_full) {
  int queued = 0;

  k_thread_heap_assign(k_current_get(), &tiny_heap);
  while (queued < 100 && k_queue_alloc_append(&queue, &items[queued % NUM_ITEMS]) == 0) {
    queued++;
  }
  zassert_true(queued > 0 && queued < 100, "%d containers from a 128-byte pool", queued);
  zassert_equal(k_queue_alloc_append(&queue, &items[0]), -ENOMEM);
  while (k_queue_get(&queue, K_NO_WAIT) != NULL) {
    queued--;
  }
  zassert_equal(queued, 0);
  zassert_ok(k_queue_alloc_append(&queue, &items[0]), "freed containers are reused");
  zassert_equal_ptr(k_queue_get(&queue, K_NO_WAIT), &items[0]);
}

ZTEST(queue, test_alloc_append_to_waiter_needs_no_pool) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(4), K_PRIO_PREEMPT(2), K_PRIO_PREEMPT(6)};

  k_thread_heap_assign(k_current_get(), NULL);
  start_getters(&queue, queue_get, prios, K_FOREVER);
  for (int i = 0; i < NUM_HELPERS; i++) {
    zassert_ok(k_queue_alloc_append(&queue, &items[i]));
  }
  k_msleep(10);
  zassert_equal_ptr(got[1], &items[0]);
  zassert_equal_ptr(got[0], &items[1]);
  zassert_equal_ptr(got[2], &items[2]);
  join_helpers();
}

struct isr_record {
  bool in_isr;
  void *first;
  void *second;
  void *none;
  int alloc_rc;
  void *allocated_item;
};
static struct isr_record isr_record;

static void isr_use_queue(const void *arg) {
  ARG_UNUSED(arg);
  isr_record.in_isr = k_is_in_isr();
  k_queue_append(&queue, &items[0]);
  k_queue_prepend(&queue, &items[1]);
  isr_record.first = k_queue_get(&queue, K_NO_WAIT);
  isr_record.second = k_queue_get(&queue, K_NO_WAIT);
  isr_record.none = k_queue_get(&queue, K_NO_WAIT);
  /* An interrupt handler allocates from the system heap. */
  isr_record.alloc_rc = k_queue_alloc_append(&queue, &items[2]);
  isr_record.allocated_item = k_queue_get(&queue, K_NO_WAIT);
}

ZTEST(queue, test_isr_use) {
  size_t allocated = system_heap_allocated();

  irq_offload(isr_use_queue, NULL);
  zassert_true(isr_record.in_isr);
  zassert_equal_ptr(isr_record.first, &items[1]);
  zassert_equal_ptr(isr_record.second, &items[0]);
  zassert_is_null(isr_record.none);
  zassert_ok(isr_record.alloc_rc);
  zassert_equal_ptr(isr_record.allocated_item, &items[2]);
  zassert_equal(system_heap_allocated(), allocated);
}

static void isr_append(const void *arg) {
  k_queue_append(&queue, (void *)arg);
}

ZTEST(queue, test_isr_append_wakes_waiter) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(4), K_PRIO_PREEMPT(2), K_PRIO_PREEMPT(6)};

  start_getters(&queue, queue_get, prios, K_FOREVER);
  for (int i = 0; i < NUM_HELPERS; i++) {
    irq_offload(isr_append, &items[i]);
  }
  k_msleep(10);
  zassert_equal_ptr(got[1], &items[0]);
  zassert_equal_ptr(got[0], &items[1]);
  zassert_equal_ptr(got[2], &items[2]);
  join_helpers();
}

ZTEST(queue, test_timed_out_waiter_gets_nothing_later) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(4), K_PRIO_PREEMPT(2), K_PRIO_PREEMPT(6)};

  start_getters(&queue, queue_get, prios, K_MSEC(30));
  k_msleep(40);
  zassert_equal(done, NUM_HELPERS);
  for (int i = 0; i < NUM_HELPERS; i++) {
    zassert_is_null(got[i]);
  }
  k_queue_append(&queue, &items[0]);
  zassert_equal_ptr(k_queue_peek_head(&queue), &items[0], "no stale waiter took it");
  join_helpers();
}

ZTEST_SUITE(queue, NULL, NULL, before, NULL, NULL);
