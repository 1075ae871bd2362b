// What galed's services share. Services are thin adapters: they check and translate a request,
// call into these sdk objects, and translate the answer.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "gale/boards/catalog.h"
#include "gale/build/driver.h"
#include "gale/daemon/daemon.h"
#include "gale/daemon/paths.h"
#include "gale/devices/device_manager.h"
#include "gale/farm/lease_manager.h"
#include "gale/jobs/job_manager.h"
#include "gale/probes/monitor.h"
#include "gale/store/store.h"
#include "gdb_proxy.h"
#include "log_sink.h"
#include "physical.h"
#include "rtt_monitor.h"

namespace gale::daemon {

struct Context {
  Options options;
  std::string version;
  pid_t pid = 0;
  absl::Time started;
  boards::Catalog catalog;
  PathPolicy paths{{}};
  std::function<void()> request_shutdown;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<jobs::JobManager> jobs;
  std::unique_ptr<build::BuildDriver> builder;
  std::unique_ptr<devices::DeviceManager> devices;
  std::unique_ptr<farm::LeaseManager> leases;  ///< Farm service; kept in the store
  probes::ScanOptions probe_scan;  ///< how probes are listed (tests may replace can_open)
  std::unique_ptr<ProbeEvents> probe_events;
  std::unique_ptr<probes::Monitor> probe_monitor;  ///< hot-plug for Devices.Watch
  std::unique_ptr<RttMonitors> rtt;
  std::unique_ptr<GdbProxies> gdb_proxies;
  std::unique_ptr<LogSink> logs;
  std::atomic<bool> shutting_down{false};
};

}  // namespace gale::daemon
