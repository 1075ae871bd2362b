// The runner with fake build and run functions (the edge of this unit: the daemon provides the
// real ones). The fakes replay output recorded from real images.
#include "gale/testing/runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "test_util.h"

namespace gale::testing {
namespace {

using test::DataLines;
using test::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Safety net for fakes that wait for the runner: a broken runner fails the test instead of
// hanging it. Never reached when the runner works.
constexpr auto kSafety = std::chrono::seconds(60);

Instance MakeInstance(const std::string &scenario, const std::string &board = "native_sim") {
  Instance instance;
  instance.scenario.name = scenario;
  instance.scenario.app_dir = "/apps/" + scenario;
  instance.scenario.yaml_path = "/apps/" + scenario + "/testcase.yaml";
  instance.scenario.timeout_s = 60;
  instance.board = BoardInfo{board, board == "native_sim" ? "posix" : "arm", 0, true};
  return instance;
}

// Blocks until `stop` is requested (or the safety net).
void WaitForStop(std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock<std::mutex> lock(mu);
  cv.wait_for(lock, stop, kSafety, [] { return false; });
}

BuildFn OkBuild() {
  return [](const Instance &, const BuildSpec &, std::stop_token) { return absl::OkStatus(); };
}

// Replays data/<file> for the instance named in `files`, then exits with `codes`.
struct Replay {
  std::map<std::string, std::string> files;  // scenario -> data file
  std::map<std::string, int> codes;
  RunOutcome operator()(const Instance &instance, const std::string &, const LineFn &on_line,
                        std::chrono::milliseconds, std::stop_token) const {
    for (const std::string &line : DataLines(files.at(instance.scenario.name))) {
      on_line(line + "\r");  // as QEMU sends them
    }
    RunOutcome outcome;
    outcome.exited = true;
    outcome.exit_code = codes.count(instance.scenario.name) ? codes.at(instance.scenario.name) : 0;
    return outcome;
  }
};

TEST(TestRunner, RunsReplayedImagesAndStreamsResults) {
  TempDir work;
  Replay replay{{{"accept.pass", "ztest_accept_qemu_cortex_m3.txt"},
                 {"accept.fail", "ztest_accept_fail_qemu_cortex_m3.txt"},
                 {"accept.crash", "ztest_accept_crash_qemu_cortex_m3.txt"}},
                {{"accept.fail", 1}, {"accept.crash", 1}}};
  std::mutex mu;
  std::vector<std::string> events;
  std::atomic<int> in_callback{0};
  std::atomic<bool> overlapped{false};
  auto enter = [&] {
    if (in_callback.fetch_add(1) != 0) {
      overlapped = true;
    }
  };
  auto leave = [&] { in_callback.fetch_sub(1); };
  RunnerCallbacks callbacks;
  callbacks.on_case = [&](const Instance &i, const TestCase &c) {
    enter();
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(i.scenario.name + " " + c.name + " " + std::string(ToString(c.status)));
    leave();
  };
  size_t lines = 0;
  callbacks.on_line = [&](const Instance &, std::string_view line) {
    enter();
    EXPECT_FALSE(line.ends_with("\r"));
    lines++;
    leave();
  };
  std::vector<std::string> finished;
  callbacks.on_result = [&](const ScenarioResult &r) {
    enter();
    finished.push_back(r.scenario);
    leave();
  };
  RunnerOptions options;
  options.parallel = 2;
  options.work_dir = work.path();
  TestRunner runner(OkBuild(), replay, options, callbacks);
  std::vector<Instance> instances = {MakeInstance("accept.pass", "qemu_cortex_m3"),
                                     MakeInstance("accept.fail", "qemu_cortex_m3"),
                                     MakeInstance("accept.crash", "qemu_cortex_m3")};
  RunReport report = runner.Run(instances);

  EXPECT_FALSE(overlapped) << "callbacks ran concurrently";
  EXPECT_FALSE(report.cancelled);
  ASSERT_EQ(report.results.size(), 3u);
  const ScenarioResult &pass = report.results[0];
  EXPECT_EQ(pass.scenario, "accept.pass");
  EXPECT_EQ(pass.board, "qemu_cortex_m3");
  EXPECT_EQ(pass.status, ScenarioStatus::kPassed) << pass.reason;
  EXPECT_EQ(pass.cases.size(), 8u);
  EXPECT_EQ(pass.build_dir, work.path() + "/qemu_cortex_m3/accept.pass");
  EXPECT_EQ(pass.log_path, pass.build_dir + "/testcase.log");
  // The log holds the output, one line per line, without carriage returns.
  std::string log = test::ReadFile(pass.log_path);
  EXPECT_THAT(log, HasSubstr("\nPROJECT EXECUTION SUCCESSFUL\n"));
  EXPECT_EQ(log.find('\r'), std::string::npos);

  EXPECT_EQ(report.results[1].status, ScenarioStatus::kFailed);
  EXPECT_THAT(report.results[1].reason, HasSubstr("accept.test_priority_preemption"));
  EXPECT_EQ(report.results[2].status, ScenarioStatus::kCrash);
  ASSERT_EQ(report.results[2].cases.size(), 1u);
  EXPECT_EQ(report.results[2].cases[0].status, CaseStatus::kBlocked);

  // Every case was streamed: 8 + 8 + 1.
  EXPECT_EQ(events.size(), 17u);
  EXPECT_EQ(std::count(events.begin(), events.end(), "accept.fail test_priority_preemption failed"),
            1);
  EXPECT_EQ(std::count(events.begin(), events.end(), "accept.crash test_heap blocked"), 1);
  EXPECT_GT(lines, 90u);
  EXPECT_EQ(finished.size(), 3u);

  EXPECT_EQ(report.summary.passed, 15u);
  EXPECT_EQ(report.summary.failed, 2u);
  EXPECT_EQ(report.summary.errors, 1u);
}

TEST(TestRunner, PassesExtraConfigsAsAFragmentAndExtraArgsToTheBuild) {
  TempDir work;
  Instance instance = MakeInstance("kernel.variant", "qemu_cortex_m3");
  instance.scenario.extra_configs = {"CONFIG_A=y", "arch:posix:CONFIG_POSIX_ONLY=y",
                                     "CONFIG_NAME=\"two words\""};
  instance.scenario.extra_args = {"CONF_FILE=prj_x.conf", "-DFOO=1",
                                  "EXTRA_CONF_FILE=a.conf;b.conf", "CONFIG_FROM_ARGS=y",
                                  "-DEXTRA_DTC_OVERLAY_FILE=y.overlay"};
  instance.scenario.extra_conf_files = {"overlay.conf"};
  instance.scenario.extra_dtc_overlay_files = {"x.overlay"};
  instance.scenario.build_only = true;
  BuildSpec seen;
  std::string fragment;
  BuildFn build = [&](const Instance &, const BuildSpec &spec, std::stop_token) {
    seen = spec;
    fragment = test::ReadFile(spec.build_dir + "/testcase_extra.conf");
    return absl::OkStatus();
  };
  RunFn run = [](const Instance &, const std::string &, const LineFn &, std::chrono::milliseconds,
                 std::stop_token) -> RunOutcome {
    ADD_FAILURE() << "a build_only scenario was run";
    return {};
  };
  RunnerOptions options;
  options.work_dir = work.path();
  RunReport report = TestRunner(build, run, options).Run({instance});

  std::string dir = work.path() + "/qemu_cortex_m3/kernel.variant";
  EXPECT_EQ(seen.app_dir, "/apps/kernel.variant");
  EXPECT_EQ(seen.board, "qemu_cortex_m3");
  EXPECT_EQ(seen.build_dir, dir);
  EXPECT_THAT(seen.cmake_args, ElementsAre("-DCONF_FILE=prj_x.conf", "-DFOO=1",
                                           "-DEXTRA_CONF_FILE=overlay.conf;a.conf;b.conf;" + dir +
                                               "/testcase_extra.conf",
                                           "-DEXTRA_DTC_OVERLAY_FILE=x.overlay;y.overlay"));
  EXPECT_THAT(fragment, HasSubstr("\nCONFIG_A=y\nCONFIG_NAME=\"two words\"\nCONFIG_FROM_ARGS=y\n"));
  EXPECT_THAT(fragment, ::testing::Not(HasSubstr("POSIX_ONLY")));
  EXPECT_EQ(TestRunner::MakeBuildSpec(instance, dir).cmake_args, seen.cmake_args);
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].status, ScenarioStatus::kPassed);
  EXPECT_EQ(report.results[0].reason, "built only (build_only: true)");
  EXPECT_THAT(report.results[0].log_path, IsEmpty());
}

