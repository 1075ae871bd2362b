#include "device_base.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace gale::devices {

std::string_view DeviceStateName(DeviceState state) {
  switch (state) {
    case DeviceState::kHalted:
      return "halted";
    case DeviceState::kFlashing:
      return "flashing";
    case DeviceState::kRunning:
      return "running";
    case DeviceState::kExited:
      return "exited";
    case DeviceState::kOffline:
      return "offline";
  }
  return "unknown";
}

std::string ImageInBuildDir(const std::string &build_dir, std::string_view board_emulator) {
  std::filesystem::path dir = std::filesystem::path(build_dir) / "gale";
  return (dir / (board_emulator == "native" ? "gale.exe" : "gale.elf")).string();
}

namespace {

// The default session: no window, each access is the device's own.
class ForwardingSession final : public MemorySession {
 public:
  explicit ForwardingSession(Device &device) : device_(device) {}
  absl::StatusOr<std::vector<uint8_t>> Read(uint64_t address, size_t length) override {
    return device_.ReadMemory(address, length);
  }
  absl::Status Write(uint64_t address, std::span<const uint8_t> data) override {
    return device_.WriteMemory(address, data);
  }

 private:
  Device &device_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<MemorySession>> Device::OpenMemorySession() {
  return std::make_unique<ForwardingSession>(*this);
}

absl::StatusOr<std::unique_ptr<DebugLease>> Device::LendDebugServer() {
  return absl::UnimplementedError(absl::StrCat(
      "device ", id(), " has no GDB server to debug through; a native_sim program is debugged "
      "as a host program (gdb BUILD/gale/gale.exe)"));
}

DeviceBase::DeviceBase(DeviceInfo info, size_t console_capacity)
    : id_(info.id), info_(std::move(info)), console_(console_capacity) {}

DeviceInfo DeviceBase::Info() const {
  std::lock_guard lock(mu_);
  return info_;
}

void DeviceBase::SetChangeListener(std::function<void(const DeviceInfo &)> listener) {
  std::lock_guard lock(notify_mu_);
  listener_ = std::move(listener);
}

void DeviceBase::Update(const std::function<void(DeviceInfo &)> &change) {
  {
    std::lock_guard lock(mu_);
    change(info_);
    cv_.notify_all();
  }
  Notify();
}

void DeviceBase::Notify() {
  // The snapshot is taken under notify_mu_, so listeners see changes in order and the last
  // notification always carries the latest state.
  std::lock_guard lock(notify_mu_);
  if (listener_) {
    listener_(Info());
  }
}

bool DeviceBase::MarkDeleted() {
  std::lock_guard lock(mu_);
  if (deleted_) {
    return false;
  }
  deleted_ = true;
  cv_.notify_all();
  return true;
}

bool DeviceBase::deleted() const {
  std::lock_guard lock(mu_);
  return deleted_;
}

absl::Status DeviceBase::DeletedError() const {
  return absl::FailedPreconditionError(
      absl::StrCat("device ", id_, " was deleted; create a new one (gale emu start)"));
}

void DeviceBase::PumpToConsole(int fd) {
  char buffer[4096];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      console_.Write(std::string_view(buffer, static_cast<size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    return;
  }
}

absl::StatusOr<int> DeviceBase::WaitExit(absl::Duration timeout, const std::atomic<bool> *cancel) {
  const auto start = std::chrono::steady_clock::now();
  // An infinite (or huge) timeout must not overflow the clock: cap it at ten years.
  const auto deadline =
      start + absl::ToChronoNanoseconds(std::min(timeout, absl::Hours(24 * 365 * 10)));
  std::unique_lock lock(mu_);
  while (true) {
    if (deleted_) {
      return absl::CancelledError(
          absl::StrCat("device ", id_, " was deleted while waiting for ", "its image to exit"));
    }
    if (info_.state == DeviceState::kExited) {
      return info_.exit_code;
    }
    if (info_.state == DeviceState::kOffline) {
      return absl::UnavailableError(absl::StrCat("device ", id_, ": ", info_.error));
    }
    if (cancel != nullptr && cancel->load()) {
      return absl::CancelledError(
          absl::StrCat("stopped waiting for the image on device ", id_, " to exit (cancelled)"));
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "the image on device ", id_, " (", info_.image, ") is still ",
          std::string(DeviceStateName(info_.state)), " after ", absl::FormatDuration(timeout)));
    }
    cv_.wait_until(lock, std::min(deadline, now + std::chrono::milliseconds(50)));
  }
}

}  // namespace gale::devices
