#include "gale/testing/ztest_parser.h"

#include <charconv>
#include <utility>

#include "absl/strings/str_cat.h"
#include "strings.h"

namespace gale::testing {
namespace {

// The line without its terminator, trailing blanks and ANSI escape sequences (a console with
// colours turned on wraps log lines in them).
std::string Clean(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size(); i++) {
    char c = line[i];
    if (c == '\x1b' && i + 1 < line.size() && line[i + 1] == '[') {
      i += 2;
      while (i < line.size() && !(line[i] >= 0x40 && line[i] <= 0x7e)) {
        i++;
      }
      continue;
    }
    out.push_back(c);
  }
  while (!out.empty() && IsBlank(out.back())) {
    out.pop_back();
  }
  return out;
}

// Where `token` starts in `line` at the start of the line or after a blank, or npos. Other
// output may share a line with a ztest report (a thread printing without a newline), so ztest's
// lines are looked for anywhere a word starts.
size_t FindWord(std::string_view line, std::string_view token) {
  for (size_t pos = line.find(token); pos != std::string_view::npos;
       pos = line.find(token, pos + 1)) {
    if (pos == 0 || IsBlank(line[pos - 1])) {
      return pos;
    }
  }
  return std::string_view::npos;
}

std::string_view FirstWord(std::string_view text) {
  text = StripLeading(text);
  size_t end = 0;
  while (end < text.size() && !IsBlank(text[end])) {
    end++;
  }
  return text.substr(0, end);
}

// "1.234" -> 1.234; ztest prints whole seconds, a dot and milliseconds.
bool ParseSeconds(std::string_view text, double &seconds) {
  size_t dot = text.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot + 1 >= text.size()) {
    return false;
  }
  for (size_t i = 0; i < text.size(); i++) {
    if (i != dot && (text[i] < '0' || text[i] > '9')) {
      return false;
    }
  }
  unsigned long long whole = 0;
  unsigned long long frac = 0;
  std::from_chars(text.data(), text.data() + dot, whole);
  std::string_view frac_text = text.substr(dot + 1);
  std::from_chars(frac_text.data(), frac_text.data() + frac_text.size(), frac);
  double scale = 1;
  for (size_t i = 0; i < frac_text.size(); i++) {
    scale *= 10;
  }
  seconds = static_cast<double>(whole) + static_cast<double>(frac) / scale;
  return true;
}

bool ParseStatus(std::string_view word, CaseStatus &status) {
  if (word == "PASS" || word == "FLAKY") {
    status = CaseStatus::kPassed;
  } else if (word == "FAIL") {
    status = CaseStatus::kFailed;
  } else if (word == "SKIP") {
    status = CaseStatus::kSkipped;
  } else {
    return false;
  }
  return true;
}

constexpr std::string_view kStatusWords[] = {"PASS", "FAIL", "SKIP", "FLAKY"};

}  // namespace

std::string FatalError::Describe() const {
  std::string_view what = line;
  // ">>> GALE FATAL ERROR 0: CPU exception on CPU 0" -> "CPU exception on CPU 0"
  size_t colon = what.find(": ");
  if (colon != std::string_view::npos) {
    what = what.substr(colon + 2);
  }
  std::string out = absl::StrCat("fatal error: ", Absl(what));
  if (!fault.empty()) {
    absl::StrAppend(&out, " (", fault, ")");
  }
  if (!assertion.empty()) {
    absl::StrAppend(&out, " after ", assertion);
  }
  if (!test_case.empty()) {
    absl::StrAppend(&out, " in ", suite.empty() ? "" : absl::StrCat(suite, "."), test_case);
  }
  return out;
}

ZtestParser::ZtestParser(CaseCallback on_case) : on_case_(std::move(on_case)) {}

const FatalError *ZtestParser::unexpected_fatal() const {
  for (const FatalError &fatal : fatal_errors_) {
    if (!fatal.expected) {
      return &fatal;
    }
  }
  return nullptr;
}

std::optional<std::string> ZtestParser::running_case() const {
  if (!running_) {
    return std::nullopt;
  }
  return running_->suite.empty() ? running_->name
                                 : absl::StrCat(running_->suite, ".", running_->name);
}

void ZtestParser::FeedData(std::string_view data) {
  while (!data.empty()) {
    size_t newline = data.find('\n');
    if (newline == std::string_view::npos) {
      partial_.append(data);
      return;
    }
    partial_.append(data.substr(0, newline));
    data.remove_prefix(newline + 1);
    std::string line = std::move(partial_);
    partial_.clear();
    Feed(line);
  }
}

