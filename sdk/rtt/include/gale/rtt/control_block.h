// The SEGGER RTT control block as a host sees it (32-bit little-endian targets): finding it
// (ELF symbol or a scan of RAM for its id) and decoding and validating it.
//
// Layout: char id[16] = "SEGGER RTT"; int32 MaxNumUpBuffers, MaxNumDownBuffers; then the up and
// the down descriptors, 24 bytes each: {sName, pBuffer, SizeOfBuffer, WrOff, RdOff, Flags}.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gale/rtt/memory_access.h"

namespace gale::rtt {

inline constexpr char kControlBlockId[] = "SEGGER RTT";  // then NULs to 16 bytes
inline constexpr size_t kIdSize = 16;
inline constexpr size_t kHeaderSize = 24;      // id + the two counts
inline constexpr size_t kDescriptorSize = 24;  // six 32-bit words
inline constexpr size_t kOffsetWrOff = 12;     // within a descriptor
inline constexpr size_t kOffsetRdOff = 16;
/// More channels than this in a block is taken as corruption.
inline constexpr int kMaxChannels = 64;

/// One ring descriptor.
struct BufferDesc {
  uint32_t name = 0;  ///< target address of the name string
  uint32_t buffer = 0;
  uint32_t size = 0;
  uint32_t wr_off = 0;
  uint32_t rd_off = 0;
  uint32_t flags = 0;
  bool active() const { return buffer != 0 && size != 0; }
};

/// A decoded control block.
struct ControlBlock {
  uint64_t address = 0;
  std::vector<BufferDesc> up;
  std::vector<BufferDesc> down;
  /// Bytes of header and descriptors: what one read of the block covers.
  size_t Size() const { return kHeaderSize + kDescriptorSize * (up.size() + down.size()); }
  uint64_t UpDescAddress(size_t i) const { return address + kHeaderSize + kDescriptorSize * i; }
  uint64_t DownDescAddress(size_t i) const {
    return address + kHeaderSize + kDescriptorSize * (up.size() + i);
  }
  /// Same channels and rings (offsets may differ).
  bool SameLayout(const ControlBlock &other) const;
};

/// Whether `bytes` start with the id.
bool HasId(std::span<const uint8_t> bytes);

/// The two counts of a block header (24 bytes at least); InvalidArgument without the id or with
/// counts outside [0, kMaxChannels].
absl::StatusOr<std::pair<int, int>> ParseHeader(std::span<const uint8_t> bytes, uint64_t address);

/// Decodes a whole block (header and descriptors) read from `address` and checks it: the id,
/// sane counts, active rings inside `ram` (when not empty) and offsets below their ring's size.
/// Errors (DataLoss for a corrupt block, NotFound without the id) say which field is wrong.
absl::StatusOr<ControlBlock> ParseControlBlock(std::span<const uint8_t> bytes, uint64_t address,
                                               std::span<const MemoryRange> ram);

/// What an image says about RTT: the block's address (symbol `_SEGGER_RTT`) and Gale's
/// dropped-bytes counters (`gale_rtt_dropped`, one uint32 per up channel), when present.
struct ElfRttSymbols {
  std::optional<uint64_t> control_block;
  std::optional<uint64_t> dropped;
  size_t dropped_channels = 0;
};
/// Reads the symbols from the ELF at `path`; errors only when the file is not a readable ELF.
absl::StatusOr<ElfRttSymbols> RttSymbolsFromElf(const std::string &path);

/// Scans `ranges` for the id (chunked reads with overlap) and returns the first address whose
/// block validates. NotFound naming the ranges when none does.
absl::StatusOr<uint64_t> ScanForControlBlock(MemoryAccess &memory,
                                             std::span<const MemoryRange> ranges,
                                             std::span<const MemoryRange> ram);

}  // namespace gale::rtt
