/*
 * k_timer: expiry and stop functions, status, status_sync, remaining time, periodic timers
 * without drift, absolute durations, use from interrupt handlers.
 */
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
#define MS_TICKS(ms) ((int64_t)k_ms_to_ticks_ceil64(ms))
#define MAX_EXPIRIES 8

/* What the expiry and stop functions saw. */
static volatile int expiries;
static volatile int stops;
static int64_t expiry_ticks[MAX_EXPIRIES];
static volatile bool expiry_in_isr;
static volatile bool stop_in_isr;
static volatile uint32_t busy_wait_us;

static void expiry_fn(struct k_timer *timer) {
  ARG_UNUSED(timer);
  if (expiries < MAX_EXPIRIES) {
    expiry_ticks[expiries] = k_uptime_ticks();
  }
  expiries++;
  expiry_in_isr = k_is_in_isr();
  if (busy_wait_us != 0U) {
    /* A slow callback must not delay the next expiry of a periodic timer. */
    k_busy_wait(busy_wait_us);
  }
}

static void stop_fn(struct k_timer *timer) {
  ARG_UNUSED(timer);
  stops++;
  stop_in_isr = k_is_in_isr();
}

K_TIMER_DEFINE(static_timer, expiry_fn, stop_fn);
static struct k_timer timer;

static void reset(void *fixture) {
  ARG_UNUSED(fixture);
  k_timer_stop(&static_timer);
  k_timer_init(&timer, expiry_fn, stop_fn);
  expiries = 0;
  stops = 0;
  expiry_in_isr = false;
  stop_in_isr = false;
  busy_wait_us = 0;
}

static void stop_all(void *fixture) {
  ARG_UNUSED(fixture);
  k_timer_stop(&timer);
  k_timer_stop(&static_timer);
}

ZTEST(timer, test_one_shot) {
  int64_t start = k_uptime_ticks();
  k_timer_start(&timer, K_MSEC(20), K_NO_WAIT);
  zassert_equal(k_timer_status_sync(&timer), 1U);
  zassert_equal(expiries, 1);
  zassert_true(expiry_in_isr, "the expiry function runs in interrupt context");
  zassert_true(expiry_ticks[0] - start >= MS_TICKS(20), "expired after %d ticks",
               (int)(expiry_ticks[0] - start));
  zassert_true(expiry_ticks[0] - start <= MS_TICKS(20) + 1, "expired after %d ticks",
               (int)(expiry_ticks[0] - start));
  /* One-shot: nothing more. */
  k_msleep(50);
  zassert_equal(expiries, 1);
  zassert_equal(k_timer_status_get(&timer), 0U, "status_sync read the status");
  zassert_equal(k_timer_remaining_ticks(&timer), 0);
  zassert_equal(k_timer_remaining_get(&timer), 0U);
  /* Stopping an expired one-shot timer does not call the stop function. */
  k_timer_stop(&timer);
  zassert_equal(stops, 0);
}

ZTEST(timer, test_static_timer) {
  zassert_is_null(k_timer_user_data_get(&static_timer));
  k_timer_start(&static_timer, K_MSEC(5), K_NO_WAIT);
  zassert_equal(k_timer_status_sync(&static_timer), 1U);
  zassert_equal(expiries, 1);
}

ZTEST(timer, test_periodic_no_drift) {
  const int64_t period = MS_TICKS(10);
  busy_wait_us = 300;
  int64_t start = k_uptime_ticks();
  k_timer_start(&timer, K_MSEC(10), K_MSEC(10));
  while (expiries < MAX_EXPIRIES) {
    (void)k_timer_status_sync(&timer);
  }
  k_timer_stop(&timer);
  zassert_equal(stops, 1, "stopping the running timer calls the stop function");
  zassert_true(expiry_ticks[0] - start >= period && expiry_ticks[0] - start <= period + 1,
               "first expiry after %d ticks", (int)(expiry_ticks[0] - start));
  for (int i = 1; i < MAX_EXPIRIES; i++) {
    zassert_equal(expiry_ticks[i] - expiry_ticks[i - 1], period,
                  "expiry %d came %d ticks after the previous one (period %d)", i,
                  (int)(expiry_ticks[i] - expiry_ticks[i - 1]), (int)period);
  }
}

ZTEST(timer, test_one_tick_period) {
  k_timer_start(&timer, K_TICKS(1), K_TICKS(1));
  while (expiries < 4) {
    (void)k_timer_status_sync(&timer);
  }
  k_timer_stop(&timer);
  for (int i = 1; i < 4; i++) {
    zassert_equal(expiry_ticks[i] - expiry_ticks[i - 1], 1);
  }
}

