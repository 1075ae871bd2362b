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
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "audit.h"
#include "auth.h"
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

// Reads a PEM file given on the command line, checking it holds what it should.
absl::StatusOr<std::string> ReadPem(const std::string &path, const char *flag,
                                    const char *marker) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", flag, " ", path, ": ", std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().find(marker) == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " ", path, " is not a PEM file with a ",
                                                   marker, " block"));
  }
  return text.str();
}

// Checks the remote-access options against the listen addresses (before anything is created):
// TCP needs tokens, and TLS unless it is on loopback.
absl::Status CheckRemoteOptions(Options &options, std::vector<Listener> *listeners) {
  bool any_unix = false;
  bool any_tcp = false;
  for (const std::string &address : options.listen) {
    absl::StatusOr<Listener> listener = ParseListenAddress(address);
    if (!listener.ok()) {
      return listener.status();
    }
    any_unix = any_unix || listener->kind == Listener::Kind::kUnix;
    any_tcp = any_tcp || listener->kind == Listener::Kind::kTcp;
    listeners->push_back(*listener);
  }
  if (!any_unix) {
    // The local user (gale daemon status/stop, auto-start) always finds the daemon.
    absl::StatusOr<Listener> local = ParseListenAddress(host::DefaultSocketAddress());
    if (!local.ok()) {
      return local.status();
    }
    listeners->insert(listeners->begin(), *local);
  }
  options.listen.clear();
  for (const Listener &listener : *listeners) {
    options.listen.push_back(listener.address);
  }
  const bool tls = !options.tls_cert.empty() || !options.tls_key.empty();
  if (tls && (options.tls_cert.empty() || options.tls_key.empty())) {
    return absl::InvalidArgumentError(
        "TLS needs both --tls-cert FILE (the certificate chain) and --tls-key FILE (its key)");
  }
  if (!options.client_ca.empty() && !tls) {
    return absl::InvalidArgumentError(
        "--client-ca (mutual TLS) needs TLS: give --tls-cert and --tls-key too");
  }
  if (!any_tcp && (tls || !options.tokens_file.empty())) {
    return absl::InvalidArgumentError(
        "--tls-cert/--tls-key/--tokens are for TCP listeners, and none is given: add "
        "--listen tcp://HOST:PORT");
  }
  for (const Listener &listener : *listeners) {
    if (listener.kind != Listener::Kind::kTcp) {
      continue;
    }
    if (!listener.loopback && !tls) {
      return absl::InvalidArgumentError(absl::StrCat(
          "refusing to listen on ", listener.address,
          " without TLS: plain TCP is served only on loopback addresses (127.0.0.0/8, ::1, "
          "localhost); give --tls-cert FILE and --tls-key FILE to serve it with TLS"));
    }
    if (options.tokens_file.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "a TCP listener (", listener.address,
          ") needs bearer tokens: give --tokens FILE with `TOKEN ROLE NAME` lines"));
    }
  }
  return absl::OkStatus();
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
  std::vector<Listener> listeners;
  if (absl::Status s = CheckRemoteOptions(options, &listeners); !s.ok()) {
    return s;
  }
  std::string cert_pem;
  std::string key_pem;
  std::string client_ca_pem;
  if (!options.tls_cert.empty()) {
    absl::StatusOr<std::string> cert = ReadPem(options.tls_cert, "--tls-cert", "CERTIFICATE");
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPem(options.tls_key, "--tls-key", "PRIVATE KEY");
    if (!key.ok()) return key.status();
    cert_pem = std::move(*cert);
    key_pem = std::move(*key);
  }
  if (!options.client_ca.empty()) {
    absl::StatusOr<std::string> ca = ReadPem(options.client_ca, "--client-ca", "CERTIFICATE");
    if (!ca.ok()) return ca.status();
    client_ca_pem = std::move(*ca);
  }
  std::shared_ptr<TokenStore> tokens;
  std::vector<std::string> warnings;
  if (!options.tokens_file.empty()) {
    absl::StatusOr<std::unique_ptr<TokenStore>> loaded =
        TokenStore::Load(options.tokens_file, &warnings);
    if (!loaded.ok()) return loaded.status();
    tokens = std::move(*loaded);
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
    std::string socket;
    for (const std::string &address : options.listen) {
      socket = UnixSocketPath(address);
      if (!socket.empty()) break;
    }
    options.runtime_dir =
        socket.empty() ? options.state_dir + "/run" : fs::path(socket).parent_path().string();
  }
  std::unique_ptr<Daemon> daemon(new Daemon(options));
  daemon->tokens_ = std::move(tokens);
  daemon->warnings_ = std::move(warnings);
  daemon->cert_pem_ = std::move(cert_pem);
  daemon->key_pem_ = std::move(key_pem);
  daemon->client_ca_pem_ = std::move(client_ca_pem);
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
  // Where gRPC writes the port each TCP listener bound (stable addresses: sized up front).
  std::vector<int> bound_ports(options_.listen.size(), 0);
  std::shared_ptr<TokenAuthProcessor> processor;
  if (tokens_ != nullptr) {
    store::Store *store = context_->store.get();
    processor = std::make_shared<TokenAuthProcessor>(
        tokens_, [store](store::AuditRecord &record) { WriteAudit(*store, record); });
  }
  for (size_t i = 0; i < options_.listen.size(); ++i) {
    const std::string &address = options_.listen[i];
    absl::StatusOr<Listener> listener = ParseListenAddress(address);
    if (!listener.ok()) {
      return listener.status();
    }
    if (listener->kind == Listener::Kind::kUnix) {
      std::string path = UnixSocketPath(address);
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
    // TCP: TLS when configured; plain only on loopback (checked in Create), where gRPC's local
    // credentials also refuse any peer that is not on this host. Either way every call is
    // authenticated by its token before a handler runs.
    std::shared_ptr<grpc::ServerCredentials> credentials;
    if (!cert_pem_.empty()) {
      grpc::SslServerCredentialsOptions ssl(
          client_ca_pem_.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                 : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
      ssl.pem_root_certs = client_ca_pem_;
      ssl.pem_key_cert_pairs.push_back({key_pem_, cert_pem_});
      credentials = grpc::SslServerCredentials(ssl);
    } else {
      credentials = grpc::experimental::LocalServerCredentials(LOCAL_TCP);
    }
    credentials->SetAuthMetadataProcessor(processor);
    builder.AddListeningPort(listener->target, credentials, &bound_ports[i]);
  }
  for (const auto &service : services_) {
    builder.RegisterService(service.get());
  }
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<AuditInterceptorFactory>(*context_->store));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  // Sockets are created with the process umask: make them private from the first instant.
  mode_t old_mask = umask(0077);
  server_ = builder.BuildAndStart();
  umask(old_mask);
  if (server_ == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", absl::StrJoin(options_.listen, ", "),
        " (address in use, folder not writable, or a TLS certificate and key that do not "
        "match?)"));
  }
  for (const std::string &path : unix_paths) {
    chmod(path.c_str(), 0600);
  }
  for (size_t i = 0; i < options_.listen.size(); ++i) {
    absl::StatusOr<Listener> listener = ParseListenAddress(options_.listen[i]);
    if (!listener.ok() || listener->kind != Listener::Kind::kTcp) {
      continue;
    }
    if (bound_ports[i] == 0) {
      server_->Shutdown();
      return absl::UnavailableError(
          absl::StrCat("cannot listen on ", options_.listen[i], " (address in use?)"));
    }
    // Report the port bound (tcp://127.0.0.1:0 picks a free one).
    absl::StatusOr<Listener> bound = ParseListenAddress(
        absl::StrCat("tcp://", listener->target.substr(0, listener->target.rfind(':')), ":",
                     bound_ports[i]));
    if (bound.ok()) {
      options_.listen[i] = bound->address;
    }
  }
  context_->options.listen = options_.listen;
  server_->GetHealthCheckService()->SetServingStatus(true);
  return absl::OkStatus();
}

absl::Status Daemon::ReloadTokens(std::vector<std::string> *warnings) {
  if (tokens_ == nullptr) {
    return absl::FailedPreconditionError("galed was started without --tokens");
  }
  return tokens_->Reload(warnings);
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
