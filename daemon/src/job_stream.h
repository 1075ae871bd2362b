// Jobs as gRPC streams: events are gale.v1.JobEvent bodies in the store's event log; a streaming
// call submits a job and relays its events until it ends, cancelling it when the client goes.
#pragma once

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/sync_stream.h>

#include <string>
#include <string_view>

#include "context.h"
#include "gale/jobs/job_manager.h"
#include "gale/v1/common.pb.h"

namespace gale::daemon {

v1::JobState ToProto(store::JobState state);
std::string_view EventKind(const v1::JobEvent &event);
/// The JobEvent a stored event holds, with job_id, seq and time_us from the record.
v1::JobEvent DecodeEvent(const store::Event &event);
/// The final "result" event of a job (JobManager::Options::result_event). `detail` is a
/// serialized JobResult carrying only its `detail` (a build, flash or test summary).
std::string ResultEvent(const store::Job &job, const std::string &detail);

/// Typed Emit helpers over a running job's context.
class Events {
 public:
  explicit Events(jobs::JobContext &ctx) : ctx_(ctx) {}
  void Emit(const v1::JobEvent &event);
  void Progress(std::string_view phase, double percent, std::string_view message, uint64_t done = 0,
                uint64_t total = 0);
  void Log(std::string_view stream, std::string_view text, std::string_view device_id = {});
  void Diagnostic(const v1::Diagnostic &diagnostic);
  jobs::JobContext &ctx() { return ctx_; }

 private:
  jobs::JobContext &ctx_;
};

/// A JobOutcome::detail holding `result`'s detail.
std::string Detail(const v1::JobResult &result);

/// Submits `work` as a job and writes its events to `writer` until it ends. The client going
/// away cancels the job. Returns OK once the result event was sent (a failed job is reported in
/// its result, not as a call error), or the submit error.
grpc::Status StreamJob(Context &context, grpc::ServerContext *server_context,
                       grpc::ServerWriterInterface<v1::JobEvent> *writer, jobs::JobSpec spec,
                       jobs::WorkFn work);
/// Writes a job's events from after `after_seq` until it ends or the client goes away.
grpc::Status RelayJob(Context &context, grpc::ServerContext *server_context,
                      grpc::ServerWriterInterface<v1::JobEvent> *writer, const std::string &job_id,
                      bool cancel_on_disconnect);

}  // namespace gale::daemon
