#include "gale/testing/junit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace gale::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;
using test::TempDir;

// The file as Python's XML parser reads it (junit_check.py).
json ReadBack(const std::string &path) {
  std::string python = GALE_TESTING_PYTHON3;
  if (python.empty()) {
    ADD_FAILURE() << "no python3 to read the XML back";
    return json();
  }
  std::string command = python + " " + GALE_TESTING_JUNIT_CHECK + " '" + path + "' 2>&1";
  FILE *pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  std::string out;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) {
    out.append(buffer, n);
  }
  int status = pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the XML does not parse:\n"
                                                             << out << "\n"
                                                             << test::ReadFile(path);
  json parsed = json::parse(out, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << out;
  return parsed;
}

TestCase Case(std::string suite, std::string name, CaseStatus status, double seconds,
              std::string message = "") {
  return TestCase{std::move(suite), std::move(name), status, seconds, std::move(message)};
}

std::vector<ScenarioResult> SampleResults() {
  std::vector<ScenarioResult> results;
  ScenarioResult passed;
  passed.scenario = "accept.kernel";
  passed.board = "qemu_cortex_m3";
  passed.status = ScenarioStatus::kFailed;
  passed.reason = "1 of 3 cases failed";
  passed.seconds = 12.5;
  passed.log_path = "/w/qemu_cortex_m3/accept.kernel/testcase.log";
  passed.cases = {
      Case("accept", "test_heap", CaseStatus::kPassed, 0.001),
      Case("accept", "test_order", CaseStatus::kFailed, 0.005,
           "Assertion failed at main.c:56: a < b && c > \"d\" & 'e'"),
      Case("accept", "test_skip", CaseStatus::kSkipped, 0, "Assumption failed"),
  };
  results.push_back(passed);

  ScenarioResult crash;
  crash.scenario = "accept.kernel";
  crash.board = "native_sim";
  crash.status = ScenarioStatus::kCrash;
  crash.reason = "fatal error: CPU exception on CPU 0 in accept.test_heap";
  crash.cases = {Case("accept", "test_heap", CaseStatus::kBlocked, 0,
                      "fatal error: CPU exception on CPU 0 in accept.test_heap")};
  results.push_back(crash);

  ScenarioResult build;
  build.scenario = "kernel.sem";
  build.board = "mps2_an385";
  build.status = ScenarioStatus::kBuildError;
  // Control characters and invalid UTF-8 must not break the XML.
  build.reason = std::string("main.c:1: error: \x01stray\x1b[0m \xff\xfe byte; caf\xc3\xa9");
  results.push_back(build);

  ScenarioResult skipped;
  skipped.scenario = "kernel.sem";
  skipped.board = "native_sim";
  skipped.status = ScenarioStatus::kSkipped;
  skipped.reason = "native_sim is not in platform_allow (qemu_cortex_m3)";
  results.push_back(skipped);

  ScenarioResult console;
  console.scenario = "sample.hello";
  console.board = "native_sim";
  console.status = ScenarioStatus::kPassed;
  results.push_back(console);

  ScenarioResult setup;
  setup.scenario = "suite.setup";
  setup.board = "native_sim";
  setup.status = ScenarioStatus::kFailed;
  setup.reason = "the image reported PROJECT EXECUTION FAILED";
  setup.cases = {Case("s", "test_a", CaseStatus::kPassed, 0)};
  results.push_back(setup);
  return results;
}

