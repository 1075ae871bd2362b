// gale rtt: one RTT up-channel of a device, streamed to stdout: retained output first, then live.
// Started before the image is flashed, it waits for the control block and streams from the
// first byte. Status changes and target-side drops go to stderr. Ends on Ctrl-C / SIGTERM.
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "exit_codes.h"
#include "gale/v1/rtt.grpc.pb.h"
#include "interrupt.h"

namespace gale::cli {

int RunRtt(Context &ctx) {
  const RttOptions &opts = ctx.inv.rtt;
  std::string device = opts.device;
  if (device.empty()) {
    absl::StatusOr<std::string> only = DefaultDevice(ctx);
    if (!only.ok()) {
      return FailStatus(ctx, only.status());
    }
    device = *only;
  }
  auto stub = gale::v1::Rtt::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  CancelOnInterrupt cancel(context.get());
  gale::v1::RttStreamRequest request;
  request.set_device_id(device);
  request.set_channel(static_cast<uint32_t>(opts.channel));
  request.set_no_replay(opts.no_replay);
  auto stream = stub->Stream(context.get(), request);
  gale::v1::RttOutput out;
  uint64_t target_dropped = 0;
  uint64_t host_dropped = 0;
  while (stream->Read(&out)) {
    if (!out.status().empty() && ctx.global().verbose > 0) {
      ctx.err << "gale: rtt: " << out.status() << '\n';
    }
    target_dropped += out.dropped_by_target();
    host_dropped += out.dropped_by_host();
    if (out.dropped_by_target() > 0) {
      ctx.err << "gale: rtt: the target dropped " << out.dropped_by_target()
              << " bytes (its buffer was full)\n";
    }
    if (!out.data().empty()) {
      // Straight to the descriptor: RTT carries bytes, not lines, and a pipe reader wants them
      // as they come.
      ctx.out.flush();
      (void)!write(STDOUT_FILENO, out.data().data(), out.data().size());
    }
  }
  const grpc::Status status = stream->Finish();
  if (host_dropped > 0) {
    ctx.err << "gale: " << host_dropped << " bytes of RTT output were lost before reaching gale\n";
  }
  if (InterruptSignal() != 0) {
    return kExitOk;  // Ctrl-C is how one leaves a stream
  }
  if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
    return FailCall(ctx, status);
  }
  return kExitOk;
}

}  // namespace gale::cli
