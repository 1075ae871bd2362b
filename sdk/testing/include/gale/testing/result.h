// Test results: a test case, a scenario instance's verdict, and a run's totals. These map 1:1 onto
// gale.v1.TestCase, gale.v1.ScenarioResult and gale.v1.TestRunSummary; the status strings are the
// proto's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gale::testing {

enum class CaseStatus {
  kPassed,
  kFailed,
  kSkipped,
  kBlocked,  ///< started, but the output ended (crash, timeout) before its result
};

/// "passed", "failed", "skipped", "blocked".
std::string_view ToString(CaseStatus status);

/// One ztest test case.
struct TestCase {
  std::string suite;  ///< the ztest suite ("" when the output named none)
  std::string name;   ///< "test_sem_take"
  CaseStatus status = CaseStatus::kPassed;
  double seconds = 0;   ///< as the target reported it
  std::string message;  ///< the first assertion failure (or fault) reported while it ran
};

enum class ScenarioStatus {
  kPassed,
  kFailed,  ///< a case failed, or the image reported or exited with a failure
  kBuildError,
  kFlashError,   ///< the image could not be loaded onto the device
  kBootTimeout,  ///< no output (or no ztest suite started) within the boot window
  kTimeout,      ///< started, but not finished within the scenario's timeout
  kCrash,        ///< a fatal error the image did not recover from, or the emulator died
  kSkipped,      ///< not run: filtered for the board, `skip: true`, or cancelled
};

/// "passed", "failed", "build_error", "flash_error", "boot_timeout", "timeout", "crash",
/// "skipped".
std::string_view ToString(ScenarioStatus status);

/// A status that means the scenario produced no (complete) results: build_error, flash_error,
/// boot_timeout, timeout, crash.
bool IsError(ScenarioStatus status);

/// The result of one scenario on one board.
struct ScenarioResult {
  std::string scenario;
  std::string board;
  ScenarioStatus status = ScenarioStatus::kSkipped;
  std::string reason;  ///< one line; empty when passed
  double seconds = 0;  ///< wall time of build and run
  std::vector<TestCase> cases;
  std::string build_dir;
  std::string log_path;  ///< the image's output, one line per line; empty if it never ran
};

/// Whether a scenario's own status needs a result line of its own (a JUnit testcase, a count in
/// the totals): it has no cases, or it failed or errored and none of its cases shows it (a
/// suite's setup failed, the image crashed after its last case).
bool NeedsOwnCase(const ScenarioResult &result);

/// Totals of a run, as the JUnit XML counts them. passed / failed / skipped count test cases (a
/// blocked case counts as failed) and, where NeedsOwnCase, the scenario itself by its status
/// (an error status counting in `errors` only). `errors` counts scenario instances with an
/// error status (IsError), whether or not they have cases.
struct TestRunSummary {
  uint32_t passed = 0;
  uint32_t failed = 0;
  uint32_t skipped = 0;
  uint32_t errors = 0;
};

/// Computes the totals of `results` as described at TestRunSummary.
TestRunSummary Summarize(const std::vector<ScenarioResult> &results);

}  // namespace gale::testing
