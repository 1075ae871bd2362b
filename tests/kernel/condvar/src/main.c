/*
 * k_condvar: signal wakes the most urgent waiter, broadcast wakes all and counts them, a wait
 * releases the mutex and holds it again on return (also after a timeout), signals from ISRs.
 */
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
#define NUM_WAITERS 3

K_CONDVAR_DEFINE(static_condvar);
K_MUTEX_DEFINE(mutex);
static struct k_condvar condvar;

static K_THREAD_STACK_ARRAY_DEFINE(stacks, NUM_WAITERS, STACK_SIZE);
static struct k_thread threads[NUM_WAITERS];
static bool started[NUM_WAITERS];
static volatile int results[NUM_WAITERS];
static volatile bool done[NUM_WAITERS];
static volatile int wake_order[NUM_WAITERS];
static volatile int woken;
static volatile bool held_after_wait[NUM_WAITERS];

static void waiter_entry(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p3);
  int index = (int)(intptr_t)p1;
  k_timeout_t timeout = K_FOREVER;
  if (p2 != NULL) {
    timeout = K_MSEC((int32_t)(intptr_t)p2);
  }
  k_mutex_lock(&mutex, K_FOREVER);
  results[index] = k_condvar_wait(&condvar, &mutex, timeout);
  wake_order[woken++] = index;
  /* The mutex is ours again: another thread cannot take it. */
  held_after_wait[index] = mutex.owner == k_current_get() && mutex.lock_count == 1U;
  done[index] = true;
  k_mutex_unlock(&mutex);
}

static void start_waiter(int index, int prio, int32_t timeout_ms) {
  done[index] = false;
  results[index] = 99;
  k_thread_create(&threads[index], stacks[index], STACK_SIZE, waiter_entry, (void *)(intptr_t)index,
                  (void *)(intptr_t)timeout_ms, NULL, prio, 0, K_NO_WAIT);
  started[index] = true;
  k_msleep(1);
}

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  zassert_equal(k_condvar_init(&condvar), 0);
  woken = 0;
}

static void after(void *fixture) {
  ARG_UNUSED(fixture);
  for (int i = 0; i < NUM_WAITERS; i++) {
    if (started[i]) {
      k_thread_abort(&threads[i]);
      started[i] = false;
    }
  }
}

ZTEST(condvar, test_signal_without_waiters) {
  zassert_equal(k_condvar_signal(&condvar), 0);
  zassert_equal(k_condvar_broadcast(&condvar), 0, "nobody to wake");
  zassert_equal(k_condvar_signal(&static_condvar), 0);
}

ZTEST(condvar, test_wait_releases_mutex) {
  start_waiter(0, K_PRIO_PREEMPT(1), 0);
  /* The waiter released the mutex while it waits. */
  zassert_equal(k_mutex_lock(&mutex, K_NO_WAIT), 0, "the waiter released the mutex");
  zassert_equal(k_condvar_signal(&condvar), 0);
  k_msleep(1);
  zassert_false(done[0], "woken, the waiter waits for the mutex the signaller holds");
  k_mutex_unlock(&mutex);
  k_msleep(1);
  zassert_true(done[0]);
  zassert_equal(results[0], 0);
  zassert_true(held_after_wait[0], "k_condvar_wait() returns with the mutex held");
}

ZTEST(condvar, test_signal_wakes_by_priority) {
  start_waiter(0, K_PRIO_PREEMPT(6), 0);
  start_waiter(1, K_PRIO_PREEMPT(2), 0);
  start_waiter(2, K_PRIO_PREEMPT(4), 0);
  for (int i = 1; i <= NUM_WAITERS; i++) {
    zassert_equal(k_condvar_signal(&condvar), 0);
    k_msleep(1);
    zassert_equal(woken, i, "one waiter per signal");
  }
  zassert_equal(wake_order[0], 1);
  zassert_equal(wake_order[1], 2);
  zassert_equal(wake_order[2], 0);
  for (int i = 0; i < NUM_WAITERS; i++) {
    zassert_equal(results[i], 0);
    zassert_true(held_after_wait[i]);
  }
}

