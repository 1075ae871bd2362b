/*
 * Earliest-deadline-first scheduling (CONFIG_SCHED_DEADLINE): among ready threads of equal
 * priority, the one with the earliest deadline (k_thread_deadline_set(), in cycles from now)
 * runs first; priority still comes before deadline.
 */
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#include "ktest.h"

static void deadline_after(void *fixture)
{
	ARG_UNUSED(fixture);
	ktest_reap();
}

ZTEST_SUITE(sched_deadline, NULL, NULL, NULL, deadline_after, NULL);

static void log_once(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	ktest_log_add(POINTER_TO_INT(p1));
}

static int ms_cycles(int ms)
{
	return (int)k_ms_to_cyc_ceil32(ms);
}

/* Ready threads of equal priority whose deadlines are set: earliest first. */
ZTEST(sched_deadline, test_earliest_deadline_first)
{
	static const int expected[] = {1, 2, 3};

	ktest_log_reset();
	k_tid_t a = ktest_spawn(0, log_once, INT_TO_POINTER(3), NULL, K_PRIO_PREEMPT(5), K_NO_WAIT);
	k_tid_t b = ktest_spawn(1, log_once, INT_TO_POINTER(1), NULL, K_PRIO_PREEMPT(5), K_NO_WAIT);
	k_tid_t c = ktest_spawn(2, log_once, INT_TO_POINTER(2), NULL, K_PRIO_PREEMPT(5), K_NO_WAIT);

	/* The worker is cooperative: they are ready, not running. */
	k_thread_deadline_set(a, ms_cycles(30));
	k_thread_deadline_set(b, ms_cycles(10));
	k_thread_deadline_set(c, ms_cycles(20));
	k_msleep(5);
	ktest_log_check(expected, 3);
}

/* Deadlines set before the threads start order them when they start. */
ZTEST(sched_deadline, test_deadline_before_start)
{
	static const int expected[] = {1, 2, 3};

	ktest_log_reset();
	k_tid_t a = ktest_spawn(0, log_once, INT_TO_POINTER(2), NULL, K_PRIO_PREEMPT(5), K_FOREVER);
	k_tid_t b = ktest_spawn(1, log_once, INT_TO_POINTER(3), NULL, K_PRIO_PREEMPT(5), K_FOREVER);
	k_tid_t c = ktest_spawn(2, log_once, INT_TO_POINTER(1), NULL, K_PRIO_PREEMPT(5), K_FOREVER);

	k_thread_deadline_set(a, ms_cycles(20));
	k_thread_deadline_set(b, ms_cycles(30));
	k_thread_deadline_set(c, ms_cycles(10));
	k_thread_start(a);
	k_thread_start(b);
	k_thread_start(c);
	k_msleep(5);
	ktest_log_check(expected, 3);
}

/* A higher priority runs first whatever the deadlines. */
ZTEST(sched_deadline, test_priority_before_deadline)
{
	static const int expected[] = {1, 2, 3};

	ktest_log_reset();
	k_tid_t a = ktest_spawn(0, log_once, INT_TO_POINTER(3), NULL, K_PRIO_PREEMPT(6), K_NO_WAIT);
	k_tid_t b = ktest_spawn(1, log_once, INT_TO_POINTER(1), NULL, K_PRIO_PREEMPT(4), K_NO_WAIT);
	k_tid_t c = ktest_spawn(2, log_once, INT_TO_POINTER(2), NULL, K_PRIO_PREEMPT(6), K_NO_WAIT);

	k_thread_deadline_set(a, ms_cycles(10));
	k_thread_deadline_set(b, ms_cycles(30));
	k_thread_deadline_set(c, ms_cycles(20));
	k_thread_deadline_set(c, ms_cycles(5)); /* a new deadline replaces the old one */
	k_msleep(5);
	ktest_log_check(expected, 3);
}
