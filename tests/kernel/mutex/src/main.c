/*
 * Mutexes, checked against Zephyr 3.7's documentation: every return code, recursive locking,
 * hand-over to the waiters in priority order, and priority inheritance: the owner runs at its
 * most urgent waiter's priority (bounded by CONFIG_PRIORITY_CEILING, -5 here), drops back when it
 * unlocks or when that waiter gives up, and nested mutexes restore the priority the owner had when
 * it locked each of them.
 */
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#include "ktest.h"

static K_MUTEX_DEFINE(m1);
static K_MUTEX_DEFINE(m2);
/* The owner thread reports each step on `done` and waits on `go` for the next. */
static K_SEM_DEFINE(done, 0, 10);
static K_SEM_DEFINE(go, 0, 10);

static void mutex_after(void *fixture)
{
	ARG_UNUSED(fixture);
	ktest_reap();
	/* An aborted owner does not unlock: start each test with fresh mutexes. */
	k_mutex_init(&m1);
	k_mutex_init(&m2);
	k_sem_reset(&done);
	k_sem_reset(&go);
}

ZTEST_SUITE(mutex, NULL, NULL, NULL, mutex_after, NULL);

static volatile int helper_rc[3];

/* Try what a thread that does not own the locked mutex p1 may do. */
static void non_owner(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	struct k_mutex *m = p1;

	helper_rc[0] = k_mutex_unlock(m);
	helper_rc[1] = k_mutex_lock(m, K_NO_WAIT);
	helper_rc[2] = k_mutex_lock(m, K_MSEC(20));
}

ZTEST(mutex, test_return_codes)
{
	struct k_mutex m;

	zassert_ok(k_mutex_init(&m));
	zassert_equal(k_mutex_unlock(&m), -EINVAL, "unlocking an unlocked mutex");
	zassert_ok(k_mutex_lock(&m, K_NO_WAIT));
	zassert_ok(k_mutex_lock(&m, K_NO_WAIT), "the owner locks again");
	zassert_ok(k_mutex_lock(&m, K_FOREVER));

	k_tid_t t = ktest_spawn(0, non_owner, &m, NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	int64_t start = k_uptime_get();

	zassert_ok(k_thread_join(t, K_MSEC(100)));
	zassert_equal(helper_rc[0], -EPERM, "a non-owner unlocked: %d", helper_rc[0]);
	zassert_equal(helper_rc[1], -EBUSY);
	zassert_equal(helper_rc[2], -EAGAIN);
	zassert_true(k_uptime_get() - start >= 20);

	/* Three locks, three unlocks. */
	zassert_ok(k_mutex_unlock(&m));
	zassert_ok(k_mutex_unlock(&m));
	zassert_ok(k_mutex_unlock(&m));
	zassert_equal(k_mutex_unlock(&m), -EINVAL);

	/* K_MUTEX_DEFINE() */
	zassert_ok(k_mutex_lock(&m1, K_NO_WAIT));
	zassert_ok(k_mutex_unlock(&m1));
}

/* Lock p1 (p2: timeout in ms, 0 for K_FOREVER); log p3 and unlock if that worked. */
static void lock_and_log(void *p1, void *p2, void *p3)
{
	int ms = POINTER_TO_INT(p2);
	int id = POINTER_TO_INT(p3);

	helper_rc[id - 1] = k_mutex_lock(p1, ms == 0 ? K_FOREVER : K_MSEC(ms));
	if (helper_rc[id - 1] == 0) {
		ktest_log_add(id);
		k_mutex_unlock(p1);
	}
}

static k_tid_t spawn_waiter(int i, struct k_mutex *m, int timeout_ms, int id, int prio)
{
	ktest_thread_used[i] = true;
	return k_thread_create(&ktest_threads[i], ktest_stacks[i], KTEST_STACK_SIZE, lock_and_log, m,
			       INT_TO_POINTER(timeout_ms), INT_TO_POINTER(id), prio, 0, K_NO_WAIT);
}

/* The last unlock hands the mutex to the highest-priority waiter, the longest-waiting first. */
ZTEST(mutex, test_handover_order)
{
	static const int expected[] = {2, 3, 1};

	ktest_log_reset();
	zassert_ok(k_mutex_lock(&m1, K_NO_WAIT));
	spawn_waiter(0, &m1, 0, 1, K_PRIO_PREEMPT(5));
	k_msleep(1);
	spawn_waiter(1, &m1, 0, 2, K_PRIO_PREEMPT(3));
	k_msleep(1);
	spawn_waiter(2, &m1, 0, 3, K_PRIO_PREEMPT(3));
	k_msleep(1);
	zassert_ok(k_mutex_lock(&m1, K_NO_WAIT));
	zassert_ok(k_mutex_unlock(&m1));
	zassert_equal(ktest_log_n, 0, "handed over before the last unlock");
	zassert_ok(k_mutex_unlock(&m1));
	/* The waiter owns it now, even before it runs. */
	zassert_equal(k_mutex_lock(&m1, K_NO_WAIT), -EBUSY);
	zassert_equal(k_mutex_unlock(&m1), -EPERM);
	k_msleep(5);
	ktest_log_check(expected, 3);
	zassert_ok(k_mutex_lock(&m1, K_NO_WAIT), "the last waiter did not unlock");
	zassert_ok(k_mutex_unlock(&m1));
}

/* The owner: lock p1 (and p2 when not NULL, after the next `go`), report, then unlock on `go`. */
static volatile int owner_prio_before_unlock, owner_prio_after_unlock;

static void owner(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p3);
	k_mutex_lock(p1, K_FOREVER);
	k_sem_give(&done);
	if (p2 != NULL) {
		k_sem_take(&go, K_FOREVER);
		k_mutex_lock(p2, K_FOREVER);
		k_sem_give(&done);
		k_sem_take(&go, K_FOREVER);
		k_mutex_unlock(p2);
		k_sem_give(&done);
	}
	k_sem_take(&go, K_FOREVER);
	owner_prio_before_unlock = k_thread_priority_get(k_current_get());
	k_mutex_unlock(p1);
	owner_prio_after_unlock = k_thread_priority_get(k_current_get());
	k_sem_give(&done);
}

