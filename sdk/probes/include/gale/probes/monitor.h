// Hot-plug: probes arriving and leaving, reported as differences between listings. libusb's
// hot-plug callbacks (where the platform has them) say when to list again; a periodic listing
// covers platforms without them and events libusb missed.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gale/probes/probe.h"

namespace gale::probes {

struct ProbeEvent {
  enum class Kind { kAdded, kRemoved };
  Kind kind = Kind::kAdded;
  Probe probe;
};

struct MonitorOptions {
  ScanOptions scan;
  /// How often to list again without a hot-plug notification (and the only way when libusb has
  /// no hot-plug support).
  absl::Duration poll_interval = absl::Seconds(2);
  /// Use libusb hot-plug callbacks when available.
  bool use_libusb_hotplug = true;
  /// After a hot-plug notification, how long the bus must stay quiet before listing: the kernel
  /// announces a USB device before its interfaces bind (the tty of cdc_acm comes later), and
  /// announces a removal while sysfs may still show the device.
  absl::Duration settle = absl::Milliseconds(300);
};

/// Thread-safe. Callbacks come from the monitor's thread, one at a time, in order.
class Monitor {
 public:
  explicit Monitor(MonitorOptions options = {});
  /// Stop().
  ~Monitor();
  Monitor(const Monitor &) = delete;
  Monitor &operator=(const Monitor &) = delete;

  /// Lists the probes once (the current ones are not reported as added), then calls `callback`
  /// for every probe that arrives or leaves until Stop.
  /// @retval FailedPrecondition already started.
  absl::Status Start(std::function<void(const ProbeEvent &)> callback);
  /// After it returns the callback is not running and is not called again. Idempotent.
  void Stop();

  /// The probes of the last listing.
  std::vector<Probe> Current() const;
  /// Whether libusb hot-plug callbacks drive the listing (else only the periodic listing).
  bool hotplug() const;
  /// Lists again now (for example after a caller learnt of a change some other way).
  void Poke();

 private:
  struct Libusb;
  void Run();
  void Rescan();

  const MonitorOptions options_;
  std::function<void(const ProbeEvent &)> callback_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool poked_ = false;
  std::vector<Probe> current_;
  std::unique_ptr<Libusb> libusb_;
  std::thread thread_;
  std::thread libusb_thread_;
};

}  // namespace gale::probes
