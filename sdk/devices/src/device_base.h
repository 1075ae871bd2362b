// What every device implementation shares: the info snapshot and its lock, change
// notification, the console and waiting for the image's exit.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "gale/devices/device.h"

namespace gale::devices {

struct DeviceTimeouts {
  absl::Duration emulator_start = absl::Seconds(10);
  absl::Duration gdb_reply = absl::Seconds(10);
};

class DeviceBase : public Device {
 public:
  DeviceBase(DeviceInfo info, size_t console_capacity);

  const std::string &id() const override { return id_; }
  DeviceInfo Info() const override;
  ConsoleHub &console() override { return console_; }
  absl::StatusOr<int> WaitExit(absl::Duration timeout,
                               const std::atomic<bool> *cancel = nullptr) override;
  void SetChangeListener(std::function<void(const DeviceInfo &)> listener) override;

 protected:
  /// Applies `change` to the info under the lock, wakes WaitExit() and notifies the listener.
  void Update(const std::function<void(DeviceInfo &)> &change);
  /// Sends the current snapshot to the listener.
  void Notify();
  /// Copies what `fd` delivers into the console until end of file or a read error (the
  /// emulator or program went away). Runs on the device's reader thread.
  void PumpToConsole(int fd);
  /// Marks the device deleted (later operations fail); false if it already was.
  bool MarkDeleted();
  bool deleted() const;
  /// FailedPrecondition naming the device, for operations after Shutdown().
  absl::Status DeletedError() const;

  const std::string id_;
  mutable std::mutex mu_;  ///< guards info_ and deleted_; never held while calling out
  std::condition_variable cv_;
  DeviceInfo info_;
  bool deleted_ = false;
  ConsoleHub console_;

 private:
  std::mutex notify_mu_;  ///< orders notifications; guards listener_
  std::function<void(const DeviceInfo &)> listener_;
};

}  // namespace gale::devices
