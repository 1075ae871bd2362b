// RttReader: a host's side of RTT. Finds the control block, drains up-buffers (moving RdOff so
// that block mode on the target proceeds), fills down-buffers, and follows the target through
// resets and reflashes.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gale/rtt/control_block.h"
#include "gale/rtt/memory_access.h"

namespace gale::rtt {

struct RttReaderOptions {
  /// Where the block is (the ELF symbol `_SEGGER_RTT`); when unset, `scan_ranges` are scanned.
  std::optional<uint64_t> control_block;
  /// Where to look for the id when the address is unknown (the board's RAM).
  std::vector<MemoryRange> scan_ranges;
  /// Where rings may be: a block pointing elsewhere is corrupt. Empty: not checked.
  std::vector<MemoryRange> ram;
  /// The target's pointer size: 4, or 8 for a 64-bit program (native_sim on a 64-bit host).
  size_t pointer_size = 4;
  /// Gale's per-channel dropped-bytes counters (symbol `gale_rtt_dropped`), if known.
  std::optional<uint64_t> dropped_counters;
  size_t dropped_channels = 0;
  /// Back-off of WaitForControlBlock() between attempts.
  absl::Duration min_backoff = absl::Milliseconds(5);
  absl::Duration max_backoff = absl::Milliseconds(200);
};

/// Bytes from one up channel.
struct ChannelData {
  unsigned channel = 0;
  std::vector<uint8_t> data;
};

struct PollResult {
  /// The block is there and valid (false: not yet, or gone; nothing was read).
  bool attached = false;
  /// The block was (re)found in this poll: after a reset or reflash, the streams start again.
  bool reattached = false;
  /// Why the block is not attached (NotFound: no id yet; DataLoss: corrupt), when it is not.
  absl::Status detached_reason;
  std::vector<ChannelData> up;
  /// Bytes the target dropped per up channel since the last poll (from its counters), if known.
  std::vector<uint64_t> dropped;
};

/// Options for reading the image at `elf_path` on a target whose RAM is `ram` (the board's
/// devicetree memory): the block's address and the dropped counters from the ELF's symbols,
/// rings checked against `ram`, and `ram` scanned when the block is not at the symbol's address
/// (an image without the symbol, or one flashed since). Errors only for an unreadable ELF.
absl::StatusOr<RttReaderOptions> ReaderOptionsForImage(const std::string &elf_path,
                                                       std::vector<MemoryRange> ram);

/// Pacing of RttReader::Run().
struct RunOptions {
  /// After a poll that brought data the next follows at once; after an empty one, or while no
  /// block is attached, or after a memory error, the pause doubles from `min_idle` to `max_idle`.
  absl::Duration min_idle = absl::Microseconds(500);
  absl::Duration max_idle = absl::Milliseconds(50);
};

/// Not thread-safe: poll and write from one thread (or serialise the calls).
class RttReader {
 public:
  RttReader(MemoryAccess &memory, RttReaderOptions options);

  /// One round: reads the block (finding it first if needed: one read of the header and
  /// descriptors when its address is known), then each up channel's new bytes (one read each;
  /// a wrapped ring is read whole) and writes its RdOff back. A missing or corrupt block is not
  /// an error: the result says so and the next poll looks again. Errors are the memory
  /// access's (the target is unreachable).
  absl::StatusOr<PollResult> Poll();

  /// Polls until the block is attached, sleeping with exponential back-off between attempts.
  /// @retval DeadlineExceeded not found in `timeout` (the message says why: no id, corrupt)
  /// @retval Cancelled `*cancel` became true
  absl::Status WaitForControlBlock(absl::Duration timeout,
                                   const std::atomic<bool> *cancel = nullptr);

  /// Polls until `*cancel` is true (checked between polls and during pauses of at most
  /// `max_idle`). Every result goes to `on_result` (attached or not); memory errors (a device
  /// offline, flashing, restarting) go to `on_error` and polling goes on: a stream survives
  /// resets, reflashes and emulator restarts.
  void Run(const std::function<void(const PollResult &)> &on_result,
           const std::function<void(const absl::Status &)> &on_error,
           const std::atomic<bool> &cancel, const RunOptions &options = {});

  /// Writes as much of `data` as fits into down channel `channel` (reads its descriptor fresh).
  /// @returns the bytes written (fewer when the ring is fuller)
  /// @retval FailedPrecondition no block attached
  /// @retval InvalidArgument no such channel, or it has no ring
  /// @retval DataLoss its descriptor is corrupt
  absl::StatusOr<size_t> WriteDown(unsigned channel, std::span<const uint8_t> data);

  /// The block as last read (nullopt when not attached).
  const std::optional<ControlBlock> &control_block() const { return block_; }

  /// Memory accesses made so far (reads, writes) and bytes read: for measurements.
  uint64_t reads() const { return reads_; }
  uint64_t writes() const { return writes_; }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  absl::StatusOr<std::vector<uint8_t>> Read(uint64_t address, size_t length);
  absl::Status Write(uint64_t address, std::span<const uint8_t> data);
  absl::StatusOr<PollResult> PollHeld();
  absl::StatusOr<size_t> WriteDownHeld(unsigned channel, std::span<const uint8_t> data);
  absl::StatusOr<uint64_t> Locate();
  void Detach(absl::Status why, PollResult &result);

  MemoryAccess &memory_;
  RttReaderOptions options_;
  std::optional<ControlBlock> block_;
  std::optional<uint64_t> address_;     // known or found
  std::vector<uint32_t> dropped_last_;  // counter values at the last poll
  bool dropped_known_ = false;
  uint64_t reads_ = 0;
  uint64_t writes_ = 0;
  uint64_t bytes_read_ = 0;
};

}  // namespace gale::rtt
