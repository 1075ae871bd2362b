// Decoding dictionary log records with the ELF of the image that sent them.
//
// Record format, version 1 (all fields little-endian; subsys/logging/README.md):
//   off size
//   0   1   sync 0xA5
//   1   1   version (1)
//   2   1   type: 1 message, 2 hexdump, 3 dropped note
//   3   1   level (1 err .. 4 dbg; 0 for a dropped note)
//   4   2   module index (the module's place in the gale_log_module section; 0xFFFF: none)
//   6   2   payload length N
//   8   8   timestamp, microseconds of uptime
//   16  4   message/hexdump: address of the format string (title) in .gale_log_strings;
//           dropped note: the number of messages lost
//   20  N   payload: message: arguments, each a tag byte then its value (1: 4 bytes, 2: 8
//           bytes, 3: an 8-byte double, 4: a length byte then that many string bytes);
//           hexdump: the bytes
//   20+N 1  checksum: the 8-bit sum of every byte of the record, this one included, is 0
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gale/elf/elf_file.h"
#include "gale/logs/record.h"

namespace gale::logs {

inline constexpr uint8_t kRecordSync = 0xA5;
inline constexpr uint8_t kRecordVersion = 1;
inline constexpr size_t kRecordHeaderSize = 20;
/// The section holding the format strings (not loaded: present only in the ELF).
inline constexpr std::string_view kStringsSection = ".gale_log_strings";

/// What the host needs from an image: its format strings and module names.
class Dictionary {
 public:
  /// FailedPrecondition when the image has no .gale_log_strings section (built without
  /// CONFIG_LOG_DICTIONARY_SUPPORT).
  static absl::StatusOr<Dictionary> FromElf(const elf::ElfFile &elf);
  static absl::StatusOr<Dictionary> Load(const std::string &elf_path);

  /// The NUL-terminated string at `address` in .gale_log_strings; NotFound outside it.
  absl::StatusOr<std::string> String(uint32_t address) const;
  /// The name of module `index`; NotFound when the image has fewer modules.
  absl::StatusOr<std::string> ModuleName(uint16_t index) const;
  size_t module_count() const { return modules_.size(); }
  /// "fnv1a64:<16 hex digits>" over the loadable bytes and the strings section: the same
  /// image always gives the same id.
  const std::string &build_id() const { return build_id_; }

 private:
  std::string name_;
  uint64_t strings_address_ = 0;
  std::vector<uint8_t> strings_;
  std::vector<std::string> modules_;
  std::string build_id_;
};

/// A stream decoder: feed it the bytes of a backend in any pieces. A damaged record (bad
/// version, type, level, length or checksum; unknown string address; malformed arguments)
/// gives an error naming the stream offset and what is wrong, and decoding resumes at the next
/// sync byte. Bytes between records (console text) are skipped and reported.
class DictionaryDecoder {
 public:
  /// `max_payload` bounds the length field, so that a damaged length cannot stall decoding.
  DictionaryDecoder(const Dictionary &dictionary, std::string device = {},
                    size_t max_payload = 4096)
      : dict_(dictionary), device_(std::move(device)), max_payload_(max_payload) {}

  /// Decodes what `bytes` completes: records to `records`, problems to `errors`.
  void Feed(std::string_view bytes, std::vector<Record> &records,
            std::vector<absl::Status> &errors);
  /// End of stream: reports a last record cut short.
  void Finish(std::vector<absl::Status> &errors);

  /// Bytes skipped so far (not records, or damaged ones).
  uint64_t skipped_bytes() const { return skipped_; }

 private:
  absl::StatusOr<Record> Decode(std::string_view record) const;
  void Skip(size_t n, std::vector<absl::Status> &errors, std::string_view why);

  const Dictionary &dict_;
  std::string device_;
  size_t max_payload_;
  std::string buffer_;
  uint64_t offset_ = 0;  // stream offset of buffer_[0]
  uint64_t skipped_ = 0;
};

}  // namespace gale::logs
