#include "gale/logs/text.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gale::logs {
namespace {

std::string_view StripLeading(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  return s;
}

std::string_view Strip(std::string_view s) {
  s = StripLeading(s);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

bool ConsumePrefix(std::string_view &s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) {
    return false;
  }
  s.remove_prefix(prefix.size());
  return true;
}

// The line without ANSI color sequences (ESC '[' ... letter) and without a trailing '\r'.
std::string Clean(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b' && i + 1 < line.size() && line[i + 1] == '[') {
      i += 2;
      while (i < line.size() && !absl::ascii_isalpha(static_cast<unsigned char>(line[i]))) {
        ++i;
      }
      continue;
    }
    out += line[i];
  }
  while (!out.empty() && (out.back() == '\r' || out.back() == '\n')) {
    out.pop_back();
  }
  return out;
}

// Consumes decimal digits (at least one) from `s`.
bool Number(std::string_view &s, uint64_t &value, size_t exact_digits = 0) {
  size_t n = 0;
  while (n < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[n]))) {
    ++n;
  }
  if (n == 0 || n > 12 || (exact_digits != 0 && n != exact_digits)) {
    return false;
  }
  value = 0;
  for (size_t i = 0; i < n; ++i) {
    value = value * 10 + static_cast<uint64_t>(s[i] - '0');
  }
  s.remove_prefix(n);
  return true;
}

bool Char(std::string_view &s, char c) {
  if (s.empty() || s.front() != c) {
    return false;
  }
  s.remove_prefix(1);
  return true;
}

// "[hh:mm:ss.mmm,uuu] " -> microseconds.
bool Timestamp(std::string_view &s, uint64_t &us) {
  uint64_t h, m, sec, ms, micro;
  std::string_view t = s;
  if (!Char(t, '[') || !Number(t, h) || !Char(t, ':') || !Number(t, m, 2) || !Char(t, ':') ||
      !Number(t, sec, 2) || !Char(t, '.') || !Number(t, ms, 3) || !Char(t, ',') ||
      !Number(t, micro, 3) || !Char(t, ']') || m > 59 || sec > 59) {
    return false;
  }
  Char(t, ' ');
  us = ((h * 3600 + m * 60 + sec) * 1000 + ms) * 1000 + micro;
  s = t;
  return true;
}

// A hexdump data line: spaces, "xx " groups, '|', the printable characters.
bool HexdumpLine(std::string_view line, std::vector<uint8_t> &bytes) {
  if (line.empty() || line.front() != ' ') {
    return false;
  }
  const size_t bar = line.find('|');
  if (bar == std::string_view::npos) {
    return false;
  }
  std::string_view hex = Strip(line.substr(0, bar));
  std::vector<uint8_t> got;
  while (!hex.empty()) {
    if (hex.size() < 2 || !absl::ascii_isxdigit(static_cast<unsigned char>(hex[0])) ||
        !absl::ascii_isxdigit(static_cast<unsigned char>(hex[1]))) {
      return false;
    }
    int value = 0;
    for (int k = 0; k < 2; ++k) {
      const char c = absl::ascii_tolower(static_cast<unsigned char>(hex[k]));
      value = value * 16 + (c <= '9' ? c - '0' : c - 'a' + 10);
    }
    got.push_back(static_cast<uint8_t>(value));
    hex.remove_prefix(2);
    hex = StripLeading(hex);
  }
  if (got.empty() || got.size() > 16) {
    return false;
  }
  bytes.insert(bytes.end(), got.begin(), got.end());
  return true;
}

}  // namespace

absl::StatusOr<Record> ParseTextLine(std::string_view raw) {
  const std::string line = Clean(raw);
  std::string_view s = line;
  Record record;
  {
    std::string_view t = Strip(s);
    uint64_t n = 0;
    if (ConsumePrefix(t, "--- ") && Number(t, n) && ConsumePrefix(t, " messages dropped ---") &&
        t.empty()) {
      record.kind = RecordKind::kDropped;
      record.dropped = static_cast<uint32_t>(n);
      return record;
    }
  }
  uint64_t us = 0;
  if (Timestamp(s, us)) {
    record.time_us = us;
  }
  const size_t close = s.find("> ");
  if (!Char(s, '<') || close == std::string_view::npos || close > 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a log line (no \"<level> \" after the timestamp): '", std::string(raw), "'"));
  }
  absl::StatusOr<Level> level = ParseLevel(s.substr(0, close - 1));
  if (!level.ok() || *level == Level::kNone) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a log line (unknown level tag): '", std::string(raw), "'"));
  }
  record.level = *level;
  s.remove_prefix(close + 1);
  // The module: an identifier followed by ": ".
  size_t n = 0;
  while (n < s.size() && (absl::ascii_isalnum(static_cast<unsigned char>(s[n])) || s[n] == '_')) {
    ++n;
  }
  if (n > 0 && n + 1 < s.size() + 1 && s.substr(n, 2) == ": ") {
    record.module = std::string(s.substr(0, n));
    s.remove_prefix(n + 2);
  } else if (n > 0 && s.substr(n) == ":") {
    record.module = std::string(s.substr(0, n));
    s = {};
  }
  record.message = std::string(s);
  return record;
}

std::vector<Record> TextDecoder::Feed(std::string_view bytes) {
  std::vector<Record> out;
  for (char c : bytes) {
    if (c == '\n') {
      Line(partial_, out);
      partial_.clear();
    } else if (partial_.size() < 64 * 1024) {  // a line without end must not grow forever
      partial_ += c;
    }
  }
  return out;
}

std::vector<Record> TextDecoder::Finish() {
  std::vector<Record> out;
  if (!partial_.empty()) {
    Line(partial_, out);
    partial_.clear();
  }
  if (held_.has_value()) {
    out.push_back(std::move(*held_));
    held_.reset();
  }
  return out;
}

void TextDecoder::Emit(Record record, std::vector<Record> &out) {
  record.device = device_;
  record.build_id = build_id_;
  if (held_.has_value()) {
    out.push_back(std::move(*held_));
    held_.reset();
  }
  if (record.kind == RecordKind::kMessage) {
    held_ = std::move(record);  // hexdump data lines may follow
  } else {
    out.push_back(std::move(record));
  }
}

void TextDecoder::Line(std::string_view line, std::vector<Record> &out) {
  const std::string clean = Clean(line);
  if (held_.has_value() && HexdumpLine(clean, held_->data)) {
    held_->kind = RecordKind::kHexdump;
    return;
  }
  if (clean.empty()) {
    return;
  }
  absl::StatusOr<Record> record = ParseTextLine(clean);
  if (!record.ok()) {
    Record other;
    other.kind = RecordKind::kOther;
    other.message = clean;
    Emit(std::move(other), out);
    return;
  }
  Emit(*std::move(record), out);
}

}  // namespace gale::logs
