// The ztest runner. The main thread walks the suites and tests the linker gathered; everything
// that runs test code (a suite's setup, each test with its before function and rules, the after
// function, the teardown) runs in a worker thread of its own, which the main thread joins. A
// failed assertion therefore only has to end the current worker thread, wherever it happens, and
// the run goes on with what comes next.
#include <gale/ztest.h>

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include <gale/arch.h>

namespace gale::ztest {
namespace {

// What the worker thread is running. The main thread sets it before starting a worker and
// resets it to kFramework after joining; only the worker moves it from kBefore to kTest.
enum class Phase : uint8_t { kFramework, kSetup, kBefore, kTest, kAfter, kTeardown };

enum class Result : uint8_t { kPending, kPass, kFail, kSkip };

struct RunState {
  Phase phase = Phase::kFramework;
  const ztest_suite_node *suite = nullptr;
  const ztest_unit_test *test = nullptr;
  void *fixture = nullptr;
  // The verdict on the current test (before, test and after phases).
  Result test_result = Result::kPending;
  // The verdict on the current suite's setup.
  Result setup_result = Result::kPending;
  bool teardown_failed = false;
  // A zexpect*() failed in the current test: it fails when it ends.
  bool expectation_failed = false;
  // The next fatal error / failed __ASSERT is part of the current test.
  bool fault_valid = false;
  bool assert_valid = false;
  // A failure outside any test (setup, teardown, the framework, a missing suite).
  bool project_failed = false;
  k_tid_t runner = nullptr;
};

RunState run;

struct k_thread worker;
K_THREAD_STACK_DEFINE(worker_stack, CONFIG_ZTEST_STACK_SIZE + CONFIG_TEST_EXTRA_STACK_SIZE);

// The section bounds are C symbols from the linker script; these views keep the casts in one place.
struct Suites {
  const ztest_suite_node *begin() const { return _ztest_suite_node_list_start; }
  const ztest_suite_node *end() const { return _ztest_suite_node_list_end; }
};
struct Tests {
  const ztest_unit_test *begin() const { return _ztest_unit_test_list_start; }
  const ztest_unit_test *end() const { return _ztest_unit_test_list_end; }
};
struct Rules {
  const ztest_test_rule *begin() const { return _ztest_test_rule_list_start; }
  const ztest_test_rule *end() const { return _ztest_test_rule_list_end; }
};
struct Expectations {
  const ztest_expected_result_entry *begin() const {
    return _ztest_expected_result_entry_list_start;
  }
  const ztest_expected_result_entry *end() const { return _ztest_expected_result_entry_list_end; }
};

bool InSuite(const ztest_unit_test &test, const ztest_suite_node &suite) {
  return strcmp(test.test_suite_name, suite.name) == 0;
}

int ToTc(Result result) {
  switch (result) {
    case Result::kPass:
      return TC_PASS;
    case Result::kSkip:
      return TC_SKIP;
    case Result::kFail:
    case Result::kPending:
      return TC_FAIL;
  }
  return TC_FAIL;
}

void PrintSeconds(uint32_t ms) {
  printk("%u.%03u seconds", static_cast<unsigned>(ms / 1000U), static_cast<unsigned>(ms % 1000U));
}

// A verdict on the current test: a failure always wins, a pass or a skip only settles a test that
// has none yet.
void SetTestResult(Result result) {
  if (result == Result::kFail || run.test_result == Result::kPending) {
    run.test_result = result;
  }
}

// --- Ending the phase that failed, passed or was skipped -------------------------------------

void PrintSummary();
FUNC_NORETURN void EndReport();

// The run cannot go on (a failure in the main thread, a kernel panic): report what is known.
FUNC_NORETURN void FinishEarly(const char *why) {
  printk("\n    %s: ending the test run\n", why);
  run.project_failed = true;
  EndReport();
}

// End the worker thread now. From a helper thread, end that one too; from an ISR, return (the
// ISR goes on, the test does not).
void EndPhase() {
  k_tid_t self = k_current_get();
  if (self == run.runner && !k_is_in_isr()) {
    FinishEarly("ztest verdict given outside a test");
  }
  if (self != &worker || k_is_in_isr()) {
    k_thread_abort(&worker);
  }
  if (k_is_in_isr()) {
    return;
  }
  k_thread_abort(self);
  // Not reached: a thread that aborts itself does not return.
  FinishEarly("k_thread_abort() of the current thread returned");
}

// --- Phases, run in the worker thread ---------------------------------------------------------

void RunRules(bool before) {
  for (const ztest_test_rule &rule : Rules{}) {
    ztest_rule_cb cb = before ? rule.before_each : rule.after_each;
    if (cb != nullptr) {
      cb(run.test, run.fixture);
    }
  }
}

void WorkerEntry(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  const ztest_suite_node &suite = *run.suite;
  switch (static_cast<Phase>(reinterpret_cast<uintptr_t>(p1))) {
    case Phase::kSetup:
      run.fixture = suite.setup();
      if (run.setup_result == Result::kPending) {
        run.setup_result = Result::kPass;
      }
      break;
    case Phase::kBefore:
      RunRules(true);
      if (suite.before != nullptr) {
        suite.before(run.fixture);
      }
      run.phase = Phase::kTest;
      run.test->test(run.fixture);
      SetTestResult(Result::kPass);
      break;
    case Phase::kAfter:
      if (suite.after != nullptr) {
        suite.after(run.fixture);
      }
      RunRules(false);
      break;
    case Phase::kTeardown:
      suite.teardown(run.fixture);
      break;
    case Phase::kTest:
    case Phase::kFramework:
      break;
  }
}

void RunInWorker(Phase phase) {
  run.phase = phase;
  k_thread_create(&worker, worker_stack, K_THREAD_STACK_SIZEOF(worker_stack), WorkerEntry,
                  reinterpret_cast<void *>(static_cast<uintptr_t>(phase)), nullptr, nullptr,
                  CONFIG_ZTEST_THREAD_PRIORITY, 0, K_FOREVER);
  // Named for fatal error reports; without CONFIG_THREAD_NAME this does nothing.
  (void)k_thread_name_set(&worker, "ztest");
  k_thread_start(&worker);
  k_thread_join(&worker, K_FOREVER);
  run.phase = Phase::kFramework;
}

// --- Tests and suites, run in the main thread -------------------------------------------------

Result ApplyExpectation(const ztest_unit_test &test, Result result) {
  for (const ztest_expected_result_entry &entry : Expectations{}) {
    if (strcmp(entry.test_suite_name, test.test_suite_name) != 0 ||
        strcmp(entry.test_name, test.name) != 0) {
      continue;
    }
    Result expected =
        entry.expected_result == ZTEST_EXPECTED_RESULT_FAIL ? Result::kFail : Result::kSkip;
    return result == expected ? Result::kPass : Result::kFail;
  }
  return result;
}

void Record(const ztest_unit_test &test, Result result, uint32_t ms) {
  ztest_unit_test_stats &stats = *test.stats;
  stats.run_count++;
  switch (result) {
    case Result::kPass:
      stats.pass_count++;
      break;
    case Result::kSkip:
      stats.skip_count++;
      break;
    case Result::kFail:
    case Result::kPending:
      stats.fail_count++;
      break;
  }
  if (ms > stats.duration_worst_ms) {
    stats.duration_worst_ms = ms;
  }
  if (IS_ENABLED(CONFIG_ZTEST_VERBOSE_OUTPUT)) {
    GALE_TC_END_RESULT_MS(ToTc(result), test.name, ms);
  }
}

void PrintStart(const ztest_unit_test &test) {
  if (IS_ENABLED(CONFIG_ZTEST_VERBOSE_OUTPUT)) {
    PRINT_DATA("START - %s\n", test.name);
  }
}

Result RunTest(const ztest_unit_test &test) {
  PrintStart(test);
  run.test = &test;
  run.test_result = Result::kPending;
  run.expectation_failed = false;
  run.fault_valid = false;
  run.assert_valid = false;

  int64_t start = k_uptime_get();
  RunInWorker(Phase::kBefore);
  auto ms = static_cast<uint32_t>(k_uptime_get() - start);
  if (run.test_result == Result::kPending) {
    // The thread ended without a verdict: something aborted it.
    printk("\n    Test thread aborted without a verdict\n");
    run.test_result = Result::kFail;
  }
  // The after function cleans up whatever the test did, so it runs whatever the verdict.
  RunInWorker(Phase::kAfter);
  if (run.expectation_failed) {
    run.test_result = Result::kFail;
  }
  Result result = ApplyExpectation(test, run.test_result);
  Record(test, result, ms);
  run.test = nullptr;
  run.fault_valid = false;
  run.assert_valid = false;
  return result;
}

// Returns the number of failed tests, plus one when the setup or teardown failed.
int RunSuite(const ztest_suite_node &suite, int case_iter) {
  TC_SUITE_START(suite.name);
  suite.stats->run_count++;
  run.suite = &suite;
  run.fixture = nullptr;
  run.setup_result = Result::kPass;
  run.teardown_failed = false;
  if (suite.setup != nullptr) {
    run.setup_result = Result::kPending;
    RunInWorker(Phase::kSetup);
    if (run.setup_result == Result::kPending) {
      printk("\n    Suite setup aborted without a verdict\n");
      run.setup_result = Result::kFail;
    }
  }

  int failures = 0;
  unsigned int ran = 0;
  unsigned int skipped = 0;
  for (const ztest_unit_test &test : Tests{}) {
    if (!InSuite(test, suite)) {
      continue;
    }
    for (int i = 0; i < case_iter; i++) {
      Result result;
      if (run.setup_result == Result::kPass) {
        result = RunTest(test);
      } else {
        // No setup, no test: each is reported, so that the harness sees it failed or skipped.
        PrintStart(test);
        result = ApplyExpectation(test, run.setup_result);
        Record(test, result, 0);
      }
      ran++;
      if (result == Result::kFail) {
        failures++;
      } else if (result == Result::kSkip) {
        skipped++;
      }
    }
  }

  if (suite.teardown != nullptr) {
    RunInWorker(Phase::kTeardown);
  }
  bool failed = failures > 0 || run.setup_result == Result::kFail || run.teardown_failed;
  if (run.setup_result == Result::kFail || run.teardown_failed) {
    failures++;
    run.project_failed = true;
  }
  if (failed) {
    suite.stats->fail_count++;
  } else if (ran > 0 && skipped == ran) {
    suite.stats->skip_count++;
  }
  TC_SUITE_END(suite.name, failed ? TC_FAIL : TC_PASS);
  run.suite = nullptr;
  return failures;
}

bool ShouldRun(const ztest_suite_node &suite, const void *state) {
  if (suite.predicate != nullptr) {
    return suite.predicate(state);
  }
  return suite.stats->run_count == 0U;
}

// --- Summary and verdict ----------------------------------------------------------------------

struct SuiteCounts {
  unsigned int pass = 0;
  unsigned int fail = 0;
  unsigned int skip = 0;
  unsigned int total = 0;
  uint32_t ms = 0;
};

// A test counts once, whatever the number of runs: failed if any run failed, passed if any run
// passed, else skipped (also when it never ran).
Result Outcome(const ztest_unit_test &test) {
  const ztest_unit_test_stats &stats = *test.stats;
  if (stats.fail_count > 0U) {
    return Result::kFail;
  }
  if (stats.pass_count > 0U) {
    return Result::kPass;
  }
  return Result::kSkip;
}

SuiteCounts Count(const ztest_suite_node &suite) {
  SuiteCounts counts;
  for (const ztest_unit_test &test : Tests{}) {
    if (!InSuite(test, suite)) {
      continue;
    }
    switch (Outcome(test)) {
      case Result::kPass:
        counts.pass++;
        break;
      case Result::kFail:
      case Result::kPending:
        counts.fail++;
        break;
      case Result::kSkip:
        counts.skip++;
        break;
    }
    counts.total++;
    counts.ms += test.stats->duration_worst_ms;
  }
  return counts;
}

void PrintSuiteSummary(const ztest_suite_node &suite) {
  SuiteCounts counts = Count(suite);
  Result result = Result::kPass;
  if (counts.fail > 0U) {
    result = Result::kFail;
  } else if (counts.skip == counts.total) {
    result = Result::kSkip;
  }
  // The pass rate in hundredths of a percent, printed as "100.00%" or " 87.50%".
  unsigned int rate = counts.total > 0U ? counts.pass * 10000U / counts.total : 0U;
  TC_SUMMARY_PRINT(
      "SUITE %s - %3u.%02u%% [%s]: pass = %u, fail = %u, skip = %u, total = %u "
      "duration = ",
      TC_RESULT_TO_STR(ToTc(result)), rate / 100U, rate % 100U, suite.name, counts.pass,
      counts.fail, counts.skip, counts.total);
  PrintSeconds(counts.ms);
  TC_SUMMARY_PRINT("\n");
  if (IS_ENABLED(CONFIG_ZTEST_VERBOSE_SUMMARY)) {
    for (const ztest_unit_test &test : Tests{}) {
      if (!InSuite(test, suite)) {
        continue;
      }
      TC_SUMMARY_PRINT(" - %s - [%s.%s] duration = ", TC_RESULT_TO_STR(ToTc(Outcome(test))),
                       suite.name, test.name);
      PrintSeconds(test.stats->duration_worst_ms);
      TC_SUMMARY_PRINT("\n");
    }
  }
  TC_SUMMARY_PRINT("\n");
}

void PrintSummary() {
  TC_SUMMARY_PRINT("\n------ TESTSUITE SUMMARY START ------\n\n");
  for (const ztest_suite_node &suite : Suites{}) {
    PrintSuiteSummary(suite);
  }
  TC_SUMMARY_PRINT("------ TESTSUITE SUMMARY END ------\n\n");
}

bool AnyTestFailed() {
  for (const ztest_unit_test &test : Tests{}) {
    if (test.stats->fail_count > 0U) {
      return true;
    }
  }
  return false;
}

FUNC_NORETURN void EndReport() {
  if (IS_ENABLED(CONFIG_ZTEST_SUMMARY)) {
    PrintSummary();
  }
  bool failed = run.project_failed || AnyTestFailed();
  TC_END_REPORT(failed ? TC_FAIL : TC_PASS);
  arch_system_exit(failed ? 1 : 0);
}

// --- Assertion reports ------------------------------------------------------------------------

void Report(const char *what, const char *default_msg, const char *file, int line, const char *func,
            const char *msg, va_list ap) {
  printk("\n    %s failed at %s:%d: %s: %s\n", what, file, line, func, default_msg);
  if (msg != nullptr && msg[0] != '\0') {
    vprintk(msg, ap);
    printk("\n");
  }
}

}  // namespace

extern "C" FUNC_NORETURN void z_ztest_main(void) {
  run.runner = k_current_get();
  test_main();
  EndReport();
}

}  // namespace gale::ztest

