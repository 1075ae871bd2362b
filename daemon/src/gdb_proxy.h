// GDB servers for debuggers (gale debug, IDE launch configurations): per device, a TCP port on
// loopback that relays one debugger at a time to the device's own GDB remote server (QEMU's
// gdbstub on a unix socket, OpenOCD's gdb port), holding the device's DebugLease while it is
// connected so that the daemon's own use of the server (flash, RTT polls) stands aside.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "gale/devices/device.h"

namespace gale::daemon {

class GdbProxy {
 public:
  /// Listens on 127.0.0.1 (a free port) for `device`.
  static absl::StatusOr<std::unique_ptr<GdbProxy>> Start(std::weak_ptr<devices::Device> device,
                                                         std::string device_id);
  ~GdbProxy();  ///< closes the port and ends a relay in progress
  GdbProxy(const GdbProxy &) = delete;
  GdbProxy &operator=(const GdbProxy &) = delete;

  int port() const { return port_; }
  bool debugger_connected() const { return connected_; }

 private:
  GdbProxy(std::weak_ptr<devices::Device> device, std::string device_id, int listen_fd, int port);
  void Serve();
  void Relay(int client);

  std::weak_ptr<devices::Device> device_;
  std::string device_id_;
  int listen_fd_;
  int port_;
  int wake_[2] = {-1, -1};
  std::atomic<bool> connected_{false};
  std::thread thread_;
};

/// The proxies of all devices, started on first request.
class GdbProxies {
 public:
  /// The proxy's port for `device` (started now if needed).
  absl::StatusOr<int> Get(const std::shared_ptr<devices::Device> &device);
  /// Stops the proxy of a deleted device.
  void Remove(const std::string &device_id);
  void Shutdown();

 private:
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<GdbProxy>> proxies_;
};

}  // namespace gale::daemon
