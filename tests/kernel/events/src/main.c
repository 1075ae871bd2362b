/*
 * k_event: the previous values the changes return, waits for any or all of a set of bits,
 * reset, timeouts, waking every waiter whose condition a change meets (most urgent first),
 * use from interrupt handlers.
 */
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
#define NUM_WAITERS 3

K_EVENT_DEFINE(static_event);
static struct k_event event;

static void reset(void *fixture) {
  ARG_UNUSED(fixture);
  k_event_init(&event);
}

ZTEST(events, test_static_init) {
  zassert_equal(k_event_test(&static_event, UINT32_MAX), 0U);
  zassert_equal(k_event_post(&static_event, 0x10), 0U);
  zassert_equal(k_event_test(&static_event, UINT32_MAX), 0x10U);
  k_event_clear(&static_event, UINT32_MAX);
}

ZTEST(events, test_previous_values) {
  zassert_equal(k_event_post(&event, 0x0F), 0U);
  zassert_equal(k_event_post(&event, 0x3C), 0x0CU, "previous value of the posted bits");
  zassert_equal(k_event_test(&event, UINT32_MAX), 0x3FU, "posting adds bits");
  zassert_equal(k_event_set(&event, 0x100), 0x3FU, "setting returns the previous set");
  zassert_equal(k_event_test(&event, UINT32_MAX), 0x100U, "setting replaces the set");
  zassert_equal(k_event_set_masked(&event, 0xF0F, 0x00F), 0U, "previous value of the masked bits");
  zassert_equal(k_event_test(&event, UINT32_MAX), 0x10FU, "only the masked bits change");
  zassert_equal(k_event_set_masked(&event, 0x000, 0x101), 0x101U);
  zassert_equal(k_event_test(&event, UINT32_MAX), 0x00EU);
  zassert_equal(k_event_clear(&event, 0x00C), 0x00CU, "previous value of the cleared bits");
  zassert_equal(k_event_test(&event, UINT32_MAX), 0x002U);
  zassert_equal(k_event_test(&event, 0x003), 0x002U, "test returns the bits asked about");
}

ZTEST(events, test_wait_no_wait) {
  k_event_post(&event, 0x5);
  zassert_equal(k_event_wait(&event, 0x6, false, K_NO_WAIT), 0x4U, "any: the matching bits");
  zassert_equal(k_event_wait(&event, 0x8, false, K_NO_WAIT), 0U);
  zassert_equal(k_event_wait_all(&event, 0x5, false, K_NO_WAIT), 0x5U);
  zassert_equal(k_event_wait_all(&event, 0x7, false, K_NO_WAIT), 0U, "all: one is missing");
  zassert_equal(k_event_test(&event, UINT32_MAX), 0x5U, "waiting does not consume events");
  zassert_equal(k_event_wait(&event, 0x5, true, K_NO_WAIT), 0U, "reset clears before waiting");
  zassert_equal(k_event_test(&event, UINT32_MAX), 0U);
}

ZTEST(events, test_wait_timeout) {
  int64_t start = k_uptime_ticks();
  zassert_equal(k_event_wait(&event, 0x1, false, K_MSEC(20)), 0U);
  zassert_true(k_uptime_ticks() - start >= (int64_t)k_ms_to_ticks_ceil64(20));
  start = k_uptime_ticks();
  k_event_post(&event, 0x1);
  zassert_equal(k_event_wait_all(&event, 0x3, false, K_MSEC(20)), 0U);
  zassert_true(k_uptime_ticks() - start >= (int64_t)k_ms_to_ticks_ceil64(20));
}

/* Waiter threads of different priorities, each waiting for its own condition. */
static K_THREAD_STACK_ARRAY_DEFINE(stacks, NUM_WAITERS, STACK_SIZE);
static struct k_thread threads[NUM_WAITERS];
struct waiter {
  uint32_t events;
  bool all;
  bool reset;
  k_timeout_t timeout;
  volatile uint32_t result;
  volatile bool done;
};
static struct waiter waiters[NUM_WAITERS];
static bool started[NUM_WAITERS];
static volatile int wake_order[NUM_WAITERS];
static volatile int woken;

static void waiter_entry(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  int index = (int)(intptr_t)p1;
  struct waiter *w = &waiters[index];
  w->result = w->all ? k_event_wait_all(&event, w->events, w->reset, w->timeout)
                     : k_event_wait(&event, w->events, w->reset, w->timeout);
  wake_order[woken++] = index;
  w->done = true;
}

/* Start waiter @p index at @p prio; the test thread (cooperative) lets it block. */
static void start_waiter(int index, int prio, uint32_t events, bool all) {
  waiters[index] = (struct waiter){.events = events, .all = all, .timeout = K_FOREVER};
  k_thread_create(&threads[index], stacks[index], STACK_SIZE, waiter_entry, (void *)(intptr_t)index,
                  NULL, NULL, prio, 0, K_NO_WAIT);
  k_msleep(1);
}

