// galed: the Gale daemon. Runs in the foreground (for systemd, tests and wrappers); `gale daemon
// start` starts it in the background.
#include <signal.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include "CLI/CLI.hpp"
#include "gale/daemon/daemon.h"
#include "gale/host/paths.h"

int main(int argc, char **argv) {
  gale::daemon::Options options;
  std::vector<std::string> listen;
  CLI::App app{"galed: the Gale daemon (gRPC API gale.v1)"};
  app.add_option(
      "--listen", listen,
      "address to listen on (repeatable); default unix:$XDG_RUNTIME_DIR/gale/galed.sock");
  app.add_option("--root", options.roots,
                 "workspace root a request's paths must lie under (repeatable; none: any path)");
  app.add_option("--state-dir", options.state_dir,
                 "where the database and logs live; default $XDG_STATE_HOME/gale");
  app.add_option("--runtime-dir", options.runtime_dir,
                 "where emulator sockets live; default the socket's folder");
  app.add_option("--gale-base", options.gale_base,
                 "the Gale SDK tree; default GALE_BASE or "
                 "the tree galed was built from");
  app.add_option("--max-builds", options.max_builds, "concurrent builds (default: cores)");
  app.add_option("--max-tests", options.max_tests, "concurrent test scenarios (default: cores)");
  CLI11_PARSE(app, argc, argv);
  const std::string cwd = std::filesystem::current_path().string();
  for (const std::string &address : listen) {
    options.listen.push_back(gale::host::NormalizeAddress(address, cwd));
  }

  // Signals are taken by one thread with sigwait, so no handler runs inside gRPC or SQLite.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto daemon = gale::daemon::Daemon::Create(options);
  if (!daemon.ok()) {
    std::cerr << "galed: " << daemon.status().message() << "\n";
    return 1;
  }
  if (absl::Status s = (*daemon)->Start(); !s.ok()) {
    std::cerr << "galed: " << s.message() << "\n";
    return 1;
  }
  std::cerr << "galed: serving on";
  for (const std::string &address : (*daemon)->options().listen) {
    std::cerr << " " << address;
  }
  std::cerr << " (state " << (*daemon)->options().state_dir << ")\n";

  std::thread([&daemon, signals] {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    std::cerr << "galed: signal " << signal_number << ", shutting down\n";
    (*daemon)->RequestShutdown();
  }).detach();
  (*daemon)->Wait();
  (*daemon)->Shutdown();
  std::cerr << "galed: stopped\n";
  return 0;
}
