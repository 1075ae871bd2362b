// gale: the command-line client of galed. See cli/README.md.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli.h"
#include "client.h"
#include "commands.h"
#include "exit_codes.h"
#include "gale/host/paths.h"
#include "interrupt.h"
#include "remote.h"

using gale::host::ResolveSocketAddress;
using gale::host::RealEnv;

int main(int argc, char **argv) {
  using namespace gale::cli;
  // First, before gRPC starts threads that would otherwise receive the signals.
  InstallInterruptHandling();

  const ParseResult parsed = ParseCommandLine(argc, argv);
  if (parsed.exit_code) {
    std::cout << parsed.output;
    std::cerr << parsed.error;
    return *parsed.exit_code;
  }
  const Invocation &inv = parsed.invocation;

  std::error_code ec;
  const std::filesystem::path cwd = std::filesystem::current_path(ec);
  if (ec) {
    std::cerr << "gale: error: cannot read the current folder: " << ec.message() << '\n';
    return kExitFailure;
  }
  const char *lease_env = std::getenv("GALE_LEASE");
  const std::string lease =
      !inv.global.lease.empty() ? inv.global.lease : (lease_env != nullptr ? lease_env : "");
  absl::StatusOr<ChannelSecurity> security = LoadChannelSecurity(
      inv.global.token, inv.global.ca, inv.global.client_cert, inv.global.client_key);
  if (!security.ok()) {
    std::cerr << "gale: error: " << security.status().message() << '\n';
    return kExitUsage;
  }
  Client client(ResolveSocketAddress(inv.global.socket, RealEnv, getuid(), cwd.string()), lease,
                std::move(*security));

  Context ctx{inv, client, std::cout, std::cerr, cwd};
  ctx.stderr_is_tty = isatty(STDERR_FILENO) != 0;
  struct winsize ws;
  if (ctx.stderr_is_tty && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    ctx.terminal_width = ws.ws_col;
  }

  if (NeedsDaemon(inv.command)) {
    bool started = false;
    gale::v1::DaemonStatus status;
    const absl::Status ready = client.EnsureDaemon(&started, &status);
    if (!ready.ok()) {
      return FailStatus(ctx, ready);
    }
    if (started) {
      std::cerr << "gale: started galed (pid " << status.pid() << ") at " << client.address()
                << '\n';
    }
  }
  const int code = Dispatch(ctx);
  std::cout.flush();
  return code;
}