void ZtestParser::Report(TestCase test_case) {
  reported_.insert(absl::StrCat(test_case.suite, ".", test_case.name));
  cases_.push_back(std::move(test_case));
  if (on_case_) {
    on_case_(cases_.back());
  }
}

void ZtestParser::NoteMessage(std::string text) {
  if (running_) {
    if (running_->message.empty()) {
      running_->message = std::move(text);
      append_next_ = true;
    }
    return;
  }
  // Outside a case (a suite's setup or teardown): it explains the cases that fail for it.
  if (suite_message_.empty()) {
    suite_message_ = std::move(text);
    append_next_ = true;
  }
}

void ZtestParser::EndRunning(CaseStatus status, double seconds, std::string message) {
  if (!running_) {
    return;
  }
  TestCase test_case;
  test_case.suite = running_->suite;
  test_case.name = running_->name;
  test_case.status = status;
  test_case.seconds = seconds;
  test_case.message = std::move(message);
  running_.reset();
  Report(std::move(test_case));
}

bool ZtestParser::ParseResult(std::string_view line) {
  for (std::string_view word : kStatusWords) {
    std::string token = absl::StrCat(Absl(word), " - ");
    size_t pos = FindWord(line, token);
    if (pos == std::string_view::npos) {
      continue;
    }
    // "<name> in <s.mmm> seconds" to the end of the line.
    std::string_view rest = line.substr(pos + token.size());
    std::string_view name = FirstWord(rest);
    std::string_view tail = rest.substr(rest.find(name) + name.size());
    if (name.empty() || !ConsumePrefix(&tail, " in ") || !ConsumeSuffix(&tail, " seconds")) {
      continue;
    }
    double seconds = 0;
    CaseStatus status = CaseStatus::kPassed;
    if (!ParseSeconds(tail, seconds) || !ParseStatus(word, status)) {
      continue;
    }
    std::string message;
    if (status != CaseStatus::kPassed) {
      if (running_ && running_->name == name && !running_->message.empty()) {
        message = running_->message;
      } else {
        message = suite_message_;
      }
    }
    if (running_ && running_->name != name) {
      EndRunning(CaseStatus::kBlocked, 0,
                 absl::StrCat("no result before ", Absl(name), " reported its own"));
    }
    if (!running_) {
      running_ = Running{suite_, std::string(name), ""};
    }
    EndRunning(status, seconds, std::move(message));
    return true;
  }
  return false;
}

// " - PASS - [suite.test_x] duration = 0.001 seconds": the summary of a case. It reports a case
// only when no result line did (a suite that never ran, verbose output turned off).
bool ZtestParser::ParseSummaryCase(std::string_view line) {
  std::string_view rest = StripLeading(line);
  if (!ConsumePrefix(&rest, "- ")) {
    return false;
  }
  std::string_view word = FirstWord(rest);
  CaseStatus status = CaseStatus::kPassed;
  if (!ParseStatus(word, status)) {
    return false;
  }
  rest.remove_prefix(word.size());
  if (!ConsumePrefix(&rest, " - [")) {
    return false;
  }
  size_t close = rest.find(']');
  if (close == std::string_view::npos) {
    return false;
  }
  std::string_view id = rest.substr(0, close);
  rest.remove_prefix(close + 1);
  double seconds = 0;
  if (!ConsumePrefix(&rest, " duration = ") || !ConsumeSuffix(&rest, " seconds") ||
      !ParseSeconds(rest, seconds)) {
    return false;
  }
  size_t dot = id.find('.');
  if (dot == std::string_view::npos) {
    return false;
  }
  if (reported_.count(std::string(id)) == 0) {
    TestCase test_case;
    test_case.suite = std::string(id.substr(0, dot));
    test_case.name = std::string(id.substr(dot + 1));
    test_case.status = status;
    test_case.seconds = seconds;
    if (status == CaseStatus::kSkipped) {
      test_case.message = "reported in the summary only: its suite did not run it";
    } else if (status == CaseStatus::kFailed) {
      test_case.message = "reported failed in the summary";
    }
    Report(std::move(test_case));
  }
  return true;
}