TEST(TestRunner, NeverRunsMoreThanTheParallelBound) {
  TempDir work;
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  int most = 0;
  int started = 0;
  constexpr int kParallel = 3;
  auto enter_and_wait = [&] {
    std::unique_lock<std::mutex> lock(mu);
    in_flight++;
    started++;
    most = std::max(most, in_flight);
    cv.notify_all();
    // Hold the slot until the bound is reached, so that a runner that allowed more would be
    // caught, or until nothing more can start (the last instances).
    cv.wait_for(lock, kSafety, [&] { return in_flight >= kParallel || started >= 8; });
  };
  auto leave = [&] {
    std::lock_guard<std::mutex> lock(mu);
    in_flight--;
    cv.notify_all();
  };
  BuildFn build = [&](const Instance &, const BuildSpec &, std::stop_token) {
    enter_and_wait();
    return absl::OkStatus();
  };
  RunFn run = [&](const Instance &, const std::string &, const LineFn &on_line,
                  std::chrono::milliseconds, std::stop_token) {
    on_line("Running TESTSUITE s");
    on_line(" PASS - test_a in 0.000 seconds");
    on_line("PROJECT EXECUTION SUCCESSFUL");
    leave();
    RunOutcome outcome;
    outcome.exited = true;
    return outcome;
  };
  std::vector<Instance> instances;
  for (int i = 0; i < 8; i++) {
    instances.push_back(MakeInstance("s" + std::to_string(i)));
  }
  RunnerOptions options;
  options.parallel = kParallel;
  options.work_dir = work.path();
  RunReport report = TestRunner(build, run, options).Run(instances);
  EXPECT_EQ(most, kParallel);
  ASSERT_EQ(report.results.size(), 8u);
  for (const ScenarioResult &r : report.results) {
    EXPECT_EQ(r.status, ScenarioStatus::kPassed) << r.scenario << ": " << r.reason;
  }
  EXPECT_EQ(report.summary.passed, 8u);
}

