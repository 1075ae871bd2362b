// Console: any number of clients watch a device's UART; each first receives the retained recent
// output, then live output; what a client sends goes to the device's input.
#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "device_util.h"
#include "gale/daemon/status.h"
#include "gale/v1/console.grpc.pb.h"
#include "lease_guard.h"
#include "services.h"

namespace gale::daemon {
namespace {

class ConsoleService final : public v1::Console::Service {
 public:
  explicit ConsoleService(Context &context) : context_(context) {}

  grpc::Status Attach(
      grpc::ServerContext *server_context,
      grpc::ServerReaderWriter<v1::ConsoleOutput, v1::ConsoleInput> *stream) override {
    v1::ConsoleInput first;
    if (!stream->Read(&first)) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away before opening");
    }
    if (first.input_case() != v1::ConsoleInput::kOpen) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "the first Console.Attach message must be `open` naming a device");
    }
    const v1::ConsoleOpen &open = first.open();
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDevice(context_, open.device_id());
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    devices::ConsoleHub &hub = (*device)->console();
    // Anyone may watch a leased device; only its lease's holder may type into it.
    const absl::Status may_type = CheckDeviceLease(context_, *server_context, (*device)->id());
    std::atomic<bool> input_refused{false};
    std::unique_ptr<devices::ConsoleReader> reader = hub.Attach(!open.no_replay());

    // Input runs on its own thread: a client may type while output streams.
    std::atomic<bool> input_done{false};
    std::thread input([&] {
      v1::ConsoleInput in;
      while (stream->Read(&in)) {
        if (in.input_case() == v1::ConsoleInput::kData) {
          if (!may_type.ok()) {
            input_refused = true;
            continue;
          }
          (void)hub.SendInput(in.data());  // no sink (nothing running): the bytes are dropped
        }
      }
      input_done = true;
    });

    grpc::Status result = grpc::Status::OK;
    for (;;) {
      if (server_context->IsCancelled()) {
        result = grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
        break;
      }
      if (input_refused) {
        result = ToGrpc(absl::FailedPreconditionError(
            absl::StrCat("console input refused: ", may_type.message())));
        break;
      }
      absl::StatusOr<devices::ConsoleChunk> chunk = reader->Read(absl::Milliseconds(200));
      if (absl::IsDeadlineExceeded(chunk.status())) {
        continue;
      }
      if (!chunk.ok()) {
        break;  // closed or cancelled
      }
      v1::ConsoleOutput out;
      out.set_data(chunk->data);
      out.set_replayed(chunk->replayed);
      out.set_dropped(chunk->dropped);
      if (chunk->exited) {
        out.set_exited(true);
        out.set_exit_code(chunk->exit_code);
      }
      if (!chunk->stopped.empty() && chunk->data.empty()) {
        out.set_data("\n[gale: " + chunk->stopped + "]\n");
      }
      if (!stream->Write(out)) {
        result = grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
        break;
      }
      // A replayed exit ends the stream only if no later run has started since.
      bool ended = chunk->exited && open.until_exit() &&
                   (!chunk->replayed || (*device)->Info().state == devices::DeviceState::kExited);
      if (ended || chunk->closed) {
        break;
      }
    }
    reader->Cancel();
    // A well-behaved client half-closes once it has the end; give it a moment, then cut.
    for (int i = 0; i < 40 && !input_done; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!input_done) {
      server_context->TryCancel();
    }
    input.join();
    return result;
  }

 private:
  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeConsoleService(Context &context) {
  return std::make_unique<ConsoleService>(context);
}

}  // namespace gale::daemon
