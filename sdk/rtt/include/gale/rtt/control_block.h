// The SEGGER RTT control block as a host sees it (little-endian targets): finding it (ELF symbol
// or a scan of RAM for its id) and decoding and validating it.
//
// Layout: char id[16] = "SEGGER RTT"; int32 MaxNumUpBuffers, MaxNumDownBuffers; then the up and
// the down descriptors: {sName, pBuffer (pointers), SizeOfBuffer, WrOff, RdOff, Flags (32-bit)},
// 24 bytes each on a 32-bit target, 32 on a 64-bit one (native_sim on a 64-bit host).
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
inline constexpr size_t kHeaderSize = 24;  // id + the two counts
// A 32-bit target's descriptor (six 32-bit words) and offsets within it; DescriptorSize() and
// the ControlBlock accessors cover both pointer sizes.
inline constexpr size_t kDescriptorSize = 24;
inline constexpr size_t kOffsetWrOff = 12;
inline constexpr size_t kOffsetRdOff = 16;
/// A descriptor's size for a target with `pointer_size`-byte pointers (4 or 8).
constexpr size_t DescriptorSize(size_t pointer_size) {
  return 2 * pointer_size + 16;
}
/// Header and descriptors of a block with these channel counts.
constexpr size_t BlockSize(size_t up, size_t down, size_t pointer_size) {
  return kHeaderSize + DescriptorSize(pointer_size) * (up + down);
}
/// More channels than this in a block is taken as corruption.
inline constexpr int kMaxChannels = 64;

/// One ring descriptor.
struct BufferDesc {
  uint64_t name = 0;  ///< target address of the name string
  uint64_t buffer = 0;
  uint32_t size = 0;
  uint32_t wr_off = 0;
  uint32_t rd_off = 0;
  uint32_t flags = 0;
  bool active() const { return buffer != 0 && size != 0; }
};

/// A decoded control block.
struct ControlBlock {
  uint64_t address = 0;
  size_t pointer_size = 4;  ///< the target's: 4, or 8 on a 64-bit host (native_sim)
  std::vector<BufferDesc> up;
  std::vector<BufferDesc> down;
  /// Bytes of header and descriptors: what one read of the block covers.
  size_t Size() const { return BlockSize(up.size(), down.size(), pointer_size); }
  size_t DescSize() const { return DescriptorSize(pointer_size); }
  uint64_t UpDescAddress(size_t i) const { return address + kHeaderSize + DescSize() * i; }
  uint64_t DownDescAddress(size_t i) const {
    return address + kHeaderSize + DescSize() * (up.size() + i);
  }
  /// Offsets of WrOff and RdOff within a descriptor.
  size_t OffsetWrOff() const { return 2 * pointer_size + 4; }
  size_t OffsetRdOff() const { return 2 * pointer_size + 8; }
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
                                               std::span<const MemoryRange> ram,
                                               size_t pointer_size = 4);
/// One descriptor (DescriptorSize(pointer_size) bytes at `at` of `bytes`), unchecked.
BufferDesc ParseDescriptor(std::span<const uint8_t> bytes, size_t at, size_t pointer_size);

/// What an image says about RTT: the block's address (symbol `_SEGGER_RTT`) and Gale's
/// dropped-bytes counters (`gale_rtt_dropped`, one uint32 per up channel), when present.
struct ElfRttSymbols {
  std::optional<uint64_t> control_block;
  size_t pointer_size = 4;  ///< 8 for a 64-bit image
  std::optional<uint64_t> dropped;
  size_t dropped_channels = 0;
};
/// Reads the symbols from the ELF at `path`; errors only when the file is not a readable ELF.
absl::StatusOr<ElfRttSymbols> RttSymbolsFromElf(const std::string &path);

/// Scans `ranges` for the id (chunked reads with overlap) and returns the first address whose
/// block validates. NotFound naming the ranges when none does.
absl::StatusOr<uint64_t> ScanForControlBlock(MemoryAccess &memory,
                                             std::span<const MemoryRange> ranges,
                                             std::span<const MemoryRange> ram,
                                             size_t pointer_size = 4);

}  // namespace gale::rtt
