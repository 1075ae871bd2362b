// Rtt: a device's RTT up-channels streamed to any number of clients, down-channels written.
#include "absl/strings/str_cat.h"
#include "device_util.h"
#include "gale/daemon/status.h"
#include "gale/v1/rtt.grpc.pb.h"
#include "lease_guard.h"
#include "rtt_monitor.h"
#include "services.h"

namespace gale::daemon {
namespace {

class RttService final : public v1::Rtt::Service {
 public:
  explicit RttService(Context &context) : context_(context) {}

  grpc::Status Stream(grpc::ServerContext *server_context, const v1::RttStreamRequest *request,
                      grpc::ServerWriter<v1::RttOutput> *writer) override {
    if (request->channel() >= RttMonitor::kMaxChannels) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          absl::StrCat("RTT channel ", request->channel(), " is out of range (0..",
                                       RttMonitor::kMaxChannels - 1, ")"));
    }
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDevice(context_, request->device_id());
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    std::shared_ptr<RttMonitor> monitor = context_.rtt->Get(*device);
    devices::ConsoleHub &hub = monitor->Channel(request->channel());
    std::unique_ptr<devices::ConsoleReader> reader = hub.Attach(!request->no_replay());
    std::string status;
    uint64_t dropped = monitor->dropped(request->channel());
    while (!server_context->IsCancelled() && !context_.shutting_down) {
      v1::RttOutput out;
      if (std::string now = monitor->status(); now != status) {
        status = now;
        out.set_status(status);
      }
      absl::StatusOr<devices::ConsoleChunk> chunk = reader->Read(absl::Milliseconds(100));
      // After the read: the monitor counts a poll's drops before it publishes the poll's data.
      if (uint64_t d = monitor->dropped(request->channel()); d != dropped) {
        out.set_dropped_by_target(d - dropped);
        dropped = d;
      }
      if (chunk.ok()) {
        out.set_data(chunk->data);
        out.set_replayed(chunk->replayed);
        out.set_dropped_by_host(chunk->dropped);
        if (chunk->closed) {
          break;
        }
      } else if (!absl::IsDeadlineExceeded(chunk.status())) {
        break;
      }
      if (out.data().empty() && out.status().empty() && out.dropped_by_target() == 0 &&
          out.dropped_by_host() == 0) {
        continue;
      }
      if (!writer->Write(out)) {
        break;
      }
    }
    reader->Cancel();
    return grpc::Status::OK;
  }

  grpc::Status Write(grpc::ServerContext *server_context, const v1::RttWriteRequest *request,
                     v1::RttWriteResponse *reply) override {
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDeviceToChange(context_, *server_context, request->device_id());
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    absl::StatusOr<size_t> written =
        context_.rtt->Get(*device)->Write(request->channel(), request->data());
    if (!written.ok()) {
      return ToGrpc(written.status());
    }
    reply->set_written(static_cast<uint32_t>(*written));
    return grpc::Status::OK;
  }

 private:
  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeRttService(Context &context) {
  return std::make_unique<RttService>(context);
}

}  // namespace gale::daemon
