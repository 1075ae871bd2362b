#include "commands.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "exit_codes.h"
#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/sdk.grpc.pb.h"
#include "interrupt.h"
#include "json.h"

namespace gale::cli {

PrinterOptions Context::printer_options() const {
  PrinterOptions options;
  options.progress_bar = stderr_is_tty && !inv.global.json;
  options.width = terminal_width;
  options.verbose = inv.global.verbose > 0;
  options.json = inv.global.json;
  return options;
}

int Fail(Context &ctx, std::string_view message) {
  ctx.out.flush();
  ctx.err << "gale: error: " << message << '\n' << std::flush;
  return kExitFailure;
}

int FailCall(Context &ctx, const grpc::Status &status) {
  if (const int signo = InterruptSignal(); signo != 0) {
    ctx.err << "gale: interrupted\n" << std::flush;
    return kExitSignalBase + signo;
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    // UNAVAILABLE is both gRPC's "no daemon there" and the daemon's own "the emulator or the
    // probe is unavailable": ask the daemon whether it is up before blaming it.
    auto sdk = gale::v1::Sdk::NewStub(ctx.client.channel());
    grpc::ClientContext probe;
    probe.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    gale::v1::DaemonStatus up;
    if (!sdk->GetStatus(&probe, gale::v1::GetStatusRequest(), &up).ok()) {
      return Fail(ctx, ctx.client.UnavailableMessage());
    }
  }
  return Fail(ctx, StatusText(status));
}

int FailStatus(Context &ctx, const absl::Status &status) {
  return Fail(ctx, std::string(status.message()));
}

int ConcludeJob(Context &ctx, EventPrinter &printer, const StreamOutcome &outcome, bool owns_job) {
  if (const int signo = InterruptSignal(); signo != 0) {
    ctx.err << "gale: interrupted"
            << (printer.job_id().empty() || !owns_job
                    ? std::string()
                    : absl::StrCat("; job ", printer.job_id(), " cancelled"))
            << '\n'
            << std::flush;
    return kExitSignalBase + signo;
  }
  if (!outcome.status.ok()) {
    printer.PrintFailureTail();
    return FailCall(ctx, outcome.status);
  }
  if (!outcome.has_result) {
    return Fail(ctx, absl::StrCat("galed ended job ", printer.job_id(), " without a result"));
  }
  const gale::v1::JobResult &result = outcome.result;
  if (result.state() == gale::v1::JOB_STATE_SUCCEEDED) {
    return kExitOk;
  }
  printer.PrintFailureTail();
  if (!result.error().empty()) {
    return Fail(ctx, result.error());
  }
  return Fail(ctx, absl::StrCat("job ", printer.job_id(), " ", EnumValueNameOf(result.state())));
}

absl::StatusOr<std::string> DefaultDevice(Context &ctx) {
  auto stub = gale::v1::Devices::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::ListDevicesResponse response;
  const grpc::Status status =
      stub->ListDevices(context.get(), gale::v1::ListDevicesRequest(), &response);
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat("cannot list devices: ", StatusText(status)));
  }
  // Usable devices: emulated ones and attached physical ones bound to a board (an unbound probe
  // is not a board yet, an absent one cannot be reached).
  std::vector<std::string> ids;
  for (const auto &device : response.devices()) {
    if (device.kind() != gale::v1::DEVICE_KIND_PHYSICAL ||
        (device.bound() && device.state() == gale::v1::DEVICE_STATE_ATTACHED)) {
      ids.push_back(device.kind() == gale::v1::DEVICE_KIND_PHYSICAL && !device.name().empty()
                        ? device.name()
                        : device.id());
    }
  }
  if (ids.size() == 1) {
    return ids.front();
  }
  if (ids.empty()) {
    return absl::FailedPreconditionError(
        "there is no device; start an emulated one with `gale emu start -b BOARD`, or bind an "
        "attached probe with `gale devices assign`");
  }
  return absl::FailedPreconditionError(absl::StrCat("there are ", ids.size(), " devices (",
                                                    absl::StrJoin(ids, ", "),
                                                    "); pick one with --device ID"));
}

int Dispatch(Context &ctx) {
  switch (ctx.inv.command) {
    case Command::kBoards:
      return RunBoards(ctx);
    case Command::kBuild:
      return RunBuild(ctx);
    case Command::kRun:
      return RunRun(ctx);
    case Command::kEmuStart:
      return RunEmuStart(ctx);
    case Command::kEmuStop:
      return RunEmuStop(ctx);
    case Command::kDevices:
      return RunDevices(ctx);
    case Command::kDevicesAssign:
      return RunDevicesAssign(ctx);
    case Command::kDevicesUnassign:
      return RunDevicesUnassign(ctx);
    case Command::kDevicesTag:
      return RunDevicesTag(ctx);
    case Command::kFlash:
      return RunFlash(ctx);
    case Command::kLeaseAcquire:
      return RunLeaseAcquire(ctx);
    case Command::kLeaseRenew:
      return RunLeaseRenew(ctx);
    case Command::kLeaseRelease:
      return RunLeaseRelease(ctx);
    case Command::kLeaseList:
      return RunLeaseList(ctx);
    case Command::kConsole:
      return RunConsole(ctx);
    case Command::kShell:
      return RunShell(ctx);
    case Command::kRtt:
      return RunRtt(ctx);
    case Command::kDebug:
      return RunDebug(ctx);
    case Command::kIdeQtCreator:
      return RunIdeQtCreator(ctx);
    case Command::kLogs:
      return RunLogs(ctx);
    case Command::kTrace:
      return RunTrace(ctx);
    case Command::kTraceStats:
      return RunTraceStats(ctx);
    case Command::kTest:
      return RunTest(ctx);
    case Command::kConfig:
      return RunConfig(ctx);
    case Command::kJobs:
      return RunJobs(ctx);
    case Command::kJobsShow:
      return RunJobsShow(ctx);
    case Command::kJobsCancel:
      return RunJobsCancel(ctx);
    case Command::kJobsWatch:
      return RunJobsWatch(ctx);
    case Command::kAudit:
      return RunAudit(ctx);
    case Command::kDaemonStart:
      return RunDaemonStart(ctx);
    case Command::kDaemonStop:
      return RunDaemonStop(ctx);
    case Command::kDaemonStatus:
      return RunDaemonStatus(ctx);
  }
  return kExitUsage;
}

}  // namespace gale::cli