TEST(TestRunner, CancellationStopsRunningInstancesAndSkipsTheRest) {
  TempDir work;
  std::stop_source cancel;
  std::mutex mu;
  std::condition_variable cv;
  int running = 0;
  std::set<std::string> built;
  BuildFn build = [&](const Instance &i, const BuildSpec &, std::stop_token) {
    std::lock_guard<std::mutex> lock(mu);
    built.insert(i.scenario.name);
    return absl::OkStatus();
  };
  RunFn run = [&](const Instance &, const std::string &, const LineFn &on_line,
                  std::chrono::milliseconds, std::stop_token stop) {
    on_line("Running TESTSUITE s");
    on_line("START - test_forever");
    {
      std::lock_guard<std::mutex> lock(mu);
      running++;
    }
    cv.notify_all();
    WaitForStop(stop);
    EXPECT_TRUE(stop.stop_requested());
    return RunOutcome{};  // killed: no exit status
  };
  std::vector<Instance> instances;
  for (int i = 0; i < 5; i++) {
    instances.push_back(MakeInstance("s" + std::to_string(i)));
  }
  RunnerOptions options;
  options.parallel = 2;
  options.work_dir = work.path();
  TestRunner runner(build, run, options);
  std::thread canceller([&] {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, kSafety, [&] { return running == 2; });
    lock.unlock();
    cancel.request_stop();
  });
  RunReport report = runner.Run(instances, cancel.get_token());
  canceller.join();

  EXPECT_TRUE(report.cancelled);
  ASSERT_EQ(report.results.size(), 5u);
  EXPECT_EQ(built.size(), 2u) << "instances not started were built";
  int while_running = 0;
  int before = 0;
  for (const ScenarioResult &r : report.results) {
    EXPECT_EQ(r.status, ScenarioStatus::kSkipped) << r.scenario;
    if (r.reason == "cancelled while running") {
      while_running++;
      ASSERT_EQ(r.cases.size(), 1u);
      EXPECT_EQ(r.cases[0].status, CaseStatus::kBlocked);
      EXPECT_EQ(r.cases[0].message, "no result: the run was cancelled");
    } else {
      EXPECT_EQ(r.reason, "cancelled before it ran");
      before++;
    }
  }
  EXPECT_EQ(while_running, 2);
  EXPECT_EQ(before, 3);
}

