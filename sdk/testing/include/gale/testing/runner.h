// The test runner: builds and runs selected scenario instances in parallel through functions the
// caller provides (the daemon's build driver and device runners), parses their output as it
// streams, and classifies each instance.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "gale/testing/classify.h"
#include "gale/testing/result.h"
#include "gale/testing/testcase.h"

namespace gale::testing {

/// What to build for an instance. The runner prepares `build_dir` (created; the extra_configs
/// fragment written into it) and computes `cmake_args`; BuildFn configures and builds
/// `app_dir` for `board` into `build_dir` with those arguments added, e.g.
/// `cmake -GNinja -S app_dir -B build_dir -DBOARD=board <cmake_args...> && ninja -C build_dir`.
struct BuildSpec {
  std::string app_dir;
  std::string board;
  std::string build_dir;  ///< absolute
  /// Cache arguments, each a full argument: every extra_args entry as "-D<arg>" (entries that
  /// already start with '-' as they are), then "-DEXTRA_CONF_FILE=<list>" joining the
  /// scenario's extra_conf_files, any EXTRA_CONF_FILE of extra_args, and the fragment
  /// `build_dir/testcase_extra.conf` holding the extra_configs (when there are any), and
  /// "-DEXTRA_DTC_OVERLAY_FILE=<list>" for extra_dtc_overlay_files and any
  /// EXTRA_DTC_OVERLAY_FILE of extra_args. Lists are ';'-separated. extra_args entries that set
  /// a Kconfig symbol ("CONFIG_X=y") go to the fragment instead: Gale's build reads Kconfig
  /// values from fragments, not from the CMake cache.
  std::vector<std::string> cmake_args;
};

/// Builds one instance. Returns OK, or an error whose message is the reason shown to the user
/// (first compiler error, ...). Should return soon after `stop` is requested (then with
/// absl::CancelledError()). Called from a runner worker thread.
using BuildFn = std::function<absl::Status(const Instance &, const BuildSpec &, std::stop_token)>;

/// Receives one line of the image's output, without its line terminator.
using LineFn = std::function<void(std::string_view line)>;

/// Runs a built instance: boots `build_dir`'s image on the instance's board (emulator or device),
/// calls `on_line` for each output line as it arrives (from any one thread, in order), and
/// returns when the image exits, when `timeout` passes (timed_out), or soon after `stop` is
/// requested (the runner requests it on cancellation, on an expired boot window or timeout, and
/// when a console harness has seen what it waits for). The runner enforces the timeout too;
/// `timeout` is the scenario's, scaled. Called from a runner worker thread.
using RunFn =
    std::function<RunOutcome(const Instance &, const std::string &build_dir, const LineFn &on_line,
                             std::chrono::milliseconds timeout, std::stop_token stop)>;

struct RunnerOptions {
  /// Instances in flight at once (build then run, in one slot); 0: the number of cores.
  unsigned parallel = 0;
  /// Build folders are work_dir/<board>/<scenario>; created as needed. Required.
  std::string work_dir;
  /// A run that prints no line (ztest: no "Running TESTSUITE") within this is a boot timeout.
  /// Counted from the call of RunFn: for a board that is flashed first, include flashing time.
  std::chrono::milliseconds boot_window = std::chrono::seconds(30);
  /// Multiplies each scenario's timeout (slow hosts, real boards).
  double timeout_multiplier = 1.0;
  /// After the ztest verdict (or a console harness's last line) the image has this long to exit
  /// by itself (its exit status then counts) before the run is stopped: images on real boards
  /// and samples never exit.
  std::chrono::milliseconds exit_grace = std::chrono::seconds(1);
};

/// Observers, called from worker threads, never two at once (the runner serialises them).
struct RunnerCallbacks {
  /// An instance enters a phase: "build", "run"; or "done".
  std::function<void(const Instance &, std::string_view phase)> on_phase;
  /// One line of an instance's output (also written to its log file).
  std::function<void(const Instance &, std::string_view line)> on_line;
  /// A test case's result, as soon as it is known.
  std::function<void(const Instance &, const TestCase &)> on_case;
  /// An instance's final result.
  std::function<void(const ScenarioResult &)> on_result;
};

struct RunReport {
  std::vector<ScenarioResult> results;  ///< one per instance, in the order given
  TestRunSummary summary;
  bool cancelled = false;  ///< the stop token was requested before every instance had finished
};

class TestRunner {
 public:
  TestRunner(BuildFn build, RunFn run, RunnerOptions options, RunnerCallbacks callbacks = {});

  /// Builds and runs `instances` (skipped ones are reported as such without building), at most
  /// options.parallel at once, and returns when all are done. On `cancel`, instances not started
  /// are reported skipped ("cancelled"), running ones are stopped through their stop tokens.
  /// Each run's output goes to `<build_dir>/testcase.log` (ScenarioResult::log_path).
  /// @pre no other Run() of this runner is in progress.
  RunReport Run(const std::vector<Instance> &instances, std::stop_token cancel = {});

  /// The BuildSpec for `instance` in `build_dir` (without touching the file system).
  static BuildSpec MakeBuildSpec(const Instance &instance, const std::string &build_dir);

 private:
  BuildFn build_;
  RunFn run_;
  RunnerOptions options_;
  RunnerCallbacks callbacks_;
};

}  // namespace gale::testing
