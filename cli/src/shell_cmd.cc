// gale shell: with -c, one command line through Shell.Exec (output to stdout; exit 1 when the
// shell reported an error); without, an interactive Shell.Session in raw terminal mode (the
// shell echoes and edits the line itself). Over the console UART, or RTT channel 0 with --rtt.
// One session owns a device's input; others (and --read-only) watch.
#include <thread>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "exit_codes.h"
#include "gale/v1/shell.grpc.pb.h"
#include "interrupt.h"
#include "terminal.h"

namespace gale::cli {
namespace {

using Stream = grpc::ClientReaderWriterInterface<gale::v1::ShellInput, gale::v1::ShellOutput>;

int RunSession(Context &ctx) {
  const ShellOptions &opts = ctx.inv.shell;
  std::string device = opts.device;
  if (device.empty()) {
    absl::StatusOr<std::string> only = DefaultDevice(ctx);
    if (!only.ok()) {
      return FailStatus(ctx, only.status());
    }
    device = *only;
  }
  auto stub = gale::v1::Shell::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  CancelOnInterrupt cancel(context.get());
  std::unique_ptr<Stream> stream = stub->Session(context.get());
  gale::v1::ShellInput open;
  open.mutable_open()->set_device_id(device);
  open.mutable_open()->set_backend(opts.rtt ? "rtt" : "uart");
  open.mutable_open()->set_read_only(opts.read_only);
  stream->Write(open);  // a failure shows in Finish()

  RawTerminal raw;
  Wakeup wakeup;
  OnInterrupt wake([&wakeup]() { wakeup.Wake(); });
  bool half_closed = false;
  std::thread pump;
  if (!opts.read_only && ForwardStdin()) {
    pump = std::thread(PumpStdin<Stream, gale::v1::ShellInput>, stream.get(), &wakeup,
                       &half_closed);
  }
  gale::v1::ShellOutput output;
  bool told_owner = false;
  while (stream->Read(&output)) {
    if (!told_owner) {
      told_owner = true;
      if (!output.input_owner() && !opts.read_only) {
        ctx.err << "gale: " << output.status() << "; watching only\n";
      }
    } else if (!output.status().empty()) {
      ctx.err << "gale: shell: " << output.status() << '\n';
    }
    if (!output.data().empty()) {
      ctx.out.write(output.data().data(), static_cast<std::streamsize>(output.data().size()));
      ctx.out.flush();
    }
  }
  wakeup.Wake();
  if (pump.joinable()) {
    pump.join();
  }
  const grpc::Status status = stream->Finish();
  if (InterruptSignal() != 0) {
    return kExitOk;  // Ctrl-C is how one leaves a shell
  }
  if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
    return FailCall(ctx, status);
  }
  return kExitOk;
}

}  // namespace

int RunShell(Context &ctx) {
  const ShellOptions &opts = ctx.inv.shell;
  if (opts.command.empty()) {
    return RunSession(ctx);
  }
  auto stub = gale::v1::Shell::NewStub(ctx.client.channel());
  gale::v1::ShellExecRequest request;
  request.set_device_id(opts.device);
  request.set_backend(opts.rtt ? "rtt" : "uart");
  request.set_command(opts.command);
  request.set_timeout_ms(static_cast<uint32_t>(opts.timeout_s) * 1000);
  gale::v1::ShellExecResponse reply;
  auto call = ctx.client.NewContext(std::chrono::seconds(opts.timeout_s + 10));
  grpc::Status status = stub->Exec(call.get(), request, &reply);
  if (!status.ok()) {
    return FailCall(ctx, status);
  }
  ctx.out << reply.output();
  if (!reply.output().empty() && reply.output().back() != '\n') {
    ctx.out << '\n';
  }
  ctx.out.flush();
  return reply.error() ? kExitFailure : kExitOk;
}

}  // namespace gale::cli
