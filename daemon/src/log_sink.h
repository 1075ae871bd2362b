// Target logs into the store: text log lines from a device's console (UART backend) and from
// its RTT channel 0 (RTT backend) are decoded (sdk/logs) and kept as records, queryable through
// the Logs service.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "gale/devices/device.h"

namespace gale::daemon {

struct Context;

class LogSink {
 public:
  explicit LogSink(Context &context) : context_(context) {}
  ~LogSink();

  /// Decodes `device`'s console lines from now on (idempotent).
  void WatchConsole(const std::shared_ptr<devices::Device> &device);
  /// One line of `device`'s output from `source` ("uart", "rtt:0"): stored when it is a log
  /// message, ignored otherwise.
  void Line(const std::string &device_id, std::string_view source, std::string_view line);
  /// Stops watching every console (before the devices go).
  void Shutdown();

 private:
  Context &context_;
  std::mutex mu_;
  std::map<std::string, std::pair<std::weak_ptr<devices::Device>, uint64_t>> listeners_;
};

}  // namespace gale::daemon
