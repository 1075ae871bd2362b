#include "format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace gale::cli {

std::string Table::Render() const {
  std::vector<size_t> widths(headers_.size(), 0);
  auto measure = [&widths](const std::vector<std::string> &cells) {
    if (cells.size() > widths.size()) {
      widths.resize(cells.size(), 0);
    }
    for (size_t i = 0; i < cells.size(); ++i) {
      widths[i] = std::max(widths[i], cells[i].size());
    }
  };
  measure(headers_);
  for (const auto &row : rows_) {
    measure(row);
  }
  std::string out;
  auto line = [&out, &widths](const std::vector<std::string> &cells) {
    std::string text;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) {
        text += "  ";
      }
      text += cells[i];
      if (i + 1 < cells.size()) {
        text.append(widths[i] - cells[i].size(), ' ');
      }
    }
    while (!text.empty() && text.back() == ' ') {
      text.pop_back();
    }
    out += text;
    out += '\n';
  };
  line(headers_);
  for (const auto &row : rows_) {
    line(row);
  }
  return out;
}

std::string FormatSeconds(double seconds) {
  char buf[64];
  if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%.2f s", seconds < 0 ? 0.0 : seconds);
  } else if (seconds < 3600) {
    const long s = std::lround(seconds);
    std::snprintf(buf, sizeof buf, "%ldm %lds", s / 60, s % 60);
  } else {
    const long m = std::lround(seconds / 60);
    std::snprintf(buf, sizeof buf, "%ldh %ldm", m / 60, m % 60);
  }
  return buf;
}

std::string FormatTimeUs(int64_t time_us) {
  if (time_us <= 0) {
    return "-";
  }
  const time_t t = static_cast<time_t>(time_us / 1000000);
  struct tm local;
  localtime_r(&t, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &local);
  return buf;
}

std::string FormatBytes(uint64_t bytes) {
  char buf[32];
  if (bytes < 10 * 1024) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else if (bytes < 10ULL * 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024 * 1024));
  }
  return buf;
}

namespace {

const char *SeverityWord(gale::v1::Severity severity) {
  switch (severity) {
    case gale::v1::SEVERITY_NOTE:
      return "note";
    case gale::v1::SEVERITY_WARNING:
      return "warning";
    case gale::v1::SEVERITY_ERROR:
      return "error";
    case gale::v1::SEVERITY_FATAL:
      return "fatal error";
    case gale::v1::SEVERITY_UNSPECIFIED:
    case gale::v1::Severity_INT_MIN_SENTINEL_DO_NOT_USE_:
    case gale::v1::Severity_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "error";
}

}  // namespace

std::string FormatDiagnostic(const gale::v1::Diagnostic &d) {
  std::string out;
  if (!d.file().empty()) {
    out = d.file();
    if (d.line() > 0) {
      out += ":" + std::to_string(d.line());
      if (d.column() > 0) {
        out += ":" + std::to_string(d.column());
      }
    }
  } else {
    out = d.tool().empty() ? "gale" : d.tool();
  }
  out += ": ";
  out += SeverityWord(d.severity());
  out += ": ";
  out += d.message();
  return out;
}

std::string TestStatusWord(const std::string &status) {
  if (status == "passed") {
    return "PASS";
  }
  if (status == "failed") {
    return "FAIL";
  }
  if (status == "skipped") {
    return "SKIP";
  }
  if (status == "blocked") {
    return "BLOCK";
  }
  std::string out = status;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string FormatTestCase(const gale::v1::TestCaseEvent &c) {
  std::string name = c.suite();
  if (!name.empty() && !c.name().empty()) {
    name += ".";
  }
  name += c.name();
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f s", c.seconds());
  std::string out = TestStatusWord(c.status()) + " " + c.board() + " " + c.scenario() + " " + name +
                    " (" + seconds + ")\n";
  if (c.status() != "passed" && !c.message().empty()) {
    out += "    " + c.message() + "\n";
  }
  return out;
}

std::string FormatProgressLine(const gale::v1::Progress &p) {
  std::string out;
  if (p.percent() >= 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "[%3d%%] ", static_cast<int>(std::min(p.percent(), 100.0)));
    out = buf;
  }
  out += p.phase().empty() ? "working" : p.phase();
  if (!p.message().empty()) {
    out += ": " + p.message();
  }
  return out;
}

std::string RenderProgressBar(const gale::v1::Progress &p, int width) {
  constexpr int kBar = 24;
  std::string out;
  if (p.percent() >= 0) {
    const double percent = std::clamp(p.percent(), 0.0, 100.0);
    const int filled = static_cast<int>(percent * kBar / 100.0);
    out = "[" + std::string(filled, '#') + std::string(kBar - filled, '.') + "] ";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%3d%% ", static_cast<int>(percent));
    out += buf;
  }
  out += p.phase().empty() ? "working" : p.phase();
  if (!p.message().empty()) {
    out += ": " + p.message();
  }
  for (char &c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      c = ' ';
    }
  }
  if (width > 0 && static_cast<int>(out.size()) > width) {
    out.resize(width);
  }
  return out;
}

bool ProgressThrottle::ShouldPrint(const gale::v1::Progress &p) {
  if (!started_ || p.phase() != phase_) {
    started_ = true;
    phase_ = p.phase();
    bucket_ = p.percent() >= 0 ? static_cast<int>(std::min(p.percent(), 100.0)) / 10 : -1;
    return true;
  }
  if (p.percent() < 0) {
    return false;
  }
  const int bucket = static_cast<int>(std::min(p.percent(), 100.0)) / 10;
  if (bucket > bucket_) {
    bucket_ = bucket;
    return true;
  }
  return false;
}

}  // namespace gale::cli
