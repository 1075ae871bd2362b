// A decoded log message, whatever its origin (a text line or a dictionary record).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gale::logs {

/// Zephyr's levels, with the target's numbering (LOG_LEVEL_ERR == 1 ...).
enum class Level : uint8_t { kNone = 0, kError = 1, kWarning = 2, kInfo = 3, kDebug = 4 };

/// "err", "wrn", "inf", "dbg" as the target prints them ("" for kNone).
std::string_view LevelTag(Level level);
/// The level of a tag ("err", ...) or a name ("error", "warning", "info", "debug", any case).
absl::StatusOr<Level> ParseLevel(std::string_view text);

enum class RecordKind : uint8_t {
  kMessage,  ///< LOG_ERR/WRN/INF/DBG
  kHexdump,  ///< LOG_HEXDUMP_*: `message` is the title, `data` the bytes
  kDropped,  ///< "--- N messages dropped ---": `dropped` messages were lost on the target
  kOther,    ///< console output that is not a log message (printk): `message` is the line
};

struct Record {
  std::optional<uint64_t> time_us;  ///< target uptime in microseconds, when the target sent one
  Level level = Level::kNone;
  std::string module;   ///< the LOG_MODULE_REGISTER name ("" for kDropped and kOther)
  std::string message;  ///< formatted text (no line ending)
  RecordKind kind = RecordKind::kMessage;
  uint32_t dropped = 0;       ///< kDropped only
  std::vector<uint8_t> data;  ///< kHexdump only
  std::string device;         ///< the source device, as the decoder was told
  std::string build_id;       ///< the image that produced the record, when known (dictionary)

  bool operator==(const Record &) const = default;
};

/// "[00:00:01.234,567]" for 1234567 microseconds, as the target prints timestamps.
std::string FormatTimestamp(uint64_t time_us);

/// The record as the target's text backend prints it, without line ending; hexdump bytes
/// follow on indented lines.
std::string ToText(const Record &record);

}  // namespace gale::logs
