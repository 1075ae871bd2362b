#include "gale/rtt/control_block.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gale/elf/elf_file.h"

namespace gale::rtt {
namespace {

uint32_t Le32(std::span<const uint8_t> bytes, size_t at) {
  return static_cast<uint32_t>(bytes[at]) | static_cast<uint32_t>(bytes[at + 1]) << 8 |
         static_cast<uint32_t>(bytes[at + 2]) << 16 | static_cast<uint32_t>(bytes[at + 3]) << 24;
}

std::string Hex(uint64_t value) {
  return absl::StrCat("0x", absl::Hex(value));
}

uint64_t LePointer(std::span<const uint8_t> bytes, size_t at, size_t pointer_size) {
  uint64_t value = Le32(bytes, at);
  if (pointer_size == 8) {
    value |= static_cast<uint64_t>(Le32(bytes, at + 4)) << 32;
  }
  return value;
}

absl::Status CheckDesc(const BufferDesc &d, const char *direction, size_t index, uint64_t address,
                       std::span<const MemoryRange> ram) {
  if (!d.active()) {
    return absl::OkStatus();
  }
  auto corrupt = [&](const std::string &what) {
    return absl::DataLossError(absl::StrCat("RTT control block at ", Hex(address), ": ", direction,
                                            " buffer ", index, " ", what,
                                            " (the block is corrupt or not initialised yet)"));
  };
  if (!ram.empty() && std::none_of(ram.begin(), ram.end(), [&](const MemoryRange &r) {
        return r.Contains(d.buffer, d.size);
      })) {
    return corrupt(absl::StrCat("points outside RAM: ", Hex(d.buffer), " size ", d.size));
  }
  if (d.wr_off >= d.size || d.rd_off >= d.size) {
    return corrupt(absl::StrCat("has offsets past its size ", d.size, ": WrOff ", d.wr_off,
                                " RdOff ", d.rd_off));
  }
  return absl::OkStatus();
}

}  // namespace

BufferDesc ParseDescriptor(std::span<const uint8_t> bytes, size_t at, size_t pointer_size) {
  const size_t p = pointer_size;
  BufferDesc d;
  d.name = LePointer(bytes, at, p);
  d.buffer = LePointer(bytes, at + p, p);
  d.size = Le32(bytes, at + 2 * p);
  d.wr_off = Le32(bytes, at + 2 * p + 4);
  d.rd_off = Le32(bytes, at + 2 * p + 8);
  d.flags = Le32(bytes, at + 2 * p + 12);
  return d;
}

bool ControlBlock::SameLayout(const ControlBlock &other) const {
  auto same = [](const std::vector<BufferDesc> &a, const std::vector<BufferDesc> &b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](const BufferDesc &x, const BufferDesc &y) {
             return x.buffer == y.buffer && x.size == y.size;
           });
  };
  return address == other.address && same(up, other.up) && same(down, other.down);
}

bool HasId(std::span<const uint8_t> bytes) {
  return bytes.size() >= kIdSize &&
         std::memcmp(bytes.data(), kControlBlockId, sizeof(kControlBlockId)) == 0;
}

absl::StatusOr<std::pair<int, int>> ParseHeader(std::span<const uint8_t> bytes, uint64_t address) {
  if (bytes.size() < kHeaderSize || !HasId(bytes)) {
    return absl::NotFoundError(absl::StrCat("no RTT control block at ", Hex(address),
                                            ": the id \"SEGGER RTT\" is not there (the image "
                                            "has not initialised RTT yet, or has none)"));
  }
  auto up = static_cast<int32_t>(Le32(bytes, 16));
  auto down = static_cast<int32_t>(Le32(bytes, 20));
  if (up < 0 || up > kMaxChannels || down < 0 || down > kMaxChannels) {
    return absl::DataLossError(absl::StrCat("RTT control block at ", Hex(address),
                                            " has implausible channel counts: ", up, " up, ", down,
                                            " down (at most ", kMaxChannels, ")"));
  }
  return std::make_pair(static_cast<int>(up), static_cast<int>(down));
}