static void end_waiters(void *fixture) {
  ARG_UNUSED(fixture);
  for (int i = 0; i < NUM_WAITERS; i++) {
    if (started[i]) {
      k_thread_abort(&threads[i]);
      started[i] = false;
    }
  }
  woken = 0;
}

ZTEST(events, test_wait_any_wakes) {
  start_waiter(0, K_PRIO_PREEMPT(1), 0x6, false);
  zassert_false(waiters[0].done);
  k_event_post(&event, 0x1);
  k_msleep(1);
  zassert_false(waiters[0].done, "no desired bit posted");
  k_event_post(&event, 0x4);
  k_msleep(1);
  zassert_true(waiters[0].done);
  zassert_equal(waiters[0].result, 0x4U, "the desired bits that were set");
}

ZTEST(events, test_wait_all_wakes) {
  start_waiter(0, K_PRIO_PREEMPT(1), 0x6, true);
  k_event_post(&event, 0x2);
  k_msleep(1);
  zassert_false(waiters[0].done, "one of two bits");
  k_event_post(&event, 0x5);
  k_msleep(1);
  zassert_true(waiters[0].done);
  zassert_equal(waiters[0].result, 0x6U);
  zassert_equal(k_event_test(&event, UINT32_MAX), 0x7U, "waking consumes nothing");
}

ZTEST(events, test_wait_reset) {
  k_event_post(&event, 0x1);
  waiters[0] = (struct waiter){.events = 0x1, .reset = true, .timeout = K_FOREVER};
  k_thread_create(&threads[0], stacks[0], STACK_SIZE, waiter_entry, (void *)0, NULL, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  started[0] = true;
  k_msleep(1);
  zassert_false(waiters[0].done, "the reset cleared the bit before the wait");
  zassert_equal(k_event_test(&event, UINT32_MAX), 0U);
  k_event_post(&event, 0x1);
  k_msleep(1);
  zassert_true(waiters[0].done);
  zassert_equal(waiters[0].result, 0x1U);
}

ZTEST(events, test_post_wakes_every_satisfied_waiter) {
  /* Started least urgent first; all three wait. */
  start_waiter(0, K_PRIO_PREEMPT(6), 0x1, false);
  start_waiter(1, K_PRIO_PREEMPT(4), 0x3, true);
  start_waiter(2, K_PRIO_PREEMPT(2), 0x4, false);
  k_event_set(&event, 0x3);
  k_msleep(1);
  zassert_equal(woken, 2, "the two waiters whose conditions hold");
  zassert_equal(wake_order[0], 1, "more urgent first");
  zassert_equal(wake_order[1], 0);
  zassert_equal(waiters[0].result, 0x1U);
  zassert_equal(waiters[1].result, 0x3U);
  zassert_false(waiters[2].done);
  k_event_set_masked(&event, 0x4, 0x4);
  k_msleep(1);
  zassert_true(waiters[2].done);
  zassert_equal(waiters[2].result, 0x4U);
}

ZTEST(events, test_waiter_preempts_poster) {
  /* A preemptible poster: the more urgent waiter runs before k_event_post() returns. */
  k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(8));
  start_waiter(0, K_PRIO_PREEMPT(1), 0x1, false);
  k_event_post(&event, 0x1);
  bool done = waiters[0].done;
  k_thread_priority_set(k_current_get(), CONFIG_ZTEST_THREAD_PRIORITY);
  zassert_true(done);
}

ZTEST(events, test_clear_wakes_nobody) {
  start_waiter(0, K_PRIO_PREEMPT(1), 0x1, false);
  k_event_clear(&event, 0x1);
  k_event_set(&event, 0x2);
  k_msleep(1);
  zassert_false(waiters[0].done);
  k_event_set(&event, 0x3);
  k_msleep(1);
  zassert_true(waiters[0].done);
  zassert_equal(waiters[0].result, 0x1U);
}

ZTEST(events, test_waiter_timeout) {
  waiters[0] = (struct waiter){.events = 0x1, .timeout = K_MSEC(10)};
  k_thread_create(&threads[0], stacks[0], STACK_SIZE, waiter_entry, (void *)0, NULL, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  started[0] = true;
  k_msleep(5);
  zassert_false(waiters[0].done);
  k_msleep(10);
  zassert_true(waiters[0].done);
  zassert_equal(waiters[0].result, 0U);
  /* A later post finds nobody waiting. */
  k_event_post(&event, 0x1);
}

static void isr_post(const void *arg) {
  k_event_post(&event, (uint32_t)(uintptr_t)arg);
}

static void isr_test(const void *arg) {
  *(uint32_t *)arg = k_event_wait(&event, 0xFF, false, K_NO_WAIT);
}

ZTEST(events, test_isr) {
  start_waiter(0, K_PRIO_PREEMPT(1), 0x8, false);
  irq_offload(isr_post, (const void *)0x8);
  k_msleep(1);
  zassert_true(waiters[0].done, "posted from an ISR");
  zassert_equal(waiters[0].result, 0x8U);
  uint32_t seen = 0;
  irq_offload(isr_test, &seen);
  zassert_equal(seen, 0x8U);
}

ZTEST_SUITE(events, NULL, NULL, reset, end_waiters, NULL);
