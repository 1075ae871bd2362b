// What the trace decoder takes from the image that was flashed: its build id (a trace of
// another build is refused), the trace's RTT channel, names of threads and kernel objects
// (symbols) and of markers and counters (string literals in the image).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gale/elf/elf_file.h"
#include "gale/trace/stream.h"

namespace gale::trace {

class Image {
 public:
  /// @retval NotFound / InvalidArgument the ELF cannot be read (elf::ElfFile's errors)
  static absl::StatusOr<Image> Load(const std::string &path);
  static absl::StatusOr<Image> FromElf(elf::ElfFile elf);

  /// The GNU build id kept by the port's linker script (empty when there is none).
  const std::vector<uint8_t> &build_id() const { return build_id_; }
  std::string BuildIdHex() const;
  /// The RTT channel of the trace (symbol gale_trace_rtt_channel); nullopt: not a tracing image.
  std::optional<uint32_t> trace_channel() const { return trace_channel_; }
  /// "to_alpha", "threads+0x98": the data symbol covering `address`, or nullopt.
  std::optional<std::string> SymbolAt(uint64_t address) const;
  /// The NUL-terminated string at `address` in the image's loadable bytes (at most 128 bytes).
  std::optional<std::string> StringAt(uint64_t address) const;
  const std::string &path() const { return elf_.name(); }

 private:
  explicit Image(elf::ElfFile elf) : elf_(std::move(elf)) {}
  std::optional<std::vector<uint8_t>> Bytes(uint64_t address, size_t size) const;

  elf::ElfFile elf_;
  std::vector<uint8_t> build_id_;
  std::optional<uint32_t> trace_channel_;
  std::vector<elf::Symbol> objects_;  ///< data symbols sorted by address
};

/// OK when the trace's build id matches the image's. FailedPrecondition naming both ids when
/// they differ or when only one side has an id (decode against the ELF that was flashed).
absl::Status CheckBuildId(const Header &header, const Image &image);

}  // namespace gale::trace
