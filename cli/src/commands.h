// The commands of `gale`, one function each, grouped in files by topic. Each returns the
// process's exit code (exit_codes.h) and prints its own errors as one `gale: error: ...` line.
#pragma once

#include <filesystem>
#include <ostream>
#include <string_view>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cli.h"
#include "client.h"
#include "event_printer.h"
#include "exit_codes.h"
#include "json.h"

namespace gale::cli {

struct Context {
  const Invocation &inv;
  Client &client;
  std::ostream &out;
  std::ostream &err;
  std::filesystem::path cwd;
  bool stderr_is_tty = false;
  int terminal_width = 80;

  const GlobalOptions &global() const { return inv.global; }
  PrinterOptions printer_options() const;
};

/// Prints "gale: error: MESSAGE" and returns kExitFailure.
int Fail(Context &ctx, std::string_view message);
/// For a failed call: the daemon's message (or what UNAVAILABLE means); kExitFailure, or
/// 128 + signal when the call was cancelled by an interrupt.
int FailCall(Context &ctx, const grpc::Status &status);
int FailStatus(Context &ctx, const absl::Status &status);

/// The end of a unary call: its failure reported (FailCall); else its reply printed as one JSON
/// line with --json, or by `print_text()` otherwise. Returns the exit code.
template <typename Reply, typename PrintText>
int ConcludeCall(Context &ctx, const grpc::Status &status, const Reply &reply,
                 PrintText print_text) {
  if (!status.ok()) {
    return FailCall(ctx, status);
  }
  if (ctx.global().json) {
    ctx.out << ToJsonString(reply) << '\n';
  } else {
    print_text();
  }
  return kExitOk;
}

/// The exit code of a job stream that ended: 0 when the job succeeded; else its error after
/// the tail of tool output, and kExitFailure (or 128 + signal after an interrupt). `owns_job`:
/// this call started the job, so an interrupt cancelled it.
int ConcludeJob(Context &ctx, EventPrinter &printer, const StreamOutcome &outcome,
                bool owns_job = true);

/// The device to use when none is given: the only one there is; an error naming them
/// otherwise.
absl::StatusOr<std::string> DefaultDevice(Context &ctx);

int Dispatch(Context &ctx);

// board_cmds.cc
int RunBoards(Context &ctx);
// build_cmds.cc
int RunBuild(Context &ctx);
int RunRun(Context &ctx);
// device_cmds.cc
int RunEmuStart(Context &ctx);
int RunEmuStop(Context &ctx);
int RunDevices(Context &ctx);
int RunDevicesAssign(Context &ctx);
int RunDevicesUnassign(Context &ctx);
int RunDevicesTag(Context &ctx);
int RunFlash(Context &ctx);
// lease_cmds.cc
int RunLeaseAcquire(Context &ctx);
int RunLeaseRenew(Context &ctx);
int RunLeaseRelease(Context &ctx);
int RunLeaseList(Context &ctx);
// console_cmd.cc
int RunConsole(Context &ctx);
// shell_cmd.cc
int RunShell(Context &ctx);
// rtt_cmd.cc
int RunRtt(Context &ctx);
// trace_cmd.cc
int RunTrace(Context &ctx);
int RunTraceStats(Context &ctx);
int RunDebug(Context &ctx);
int RunIdeQtCreator(Context &ctx);
// logs_cmd.cc
int RunLogs(Context &ctx);
// test_cmd.cc
int RunTest(Context &ctx);
// config_cmd.cc
int RunConfig(Context &ctx);
// audit_cmd.cc
int RunAudit(Context &ctx);
// job_cmds.cc
int RunJobs(Context &ctx);
int RunJobsShow(Context &ctx);
int RunJobsCancel(Context &ctx);
int RunJobsWatch(Context &ctx);
// daemon_cmds.cc
int RunDaemonStart(Context &ctx);
int RunDaemonStop(Context &ctx);
int RunDaemonStatus(Context &ctx);

}  // namespace gale::cli
