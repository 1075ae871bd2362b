#include "gale/testing/ztest_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "test_util.h"

namespace gale::testing {
namespace {

using test::DataLines;
using test::ParseData;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::map<std::string, CaseStatus> Statuses(const ZtestParser &parser) {
  std::map<std::string, CaseStatus> out;
  for (const TestCase &c : parser.cases()) {
    out[c.suite + "." + c.name] = c.status;
  }
  return out;
}

const TestCase &Case(const ZtestParser &parser, const std::string &suite, const std::string &name) {
  for (const TestCase &c : parser.cases()) {
    if (c.suite == suite && c.name == name) {
      return c;
    }
  }
  ADD_FAILURE() << "no case " << suite << "." << name;
  static TestCase none;
  return none;
}

const char *const kAcceptCases[] = {"test_heap",
                                    "test_irq_offload",
                                    "test_msgq_and_fifo",
                                    "test_mutex_priority_inheritance",
                                    "test_priority_preemption",
                                    "test_sem_timeouts",
                                    "test_timer_period",
                                    "test_work_queue"};

class AcceptPasses : public ::testing::TestWithParam<std::string> {};

TEST_P(AcceptPasses, EightPassedCasesAndASuccessfulVerdict) {
  ZtestParser parser = ParseData(GetParam());
  EXPECT_TRUE(parser.suite_started());
  EXPECT_EQ(parser.verdict(), true);
  ASSERT_EQ(parser.cases().size(), 8u);
  for (size_t i = 0; i < 8; i++) {
    const TestCase &c = parser.cases()[i];
    EXPECT_EQ(c.suite, "accept");
    EXPECT_EQ(c.name, kAcceptCases[i]);
    EXPECT_EQ(c.status, CaseStatus::kPassed) << c.name;
    EXPECT_THAT(c.message, IsEmpty());
  }
  EXPECT_DOUBLE_EQ(Case(parser, "accept", "test_timer_period").seconds, 0.105);
  EXPECT_DOUBLE_EQ(Case(parser, "accept", "test_work_queue").seconds, 0.055);
  EXPECT_THAT(parser.fatal_errors(), IsEmpty());
  EXPECT_EQ(parser.unexpected_fatal(), nullptr);
}

INSTANTIATE_TEST_SUITE_P(RecordedOutput, AcceptPasses,
                         ::testing::Values("ztest_accept_native_sim.txt",
                                           "ztest_accept_qemu_cortex_m3.txt"));

TEST(ZtestParser, ReportsEachCaseAsItsResultLineArrives) {
  std::vector<std::string> reported;
  ZtestParser parser([&](const TestCase &c) { reported.push_back(c.name); });
  std::vector<std::string> lines = DataLines("ztest_accept_qemu_cortex_m3.txt");
  size_t fed = 0;
  for (; fed < lines.size(); fed++) {
    parser.Feed(lines[fed]);
    if (lines[fed].find("PASS - test_irq_offload in") != std::string::npos) {
      break;
    }
  }
  // Two results so far; the run is still going.
  EXPECT_THAT(reported, ElementsAre("test_heap", "test_irq_offload"));
  EXPECT_FALSE(parser.verdict().has_value());
  parser.Feed(lines[++fed]);  // the separator
  parser.Feed(lines[++fed]);  // START - test_msgq_and_fifo
  EXPECT_EQ(parser.running_case(), "accept.test_msgq_and_fifo");
  for (fed++; fed < lines.size(); fed++) {
    parser.Feed(lines[fed]);
  }
  parser.Finish();
  // The summary block does not report the cases twice.
  EXPECT_EQ(reported.size(), 8u);
  EXPECT_EQ(parser.cases().size(), 8u);
}

TEST(ZtestParser, ChunkedDataParsesLikeLines) {
  std::string text =
      test::ReadFile(std::string(GALE_TESTING_DATA_DIR) + "/ztest_accept_fail_qemu_cortex_m3.txt");
  ZtestParser whole = ParseData("ztest_accept_fail_qemu_cortex_m3.txt");
  for (size_t chunk : {1u, 7u, 64u, 4096u}) {
    ZtestParser parser;
    for (size_t pos = 0; pos < text.size(); pos += chunk) {
      parser.FeedData(std::string_view(text).substr(pos, chunk));
    }
    parser.Finish();
    ASSERT_EQ(parser.cases().size(), whole.cases().size()) << "chunk " << chunk;
    for (size_t i = 0; i < whole.cases().size(); i++) {
      EXPECT_EQ(parser.cases()[i].name, whole.cases()[i].name);
      EXPECT_EQ(parser.cases()[i].status, whole.cases()[i].status);
      EXPECT_EQ(parser.cases()[i].message, whole.cases()[i].message);
    }
    EXPECT_EQ(parser.verdict(), whole.verdict());
  }
}

class AcceptFails : public ::testing::TestWithParam<std::string> {};

TEST_P(AcceptFails, TheEditedAssertionFailsItsCaseOnly) {
  ZtestParser parser = ParseData(GetParam());
  EXPECT_EQ(parser.verdict(), false);
  ASSERT_EQ(parser.cases().size(), 8u);
  for (const TestCase &c : parser.cases()) {
    if (c.name == "test_priority_preemption") {
      EXPECT_EQ(c.status, CaseStatus::kFailed);
      EXPECT_EQ(c.message,
                "Assertion failed at accept_fail/src/main.c:56: accept_test_priority_preemption: "
                "order_n not equal to 5");
      EXPECT_DOUBLE_EQ(c.seconds, 0.005);
    } else {
      EXPECT_EQ(c.status, CaseStatus::kPassed) << c.name;
    }
  }
  EXPECT_EQ(parser.unexpected_fatal(), nullptr);
}

INSTANTIATE_TEST_SUITE_P(RecordedOutput, AcceptFails,
                         ::testing::Values("ztest_accept_fail_native_sim.txt",
                                           "ztest_accept_fail_qemu_cortex_m3.txt"));

TEST(ZtestParser, FailureMessagesOfEveryKind) {
  ZtestParser parser = ParseData("ztest_fail_native_sim.txt");
  EXPECT_EQ(parser.verdict(), false);
  EXPECT_EQ(parser.cases().size(), 10u);
  // The test's own message follows the assertion report.
  EXPECT_EQ(Case(parser, "failing", "test_b_assert_fails").message,
            "Assertion failed at tests/subsys/testsuite/ztest_fail/src/main.c:19: "
            "failing_test_b_assert_fails: 1 + 1 not equal to 3 (arithmetic says 2)");
  // The first of two failed expectations.
  EXPECT_THAT(Case(parser, "failing", "test_d_expectations_fail").message,
              HasSubstr("main.c:31: failing_test_d_expectations_fail: 2 not equal to 3"));
  EXPECT_EQ(Case(parser, "failing", "test_d_expectations_fail").status, CaseStatus::kFailed);
  // An oops the test did not expect: ztest's fatal hook fails the case, the run goes on.
  const TestCase &oops = Case(parser, "failing", "test_f_unexpected_oops");
  EXPECT_EQ(oops.status, CaseStatus::kFailed);
  EXPECT_EQ(oops.message, "fatal error: Kernel oops on CPU 0 in failing.test_f_unexpected_oops");
  EXPECT_EQ(Case(parser, "failing", "test_g_runs_after_oops").status, CaseStatus::kPassed);
  // An after function failing fails the case it ran after.
  EXPECT_THAT(Case(parser, "hooks_fail", "test_passes_but_after_fails").message,
              HasSubstr("hooks_fail_after: Reached unreachable code (after fails)"));
  // A failed suite setup explains the cases that could not run.
  const TestCase &never = Case(parser, "setup_fails", "test_never_runs");
  EXPECT_EQ(never.status, CaseStatus::kFailed);
  EXPECT_THAT(never.message,
              HasSubstr("setup_fails_setup: Reached unreachable code (setup fails)"));
  ASSERT_EQ(parser.fatal_errors().size(), 2u);
  EXPECT_FALSE(parser.fatal_errors()[0].expected);
  EXPECT_EQ(parser.fatal_errors()[0].test_case, "test_f_unexpected_oops");
}

TEST(ZtestParser, SkipsAndSuitesThatNeverRan) {
  ZtestParser parser = ParseData("ztest_self_native_sim.txt");
  EXPECT_EQ(parser.verdict(), true);
  auto statuses = Statuses(parser);
  EXPECT_EQ(statuses["outcomes.test_assume_skips"], CaseStatus::kSkipped);
  EXPECT_THAT(Case(parser, "outcomes", "test_assume_skips").message,
              HasSubstr("Assumption failed at"));
  EXPECT_EQ(statuses["outcomes.test_skip_explicit"], CaseStatus::kSkipped);
  EXPECT_EQ(statuses["skip_setup.test_never_runs"], CaseStatus::kSkipped);
  // A suite whose predicate kept it from running appears in the summary only.
  ASSERT_EQ(statuses.count("never.test_never"), 1u);
  EXPECT_EQ(statuses["never.test_never"], CaseStatus::kSkipped);
  for (const TestCase &c : parser.cases()) {
    EXPECT_NE(c.status, CaseStatus::kFailed) << c.suite << "." << c.name << ": " << c.message;
    EXPECT_NE(c.status, CaseStatus::kBlocked) << c.suite << "." << c.name;
  }
  // Expected failed __ASSERT()s in outcomes are not fatal errors.
  EXPECT_EQ(parser.unexpected_fatal(), nullptr);
}

TEST(ZtestParser, ExpectedFaultsAreNotCrashes) {
  ZtestParser parser = ParseData("ztest_kernel_fatal_qemu_cortex_m3.txt");
  EXPECT_EQ(parser.verdict(), true);
  EXPECT_EQ(parser.cases().size(), 5u);
  ASSERT_EQ(parser.fatal_errors().size(), 5u);
  for (const FatalError &fatal : parser.fatal_errors()) {
    EXPECT_TRUE(fatal.expected) << fatal.line;
  }
  EXPECT_EQ(parser.unexpected_fatal(), nullptr);
  EXPECT_EQ(parser.fatal_errors()[2].fault, "MemManage fault (exception 4)");
  EXPECT_EQ(parser.fatal_errors()[2].line, "GALE FATAL ERROR 2: Stack overflow on CPU 0");
  for (const TestCase &c : parser.cases()) {
    EXPECT_EQ(c.status, CaseStatus::kPassed) << c.name;
  }
}

class AcceptCrashes : public ::testing::TestWithParam<std::string> {};

TEST_P(AcceptCrashes, TheFaultingCaseIsBlockedByTheFatalError) {
  ZtestParser parser = ParseData(GetParam(), "no result: the image exited with status 1");
  EXPECT_FALSE(parser.verdict().has_value());
  ASSERT_EQ(parser.cases().size(), 1u);
  const TestCase &heap = parser.cases()[0];
  EXPECT_EQ(heap.name, "test_heap");
  EXPECT_EQ(heap.status, CaseStatus::kBlocked);
  const FatalError *fatal = parser.unexpected_fatal();
  ASSERT_NE(fatal, nullptr);
  EXPECT_EQ(fatal->line, "GALE FATAL ERROR 0: CPU exception on CPU 0");
  EXPECT_EQ(fatal->test_case, "test_heap");
  EXPECT_EQ(heap.message, fatal->Describe());
  EXPECT_THAT(heap.message, HasSubstr("fatal error: CPU exception on CPU 0 ("));
  EXPECT_THAT(heap.message, HasSubstr(") in accept.test_heap"));
}

INSTANTIATE_TEST_SUITE_P(RecordedOutput, AcceptCrashes,
                         ::testing::Values("ztest_accept_crash_native_sim.txt",
                                           "ztest_accept_crash_qemu_cortex_m3.txt"));

TEST(ZtestParser, DescribesTheFault) {
  ZtestParser parser = ParseData("ztest_accept_crash_qemu_cortex_m3.txt");
  ASSERT_NE(parser.unexpected_fatal(), nullptr);
  EXPECT_EQ(parser.unexpected_fatal()->Describe(),
            "fatal error: CPU exception on CPU 0 (UsageFault (exception 6)) in accept.test_heap");
  ZtestParser native = ParseData("ztest_accept_crash_native_sim.txt");
  ASSERT_NE(native.unexpected_fatal(), nullptr);
  EXPECT_EQ(native.unexpected_fatal()->fault, "Segmentation fault at address 0xfffffff0");
}

TEST(ZtestParser, FatalHookTurnsTheFaultIntoAFailedCase) {
  ZtestParser parser = ParseData("ztest_accept_fatal_hook_qemu_cortex_m3.txt");
  EXPECT_EQ(parser.verdict(), false);
  ASSERT_EQ(parser.cases().size(), 8u);
  const TestCase &heap = Case(parser, "accept", "test_heap");
  EXPECT_EQ(heap.status, CaseStatus::kFailed);
  EXPECT_EQ(heap.message,
            "fatal error: CPU exception on CPU 0 (UsageFault (exception 6)) in accept.test_heap");
  ASSERT_NE(parser.unexpected_fatal(), nullptr);
}

TEST(ZtestParser, ACaseStillRunningWhenOutputStopsIsBlocked) {
  ZtestParser parser = ParseData("ztest_accept_hang_qemu_cortex_m3.txt",
                                 "no result: still running when the timeout passed");
  EXPECT_TRUE(parser.suite_started());
  EXPECT_FALSE(parser.verdict().has_value());
  ASSERT_EQ(parser.cases().size(), 1u);
  EXPECT_EQ(parser.cases()[0].name, "test_heap");
  EXPECT_EQ(parser.cases()[0].status, CaseStatus::kBlocked);
  EXPECT_EQ(parser.cases()[0].message, "no result: still running when the timeout passed");
  EXPECT_EQ(parser.unexpected_fatal(), nullptr);
  EXPECT_FALSE(parser.running_case().has_value());
}

TEST(ZtestParser, StackOverflowOfAPlainApplication) {
  ZtestParser parser = ParseData("console_stack_overflow_qemu_cortex_m3.txt");
  EXPECT_FALSE(parser.suite_started());
  EXPECT_THAT(parser.cases(), IsEmpty());
  ASSERT_NE(parser.unexpected_fatal(), nullptr);
  EXPECT_EQ(parser.unexpected_fatal()->Describe(),
            "fatal error: Stack overflow on CPU 0 (MemManage fault (exception 4))");
}

TEST(ZtestParser, FindsReportsAmongOtherOutput) {
  ZtestParser parser;
  parser.Feed("\x1b[1;32m*** Booting ***\x1b[0m");
  parser.Feed("Running TESTSUITE s\r");
  parser.Feed("thread says hiSTART - test_a");  // not at a word start: not a START
  parser.Feed("thread says hi START - test_a");
  parser.Feed("  PASS - test_a in 1.250 seconds  ");
  parser.Feed(
      "SUITE PASS - 100.00% [s]: pass = 1, fail = 0, skip = 0, total = 1 duration = 1.250 seconds");
  parser.Feed("[00:00:00.010,000] <err> os: >>> ZEPHYR FATAL ERROR 4: Kernel panic on CPU 0");
  parser.Finish();
  ASSERT_EQ(parser.cases().size(), 1u);
  EXPECT_EQ(parser.cases()[0].suite, "s");
  EXPECT_EQ(parser.cases()[0].name, "test_a");
  EXPECT_EQ(parser.cases()[0].status, CaseStatus::kPassed);
  EXPECT_DOUBLE_EQ(parser.cases()[0].seconds, 1.25);
  ASSERT_NE(parser.unexpected_fatal(), nullptr);
  EXPECT_EQ(parser.unexpected_fatal()->Describe(), "fatal error: Kernel panic on CPU 0");
}

TEST(ZtestParser, AResultWithoutStartIsStillACase) {
  // Without CONFIG_ZTEST_VERBOSE_OUTPUT... a harness may still see result lines only.
  ZtestParser parser;
  parser.Feed(" FAIL - test_x in 0.000 seconds");
  parser.Feed("PROJECT EXECUTION FAILED");
  parser.Finish();
  ASSERT_EQ(parser.cases().size(), 1u);
  EXPECT_EQ(parser.cases()[0].suite, "");
  EXPECT_EQ(parser.cases()[0].status, CaseStatus::kFailed);
}

TEST(ZtestParser, LinesAfterFinishAreIgnored) {
  ZtestParser parser;
  parser.Feed("Running TESTSUITE s");
  parser.FeedData("START - test_a\n PASS - test_a in 0.0");
  parser.Finish();  // the unterminated tail is parsed
  parser.Feed(" PASS - test_b in 0.000 seconds");
  ASSERT_EQ(parser.cases().size(), 1u);
  // "0.0" lacks " seconds": test_a has no result, so it is blocked.
  EXPECT_EQ(parser.cases()[0].status, CaseStatus::kBlocked);
  EXPECT_EQ(parser.cases()[0].message, "no result: the output ended while it ran");
}

}  // namespace
}  // namespace gale::testing
