#include "client.h"

#include <sys/wait.h>
#include <unistd.h>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "absl/strings/str_cat.h"
#include "daemon_launch.h"
#include "gale/host/paths.h"
#include "gale/v1/sdk.grpc.pb.h"

namespace gale::cli {

using gale::host::UnixSocketPath;
using gale::host::DaemonLogPath;


Client::Client(std::string address, std::string lease, ChannelSecurity security)
    : address_(std::move(address)), lease_(std::move(lease)), security_(std::move(security)) {
  Connect();
}

void Client::Connect() {
  grpc::ChannelArguments args;
  // A channel of our own with short reconnect backoffs, so that waiting for a daemon that is
  // starting notices it within a tenth of a second rather than after gRPC's 1 s backoff. (Not
  // GRPC_ARG_MIN_RECONNECT_BACKOFF_MS: gRPC also takes it as the connect timeout, and a busy
  // daemon may need longer than that to complete the handshake.)
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  std::string target;
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      CredentialsFor(address_, security_, &target);
  channel_ = grpc::CreateCustomChannel(target, credentials, args);
}

std::unique_ptr<grpc::ClientContext> Client::NewContext(std::chrono::milliseconds timeout) const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!lease_.empty()) {
    context->AddMetadata("gale-lease", lease_);
  }
  if (!security_.token.empty()) {
    context->AddMetadata("authorization", "Bearer " + security_.token);
  }
  if (timeout.count() > 0) {
    context->set_deadline(std::chrono::system_clock::now() + timeout);
  }
  return context;
}

grpc::Status Client::Probe(gale::v1::DaemonStatus *status, std::chrono::milliseconds timeout,
                           bool wait_for_ready) {
  auto stub = gale::v1::Sdk::NewStub(channel_);
  auto context = NewContext(timeout);
  context->set_wait_for_ready(wait_for_ready);
  gale::v1::GetStatusRequest request;
  return stub->GetStatus(context.get(), request, status);
}

absl::Status Client::EnsureDaemon(bool *started, gale::v1::DaemonStatus *status,
                                  std::chrono::milliseconds wait) {
  *started = false;
  const grpc::Status probe = Probe(status);
  if (probe.ok()) {
    return absl::OkStatus();
  }
  if (probe.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
      probe.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
    return absl::PermissionDeniedError(
        absl::StrCat("galed at ", address_, " refused: ", StatusText(probe)));
  }
  if (probe.error_code() != grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError(
        absl::StrCat("galed at ", address_, " does not answer: ", StatusText(probe)));
  }
  const auto socket_path = UnixSocketPath(address_);
  if (!socket_path) {
    return absl::UnavailableError(absl::StrCat("no daemon answers at ", address_, " (",
                                               StatusText(probe),
                                               "); gale starts one only on a unix socket"));
  }

  const std::string galed = FindGaled();
  const std::string log_path = DaemonLogPath();
  const long log_offset = FileSize(log_path);
  const absl::StatusOr<pid_t> pid = SpawnDaemon(galed, address_, log_path);
  if (!pid.ok()) {
    return pid.status();
  }
  *started = true;

  auto failure = [&](const std::string &what) {
    std::string message = absl::StrCat(what, "; its log is ", log_path);
    const std::string tail = ReadLogTail(log_path, log_offset, 20);
    if (!tail.empty()) {
      absl::StrAppend(&message, ", ending with:\n", tail);
      if (message.back() == '\n') {
        message.pop_back();
      }
    }
    return absl::UnavailableError(message);
  };

  const auto deadline = std::chrono::steady_clock::now() + wait;
  grpc::Status last;
  while (std::chrono::steady_clock::now() < deadline) {
    int wstatus = 0;
    if (waitpid(*pid, &wstatus, WNOHANG) == *pid) {
      // A daemon started by another gale at the same moment may hold the socket: ours then
      // exits, and the other answers.
      if (Probe(status).ok()) {
        return absl::OkStatus();
      }
      const std::string how = WIFEXITED(wstatus)
                                  ? absl::StrCat("exited with status ", WEXITSTATUS(wstatus))
                                  : absl::StrCat("was killed by signal ", WTERMSIG(wstatus));
      return failure(absl::StrCat("galed (", galed, ") ", how, " before answering at ", address_));
    }
    // Waiting for ready, the call drives the connection's handshake itself; a call that fails
    // fast would leave it to gRPC's backup poller, which looks only every 5 s.
    last = Probe(status, std::chrono::milliseconds(200), /*wait_for_ready=*/true);
    if (last.ok()) {
      return absl::OkStatus();
    }
  }
  return failure(absl::StrCat("galed (pid ", *pid, ") started but did not answer at ", address_,
                              " within ", wait.count() / 1000, " s (", StatusText(last), ")"));
}

std::string Client::UnavailableMessage() const {
  return absl::StrCat("galed is not reachable at ", address_,
                      " (it may have stopped); see its log at ", DaemonLogPath(),
                      " or run `gale daemon status`");
}

std::string StatusText(const grpc::Status &status) {
  if (!status.error_message().empty()) {
    return status.error_message();
  }
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return "unavailable";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "no answer in time";
    case grpc::StatusCode::CANCELLED:
      return "cancelled";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "not implemented by this galed";
    default:
      return absl::StrCat("gRPC status ", static_cast<int>(status.error_code()));
  }
}

}  // namespace gale::cli
