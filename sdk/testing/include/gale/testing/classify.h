// The verdict on one scenario instance, from what its build and run produced.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gale/testing/result.h"
#include "gale/testing/testcase.h"
#include "gale/testing/ztest_parser.h"

namespace gale::testing {

/// How a run of an image ended, as the daemon's RunFn saw it.
struct RunOutcome {
  int exit_code = 0;       ///< the image's exit status; meaningful when `exited`
  bool exited = false;     ///< the image (emulator, native_sim program) ended by itself
  bool timed_out = false;  ///< RunFn stopped it because its timeout passed
  /// Non-empty: the emulator or program died abnormally ("killed by SIGSEGV", "QEMU exited: ...").
  /// Not set when RunFn stopped it itself (cancellation, timeout).
  std::string died_reason;
  /// Non-empty: the image could not be loaded onto the device (one line: why).
  std::string flash_error;
};

/// Why the runner stopped a run before the image ended.
enum class StopReason {
  kNone,
  kCancelled,    ///< the whole test run was cancelled
  kBootWindow,   ///< no output (ztest: no suite started) within the boot window
  kTimeout,      ///< the scenario's timeout passed
  kHarnessDone,  ///< a console harness saw every line it waits for
};

/// Matches a console harness's `harness_config.regex` lines against the output.
class ConsoleMatcher {
 public:
  /// InvalidArgument naming the regex when one does not compile.
  static absl::StatusOr<ConsoleMatcher> Create(const std::vector<std::string> &regex, bool ordered);

  void Feed(std::string_view line);
  bool empty() const { return patterns_.empty(); }         ///< no regex: the exit status decides
  bool done() const { return next_ == patterns_.size(); }  ///< every regex matched
  /// The first regex not yet matched ("" when done).
  std::string Missing() const;

 private:
  std::vector<std::string> sources_;
  std::vector<std::regex> patterns_;
  std::vector<bool> matched_;
  size_t next_ = 0;  // ordered: index of the next regex; unordered: number matched
  bool ordered_ = false;
};

/// What the runner observed of one instance.
struct Observation {
  absl::Status build;  ///< not OK: the build failed (or was cancelled)
  bool ran = false;    ///< the image was run (RunFn called)
  RunOutcome outcome;
  StopReason stop = StopReason::kNone;
  double boot_window_s = 0;  ///< for messages
  double timeout_s = 0;      ///< for messages
};

struct Verdict {
  ScenarioStatus status = ScenarioStatus::kSkipped;
  std::string reason;  ///< one line; empty for a plain pass
};

/// What a case that started and has no result should say: why the output stopped. Pass to
/// ZtestParser::Finish before Classify.
std::string DescribeStop(const Observation &observation);

/// The verdict on an instance. `parser` has seen all output and Finish() was called; `console`
/// is the matcher of a console harness, null for ztest.
Verdict Classify(const Instance &instance, const Observation &observation,
                 const ZtestParser &parser, const ConsoleMatcher *console);

}  // namespace gale::testing
