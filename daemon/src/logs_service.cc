// Logs: decoded target log records, queried and followed.
#include <thread>

#include "absl/strings/str_cat.h"
#include "gale/daemon/status.h"
#include "gale/v1/logs.grpc.pb.h"
#include "services.h"

namespace gale::daemon {
namespace {

store::LogFilter FilterOf(const v1::QueryLogsRequest &request) {
  store::LogFilter filter;
  filter.device_id = request.device_id();
  filter.max_level = static_cast<store::LogLevel>(static_cast<int>(request.level()));
  filter.module = request.module();
  filter.job_id = request.job_id();
  filter.since_us = request.since_us();
  filter.until_us = request.until_us();
  filter.after_id = request.after_id();
  filter.limit = request.limit();
  filter.newest = request.newest();
  return filter;
}

void RecordToProto(const store::LogRecord &r, v1::LogRecord *out) {
  out->set_id(r.id);
  out->set_time_us(r.time_us);
  out->set_target_time(r.target_time);
  out->set_level(static_cast<v1::LogLevel>(static_cast<int>(r.level)));
  out->set_module(r.module);
  out->set_message(r.message);
  out->set_device_id(r.device_id);
  out->set_source(r.source);
  out->set_build(r.build);
  out->set_job_id(r.job_id);
}

class LogsService final : public v1::Logs::Service {
 public:
  explicit LogsService(Context &context) : context_(context) {}

  grpc::Status Query(grpc::ServerContext *, const v1::QueryLogsRequest *request,
                     v1::QueryLogsResponse *reply) override {
    if (!v1::LogLevel_IsValid(request->level())) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unknown log level");
    }
    absl::StatusOr<std::vector<store::LogRecord>> records =
        context_.store->QueryLogs(FilterOf(*request));
    if (!records.ok()) {
      return ToGrpc(records.status());
    }
    for (const store::LogRecord &r : *records) {
      RecordToProto(r, reply->add_records());
    }
    return grpc::Status::OK;
  }

  grpc::Status Follow(grpc::ServerContext *server_context, const v1::QueryLogsRequest *request,
                      grpc::ServerWriter<v1::LogRecord> *writer) override {
    store::LogFilter filter = FilterOf(*request);
    // New records are few per second; the store is the one place they are, so following it
    // by id is simple and loses nothing.
    while (!server_context->IsCancelled() && !context_.shutting_down) {
      absl::StatusOr<std::vector<store::LogRecord>> records = context_.store->QueryLogs(filter);
      if (!records.ok()) {
        return ToGrpc(records.status());
      }
      for (const store::LogRecord &r : *records) {
        v1::LogRecord out;
        RecordToProto(r, &out);
        if (!writer->Write(out)) {
          return grpc::Status::OK;
        }
        filter.after_id = r.id;
      }
      filter.newest = false;
      filter.limit = 0;
      if (records->empty()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    }
    return grpc::Status::OK;
  }

 private:
  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeLogsService(Context &context) {
  return std::make_unique<LogsService>(context);
}

}  // namespace gale::daemon