using gale::ztest::Phase;
using gale::ztest::Result;
using gale::ztest::run;

extern "C" {

void ztest_test_fail(void) {
  switch (run.phase) {
    case Phase::kSetup:
      run.setup_result = Result::kFail;
      break;
    case Phase::kBefore:
    case Phase::kTest:
    case Phase::kAfter:
      gale::ztest::SetTestResult(Result::kFail);
      break;
    case Phase::kTeardown:
      run.teardown_failed = true;
      break;
    case Phase::kFramework:
      gale::ztest::FinishEarly("ztest_test_fail() outside a test");
  }
  gale::ztest::EndPhase();
}

void ztest_test_pass(void) {
  switch (run.phase) {
    case Phase::kBefore:
    case Phase::kTest:
      gale::ztest::SetTestResult(Result::kPass);
      break;
    case Phase::kSetup:
      // The setup ends early but has not failed; its fixture is whatever it returned: none.
      if (run.setup_result == Result::kPending) {
        run.setup_result = Result::kPass;
      }
      break;
    case Phase::kAfter:
    case Phase::kTeardown:
      break;
    case Phase::kFramework:
      gale::ztest::FinishEarly("ztest_test_pass() outside a test");
  }
  gale::ztest::EndPhase();
}

void ztest_test_skip(void) {
  switch (run.phase) {
    case Phase::kSetup:
      if (run.setup_result == Result::kPending) {
        run.setup_result = Result::kSkip;
      }
      break;
    case Phase::kBefore:
    case Phase::kTest:
      gale::ztest::SetTestResult(Result::kSkip);
      break;
    case Phase::kAfter:
    case Phase::kTeardown:
      break;
    case Phase::kFramework:
      gale::ztest::FinishEarly("ztest_test_skip() outside a test");
  }
  gale::ztest::EndPhase();
}

void ztest_skip_failed_assumption(void) {
  ztest_test_skip();
}

bool z_zassert(bool cond, const char *default_msg, const char *file, int line, const char *func,
               const char *msg, ...) {
  if (cond) {
    return true;
  }
  va_list ap;
  va_start(ap, msg);
  gale::ztest::Report("Assertion", default_msg, file, line, func, msg, ap);
  va_end(ap);
  ztest_test_fail();
  return false;
}

bool z_zassume(bool cond, const char *default_msg, const char *file, int line, const char *func,
               const char *msg, ...) {
  if (cond) {
    return true;
  }
  va_list ap;
  va_start(ap, msg);
  gale::ztest::Report("Assumption", default_msg, file, line, func, msg, ap);
  va_end(ap);
  ztest_skip_failed_assumption();
  return false;
}

bool z_zexpect(bool cond, const char *default_msg, const char *file, int line, const char *func,
               const char *msg, ...) {
  if (cond) {
    return true;
  }
  va_list ap;
  va_start(ap, msg);
  gale::ztest::Report("Expectation", default_msg, file, line, func, msg, ap);
  va_end(ap);
  if (run.phase == Phase::kFramework) {
    run.project_failed = true;
  } else if (run.phase == Phase::kSetup || run.phase == Phase::kTeardown) {
    if (run.phase == Phase::kSetup) {
      run.setup_result = Result::kFail;
    } else {
      run.teardown_failed = true;
    }
  } else {
    run.expectation_failed = true;
  }
  return false;
}

int ztest_run_test_suites(const void *state, bool shuffle, int suite_iter, int case_iter) {
  ARG_UNUSED(shuffle);
  int failures = 0;
  for (const ztest_suite_node &suite : gale::ztest::Suites{}) {
    if (!gale::ztest::ShouldRun(suite, state)) {
      continue;
    }
    for (int i = 0; i < suite_iter; i++) {
      failures += gale::ztest::RunSuite(suite, case_iter);
    }
  }
  return failures;
}

void ztest_run_all(const void *state, bool shuffle, int suite_iter, int case_iter) {
  (void)ztest_run_test_suites(state, shuffle, suite_iter, case_iter);
}

int z_ztest_run_test_suite(const char *name, bool shuffle, int suite_iter, int case_iter,
                           void *param) {
  ARG_UNUSED(shuffle);
  ARG_UNUSED(param);
  for (const ztest_suite_node &suite : gale::ztest::Suites{}) {
    if (strcmp(suite.name, name) != 0) {
      continue;
    }
    int failures = 0;
    for (int i = 0; i < suite_iter; i++) {
      failures += gale::ztest::RunSuite(suite, case_iter);
    }
    return failures;
  }
  printk("ERROR: no test suite named '%s'\n", name);
  run.project_failed = true;
  return -1;
}

void ztest_verify_all_test_suites_ran(void) {
  if (!IS_ENABLED(CONFIG_ZTEST_VERIFY_RUN_ALL)) {
    return;
  }
  for (const ztest_suite_node &suite : gale::ztest::Suites{}) {
    if (suite.stats->run_count == 0U) {
      printk("ERROR: Test suite '%s' did not run.\n", suite.name);
      run.project_failed = true;
    }
  }
  for (const ztest_unit_test &test : gale::ztest::Tests{}) {
    bool found = false;
    for (const ztest_suite_node &suite : gale::ztest::Suites{}) {
      found = found || gale::ztest::InSuite(test, suite);
    }
    if (!found) {
      printk("ERROR: Test '%s' assigned to test suite '%s' which doesn't exist\n", test.name,
             test.test_suite_name);
      run.project_failed = true;
    }
  }
}

__weak void test_main(void) {
  ztest_run_all(nullptr, false, 1, 1);
  ztest_verify_all_test_suites_ran();
}

void ztest_simple_1cpu_before(void *data) {
  ARG_UNUSED(data);
}
void ztest_simple_1cpu_after(void *data) {
  ARG_UNUSED(data);
}
void z_test_1cpu_start(void) {}
void z_test_1cpu_stop(void) {}

// --- Fatal errors and assertions expected by tests --------------------------------------------

void ztest_set_fault_valid(bool valid) {
  run.fault_valid = valid;
}

__weak void ztest_post_fatal_error_hook(unsigned int reason, const struct arch_esf *pEsf) {
  ARG_UNUSED(reason);
  ARG_UNUSED(pEsf);
}

void ztest_set_assert_valid(bool valid) {
  run.assert_valid = valid;
}

__weak void ztest_post_assert_fail_hook(void) {}

#ifdef CONFIG_ZTEST_FATAL_HOOK
void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf) {
  bool expected = run.fault_valid;
  printk("Caught system error -- reason %u %d\n", reason, expected ? 1 : 0);
  k_tid_t self = k_current_get();
  if (self == run.runner) {
    gale::ztest::FinishEarly("fatal error in the test runner");
  }
  if (expected) {
    printk("Fatal error expected as part of test case.\n");
    run.fault_valid = false;
    // A fault of the test's own thread ends the test: that is its pass. A helper thread's fault
    // only ends the helper, and the test goes on to its own verdict.
    if (self == &gale::ztest::worker &&
        (run.phase == Phase::kBefore || run.phase == Phase::kTest)) {
      gale::ztest::SetTestResult(Result::kPass);
    }
    ztest_post_fatal_error_hook(reason, esf);
  } else {
    printk("Fatal error was unexpected, aborting...\n");
    if (run.phase == Phase::kSetup) {
      run.setup_result = Result::kFail;
    } else if (run.phase == Phase::kTeardown) {
      run.teardown_failed = true;
    } else if (run.phase != Phase::kFramework) {
      gale::ztest::SetTestResult(Result::kFail);
    } else {
      run.project_failed = true;
    }
    if (self != &gale::ztest::worker) {
      k_thread_abort(&gale::ztest::worker);
    }
  }
  if (reason == K_ERR_KERNEL_PANIC) {
    // The kernel halts after a panic: nothing more can run, so report now.
    gale::ztest::FinishEarly(expected ? "kernel panic (expected)" : "kernel panic");
  }
  // Returning lets the kernel abort the faulting thread; the runner goes on.
}
#endif

#ifdef CONFIG_ZTEST_ASSERT_HOOK
// Zephyr's hook after a failed __ASSERT() has printed its report (the kernel's default panics).
// An announced failure passes the test; any other fails it, and the run goes on.
void assert_post_action(const char *file, unsigned int line) {
  ARG_UNUSED(file);
  ARG_UNUSED(line);
  printk("Caught assert failed\n");
  if (run.assert_valid) {
    run.assert_valid = false;
    printk("Assert error expected as part of test case.\n");
    ztest_post_assert_fail_hook();
    ztest_test_pass();
  } else {
    printk("Assert failed was unexpected, aborting...\n");
    ztest_test_fail();
  }
}
#endif

}  // extern "C"
