/*
 * The scheduler, checked against Zephyr 3.7's documented behaviour: which ready thread runs,
 * when the current one is preempted (by a thread it readies, by one an interrupt readies),
 * cooperative threads, k_yield(), k_sched_lock(), time slicing, priority changes, and sleeping
 * (durations, early wake-up, absolute timeouts).
 *
 * Each test runs in ztest's worker thread, cooperative at CONFIG_ZTEST_THREAD_PRIORITY (-1)
 * unless the test changes its priority.
 */
#include <string.h>

#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#include "ktest.h"

static K_SEM_DEFINE(sem, 0, 10);

static void sched_after(void *fixture)
{
	ARG_UNUSED(fixture);
	ktest_reap();
	k_sched_time_slice_set(0, 0);
	k_sem_reset(&sem);
}

ZTEST_SUITE(sched, NULL, NULL, NULL, sched_after, NULL);

/* Log p1 and end. */
static void log_once(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	ktest_log_add(POINTER_TO_INT(p1));
}

/* Wait for the semaphore, then log p1. */
static void take_then_log(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_sem_take(&sem, K_FOREVER);
	ktest_log_add(POINTER_TO_INT(p1));
}

/* The highest-priority ready thread runs first; equal priorities run in the order they became
 * ready.
 */
ZTEST(sched, test_ready_order_by_priority)
{
	static const int expected[] = {1, 2, 3, 4};

	ktest_log_reset();
	/* The worker is cooperative: none of them runs before it sleeps. */
	ktest_spawn(0, log_once, INT_TO_POINTER(3), NULL, K_PRIO_PREEMPT(5), K_NO_WAIT);
	ktest_spawn(1, log_once, INT_TO_POINTER(1), NULL, K_PRIO_PREEMPT(3), K_NO_WAIT);
	ktest_spawn(2, log_once, INT_TO_POINTER(4), NULL, K_PRIO_PREEMPT(7), K_NO_WAIT);
	ktest_spawn(3, log_once, INT_TO_POINTER(2), NULL, K_PRIO_PREEMPT(3), K_NO_WAIT);
	zassert_equal(ktest_log_n, 0, "a thread preempted the cooperative worker");
	k_msleep(10);
	ktest_log_check(expected, 4);
}

/* Threads woken from a wait queue run in priority order, then in the order they started to wait. */
ZTEST(sched, test_wake_order_by_priority)
{
	static const int expected[] = {1, 2, 3, 4};

	ktest_log_reset();
	ktest_spawn(0, take_then_log, INT_TO_POINTER(3), NULL, K_PRIO_PREEMPT(6), K_NO_WAIT);
	ktest_spawn(1, take_then_log, INT_TO_POINTER(1), NULL, K_PRIO_PREEMPT(4), K_NO_WAIT);
	ktest_spawn(2, take_then_log, INT_TO_POINTER(4), NULL, K_PRIO_PREEMPT(6), K_NO_WAIT);
	ktest_spawn(3, take_then_log, INT_TO_POINTER(2), NULL, K_PRIO_PREEMPT(5), K_NO_WAIT);
	k_msleep(5); /* all of them wait now */
	for (int i = 0; i < 4; i++) {
		k_sem_give(&sem);
	}
	k_msleep(5);
	ktest_log_check(expected, 4);
}

/* A preemptible thread that readies a higher-priority thread is preempted at once; a
 * lower-priority one waits until it blocks.
 */
ZTEST(sched, test_preempt_by_readied_thread)
{
	static const int expected[] = {1, 2, 3, 4, 5, 7, 6};

	ktest_log_reset();
	k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(5));
	ktest_spawn(0, log_once, INT_TO_POINTER(1), NULL, K_PRIO_PREEMPT(2), K_NO_WAIT);
	ktest_log_add(2);
	ktest_spawn(1, take_then_log, INT_TO_POINTER(3), NULL, K_PRIO_PREEMPT(3), K_NO_WAIT);
	k_sem_give(&sem); /* wakes the waiter, which preempts us */
	ktest_log_add(4);
	ktest_spawn(2, log_once, INT_TO_POINTER(6), NULL, K_PRIO_PREEMPT(8), K_NO_WAIT);
	ktest_spawn(3, log_once, INT_TO_POINTER(7), NULL, K_PRIO_PREEMPT(5), K_NO_WAIT);
	ktest_log_add(5); /* neither a lower nor an equal priority preempts */
	k_msleep(5);
	ktest_log_check(expected, 7);
}

static void give_sem_isr(const void *arg)
{
	ARG_UNUSED(arg);
	zassert_true(k_is_in_isr());
	k_sem_give(&sem);
}

