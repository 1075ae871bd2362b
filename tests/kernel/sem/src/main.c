/*
 * Semaphores, checked against Zephyr 3.7's documentation: every return code of k_sem_init() and
 * k_sem_take(), the count limit, the order waiters are woken in (priority, then arrival),
 * k_sem_reset() waking waiters with -EAGAIN, and use from interrupt handlers.
 */
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#include "ktest.h"

static K_SEM_DEFINE(sem, 0, 10);
static K_SEM_DEFINE(binary, 0, 1);
static K_SEM_DEFINE(preset, 2, 5);

static void sem_after(void *fixture)
{
	ARG_UNUSED(fixture);
	ktest_reap();
	k_sem_reset(&sem);
	k_sem_reset(&binary);
}

ZTEST_SUITE(sem, NULL, NULL, NULL, sem_after, NULL);

ZTEST(sem, test_init)
{
	struct k_sem s;

	zassert_equal(k_sem_init(&s, 0, 0), -EINVAL, "a limit of 0");
	zassert_equal(k_sem_init(&s, 4, 3), -EINVAL, "a count above the limit");
	zassert_ok(k_sem_init(&s, 3, 3));
	zassert_equal(k_sem_count_get(&s), 3);
	zassert_ok(k_sem_init(&s, 0, K_SEM_MAX_LIMIT));
	zassert_equal(k_sem_count_get(&s), 0);

	/* K_SEM_DEFINE() */
	zassert_equal(k_sem_count_get(&preset), 2);
}

/* Taking counts down; K_NO_WAIT at 0 is -EBUSY; giving counts up to the limit and no further. */
ZTEST(sem, test_count_and_limit)
{
	struct k_sem s;

	zassert_ok(k_sem_init(&s, 2, 3));
	zassert_ok(k_sem_take(&s, K_NO_WAIT));
	zassert_ok(k_sem_take(&s, K_NO_WAIT));
	zassert_equal(k_sem_count_get(&s), 0);
	zassert_equal(k_sem_take(&s, K_NO_WAIT), -EBUSY);
	for (int i = 0; i < 5; i++) {
		k_sem_give(&s);
	}
	zassert_equal(k_sem_count_get(&s), 3, "the count went past the limit");
	for (int i = 0; i < 3; i++) {
		zassert_ok(k_sem_take(&s, K_NO_WAIT));
	}
	zassert_equal(k_sem_take(&s, K_NO_WAIT), -EBUSY);

	/* A binary semaphore. */
	k_sem_give(&binary);
	k_sem_give(&binary);
	zassert_equal(k_sem_count_get(&binary), 1);
	zassert_ok(k_sem_take(&binary, K_NO_WAIT));
	zassert_equal(k_sem_take(&binary, K_NO_WAIT), -EBUSY);
}

static void give_after(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p3);
	k_msleep(POINTER_TO_INT(p2));
	k_sem_give((struct k_sem *)p1);
}

/* A timeout ends with -EAGAIN after at least its time; a give meanwhile ends it with 0. */
ZTEST(sem, test_take_timeout)
{
	k_sleep(K_TICKS(1));
	int64_t start = k_uptime_ticks();
	int64_t ticks = k_ms_to_ticks_ceil64(20);

	zassert_equal(k_sem_take(&sem, K_MSEC(20)), -EAGAIN);
	int64_t waited = k_uptime_ticks() - start;

	zassert_true(waited >= ticks && waited < ticks + 2, "waited %d ticks for %d", (int)waited,
		     (int)ticks);

	ktest_spawn(0, give_after, &sem, INT_TO_POINTER(10), K_PRIO_PREEMPT(1), K_NO_WAIT);
	start = k_uptime_get();
	zassert_ok(k_sem_take(&sem, K_MSEC(100)));
	waited = k_uptime_get() - start;
	zassert_true(waited >= 10 && waited < 20, "given after %d ms", (int)waited);
	zassert_equal(k_sem_count_get(&sem), 0, "the unit went to the waiter, not the count");

	ktest_spawn(0, give_after, &sem, INT_TO_POINTER(10), K_PRIO_PREEMPT(1), K_NO_WAIT);
	zassert_ok(k_sem_take(&sem, K_FOREVER));

	/* A waiter that timed out is no longer waiting: a later give counts. */
	zassert_equal(k_sem_take(&sem, K_MSEC(5)), -EAGAIN);
	k_sem_give(&sem);
	zassert_equal(k_sem_count_get(&sem), 1);
}

static volatile int take_rc[KTEST_NUM_THREADS];

