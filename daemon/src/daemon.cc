#include "gale/daemon/daemon.h"

#include <fcntl.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/service_type.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "context.h"
#include "gale/host/paths.h"
#include "services.h"

#ifndef GALE_VERSION
#error "GALE_VERSION must be defined by the build"
#endif

namespace gale::daemon {
namespace fs = std::filesystem;

namespace {

absl::Status MakePrivateDir(const std::string &dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create folder ", dir, ": ", ec.message()));
  }
  if (chmod(dir.c_str(), 0700) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot make folder ", dir, " private (0700): ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

std::string UnixSocketPath(const std::string &address) {
  return host::UnixSocketPath(address).value_or("");
}

// A live daemon answers on the socket; a dead one left the file behind. Asking with a short
// deadline tells the two apart without trusting pid files.
bool SocketAnswers(const std::string &address) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  return channel->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Milliseconds(300)));
}

}  // namespace

absl::StatusOr<std::string> FindGaleBase(const std::string &hint) {
  auto is_base = [](const fs::path &dir) {
    std::error_code ec;
    return fs::is_directory(dir / "boards", ec) && fs::is_directory(dir / "kernel", ec) &&
           fs::exists(dir / "Kconfig.gale", ec);
  };
  if (!hint.empty()) {
    if (!is_base(hint)) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", hint, "' is not a Gale SDK tree (no boards/, kernel/, Kconfig.gale)"));
    }
    return fs::canonical(hint).string();
  }
  if (const char *env = std::getenv("GALE_BASE"); env != nullptr && *env != '\0') {
    if (!is_base(env)) {
      return absl::InvalidArgumentError(
          absl::StrCat("GALE_BASE='", env, "' is not a Gale SDK tree (no boards/, kernel/)"));
    }
    return fs::canonical(env).string();
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  for (fs::path dir = exe.parent_path(); !ec && !dir.empty() && dir != dir.root_path();
       dir = dir.parent_path()) {
    if (is_base(dir)) {
      return dir.string();
    }
  }
  return absl::NotFoundError(
      "cannot find the Gale SDK tree: set GALE_BASE or pass --gale-base DIR");
}

Daemon::Daemon(Options options) : options_(std::move(options)) {}

Daemon::~Daemon() {
  Shutdown(absl::ZeroDuration());
  if (shutdown_thread_.joinable()) {
    shutdown_thread_.join();
  }
  server_.reset();
  context_.reset();
  if (lock_fd_ >= 0) {
    close(lock_fd_);
  }
}

absl::StatusOr<std::unique_ptr<Daemon>> Daemon::Create(Options options) {
  if (options.listen.empty()) {
    options.listen.push_back(host::DefaultSocketAddress());
  }
  if (options.state_dir.empty()) {
    options.state_dir = host::DefaultStateDir();
  }
  absl::StatusOr<std::string> base = FindGaleBase(options.gale_base);
  if (!base.ok()) {
    return base.status();
  }
  options.gale_base = *base;
  if (options.runtime_dir.empty()) {
    std::string socket = UnixSocketPath(options.listen.front());
    options.runtime_dir =
        socket.empty() ? options.state_dir + "/run" : fs::path(socket).parent_path().string();
  }
  std::unique_ptr<Daemon> daemon(new Daemon(options));
  if (absl::Status s = MakePrivateDir(options.state_dir); !s.ok()) {
    return s;
  }

  // One daemon per state folder: two would fight over the database and the emulators.
  std::string lock_path = options.state_dir + "/galed.lock";
  daemon->lock_fd_ = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (daemon->lock_fd_ < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot open ", lock_path, ": ", std::strerror(errno)));
  }
  if (flock(daemon->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    std::ifstream in(lock_path);
    std::string holder;
    std::getline(in, holder);
    return absl::FailedPreconditionError(
        absl::StrCat("another galed (pid ", holder.empty() ? "?" : holder,
                     ") already uses the state folder ", options.state_dir));
  }
  std::string pid_text = absl::StrCat(getpid(), "\n");
  if (ftruncate(daemon->lock_fd_, 0) != 0 ||
      write(daemon->lock_fd_, pid_text.data(), pid_text.size()) < 0) {
    return absl::InternalError(absl::StrCat("cannot write ", lock_path));
  }

  auto context = std::make_unique<Context>();
  context->options = options;
  context->version = GALE_VERSION;
  context->pid = getpid();
  context->started = absl::Now();
  context->paths = PathPolicy(options.roots);
  Daemon *self = daemon.get();
  context->request_shutdown = [self] { self->RequestShutdown(); };
  absl::StatusOr<boards::Catalog> catalog = boards::Catalog::Load(options.gale_base);
  if (!catalog.ok()) {
    return catalog.status();
  }
  context->catalog = std::move(*catalog);
  if (absl::Status s = InitContext(*context); !s.ok()) {
    return s;
  }
  daemon->context_ = std::move(context);
  daemon->services_ = MakeServices(*daemon->context_);
  return daemon;
}

absl::Status Daemon::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.SetMaxReceiveMessageSize(static_cast<int>(options_.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(options_.max_message_bytes));
  std::vector<std::string> unix_paths;
  for (const std::string &address : options_.listen) {
    std::string path = UnixSocketPath(address);
    if (!path.empty()) {
      if (absl::Status s = MakePrivateDir(fs::path(path).parent_path().string()); !s.ok()) {
        return s;
      }
      if (fs::exists(path)) {
        if (SocketAnswers(address)) {
          return absl::FailedPreconditionError(
              absl::StrCat("a daemon already answers on ", address));
        }
        fs::remove(path);  // left by a daemon that died
      }
      unix_paths.push_back(path);
      builder.AddListeningPort(address, grpc::InsecureServerCredentials());
      continue;
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot listen on '", address,
        "': only unix:PATH addresses are supported by this galed (TCP with TLS is not yet)"));
  }
  for (const auto &service : services_) {
    builder.RegisterService(service.get());
  }
  // Sockets are created with the process umask: make them private from the first instant.
  mode_t old_mask = umask(0077);
  server_ = builder.BuildAndStart();
  umask(old_mask);
  if (server_ == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ",
                                               absl::StrJoin(options_.listen, ", "),
                                               " (address in use or folder not writable?)"));
  }
  for (const std::string &path : unix_paths) {
    chmod(path.c_str(), 0600);
  }
  server_->GetHealthCheckService()->SetServingStatus(true);
  return absl::OkStatus();
}

void Daemon::Wait() {
  if (server_ != nullptr) {
    server_->Wait();
  }
}

void Daemon::RequestShutdown() {
  if (shutdown_requested_.exchange(true)) {
    return;
  }
  // Shutdown waits for in-flight calls, and the caller may be one of them: never block it.
  shutdown_thread_ = std::thread([this] { Shutdown(); });
}

void Daemon::Shutdown(absl::Duration grace) {
  std::lock_guard<std::mutex> lock(shutdown_mutex_);
  if (stopped_) {
    return;
  }
  stopped_ = true;
  shutdown_requested_ = true;
  if (context_ != nullptr) {
    // Jobs and emulators first, so that streaming calls see their end and return.
    StopContext(*context_);
  }
  if (server_ != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    for (const std::string &address : options_.listen) {
      std::string path = UnixSocketPath(address);
      if (!path.empty()) {
        std::error_code ec;
        fs::remove(path, ec);
      }
    }
  }
}

std::shared_ptr<grpc::Channel> Daemon::InProcessChannel() {
  grpc::ChannelArguments args;
  return server_->InProcessChannel(args);
}

}  // namespace gale::daemon