ZTEST(condvar, test_broadcast) {
  start_waiter(0, K_PRIO_PREEMPT(6), 0);
  start_waiter(1, K_PRIO_PREEMPT(2), 0);
  start_waiter(2, K_PRIO_PREEMPT(4), 0);
  zassert_equal(k_condvar_broadcast(&condvar), NUM_WAITERS);
  k_msleep(1);
  zassert_equal(woken, NUM_WAITERS);
  zassert_equal(wake_order[0], 1, "the most urgent gets the mutex first");
  zassert_equal(wake_order[1], 2);
  zassert_equal(wake_order[2], 0);
  zassert_equal(k_condvar_broadcast(&condvar), 0);
}

ZTEST(condvar, test_wait_timeout) {
  zassert_equal(k_mutex_lock(&mutex, K_FOREVER), 0);
  int64_t start = k_uptime_ticks();
  zassert_equal(k_condvar_wait(&condvar, &mutex, K_MSEC(20)), -EAGAIN);
  zassert_true(k_uptime_ticks() - start >= (int64_t)k_ms_to_ticks_ceil64(20));
  zassert_equal_ptr(mutex.owner, k_current_get(), "held again after the timeout");
  zassert_equal(k_mutex_unlock(&mutex), 0);
  zassert_equal(k_mutex_unlock(&mutex), -EINVAL, "held once, unlocked once");
}

ZTEST(condvar, test_timeout_while_mutex_busy) {
  /* The waiter times out while the test holds the mutex: it returns only once it has it. */
  start_waiter(0, K_PRIO_PREEMPT(1), 10);
  zassert_equal(k_mutex_lock(&mutex, K_NO_WAIT), 0);
  k_msleep(20);
  zassert_false(done[0], "timed out, but the mutex is busy");
  k_mutex_unlock(&mutex);
  k_msleep(1);
  zassert_true(done[0]);
  zassert_equal(results[0], -EAGAIN);
  zassert_true(held_after_wait[0]);
}

/* The classic use: a consumer waits for a predicate a producer makes true. */
static volatile int items;

static void consumer_entry(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  for (int taken = 0; taken < 10; taken++) {
    k_mutex_lock(&mutex, K_FOREVER);
    while (items == 0) {
      k_condvar_wait(&condvar, &mutex, K_FOREVER);
    }
    items--;
    k_condvar_signal(&condvar);
    k_mutex_unlock(&mutex);
  }
  done[0] = true;
}

ZTEST(condvar, test_producer_consumer) {
  items = 0;
  done[0] = false;
  k_thread_create(&threads[0], stacks[0], STACK_SIZE, consumer_entry, NULL, NULL, NULL,
                  K_PRIO_PREEMPT(3), 0, K_NO_WAIT);
  started[0] = true;
  for (int produced = 0; produced < 10; produced++) {
    k_mutex_lock(&mutex, K_FOREVER);
    while (items == 2) {
      k_condvar_wait(&condvar, &mutex, K_FOREVER);
    }
    items++;
    k_condvar_signal(&condvar);
    k_mutex_unlock(&mutex);
    if (produced % 3 == 0) {
      k_yield();
    }
  }
  k_thread_join(&threads[0], K_MSEC(100));
  zassert_true(done[0]);
  zassert_equal(items, 0);
}

static void isr_signal(const void *arg) {
  ARG_UNUSED(arg);
  k_condvar_signal(&condvar);
}

static void isr_broadcast(const void *arg) {
  *(int *)arg = k_condvar_broadcast(&condvar);
}

ZTEST(condvar, test_isr) {
  start_waiter(0, K_PRIO_PREEMPT(1), 0);
  start_waiter(1, K_PRIO_PREEMPT(1), 0);
  irq_offload(isr_signal, NULL);
  k_msleep(1);
  zassert_equal(woken, 1, "signalled from an ISR");
  int count = 0;
  irq_offload(isr_broadcast, &count);
  zassert_equal(count, 1);
  k_msleep(1);
  zassert_equal(woken, 2);
}

ZTEST_SUITE(condvar, NULL, NULL, before, after, NULL);
