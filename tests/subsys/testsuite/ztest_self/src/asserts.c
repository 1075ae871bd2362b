/*
 * Every assertion, assumption and expectation, on conditions that hold: none may end a test.
 */
#include <string.h>

#include "ztest_self.h"

static int zero(void)
{
	return 0;
}

static int minus_five(void)
{
	return -5;
}

ZTEST(asserts, test_booleans)
{
	zassert_true(1 == 1);
	zassert_true(true, "with a message");
	zassert_false(1 == 2, "with %s", "arguments");
	zassert_ok(zero());
	zassert_not_ok(minus_five());
	zassume_true(true);
	zassume_false(false);
	zassume_ok(zero());
	zassume_not_ok(minus_five());
	zexpect_true(true);
	zexpect_false(false);
	zexpect_ok(zero());
	zexpect_not_ok(minus_five(), "%d", minus_five());
}

ZTEST(asserts, test_pointers)
{
	int x = 0;
	int *p = &x;
	int *null = NULL;

	zassert_is_null(null);
	zassert_not_null(p);
	zassert_equal_ptr(p, &x);
	zassume_is_null(null);
	zassume_not_null(p);
	zassume_equal_ptr(p, &x);
	zexpect_is_null(null);
	zexpect_not_null(p, "p is %p", p);
	zexpect_equal_ptr(p, &x);
}

ZTEST(asserts, test_equality)
{
	zassert_equal(2 + 2, 4);
	zassert_not_equal(2 + 2, 5, "arithmetic");
	zassert_within(98, 100, 2);
	zassert_within(102, 100, 2);
	zassert_between_inclusive(5, 5, 7);
	zassert_between_inclusive(7, 5, 7);
	zassume_equal(1, 1);
	zassume_not_equal(1, 2);
	zassume_within(10, 11, 1);
	zassume_between_inclusive(6, 5, 7);
	zexpect_equal(1, 1);
	zexpect_not_equal(1, 2);
	zexpect_within(-3, -2, 1);
	zexpect_between_inclusive(-6, -7, -5);
}

ZTEST(asserts, test_memory_and_strings)
{
	static const char expected[] = "gale";
	char buf[5];

	memcpy(buf, expected, sizeof(buf));
	zassert_mem_equal(buf, expected, sizeof(buf));
	zassert_mem_equal(buf, expected, 4, "first %d bytes", 4);
	zassert_str_equal(buf, "gale");
	zassume_mem_equal(buf, expected, sizeof(buf));
	zassume_str_equal(buf, expected);
	zexpect_mem_equal(buf, expected, sizeof(buf));
	zexpect_str_equal(buf, expected, "strings");
}

/* The message may be NULL, as older Zephyr tests write it. */
ZTEST(asserts, test_null_message)
{
	zassert_true(true, NULL);
	zassert_equal(1, 1, NULL);
}

ZTEST(asserts, test_runs_in_own_thread)
{
	zassert_not_null(self_main_thread);
	zassert_not_equal(k_current_get(), self_main_thread, "the test runs in test_main's thread");
	zassert_equal(k_thread_priority_get(k_current_get()), CONFIG_ZTEST_THREAD_PRIORITY);
}

/* Sleeps, so that its duration (checked by the verify suite) is not zero. */
ZTEST(asserts, test_sleeps)
{
	int64_t start = k_uptime_get();

	k_msleep(20);
	zassert_true(k_uptime_get() - start >= 20);
}

ZTEST_USER(asserts, test_user)
{
	zassert_not_equal(k_current_get(), self_main_thread);
}

/* Test data may be marked for a user-mode memory partition; here that means nothing. */
ZTEST_BMEM static int bmem_value;
ZTEST_DMEM static int dmem_value = 7;

ZTEST(asserts, test_memory_partition_markers)
{
	bmem_value = dmem_value;
	zassert_equal(bmem_value, 7);
}

ZTEST_SUITE(asserts, NULL, NULL, ztest_simple_1cpu_before, ztest_simple_1cpu_after, NULL);
