#include "gale/logs/record.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gale::logs {

std::string_view LevelTag(Level level) {
  switch (level) {
    case Level::kNone:
      return "";
    case Level::kError:
      return "err";
    case Level::kWarning:
      return "wrn";
    case Level::kInfo:
      return "inf";
    case Level::kDebug:
      return "dbg";
  }
  return "";
}

absl::StatusOr<Level> ParseLevel(std::string_view text) {
  std::string lower(text);
  absl::AsciiStrToLower(&lower);
  if (lower == "err" || lower == "error") {
    return Level::kError;
  }
  if (lower == "wrn" || lower == "warn" || lower == "warning") {
    return Level::kWarning;
  }
  if (lower == "inf" || lower == "info") {
    return Level::kInfo;
  }
  if (lower == "dbg" || lower == "debug") {
    return Level::kDebug;
  }
  if (lower == "none" || lower == "off") {
    return Level::kNone;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown log level '", std::string(text),
                   "'; use err, wrn, inf, dbg (or error, warning, info, debug)"));
}

std::string FormatTimestamp(uint64_t time_us) {
  const uint64_t seconds = time_us / 1000000;
  const uint64_t frac = time_us % 1000000;
  return absl::StrFormat("[%02u:%02u:%02u.%03u,%03u]", seconds / 3600, (seconds / 60) % 60,
                         seconds % 60, frac / 1000, frac % 1000);
}

std::string ToText(const Record &record) {
  if (record.kind == RecordKind::kOther) {
    return record.message;
  }
  if (record.kind == RecordKind::kDropped) {
    return absl::StrFormat("--- %u messages dropped ---", record.dropped);
  }
  std::string out;
  if (record.time_us.has_value()) {
    absl::StrAppend(&out, FormatTimestamp(*record.time_us), " ");
  }
  absl::StrAppend(&out, "<", std::string(LevelTag(record.level)), "> ");
  if (!record.module.empty()) {
    absl::StrAppend(&out, record.module, ": ");
  }
  const size_t indent = out.size();
  absl::StrAppend(&out, record.message);
  if (record.kind == RecordKind::kHexdump) {
    for (size_t off = 0; off < record.data.size(); off += 16) {
      absl::StrAppend(&out, "\n", std::string(indent, ' '));
      std::string ascii;
      for (size_t i = 0; i < 16; ++i) {
        if (i == 8) {
          out += ' ';
        }
        if (off + i < record.data.size()) {
          const uint8_t c = record.data[off + i];
          absl::StrAppendFormat(&out, "%02x ", c);
          if (i == 8) {
            ascii += ' ';
          }
          ascii += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
        } else {
          out += "   ";
        }
      }
      absl::StrAppend(&out, "|", ascii);
    }
  }
  return out;
}

}  // namespace gale::logs
