// The daemon's side of RTT: one monitor per device, polling its running image's control block
// and fanning each up-channel out to any number of clients (with retained output, like the
// console), from before the image is flashed through resets and reflashes.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/statusor.h"
#include "gale/devices/console_hub.h"
#include "gale/devices/device.h"

namespace gale::daemon {

struct Context;

class RttMonitor {
 public:
  static constexpr unsigned kMaxChannels = 16;

  explicit RttMonitor(std::shared_ptr<devices::Device> device);
  ~RttMonitor();

  /// The stream of up-channel `channel` (created on first use). Chunks carry the bytes; a
  /// `stopped` chunk carries a status change ("waiting for the control block", ...).
  devices::ConsoleHub &Channel(unsigned channel);
  /// What the monitor is doing, for clients that attach.
  std::string status() const;
  /// Bytes the target dropped on an up-channel, as counted by its image.
  uint64_t dropped(unsigned channel) const;
  /// Writes to a down-channel of the attached control block.
  absl::StatusOr<size_t> Write(unsigned channel, std::string_view data);
  /// Called with every byte of up-channel 0 (the log / terminal channel), in order, on the
  /// monitor's thread.
  void SetOutputListener(std::function<void(std::string_view bytes)> listener);

 private:
  void Run();
  void SetStatus(const std::string &status);

  std::shared_ptr<devices::Device> device_;
  mutable std::mutex mu_;
  std::map<unsigned, std::unique_ptr<devices::ConsoleHub>> channels_;
  std::string status_;
  uint64_t dropped_[kMaxChannels] = {};
  std::string pending_down_[kMaxChannels];  // written by clients, sent by the poll thread
  std::function<void(std::string_view)> output_listener_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

/// The monitors of all devices, created when a client first asks for a device's RTT or an
/// image with a control block is flashed.
class RttMonitors {
 public:
  using OutputFn = std::function<void(const std::string &device_id, std::string_view bytes)>;
  /// `on_output` receives the bytes of every device's up-channel 0 (for the log store).
  explicit RttMonitors(OutputFn on_output = {}) : on_output_(std::move(on_output)) {}
  std::shared_ptr<RttMonitor> Get(const std::shared_ptr<devices::Device> &device);
  void Shutdown();

 private:
  OutputFn on_output_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<RttMonitor>> monitors_;
};

}  // namespace gale::daemon
