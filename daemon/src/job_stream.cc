#include "job_stream.h"

#include <chrono>

#include "absl/time/clock.h"
#include "gale/daemon/status.h"

namespace gale::daemon {

v1::JobState ToProto(store::JobState state) {
  switch (state) {
    case store::JobState::kQueued:
      return v1::JOB_STATE_QUEUED;
    case store::JobState::kRunning:
      return v1::JOB_STATE_RUNNING;
    case store::JobState::kSucceeded:
      return v1::JOB_STATE_SUCCEEDED;
    case store::JobState::kFailed:
      return v1::JOB_STATE_FAILED;
    case store::JobState::kCancelled:
      return v1::JOB_STATE_CANCELLED;
    case store::JobState::kInterrupted:
      return v1::JOB_STATE_INTERRUPTED;
  }
  return v1::JOB_STATE_UNSPECIFIED;
}

std::string_view EventKind(const v1::JobEvent &event) {
  switch (event.event_case()) {
    case v1::JobEvent::kProgress:
      return "progress";
    case v1::JobEvent::kDiagnostic:
      return "diagnostic";
    case v1::JobEvent::kLog:
      return "log";
    case v1::JobEvent::kTestCase:
      return "test_case";
    case v1::JobEvent::kResult:
      return "result";
    case v1::JobEvent::EVENT_NOT_SET:
      break;
  }
  return "none";
}

v1::JobEvent DecodeEvent(const store::Event &stored) {
  v1::JobEvent event;
  if (!event.ParseFromString(stored.payload)) {
    event.mutable_log()->set_stream("daemon");
    event.mutable_log()->set_text("(an event of this job could not be decoded)");
  }
  event.set_job_id(stored.job_id);
  event.set_seq(stored.seq);
  event.set_time_us(stored.time_us);
  return event;
}

std::string Detail(const v1::JobResult &result) {
  return result.SerializeAsString();
}

std::string ResultEvent(const store::Job &job, const std::string &detail) {
  v1::JobEvent event;
  v1::JobResult *result = event.mutable_result();
  if (!detail.empty()) {
    result->ParseFromString(detail);
  }
  result->set_state(ToProto(job.state));
  result->set_error(job.error);
  result->set_exit_code(job.exit_code);
  return event.SerializeAsString();
}

void Events::Emit(const v1::JobEvent &event) {
  // An event that cannot be stored is lost to the log, not to the job: the job goes on.
  (void)ctx_.Emit(EventKind(event), event.SerializeAsString());
}

void Events::Progress(std::string_view phase, double percent, std::string_view message,
                      uint64_t done, uint64_t total) {
  v1::JobEvent event;
  v1::Progress *p = event.mutable_progress();
  p->set_phase(std::string(phase));
  p->set_percent(percent);
  p->set_message(std::string(message));
  p->set_bytes_done(done);
  p->set_bytes_total(total);
  Emit(event);
}

void Events::Log(std::string_view stream, std::string_view text, std::string_view device_id) {
  v1::JobEvent event;
  v1::LogLine *line = event.mutable_log();
  line->set_stream(std::string(stream));
  line->set_text(std::string(text));
  line->set_device_id(std::string(device_id));
  Emit(event);
}

void Events::Diagnostic(const v1::Diagnostic &diagnostic) {
  v1::JobEvent event;
  *event.mutable_diagnostic() = diagnostic;
  Emit(event);
}

grpc::Status RelayJob(Context &context, grpc::ServerContext *server_context,
                      grpc::ServerWriterInterface<v1::JobEvent> *writer, const std::string &job_id,
                      bool cancel_on_disconnect) {
  absl::StatusOr<std::unique_ptr<jobs::Subscription>> sub = context.jobs->Subscribe(job_id);
  if (!sub.ok()) {
    return ToGrpc(sub.status());
  }
  bool client_gone = false;
  for (;;) {
    store::Event stored;
    jobs::Subscription::Next next = (*sub)->Wait(&stored, std::chrono::milliseconds(200));
    switch (next) {
      case jobs::Subscription::Next::kEvent:
        if (!client_gone && !writer->Write(DecodeEvent(stored))) {
          client_gone = true;
        }
        break;
      case jobs::Subscription::Next::kTimeout:
        break;
      case jobs::Subscription::Next::kEnd:
        return grpc::Status::OK;
      case jobs::Subscription::Next::kClosed:
        return grpc::Status(grpc::StatusCode::CANCELLED, "the daemon is shutting down");
      case jobs::Subscription::Next::kError:
        return ToGrpc((*sub)->error());
    }
    if (!client_gone && server_context->IsCancelled()) {
      client_gone = true;
    }
    if (client_gone) {
      if (cancel_on_disconnect) {
        (void)context.jobs->Cancel(job_id, "the client went away");
      }
      return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
    }
  }
}

grpc::Status StreamJob(Context &context, grpc::ServerContext *server_context,
                       grpc::ServerWriterInterface<v1::JobEvent> *writer, jobs::JobSpec spec,
                       jobs::WorkFn work) {
  absl::StatusOr<std::string> job_id = context.jobs->Submit(std::move(spec), std::move(work));
  if (!job_id.ok()) {
    return ToGrpc(job_id.status());
  }
  // The job id goes first so a client can show it (and cancel or re-attach by it).
  v1::JobEvent hello;
  hello.set_job_id(*job_id);
  hello.set_time_us(absl::ToUnixMicros(absl::Now()));
  writer->Write(hello);
  return RelayJob(context, server_context, writer, *job_id, /*cancel_on_disconnect=*/true);
}

}  // namespace gale::daemon
