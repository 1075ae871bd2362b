#include "gale/testing/runner.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "strings.h"

namespace gale::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char *kFragmentName = "testcase_extra.conf";
constexpr const char *kLogName = "testcase.log";

// One instance in flight: why it was stopped, and the source of its stop token.
class Slot {
 public:
  void Stop(StopReason reason) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (reason_ == StopReason::kNone) {
        reason_ = reason;
      }
    }
    source_.request_stop();
  }
  StopReason reason() const {
    std::lock_guard<std::mutex> lock(mu_);
    return reason_;
  }
  std::stop_token token() const { return source_.get_token(); }

 private:
  mutable std::mutex mu_;
  StopReason reason_ = StopReason::kNone;
  std::stop_source source_;
};

// Deadlines of the runs in flight, watched by one thread: the boot window, the scenario's
// timeout, and the grace after a harness has its verdict. An expired deadline stops its slot.
class Watchdog {
 public:
  Watchdog() : thread_([this] { Loop(); }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      quit_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  void Add(Slot *slot, Clock::time_point boot, Clock::time_point timeout) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      entries_[slot] = Entry{boot, timeout, std::nullopt};
    }
    cv_.notify_all();
  }
  void Booted(Slot *slot) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(slot);
    if (it != entries_.end()) {
      it->second.boot.reset();
    }
  }
  void Grace(Slot *slot, Clock::time_point when) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = entries_.find(slot);
      if (it == entries_.end() || it->second.grace) {
        return;
      }
      it->second.grace = when;
    }
    cv_.notify_all();
  }
  // After Remove() returns, the watchdog no longer touches `slot`.
  void Remove(Slot *slot) {
    std::unique_lock<std::mutex> lock(mu_);
    entries_.erase(slot);
    fired_cv_.wait(lock, [&] { return firing_.count(slot) == 0; });
  }

 private:
  struct Entry {
    std::optional<Clock::time_point> boot;
    Clock::time_point timeout;
    std::optional<Clock::time_point> grace;
  };

  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!quit_) {
      Clock::time_point now = Clock::now();
      Clock::time_point next = Clock::time_point::max();
      std::vector<std::pair<Slot *, StopReason>> fired;
      for (auto it = entries_.begin(); it != entries_.end();) {
        const Entry &e = it->second;
        std::optional<StopReason> reason;
        if (e.grace && *e.grace <= now) {
          reason = StopReason::kHarnessDone;
        } else if (e.boot && *e.boot <= now) {
          reason = StopReason::kBootWindow;
        } else if (e.timeout <= now) {
          reason = StopReason::kTimeout;
        }
        if (reason) {
          fired.emplace_back(it->first, *reason);
          firing_.insert(it->first);
          it = entries_.erase(it);
          continue;
        }
        next = std::min(next, e.timeout);
        if (e.boot) {
          next = std::min(next, *e.boot);
        }
        if (e.grace) {
          next = std::min(next, *e.grace);
        }
        ++it;
      }
      if (!fired.empty()) {
        // A stop runs the RunFn's stop callbacks (killing an emulator): not under our lock.
        lock.unlock();
        for (auto &[slot, reason] : fired) {
          slot->Stop(reason);
        }
        lock.lock();
        for (auto &[slot, reason] : fired) {
          firing_.erase(slot);
        }
        fired_cv_.notify_all();
        continue;
      }
      if (next == Clock::time_point::max()) {
        cv_.wait(lock);
      } else {
        cv_.wait_until(lock, next);
      }
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool quit_ = false;
  std::map<Slot *, Entry> entries_;
  std::set<Slot *> firing_;  // being stopped outside the lock
  std::condition_variable fired_cv_;
  std::thread thread_;  // last: started once the members above exist
};

// Kconfig values for the fragment: extra_configs, and extra_args entries that set a Kconfig symbol
// (Zephyr reads "-DCONFIG_X=y" from the CMake command line; Gale's build reads fragments).
bool IsKconfigArg(std::string_view arg) {
  ConsumePrefix(&arg, "-D");
  return arg.starts_with("CONFIG_") && Contains(arg, "=");
}

std::vector<std::string> FragmentLines(const Instance &instance) {
  std::vector<std::string> lines = instance.ExtraConfigs();
  for (const std::string &arg : instance.ExtraArgs()) {
    if (IsKconfigArg(arg)) {
      std::string_view view(arg);
      ConsumePrefix(&view, "-D");
      lines.emplace_back(view);
    }
  }
  return lines;
}

