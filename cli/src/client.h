// The connection to galed: channel, per-call contexts (with the lease metadata), the
// is-a-daemon-there probe and auto-start.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include "absl/status/status.h"
#include "gale/v1/sdk.pb.h"
#include "remote.h"

namespace gale::cli {

class Client {
 public:
  /// `address` is a resolved address (see gale/host/paths.h; tcp://HOST:PORT reaches a remote
  /// galed, see remote.h); `lease` is sent as the "gale-lease" metadata of every call when not
  /// empty, and `security.token` as `authorization: Bearer TOKEN`.
  Client(std::string address, std::string lease, ChannelSecurity security = {});

  const std::string &address() const { return address_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

  /// A context for one call, with the lease metadata; `timeout` > 0 sets a deadline.
  std::unique_ptr<grpc::ClientContext> NewContext(
      std::chrono::milliseconds timeout = std::chrono::milliseconds(0)) const;

  /// Sdk.GetStatus with a short deadline. Fails at once when nothing listens, unless
  /// `wait_for_ready`: then it waits for a daemon to come up, up to the deadline.
  grpc::Status Probe(gale::v1::DaemonStatus *status,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(3000),
                     bool wait_for_ready = false);

  /// Makes sure a daemon answers: probes and, when nothing listens on a unix socket, starts
  /// galed in the background (see daemon_launch.h) and waits up to `wait` for it to answer.
  /// `started` tells whether it started one; `status` receives the daemon's status. Errors say
  /// where the daemon was looked for and end with the tail of its log.
  absl::Status EnsureDaemon(bool *started, gale::v1::DaemonStatus *status,
                            std::chrono::milliseconds wait = std::chrono::seconds(10));

  /// The message to print when a call fails with UNAVAILABLE: the daemon went away.
  std::string UnavailableMessage() const;

 private:
  void Connect();

  std::string address_;
  std::string lease_;
  ChannelSecurity security_;
  std::shared_ptr<grpc::Channel> channel_;
};

/// The status's message, or a description of the code when the message is empty.
std::string StatusText(const grpc::Status &status);

}  // namespace gale::cli