ZTEST(timer, test_status_counts_expiries) {
  k_timer_start(&timer, K_MSEC(5), K_MSEC(5));
  /* Sleep through five expiries (at 5, 10, ..., 25 ms) and not the sixth. */
  k_msleep(27);
  zassert_equal(k_timer_status_get(&timer), 5U);
  zassert_equal(k_timer_status_get(&timer), 0U, "reading resets the status");
  k_msleep(5);
  zassert_equal(k_timer_status_sync(&timer), 1U, "one more expiry");
  /* status_sync waits for the next expiry when the status is 0. */
  int64_t before = k_uptime_ticks();
  zassert_equal(k_timer_status_sync(&timer), 1U);
  zassert_true(k_uptime_ticks() > before, "status_sync waited");
}

ZTEST(timer, test_restart_resets_status) {
  k_timer_start(&timer, K_MSEC(2), K_MSEC(2));
  k_msleep(9);
  k_timer_start(&timer, K_MSEC(50), K_NO_WAIT);
  zassert_equal(k_timer_status_get(&timer), 0U, "k_timer_start() resets the status");
  int done = expiries;
  k_msleep(30);
  zassert_equal(expiries, done, "the new duration replaced the old period");
  zassert_equal(k_timer_status_sync(&timer), 1U);
}

ZTEST(timer, test_stop) {
  k_timer_start(&timer, K_MSEC(30), K_NO_WAIT);
  k_msleep(10);
  k_timer_stop(&timer);
  zassert_equal(stops, 1);
  zassert_false(stop_in_isr, "the stop function runs in the caller's context");
  k_timer_stop(&timer);
  zassert_equal(stops, 1, "stopping a stopped timer does nothing");
  k_msleep(40);
  zassert_equal(expiries, 0, "a stopped timer does not expire");
  zassert_equal(k_timer_status_sync(&timer), 0U, "status_sync of a stopped timer returns 0");
}

ZTEST(timer, test_duration_forever) {
  k_timer_start(&timer, K_FOREVER, K_MSEC(1));
  zassert_equal(k_timer_remaining_ticks(&timer), 0, "K_FOREVER does not start the timer");
  zassert_equal(k_timer_status_sync(&timer), 0U);
  k_timer_start(&timer, K_NO_WAIT, K_NO_WAIT);
  zassert_equal(k_timer_status_sync(&timer), 1U, "K_NO_WAIT expires at the next tick");
}

ZTEST(timer, test_remaining) {
  k_timer_start(&timer, K_MSEC(100), K_NO_WAIT);
  k_ticks_t remaining = k_timer_remaining_ticks(&timer);
  zassert_true(remaining > MS_TICKS(100) - 2 && remaining <= MS_TICKS(100), "%d ticks left",
               (int)remaining);
  zassert_equal(k_timer_expires_ticks(&timer) - k_uptime_ticks(), k_timer_remaining_ticks(&timer));
  k_msleep(40);
  uint32_t ms = k_timer_remaining_get(&timer);
  zassert_true(ms >= 58U && ms <= 60U, "%u ms left", (unsigned int)ms);
  k_timer_stop(&timer);
  zassert_equal(k_timer_remaining_ticks(&timer), 0);
  zassert_equal(k_timer_expires_ticks(&timer), k_uptime_ticks(), "a stopped timer expires now");
}

ZTEST(timer, test_absolute_duration) {
  int64_t target = k_uptime_ticks() + MS_TICKS(15);
  k_timer_start(&timer, K_TIMEOUT_ABS_TICKS(target), K_NO_WAIT);
  zassert_equal(k_timer_expires_ticks(&timer), target);
  zassert_equal(k_timer_status_sync(&timer), 1U);
  zassert_equal(expiry_ticks[0], target, "expired at %d, not %d", (int)expiry_ticks[0],
                (int)target);

  /* Absolute duration, then a period counted from that expiry. */
  int64_t ms = k_uptime_get() + 20;
  k_timer_start(&timer, K_TIMEOUT_ABS_MS(ms), K_MSEC(10));
  while (expiries < 3) {
    (void)k_timer_status_sync(&timer);
  }
  k_timer_stop(&timer);
  zassert_equal(expiry_ticks[1], (int64_t)k_ms_to_ticks_ceil64(ms));
  zassert_equal(expiry_ticks[2] - expiry_ticks[1], MS_TICKS(10));

  /* A time in the past expires at once. */
  k_timer_start(&timer, K_TIMEOUT_ABS_TICKS(0), K_NO_WAIT);
  zassert_equal(k_timer_status_sync(&timer), 1U);
}

