/*
 * What the suites of ztest_self share: the run's state and the records the last suite checks.
 */
#ifndef ZTEST_SELF_H_
#define ZTEST_SELF_H_

#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

/* The state test_main() passes to ztest_run_all(): which of its two runs it is. */
struct self_state {
	int pass;
};

bool self_pass_is(const void *state, int pass);

/* The thread test_main() runs in. */
extern k_tid_t self_main_thread;

/* The test object named suite.name, found in the linker section like the runner does. */
const struct ztest_unit_test *self_find_test(const char *suite, const char *name);

/* fixture.c: a record of what ran, one letter each, checked by the verify suite. */
void fixture_log(char c);
const char *fixture_log_get(void);

/* outcomes.c: what the tests of the outcomes suite saw. */
struct outcome_records {
	bool after_assume;
	bool expect_went_on;
	bool after_pass;
	bool after_oops;
	bool helper_after_oops;
	bool skip_setup_test_ran;
	bool after_assert;
	int assert_hook_calls;
	int fault_hook_calls;
	unsigned int fault_hook_reason;
};
extern struct outcome_records outcome_records;

/* cxx_test.cc */
extern int cxx_fixture_checks;

#endif /* ZTEST_SELF_H_ */