std::string FragmentText(const Instance &instance, const std::vector<std::string> &configs) {
  std::string text =
      absl::StrCat("# extra_configs of test scenario ", instance.scenario.name, " for ",
                   instance.board.name, ", from ", instance.scenario.yaml_path, "\n");
  for (const std::string &line : configs) {
    absl::StrAppend(&text, line, "\n");
  }
  return text;
}

// Writes the fragment unless it already holds the same text, so that an unchanged scenario does
// not make the next build reconfigure.
absl::Status WriteFragment(const std::string &path, const std::string &text) {
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::stringstream old;
      old << in.rdbuf();
      if (old.str() == text) {
        return absl::OkStatus();
      }
    }
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    return absl::InternalError(absl::StrCat("cannot write the extra_configs fragment ", path));
  }
  return absl::OkStatus();
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

TestRunner::TestRunner(BuildFn build, RunFn run, RunnerOptions options, RunnerCallbacks callbacks)
    : build_(std::move(build)),
      run_(std::move(run)),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)) {}

BuildSpec TestRunner::MakeBuildSpec(const Instance &instance, const std::string &build_dir) {
  BuildSpec spec;
  spec.app_dir = instance.scenario.app_dir;
  spec.board = instance.board.name;
  spec.build_dir = build_dir;
  std::vector<std::string> confs = instance.scenario.extra_conf_files;
  std::vector<std::string> overlays = instance.scenario.extra_dtc_overlay_files;
  auto add_list = [](std::vector<std::string> &to, std::string_view value) {
    for (absl::string_view item :
         absl::StrSplit(Absl(value), absl::ByAnyChar("; "), absl::SkipEmpty())) {
      to.emplace_back(item);
    }
  };
  for (const std::string &arg : instance.ExtraArgs()) {
    if (IsKconfigArg(arg)) {
      continue;  // in the fragment
    }
    std::string_view view(arg);
    ConsumePrefix(&view, "-D");
    if (ConsumePrefix(&view, "EXTRA_CONF_FILE=")) {
      add_list(confs, view);
    } else if (ConsumePrefix(&view, "EXTRA_DTC_OVERLAY_FILE=")) {
      add_list(overlays, view);
    } else if (!arg.empty() && arg[0] == '-') {
      spec.cmake_args.push_back(arg);
    } else {
      spec.cmake_args.push_back(absl::StrCat("-D", arg));
    }
  }
  if (!FragmentLines(instance).empty()) {
    confs.push_back((fs::path(build_dir) / kFragmentName).string());
  }
  if (!confs.empty()) {
    spec.cmake_args.push_back(absl::StrCat("-DEXTRA_CONF_FILE=", absl::StrJoin(confs, ";")));
  }
  if (!overlays.empty()) {
    spec.cmake_args.push_back(
        absl::StrCat("-DEXTRA_DTC_OVERLAY_FILE=", absl::StrJoin(overlays, ";")));
  }
  return spec;
}