/* A thread readied by an interrupt handler preempts a lower-priority preemptible thread when the
 * handler returns, but not a cooperative one.
 */
ZTEST(sched, test_preempt_from_isr)
{
	static const int expected[] = {1, 2, 3, 4};

	ktest_log_reset();
	k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(5));
	ktest_spawn(0, take_then_log, INT_TO_POINTER(1), NULL, K_PRIO_PREEMPT(2), K_NO_WAIT);
	irq_offload(give_sem_isr, NULL);
	ktest_log_add(2);

	/* Cooperative: the woken thread, even of a higher priority, waits for us to block. */
	ktest_spawn(1, take_then_log, INT_TO_POINTER(4), NULL, K_PRIO_COOP(2), K_NO_WAIT);
	k_thread_priority_set(k_current_get(), K_PRIO_COOP(5));
	irq_offload(give_sem_isr, NULL);
	ktest_log_add(3);
	k_msleep(1);
	ktest_log_check(expected, 4);
}

static volatile bool ran;

static void set_ran(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	ran = true;
}

/* A cooperative thread keeps the CPU until it blocks or yields, whatever becomes ready meanwhile,
 * even across clock interrupts; k_yield() lets only equal or higher priorities run.
 */
ZTEST(sched, test_cooperative_not_preempted)
{
	ran = false;
	zassert_false(k_is_preempt_thread());
	ktest_spawn(0, set_ran, NULL, NULL, K_PRIO_PREEMPT(0), K_NO_WAIT);
	k_busy_wait(20000);
	zassert_false(ran, "a preemptible thread preempted a cooperative one");
	k_yield();
	zassert_false(ran, "k_yield() let a lower priority run");
	k_msleep(1);
	zassert_true(ran);

	/* Not even a higher cooperative priority preempts, but k_yield() lets it run. */
	ran = false;
	ktest_spawn(1, set_ran, NULL, NULL, K_PRIO_COOP(0), K_NO_WAIT);
	k_busy_wait(5000);
	zassert_false(ran, "a cooperative thread was preempted");
	k_yield();
	zassert_true(ran);
}

/* Log p1, yield, three times. */
static void log_and_yield(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	for (int i = 0; i < 3; i++) {
		ktest_log_add(POINTER_TO_INT(p1));
		k_yield();
	}
}

/* k_yield() among threads of equal priority takes turns. */
ZTEST(sched, test_yield_round_robin)
{
	static const int expected[] = {1, 2, 3, 1, 2, 3, 1, 2, 3};

	ktest_log_reset();
	for (int i = 0; i < 3; i++) {
		ktest_spawn(i, log_and_yield, INT_TO_POINTER(i + 1), NULL, K_PRIO_PREEMPT(6),
			    K_NO_WAIT);
	}
	for (int i = 0; i < 3; i++) {
		zassert_ok(k_thread_join(&ktest_threads[i], K_MSEC(100)));
	}
	ktest_log_check(expected, 9);
}

/* k_yield() from a preemptible thread: an equal priority runs first, a lower one does not. */
ZTEST(sched, test_yield_not_to_lower)
{
	static const int expected[] = {1, 2, 3, 4};

	ktest_log_reset();
	k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(6));
	ktest_spawn(0, log_once, INT_TO_POINTER(4), NULL, K_PRIO_PREEMPT(7), K_NO_WAIT);
	ktest_spawn(1, log_once, INT_TO_POINTER(2), NULL, K_PRIO_PREEMPT(6), K_NO_WAIT);
	ktest_log_add(1);
	k_yield();
	ktest_log_add(3);
	k_yield();
	zassert_equal(ktest_log_n, 3, "k_yield() let a lower priority run");
	k_msleep(1);
	ktest_log_check(expected, 4);
}

