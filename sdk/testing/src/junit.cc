#include "gale/testing/junit.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "strings.h"

namespace gale::testing {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at `text[i]`, or 0.
size_t Utf8Length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  size_t length = 0;
  uint32_t code = 0;
  if (c < 0x80) {
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    length = 2;
    code = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3;
    code = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4;
    code = c & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  for (size_t k = 1; k < length; k++) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates, beyond Unicode, and U+FFFE/U+FFFF are not XML characters.
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMin[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF ||
      code == 0xFFFE || code == 0xFFFF) {
    return 0;
  }
  return length;
}

// Text for an attribute value or element content: markup characters escaped, characters that
// XML 1.0 cannot hold (control characters, invalid UTF-8) replaced.
std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t length = Utf8Length(text, i);
      if (length == 0) {
        out.append(kReplacement);
        i++;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&quot;");
        break;
      case '\'':
        out.append("&apos;");
        break;
      case '\t':
        out.append("&#9;");
        break;
      case '\n':
        out.append("&#10;");
        break;
      case '\r':
        out.append("&#13;");
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out.append(kReplacement);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    i++;
  }
  return out;
}

std::string Time(double seconds) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.3f", seconds < 0 ? 0.0 : seconds);
  return text;
}

struct Counts {
  size_t tests = 0;
  size_t failures = 0;
  size_t errors = 0;
  size_t skipped = 0;
  double time = 0;
};

std::string Attributes(const Counts &counts) {
  return absl::StrCat("tests=\"", counts.tests, "\" failures=\"", counts.failures, "\" errors=\"",
                      counts.errors, "\" skipped=\"", counts.skipped, "\" time=\"",
                      Time(counts.time), "\"");
}

// One <testcase>; `outcome` is "" for a pass, else "failure", "error" or "skipped".
void AppendCase(std::string &xml, Counts &counts, std::string_view classname, std::string_view name,
                double seconds, std::string_view outcome, std::string_view message,
                std::string_view type) {
  counts.tests++;
  absl::StrAppend(&xml, "    <testcase classname=\"", Escape(classname), "\" name=\"", Escape(name),
                  "\" time=\"", Time(seconds), "\"");
  if (outcome.empty()) {
    absl::StrAppend(&xml, "/>\n");
    return;
  }
  if (outcome == "failure") {
    counts.failures++;
  } else if (outcome == "error") {
    counts.errors++;
  } else {
    counts.skipped++;
  }
  absl::StrAppend(&xml, ">\n      <", Absl(outcome), " message=\"", Escape(message), "\"");
  if (!type.empty()) {
    absl::StrAppend(&xml, " type=\"", Escape(type), "\"");
  }
  if (message.empty()) {
    absl::StrAppend(&xml, "/>\n");
  } else {
    absl::StrAppend(&xml, ">", Escape(message), "</", Absl(outcome), ">\n");
  }
  absl::StrAppend(&xml, "    </testcase>\n");
}

std::string_view CaseOutcome(CaseStatus status) {
  switch (status) {
    case CaseStatus::kPassed:
      return "";
    case CaseStatus::kFailed:
      return "failure";
    case CaseStatus::kSkipped:
      return "skipped";
    case CaseStatus::kBlocked:
      return "error";
  }
  return "failure";
}

std::string_view ScenarioOutcome(ScenarioStatus status) {
  if (IsError(status)) {
    return "error";
  }
  switch (status) {
    case ScenarioStatus::kPassed:
      return "";
    case ScenarioStatus::kSkipped:
      return "skipped";
    case ScenarioStatus::kFailed:
    case ScenarioStatus::kBuildError:
    case ScenarioStatus::kFlashError:
    case ScenarioStatus::kBootTimeout:
    case ScenarioStatus::kTimeout:
    case ScenarioStatus::kCrash:
      return "failure";
  }
  return "failure";
}

}  // namespace

std::string RenderJUnit(const std::vector<ScenarioResult> &results, const std::string &name) {
  Counts total;
  std::string suites;
  for (const ScenarioResult &result : results) {
    std::string id = absl::StrCat(result.board, ".", result.scenario);
    Counts counts;
    counts.time = result.seconds;
    std::string cases;
    for (const TestCase &c : result.cases) {
      std::string classname = c.suite.empty() ? id : absl::StrCat(id, ".", c.suite);
      std::string_view outcome = CaseOutcome(c.status);
      AppendCase(cases, counts, classname, c.name, c.seconds, outcome, c.message,
                 c.status == CaseStatus::kBlocked ? "blocked" : "");
    }
    if (NeedsOwnCase(result)) {
      std::string_view outcome = ScenarioOutcome(result.status);
      AppendCase(cases, counts, id, result.scenario, result.seconds, outcome, result.reason,
                 outcome.empty() ? "" : ToString(result.status));
    }
    absl::StrAppend(&suites, "  <testsuite name=\"", Escape(id), "\" ", Attributes(counts),
                    ">\n    <properties>\n", "      <property name=\"board\" value=\"",
                    Escape(result.board), "\"/>\n", "      <property name=\"scenario\" value=\"",
                    Escape(result.scenario), "\"/>\n", "      <property name=\"status\" value=\"",
                    Absl(ToString(result.status)), "\"/>\n");
    if (!result.reason.empty()) {
      absl::StrAppend(&suites, "      <property name=\"reason\" value=\"", Escape(result.reason),
                      "\"/>\n");
    }
    if (!result.log_path.empty()) {
      absl::StrAppend(&suites, "      <property name=\"log\" value=\"", Escape(result.log_path),
                      "\"/>\n");
    }
    absl::StrAppend(&suites, "    </properties>\n", cases, "  </testsuite>\n");
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.errors += counts.errors;
    total.skipped += counts.skipped;
    total.time += counts.time;
  }
  return absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"",
                      Escape(name), "\" ", Attributes(total), ">\n", suites, "</testsuites>\n");
}

absl::Status WriteJUnit(const std::string &path, const std::vector<ScenarioResult> &results,
                        const std::string &name) {
  std::string xml = RenderJUnit(results, name);
  std::string temp = absl::StrCat(path, ".tmp.", getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return absl::InternalError(absl::StrCat("cannot write JUnit XML to ", temp, ": ",
                                              std::strerror(errno),
                                              "; check the folder exists "
                                              "and is writable"));
    }
    out << xml;
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
      return absl::InternalError(absl::StrCat("cannot write JUnit XML to ", temp));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return absl::InternalError(
        absl::StrCat("cannot write JUnit XML to ", path, ": ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace gale::testing
