// Jobs: list, inspect, watch and cancel long operations.
#include "gale/daemon/status.h"
#include "gale/v1/jobs.grpc.pb.h"
#include "job_stream.h"
#include "services.h"

namespace gale::daemon {
namespace {

void JobToProto(const store::Job &job, v1::Job *out) {
  out->set_id(job.id);
  out->set_kind(job.kind);
  out->set_state(ToProto(job.state));
  out->set_summary(job.summary);
  out->set_device_id(job.device_id);
  out->set_board(job.board);
  out->set_created_us(job.created_us);
  out->set_started_us(job.started_us);
  out->set_finished_us(job.finished_us);
  out->set_error(job.error);
  out->set_exit_code(job.exit_code);
}

std::optional<store::JobState> FromProto(v1::JobState state) {
  switch (state) {
    case v1::JOB_STATE_QUEUED:
      return store::JobState::kQueued;
    case v1::JOB_STATE_RUNNING:
      return store::JobState::kRunning;
    case v1::JOB_STATE_SUCCEEDED:
      return store::JobState::kSucceeded;
    case v1::JOB_STATE_FAILED:
      return store::JobState::kFailed;
    case v1::JOB_STATE_CANCELLED:
      return store::JobState::kCancelled;
    case v1::JOB_STATE_INTERRUPTED:
      return store::JobState::kInterrupted;
    default:
      return std::nullopt;
  }
}

class JobsService final : public v1::Jobs::Service {
 public:
  explicit JobsService(Context &context) : context_(context) {}

  grpc::Status ListJobs(grpc::ServerContext *, const v1::ListJobsRequest *request,
                        v1::ListJobsResponse *reply) override {
    store::JobFilter filter;
    filter.kind = request->kind();
    filter.state = FromProto(request->state());
    filter.limit = request->limit();
    absl::StatusOr<std::vector<store::Job>> jobs = context_.store->ListJobs(filter);
    if (!jobs.ok()) {
      return ToGrpc(jobs.status());
    }
    for (const store::Job &job : *jobs) {
      JobToProto(job, reply->add_jobs());
    }
    return grpc::Status::OK;
  }

  grpc::Status GetJob(grpc::ServerContext *, const v1::GetJobRequest *request,
                      v1::Job *reply) override {
    return GetJobById(request->id(), reply);
  }

  grpc::Status Watch(grpc::ServerContext *server_context, const v1::WatchJobRequest *request,
                     grpc::ServerWriter<v1::JobEvent> *writer) override {
    return RelayJob(context_, server_context, writer, request->id(),
                    /*cancel_on_disconnect=*/false);
  }

  grpc::Status Cancel(grpc::ServerContext *, const v1::CancelJobRequest *request,
                      v1::Job *reply) override {
    if (absl::Status s = context_.jobs->Cancel(request->id()); !s.ok()) {
      return ToGrpc(s);
    }
    return GetJobById(request->id(), reply);
  }

 private:
  grpc::Status GetJobById(const std::string &id, v1::Job *reply) {
    absl::StatusOr<store::Job> job = context_.store->GetJob(id);
    if (!job.ok()) {
      return ToGrpc(job.status());
    }
    JobToProto(*job, reply);
    return grpc::Status::OK;
  }

  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeJobsService(Context &context) {
  return std::make_unique<JobsService>(context);
}

}  // namespace gale::daemon
