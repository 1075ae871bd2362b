#include "gale/testing/classify.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "strings.h"

namespace gale::testing {
namespace {

std::string Seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", s);
  return text;
}

// The first line of a status message: a build error may carry a whole log.
std::string FirstLine(std::string_view message) {
  size_t newline = message.find('\n');
  return std::string(message.substr(0, newline));
}

Verdict Make(ScenarioStatus status, std::string reason) {
  return Verdict{status, std::move(reason)};
}

std::string RunningSuffix(const ZtestParser &parser) {
  for (auto it = parser.cases().rbegin(); it != parser.cases().rend(); ++it) {
    if (it->status == CaseStatus::kBlocked) {
      return absl::StrCat("; ", it->suite.empty() ? "" : absl::StrCat(it->suite, "."), it->name,
                          " did not finish");
    }
  }
  return "";
}

Verdict ZtestVerdict(const ZtestParser &parser, const RunOutcome &outcome) {
  std::vector<std::string> failed;
  std::string first_message;
  size_t skipped = 0;
  for (const TestCase &c : parser.cases()) {
    if (c.status == CaseStatus::kFailed || c.status == CaseStatus::kBlocked) {
      failed.push_back(c.suite.empty() ? c.name : absl::StrCat(c.suite, ".", c.name));
      if (first_message.empty()) {
        first_message = c.message;
      }
    } else if (c.status == CaseStatus::kSkipped) {
      skipped++;
    }
  }
  if (!failed.empty()) {
    constexpr size_t kNamed = 3;
    std::string names =
        absl::StrJoin(failed.begin(), failed.begin() + std::min(kNamed, failed.size()), ", ");
    if (failed.size() > kNamed) {
      absl::StrAppend(&names, ", ...");
    }
    std::string reason =
        absl::StrCat(failed.size(), " of ", parser.cases().size(), " cases failed: ", names);
    if (!first_message.empty()) {
      absl::StrAppend(&reason, ": ", first_message);
    }
    return Make(ScenarioStatus::kFailed, reason);
  }
  if (parser.verdict() == false) {
    return Make(ScenarioStatus::kFailed,
                "the image reported PROJECT EXECUTION FAILED (a suite's setup, teardown or the "
                "framework failed)");
  }
  if (parser.verdict() == true) {
    if (outcome.exited && outcome.exit_code != 0) {
      return Make(ScenarioStatus::kFailed,
                  absl::StrCat("the image reported PROJECT EXECUTION SUCCESSFUL but exited with "
                               "status ",
                               outcome.exit_code));
    }
    if (!parser.cases().empty() && skipped == parser.cases().size()) {
      return Make(ScenarioStatus::kSkipped, absl::StrCat("all ", skipped, " cases skipped"));
    }
    return Make(ScenarioStatus::kPassed, "");
  }
  if (outcome.exited) {
    if (outcome.exit_code != 0) {
      return Make(ScenarioStatus::kFailed,
                  absl::StrCat("the image exited with status ", outcome.exit_code,
                               " before its ztest verdict (PROJECT EXECUTION ...)"));
    }
    return Make(ScenarioStatus::kFailed,
                "the image exited without a ztest verdict (no PROJECT EXECUTION line); if it is "
                "not a ztest application, give its scenario `harness: console`");
  }
  return Make(ScenarioStatus::kFailed, "the run ended without a ztest verdict");
}

Verdict ConsoleVerdict(const ConsoleMatcher *console, const RunOutcome &outcome) {
  if (console != nullptr && !console->empty()) {
    if (console->done()) {
      return Make(ScenarioStatus::kPassed, "");
    }
    std::string how = outcome.exited ? absl::StrCat("the image exited with status ",
                                                    outcome.exit_code, " before printing")
                                     : std::string("the output never matched");
    return Make(ScenarioStatus::kFailed, absl::StrCat(how, " '", console->Missing(), "'"));
  }
  if (outcome.exited) {
    if (outcome.exit_code == 0) {
      return Make(ScenarioStatus::kPassed, "");
    }
    return Make(ScenarioStatus::kFailed,
                absl::StrCat("the image exited with status ", outcome.exit_code));
  }
  return Make(ScenarioStatus::kFailed, "the run ended without an exit status");
}

}  // namespace

absl::StatusOr<ConsoleMatcher> ConsoleMatcher::Create(const std::vector<std::string> &regex,
                                                      bool ordered) {
  ConsoleMatcher matcher;
  matcher.ordered_ = ordered;
  for (const std::string &source : regex) {
    try {
      matcher.patterns_.emplace_back(source, std::regex::ECMAScript);
    } catch (const std::regex_error &e) {
      return absl::InvalidArgumentError(
          absl::StrCat("harness_config regex '", source, "' does not compile: ", e.what()));
    }
    matcher.sources_.push_back(source);
  }
  matcher.matched_.assign(matcher.patterns_.size(), false);
  return matcher;
}

