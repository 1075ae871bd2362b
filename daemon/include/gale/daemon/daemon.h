// galed: the gRPC server and what its services share.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grpc {
class Channel;
class Server;
class Service;
}  // namespace grpc

namespace gale::daemon {

struct Options {
  /// unix:PATH, a path, or tcp://HOST:PORT. Without any unix socket, the default one
  /// (DefaultSocketAddress()) is served too, so the local user can always reach the daemon.
  std::vector<std::string> listen;
  std::vector<std::string> roots;   ///< workspace roots (empty: any readable path)
  std::string state_dir;            ///< default DefaultStateDir()
  std::string runtime_dir;          ///< emulator sockets; default next to the first unix socket
  std::string gale_base;            ///< the SDK tree; default: found from the binary or GALE_BASE
  unsigned max_builds = 0;          ///< concurrent builds; 0: number of cores
  unsigned max_tests = 0;           ///< concurrent test scenarios; 0: number of cores
  size_t max_message_bytes = 4 * 1024 * 1024;
  // Remote access. A TCP listener needs `tokens_file`, and TLS (`tls_cert` + `tls_key`) unless
  // its host is loopback; `client_ca` makes TLS mutual (client certificates required).
  std::string tls_cert;     ///< PEM certificate chain of the TCP listeners
  std::string tls_key;      ///< PEM private key
  std::string client_ca;    ///< PEM roots that sign client certificates (mutual TLS)
  std::string tokens_file;  ///< `TOKEN ROLE NAME` lines
};

struct Context;  // defined in daemon/src/context.h: the sdk objects services use
class TokenStore;  // daemon/src/auth.h

/// The daemon: opens the store, marks interrupted jobs, builds the services and serves until
/// Shutdown(). Thread-safe.
class Daemon {
 public:
  static absl::StatusOr<std::unique_ptr<Daemon>> Create(Options options);
  ~Daemon();

  /// Binds every listen address and starts serving.
  absl::Status Start();
  /// Serves until Shutdown() is called (from a signal thread or the Sdk.Shutdown RPC).
  void Wait();
  /// Graceful: stop accepting calls, cancel running jobs, stop emulators, close the store.
  void Shutdown(absl::Duration grace = absl::Seconds(5));
  /// Asks for Shutdown from any thread (including a gRPC handler) without blocking.
  void RequestShutdown();

  /// Reads the tokens file again (SIGHUP); on error the tokens in force stay. Warnings (file
  /// permissions, short tokens) are appended to `warnings`.
  absl::Status ReloadTokens(std::vector<std::string> *warnings);

  /// An in-process channel for tests: the same services, no socket.
  std::shared_ptr<grpc::Channel> InProcessChannel();

  /// Options as in force: listen addresses normalized, with the ports TCP listeners bound.
  const Options &options() const { return options_; }
  /// Things the operator should fix that do not stop the daemon (a tokens file others can read).
  const std::vector<std::string> &warnings() const { return warnings_; }

 private:
  explicit Daemon(Options options);

  Options options_;
  std::unique_ptr<Context> context_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<TokenStore> tokens_;
  std::vector<std::string> warnings_;  ///< from Create, printed by Start's caller
  std::string cert_pem_;
  std::string key_pem_;
  std::string client_ca_pem_;
  std::atomic<bool> shutdown_requested_{false};
  std::mutex shutdown_mutex_;
  bool stopped_ = false;
  std::thread shutdown_thread_;
  int lock_fd_ = -1;
};

/// The SDK tree galed builds with: $GALE_BASE, else the tree the binary was built from (found by
/// walking up from the executable's folder to a folder with boards/ and kernel/).
absl::StatusOr<std::string> FindGaleBase(const std::string &hint);

}  // namespace gale::daemon
