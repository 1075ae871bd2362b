// gale console: a device's UART. Output (retained, then live) goes to stdout as it comes;
// stdin is forwarded when it is a terminal (byte by byte, without local echo: the target
// echoes) or a pipe. Ends when the image exits, or on Ctrl-C / SIGINT / SIGTERM (exit 0).

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "exit_codes.h"
#include "gale/v1/console.grpc.pb.h"
#include "interrupt.h"
#include "terminal.h"

namespace gale::cli {
namespace {

using Stream = grpc::ClientReaderWriterInterface<gale::v1::ConsoleInput, gale::v1::ConsoleOutput>;

}  // namespace

int RunConsole(Context &ctx) {
  std::string device = ctx.inv.console.device;
  if (device.empty()) {
    absl::StatusOr<std::string> only = DefaultDevice(ctx);
    if (!only.ok()) {
      return FailStatus(ctx, only.status());
    }
    device = *only;
  }

  auto stub = gale::v1::Console::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  CancelOnInterrupt cancel(context.get());
  std::unique_ptr<Stream> stream = stub->Attach(context.get());
  gale::v1::ConsoleInput open;
  open.mutable_open()->set_device_id(device);
  open.mutable_open()->set_no_replay(ctx.inv.console.no_replay);
  open.mutable_open()->set_until_exit(!ctx.inv.console.follow);
  stream->Write(open);  // a failure shows in Finish()

  RawTerminal raw;

  // The daemon ends the stream after the image exits once the client has half-closed, so
  // gale half-closes as soon as it has nothing (more) to send.
  Wakeup wakeup;
  OnInterrupt wake([&wakeup]() { wakeup.Wake(); });
  bool half_closed = false;
  std::thread pump;
  if (ForwardStdin()) {
    pump = std::thread(PumpStdin<Stream, gale::v1::ConsoleInput>, stream.get(), &wakeup,
                       &half_closed);
  } else {
    stream->WritesDone();
    half_closed = true;
  }
  auto stop_input = [&]() {
    wakeup.Wake();
    if (pump.joinable()) {
      pump.join();  // out of poll() now; a Write() on an ended call returns false at once
    }
    if (!half_closed) {
      stream->WritesDone();
      half_closed = true;
    }
  };

  gale::v1::ConsoleOutput output;
  std::optional<int> exit_code;
  uint64_t dropped = 0;
  while (stream->Read(&output)) {
    if (output.dropped() > 0) {
      dropped += output.dropped();
    }
    if (!output.data().empty()) {
      ctx.out.write(output.data().data(), static_cast<std::streamsize>(output.data().size()));
      ctx.out.flush();
    }
    if (output.exited()) {
      exit_code = output.exit_code();
      if (!ctx.inv.console.follow) {
        stop_input();  // the last message: the daemon finishes the call when we half-close
      }
    }
  }
  stop_input();
  const grpc::Status status = stream->Finish();
  if (dropped > 0) {
    ctx.err << "gale: " << dropped << " bytes of console output were lost before reaching gale\n";
  }
  if (InterruptSignal() != 0) {
    return kExitOk;  // Ctrl-C is how one leaves a console
  }
  if (exit_code) {
    ctx.err << "gale: the image on " << device << " exited with code " << *exit_code << '\n';
    return *exit_code & 0xff;
  }
  if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
    return FailCall(ctx, status);
  }
  return kExitOk;
}

}  // namespace gale::cli