TEST(TestRunner, CancelledBuildIsNotAnError) {
  TempDir work;
  std::stop_source cancel;
  BuildFn build = [&](const Instance &, const BuildSpec &, std::stop_token stop) {
    cancel.request_stop();
    EXPECT_TRUE(stop.stop_requested());
    return absl::CancelledError("build stopped");
  };
  RunFn run = [](const Instance &, const std::string &, const LineFn &, std::chrono::milliseconds,
                 std::stop_token) -> RunOutcome {
    ADD_FAILURE() << "ran after a cancelled build";
    return {};
  };
  RunnerOptions options;
  options.work_dir = work.path();
  RunReport report = TestRunner(build, run, options).Run({MakeInstance("s")}, cancel.get_token());
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].status, ScenarioStatus::kSkipped);
  EXPECT_EQ(report.results[0].reason, "cancelled while building");
}

// A RunFn that prints `lines` then hangs until the runner stops it.
RunFn Hang(std::vector<std::string> lines) {
  return [lines](const Instance &, const std::string &, const LineFn &on_line,
                 std::chrono::milliseconds, std::stop_token stop) {
    for (const std::string &line : lines) {
      on_line(line);
    }
    WaitForStop(stop);
    return RunOutcome{};
  };
}

TEST(TestRunner, ClassifiesHangsAndSilence) {
  TempDir work;
  RunnerOptions options;
  options.work_dir = work.path();
  options.timeout_multiplier = 0.001;  // 60 s scenarios time out after 60 ms
  options.boot_window = std::chrono::hours(1);

  RunReport hang =
      TestRunner(OkBuild(), Hang({"Running TESTSUITE s", "START - test_forever"}), options)
          .Run({MakeInstance("hang")});
  ASSERT_EQ(hang.results.size(), 1u);
  EXPECT_EQ(hang.results[0].status, ScenarioStatus::kTimeout) << hang.results[0].reason;
  EXPECT_THAT(hang.results[0].reason, HasSubstr("s.test_forever did not finish"));
  ASSERT_EQ(hang.results[0].cases.size(), 1u);
  EXPECT_EQ(hang.results[0].cases[0].status, CaseStatus::kBlocked);

  RunnerOptions boot = options;
  boot.timeout_multiplier = 1000;
  boot.boot_window = std::chrono::milliseconds(50);
  RunReport silent = TestRunner(OkBuild(), Hang({}), boot).Run({MakeInstance("silent")});
  EXPECT_EQ(silent.results[0].status, ScenarioStatus::kBootTimeout);
  EXPECT_EQ(silent.results[0].reason, "no output within the boot window (0.05 s)");

  RunReport banner =
      TestRunner(OkBuild(), Hang({"*** Booting Gale OS ***"}), boot).Run({MakeInstance("banner")});
  EXPECT_EQ(banner.results[0].status, ScenarioStatus::kBootTimeout);
  EXPECT_THAT(banner.results[0].reason, HasSubstr("no ztest suite started"));
}

