// An incremental parser of ztest console output (Gale's ztest prints Zephyr's format): test cases
// are reported as their result lines arrive, so results stream while the image runs.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gale/testing/result.h"

namespace gale::testing {

/// A fatal error report of the target: Gale's ">>> GALE FATAL ERROR n: ..." (or Zephyr's
/// ">>> ZEPHYR FATAL ERROR"), with the fault header and failed __ASSERT() that came before it.
struct FatalError {
  std::string line;       ///< ">>> GALE FATAL ERROR 0: CPU exception on CPU 0"
  std::string fault;      ///< the "***** UsageFault (exception 6) *****" header before it, if any
  std::string assertion;  ///< an "ASSERTION FAIL [...] @ file:line" just before it, if any
  std::string suite;      ///< the suite and case that were running ("" outside any case)
  std::string test_case;
  /// The ztest fatal hook announced it as part of the test ("Fatal error expected ...").
  bool expected = false;
  /// One line: "CPU exception on CPU 0 (UsageFault (exception 6)) in accept.test_heap".
  std::string Describe() const;
};

class ZtestParser {
 public:
  /// Called once per test case as its result becomes known, in output order (from Feed or Finish,
  /// on the caller's thread).
  using CaseCallback = std::function<void(const TestCase &)>;

  explicit ZtestParser(CaseCallback on_case = {});

  /// One line of output, without its terminator (a trailing '\r' and ANSI colour codes are
  /// ignored). Lines after Finish() are ignored.
  void Feed(std::string_view line);
  /// Output in arbitrary chunks: split into lines; an unterminated tail waits for the next chunk.
  void FeedData(std::string_view data);
  /// The output ended. A pending partial line is parsed; a case that started and has no result
  /// is reported blocked, its message `why` (or the fatal error that stopped it).
  void Finish(std::string_view why = {});

  bool finished() const { return finished_; }
  size_t lines() const { return lines_; }                ///< lines fed so far
  bool any_output() const { return any_output_; }        ///< a non-blank line was fed
  bool suite_started() const { return suite_started_; }  ///< a "Running TESTSUITE" line came
  /// The image's verdict: true for "PROJECT EXECUTION SUCCESSFUL", false for "... FAILED";
  /// empty until one came.
  std::optional<bool> verdict() const { return verdict_; }
  const std::vector<TestCase> &cases() const { return cases_; }
  const std::vector<FatalError> &fatal_errors() const { return fatal_errors_; }
  /// The first fatal error not announced as expected by the ztest fatal hook, or null.
  const FatalError *unexpected_fatal() const;
  /// The case that started and has no result yet ("suite.name"), if any.
  std::optional<std::string> running_case() const;

 private:
  struct Running {
    std::string suite;
    std::string name;
    std::string message;
  };

  void Report(TestCase test_case);
  void EndRunning(CaseStatus status, double seconds, std::string message);
  void NoteMessage(std::string text);
  bool ParseResult(std::string_view line);
  bool ParseSummaryCase(std::string_view line);

  CaseCallback on_case_;
  std::string partial_;
  size_t lines_ = 0;
  bool any_output_ = false;
  bool finished_ = false;
  bool suite_started_ = false;
  std::optional<bool> verdict_;
  std::string suite_;
  std::optional<Running> running_;
  // A failure reported outside any case (a suite's setup): the message of the suite's cases
  // that fail without one of their own.
  std::string suite_message_;
  // The last line became a message: the test's own text for it may follow on the next line.
  bool append_next_ = false;
  std::string fault_header_;
  std::string assertion_;
  std::vector<TestCase> cases_;
  std::set<std::string> reported_;  // "suite.name" of the cases reported
  std::vector<FatalError> fatal_errors_;
};

}  // namespace gale::testing