void ZtestParser::Feed(std::string_view raw) {
  if (finished_) {
    return;
  }
  lines_++;
  std::string line = Clean(raw);
  std::string_view view(line);
  std::string_view trimmed = StripLeading(view);
  if (trimmed.empty()) {
    return;
  }
  any_output_ = true;
  bool append = append_next_;
  append_next_ = false;

  if (Contains(view, "PROJECT EXECUTION SUCCESSFUL")) {
    verdict_ = true;
    return;
  }
  if (Contains(view, "PROJECT EXECUTION FAILED")) {
    verdict_ = false;
    return;
  }
  if (size_t pos = FindWord(view, "Running TESTSUITE "); pos != std::string_view::npos) {
    if (running_) {
      EndRunning(CaseStatus::kBlocked, 0, "no result before the next suite started");
    }
    suite_ = std::string(FirstWord(view.substr(pos + 18)));
    suite_message_.clear();
    suite_started_ = true;
    return;
  }
  if (size_t pos = FindWord(view, "TESTSUITE ");
      pos != std::string_view::npos &&
      (view.ends_with(" succeeded") || view.ends_with(" failed."))) {
    if (running_) {
      EndRunning(CaseStatus::kBlocked, 0, "no result before its suite ended");
    }
    suite_message_.clear();
    return;
  }
  if (trimmed.starts_with("SUITE ") || trimmed.starts_with("------ TESTSUITE")) {
    return;  // the summary's per-suite line and frame
  }
  if (ParseSummaryCase(view) || ParseResult(view)) {
    return;
  }
  if (size_t pos = FindWord(view, "START - "); pos != std::string_view::npos) {
    std::string_view name = FirstWord(view.substr(pos + 8));
    if (!name.empty()) {
      if (running_) {
        EndRunning(CaseStatus::kBlocked, 0,
                   absl::StrCat("no result before ", Absl(name), " started"));
      }
      running_ = Running{suite_, std::string(name), ""};
      fault_header_.clear();
      assertion_.clear();
      return;
    }
  }
  for (std::string_view marker :
       {std::string_view("GALE FATAL ERROR"), std::string_view("ZEPHYR FATAL ERROR")}) {
    size_t pos = view.find(marker);
    if (pos == std::string_view::npos) {
      continue;
    }
    FatalError fatal;
    fatal.line = std::string(view.substr(pos));
    fatal.fault = std::move(fault_header_);
    fatal.assertion = std::move(assertion_);
    fault_header_.clear();
    assertion_.clear();
    if (running_) {
      fatal.suite = running_->suite;
      fatal.test_case = running_->name;
    }
    NoteMessage(fatal.Describe());
    append_next_ = false;
    fatal_errors_.push_back(std::move(fatal));
    return;
  }
  if (trimmed.starts_with("***** ") && trimmed.ends_with(" *****")) {
    fault_header_ = std::string(trimmed.substr(6, trimmed.size() - 12));
    return;
  }
  if (Contains(view, "Fatal error expected as part of test case") ||
      (Contains(view, "Caught system error -- reason") && view.ends_with(" 1"))) {
    if (!fatal_errors_.empty()) {
      fatal_errors_.back().expected = true;
    }
    return;
  }
  if (Contains(view, "Caught system error -- reason") ||
      Contains(view, "Fatal error was unexpected")) {
    return;
  }
  if (size_t pos = view.find("ASSERTION FAIL ["); pos != std::string_view::npos) {
    assertion_ = std::string(view.substr(pos));
    NoteMessage(assertion_);
    append_next_ = false;
    return;
  }
  for (std::string_view what :
       {std::string_view("Assertion failed at "), std::string_view("Expectation failed at "),
        std::string_view("Assumption failed at ")}) {
    if (trimmed.starts_with(what)) {
      NoteMessage(std::string(trimmed));
      return;
    }
  }
  if (Contains(view, "aborted without a verdict")) {
    NoteMessage(std::string(trimmed));
    append_next_ = false;
    return;
  }
  // The line after an assertion report is its user message, when the test gave one.
  if (append) {
    std::string &message = running_ ? running_->message : suite_message_;
    absl::StrAppend(&message, " (", Absl(trimmed), ")");
  }
}

void ZtestParser::Finish(std::string_view why) {
  if (finished_) {
    return;
  }
  if (!partial_.empty()) {
    std::string line = std::move(partial_);
    partial_.clear();
    Feed(line);
  }
  if (running_) {
    std::string message;
    for (const FatalError &fatal : fatal_errors_) {
      if (!fatal.expected && fatal.test_case == running_->name && fatal.suite == running_->suite) {
        message = fatal.Describe();
        break;
      }
    }
    if (message.empty()) {
      message = why.empty() ? "no result: the output ended while it ran" : std::string(why);
    }
    EndRunning(CaseStatus::kBlocked, 0, std::move(message));
  }
  finished_ = true;
}

}  // namespace gale::testing