/* k_sched_lock() makes a preemptible thread cooperative until the matching unlock. */
ZTEST(sched, test_sched_lock)
{
	ran = false;
	ktest_log_reset();
	k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(5));
	ktest_spawn(1, take_then_log, INT_TO_POINTER(1), NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	zassert_true(k_is_preempt_thread());
	k_sched_lock();
	zassert_false(k_is_preempt_thread());
	ktest_spawn(0, set_ran, NULL, NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	k_busy_wait(5000);
	zassert_false(ran, "a locked thread was preempted");

	/* Nested: still locked after the inner unlock. */
	k_sched_lock();
	k_sched_unlock();
	irq_offload(give_sem_isr, NULL);
	k_busy_wait(5000);
	zassert_false(ran, "the inner k_sched_unlock() unlocked");
	zassert_equal(ktest_log_n, 0, "a thread an interrupt woke preempted a locked thread");

	k_sched_unlock(); /* both run now, before this returns */
	zassert_true(ran);
	zassert_equal(ktest_log_n, 1);
	zassert_true(k_is_preempt_thread());
}

static volatile uint32_t spins[2];
static volatile bool stop_spinning;

/* Busy forever (in 1 ms steps: native_sim's time passes in busy-waits), counting. */
static void spin(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	int i = POINTER_TO_INT(p1);

	while (!stop_spinning) {
		spins[i]++;
		k_busy_wait(1000);
	}
}

static void run_spinners(void)
{
	spins[0] = 0;
	spins[1] = 0;
	stop_spinning = false;
	ktest_spawn(0, spin, INT_TO_POINTER(0), NULL, K_PRIO_PREEMPT(4), K_NO_WAIT);
	ktest_spawn(1, spin, INT_TO_POINTER(1), NULL, K_PRIO_PREEMPT(4), K_NO_WAIT);
	k_msleep(100);
	stop_spinning = true;
	zassert_ok(k_thread_join(&ktest_threads[0], K_MSEC(100)));
	zassert_ok(k_thread_join(&ktest_threads[1], K_MSEC(100)));
}

/* With time slicing, two busy threads of equal priority both progress; without, the first keeps
 * the CPU.
 */
ZTEST(sched, test_time_slicing)
{
	run_spinners();
	zassert_true(spins[0] > 50, "the first spinner ran %u times", spins[0]);
	zassert_equal(spins[1], 0, "the second spinner ran without time slicing");

	k_sched_time_slice_set(10, K_PRIO_PREEMPT(0));
	run_spinners();
	zassert_true(spins[0] >= 20 && spins[1] >= 20, "spins %u and %u", spins[0], spins[1]);

	/* Only priorities at or below the slicing priority are sliced. */
	k_sched_time_slice_set(10, K_PRIO_PREEMPT(5));
	run_spinners();
	zassert_equal(spins[1], 0, "priority 4 was sliced with the slicing priority at 5");
}

/* Raising a ready thread above the caller's priority runs it at once; lowering the caller below a
 * ready thread does too.
 */
ZTEST(sched, test_priority_set_preempts)
{
	static const int expected[] = {1, 2, 3, 4};

	ktest_log_reset();
	k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(5));
	k_tid_t t = ktest_spawn(0, log_once, INT_TO_POINTER(2), NULL, K_PRIO_PREEMPT(8), K_NO_WAIT);
	ktest_spawn(1, log_once, INT_TO_POINTER(4), NULL, K_PRIO_PREEMPT(7), K_NO_WAIT);
	ktest_log_add(1);
	k_thread_priority_set(t, K_PRIO_PREEMPT(4));
	zassert_equal(k_thread_priority_get(t), K_PRIO_PREEMPT(4));
	ktest_log_add(3);
	k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(9));
	zassert_equal(k_thread_priority_get(k_current_get()), K_PRIO_PREEMPT(9));
	ktest_log_check(expected, 4);
}

/* The sleep of @p timeout, requested as @p ticks ticks: at least that long, less than two ticks
 * more (the tick in progress does not count towards it).
 */
static void check_sleep(k_timeout_t timeout, int64_t ticks)
{
	k_sleep(K_TICKS(1)); /* start just after a tick */
	int64_t start = k_uptime_ticks();
	int32_t left = k_sleep(timeout);
	int64_t slept = k_uptime_ticks() - start;

	zassert_equal(left, 0, "k_sleep() returned %d", left);
	zassert_true(slept >= ticks && slept < ticks + 2, "slept %d ticks for %d", (int)slept,
		     (int)ticks);
}

ZTEST(sched, test_sleep_durations)
{
	static const int32_t ms[] = {1, 2, 10, 25, 100};

	for (size_t i = 0; i < ARRAY_SIZE(ms); i++) {
		check_sleep(K_MSEC(ms[i]), k_ms_to_ticks_ceil64(ms[i]));
	}
	check_sleep(K_TICKS(3), 3);
	check_sleep(K_USEC(1500), k_us_to_ticks_ceil64(1500));
	check_sleep(K_SECONDS(1), CONFIG_SYS_CLOCK_TICKS_PER_SEC);

	int64_t start = k_uptime_get();

	zassert_equal(k_msleep(30), 0);
	zassert_true(k_uptime_get() - start >= 30);
	start = k_uptime_get();
	zassert_equal(k_usleep(20000), 0);
	zassert_true(k_uptime_get() - start >= 20);

	/* K_NO_WAIT only yields. */
	start = k_uptime_ticks();
	zassert_equal(k_sleep(K_NO_WAIT), 0);
	zassert_true(k_uptime_ticks() - start <= 1);
}

