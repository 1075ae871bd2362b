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
  std::vector<std::string> listen;  ///< addresses; default DefaultSocketAddress()
  std::vector<std::string> roots;   ///< workspace roots (empty: any readable path)
  std::string state_dir;            ///< default DefaultStateDir()
  std::string runtime_dir;          ///< emulator sockets; default next to the first unix socket
  std::string gale_base;            ///< the SDK tree; default: found from the binary or GALE_BASE
  unsigned max_builds = 0;          ///< concurrent builds; 0: number of cores
  unsigned max_tests = 0;           ///< concurrent test scenarios; 0: number of cores
  size_t max_message_bytes = 4 * 1024 * 1024;
};

struct Context;  // defined in daemon/src/context.h: the sdk objects services use

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

  /// An in-process channel for tests: the same services, no socket.
  std::shared_ptr<grpc::Channel> InProcessChannel();

  const Options &options() const { return options_; }

 private:
  explicit Daemon(Options options);

  Options options_;
  std::unique_ptr<Context> context_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<grpc::Server> server_;
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
