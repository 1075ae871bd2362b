#!/usr/bin/env bash
# A ztest application with failing tests (tests/subsys/testsuite/ztest_fail) on BOARD: each
# failure is reported with its file and line, the run goes on after it, the summary counts it,
# and the project fails with a nonzero exit status.
E2E_SUFFIX=-$1
source "$(dirname "$0")/lib.sh"
board=$1
app=$GALE_BASE/tests/subsys/testsuite/ztest_fail
src=$app/src/main.c
dir=$WORK/build
build_app "$app" "$board" "$dir"

rc=0
out=$(run_to_exit "$board" "$dir" "${ZTEST_TIMEOUT:-120}") || rc=$?
printf '%s\n' "$out"
[ "$rc" -ne 124 ] || fail "$board: ztest_fail still running after the time bound"
[ "$rc" -ne 0 ] || fail "$board: ztest_fail exited with status 0"

line_of() { grep -n "e2e: $1" "$src" | cut -d: -f1; }
expect_line() {
  grep -qxF -- "$1" <<<"$out" || fail "$board: no line '$1' in the output"
}
expect_match() {
  grep -qE -- "$1" <<<"$out" || fail "$board: no line matching '$1' in the output"
}

expect_line "Running TESTSUITE failing"
expect_line "==================================================================="
expect_line "START - test_a_passes"
expect_match "^ PASS - test_a_passes in [0-9]+\.[0-9]{3} seconds$"
expect_line "    Assertion failed at $src:$(line_of assert): failing_test_b_assert_fails: 1 + 1 not equal to 3"
expect_line "arithmetic says 2"
expect_match "^ FAIL - test_b_assert_fails in [0-9]+\.[0-9]{3} seconds$"
expect_match "^ PASS - test_c_runs_after_failure in "
expect_line "    Expectation failed at $src:$(line_of 'expect 1'): failing_test_d_expectations_fail: 2 not equal to 3"
expect_line "    Expectation failed at $src:$(line_of 'expect 2'): failing_test_d_expectations_fail: false is false"
expect_line "second expectation"
expect_match "^ FAIL - test_d_expectations_fail in "
expect_match "^ PASS - test_e_expectations_went_on in "
expect_line "Fatal error was unexpected, aborting..."
expect_match "^ FAIL - test_f_unexpected_oops in "
expect_match "^ PASS - test_g_runs_after_oops in "
expect_match "^ FAIL - test_h_helper_oops in "
expect_line "TESTSUITE failing failed."
expect_line "    Assertion failed at $src:$(line_of after): hooks_fail_after: Reached unreachable code"
expect_match "^ FAIL - test_passes_but_after_fails in "
expect_line "    Assertion failed at $src:$(line_of teardown): hooks_fail_teardown: Reached unreachable code"
expect_line "TESTSUITE hooks_fail failed."
expect_line "    Assertion failed at $src:$(line_of setup): setup_fails_setup: Reached unreachable code"
expect_match "^ FAIL - test_never_runs in "
expect_line "TESTSUITE setup_fails failed."
expect_line "------ TESTSUITE SUMMARY START ------"
expect_match "^SUITE FAIL -  50\.00% \[failing\]: pass = 4, fail = 4, skip = 0, total = 8 duration = [0-9]+\.[0-9]{3} seconds$"
expect_match "^ - FAIL - \[failing\.test_b_assert_fails\] duration = [0-9]+\.[0-9]{3} seconds$"
expect_match "^ - PASS - \[failing\.test_c_runs_after_failure\] duration = "
expect_match "^SUITE FAIL -   0\.00% \[setup_fails\]: pass = 0, fail = 1, skip = 0, total = 1 duration = "
expect_line "------ TESTSUITE SUMMARY END ------"
expect_match "^SUITE FAIL -   0\.00% \[hooks_fail\]: pass = 0, fail = 1, skip = 0, total = 1 duration = "
expect_line "PROJECT EXECUTION FAILED"
! grep -q "went on after" <<<"$out" || fail "$board: a test went on after it had failed"
ok "$board: ztest_fail fails as it should (exit status $rc)"
