// Wiring of galed's sdk objects and services.
#include "context.h"

#include <iostream>
#include <thread>

#include "gale/v1/sdk.pb.h"
#include "job_stream.h"
#include "services.h"

namespace gale::daemon {

absl::Status InitContext(Context& context) {
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
  jobs::JobManager::Options job_options;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  job_options.limits.slots["build"] =
      context.options.max_builds != 0 ? context.options.max_builds : cores;
  job_options.limits.slots["device"] = 1;
  job_options.result_event = ResultEvent;
  context.jobs = std::make_unique<jobs::JobManager>(*context.store, job_options);
  return absl::OkStatus();
}

void StopContext(Context& context) {
  if (context.jobs != nullptr) {
    context.jobs->Shutdown();
  }
}

std::vector<std::unique_ptr<grpc::Service>> MakeServices(Context& context) {
  std::vector<std::unique_ptr<grpc::Service>> services;
  services.push_back(MakeSdkService(context));
  services.push_back(MakeBoardsService(context));
  services.push_back(MakeJobsService(context));
  return services;
}

void FillStatusCounters(Context& context, v1::DaemonStatus* status) {
  store::JobFilter filter;
  filter.state = store::JobState::kRunning;
  if (auto running = context.store->ListJobs(filter); running.ok()) {
    status->set_running_jobs(static_cast<uint32_t>(running->size()));
  }
}

}  // namespace gale::daemon
