/*
 * ztest_self: ztest checked with itself. test_main() runs the suites twice; the suites of the
 * second run check the records of the first (tests skipped, expected failures, fixtures, rules,
 * the suites a predicate kept from running).
 */
#include <string.h>

#include "ztest_self.h"

k_tid_t self_main_thread;

bool self_pass_is(const void *state, int pass)
{
	return state != NULL && ((const struct self_state *)state)->pass == pass;
}

const struct ztest_unit_test *self_find_test(const char *suite, const char *name)
{
	for (const struct ztest_unit_test *t = _ztest_unit_test_list_start;
	     t < _ztest_unit_test_list_end; t++) {
		if (strcmp(t->test_suite_name, suite) == 0 && strcmp(t->name, name) == 0) {
			return t;
		}
	}
	return NULL;
}

/* Rules run around every test of every suite. */
static unsigned int rule_before_calls;
static unsigned int rule_after_calls;

static void rule_before(const struct ztest_unit_test *test, void *data)
{
	ARG_UNUSED(data);
	rule_before_calls++;
	if (strcmp(test->test_suite_name, "fixture") == 0) {
		fixture_log('r');
	}
}

static void rule_after(const struct ztest_unit_test *test, void *data)
{
	ARG_UNUSED(data);
	rule_after_calls++;
	if (strcmp(test->test_suite_name, "fixture") == 0) {
		fixture_log('R');
	}
}

ZTEST_RULE(self_rule, rule_before, rule_after);

void test_main(void)
{
	struct self_state state = {.pass = 1};

	self_main_thread = k_current_get();
	ztest_run_all(&state, false, 1, 1);
	state.pass = 2;
	ztest_run_all(&state, false, 1, 1);
}

/* A suite whose predicate never accepts: it never runs. */
static bool never_ran;

static bool never_predicate(const void *state)
{
	ARG_UNUSED(state);
	return false;
}

ZTEST(never, test_never)
{
	never_ran = true;
	ztest_test_fail();
}

ZTEST_SUITE(never, never_predicate, NULL, NULL, NULL, NULL);

/* The second run: check the first. */
static bool verify_predicate(const void *state)
{
	return self_pass_is(state, 2);
}

static void expect_counts(const char *suite, const char *name, uint32_t pass, uint32_t fail,
			  uint32_t skip)
{
	const struct ztest_unit_test *t = self_find_test(suite, name);

	zassert_not_null(t, "no test %s.%s", suite, name);
	zassert_equal(t->stats->run_count, pass + fail + skip, "%s.%s ran %u times", suite, name,
		      (unsigned int)t->stats->run_count);
	zassert_equal(t->stats->pass_count, pass, "%s.%s passed %u times", suite, name,
		      (unsigned int)t->stats->pass_count);
	zassert_equal(t->stats->fail_count, fail, "%s.%s failed %u times", suite, name,
		      (unsigned int)t->stats->fail_count);
	zassert_equal(t->stats->skip_count, skip, "%s.%s skipped %u times", suite, name,
		      (unsigned int)t->stats->skip_count);
}

ZTEST(verify, test_counts)
{
	zassert_equal(ZTEST_SUITE_COUNT, 7);
	zassert_true(ZTEST_TEST_COUNT >= 20, "only %d tests", (int)ZTEST_TEST_COUNT);
}

ZTEST(verify, test_durations_measured)
{
	const struct ztest_unit_test *t = self_find_test("asserts", "test_sleeps");

	zassert_not_null(t);
	zassert_true(t->stats->duration_worst_ms >= 20, "test_sleeps took %u ms",
		     (unsigned int)t->stats->duration_worst_ms);
}

ZTEST(verify, test_predicate_kept_suite_from_running)
{
	zassert_false(never_ran);
	expect_counts("never", "test_never", 0, 0, 0);
}

ZTEST(verify, test_suites_without_predicate_ran_once)
{
	expect_counts("asserts", "test_equality", 1, 0, 0);
	expect_counts("fixture", "test_1_first", 1, 0, 0);
}

ZTEST(verify, test_assumption_skipped)
{
	expect_counts("outcomes", "test_assume_skips", 0, 0, 1);
	zassert_false(outcome_records.after_assume, "the test went on after a failed assumption");
}

ZTEST(verify, test_expectations)
{
	/* Expected to fail (ZTEST_EXPECT_FAIL) and failed: counted as passed. */
	expect_counts("outcomes", "test_expect_fails_and_goes_on", 1, 0, 0);
	zassert_true(outcome_records.expect_went_on, "a failed zexpect ended the test");
	expect_counts("outcomes", "test_assert_fails_as_expected", 1, 0, 0);
	expect_counts("outcomes", "test_skip_as_expected", 1, 0, 0);
}

ZTEST(verify, test_pass_and_skip_end_the_test)
{
	expect_counts("outcomes", "test_pass_early", 1, 0, 0);
	zassert_false(outcome_records.after_pass, "the test went on after ztest_test_pass()");
	expect_counts("outcomes", "test_skip_explicit", 0, 0, 1);
}

ZTEST(verify, test_expected_faults)
{
	expect_counts("outcomes", "test_expected_oops", 1, 0, 0);
	expect_counts("outcomes", "test_expected_oops_in_helper", 1, 0, 0);
	zassert_false(outcome_records.after_oops, "the test went on after its own oops");
	zassert_false(outcome_records.helper_after_oops, "the helper went on after its oops");
	zassert_equal(outcome_records.fault_hook_calls, 2);
	zassert_equal(outcome_records.fault_hook_reason, K_ERR_KERNEL_OOPS);
	expect_counts("outcomes", "test_helper_assert_fails_test", 1, 0, 0);
}

ZTEST(verify, test_assert_hook)
{
	expect_counts("outcomes", "test_expected_assert", 1, 0, 0);
	expect_counts("outcomes", "test_unexpected_assert", 1, 0, 0);
	zassert_equal(outcome_records.assert_hook_calls, 1);
	zassert_false(outcome_records.after_assert, "the test went on after assert_post_action()");
}

ZTEST(verify, test_setup_skip_skips_suite)
{
	expect_counts("skip_setup", "test_never_runs", 0, 0, 1);
	zassert_false(outcome_records.skip_setup_test_ran);
}

ZTEST(verify, test_fixture_sequence)
{
	/* Setup, then per test: rule, before, test, after, rule; then teardown. */
	zassert_str_equal(fixture_log_get(), "SrB1ARrB2ARrB3ARD");
}

ZTEST(verify, test_rules_run_around_every_test)
{
	/* This test's before rule ran; its after rule has not yet. */
	zassert_equal(rule_before_calls, rule_after_calls + 1, "before %u, after %u",
		      rule_before_calls, rule_after_calls);
	zassert_true(rule_before_calls > 20, "rules ran %u times", rule_before_calls);
}

ZTEST(verify, test_cxx_suite_ran)
{
	zassert_equal(cxx_fixture_checks, 2);
	expect_counts("cxx", "test_fixture", 1, 0, 0);
}

ZTEST_SUITE(verify, verify_predicate, NULL, NULL, NULL, NULL);