static volatile int32_t sleep_left;
static volatile bool woke;

static void sleep_ms(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	sleep_left = k_msleep(POINTER_TO_INT(p1));
	woke = true;
}

/* k_wakeup() ends a sleep early: k_sleep() returns the milliseconds that were left. */
ZTEST(sched, test_wakeup_returns_time_left)
{
	woke = false;
	k_tid_t t = ktest_spawn(0, sleep_ms, INT_TO_POINTER(1000), NULL, K_PRIO_PREEMPT(2),
				K_NO_WAIT);
	k_msleep(100);
	zassert_false(woke);
	k_ticks_t remaining = k_thread_timeout_remaining_ticks(t);

	zassert_true(remaining > k_ms_to_ticks_ceil64(850) && remaining <= k_ms_to_ticks_ceil64(901),
		     "%d ticks remaining", (int)remaining);
	k_wakeup(t);
	k_msleep(1);
	zassert_true(woke);
	zassert_true(sleep_left >= 880 && sleep_left <= 900, "k_msleep() returned %d",
		     sleep_left);
	zassert_equal(k_thread_timeout_remaining_ticks(t), 0);

	/* k_wakeup() of a thread that is not sleeping does nothing. */
	ktest_log_reset();
	t = ktest_spawn(1, take_then_log, INT_TO_POINTER(1), NULL, K_PRIO_PREEMPT(2), K_NO_WAIT);
	k_msleep(1);
	k_wakeup(t);
	k_msleep(10);
	zassert_equal(ktest_log_n, 0, "k_wakeup() woke a thread waiting on a semaphore");
	k_sem_give(&sem);
	k_msleep(1);
	zassert_equal(ktest_log_n, 1);
	k_wakeup(k_current_get());
}

static void sleep_forever(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	sleep_left = k_sleep(K_FOREVER);
	woke = true;
	sleep_left = k_sleep(K_FOREVER);
	woke = false;
}

/* k_sleep(K_FOREVER) suspends the thread: k_wakeup() or k_thread_resume() end it. */
ZTEST(sched, test_sleep_forever)
{
	char state[32];

	woke = false;
	k_tid_t t = ktest_spawn(0, sleep_forever, NULL, NULL, K_PRIO_PREEMPT(2), K_NO_WAIT);
	k_msleep(100);
	zassert_false(woke);
	zassert_not_null(strstr(k_thread_state_str(t, state, sizeof(state)), "suspended"),
			 "state %s", state);
	k_wakeup(t);
	k_msleep(1);
	zassert_true(woke, "k_wakeup() did not end k_sleep(K_FOREVER)");
	zassert_not_equal(sleep_left, 0, "woken early, k_sleep() returned 0");
	k_thread_resume(t);
	k_msleep(1);
	zassert_false(woke, "k_thread_resume() did not end k_sleep(K_FOREVER)");
}

/* Absolute timeouts end at the given uptime. */
ZTEST(sched, test_absolute_timeouts)
{
	k_sleep(K_TICKS(1));
	int64_t start = k_uptime_ticks();
	int64_t until = start + k_ms_to_ticks_ceil64(50);

	zassert_equal(k_sleep(K_TIMEOUT_ABS_TICKS(until)), 0);
	int64_t now = k_uptime_ticks();

	zassert_true(now >= until && now < until + 2, "woke at %d for %d", (int)now, (int)until);

	int64_t deadline_ms = k_uptime_get() + 30;

	zassert_equal(k_sem_take(&sem, K_TIMEOUT_ABS_MS(deadline_ms)), -EAGAIN);
	zassert_true(k_uptime_get() >= deadline_ms);
	zassert_true(k_uptime_get() <= deadline_ms + 1);

	/* A time already past expires at the next tick. */
	start = k_uptime_ticks();
	zassert_equal(k_sem_take(&sem, K_TIMEOUT_ABS_MS(k_uptime_get() - 10)), -EAGAIN);
	zassert_true(k_uptime_ticks() - start <= 1);
	start = k_uptime_ticks();
	zassert_equal(k_sleep(K_TIMEOUT_ABS_MS(0)), 0);
	zassert_true(k_uptime_ticks() - start <= 1);

	/* Given before the absolute timeout: taken. */
	k_sem_give(&sem);
	zassert_ok(k_sem_take(&sem, K_TIMEOUT_ABS_MS(k_uptime_get() + 1000)));
}
