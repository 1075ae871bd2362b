#include "gale/rtt/reader.h"

#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"

namespace gale::rtt {
namespace {

uint32_t Le32(const uint8_t *p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

std::vector<uint8_t> ToLe32(uint32_t value) {
  return {static_cast<uint8_t>(value), static_cast<uint8_t>(value >> 8),
          static_cast<uint8_t>(value >> 16), static_cast<uint8_t>(value >> 24)};
}

// Counters this close to the block are read with it, in one access.
constexpr uint64_t kAdjacentGap = 64;
// Wrapped rings up to this size are read whole (one access instead of two).
constexpr uint32_t kWholeRingRead = 16 * 1024;

// The host owns RdOff of up-buffers: if one is not what we last wrote, the target was reset and
// initialised the block again between two polls (the id never looked absent).
bool RestartedUnseen(const ControlBlock &before, const ControlBlock &now) {
  for (size_t i = 0; i < now.up.size(); i++) {
    if (now.up[i].active() && now.up[i].rd_off != before.up[i].rd_off) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<RttReaderOptions> ReaderOptionsForImage(const std::string &elf_path,
                                                       std::vector<MemoryRange> ram) {
  absl::StatusOr<ElfRttSymbols> symbols = RttSymbolsFromElf(elf_path);
  if (!symbols.ok()) {
    return symbols.status();
  }
  RttReaderOptions options;
  options.control_block = symbols->control_block;
  options.pointer_size = symbols->pointer_size;
  options.dropped_counters = symbols->dropped;
  options.dropped_channels = symbols->dropped_channels;
  options.scan_ranges = ram;
  options.ram = std::move(ram);
  return options;
}

RttReader::RttReader(MemoryAccess &memory, RttReaderOptions options)
    : memory_(memory), options_(std::move(options)) {
  address_ = options_.control_block;
}

absl::StatusOr<std::vector<uint8_t>> RttReader::Read(uint64_t address, size_t length) {
  reads_++;
  absl::StatusOr<std::vector<uint8_t>> bytes = memory_.Read(address, length);
  if (bytes.ok()) {
    bytes_read_ += bytes->size();
    if (bytes->size() != length) {
      return absl::InternalError(absl::StrCat("memory read of ", length, " bytes at 0x",
                                              absl::Hex(address), " returned ", bytes->size()));
    }
  }
  return bytes;
}

absl::Status RttReader::Write(uint64_t address, std::span<const uint8_t> data) {
  writes_++;
  return memory_.Write(address, data);
}

absl::StatusOr<uint64_t> RttReader::Locate() {
  if (options_.control_block) {
    absl::StatusOr<std::vector<uint8_t>> header = Read(*options_.control_block, kHeaderSize);
    if (!header.ok()) {
      return header.status();
    }
    absl::StatusOr<std::pair<int, int>> counts = ParseHeader(*header, *options_.control_block);
    if (counts.ok() || options_.scan_ranges.empty()) {
      return counts.ok() ? absl::StatusOr<uint64_t>(*options_.control_block) : counts.status();
    }
  }
  if (options_.scan_ranges.empty()) {
    return absl::FailedPreconditionError(
        "RTT: neither the control block's address (symbol _SEGGER_RTT) nor RAM ranges to scan "
        "were given");
  }
  return ScanForControlBlock(memory_, options_.scan_ranges, options_.ram, options_.pointer_size);
}

void RttReader::Detach(absl::Status why, PollResult &result) {
  block_.reset();
  dropped_known_ = false;
  if (!options_.control_block) {
    address_.reset();  // found by a scan: a reflash may have moved it
  }
  result.attached = false;
  result.detached_reason = std::move(why);
}

absl::StatusOr<PollResult> RttReader::Poll() {
  if (absl::Status s = memory_.Hold(); !s.ok()) {
    return s;
  }
  absl::StatusOr<PollResult> result = PollHeld();
  absl::Status released = memory_.Release();
  if (result.ok() && !released.ok()) {
    return released;
  }
  return result;
}

absl::StatusOr<PollResult> RttReader::PollHeld() {
  PollResult result;
  if (!address_ || !block_) {
    absl::StatusOr<uint64_t> where = Locate();
    if (!where.ok()) {
      if (absl::IsNotFound(where.status()) || absl::IsDataLoss(where.status())) {
        Detach(where.status(), result);
        return result;
      }
      return where.status();
    }
    address_ = *where;
  }

  // One read for the header, the descriptors and (when adjacent) the dropped counters. The
  // descriptor count is the last block's; if the counts changed, read again with the new ones.
  size_t block_size = block_ ? block_->Size() : kHeaderSize;
  bool with_counters = false;
  uint64_t lo = *address_;
  uint64_t hi = *address_ + block_size;
  const size_t counters_size = 4 * options_.dropped_channels;
  std::vector<uint8_t> bytes;
  std::optional<ControlBlock> parsed;
  for (int attempt = 0; attempt < 3 && !parsed; attempt++) {
    lo = *address_;
    hi = *address_ + block_size;
    with_counters = false;
    if (options_.dropped_counters && counters_size > 0) {
      uint64_t c_lo = *options_.dropped_counters;
      uint64_t c_hi = c_lo + counters_size;
      if (c_hi + kAdjacentGap >= lo && c_lo <= hi + kAdjacentGap) {
        lo = std::min(lo, c_lo);
        hi = std::max(hi, c_hi);
        with_counters = true;
      }
    }
    absl::StatusOr<std::vector<uint8_t>> read = Read(lo, hi - lo);
    if (!read.ok()) {
      return read.status();
    }
    bytes = *std::move(read);
    std::span<const uint8_t> blk = std::span<const uint8_t>(bytes).subspan(*address_ - lo);
    absl::StatusOr<std::pair<int, int>> counts = ParseHeader(blk, *address_);
    if (!counts.ok()) {
      Detach(counts.status(), result);
      return result;
    }
    size_t needed = BlockSize(counts->first, counts->second, options_.pointer_size);
    if (needed != block_size) {
      block_size = needed;
      continue;
    }
    absl::StatusOr<ControlBlock> block =
        ParseControlBlock(blk, *address_, options_.ram, options_.pointer_size);
    if (!block.ok()) {
      Detach(block.status(), result);
      return result;
    }
    parsed = *std::move(block);
  }
  if (!parsed) {
    Detach(absl::DataLossError("RTT control block keeps changing its channel counts"), result);
    return result;
  }
  if (!block_ || !block_->SameLayout(*parsed) || RestartedUnseen(*block_, *parsed)) {
    result.reattached = true;
    dropped_known_ = false;
  }
  block_ = parsed;
  result.attached = true;

  // Dropped counters: deltas since the last poll; the first values after (re)attaching count
  // from the target's boot.
  if (options_.dropped_counters && counters_size > 0) {
    std::vector<uint8_t> counters;
    if (with_counters) {
      size_t at = *options_.dropped_counters - lo;
      counters.assign(bytes.begin() + at, bytes.begin() + at + counters_size);
    } else {
      absl::StatusOr<std::vector<uint8_t>> read = Read(*options_.dropped_counters, counters_size);
      if (!read.ok()) {
        return read.status();
      }
      counters = *std::move(read);
    }
    if (!dropped_known_) {
      dropped_last_.assign(options_.dropped_channels, 0);
      dropped_known_ = true;
    }
    result.dropped.resize(options_.dropped_channels);
    for (size_t i = 0; i < options_.dropped_channels; i++) {
      uint32_t now = Le32(&counters[4 * i]);
      result.dropped[i] = static_cast<uint32_t>(now - dropped_last_[i]);  // wraps at 2^32
      dropped_last_[i] = now;
    }
  }

  for (size_t i = 0; i < block_->up.size(); i++) {
    BufferDesc &d = block_->up[i];
    if (!d.active() || d.rd_off == d.wr_off) {
      continue;
    }
    ChannelData out;
    out.channel = static_cast<unsigned>(i);
    if (d.wr_off > d.rd_off) {
      absl::StatusOr<std::vector<uint8_t>> data = Read(d.buffer + d.rd_off, d.wr_off - d.rd_off);
      if (!data.ok()) {
        return data.status();
      }
      out.data = *std::move(data);
    } else if (d.size <= kWholeRingRead || 2 * (d.size - d.rd_off + d.wr_off) >= d.size) {
      // Wrapped: one read of the whole ring costs less than a second round trip.
      absl::StatusOr<std::vector<uint8_t>> ring = Read(d.buffer, d.size);
      if (!ring.ok()) {
        return ring.status();
      }
      out.data.assign(ring->begin() + d.rd_off, ring->end());
      out.data.insert(out.data.end(), ring->begin(), ring->begin() + d.wr_off);
    } else {
      // A big ring holding little: its two pieces.
      absl::StatusOr<std::vector<uint8_t>> tail = Read(d.buffer + d.rd_off, d.size - d.rd_off);
      if (!tail.ok()) {
        return tail.status();
      }
      out.data = *std::move(tail);
      if (d.wr_off > 0) {
        absl::StatusOr<std::vector<uint8_t>> head = Read(d.buffer, d.wr_off);
        if (!head.ok()) {
          return head.status();
        }
        out.data.insert(out.data.end(), head->begin(), head->end());
      }
    }
    // Hand the space back: a target in block mode waits for this.
    if (absl::Status s = Write(block_->UpDescAddress(i) + block_->OffsetRdOff(), ToLe32(d.wr_off));
        !s.ok()) {
      return s;
    }
    d.rd_off = d.wr_off;
    result.up.push_back(std::move(out));
  }
  return result;
}

void RttReader::Run(const std::function<void(const PollResult &)> &on_result,
                    const std::function<void(const absl::Status &)> &on_error,
                    const std::atomic<bool> &cancel, const RunOptions &options) {
  absl::Duration idle = options.min_idle;
  while (!cancel.load()) {
    absl::StatusOr<PollResult> result = Poll();
    bool busy = false;
    if (result.ok()) {
      busy = !result->up.empty();
      if (on_result) {
        on_result(*result);
      }
    } else if (on_error) {
      on_error(result.status());
    }
    if (busy) {
      idle = options.min_idle;
      continue;
    }
    absl::SleepFor(idle);
    idle = std::min(idle * 2, options.max_idle);
  }
}

absl::Status RttReader::WaitForControlBlock(absl::Duration timeout,
                                            const std::atomic<bool> *cancel) {
  absl::Time deadline = absl::Now() + timeout;
  absl::Duration backoff = options_.min_backoff;
  absl::Status why = absl::NotFoundError("RTT control block not looked for yet");
  for (;;) {
    if (cancel != nullptr && cancel->load()) {
      return absl::CancelledError("waiting for the RTT control block was cancelled");
    }
    if (block_) {
      return absl::OkStatus();
    }
    absl::StatusOr<uint64_t> where = Locate();
    if (where.ok()) {
      // Validate the whole block without draining it (Poll() does that).
      address_ = *where;
      absl::StatusOr<std::vector<uint8_t>> header = Read(*where, kHeaderSize);
      if (!header.ok()) {
        return header.status();
      }
      absl::StatusOr<std::pair<int, int>> counts = ParseHeader(*header, *where);
      if (counts.ok()) {
        absl::StatusOr<std::vector<uint8_t>> all =
            Read(*where, BlockSize(counts->first, counts->second, options_.pointer_size));
        if (!all.ok()) {
          return all.status();
        }
        absl::StatusOr<ControlBlock> block =
            ParseControlBlock(*all, *where, options_.ram, options_.pointer_size);
        if (block.ok()) {
          // Leave block_ unset so that the next Poll() reports the attachment.
          return absl::OkStatus();
        }
        why = block.status();
      } else {
        why = counts.status();
      }
    } else if (absl::IsNotFound(where.status()) || absl::IsDataLoss(where.status())) {
      why = where.status();
    } else {
      return where.status();
    }
    absl::Time now = absl::Now();
    if (now >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "no valid RTT control block after ", absl::FormatDuration(timeout), ": ", why.message()));
    }
    absl::SleepFor(std::min(backoff, deadline - now));
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

absl::StatusOr<size_t> RttReader::WriteDown(unsigned channel, std::span<const uint8_t> data) {
  if (absl::Status s = memory_.Hold(); !s.ok()) {
    return s;
  }
  absl::StatusOr<size_t> result = WriteDownHeld(channel, data);
  absl::Status released = memory_.Release();
  if (result.ok() && !released.ok()) {
    return released;
  }
  return result;
}

absl::StatusOr<size_t> RttReader::WriteDownHeld(unsigned channel, std::span<const uint8_t> data) {
  if (!block_) {
    return absl::FailedPreconditionError(
        "RTT: no control block attached yet; poll until one is found before writing");
  }
  if (channel >= block_->down.size() || !block_->down[channel].active()) {
    return absl::InvalidArgumentError(absl::StrCat("RTT: no down channel ", channel,
                                                   " (the block has ", block_->down.size(), ")"));
  }
  uint64_t desc_address = block_->DownDescAddress(channel);
  absl::StatusOr<std::vector<uint8_t>> raw = Read(desc_address, block_->DescSize());
  if (!raw.ok()) {
    return raw.status();
  }
  const BufferDesc d = ParseDescriptor(*raw, 0, block_->pointer_size);
  const BufferDesc &known = block_->down[channel];
  if (d.buffer != known.buffer || d.size != known.size || d.wr_off >= d.size ||
      d.rd_off >= d.size) {
    return absl::DataLossError(absl::StrCat(
        "RTT down channel ", channel, " changed or is corrupt (ring 0x", absl::Hex(d.buffer),
        " size ", d.size, ", WrOff ", d.wr_off, ", RdOff ", d.rd_off, "); poll to re-attach"));
  }
  uint32_t free =
      d.rd_off > d.wr_off ? d.rd_off - d.wr_off - 1 : d.size - (d.wr_off - d.rd_off) - 1;
  size_t n = std::min<size_t>(free, data.size());
  if (n == 0) {
    return 0;
  }
  size_t first = std::min<size_t>(n, d.size - d.wr_off);
  if (absl::Status s = Write(d.buffer + d.wr_off, data.first(first)); !s.ok()) {
    return s;
  }
  if (n > first) {
    if (absl::Status s = Write(d.buffer, data.subspan(first, n - first)); !s.ok()) {
      return s;
    }
  }
  uint32_t wr = static_cast<uint32_t>((d.wr_off + n) % d.size);
  if (absl::Status s = Write(desc_address + block_->OffsetWrOff(), ToLe32(wr)); !s.ok()) {
    return s;
  }
  return n;
}

}  // namespace gale::rtt