RunReport TestRunner::Run(const std::vector<Instance> &instances, std::stop_token cancel) {
  RunReport report;
  report.results.resize(instances.size());
  std::mutex callback_mu;
  auto emit = [&callback_mu](auto &&fn) {
    std::lock_guard<std::mutex> lock(callback_mu);
    fn();
  };
  Watchdog watchdog;

  auto run_one = [&](const Instance &instance) -> ScenarioResult {
    Clock::time_point start = Clock::now();
    ScenarioResult result;
    result.scenario = instance.scenario.name;
    result.board = instance.board.name;
    result.build_dir =
        (fs::path(options_.work_dir) / instance.board.name / instance.scenario.name).string();
    ZtestParser parser([&](const TestCase &test_case) {
      if (callbacks_.on_case) {
        emit([&] { callbacks_.on_case(instance, test_case); });
      }
    });
    Observation observation;
    double timeout_s = instance.scenario.timeout_s * options_.timeout_multiplier;
    observation.timeout_s = timeout_s;
    observation.boot_window_s = std::chrono::duration<double>(options_.boot_window).count();
    std::optional<ConsoleMatcher> console;

    auto finish = [&]() {
      parser.Finish(DescribeStop(observation));
      Verdict verdict = Classify(instance, observation, parser, console ? &*console : nullptr);
      result.status = verdict.status;
      result.reason = verdict.reason;
      result.cases = parser.cases();
      result.seconds = SecondsSince(start);
    };

    if (instance.skipped || cancel.stop_requested()) {
      if (!instance.skipped) {
        observation.stop = StopReason::kCancelled;
      }
      result.build_dir.clear();
      finish();
      return result;
    }
    if (options_.work_dir.empty()) {
      result.status = ScenarioStatus::kBuildError;
      result.reason = "no work folder for build folders (RunnerOptions::work_dir is empty)";
      result.build_dir.clear();
      return result;
    }
    if (instance.scenario.harness == Harness::kConsole) {
      absl::StatusOr<ConsoleMatcher> matcher = ConsoleMatcher::Create(
          instance.scenario.console_regex, instance.scenario.console_ordered);
      if (!matcher.ok()) {
        result.status = ScenarioStatus::kBuildError;
        result.reason = absl::StrCat(instance.scenario.yaml_path, ": ", matcher.status().message());
        result.seconds = SecondsSince(start);
        return result;
      }
      console = std::move(*matcher);
    }

    Slot slot;
    std::stop_callback on_cancel(cancel, [&slot] { slot.Stop(StopReason::kCancelled); });

    // Build.
    if (callbacks_.on_phase) {
      emit([&] { callbacks_.on_phase(instance, "build"); });
    }
    std::error_code ec;
    fs::create_directories(result.build_dir, ec);
    if (ec) {
      observation.build = absl::InternalError(
          absl::StrCat("cannot create the build folder ", result.build_dir, ": ", ec.message()));
    }
    std::vector<std::string> configs = FragmentLines(instance);
    if (observation.build.ok() && !configs.empty()) {
      observation.build = WriteFragment((fs::path(result.build_dir) / kFragmentName).string(),
                                        FragmentText(instance, configs));
    }
    if (observation.build.ok()) {
      observation.build = build_(instance, MakeBuildSpec(instance, result.build_dir), slot.token());
    }
    if (slot.reason() == StopReason::kCancelled) {
      observation.stop = StopReason::kCancelled;
    }
    bool run_it = observation.build.ok() && observation.stop == StopReason::kNone &&
                  !instance.scenario.build_only && instance.board.can_run;
    if (!run_it) {
      finish();
      return result;
    }

    // Run.
    if (callbacks_.on_phase) {
      emit([&] { callbacks_.on_phase(instance, "run"); });
    }
    result.log_path = (fs::path(result.build_dir) / kLogName).string();
    std::ofstream log(result.log_path, std::ios::binary | std::ios::trunc);
    std::mutex line_mu;
    bool closed = false;
    LineFn on_line = [&](std::string_view raw) {
      std::string_view line = raw;
      while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
        line.remove_suffix(1);
      }
      std::lock_guard<std::mutex> lock(line_mu);
      if (closed) {
        return;
      }
      log << line << '\n';
      log.flush();
      parser.Feed(line);
      if (console) {
        console->Feed(line);
      }
      bool booted = console ? parser.any_output() : parser.suite_started();
      if (booted) {
        watchdog.Booted(&slot);
      }
      bool done = console ? (!console->empty() && console->done()) : parser.verdict().has_value();
      if (done) {
        watchdog.Grace(&slot, Clock::now() + options_.exit_grace);
      }
      if (callbacks_.on_line) {
        emit([&] { callbacks_.on_line(instance, line); });
      }
    };
    auto timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
    Clock::time_point run_start = Clock::now();
    watchdog.Add(&slot, run_start + options_.boot_window, run_start + timeout);
    observation.ran = true;
    observation.outcome = run_(instance, result.build_dir, on_line, timeout, slot.token());
    watchdog.Remove(&slot);
    {
      std::lock_guard<std::mutex> lock(line_mu);
      closed = true;
    }
    log.close();
    observation.stop = slot.reason();
    finish();
    return result;
  };

  unsigned parallel = options_.parallel;
  if (parallel == 0) {
    parallel = std::max(1U, std::thread::hardware_concurrency());
  }
  parallel = static_cast<unsigned>(std::min<size_t>(parallel, instances.size()));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < instances.size(); i = next++) {
      ScenarioResult result = run_one(instances[i]);
      emit([&] {
        if (callbacks_.on_result) {
          callbacks_.on_result(result);
        }
        if (callbacks_.on_phase) {
          callbacks_.on_phase(instances[i], "done");
        }
      });
      report.results[i] = std::move(result);
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(parallel);
  for (unsigned i = 0; i < parallel; i++) {
    threads.emplace_back(worker);
  }
  for (std::thread &thread : threads) {
    thread.join();
  }
  report.summary = Summarize(report.results);
  report.cancelled = cancel.stop_requested();
  return report;
}

}  // namespace gale::testing
