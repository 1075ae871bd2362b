/*
 * The thread API, checked against Zephyr 3.7's documentation: creation with and without a start
 * delay, join, abort, suspend and resume, names, custom data, iteration, stack use, thread
 * context queries, state strings and timeouts. The statically defined threads are in
 * static_threads.c.
 *
 * Each test runs in ztest's cooperative worker thread unless it changes its priority.
 */
#include <string.h>

#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#include "ktest.h"

static K_SEM_DEFINE(sem, 0, 10);

static void threads_after(void *fixture)
{
	ARG_UNUSED(fixture);
	ktest_reap();
	k_sem_reset(&sem);
}

ZTEST_SUITE(threads, NULL, NULL, NULL, threads_after, NULL);

static void *volatile got_args[3];
static volatile k_tid_t got_self;
static volatile int64_t started_at;
static volatile int runs;

/* Record its arguments, who it is and when it started. */
static void record(void *p1, void *p2, void *p3)
{
	got_args[0] = p1;
	got_args[1] = p2;
	got_args[2] = p3;
	got_self = k_current_get();
	started_at = k_uptime_ticks();
	runs++;
}

static k_tid_t create_record(int i, int prio, k_timeout_t delay)
{
	return k_thread_create(&ktest_threads[i], ktest_stacks[i], KTEST_STACK_SIZE, record,
			       INT_TO_POINTER(11), INT_TO_POINTER(22), INT_TO_POINTER(33), prio, 0,
			       delay);
}

static bool state_has(k_tid_t thread, const char *word)
{
	char buf[64];

	return strstr(k_thread_state_str(thread, buf, sizeof(buf)), word) != NULL;
}

/* K_NO_WAIT: ready at once (it runs when the cooperative worker blocks), with its arguments. */
ZTEST(threads, test_create_no_wait)
{
	runs = 0;
	ktest_thread_used[0] = true;
	k_tid_t t = create_record(0, K_PRIO_PREEMPT(1), K_NO_WAIT);

	zassert_equal_ptr(t, &ktest_threads[0], "k_thread_create() returns the thread");
	zassert_equal(runs, 0);
	zassert_true(state_has(t, "queued"), "not ready");
	k_msleep(1);
	zassert_equal(runs, 1);
	zassert_equal_ptr(got_self, t);
	zassert_equal(POINTER_TO_INT(got_args[0]), 11);
	zassert_equal(POINTER_TO_INT(got_args[1]), 22);
	zassert_equal(POINTER_TO_INT(got_args[2]), 33);
	zassert_true(state_has(t, "dead"), "the entry returned: the thread ended");
	zassert_ok(k_thread_join(t, K_NO_WAIT));
}

/* A start delay: the thread starts when it has passed, and not before. */
ZTEST(threads, test_create_delayed)
{
	runs = 0;
	ktest_thread_used[0] = true;
	k_sleep(K_TICKS(1));
	int64_t created = k_uptime_ticks();
	int64_t delay = k_ms_to_ticks_ceil64(50);
	k_tid_t t = create_record(0, K_PRIO_PREEMPT(1), K_MSEC(50));

	zassert_true(state_has(t, "prestart"));
	k_ticks_t remaining = k_thread_timeout_remaining_ticks(t);

	zassert_true(remaining > 0 && remaining <= delay + 1, "%d ticks to start", (int)remaining);
	k_msleep(25);
	zassert_equal(runs, 0, "started early");
	zassert_ok(k_thread_join(t, K_MSEC(100)));
	zassert_equal(runs, 1);
	zassert_true(started_at - created >= delay && started_at - created < delay + 2,
		     "started after %d ticks for a delay of %d", (int)(started_at - created),
		     (int)delay);
}

/* K_FOREVER: the thread waits for k_thread_start(); starting it again does nothing. */
ZTEST(threads, test_create_forever_then_start)
{
	runs = 0;
	ktest_thread_used[0] = true;
	k_tid_t t = create_record(0, K_PRIO_PREEMPT(1), K_FOREVER);

	k_msleep(50);
	zassert_equal(runs, 0, "a K_FOREVER thread started by itself");
	zassert_true(state_has(t, "prestart"));
	zassert_equal(k_thread_join(t, K_NO_WAIT), -EBUSY);
	k_thread_start(t);
	k_msleep(1);
	zassert_equal(runs, 1);
	k_thread_start(t);
	k_msleep(1);
	zassert_equal(runs, 1, "k_thread_start() of an ended thread ran it again");

	/* A delayed thread started early. */
	runs = 0;
	t = create_record(0, K_PRIO_PREEMPT(1), K_SECONDS(10));
	k_thread_start(t);
	k_msleep(1);
	zassert_equal(runs, 1);
}

