#include "gale/testing/result.h"

namespace gale::testing {

std::string_view ToString(CaseStatus status) {
  switch (status) {
    case CaseStatus::kPassed:
      return "passed";
    case CaseStatus::kFailed:
      return "failed";
    case CaseStatus::kSkipped:
      return "skipped";
    case CaseStatus::kBlocked:
      return "blocked";
  }
  return "failed";
}

std::string_view ToString(ScenarioStatus status) {
  switch (status) {
    case ScenarioStatus::kPassed:
      return "passed";
    case ScenarioStatus::kFailed:
      return "failed";
    case ScenarioStatus::kBuildError:
      return "build_error";
    case ScenarioStatus::kFlashError:
      return "flash_error";
    case ScenarioStatus::kBootTimeout:
      return "boot_timeout";
    case ScenarioStatus::kTimeout:
      return "timeout";
    case ScenarioStatus::kCrash:
      return "crash";
    case ScenarioStatus::kSkipped:
      return "skipped";
  }
  return "failed";
}

bool IsError(ScenarioStatus status) {
  switch (status) {
    case ScenarioStatus::kBuildError:
    case ScenarioStatus::kFlashError:
    case ScenarioStatus::kBootTimeout:
    case ScenarioStatus::kTimeout:
    case ScenarioStatus::kCrash:
      return true;
    case ScenarioStatus::kPassed:
    case ScenarioStatus::kFailed:
    case ScenarioStatus::kSkipped:
      return false;
  }
  return false;
}

bool NeedsOwnCase(const ScenarioResult &result) {
  if (result.cases.empty()) {
    return true;
  }
  if (result.status != ScenarioStatus::kFailed && !IsError(result.status)) {
    return false;
  }
  for (const TestCase &test_case : result.cases) {
    if (test_case.status == CaseStatus::kFailed || test_case.status == CaseStatus::kBlocked) {
      return false;
    }
  }
  return true;
}

TestRunSummary Summarize(const std::vector<ScenarioResult> &results) {
  TestRunSummary summary;
  for (const ScenarioResult &result : results) {
    if (IsError(result.status)) {
      summary.errors++;
    }
    if (NeedsOwnCase(result)) {
      switch (result.status) {
        case ScenarioStatus::kPassed:
          summary.passed++;
          break;
        case ScenarioStatus::kFailed:
          summary.failed++;
          break;
        case ScenarioStatus::kSkipped:
          summary.skipped++;
          break;
        case ScenarioStatus::kBuildError:
        case ScenarioStatus::kFlashError:
        case ScenarioStatus::kBootTimeout:
        case ScenarioStatus::kTimeout:
        case ScenarioStatus::kCrash:
          break;
      }
    }
    for (const TestCase &test_case : result.cases) {
      switch (test_case.status) {
        case CaseStatus::kPassed:
          summary.passed++;
          break;
        case CaseStatus::kFailed:
        case CaseStatus::kBlocked:
          summary.failed++;
          break;
        case CaseStatus::kSkipped:
          summary.skipped++;
          break;
      }
    }
  }
  return summary;
}

}  // namespace gale::testing
