// Decoding the target's text log output: "[00:00:01.234,567] <inf> module: message" lines,
// hexdump continuation lines, "--- N messages dropped ---" notes, and any other console line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "gale/logs/record.h"

namespace gale::logs {

/// Parses one log line (no line ending; ANSI colors and a trailing '\r' are ignored).
/// InvalidArgument when the line is not a log message or dropped note.
absl::StatusOr<Record> ParseTextLine(std::string_view line);

/// A stream decoder: feed it console bytes in any pieces, get records. Lines that are not log
/// messages come back as RecordKind::kOther. A hexdump's data lines are collected into the
/// record they follow, which is therefore held back until the next line (or Finish()).
class TextDecoder {
 public:
  explicit TextDecoder(std::string device = {}, std::string build_id = {})
      : device_(std::move(device)), build_id_(std::move(build_id)) {}

  /// Records completed by `bytes`.
  std::vector<Record> Feed(std::string_view bytes);
  /// The held-back record and a last unterminated line.
  std::vector<Record> Finish();

 private:
  void Line(std::string_view line, std::vector<Record> &out);
  void Emit(Record record, std::vector<Record> &out);

  std::string device_;
  std::string build_id_;
  std::string partial_;
  std::optional<Record> held_;
};

}  // namespace gale::logs