static void sleep_ms(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_msleep(POINTER_TO_INT(p1));
}

static volatile int join_rc[2];

/* Join p1 (a thread) and record the result in join_rc[p2]. */
static void join_thread(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p3);
	join_rc[POINTER_TO_INT(p2)] = k_thread_join((k_tid_t)p1, K_MSEC(500));
}

static void join_in_isr(const void *arg)
{
	join_rc[0] = k_thread_join((k_tid_t)arg, K_NO_WAIT);
}

ZTEST(threads, test_join)
{
	k_tid_t t = ktest_spawn(0, sleep_ms, INT_TO_POINTER(50), NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);

	zassert_equal(k_thread_join(t, K_NO_WAIT), -EBUSY);
	join_rc[0] = 1;
	irq_offload(join_in_isr, t);
	zassert_equal(join_rc[0], -EBUSY, "join from an ISR: %d", join_rc[0]);
	zassert_equal(k_thread_join(t, K_MSEC(20)), -EAGAIN);
	zassert_ok(k_thread_join(t, K_MSEC(100)));
	zassert_ok(k_thread_join(t, K_NO_WAIT), "an ended thread joins at once");
	zassert_ok(k_thread_join(t, K_FOREVER));
	irq_offload(join_in_isr, t);
	zassert_equal(join_rc[0], 0);

	zassert_equal(k_thread_join(k_current_get(), K_FOREVER), -EDEADLK);

	/* Two threads join a third: both wake when it ends. */
	t = ktest_spawn(0, sleep_ms, INT_TO_POINTER(30), NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	join_rc[0] = join_rc[1] = 1;
	ktest_spawn(1, join_thread, t, INT_TO_POINTER(0), K_PRIO_PREEMPT(2), K_NO_WAIT);
	ktest_spawn(2, join_thread, t, INT_TO_POINTER(1), K_PRIO_PREEMPT(3), K_NO_WAIT);
	zassert_ok(k_thread_join(&ktest_threads[1], K_MSEC(100)));
	zassert_ok(k_thread_join(&ktest_threads[2], K_MSEC(100)));
	zassert_equal(join_rc[0], 0);
	zassert_equal(join_rc[1], 0);

	/* A thread that joins the caller: the caller joining it would deadlock. */
	join_rc[0] = 1;
	t = ktest_spawn(1, join_thread, k_current_get(), INT_TO_POINTER(0), K_PRIO_PREEMPT(1),
			K_NO_WAIT);
	k_msleep(1); /* it waits for us now */
	zassert_equal(k_thread_join(t, K_MSEC(10)), -EDEADLK);
	k_thread_abort(t);
}

static volatile bool returned;

static void take_then_flag(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_sem_take(&sem, K_FOREVER);
	returned = true;
}

static void abort_self(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_thread_abort(k_current_get());
	returned = true;
}

/* An aborted thread never runs again, even from inside a wait; its joiners wake. */
ZTEST(threads, test_abort)
{
	returned = false;
	k_tid_t t = ktest_spawn(0, take_then_flag, NULL, NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);

	join_rc[0] = 1;
	ktest_spawn(1, join_thread, t, INT_TO_POINTER(0), K_PRIO_PREEMPT(2), K_NO_WAIT);
	k_msleep(1);
	zassert_true(state_has(t, "pending"));
	k_thread_abort(t);
	zassert_true(state_has(t, "dead"));
	k_msleep(1);
	zassert_equal(join_rc[0], 0, "the joiner of an aborted thread got %d", join_rc[0]);
	k_sem_give(&sem);
	k_msleep(10);
	zassert_false(returned, "an aborted thread returned from its wait");
	zassert_equal(k_sem_count_get(&sem), 1, "an aborted thread took the semaphore");
	k_thread_abort(t); /* again: nothing happens */
	zassert_ok(k_thread_join(t, K_NO_WAIT));

	/* Aborted while waiting with a timeout: the timeout does not bring it back. */
	k_sem_reset(&sem);
	t = ktest_spawn(0, sleep_ms, INT_TO_POINTER(20), NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	k_msleep(1);
	k_thread_abort(t);
	zassert_equal(k_thread_timeout_remaining_ticks(t), 0);
	k_msleep(40);
	zassert_true(state_has(t, "dead"));

	/* A thread that aborts itself ends there. */
	t = ktest_spawn(0, abort_self, NULL, NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	zassert_ok(k_thread_join(t, K_MSEC(10)));
	zassert_false(returned);

	/* A thread not yet started can be aborted. */
	t = ktest_spawn(0, abort_self, NULL, NULL, K_PRIO_PREEMPT(1), K_FOREVER);
	k_thread_abort(t);
	zassert_ok(k_thread_join(t, K_NO_WAIT));
}

static volatile uint32_t ticks_counted;

static void count_ms(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	for (;;) {
		ticks_counted++;
		k_msleep(1);
	}
}

static volatile int32_t sleep_left;

static void sleep_then_flag(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	sleep_left = k_msleep(POINTER_TO_INT(p1));
	returned = true;
}

static void suspend_self(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_thread_suspend(k_current_get());
	returned = true;
}

ZTEST(threads, test_suspend_resume)
{
	/* A suspended thread does not run; resumed, it goes on. */
	ticks_counted = 0;
	k_tid_t t = ktest_spawn(0, count_ms, NULL, NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);

	k_msleep(20);
	zassert_true(ticks_counted > 0);
	k_thread_suspend(t);
	zassert_true(state_has(t, "suspended"));
	uint32_t frozen = ticks_counted;

	k_msleep(20);
	zassert_equal(ticks_counted, frozen, "a suspended thread ran");
	k_thread_resume(t);
	k_msleep(20);
	zassert_true(ticks_counted > frozen, "a resumed thread did not run");
	k_thread_abort(t);

	/* A suspended sleeper does not run when its time is up; resumed, it returns from
	 * k_sleep() at once, with the time that was left if any.
	 */
	returned = false;
	t = ktest_spawn(0, sleep_then_flag, INT_TO_POINTER(50), NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	k_msleep(10);
	k_thread_suspend(t);
	k_msleep(100);
	zassert_false(returned, "a suspended sleeper ran");
	k_thread_resume(t);
	k_msleep(1);
	zassert_true(returned, "a resumed sleeper did not return from k_sleep()");
	zassert_equal(sleep_left, 0, "k_msleep() returned %d after its time", sleep_left);

	returned = false;
	t = ktest_spawn(0, sleep_then_flag, INT_TO_POINTER(50), NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	k_msleep(10);
	k_thread_suspend(t);
	k_msleep(10);
	zassert_false(returned);
	k_thread_resume(t);
	k_msleep(1);
	zassert_true(returned, "a resumed sleeper did not return from k_sleep()");
	zassert_true(sleep_left >= 27 && sleep_left <= 30, "k_msleep() returned %d", sleep_left);

	/* Suspending oneself switches away at once. */
	returned = false;
	t = ktest_spawn(0, suspend_self, NULL, NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	k_msleep(10);
	zassert_false(returned);
	zassert_true(state_has(t, "suspended"));
	k_thread_resume(t);
	zassert_ok(k_thread_join(t, K_MSEC(10)));
	zassert_true(returned);

	/* Resuming a thread that is not suspended does nothing. */
	k_thread_resume(k_current_get());
	k_thread_resume(t);

}

ZTEST(threads, test_names)
{
	char buf[CONFIG_THREAD_MAX_NAME_LEN];
	k_tid_t self = k_current_get();

	zassert_ok(k_thread_name_set(NULL, "worker"), "NULL names the caller");
	zassert_str_equal(k_thread_name_get(self), "worker");
	zassert_ok(k_thread_name_set(self, "tester"));
	zassert_str_equal(k_thread_name_get(self), "tester");
	zassert_ok(k_thread_name_copy(self, buf, sizeof(buf)));
	zassert_str_equal(buf, "tester");
	zassert_ok(k_thread_name_copy(self, buf, 7), "room for the name and its NUL");
	zassert_equal(k_thread_name_copy(self, buf, 6), -ENOSPC);
	zassert_equal(k_thread_name_copy(self, buf, 0), -ENOSPC);

	/* Too long: the name is cut to CONFIG_THREAD_MAX_NAME_LEN - 1 characters. */
	char long_name[CONFIG_THREAD_MAX_NAME_LEN + 8];

	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	(void)k_thread_name_set(self, long_name);
	zassert_equal(strlen(k_thread_name_get(self)), CONFIG_THREAD_MAX_NAME_LEN - 1);

	/* Another thread's name; a new thread has an empty one. */
	k_tid_t t = ktest_spawn(0, sleep_ms, INT_TO_POINTER(10), NULL, K_PRIO_PREEMPT(1),
				K_FOREVER);

	zassert_str_equal(k_thread_name_get(t), "");
	zassert_ok(k_thread_name_set(t, "helper"));
	zassert_ok(k_thread_name_copy(t, buf, sizeof(buf)));
	zassert_str_equal(buf, "helper");
	zassert_str_equal(k_thread_name_get(k_current_get()), long_name + 8);
}

static void *volatile helper_data;

static void custom_data_helper(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	helper_data = k_thread_custom_data_get();
	k_thread_custom_data_set(p1);
	k_msleep(1);
	helper_data = k_thread_custom_data_get();
}

/* Custom data is per thread. */
ZTEST(threads, test_custom_data)
{
	static int mine, theirs;

	k_thread_custom_data_set(&mine);
	zassert_equal_ptr(k_thread_custom_data_get(), &mine);
	helper_data = &mine;
	k_tid_t t = ktest_spawn(0, custom_data_helper, &theirs, NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);

	zassert_ok(k_thread_join(t, K_MSEC(10)));
	zassert_equal_ptr(helper_data, &theirs);
	zassert_equal_ptr(k_thread_custom_data_get(), &mine, "another thread changed ours");
	k_thread_custom_data_set(NULL);
	zassert_is_null(k_thread_custom_data_get());
}

static void count_thread(const struct k_thread *thread, void *user_data)
{
	ARG_UNUSED(thread);
	(*(int *)user_data)++;
}

static void find_thread(const struct k_thread *thread, void *user_data)
{
	if (thread == user_data) {
		runs++;
	}
}

/* k_thread_foreach() visits every thread that exists: created, not yet ended. */
ZTEST(threads, test_foreach)
{
	int before = 0, during = 0, unlocked = 0, after = 0;

	k_thread_foreach(count_thread, &before);
	zassert_true(before >= 3, "only %d threads (idle, main, the test's own)", before);
	ktest_spawn(0, sleep_ms, INT_TO_POINTER(10), NULL, K_PRIO_PREEMPT(1), K_FOREVER);
	ktest_spawn(1, sleep_ms, INT_TO_POINTER(10), NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	k_thread_foreach(count_thread, &during);
	zassert_equal(during, before + 2);
	k_thread_foreach_unlocked(count_thread, &unlocked);
	zassert_equal(unlocked, before + 2);
	runs = 0;
	k_thread_foreach(find_thread, k_current_get());
	zassert_equal(runs, 1, "the caller is visited once");
	k_thread_abort(&ktest_threads[0]);
	zassert_ok(k_thread_join(&ktest_threads[1], K_MSEC(100)));
	k_thread_foreach(count_thread, &after);
	zassert_equal(after, before);
}

/* In a function of its own: the array is below whatever the caller's frame uses. */
static __noinline char fill_big_array(void)
{
	volatile char big[512];

	for (size_t i = 0; i < sizeof(big); i++) {
		big[i] = (char)i;
	}
	return big[0];
}

static void use_stack(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_sem_take(&sem, K_FOREVER);
	*(volatile char *)p1 = fill_big_array();
	k_sem_take(&sem, K_FOREVER);
}

/* CONFIG_INIT_STACKS: the unused stack shrinks when the thread uses a big local array. */
ZTEST(threads, test_stack_space)
{
	static volatile char sink;
	size_t fresh, before, after;
	k_tid_t t = ktest_spawn(0, use_stack, (void *)&sink, NULL, K_PRIO_PREEMPT(1), K_FOREVER);
	int rc = k_thread_stack_space_get(t, &fresh);

	if (rc == -ENOTSUP) {
		ztest_test_skip(); /* native_sim: threads run on host stacks */
	}
	zassert_ok(rc);
	zassert_true(fresh <= KTEST_STACK_SIZE && fresh >= KTEST_STACK_SIZE - 128,
		     "%u unused of %u before it ran", (unsigned int)fresh,
		     (unsigned int)KTEST_STACK_SIZE);
	k_thread_start(t);
	k_msleep(1);
	zassert_ok(k_thread_stack_space_get(t, &before));
	zassert_true(before < fresh);
	k_sem_give(&sem);
	k_msleep(1);
	zassert_ok(k_thread_stack_space_get(t, &after));
	/* The array went deeper than the waits before it did. */
	zassert_true(before - after >= 256, "%u unused before, %u after using 512 bytes",
		     (unsigned int)before, (unsigned int)after);
	zassert_true(KTEST_STACK_SIZE - after >= 512, "%u unused after using 512 bytes",
		     (unsigned int)after);

	zassert_ok(k_thread_stack_space_get(k_current_get(), &before));
	zassert_true(before > 0 && before < CONFIG_ZTEST_STACK_SIZE + CONFIG_TEST_EXTRA_STACK_SIZE);
}

static volatile int isr_in_isr, isr_preempt;

static void context_isr(const void *arg)
{
	ARG_UNUSED(arg);
	isr_in_isr = k_is_in_isr();
	isr_preempt = k_is_preempt_thread();
}

static volatile int thread_in_isr = -1, thread_preempt = -1;

static void context_thread(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	thread_in_isr = k_is_in_isr();
	thread_preempt = k_is_preempt_thread();
	got_self = k_current_get();
}

/* k_current_get(), k_is_in_isr(), k_is_preempt_thread() in each context. */
ZTEST(threads, test_context_queries)
{
	zassert_false(k_is_in_isr());
	zassert_false(k_is_preempt_thread(), "the worker is cooperative");
	zassert_equal(k_thread_priority_get(k_current_get()), CONFIG_ZTEST_THREAD_PRIORITY);

	k_tid_t t = ktest_spawn(0, context_thread, NULL, NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);

	zassert_ok(k_thread_join(t, K_MSEC(10)));
	zassert_equal_ptr(got_self, t);
	zassert_equal(thread_in_isr, 0);
	zassert_equal(thread_preempt, 1);
	zassert_not_equal(k_current_get(), t);

	irq_offload(context_isr, NULL);
	zassert_equal(isr_in_isr, 1);
	zassert_equal(isr_preempt, 0, "an ISR is not a preemptible thread");

	k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(3));
	zassert_true(k_is_preempt_thread());
	k_sched_lock();
	zassert_false(k_is_preempt_thread(), "a thread that locked the scheduler");
	k_sched_unlock();
	zassert_true(k_is_preempt_thread());
}

/* The state string names the states a thread is in. */
ZTEST(threads, test_state_str)
{
	char buf[64];
	k_tid_t t = ktest_spawn(0, take_then_flag, NULL, NULL, K_PRIO_PREEMPT(1), K_FOREVER);

	zassert_true(state_has(t, "prestart"));
	k_thread_start(t);
	zassert_true(state_has(t, "queued"));
	k_msleep(1);
	zassert_true(state_has(t, "pending"));
	k_thread_suspend(t);
	zassert_true(state_has(t, "pending") && state_has(t, "suspended"), "%s",
		     k_thread_state_str(t, buf, sizeof(buf)));
	k_thread_resume(t);
	k_thread_abort(t);
	zassert_true(state_has(t, "dead"));

	t = ktest_spawn(0, sleep_ms, INT_TO_POINTER(100), NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	k_msleep(1);
	zassert_true(state_has(t, "sleeping"));

	/* As much as fits, always terminated. */
	const char *s = k_thread_state_str(t, buf, 4);

	zassert_equal_ptr(s, buf);
	zassert_true(strlen(buf) < 4);
	zassert_str_equal(k_thread_state_str(t, buf, 0), "");
	zassert_str_equal(k_thread_state_str(t, NULL, 10), "");
}

/* The time left before a waiting thread runs again, and when that is. */
ZTEST(threads, test_timeout_remaining)
{
	k_tid_t t = ktest_spawn(0, sleep_ms, INT_TO_POINTER(100), NULL, K_PRIO_PREEMPT(1),
				K_NO_WAIT);

	k_msleep(1);
	/* No tick between the three readings. */
	unsigned int key = irq_lock();
	int64_t now = k_uptime_ticks();
	k_ticks_t remaining = k_thread_timeout_remaining_ticks(t);
	k_ticks_t expires = k_thread_timeout_expires_ticks(t);

	irq_unlock(key);
	int64_t full = k_ms_to_ticks_ceil64(100);

	zassert_true(remaining > full - k_ms_to_ticks_ceil64(2) && remaining <= full,
		     "%d ticks remaining of %d", (int)remaining, (int)full);
	zassert_equal(expires, now + remaining, "expires at %d, now %d + %d", (int)expires,
		      (int)now, (int)remaining);
	k_msleep(50);
	zassert_true(k_thread_timeout_remaining_ticks(t) < remaining);

	/* Not waiting: nothing remains, and it "expires" now. */
	zassert_equal(k_thread_timeout_remaining_ticks(k_current_get()), 0);
	key = irq_lock();
	now = k_uptime_ticks();
	expires = k_thread_timeout_expires_ticks(k_current_get());
	irq_unlock(key);
	zassert_equal(expires, now, "expires at %d, now %d", (int)expires, (int)now);
}
