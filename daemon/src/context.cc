// Wiring of galed's sdk objects and services.
#include "context.h"

#include <iostream>
#include <thread>

#include "gale/devices/openocd_device.h"
#include "gale/v1/sdk.pb.h"
#include "job_stream.h"
#include "lease_guard.h"
#include "services.h"

namespace gale::daemon {

absl::Status InitContext(Context &context) {
  std::string db = context.options.state_dir + "/galed.db";
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::Store::Open(db);
  if (!store.ok()) {
    return store.status();
  }
  context.store = std::move(*store);
  absl::StatusOr<int> interrupted = context.store->MarkInterrupted();
  if (!interrupted.ok()) {
    return interrupted.status();
  }
  if (*interrupted > 0) {
    std::cerr << "galed: " << *interrupted
              << " job(s) left running by a previous daemon marked interrupted\n";
  }
  // Leases outlive the daemon, its emulators do not: a new emulator may get the id of one that
  // died with the previous daemon, and must not start out leased. Leases keep their physical
  // devices.
  if (absl::StatusOr<std::vector<store::LeaseRecord>> kept = context.store->ListLeases();
      kept.ok()) {
    for (store::LeaseRecord &lease : *kept) {
      const size_t before = lease.devices.size();
      std::erase_if(lease.devices, [&context](const std::string &id) {
        absl::StatusOr<store::Device> device = context.store->GetDevice(id);
        return device.ok() ? device->kind == store::DeviceKind::kEmulated
                           : id.rfind("emu-", 0) == 0;
      });
      if (lease.devices.size() != before) {
        (void)context.store->PutLease(lease);
      }
    }
  }
  absl::StatusOr<std::unique_ptr<farm::LeaseManager>> leases =
      farm::LeaseManager::Create(context.store.get());
  if (!leases.ok()) {
    return leases.status();
  }
  context.leases = std::move(*leases);
  context.leases->StartSweeper(absl::Seconds(1));
  jobs::JobManager::Options job_options;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  job_options.limits.slots["build"] =
      context.options.max_builds != 0 ? context.options.max_builds : cores;
  job_options.limits.slots["device"] = 1;
  job_options.result_event = ResultEvent;
  context.jobs = std::make_unique<jobs::JobManager>(*context.store, job_options);

  build::DriverConfig driver;
  driver.gale_base = context.options.gale_base;
  context.builder = std::make_unique<build::BuildDriver>(driver);

  devices::DeviceManagerOptions device_options;
  device_options.runtime_dir = context.options.runtime_dir + "/devices";
  context.devices = std::make_unique<devices::DeviceManager>(device_options);
  // Physical devices: a persistent OpenOCD per device, started on first use.
  context.devices->SetPhysicalFactory(devices::MakeOpenOcdDeviceFactory());
  context.probe_events = std::make_unique<ProbeEvents>();
  context.leases->OnDevicesChanged([ctx = &context](const std::vector<std::string> &device_ids) {
    PublishFarmChange(*ctx, device_ids);
  });
  probes::MonitorOptions monitor_options;
  monitor_options.scan = context.probe_scan;
  context.probe_monitor = std::make_unique<probes::Monitor>(monitor_options);
  Context *ctx = &context;
  (void)context.probe_monitor->Start([ctx](const probes::ProbeEvent &event) {
    v1::DeviceEvent out;
    out.set_kind(event.kind == probes::ProbeEvent::Kind::kAdded ? v1::DeviceEvent::KIND_ADDED
                                                                : v1::DeviceEvent::KIND_REMOVED);
    absl::StatusOr<store::Device> binding = ctx->store->GetDevice(event.probe.Key());
    bool bound = binding.ok() && binding->kind == store::DeviceKind::kPhysical;
    if (bound && event.kind == probes::ProbeEvent::Kind::kAdded) {
      (void)ctx->store->TouchDevice(binding->id);
    }
    ProbeToProto(event.probe, bound ? &*binding : nullptr, out.mutable_device());
    if (event.kind == probes::ProbeEvent::Kind::kRemoved) {
      out.mutable_device()->set_state(bound ? v1::DEVICE_STATE_ABSENT
                                            : v1::DEVICE_STATE_UNSPECIFIED);
    }
    ctx->probe_events->Send(out);
  });
  context.logs = std::make_unique<LogSink>(context);
  context.gdb_proxies = std::make_unique<GdbProxies>();
  LogSink *logs = context.logs.get();
  context.rtt =
      std::make_unique<RttMonitors>([logs](const std::string &device_id, std::string_view bytes) {
        logs->Output(device_id, "rtt:0", bytes);
      });
  return absl::OkStatus();
}

void StopContext(Context &context) {
  context.shutting_down = true;
  if (context.leases != nullptr) {
    context.leases->Shutdown();  // waiting Acquire calls end
  }
  if (context.probe_monitor != nullptr) {
    context.probe_monitor->Stop();
  }
  // Jobs first: their emulators belong to the device manager.
  if (context.jobs != nullptr) {
    context.jobs->Shutdown();
  }
  if (context.rtt != nullptr) {
    context.rtt->Shutdown();
  }
  if (context.gdb_proxies != nullptr) {
    context.gdb_proxies->Shutdown();
  }
  if (context.logs != nullptr) {
    context.logs->Shutdown();
  }
  if (context.devices != nullptr) {
    context.devices->Shutdown();
  }
}

std::vector<std::unique_ptr<grpc::Service>> MakeServices(Context &context) {
  std::vector<std::unique_ptr<grpc::Service>> services;
  services.push_back(MakeSdkService(context));
  services.push_back(MakeBoardsService(context));
  services.push_back(MakeJobsService(context));
  services.push_back(MakeBuildsService(context));
  services.push_back(MakeDevicesService(context));
  services.push_back(MakeFlashService(context));
  services.push_back(MakeConsoleService(context));
  services.push_back(MakeTestsService(context));
  services.push_back(MakeConfigService(context));
  services.push_back(MakeShellService(context));
  services.push_back(MakeRttService(context));
  services.push_back(MakeLogsService(context));
  services.push_back(MakeFarmService(context));
  services.push_back(MakeAuditService(context));
  services.push_back(MakeTraceService(context));
  return services;
}

void FillStatusCounters(Context &context, v1::DaemonStatus *status) {
  store::JobFilter filter;
  filter.state = store::JobState::kRunning;
  if (auto running = context.store->ListJobs(filter); running.ok()) {
    status->set_running_jobs(static_cast<uint32_t>(running->size()));
  }
  status->set_devices(static_cast<uint32_t>(context.devices->List().size()));
}

}  // namespace gale::daemon