/* Take the semaphore (p2: timeout in ms, 0 for K_FOREVER), log p1 and record the result. */
static void take_and_log(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p3);
	int id = POINTER_TO_INT(p1);
	int ms = POINTER_TO_INT(p2);

	take_rc[id - 1] = k_sem_take(&sem, ms == 0 ? K_FOREVER : K_MSEC(ms));
	ktest_log_add(id);
}

/* Gives wake the highest-priority waiter, the longest-waiting first among equals. */
ZTEST(sem, test_wake_order)
{
	static const int expected[] = {2, 4, 1, 3};

	ktest_log_reset();
	ktest_spawn(0, take_and_log, INT_TO_POINTER(1), 0, K_PRIO_PREEMPT(5), K_NO_WAIT);
	k_msleep(1);
	ktest_spawn(1, take_and_log, INT_TO_POINTER(2), 0, K_PRIO_PREEMPT(3), K_NO_WAIT);
	k_msleep(1);
	ktest_spawn(2, take_and_log, INT_TO_POINTER(3), 0, K_PRIO_PREEMPT(5), K_NO_WAIT);
	k_msleep(1);
	ktest_spawn(3, take_and_log, INT_TO_POINTER(4), 0, K_PRIO_PREEMPT(3), K_NO_WAIT);
	k_msleep(1);
	zassert_equal(ktest_log_n, 0);
	for (int i = 0; i < 4; i++) {
		k_sem_give(&sem);
		k_msleep(1);
		zassert_equal(ktest_log_n, i + 1, "one give woke %d waiters", ktest_log_n - i);
	}
	ktest_log_check(expected, 4);
	for (int i = 0; i < 4; i++) {
		zassert_equal(take_rc[i], 0);
	}
}

/* k_sem_reset() sets the count to 0 and ends every wait with -EAGAIN. */
ZTEST(sem, test_reset)
{
	k_sem_give(&sem);
	k_sem_give(&sem);
	k_sem_reset(&sem);
	zassert_equal(k_sem_count_get(&sem), 0);
	zassert_equal(k_sem_take(&sem, K_NO_WAIT), -EBUSY);

	ktest_log_reset();
	for (int i = 0; i < 3; i++) {
		take_rc[i] = 1;
		ktest_spawn(i, take_and_log, INT_TO_POINTER(i + 1), INT_TO_POINTER(i == 0 ? 1000 : 0),
			    K_PRIO_PREEMPT(3 + i), K_NO_WAIT);
	}
	k_msleep(1);
	zassert_equal(ktest_log_n, 0);
	k_sem_reset(&sem);
	k_msleep(1);
	zassert_equal(ktest_log_n, 3, "%d of 3 waiters woke", ktest_log_n);
	for (int i = 0; i < 3; i++) {
		zassert_equal(take_rc[i], -EAGAIN, "waiter %d: %d", i + 1, take_rc[i]);
	}
	zassert_equal(k_sem_count_get(&sem), 0);
}

static volatile int isr_rc;

static void give_isr(const void *arg)
{
	k_sem_give((struct k_sem *)arg);
}

static void take_isr(const void *arg)
{
	isr_rc = k_sem_take((struct k_sem *)arg, K_NO_WAIT);
}

static void reset_isr(const void *arg)
{
	k_sem_reset((struct k_sem *)arg);
}

/* Interrupt handlers give, take without waiting, and reset. */
ZTEST(sem, test_isr)
{
	irq_offload(give_isr, &sem);
	zassert_equal(k_sem_count_get(&sem), 1);
	irq_offload(take_isr, &sem);
	zassert_equal(isr_rc, 0);
	irq_offload(take_isr, &sem);
	zassert_equal(isr_rc, -EBUSY);

	/* A give from an ISR wakes a waiter, which preempts a lower-priority thread at once. */
	ktest_log_reset();
	take_rc[0] = 1;
	k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(5));
	ktest_spawn(0, take_and_log, INT_TO_POINTER(1), 0, K_PRIO_PREEMPT(2), K_NO_WAIT);
	irq_offload(give_isr, &sem);
	zassert_equal(ktest_log_n, 1, "the waiter did not run when the ISR returned");
	zassert_equal(take_rc[0], 0);

	take_rc[1] = 1;
	ktest_spawn(1, take_and_log, INT_TO_POINTER(2), 0, K_PRIO_PREEMPT(2), K_NO_WAIT);
	irq_offload(reset_isr, &sem);
	zassert_equal(take_rc[1], -EAGAIN);
}
