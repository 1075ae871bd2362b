// A target's RAM in host memory, and a target-side RTT writer over it, for the reader's unit
// tests: the fake sits at the MemoryAccess edge only.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gale/rtt/control_block.h"
#include "gale/rtt/memory_access.h"

namespace gale::rtt::testing {

class FakeMemory final : public MemoryAccess {
 public:
  FakeMemory(uint64_t base, size_t size) : base_(base), ram_(size, 0) {}

  absl::StatusOr<std::vector<uint8_t>> Read(uint64_t address, size_t length) override {
    reads++;
    if (on_read) {
      on_read();
    }
    if (!fail.ok()) {
      return fail;
    }
    if (!Inside(address, length)) {
      return absl::InvalidArgumentError(absl::StrCat("fake: read outside RAM at ", address));
    }
    return std::vector<uint8_t>(ram_.begin() + (address - base_),
                                ram_.begin() + (address - base_) + length);
  }

  absl::Status Write(uint64_t address, std::span<const uint8_t> data) override {
    writes++;
    if (!fail.ok()) {
      return fail;
    }
    if (!Inside(address, data.size())) {
      return absl::InvalidArgumentError(absl::StrCat("fake: write outside RAM at ", address));
    }
    std::memcpy(&ram_[address - base_], data.data(), data.size());
    return absl::OkStatus();
  }

  bool Inside(uint64_t address, size_t length) const {
    return address >= base_ && address - base_ <= ram_.size() &&
           length <= ram_.size() - (address - base_);
  }
  uint8_t *At(uint64_t address) { return &ram_[address - base_]; }
  uint32_t Get32(uint64_t address) {
    uint8_t *p = At(address);
    return p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24;
  }
  void Set32(uint64_t address, uint32_t value) {
    for (int i = 0; i < 4; i++) {
      At(address)[i] = static_cast<uint8_t>(value >> (8 * i));
    }
  }
  void Clear() { std::fill(ram_.begin(), ram_.end(), 0); }
  MemoryRange range() const { return {base_, ram_.size()}; }

  int reads = 0;
  int writes = 0;
  absl::Status fail;
  std::function<void()> on_read;

 private:
  uint64_t base_;
  std::vector<uint8_t> ram_;
};

// The target's side: lays out a control block and writes to / reads from its rings as
// subsys/rtt does.
class FakeTarget {
 public:
  struct Ring {
    uint32_t buffer;
    uint32_t size;
  };

  FakeTarget(FakeMemory &memory, uint64_t address) : memory_(memory), address_(address) {}

  void Init(std::vector<Ring> up, std::vector<Ring> down) {
    up_ = up.size();
    down_ = down.size();
    memory_.Set32(address_ + 16, static_cast<uint32_t>(up.size()));
    memory_.Set32(address_ + 20, static_cast<uint32_t>(down.size()));
    size_t i = 0;
    for (const std::vector<Ring> *rings : {&up, &down}) {
      for (const Ring &r : *rings) {
        uint64_t d = address_ + kHeaderSize + kDescriptorSize * i++;
        for (int w = 0; w < 6; w++) {
          memory_.Set32(d + 4 * w, 0);
        }
        memory_.Set32(d + 4, r.buffer);
        memory_.Set32(d + 8, r.size);
      }
    }
    std::memcpy(memory_.At(address_), kControlBlockId, sizeof(kControlBlockId));
  }

  uint64_t UpDesc(size_t i) const { return address_ + kHeaderSize + kDescriptorSize * i; }
  uint64_t DownDesc(size_t i) const { return UpDesc(up_ + i); }

  // Writes what fits (trim); returns the count.
  size_t Write(size_t channel, std::string_view bytes) {
    uint64_t d = UpDesc(channel);
    uint32_t buffer = memory_.Get32(d + 4), size = memory_.Get32(d + 8);
    uint32_t wr = memory_.Get32(d + 12), rd = memory_.Get32(d + 16);
    size_t n = 0;
    while (n < bytes.size() && (wr + 1) % size != rd) {
      *memory_.At(buffer + wr) = static_cast<uint8_t>(bytes[n++]);
      wr = (wr + 1) % size;
    }
    memory_.Set32(d + 12, wr);
    return n;
  }

  std::string Read(size_t channel) {
    uint64_t d = DownDesc(channel);
    uint32_t buffer = memory_.Get32(d + 4), size = memory_.Get32(d + 8);
    uint32_t wr = memory_.Get32(d + 12), rd = memory_.Get32(d + 16);
    std::string out;
    while (rd != wr) {
      out.push_back(static_cast<char>(*memory_.At(buffer + rd)));
      rd = (rd + 1) % size;
    }
    memory_.Set32(d + 16, rd);
    return out;
  }

 private:
  FakeMemory &memory_;
  uint64_t address_;
  size_t up_ = 0;
  size_t down_ = 0;
};

}  // namespace gale::rtt::testing