absl::StatusOr<ControlBlock> ParseControlBlock(std::span<const uint8_t> bytes, uint64_t address,
                                               std::span<const MemoryRange> ram,
                                               size_t pointer_size) {
  absl::StatusOr<std::pair<int, int>> counts = ParseHeader(bytes, address);
  if (!counts.ok()) {
    return counts.status();
  }
  ControlBlock block;
  block.address = address;
  block.pointer_size = pointer_size;
  block.up.resize(counts->first);
  block.down.resize(counts->second);
  if (bytes.size() < block.Size()) {
    return absl::InvalidArgumentError(absl::StrCat("RTT control block at ", Hex(address), " needs ",
                                                   block.Size(), " bytes, got ", bytes.size()));
  }
  for (size_t i = 0; i < block.up.size(); i++) {
    block.up[i] = ParseDescriptor(bytes, kHeaderSize + block.DescSize() * i, pointer_size);
    if (absl::Status s = CheckDesc(block.up[i], "up", i, address, ram); !s.ok()) {
      return s;
    }
  }
  for (size_t i = 0; i < block.down.size(); i++) {
    block.down[i] = ParseDescriptor(bytes, kHeaderSize + block.DescSize() * (block.up.size() + i),
                                    pointer_size);
    if (absl::Status s = CheckDesc(block.down[i], "down", i, address, ram); !s.ok()) {
      return s;
    }
  }
  return block;
}

absl::StatusOr<ElfRttSymbols> RttSymbolsFromElf(const std::string &path) {
  absl::StatusOr<elf::ElfFile> elf = elf::ElfFile::Load(path);
  if (!elf.ok()) {
    return elf.status();
  }
  ElfRttSymbols symbols;
  symbols.pointer_size = elf->is_64bit() ? 8 : 4;
  if (std::optional<elf::Symbol> cb = elf->FindSymbol("_SEGGER_RTT")) {
    symbols.control_block = cb->value;
  }
  if (std::optional<elf::Symbol> dropped = elf->FindSymbol("gale_rtt_dropped")) {
    symbols.dropped = dropped->value;
    symbols.dropped_channels = dropped->size / 4;
  }
  return symbols;
}

absl::StatusOr<uint64_t> ScanForControlBlock(MemoryAccess &memory,
                                             std::span<const MemoryRange> ranges,
                                             std::span<const MemoryRange> ram,
                                             size_t pointer_size) {
  constexpr size_t kChunk = 64 * 1024;
  absl::Status last_corrupt;
  std::vector<std::string> names;
  for (const MemoryRange &range : ranges) {
    names.push_back(absl::StrCat(Hex(range.start), "+", Hex(range.size)));
    for (uint64_t at = range.start; at < range.start + range.size;) {
      size_t length =
          static_cast<size_t>(std::min<uint64_t>(kChunk, range.start + range.size - at));
      absl::StatusOr<std::vector<uint8_t>> bytes = memory.Read(at, length);
      if (!bytes.ok()) {
        return bytes.status();
      }
      for (size_t i = 0; i + kIdSize <= bytes->size(); i++) {
        if ((*bytes)[i] != 'S' || !HasId(std::span(*bytes).subspan(i))) {
          continue;
        }
        // Read the candidate whole: it may straddle the chunk's end.
        absl::StatusOr<std::vector<uint8_t>> header = memory.Read(at + i, kHeaderSize);
        if (!header.ok()) {
          return header.status();
        }
        absl::StatusOr<std::pair<int, int>> counts = ParseHeader(*header, at + i);
        if (!counts.ok()) {
          last_corrupt = counts.status();
          continue;
        }
        size_t size = BlockSize(counts->first, counts->second, pointer_size);
        absl::StatusOr<std::vector<uint8_t>> all = memory.Read(at + i, size);
        if (!all.ok()) {
          return all.status();
        }
        absl::StatusOr<ControlBlock> block = ParseControlBlock(*all, at + i, ram, pointer_size);
        if (block.ok()) {
          return at + i;
        }
        last_corrupt = block.status();
      }
      if (length < kIdSize || at + length >= range.start + range.size) {
        break;
      }
      at += length - (kIdSize - 1);  // overlap: an id across the chunk boundary
    }
  }
  std::string message =
      absl::StrCat("no RTT control block (id \"SEGGER RTT\") in ", absl::StrJoin(names, ", "));
  if (!last_corrupt.ok()) {
    absl::StrAppend(&message, "; a candidate was rejected: ", last_corrupt.message());
  }
  return absl::NotFoundError(message);
}

}  // namespace gale::rtt