TEST(TestRunner, StopsAnImageThatDoesNotExitAfterItsVerdict) {
  TempDir work;
  RunnerOptions options;
  options.work_dir = work.path();
  options.exit_grace = std::chrono::milliseconds(10);
  std::vector<std::string> lines = DataLines("ztest_accept_native_sim.txt");
  RunReport report = TestRunner(OkBuild(), Hang(lines), options).Run({MakeInstance("board")});
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].status, ScenarioStatus::kPassed) << report.results[0].reason;
  EXPECT_EQ(report.results[0].cases.size(), 8u);

  // A console harness is done when its regexes matched.
  Instance hello = MakeInstance("sample.hello");
  hello.scenario.harness = Harness::kConsole;
  hello.scenario.console_regex = {"Hello World! (.*)"};
  RunReport console =
      TestRunner(OkBuild(), Hang({"*** Booting ***", "Hello World! native_sim"}), options)
          .Run({hello});
  EXPECT_EQ(console.results[0].status, ScenarioStatus::kPassed) << console.results[0].reason;
  EXPECT_THAT(console.results[0].cases, IsEmpty());
}

TEST(TestRunner, BuildFlashAndDeathErrors) {
  TempDir work;
  RunnerOptions options;
  options.work_dir = work.path();
  BuildFn build = [](const Instance &i, const BuildSpec &, std::stop_token) {
    if (i.scenario.name == "broken") {
      return absl::InternalError("src/main.c:3:1: error: expected ';' before '}' token\nmore");
    }
    return absl::OkStatus();
  };
  std::atomic<int> runs{0};
  RunFn run = [&](const Instance &i, const std::string &, const LineFn &on_line,
                  std::chrono::milliseconds, std::stop_token) {
    runs++;
    RunOutcome outcome;
    if (i.scenario.name == "noflash") {
      outcome.flash_error = "gdbstub closed the connection while loading segment 1";
    } else {
      on_line("Running TESTSUITE s");
      on_line("START - test_a");
      outcome.died_reason = "QEMU killed by signal SIGSEGV";
    }
    return outcome;
  };
  Instance filtered = MakeInstance("filtered");
  filtered.skipped = true;
  filtered.skip_reason = "native_sim is not in platform_allow (qemu_cortex_m3)";
  RunReport report =
      TestRunner(build, run, options)
          .Run({MakeInstance("broken"), MakeInstance("noflash"), MakeInstance("died"), filtered});
  ASSERT_EQ(report.results.size(), 4u);
  EXPECT_EQ(report.results[0].status, ScenarioStatus::kBuildError);
  EXPECT_EQ(report.results[0].reason, "src/main.c:3:1: error: expected ';' before '}' token");
  EXPECT_EQ(report.results[1].status, ScenarioStatus::kFlashError);
  EXPECT_EQ(report.results[2].status, ScenarioStatus::kCrash);
  EXPECT_EQ(report.results[2].reason,
            "the emulator died: QEMU killed by signal SIGSEGV; s.test_a did not finish");
  EXPECT_EQ(report.results[3].status, ScenarioStatus::kSkipped);
  EXPECT_EQ(report.results[3].reason, filtered.skip_reason);
  EXPECT_THAT(report.results[3].build_dir, IsEmpty());
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(report.summary.errors, 3u);
  EXPECT_EQ(report.summary.skipped, 1u);
  EXPECT_EQ(report.summary.failed, 1u);  // the blocked case of "died"
}

TEST(TestRunner, NeedsAWorkFolder) {
  RunReport report = TestRunner(OkBuild(), Hang({}), RunnerOptions{}).Run({MakeInstance("s")});
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].status, ScenarioStatus::kBuildError);
  EXPECT_THAT(report.results[0].reason, HasSubstr("work_dir"));
}

TEST(TestRunner, BadConsoleRegexIsReportedNotRun) {
  TempDir work;
  RunnerOptions options;
  options.work_dir = work.path();
  Instance bad = MakeInstance("bad.regex");
  bad.scenario.harness = Harness::kConsole;
  bad.scenario.console_regex = {"(unclosed"};
  RunReport report = TestRunner(OkBuild(), Hang({}), options).Run({bad});
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].status, ScenarioStatus::kBuildError);
  EXPECT_THAT(report.results[0].reason, HasSubstr("(unclosed"));
  EXPECT_THAT(report.results[0].reason, HasSubstr("/apps/bad.regex/testcase.yaml"));
}

}  // namespace
}  // namespace gale::testing