/* Let the owner take one step and wait until it reported. */
static void owner_step(void)
{
	k_sem_give(&go);
	zassert_ok(k_sem_take(&done, K_MSEC(100)), "the owner did not report");
}

/* The owner runs at the priority of its most urgent waiter until it unlocks. */
ZTEST(mutex, test_priority_inheritance)
{
	ktest_log_reset();
	k_tid_t low = ktest_spawn(0, owner, &m1, NULL, K_PRIO_PREEMPT(10), K_NO_WAIT);

	zassert_ok(k_sem_take(&done, K_MSEC(100)));
	zassert_equal(k_thread_priority_get(low), K_PRIO_PREEMPT(10));
	spawn_waiter(1, &m1, 0, 1, K_PRIO_PREEMPT(7));
	k_msleep(1);
	zassert_equal(k_thread_priority_get(low), K_PRIO_PREEMPT(7));
	spawn_waiter(2, &m1, 0, 2, K_PRIO_PREEMPT(4));
	k_msleep(1);
	zassert_equal(k_thread_priority_get(low), K_PRIO_PREEMPT(4));
	/* A less urgent waiter changes nothing. */
	spawn_waiter(3, &m1, 0, 3, K_PRIO_PREEMPT(8));
	k_msleep(1);
	zassert_equal(k_thread_priority_get(low), K_PRIO_PREEMPT(4));

	owner_step();
	zassert_equal(owner_prio_before_unlock, K_PRIO_PREEMPT(4));
	zassert_equal(owner_prio_after_unlock, K_PRIO_PREEMPT(10), "not restored on unlock");
	k_msleep(5);
	static const int expected[] = {2, 1, 3};

	ktest_log_check(expected, 3);
}

