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
  app.add_option("--tls-cert", options.tls_cert,
                 "PEM certificate chain for tcp:// listeners (TLS; needed unless loopback)");
  app.add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert");
  app.add_option("--client-ca", options.client_ca,
                 "PEM roots of client certificates: mutual TLS, a client certificate required");
  app.add_option("--tokens", options.tokens_file,
                 "bearer tokens for tcp:// listeners: `TOKEN ROLE NAME` lines "
                 "(roles read-only, developer, admin); SIGHUP reloads it");
  CLI11_PARSE(app, argc, argv);
  const std::string cwd = std::filesystem::current_path().string();
  for (const std::string &address : listen) {
    options.listen.push_back(gale::host::NormalizeAddress(address, cwd));
  }
  for (std::string *file :
       {&options.tls_cert, &options.tls_key, &options.client_ca, &options.tokens_file}) {
    if (!file->empty()) {
      *file = std::filesystem::absolute(*file).string();
    }
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
  for (const std::string &warning : (*daemon)->warnings()) {
    std::cerr << "galed: warning: " << warning << "\n";
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

  // SIGHUP reloads the tokens file when there is one (the usual daemon convention); otherwise
  // it stops the daemon like SIGTERM, as it always did.
  const bool reload_on_hup = !options.tokens_file.empty();
  std::thread([&daemon, signals, reload_on_hup] {
    for (;;) {
      int signal_number = 0;
      sigwait(&signals, &signal_number);
      if (signal_number == SIGHUP && reload_on_hup) {
        std::vector<std::string> warnings;
        const absl::Status s = (*daemon)->ReloadTokens(&warnings);
        for (const std::string &warning : warnings) {
          std::cerr << "galed: warning: " << warning << "\n";
        }
        std::cerr << "galed: SIGHUP: "
                  << (s.ok() ? "tokens reloaded"
                             : "tokens NOT reloaded, the previous ones stay: " +
                                   std::string(s.message()))
                  << "\n";
        continue;
      }
      std::cerr << "galed: signal " << signal_number << ", shutting down\n";
      (*daemon)->RequestShutdown();
      return;
    }
  }).detach();
  (*daemon)->Wait();
  (*daemon)->Shutdown();
  std::cerr << "galed: stopped\n";
  return 0;
}
