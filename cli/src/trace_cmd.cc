// gale trace: a kernel trace capture through the daemon, written to a file; gale trace stats:
// the daemon's statistics of a saved trace. The daemon decodes and exports; gale only moves the
// bytes between the file and the call.
#include <fstream>
#include <iterator>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "commands.h"
#include "exit_codes.h"
#include "gale/host/paths.h"
#include "gale/v1/trace.grpc.pb.h"
#include "interrupt.h"
#include "requests.h"

namespace gale::cli {

using gale::host::UnixSocketPath;

int RunTrace(Context &ctx) {
  const TraceOptions &opts = ctx.inv.trace;
  if (opts.output.empty()) {
    return FailStatus(ctx, absl::InvalidArgumentError(
                               "gale trace needs -o FILE: the file the trace is written to"));
  }
  std::string device = opts.device;
  if (device.empty()) {
    absl::StatusOr<std::string> only = DefaultDevice(ctx);
    if (!only.ok()) {
      return FailStatus(ctx, only.status());
    }
    device = *only;
  }
  std::string output = AbsolutePath(opts.output, ctx.cwd);
  auto stub = gale::v1::Trace::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::TraceCaptureRequest request;
  request.set_device_id(device);
  request.set_duration_s(opts.duration);
  request.set_format(opts.format);
  std::string job_id;
  gale::v1::TraceCaptureEvent event;
  gale::v1::TraceResult result;
  bool have_result = false;
  std::string exported;
  std::string status;
  {
    // Ctrl-C ends the capture (the daemon stops and decodes), not the call: the interrupt
    // cancels a context of no call, and the loop below asks the daemon to stop. A second
    // Ctrl-C leaves at once.
    auto interrupt_context = ctx.client.NewContext();
    CancelOnInterrupt interrupt(interrupt_context.get());
    auto stream = stub->Capture(context.get(), request);
    std::unique_ptr<grpc::ClientContext> stop_context;
    bool stop_sent = false;
    while (stream->Read(&event)) {
      if (!event.job_id().empty()) {
        job_id = event.job_id();
      }
      if (InterruptSignal() != 0 && !stop_sent && !job_id.empty()) {
        stop_context = ctx.client.NewContext();
        gale::v1::TraceStopRequest stop;
        stop.set_job_id(job_id);
        gale::v1::TraceStopResponse ignored;
        (void)stub->Stop(stop_context.get(), stop, &ignored);
        stop_sent = true;
      }
      if (!event.status().empty() && event.status() != status) {
        status = event.status();
        if (ctx.global().verbose > 0) {
          ctx.err << "gale: trace: " << status << '\n';
        }
      }
      exported += event.export_chunk();
      if (event.has_result()) {
        result = event.result();
        have_result = true;
      }
    }
    const grpc::Status done = stream->Finish();
    if (!done.ok()) {
      return FailCall(ctx, done);
    }
  }
  if (!have_result) {
    return FailStatus(ctx, absl::UnavailableError("the daemon ended the capture without a result"));
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out.write(exported.data(), static_cast<std::streamsize>(exported.size()));
  out.close();
  if (!out) {
    return FailStatus(
        ctx, absl::PermissionDeniedError(absl::StrCat("cannot write the trace to ", output)));
  }
  if (!result.warning().empty()) {
    ctx.err << "gale: trace: warning: " << result.warning() << '\n';
  }
  const gale::v1::TraceStats &stats = result.stats();
  ctx.out << absl::StrFormat(
      "wrote %s (%.3f s, %d threads, %d context switches, %d records dropped; job %s)\n", output,
      stats.duration_s(), stats.threads_size(), stats.context_switches(), stats.dropped(),
      result.job_id());
  return kExitOk;
}

int RunTraceStats(Context &ctx) {
  const TraceOptions &opts = ctx.inv.trace;
  std::string path = AbsolutePath(opts.file, ctx.cwd);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return FailStatus(ctx, absl::NotFoundError(absl::StrCat(
                               "cannot read ", path, ": give a file written by gale trace -o")));
  }
  gale::v1::TraceStatsRequest request;
  request.set_name(path);
  // A daemon on this host reads the file itself (a long capture is larger than a request may
  // carry); a remote one gets its bytes.
  const bool local = UnixSocketPath(ctx.client.address()).has_value();
  if (local) {
    request.set_path(path);
  } else {
    std::ostringstream data;
    data << in.rdbuf();
    request.set_data(data.str());
  }
  auto stub = gale::v1::Trace::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  if (!opts.elf.empty()) {
    request.set_image_path(AbsolutePath(opts.elf, ctx.cwd));
  }
  gale::v1::TraceStatsResponse reply;
  const grpc::Status status = stub->Stats(context.get(), request, &reply);
  if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED && !local) {
    return Fail(ctx, absl::StrCat(path, " (", request.data().size(),
                                  " bytes) is larger than galed at ", ctx.client.address(),
                                  " takes in one request: run gale trace stats on that host"));
  }
  if (!status.ok()) {
    return FailCall(ctx, status);
  }
  ctx.out << reply.stats().text();
  return kExitOk;
}

}  // namespace gale::cli
