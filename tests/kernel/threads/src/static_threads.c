/*
 * Statically defined threads (K_THREAD_DEFINE): they start after the APPLICATION init level, in
 * priority order (higher priorities than main() before it goes on), after their delay when they
 * have one, and never by themselves with SYS_FOREVER_MS.
 */
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STATIC_STACK_SIZE (768 + CONFIG_TEST_EXTRA_STACK_SIZE)

static volatile char start_order[8];
static volatile int start_count;
static volatile int64_t delayed_start_ms = -1;
static volatile bool forever_ran;
static volatile bool main_ran_before_coop;

static void static_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	unsigned int key = irq_lock();

	start_order[start_count++] = (char)POINTER_TO_INT(p1);
	irq_unlock(key);
}

static void delayed_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	delayed_start_ms = k_uptime_get();
}

static void forever_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	forever_ran = true;
}

/* Defined out of priority order: they must start in priority order. */
K_THREAD_DEFINE(static_low, STATIC_STACK_SIZE, static_entry, 'c', NULL, NULL, K_PRIO_PREEMPT(9), 0,
		0);
K_THREAD_DEFINE(static_coop, STATIC_STACK_SIZE, static_entry, 'a', NULL, NULL, K_PRIO_COOP(3), 0,
		0);
K_THREAD_DEFINE(static_mid, STATIC_STACK_SIZE, static_entry, 'b', NULL, NULL, K_PRIO_PREEMPT(4), 0,
		0);
K_THREAD_DEFINE(static_delayed, STATIC_STACK_SIZE, delayed_entry, NULL, NULL, NULL,
		K_PRIO_PREEMPT(1), 0, 200);
K_THREAD_DEFINE(static_forever, STATIC_STACK_SIZE, forever_entry, NULL, NULL, NULL,
		K_PRIO_PREEMPT(1), 0, SYS_FOREVER_MS);

/* An APPLICATION-level init function runs before any static thread starts. */
static int before_static_threads(void)
{
	main_ran_before_coop = start_count == 0;
	return 0;
}
SYS_INIT(before_static_threads, APPLICATION, 99);

ZTEST(threads, test_static_threads)
{
	zassert_true(main_ran_before_coop, "a static thread started before the APPLICATION level");
	zassert_equal(start_count, 3, "%d static threads started", start_count);
	zassert_equal(start_order[0], 'a');
	zassert_equal(start_order[1], 'b');
	zassert_equal(start_order[2], 'c');
	zassert_str_equal(k_thread_name_get(static_mid), "static_mid");
	zassert_equal(k_thread_priority_get(static_mid), K_PRIO_PREEMPT(4));

	/* The delayed one starts at 200 ms of uptime, not before. */
	if (k_uptime_get() < 190) {
		zassert_equal(delayed_start_ms, -1, "started at %d ms", (int)delayed_start_ms);
	}
	k_sleep(K_TIMEOUT_ABS_MS(210));
	zassert_true(delayed_start_ms >= 200 && delayed_start_ms <= 205, "started at %d ms",
		     (int)delayed_start_ms);

	/* SYS_FOREVER_MS: waits for k_thread_start(). */
	zassert_false(forever_ran);
	k_thread_start(static_forever);
	zassert_ok(k_thread_join(static_forever, K_MSEC(10)));
	zassert_true(forever_ran);
}