/* When the waiter that raised the owner gives up, the owner drops to the next waiter's priority,
 * then to its own.
 */
ZTEST(mutex, test_inheritance_undone_on_timeout)
{
	k_tid_t low = ktest_spawn(0, owner, &m1, NULL, K_PRIO_PREEMPT(10), K_NO_WAIT);

	zassert_ok(k_sem_take(&done, K_MSEC(100)));
	helper_rc[0] = helper_rc[1] = 1;
	spawn_waiter(1, &m1, 60, 1, K_PRIO_PREEMPT(7));
	spawn_waiter(2, &m1, 20, 2, K_PRIO_PREEMPT(4));
	k_msleep(1);
	zassert_equal(k_thread_priority_get(low), K_PRIO_PREEMPT(4));
	k_msleep(30);
	zassert_equal(helper_rc[1], -EAGAIN);
	zassert_equal(k_thread_priority_get(low), K_PRIO_PREEMPT(7),
		      "the owner kept the priority of a waiter that gave up");
	k_msleep(40);
	zassert_equal(helper_rc[0], -EAGAIN);
	zassert_equal(k_thread_priority_get(low), K_PRIO_PREEMPT(10));
	owner_step();
	zassert_equal(owner_prio_before_unlock, K_PRIO_PREEMPT(10));
}

/* Nested mutexes, unlocked in reverse order: each unlock restores the priority the owner had when
 * it locked that mutex.
 */
ZTEST(mutex, test_nested_mutexes)
{
	k_tid_t low = ktest_spawn(0, owner, &m1, &m2, K_PRIO_PREEMPT(10), K_NO_WAIT);

	zassert_ok(k_sem_take(&done, K_MSEC(100))); /* it holds m1 */
	spawn_waiter(1, &m1, 0, 1, K_PRIO_PREEMPT(7));
	k_msleep(1);
	zassert_equal(k_thread_priority_get(low), K_PRIO_PREEMPT(7));
	owner_step(); /* it holds m2 too */
	spawn_waiter(2, &m2, 0, 2, K_PRIO_PREEMPT(4));
	k_msleep(1);
	zassert_equal(k_thread_priority_get(low), K_PRIO_PREEMPT(4));
	owner_step(); /* it unlocked m2 */
	zassert_equal(k_thread_priority_get(low), K_PRIO_PREEMPT(7));
	zassert_equal(helper_rc[1], 0, "the m2 waiter did not get it");
	owner_step(); /* it unlocked m1 */
	zassert_equal(owner_prio_before_unlock, K_PRIO_PREEMPT(7));
	zassert_equal(owner_prio_after_unlock, K_PRIO_PREEMPT(10));
	k_msleep(1);
	zassert_equal(helper_rc[0], 0, "the m1 waiter did not get it");
}

/* Inheritance stops at CONFIG_PRIORITY_CEILING (-5 in this suite's prj.conf). */
ZTEST(mutex, test_priority_ceiling)
{
	BUILD_ASSERT(CONFIG_PRIORITY_CEILING == -5);
	k_tid_t low = ktest_spawn(0, owner, &m1, NULL, K_PRIO_PREEMPT(10), K_NO_WAIT);

	zassert_ok(k_sem_take(&done, K_MSEC(100)));
	spawn_waiter(1, &m1, 0, 1, -2);
	k_msleep(1);
	zassert_equal(k_thread_priority_get(low), -2, "below the ceiling: inherited as is");
	spawn_waiter(2, &m1, 0, 2, K_HIGHEST_THREAD_PRIO);
	k_msleep(1);
	zassert_equal(k_thread_priority_get(low), CONFIG_PRIORITY_CEILING,
		      "inherited %d past the ceiling", k_thread_priority_get(low));
	owner_step();
	zassert_equal(owner_prio_after_unlock, K_PRIO_PREEMPT(10));
}
