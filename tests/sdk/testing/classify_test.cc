#include "gale/testing/classify.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_util.h"

namespace gale::testing {
namespace {

using test::ParseData;
using ::testing::HasSubstr;
using ::testing::StartsWith;

Instance ZtestInstance() {
  Instance instance;
  instance.scenario.name = "accept.kernel";
  instance.scenario.timeout_s = 60;
  instance.board = BoardInfo{"qemu_cortex_m3", "arm", 64, true};
  return instance;
}

Observation Exited(int code) {
  Observation o;
  o.ran = true;
  o.outcome.exited = true;
  o.outcome.exit_code = code;
  o.timeout_s = 60;
  o.boot_window_s = 30;
  return o;
}

Observation Stopped(StopReason reason) {
  Observation o;
  o.ran = true;
  o.stop = reason;
  o.timeout_s = 60;
  o.boot_window_s = 30;
  return o;
}

// Classifies recorded output the way the runner does: Finish with DescribeStop, then Classify.
Verdict ClassifyData(const std::string &file, const Observation &o,
                     const Instance &instance = ZtestInstance(),
                     const ConsoleMatcher *console = nullptr) {
  ZtestParser parser = ParseData(file, DescribeStop(o));
  return Classify(instance, o, parser, console);
}

Verdict ClassifyLines(const std::vector<std::string> &lines, const Observation &o,
                      const Instance &instance = ZtestInstance(),
                      const ConsoleMatcher *console = nullptr) {
  ZtestParser parser;
  for (const std::string &line : lines) {
    parser.Feed(line);
  }
  parser.Finish(DescribeStop(o));
  return Classify(instance, o, parser, console);
}

TEST(Classify, PassingSuite) {
  Verdict v = ClassifyData("ztest_accept_qemu_cortex_m3.txt", Exited(0));
  EXPECT_EQ(v.status, ScenarioStatus::kPassed);
  EXPECT_EQ(v.reason, "");
  // An image on a real board never exits: stopped after its verdict, it passed.
  EXPECT_EQ(
      ClassifyData("ztest_accept_qemu_cortex_m3.txt", Stopped(StopReason::kHarnessDone)).status,
      ScenarioStatus::kPassed);
}

TEST(Classify, FailedCaseNamesItAndItsAssertion) {
  Verdict v = ClassifyData("ztest_accept_fail_native_sim.txt", Exited(1));
  EXPECT_EQ(v.status, ScenarioStatus::kFailed);
  EXPECT_EQ(v.reason,
            "1 of 8 cases failed: accept.test_priority_preemption: Assertion failed at "
            "accept_fail/src/main.c:56: accept_test_priority_preemption: order_n not equal to 5");
}

TEST(Classify, ManyFailuresAreCountedAndTheFirstNamed) {
  Verdict v = ClassifyData("ztest_fail_native_sim.txt", Exited(1));
  EXPECT_EQ(v.status, ScenarioStatus::kFailed);
  EXPECT_THAT(v.reason, StartsWith("6 of 10 cases failed: failing.test_b_assert_fails, "
                                   "failing.test_d_expectations_fail, "
                                   "failing.test_f_unexpected_oops, ...: Assertion failed"));
}

TEST(Classify, UnrecoveredFatalErrorIsACrash) {
  for (const char *file :
       {"ztest_accept_crash_native_sim.txt", "ztest_accept_crash_qemu_cortex_m3.txt"}) {
    Verdict v = ClassifyData(file, Exited(1));
    EXPECT_EQ(v.status, ScenarioStatus::kCrash) << file;
    EXPECT_THAT(v.reason, StartsWith("fatal error: CPU exception on CPU 0 (")) << file;
    EXPECT_THAT(v.reason, HasSubstr("in accept.test_heap")) << file;
  }
  // Halted without exiting (a real board): still a crash, not a timeout.
  Verdict halted =
      ClassifyData("ztest_accept_crash_qemu_cortex_m3.txt", Stopped(StopReason::kTimeout));
  EXPECT_EQ(halted.status, ScenarioStatus::kCrash);
}

TEST(Classify, FaultCaughtByZtestIsAFailureNotACrash) {
  Verdict v = ClassifyData("ztest_accept_fatal_hook_qemu_cortex_m3.txt", Exited(1));
  EXPECT_EQ(v.status, ScenarioStatus::kFailed);
  EXPECT_THAT(v.reason, HasSubstr("accept.test_heap: fatal error: CPU exception"));
  EXPECT_EQ(ClassifyData("ztest_kernel_fatal_qemu_cortex_m3.txt", Exited(0)).status,
            ScenarioStatus::kPassed);
}

TEST(Classify, HangIsATimeoutNamingTheBlockedCase) {
  Verdict v = ClassifyData("ztest_accept_hang_qemu_cortex_m3.txt", Stopped(StopReason::kTimeout));
  EXPECT_EQ(v.status, ScenarioStatus::kTimeout);
  EXPECT_EQ(v.reason,
            "still running after the scenario's timeout (60 s); accept.test_heap did not finish");
  // RunFn noticing the timeout itself gives the same verdict.
  Observation o = Stopped(StopReason::kNone);
  o.outcome.timed_out = true;
  EXPECT_EQ(ClassifyData("ztest_accept_hang_qemu_cortex_m3.txt", o).status,
            ScenarioStatus::kTimeout);
}

TEST(Classify, NoOutputOrNoSuiteIsABootTimeout) {
  Verdict silent = ClassifyLines({}, Stopped(StopReason::kBootWindow));
  EXPECT_EQ(silent.status, ScenarioStatus::kBootTimeout);
  EXPECT_EQ(silent.reason, "no output within the boot window (30 s)");
  Verdict banner =
      ClassifyLines({"*** Booting Gale OS v0.1.0 ***"}, Stopped(StopReason::kBootWindow));
  EXPECT_EQ(banner.status, ScenarioStatus::kBootTimeout);
  EXPECT_EQ(banner.reason,
            "no ztest suite started within the boot window (30 s; 1 lines of output)");
  Verdict late = ClassifyLines({"*** Booting Gale OS v0.1.0 ***"}, Stopped(StopReason::kTimeout));
  EXPECT_EQ(late.status, ScenarioStatus::kBootTimeout);
  EXPECT_EQ(late.reason, "no ztest suite started within the scenario's timeout (60 s)");
}

TEST(Classify, BuildAndFlashErrors) {
  Observation build;
  build.build = absl::InternalError("main.c:3:1: error: expected ';'\nninja: build stopped");
  Verdict v = ClassifyLines({}, build);
  EXPECT_EQ(v.status, ScenarioStatus::kBuildError);
  EXPECT_EQ(v.reason, "main.c:3:1: error: expected ';'");

  Observation cancelled_build;
  cancelled_build.build = absl::CancelledError("stopped");
  EXPECT_EQ(ClassifyLines({}, cancelled_build).status, ScenarioStatus::kSkipped);

  Observation flash = Stopped(StopReason::kNone);
  flash.outcome.flash_error = "verify failed at 0x00000400";
  Verdict f = ClassifyLines({}, flash);
  EXPECT_EQ(f.status, ScenarioStatus::kFlashError);
  EXPECT_EQ(f.reason, "verify failed at 0x00000400");
}

TEST(Classify, EmulatorDeathIsACrash) {
  Observation o = Stopped(StopReason::kNone);
  o.outcome.died_reason = "killed by signal SIGKILL";
  Verdict v = ClassifyLines({"Running TESTSUITE accept", "START - test_heap"}, o);
  EXPECT_EQ(v.status, ScenarioStatus::kCrash);
  EXPECT_EQ(v.reason,
            "the emulator died: killed by signal SIGKILL; accept.test_heap did not finish");
}

TEST(Classify, VerdictAndExitStatusMustAgree) {
  Verdict v = ClassifyData("ztest_accept_native_sim.txt", Exited(3));
  EXPECT_EQ(v.status, ScenarioStatus::kFailed);
  EXPECT_THAT(v.reason, HasSubstr("exited with status 3"));
  Verdict early = ClassifyLines({"Running TESTSUITE accept"}, Exited(2));
  EXPECT_EQ(early.status, ScenarioStatus::kFailed);
  EXPECT_THAT(early.reason, HasSubstr("status 2 before its ztest verdict"));
  Verdict plain = ClassifyLines({"Hello World! native_sim"}, Exited(0));
  EXPECT_EQ(plain.status, ScenarioStatus::kFailed);
  EXPECT_THAT(plain.reason, HasSubstr("harness: console"));
}

TEST(Classify, AllCasesSkippedIsSkipped) {
  Verdict v = ClassifyLines({"Running TESTSUITE s", "START - test_a",
                             " SKIP - test_a in 0.000 seconds", "PROJECT EXECUTION SUCCESSFUL"},
                            Exited(0));
  EXPECT_EQ(v.status, ScenarioStatus::kSkipped);
  EXPECT_EQ(v.reason, "all 1 cases skipped");
}

TEST(Classify, SkippedBuildOnlyAndCancelled) {
  Instance skipped = ZtestInstance();
  skipped.skipped = true;
  skipped.skip_reason = "native_sim is not in platform_allow (qemu_cortex_m3)";
  Verdict s = ClassifyLines({}, Observation{}, skipped);
  EXPECT_EQ(s.status, ScenarioStatus::kSkipped);
  EXPECT_EQ(s.reason, skipped.skip_reason);

  Instance build_only = ZtestInstance();
  build_only.scenario.build_only = true;
  Verdict b = ClassifyLines({}, Observation{}, build_only);
  EXPECT_EQ(b.status, ScenarioStatus::kPassed);
  EXPECT_EQ(b.reason, "built only (build_only: true)");

  Instance no_emulator = ZtestInstance();
  no_emulator.board.can_run = false;
  EXPECT_THAT(ClassifyLines({}, Observation{}, no_emulator).reason,
              HasSubstr("qemu_cortex_m3 cannot run images"));

  Observation cancelled_early;
  cancelled_early.stop = StopReason::kCancelled;
  EXPECT_EQ(ClassifyLines({}, cancelled_early).reason, "cancelled before it ran");
  Verdict running =
      ClassifyLines({"Running TESTSUITE s", "START - test_a"}, Stopped(StopReason::kCancelled));
  EXPECT_EQ(running.status, ScenarioStatus::kSkipped);
  EXPECT_EQ(running.reason, "cancelled while running");
}

Instance ConsoleInstance() {
  Instance instance = ZtestInstance();
  instance.scenario.harness = Harness::kConsole;
  instance.scenario.harness_name = "console";
  return instance;
}

TEST(Classify, ConsoleHarnessWithoutRegexChecksTheExitStatus) {
  auto matcher = ConsoleMatcher::Create({}, false);
  ASSERT_TRUE(matcher.ok());
  EXPECT_EQ(ClassifyLines({"Hello"}, Exited(0), ConsoleInstance(), &*matcher).status,
            ScenarioStatus::kPassed);
  Verdict failed = ClassifyLines({"Hello"}, Exited(4), ConsoleInstance(), &*matcher);
  EXPECT_EQ(failed.status, ScenarioStatus::kFailed);
  EXPECT_EQ(failed.reason, "the image exited with status 4");
  Verdict overflow = ClassifyData("console_stack_overflow_qemu_cortex_m3.txt", Exited(3),
                                  ConsoleInstance(), &*matcher);
  EXPECT_EQ(overflow.status, ScenarioStatus::kCrash);
  EXPECT_EQ(overflow.reason,
            "fatal error: Stack overflow on CPU 0 (MemManage fault (exception 4))");
}

TEST(Classify, ConsoleHarnessRegex) {
  auto ordered = ConsoleMatcher::Create({"Hello World! (.*)", "^done$"}, true);
  ASSERT_TRUE(ordered.ok());
  ConsoleMatcher m = *ordered;
  m.Feed("done");  // out of order: not yet
  m.Feed("Hello World! qemu_cortex_m3\r");
  EXPECT_FALSE(m.done());
  EXPECT_EQ(m.Missing(), "^done$");
  m.Feed("done");
  EXPECT_TRUE(m.done());
  EXPECT_EQ(m.Missing(), "");

  auto unordered = ConsoleMatcher::Create({"b", "a"}, false);
  ASSERT_TRUE(unordered.ok());
  ConsoleMatcher u = *unordered;
  u.Feed("a");
  u.Feed("b");
  EXPECT_TRUE(u.done());

  auto hello = ConsoleMatcher::Create({"Hello World!"}, false);
  ASSERT_TRUE(hello.ok());
  ConsoleMatcher hm = *hello;
  hm.Feed("Hello World! qemu_cortex_m3");
  EXPECT_EQ(ClassifyLines({"Hello World! qemu_cortex_m3"}, Stopped(StopReason::kHarnessDone),
                          ConsoleInstance(), &hm)
                .status,
            ScenarioStatus::kPassed);
  auto never = ConsoleMatcher::Create({"Goodbye"}, false);
  ASSERT_TRUE(never.ok());
  Verdict v = ClassifyLines({"Hello"}, Exited(0), ConsoleInstance(), &*never);
  EXPECT_EQ(v.status, ScenarioStatus::kFailed);
  EXPECT_EQ(v.reason, "the image exited with status 0 before printing 'Goodbye'");

  auto bad = ConsoleMatcher::Create({"(unclosed"}, false);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("(unclosed"));
}

TEST(Classify, DescribeStopSaysWhyACaseHasNoResult) {
  EXPECT_EQ(DescribeStop(Stopped(StopReason::kTimeout)),
            "no result: still running when the scenario's timeout (60 s) passed");
  EXPECT_EQ(DescribeStop(Stopped(StopReason::kCancelled)), "no result: the run was cancelled");
  EXPECT_EQ(DescribeStop(Exited(1)), "no result: the image exited with status 1 while it ran");
  Observation died = Stopped(StopReason::kNone);
  died.outcome.died_reason = "QEMU exited: abort";
  EXPECT_EQ(DescribeStop(died), "no result: the emulator died (QEMU exited: abort)");
}

}  // namespace
}  // namespace gale::testing
