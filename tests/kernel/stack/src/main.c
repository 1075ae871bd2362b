/*
 * k_stack: the documented behaviour of Zephyr's stack API. The test thread is cooperative
 * (ztest's default priority -1): helper threads run only when it blocks.
 */
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
#define NUM_ENTRIES 4
#define NUM_WAITERS 3

K_STACK_DEFINE(kstack, NUM_ENTRIES);
static struct k_stack stack;
static stack_data_t buffer[NUM_ENTRIES];

K_THREAD_STACK_ARRAY_DEFINE(helper_stacks, NUM_WAITERS, STACK_SIZE);
static struct k_thread helpers[NUM_WAITERS];

K_HEAP_DEFINE(small_heap, 256);

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  k_stack_init(&stack, buffer, NUM_ENTRIES);
}

ZTEST(stack, test_push_pop_is_last_in_first_out) {
  stack_data_t value;

  for (stack_data_t i = 0; i < NUM_ENTRIES; i++) {
    zassert_ok(k_stack_push(&stack, 100 + i));
  }
  zassert_equal(k_stack_push(&stack, 999), -ENOMEM, "a full stack takes no more");
  for (stack_data_t i = NUM_ENTRIES; i > 0; i--) {
    zassert_ok(k_stack_pop(&stack, &value, K_NO_WAIT));
    zassert_equal(value, 100 + i - 1);
  }
  zassert_equal(k_stack_pop(&stack, &value, K_NO_WAIT), -EBUSY);
}

ZTEST(stack, test_static_stack) {
  stack_data_t value = 0;
  uintptr_t pointer = (uintptr_t)&value;

  zassert_equal(k_stack_pop(&kstack, &value, K_NO_WAIT), -EBUSY);
  zassert_ok(k_stack_push(&kstack, pointer));
  zassert_ok(k_stack_pop(&kstack, &value, K_NO_WAIT));
  zassert_equal(value, pointer, "a whole pointer fits in an entry");
}

ZTEST(stack, test_pop_times_out) {
  stack_data_t value = 7;
  int64_t start = k_uptime_get();

  zassert_equal(k_stack_pop(&stack, &value, K_MSEC(50)), -EAGAIN);
  int64_t waited = k_uptime_get() - start;
  zassert_true(waited >= 50 && waited < 500, "waited %d ms", (int)waited);
  zassert_equal(value, 7, "a failed pop leaves the destination alone");
}

static void push_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  k_msleep(20);
  zassert_ok(k_stack_push(&stack, (stack_data_t)p1));
}

