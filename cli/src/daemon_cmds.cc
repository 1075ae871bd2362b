// gale daemon start | stop | status
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "commands.h"
#include "exit_codes.h"
#include "format.h"
#include "gale/host/paths.h"
#include "gale/v1/sdk.grpc.pb.h"
#include "json.h"

namespace gale::cli {

using gale::host::UnixSocketPath;
using gale::host::DaemonLogPath;

namespace {

// A zombie (exited, not yet reaped by whoever started it) counts as gone.
bool ProcessAlive(int64_t pid) {
  if (pid <= 0 || (kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)) {
    return false;
  }
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(stat, line)) {
    return true;
  }
  // "PID (COMM) STATE ...": COMM may hold spaces and parentheses, so look after the last ')'.
  const size_t close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'Z';
}

// The status as `--json` shows it: "pid", "socket" (the address gale used), "version",
// "uptime_s", then the rest of DaemonStatus.
Json StatusJson(const gale::v1::DaemonStatus &status, const std::string &address) {
  Json out = Json::object();
  out["pid"] = status.pid();
  out["socket"] = address;
  out["version"] = status.version();
  out["uptime_s"] = status.uptime_s();
  const Json all = ToJson(status);
  for (auto it = all.begin(); it != all.end(); ++it) {
    if (!out.contains(it.key())) {
      out[it.key()] = it.value();
    }
  }
  return out;
}

}  // namespace

int RunDaemonStatus(Context &ctx) {
  gale::v1::DaemonStatus status;
  const grpc::Status probe = ctx.client.Probe(&status);
  if (!probe.ok()) {
    ctx.err << "galed is not running (nothing answers at " << ctx.client.address() << ")";
    if (probe.error_code() != grpc::StatusCode::UNAVAILABLE) {
      ctx.err << ": " << StatusText(probe);
    }
    ctx.err << '\n';
    return kExitFailure;
  }
  if (ctx.global().json) {
    ctx.out << StatusJson(status, ctx.client.address()).dump(2) << '\n';
    return kExitOk;
  }
  ctx.out << "galed " << status.version() << ", pid " << status.pid() << ", up "
          << FormatSeconds(status.uptime_s()) << '\n'
          << "socket: " << ctx.client.address() << '\n';
  if (status.listen_size() > 1) {
    ctx.out << "listening on: " << absl::StrJoin(status.listen(), ", ") << '\n';
  }
  if (!status.state_dir().empty()) {
    ctx.out << "state: " << status.state_dir() << '\n';
  }
  if (!status.gale_base().empty()) {
    ctx.out << "gale base: " << status.gale_base() << '\n';
  }
  ctx.out << "roots: "
          << (status.roots().empty() ? std::string("any path")
                                     : absl::StrJoin(status.roots(), ", "))
          << '\n'
          << "running jobs: " << status.running_jobs() << ", devices: " << status.devices() << '\n';
  return kExitOk;
}

int RunDaemonStart(Context &ctx) {
  bool started = false;
  gale::v1::DaemonStatus status;
  const absl::Status ready = ctx.client.EnsureDaemon(&started, &status);
  if (!ready.ok()) {
    return FailStatus(ctx, ready);
  }
  if (ctx.global().json) {
    Json out = StatusJson(status, ctx.client.address());
    out["started"] = started;
    ctx.out << out.dump(2) << '\n';
    return kExitOk;
  }
  if (started) {
    ctx.out << "galed started (pid " << status.pid() << ") at " << ctx.client.address()
            << "; log: " << DaemonLogPath() << '\n';
  } else {
    ctx.out << "galed already running (pid " << status.pid() << ") at " << ctx.client.address()
            << '\n';
  }
  return kExitOk;
}

int RunDaemonStop(Context &ctx) {
  gale::v1::DaemonStatus status;
  if (!ctx.client.Probe(&status).ok()) {
    ctx.out << "galed is not running at " << ctx.client.address() << '\n';
    return kExitOk;
  }
  auto stub = gale::v1::Sdk::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext(std::chrono::seconds(30));
  gale::v1::ShutdownResponse response;
  const grpc::Status shutdown =
      stub->Shutdown(context.get(), gale::v1::ShutdownRequest(), &response);
  // The daemon may go away before it answers: that is success too.
  if (!shutdown.ok() && shutdown.error_code() != grpc::StatusCode::UNAVAILABLE &&
      shutdown.error_code() != grpc::StatusCode::CANCELLED) {
    return FailCall(ctx, shutdown);
  }
  // Gone means: nothing answers on the socket, and (on this machine) the process has exited,
  // so its store is closed when we return.
  const bool local = UnixSocketPath(ctx.client.address()).has_value();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    gale::v1::DaemonStatus still;
    const bool answers = ctx.client.Probe(&still, std::chrono::milliseconds(500)).ok();
    if (!answers && !(local && ProcessAlive(status.pid()))) {
      ctx.out << "galed stopped (pid " << status.pid() << ")\n";
      return kExitOk;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Fail(ctx, absl::StrCat("galed (pid ", status.pid(), ") at ", ctx.client.address(),
                                " is still running 30 s after being asked to stop; see its log ",
                                DaemonLogPath()));
}

}  // namespace gale::cli