TEST(JUnit, ReadsBackWithTheStructureCiToolsExpect) {
  TempDir dir;
  std::string path = dir.path() + "/junit.xml";
  std::vector<ScenarioResult> results = SampleResults();
  ASSERT_TRUE(WriteJUnit(path, results).ok());
  json xml = ReadBack(path);
  ASSERT_TRUE(xml.is_object());

  EXPECT_EQ(xml["tag"], "testsuites");
  EXPECT_EQ(xml["name"], "gale");
  // 3 + 1 + 1 (build error) + 1 (skipped) + 1 (passed, no cases) + 1 case + 1 (scenario failure)
  EXPECT_EQ(xml["tests"], "9");
  EXPECT_EQ(xml["failures"], "2");
  EXPECT_EQ(xml["errors"], "2");
  EXPECT_EQ(xml["skipped"], "2");
  ASSERT_EQ(xml["suites"].size(), 6u);

  const json &first = xml["suites"][0];
  EXPECT_EQ(first["tag"], "testsuite");
  EXPECT_EQ(first["name"], "qemu_cortex_m3.accept.kernel");
  EXPECT_EQ(first["tests"], "3");
  EXPECT_EQ(first["failures"], "1");
  EXPECT_EQ(first["skipped"], "1");
  EXPECT_EQ(first["time"], "12.500");
  EXPECT_EQ(first["properties"]["board"], "qemu_cortex_m3");
  EXPECT_EQ(first["properties"]["status"], "failed");
  EXPECT_EQ(first["properties"]["log"], "/w/qemu_cortex_m3/accept.kernel/testcase.log");
  ASSERT_EQ(first["cases"].size(), 3u);
  EXPECT_EQ(first["cases"][0]["classname"], "qemu_cortex_m3.accept.kernel.accept");
  EXPECT_EQ(first["cases"][0]["name"], "test_heap");
  EXPECT_EQ(first["cases"][0]["time"], "0.001");
  EXPECT_EQ(first["cases"][0]["outcome"], "passed");
  EXPECT_EQ(first["cases"][1]["outcome"], "failure");
  // Escaping round-trips.
  EXPECT_EQ(first["cases"][1]["message"],
            "Assertion failed at main.c:56: a < b && c > \"d\" & 'e'");
  EXPECT_EQ(first["cases"][1]["text"], "Assertion failed at main.c:56: a < b && c > \"d\" & 'e'");
  EXPECT_EQ(first["cases"][2]["outcome"], "skipped");

  // A blocked case is an error of its own.
  const json &crash = xml["suites"][1];
  EXPECT_EQ(crash["errors"], "1");
  EXPECT_EQ(crash["cases"][0]["outcome"], "error");
  EXPECT_EQ(crash["cases"][0]["type"], "blocked");
  EXPECT_EQ(crash["properties"]["status"], "crash");

  // A scenario without cases is one testcase carrying its status.
  const json &build = xml["suites"][2];
  ASSERT_EQ(build["cases"].size(), 1u);
  EXPECT_EQ(build["cases"][0]["classname"], "mps2_an385.kernel.sem");
  EXPECT_EQ(build["cases"][0]["name"], "kernel.sem");
  EXPECT_EQ(build["cases"][0]["outcome"], "error");
  EXPECT_EQ(build["cases"][0]["type"], "build_error");
  std::string message = build["cases"][0]["message"];
  EXPECT_THAT(message, HasSubstr("main.c:1: error: \xEF\xBF\xBDstray"));
  EXPECT_THAT(message, HasSubstr("caf\xc3\xa9"));

  EXPECT_EQ(xml["suites"][3]["cases"][0]["outcome"], "skipped");
  EXPECT_EQ(xml["suites"][3]["cases"][0]["message"],
            "native_sim is not in platform_allow (qemu_cortex_m3)");
  EXPECT_EQ(xml["suites"][4]["cases"][0]["outcome"], "passed");
  EXPECT_EQ(xml["suites"][4]["cases"][0]["name"], "sample.hello");

  // Failed with every case passing (a suite's setup failed): the scenario's own failure shows.
  const json &setup = xml["suites"][5];
  ASSERT_EQ(setup["cases"].size(), 2u);
  EXPECT_EQ(setup["cases"][1]["outcome"], "failure");
  EXPECT_EQ(setup["cases"][1]["message"], "the image reported PROJECT EXECUTION FAILED");
}

TEST(JUnit, SummaryCountsMatchTheXml) {
  TestRunSummary summary = Summarize(SampleResults());
  EXPECT_EQ(summary.passed, 3u);  // test_heap, sample.hello, s.test_a
  EXPECT_EQ(summary.failed, 3u);  // test_order, the blocked case, suite.setup
  EXPECT_EQ(summary.skipped, 2u);
  EXPECT_EQ(summary.errors, 2u);  // the crash and the build error
}

TEST(JUnit, EmptyRunIsValid) {
  std::string xml = RenderJUnit({});
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"gale\" tests=\"0\""));
  TempDir dir;
  std::string path = dir.path() + "/empty.xml";
  ASSERT_TRUE(WriteJUnit(path, {}).ok());
  json back = ReadBack(path);
  EXPECT_EQ(back["tests"], "0");
}

TEST(JUnit, WriteErrorNamesThePath) {
  absl::Status status = WriteJUnit("/nonexistent-folder/junit.xml", SampleResults());
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), HasSubstr("/nonexistent-folder/junit.xml"));
}

}  // namespace
}  // namespace gale::testing