void ConsoleMatcher::Feed(std::string_view line) {
  if (done()) {
    return;
  }
  std::string text(line);
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n')) {
    text.pop_back();
  }
  if (ordered_) {
    if (std::regex_search(text, patterns_[next_])) {
      matched_[next_] = true;
      next_++;
    }
    return;
  }
  for (size_t i = 0; i < patterns_.size(); i++) {
    if (!matched_[i] && std::regex_search(text, patterns_[i])) {
      matched_[i] = true;
      next_++;
    }
  }
}

std::string ConsoleMatcher::Missing() const {
  for (size_t i = 0; i < patterns_.size(); i++) {
    if (!matched_[i]) {
      return sources_[i];
    }
  }
  return "";
}

std::string DescribeStop(const Observation &observation) {
  const RunOutcome &outcome = observation.outcome;
  if (!outcome.died_reason.empty()) {
    return absl::StrCat("no result: the emulator died (", outcome.died_reason, ")");
  }
  switch (observation.stop) {
    case StopReason::kCancelled:
      return "no result: the run was cancelled";
    case StopReason::kBootWindow:
      return "no result: stopped at the end of the boot window";
    case StopReason::kTimeout:
      return absl::StrCat("no result: still running when the scenario's timeout (",
                          Seconds(observation.timeout_s), " s) passed");
    case StopReason::kHarnessDone:
    case StopReason::kNone:
      break;
  }
  if (outcome.timed_out) {
    return absl::StrCat("no result: still running when the scenario's timeout (",
                        Seconds(observation.timeout_s), " s) passed");
  }
  if (outcome.exited) {
    return absl::StrCat("no result: the image exited with status ", outcome.exit_code,
                        " while it ran");
  }
  return "no result: the output ended while it ran";
}

Verdict Classify(const Instance &instance, const Observation &observation,
                 const ZtestParser &parser, const ConsoleMatcher *console) {
  if (instance.skipped) {
    return Make(ScenarioStatus::kSkipped, instance.skip_reason);
  }
  if (!observation.build.ok()) {
    if (observation.stop == StopReason::kCancelled ||
        observation.build.code() == absl::StatusCode::kCancelled) {
      return Make(ScenarioStatus::kSkipped, "cancelled while building");
    }
    return Make(ScenarioStatus::kBuildError, FirstLine(Std(observation.build.message())));
  }
  if (!observation.ran) {
    if (observation.stop == StopReason::kCancelled) {
      return Make(ScenarioStatus::kSkipped, "cancelled before it ran");
    }
    if (instance.scenario.build_only) {
      return Make(ScenarioStatus::kPassed, "built only (build_only: true)");
    }
    return Make(ScenarioStatus::kPassed,
                absl::StrCat("built only: ", instance.board.name, " cannot run images here"));
  }
  const RunOutcome &outcome = observation.outcome;
  if (!outcome.flash_error.empty()) {
    return Make(ScenarioStatus::kFlashError, FirstLine(outcome.flash_error));
  }
  if (observation.stop == StopReason::kCancelled) {
    return Make(ScenarioStatus::kSkipped, "cancelled while running");
  }
  bool ztest = console == nullptr;
  // A fatal error the image did not recover from: ztest's fatal hook turns one it catches into a
  // failed case and the run reaches its verdict; without the hook the system halts.
  const FatalError *fatal = parser.unexpected_fatal();
  if (fatal != nullptr && !(ztest && parser.verdict().has_value())) {
    return Make(ScenarioStatus::kCrash, fatal->Describe());
  }
  if (!outcome.died_reason.empty()) {
    return Make(ScenarioStatus::kCrash,
                absl::StrCat("the emulator died: ", outcome.died_reason, RunningSuffix(parser)));
  }
  bool harness_done =
      ztest ? parser.verdict().has_value() : (console != nullptr && console->done());
  if (observation.stop == StopReason::kBootWindow) {
    if (!parser.any_output()) {
      return Make(ScenarioStatus::kBootTimeout,
                  absl::StrCat("no output within the boot window (",
                               Seconds(observation.boot_window_s), " s)"));
    }
    return Make(ScenarioStatus::kBootTimeout,
                absl::StrCat("no ztest suite started within the boot window (",
                             Seconds(observation.boot_window_s), " s; ", parser.lines(),
                             " lines of output)"));
  }
  if (!harness_done && (observation.stop == StopReason::kTimeout || outcome.timed_out)) {
    if (!parser.any_output() || (ztest && !parser.suite_started())) {
      return Make(
          ScenarioStatus::kBootTimeout,
          absl::StrCat(parser.any_output() ? "no ztest suite started" : "no output",
                       " within the scenario's timeout (", Seconds(observation.timeout_s), " s)"));
    }
    return Make(ScenarioStatus::kTimeout,
                absl::StrCat("still running after the scenario's timeout (",
                             Seconds(observation.timeout_s), " s)", RunningSuffix(parser)));
  }
  if (ztest) {
    return ZtestVerdict(parser, outcome);
  }
  return ConsoleVerdict(console, outcome);
}

}  // namespace gale::testing
