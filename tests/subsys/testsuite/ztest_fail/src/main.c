/*
 * Deliberately failing tests: tests/e2e/ztest_fail_test.sh checks that each failure is reported
 * where it happened, that the run goes on after it, and that the project fails. The lines the
 * script looks for are marked "e2e:".
 */
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

static bool after_failed_assert;
static bool after_expectations;

ZTEST(failing, test_a_passes)
{
	zassert_true(true);
}

ZTEST(failing, test_b_assert_fails)
{
	zassert_equal(1 + 1, 3, "arithmetic says %d", 1 + 1); /* e2e: assert */
	after_failed_assert = true;
}

/* The failed assertion ended its test's thread, and only that: this test runs. */
ZTEST(failing, test_c_runs_after_failure)
{
	zassert_false(after_failed_assert, "the test went on after its assertion failed");
}

ZTEST(failing, test_d_expectations_fail)
{
	zexpect_equal(2, 3); /* e2e: expect 1 */
	zexpect_true(false, "second expectation"); /* e2e: expect 2 */
	after_expectations = true;
}

ZTEST(failing, test_e_expectations_went_on)
{
	zassert_true(after_expectations, "a failed zexpect ended its test");
}

/* No ztest_set_fault_valid(): the oops fails the test, and the run goes on. */
ZTEST(failing, test_f_unexpected_oops)
{
	k_oops();
}

ZTEST(failing, test_g_runs_after_oops)
{
	zassert_true(true);
}

static K_THREAD_STACK_DEFINE(helper_stack, 1024 + CONFIG_TEST_EXTRA_STACK_SIZE);
static struct k_thread helper_thread;

static void oops_helper(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_oops();
}

/* An unexpected fault in a helper thread fails the test that started it, and ends it. */
ZTEST(failing, test_h_helper_oops)
{
	k_thread_create(&helper_thread, helper_stack, K_THREAD_STACK_SIZEOF(helper_stack),
			oops_helper, NULL, NULL, NULL, K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
	k_thread_join(&helper_thread, K_FOREVER);
	printk("the test went on after its helper's unexpected fault\n");
}

ZTEST_SUITE(failing, NULL, NULL, NULL, NULL, NULL);

/* The after function fails the test it follows; the teardown fails the suite. */
static void hooks_fail_after(void *fixture)
{
	ARG_UNUSED(fixture);
	zassert_unreachable("after fails"); /* e2e: after */
}

static void hooks_fail_teardown(void *fixture)
{
	ARG_UNUSED(fixture);
	zassert_unreachable("teardown fails"); /* e2e: teardown */
}

ZTEST(hooks_fail, test_passes_but_after_fails)
{
}

ZTEST_SUITE(hooks_fail, NULL, NULL, NULL, hooks_fail_after, hooks_fail_teardown);

static void *setup_fails_setup(void)
{
	zassert_unreachable("setup fails"); /* e2e: setup */
	return NULL;
}

ZTEST(setup_fails, test_never_runs)
{
	zassert_unreachable("a test ran although its suite's setup failed");
}

ZTEST_SUITE(setup_fails, NULL, setup_fails_setup, NULL, NULL, NULL);
