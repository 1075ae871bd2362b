/*
 * Tests that end other than by returning: a failed assumption, ztest_test_pass/skip(), expected
 * failures, expected faults in the test's thread and in a helper thread. The verify suite checks
 * how each was counted.
 */
#include "ztest_self.h"

struct outcome_records outcome_records;

ZTEST(outcomes, test_assume_skips)
{
	zassume_true(false, "skipping on purpose");
	outcome_records.after_assume = true;
}

ZTEST_EXPECT_FAIL(outcomes, test_expect_fails_and_goes_on);
ZTEST(outcomes, test_expect_fails_and_goes_on)
{
	zexpect_equal(1, 2, "failing on purpose");
	outcome_records.expect_went_on = true;
}

ZTEST_EXPECT_FAIL(outcomes, test_assert_fails_as_expected);
ZTEST(outcomes, test_assert_fails_as_expected)
{
	zassert_true(false, "failing on purpose");
}

ZTEST(outcomes, test_pass_early)
{
	ztest_test_pass();
	outcome_records.after_pass = true;
}

ZTEST(outcomes, test_skip_explicit)
{
	ztest_test_skip();
}

ZTEST_EXPECT_SKIP(outcomes, test_skip_as_expected);
ZTEST(outcomes, test_skip_as_expected)
{
	ztest_test_skip();
}

void ztest_post_fatal_error_hook(unsigned int reason, const struct arch_esf *pEsf)
{
	ARG_UNUSED(pEsf);
	outcome_records.fault_hook_calls++;
	outcome_records.fault_hook_reason = reason;
}

ZTEST(outcomes, test_expected_oops)
{
	ztest_set_fault_valid(true);
	k_oops();
	outcome_records.after_oops = true;
}

#define HELPER_STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
static K_THREAD_STACK_DEFINE(helper_stack, HELPER_STACK_SIZE);
static struct k_thread helper_thread;

static void oops_helper(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	ztest_set_fault_valid(true);
	k_oops();
	outcome_records.helper_after_oops = true;
}

/* The helper's fault ends the helper; the test goes on to its own verdict. */
ZTEST(outcomes, test_expected_oops_in_helper)
{
	k_thread_create(&helper_thread, helper_stack, K_THREAD_STACK_SIZEOF(helper_stack),
			oops_helper, NULL, NULL, NULL, K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
	zassert_ok(k_thread_join(&helper_thread, K_FOREVER));
	zassert_false(outcome_records.helper_after_oops);
}

static void assert_helper(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	zassert_true(false, "a helper thread fails the test on purpose");
}

/* An assertion failing in a helper thread ends the test too. */
ZTEST_EXPECT_FAIL(outcomes, test_helper_assert_fails_test);
ZTEST(outcomes, test_helper_assert_fails_test)
{
	k_thread_create(&helper_thread, helper_stack, K_THREAD_STACK_SIZEOF(helper_stack),
			assert_helper, NULL, NULL, NULL, K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
	k_thread_join(&helper_thread, K_FOREVER);
	zassert_unreachable("the test went on after its helper failed");
}

void ztest_post_assert_fail_hook(void)
{
	outcome_records.assert_hook_calls++;
}

/* A failed __ASSERT() reports, then calls assert_post_action(), which ztest provides. */
ZTEST(outcomes, test_expected_assert)
{
	volatile int one = 1;

	ztest_set_assert_valid(true);
	__ASSERT(one == 2, "failing on purpose");
	outcome_records.after_assert = true;
}

ZTEST_EXPECT_FAIL(outcomes, test_unexpected_assert);
ZTEST(outcomes, test_unexpected_assert)
{
	volatile int one = 1;

	__ASSERT_NO_MSG(one == 2);
	outcome_records.after_assert = true;
}

ZTEST_SUITE(outcomes, NULL, NULL, NULL, NULL, NULL);

/* A setup that skips: every test of the suite is skipped. */
static void *skip_setup_setup(void)
{
	ztest_test_skip();
	return NULL;
}

ZTEST(skip_setup, test_never_runs)
{
	outcome_records.skip_setup_test_ran = true;
}

ZTEST_SUITE(skip_setup, NULL, skip_setup_setup, NULL, NULL, NULL);
