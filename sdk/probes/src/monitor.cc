#include "gale/probes/monitor.h"

#include <libusb.h>

#include <atomic>
#include <map>

namespace gale::probes {

struct Monitor::Libusb {
  libusb_context *ctx = nullptr;
  libusb_hotplug_callback_handle handle = 0;
  bool registered = false;
  std::atomic<bool> stop{false};
};

namespace {

// One probe stays the same probe while it keeps its USB path and address; a re-plug gets a new
// address, so it is reported as removed and added again.
std::string Identity(const Probe &probe) {
  return probe.usb_path + "#" + std::to_string(probe.address) + "#" + probe.serial;
}

int HotplugCallback(libusb_context *, libusb_device *, libusb_hotplug_event, void *user) {
  static_cast<Monitor *>(user)->Poke();
  return 0;  // stay registered
}

}  // namespace

Monitor::Monitor(MonitorOptions options) : options_(std::move(options)) {}

Monitor::~Monitor() {
  Stop();
}

absl::Status Monitor::Start(std::function<void(const ProbeEvent &)> callback) {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) {
    return absl::FailedPreconditionError("the probe monitor is already running");
  }
  callback_ = std::move(callback);
  if (absl::StatusOr<std::vector<Probe>> probes = ListProbes(options_.scan); probes.ok()) {
    current_ = std::move(*probes);
  }
  if (options_.use_libusb_hotplug) {
    auto usb = std::make_unique<Libusb>();
    if (libusb_init(&usb->ctx) == 0) {
      if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) &&
          libusb_hotplug_register_callback(
              usb->ctx,
              static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                                LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
              LIBUSB_HOTPLUG_NO_FLAGS, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
              LIBUSB_HOTPLUG_MATCH_ANY, HotplugCallback, this, &usb->handle) == LIBUSB_SUCCESS) {
        usb->registered = true;
        libusb_ = std::move(usb);
        Libusb *raw = libusb_.get();
        libusb_thread_ = std::thread([raw] {
          while (!raw->stop) {
            timeval tv{0, 200 * 1000};
            libusb_handle_events_timeout_completed(raw->ctx, &tv, nullptr);
          }
        });
      } else {
        libusb_exit(usb->ctx);
      }
    }
  }
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void Monitor::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  if (libusb_ != nullptr) {
    libusb_->stop = true;
    // Deregistering wakes libusb_handle_events.
    libusb_hotplug_deregister_callback(libusb_->ctx, libusb_->handle);
    if (libusb_thread_.joinable()) {
      libusb_thread_.join();
    }
    libusb_exit(libusb_->ctx);
    libusb_.reset();
  }
}

std::vector<Probe> Monitor::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

bool Monitor::hotplug() const {
  std::lock_guard<std::mutex> lock(mu_);
  return libusb_ != nullptr;
}

void Monitor::Poke() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    poked_ = true;
  }
  wake_.notify_all();
}

void Monitor::Run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, absl::ToChronoMilliseconds(options_.poll_interval),
                     [this] { return stop_ || poked_; });
      if (stop_) {
        return;
      }
      // Wait for the bus to settle: every further notification restarts the wait.
      while (poked_) {
        poked_ = false;
        wake_.wait_for(lock, absl::ToChronoMilliseconds(options_.settle),
                       [this] { return stop_ || poked_; });
        if (stop_) {
          return;
        }
      }
    }
    Rescan();
  }
}

void Monitor::Rescan() {
  absl::StatusOr<std::vector<Probe>> probes = ListProbes(options_.scan);
  if (!probes.ok()) {
    return;
  }
  std::vector<ProbeEvent> events;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::map<std::string, const Probe *> before;
    std::map<std::string, const Probe *> after;
    for (const Probe &p : current_) {
      before[Identity(p)] = &p;
    }
    for (const Probe &p : *probes) {
      after[Identity(p)] = &p;
    }
    for (const auto &[key, probe] : before) {
      if (after.count(key) == 0) {
        events.push_back({ProbeEvent::Kind::kRemoved, *probe});
      }
    }
    for (const auto &[key, probe] : after) {
      if (before.count(key) == 0) {
        events.push_back({ProbeEvent::Kind::kAdded, *probe});
      }
    }
    current_ = std::move(*probes);
  }
  // Only this thread calls the callback, so events stay in order.
  for (const ProbeEvent &event : events) {
    callback_(event);
  }
}

}  // namespace gale::probes
