#include "gale/rtt/memory_access.h"

#include "gale/devices/device.h"
#include "gale/gdb/client.h"

namespace gale::rtt {

DeviceMemoryAccess::DeviceMemoryAccess(devices::Device &device) : device_(device) {}

DeviceMemoryAccess::~DeviceMemoryAccess() = default;

absl::StatusOr<std::vector<uint8_t>> DeviceMemoryAccess::Read(uint64_t address, size_t length) {
  return session_ ? session_->Read(address, length) : device_.ReadMemory(address, length);
}

absl::Status DeviceMemoryAccess::Write(uint64_t address, std::span<const uint8_t> data) {
  return session_ ? session_->Write(address, data) : device_.WriteMemory(address, data);
}

absl::Status DeviceMemoryAccess::Hold() {
  absl::StatusOr<std::unique_ptr<devices::MemorySession>> session = device_.OpenMemorySession();
  if (!session.ok()) {
    return session.status();
  }
  session_ = *std::move(session);
  return absl::OkStatus();
}

absl::Status DeviceMemoryAccess::Release() {
  session_.reset();  // the CPU runs again if it ran
  return absl::OkStatus();
}

absl::Status GdbMemoryAccess::Hold() {
  if (absl::Status s = Stop(); !s.ok()) {
    return s;
  }
  held_ = true;
  return absl::OkStatus();
}

absl::Status GdbMemoryAccess::Release() {
  held_ = false;
  return Restart();
}

absl::Status GdbMemoryAccess::Stop() {
  if (!running_ || held_) {
    return absl::OkStatus();
  }
  return client_.Interrupt().status();
}

absl::Status GdbMemoryAccess::Restart() {
  if (!running_ || held_) {
    return absl::OkStatus();
  }
  return client_.Continue();
}

absl::StatusOr<std::vector<uint8_t>> GdbMemoryAccess::Read(uint64_t address, size_t length) {
  if (absl::Status s = Stop(); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<uint8_t>> bytes = client_.ReadMemory(address, length);
  // Resume even when the read failed: a reader must never leave the target stopped.
  if (absl::Status s = Restart(); !s.ok() && bytes.ok()) {
    return s;
  }
  return bytes;
}

absl::Status GdbMemoryAccess::Write(uint64_t address, std::span<const uint8_t> data) {
  if (absl::Status s = Stop(); !s.ok()) {
    return s;
  }
  absl::Status written = client_.WriteMemory(address, data);
  absl::Status restarted = Restart();
  return written.ok() ? restarted : written;
}

}  // namespace gale::rtt