ZTEST(timer, test_user_data) {
  static int data;
  zassert_is_null(k_timer_user_data_get(&timer), "k_timer_init() clears the user data");
  k_timer_user_data_set(&timer, &data);
  zassert_equal_ptr(k_timer_user_data_get(&timer), &data);
}

/* Interrupt context: start and stop from an ISR. */
static void isr_start(const void *arg) {
  k_timer_start((struct k_timer *)arg, K_MSEC(10), K_MSEC(10));
}

static void isr_stop(const void *arg) {
  k_timer_stop((struct k_timer *)arg);
}

static void isr_status(const void *arg) {
  *(uint32_t *)arg = k_timer_status_get(&timer);
}

ZTEST(timer, test_isr) {
  irq_offload(isr_start, &timer);
  zassert_equal(k_timer_status_sync(&timer), 1U);
  zassert_true(expiry_in_isr);
  k_msleep(10);
  uint32_t status = 99;
  irq_offload(isr_status, &status);
  zassert_equal(status, 1U);
  irq_offload(isr_stop, &timer);
  zassert_equal(stops, 1);
  zassert_true(stop_in_isr, "stopped from an ISR, the stop function runs there");
  zassert_equal(k_timer_remaining_ticks(&timer), 0);
}

/* Threads in k_timer_status_sync(): an expiry or a stop wakes the most urgent one. */
static K_THREAD_STACK_DEFINE(sync_stack_lo, STACK_SIZE);
static K_THREAD_STACK_DEFINE(sync_stack_hi, STACK_SIZE);
static struct k_thread sync_thread_lo;
static struct k_thread sync_thread_hi;
static volatile uint32_t sync_result[2];
static volatile int sync_done[2];
static volatile int sync_order[2];
static volatile int sync_count;

static void sync_entry(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  int index = (int)(intptr_t)p1;
  sync_result[index] = k_timer_status_sync(&timer);
  sync_order[sync_count++] = index;
  sync_done[index] = 1;
}

static void start_syncers(void) {
  sync_done[0] = sync_done[1] = 0;
  sync_count = 0;
  /* The less urgent one waits first. */
  k_thread_create(&sync_thread_lo, sync_stack_lo, STACK_SIZE, sync_entry, (void *)0, NULL, NULL,
                  K_PRIO_PREEMPT(5), 0, K_NO_WAIT);
  k_msleep(1);
  k_thread_create(&sync_thread_hi, sync_stack_hi, STACK_SIZE, sync_entry, (void *)1, NULL, NULL,
                  K_PRIO_PREEMPT(2), 0, K_NO_WAIT);
  k_msleep(1);
}

ZTEST(timer, test_status_sync_wakes_by_priority) {
  k_timer_start(&timer, K_MSEC(10), K_MSEC(10));
  start_syncers();
  zassert_equal(sync_done[0] + sync_done[1], 0);
  k_msleep(10);
  zassert_equal(sync_count, 1, "an expiry wakes one waiter");
  zassert_equal(sync_order[0], 1, "the more urgent waiter first");
  zassert_equal(sync_result[1], 1U);
  k_msleep(10);
  zassert_equal(sync_count, 2);
  zassert_equal(sync_result[0], 1U);
  k_thread_join(&sync_thread_lo, K_FOREVER);
  k_thread_join(&sync_thread_hi, K_FOREVER);
}

ZTEST(timer, test_stop_wakes_status_sync) {
  k_timer_start(&timer, K_MSEC(100), K_NO_WAIT);
  start_syncers();
  k_timer_stop(&timer);
  k_msleep(1);
  zassert_equal(sync_count, 1, "a stop wakes one waiter");
  zassert_equal(sync_order[0], 1);
  zassert_equal(sync_result[1], 0U, "woken by a stop: status 0");
  /* The timer is stopped now: the other waiter stays until it is aborted. */
  k_msleep(10);
  zassert_equal(sync_count, 1);
  k_thread_abort(&sync_thread_lo);
  k_thread_join(&sync_thread_hi, K_FOREVER);
}

ZTEST_SUITE(timer, NULL, NULL, reset, stop_all, NULL);