ZTEST(stack, test_pop_waits_for_push) {
  stack_data_t value = 0;

  k_thread_create(&helpers[0], helper_stacks[0], STACK_SIZE, push_later, (void *)0x1234, NULL, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  int64_t start = k_uptime_get();
  zassert_ok(k_stack_pop(&stack, &value, K_SECONDS(2)));
  zassert_true(k_uptime_get() - start >= 20);
  zassert_equal(value, 0x1234);
  zassert_ok(k_thread_join(&helpers[0], K_FOREVER));
}

static stack_data_t got[NUM_WAITERS];
static int wake_order[NUM_WAITERS];
static int woken;

static void waiter(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  int id = (int)(intptr_t)p1;

  zassert_ok(k_stack_pop(&stack, &got[id], K_FOREVER));
  wake_order[woken++] = id;
}

/* Start waiters with the given priorities and let them all block. */
static void start_waiters(const int *prios) {
  woken = 0;
  for (int i = 0; i < NUM_WAITERS; i++) {
    got[i] = 0;
    k_thread_create(&helpers[i], helper_stacks[i], STACK_SIZE, waiter, (void *)(intptr_t)i, NULL,
                    NULL, prios[i], 0, K_NO_WAIT);
  }
  k_msleep(10);
  zassert_equal(woken, 0, "the waiters did not block");
}

static void join_waiters(void) {
  for (int i = 0; i < NUM_WAITERS; i++) {
    zassert_ok(k_thread_join(&helpers[i], K_FOREVER));
  }
}

ZTEST(stack, test_waiters_wake_in_priority_order) {
  static const int prios[NUM_WAITERS] = {K_PRIO_PREEMPT(5), K_PRIO_PREEMPT(2), K_PRIO_PREEMPT(8)};
  stack_data_t value;

  start_waiters(prios);
  for (stack_data_t v = 1; v <= NUM_WAITERS; v++) {
    zassert_ok(k_stack_push(&stack, v));
    /* Handed straight to a waiter: nothing is left on the stack. */
    zassert_equal(k_stack_pop(&stack, &value, K_NO_WAIT), -EBUSY);
  }
  k_msleep(10);
  zassert_equal(woken, NUM_WAITERS);
  zassert_equal(got[1], 1, "the highest-priority waiter gets the first value");
  zassert_equal(got[0], 2);
  zassert_equal(got[2], 3);
  zassert_equal(wake_order[0], 1);
  zassert_equal(wake_order[1], 0);
  zassert_equal(wake_order[2], 2);
  join_waiters();
}

ZTEST(stack, test_equal_priority_waiters_wake_first_come_first_served) {
  static const int prios[NUM_WAITERS] = {K_PRIO_PREEMPT(4), K_PRIO_PREEMPT(4), K_PRIO_PREEMPT(4)};

  start_waiters(prios);
  for (stack_data_t v = 1; v <= NUM_WAITERS; v++) {
    zassert_ok(k_stack_push(&stack, v));
  }
  k_msleep(10);
  for (int i = 0; i < NUM_WAITERS; i++) {
    zassert_equal(got[i], (stack_data_t)(i + 1));
  }
  join_waiters();
}

struct isr_record {
  int push_rc[NUM_ENTRIES + 1];
  int pop_rc[NUM_ENTRIES + 1];
  stack_data_t popped[NUM_ENTRIES + 1];
  bool in_isr;
};
static struct isr_record isr_record;

static void isr_fill_and_drain(const void *arg) {
  ARG_UNUSED(arg);
  isr_record.in_isr = k_is_in_isr();
  for (int i = 0; i <= NUM_ENTRIES; i++) {
    isr_record.push_rc[i] = k_stack_push(&stack, 10 + i);
  }
  for (int i = 0; i <= NUM_ENTRIES; i++) {
    isr_record.pop_rc[i] = k_stack_pop(&stack, &isr_record.popped[i], K_NO_WAIT);
  }
}

ZTEST(stack, test_isr_push_and_pop) {
  irq_offload(isr_fill_and_drain, NULL);
  zassert_true(isr_record.in_isr);
  for (int i = 0; i < NUM_ENTRIES; i++) {
    zassert_ok(isr_record.push_rc[i]);
    zassert_ok(isr_record.pop_rc[i]);
    zassert_equal(isr_record.popped[i], 10 + NUM_ENTRIES - 1 - i);
  }
  zassert_equal(isr_record.push_rc[NUM_ENTRIES], -ENOMEM);
  zassert_equal(isr_record.pop_rc[NUM_ENTRIES], -EBUSY);
}

static void isr_push(const void *arg) {
  isr_record.push_rc[0] = k_stack_push(&stack, (stack_data_t)arg);
}

ZTEST(stack, test_isr_push_wakes_waiter) {
  static const int prios[NUM_WAITERS] = {K_PRIO_PREEMPT(3), K_PRIO_PREEMPT(1), K_PRIO_PREEMPT(2)};

  start_waiters(prios);
  for (int i = 0; i < NUM_WAITERS; i++) {
    irq_offload(isr_push, (const void *)(uintptr_t)(50 + i));
    zassert_ok(isr_record.push_rc[0]);
  }
  k_msleep(10);
  zassert_equal(got[1], 50);
  zassert_equal(got[2], 51);
  zassert_equal(got[0], 52);
  join_waiters();
}

ZTEST(stack, test_alloc_init_needs_a_pool) {
  struct k_stack allocated;

  k_thread_heap_assign(k_current_get(), NULL);
  zassert_equal(k_stack_alloc_init(&allocated, 4), -ENOMEM, "no resource pool");

  k_thread_heap_assign(k_current_get(), &small_heap);
  zassert_equal(k_stack_alloc_init(&allocated, 1000), -ENOMEM, "more than the pool holds");
  zassert_ok(k_stack_alloc_init(&allocated, 4));
  for (stack_data_t i = 0; i < 4; i++) {
    zassert_ok(k_stack_push(&allocated, i));
  }
  zassert_equal(k_stack_push(&allocated, 4), -ENOMEM);
  zassert_ok(k_stack_cleanup(&allocated));

  k_thread_system_pool_assign(k_current_get());
  zassert_ok(k_stack_alloc_init(&allocated, 8));
  zassert_ok(k_stack_cleanup(&allocated));
  zassert_ok(k_stack_cleanup(&allocated), "a second cleanup has nothing to free");
}

ZTEST(stack, test_alloc_memory_is_returned_by_cleanup) {
  struct k_stack allocated;

  k_thread_heap_assign(k_current_get(), &small_heap);
  /* Allocating and cleaning up many times over leaks nothing. */
  for (int i = 0; i < 50; i++) {
    zassert_ok(k_stack_alloc_init(&allocated, 16), "round %d", i);
    zassert_ok(k_stack_cleanup(&allocated));
  }
}

static void pop_forever(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  stack_data_t value;

  zassert_ok(k_stack_pop((struct k_stack *)p1, &value, K_FOREVER));
}

ZTEST(stack, test_cleanup_refuses_while_threads_wait) {
  struct k_stack allocated;

  k_thread_system_pool_assign(k_current_get());
  zassert_ok(k_stack_alloc_init(&allocated, 2));
  k_thread_create(&helpers[0], helper_stacks[0], STACK_SIZE, pop_forever, &allocated, NULL, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  k_msleep(5);
  zassert_equal(k_stack_cleanup(&allocated), -EAGAIN);
  zassert_ok(k_stack_push(&allocated, 1));
  zassert_ok(k_thread_join(&helpers[0], K_FOREVER));
  zassert_ok(k_stack_cleanup(&allocated));
}

ZTEST(stack, test_pop_from_thread_then_push_from_other_keeps_order) {
  stack_data_t value;

  zassert_ok(k_stack_push(&stack, 1));
  zassert_ok(k_stack_push(&stack, 2));
  zassert_ok(k_stack_pop(&stack, &value, K_NO_WAIT));
  zassert_equal(value, 2);
  zassert_ok(k_stack_push(&stack, 3));
  zassert_ok(k_stack_pop(&stack, &value, K_NO_WAIT));
  zassert_equal(value, 3);
  zassert_ok(k_stack_pop(&stack, &value, K_NO_WAIT));
  zassert_equal(value, 1);
}

ZTEST_SUITE(stack, NULL, NULL, before, NULL, NULL);
