// Target memory as sdk/rtt sees it: reads and writes of byte ranges, over whatever reaches the
// target (a device of the daemon, a GDB remote connection, later OpenOCD).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gale::devices {
class Device;
class MemorySession;
}
namespace gale::gdb {
class Client;
}

namespace gale::rtt {

/// A range of target addresses [start, start + size).
struct MemoryRange {
  uint64_t start = 0;
  uint64_t size = 0;
  bool Contains(uint64_t address, uint64_t length) const {
    return address >= start && length <= size && address - start <= size - length;
  }
};

/// Reads and writes target memory. Implementations need not be thread-safe: one RttReader
/// uses one MemoryAccess from one thread at a time.
class MemoryAccess {
 public:
  virtual ~MemoryAccess() = default;
  /// Exactly `length` bytes at `address`, or an error.
  virtual absl::StatusOr<std::vector<uint8_t>> Read(uint64_t address, size_t length) = 0;
  virtual absl::Status Write(uint64_t address, std::span<const uint8_t> data) = 0;
  /// Optional: make the accesses until Release() one window (one halt of the target instead of
  /// one per access). RttReader brackets each poll with them; Release() follows every
  /// successful Hold(). The defaults do nothing.
  virtual absl::Status Hold() { return absl::OkStatus(); }
  virtual absl::Status Release() { return absl::OkStatus(); }
};

/// Over a device of sdk/devices (what the daemon uses). Between Hold() and Release() the
/// accesses share one memory session (one pause of the CPU); outside, each access pauses a
/// running CPU for its own duration.
class DeviceMemoryAccess final : public MemoryAccess {
 public:
  explicit DeviceMemoryAccess(devices::Device &device);
  ~DeviceMemoryAccess() override;
  absl::StatusOr<std::vector<uint8_t>> Read(uint64_t address, size_t length) override;
  absl::Status Write(uint64_t address, std::span<const uint8_t> data) override;
  absl::Status Hold() override;
  absl::Status Release() override;

 private:
  devices::Device &device_;
  std::unique_ptr<devices::MemorySession> session_;
};

/// Over a connected, handshaken GDB remote client. With `target_running`, the client is in the
/// running state (after Continue()): each access interrupts the target, reads or writes, and
/// continues it (QEMU's gdbstub serves memory only while stopped). Otherwise the target is
/// stopped and stays so.
class GdbMemoryAccess final : public MemoryAccess {
 public:
  GdbMemoryAccess(gdb::Client &client, bool target_running)
      : client_(client), running_(target_running) {}
  absl::StatusOr<std::vector<uint8_t>> Read(uint64_t address, size_t length) override;
  absl::Status Write(uint64_t address, std::span<const uint8_t> data) override;
  /// Interrupts a running target once for all accesses until Release() (which continues it).
  absl::Status Hold() override;
  absl::Status Release() override;

 private:
  absl::Status Stop();
  absl::Status Restart();
  gdb::Client &client_;
  bool running_;
  bool held_ = false;
};

}  // namespace gale::rtt
