// Human output: tables, durations, diagnostics, test case lines, progress lines and bars.
// Pure functions of their input, so that tests can pin the formats down.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gale/v1/common.pb.h"

namespace gale::cli {

/// Columns aligned on the widest cell, two spaces apart, the last column not padded.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }
  /// Every line ends with '\n'; no line has trailing spaces.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

/// 0.004 -> "0.00 s", 2.5 -> "2.50 s", 75 -> "1m 15s", 3725 -> "1h 2m".
std::string FormatSeconds(double seconds);

/// Microseconds since the epoch as local "YYYY-MM-DD HH:MM:SS"; "-" for 0.
std::string FormatTimeUs(int64_t time_us);

/// 7832 -> "7832 B", 20480 -> "20.0 KiB", 3 MiB -> "3.0 MiB".
std::string FormatBytes(uint64_t bytes);

/// Like a compiler: "file:line:col: error: message"; parts that are unknown are left out
/// ("file: warning: m", "cmake: error: m" when there is no file).
std::string FormatDiagnostic(const gale::v1::Diagnostic &diagnostic);

/// "PASS qemu_cortex_m3 accept.kernel suite.case (0.01 s)", then, for a failure with a
/// message, an indented second line holding it. Ends with '\n'.
std::string FormatTestCase(const gale::v1::TestCaseEvent &test_case);

/// "passed" -> "PASS", "failed" -> "FAIL", "skipped" -> "SKIP", "blocked" -> "BLOCK", others
/// upper-cased.
std::string TestStatusWord(const std::string &status);

/// A plain progress line: "[ 45%] compile: [12/80] Building C object ..."; when the percent is
/// unknown (< 0): "compile: ...". No newline.
std::string FormatProgressLine(const gale::v1::Progress &progress);

/// A progress bar `width` columns wide at most (for a terminal): bar, percent, phase, message
/// cut to fit. No newline, no control characters.
std::string RenderProgressBar(const gale::v1::Progress &progress, int width);

/// Decides which progress events deserve a line when output is not a terminal: the first, a
/// new phase, and then one per ten percent (and 100 %). Events with an unknown percent print
/// only when they start a phase.
class ProgressThrottle {
 public:
  bool ShouldPrint(const gale::v1::Progress &progress);

 private:
  bool started_ = false;
  std::string phase_;
  int bucket_ = -1;  // last printed percent / 10; -1 when none printed in this phase
};

}  // namespace gale::cli
