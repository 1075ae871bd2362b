#include "gdb_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gale::daemon {
namespace {

// A connected stream socket to "unix:PATH" or "tcp:HOST:PORT".
absl::StatusOr<int> ConnectTo(const std::string &address) {
  if (absl::StartsWith(address, "unix:")) {
    std::string path = address.substr(5);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof(sa.sun_path)) {
      return absl::InvalidArgumentError(absl::StrCat("socket path too long: ", path));
    }
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0) {
      int err = errno;
      if (fd >= 0) {
        close(fd);
      }
      return absl::UnavailableError(absl::StrCat("cannot connect to ", path, ": ", strerror(err)));
    }
    return fd;
  }
  if (absl::StartsWith(address, "tcp:")) {
    std::string rest = address.substr(4);
    size_t colon = rest.rfind(':');
    int port = 0;
    if (colon == std::string::npos || !absl::SimpleAtoi(rest.substr(colon + 1), &port)) {
      return absl::InvalidArgumentError(absl::StrCat("not a tcp:HOST:PORT address: ", address));
    }
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, rest.substr(0, colon).c_str(), &sa.sin_addr) != 1) {
      return absl::InvalidArgumentError(absl::StrCat("not an IPv4 address: ", address));
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0) {
      int err = errno;
      if (fd >= 0) {
        close(fd);
      }
      return absl::UnavailableError(
          absl::StrCat("cannot connect to ", address, ": ", strerror(err)));
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown GDB server address: ", address));
}

// Writes all of `data`; false when the peer went away.
bool WriteAll(int fd, const char *data, size_t size) {
  while (size > 0) {
    ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// A GDB remote error reply ("$E01#a6" style is not enough for a person: gdb shows the text of
// an "E.message" reply on recent versions, the code otherwise).
void RefuseDebugger(int client, const std::string &why) {
  std::string payload = "E." + why;
  unsigned sum = 0;
  for (unsigned char c : payload) {
    sum += c;
  }
  char tail[4];
  snprintf(tail, sizeof tail, "#%02x", sum & 0xff);
  std::string packet = "$" + payload + tail;
  (void)WriteAll(client, packet.data(), packet.size());
}

}  // namespace

absl::StatusOr<std::unique_ptr<GdbProxy>> GdbProxy::Start(std::weak_ptr<devices::Device> device,
                                                          std::string device_id) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // never beyond this machine
  sa.sin_port = 0;
  socklen_t len = sizeof sa;
  if (bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0 || listen(fd, 4) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr *>(&sa), &len) != 0) {
    int err = errno;
    close(fd);
    return absl::UnavailableError(
        absl::StrCat("cannot open a GDB server port for ", device_id, ": ", strerror(err)));
  }
  auto proxy = std::unique_ptr<GdbProxy>(
      new GdbProxy(std::move(device), std::move(device_id), fd, ntohs(sa.sin_port)));
  if (pipe2(proxy->wake_, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", strerror(errno)));
  }
  proxy->thread_ = std::thread([p = proxy.get()] { p->Serve(); });
  return proxy;
}

GdbProxy::GdbProxy(std::weak_ptr<devices::Device> device, std::string device_id, int listen_fd,
                   int port)
    : device_(std::move(device)), device_id_(std::move(device_id)), listen_fd_(listen_fd),
      port_(port) {}

GdbProxy::~GdbProxy() {
  if (wake_[1] >= 0) {
    const char c = 0;
    [[maybe_unused]] ssize_t n = write(wake_[1], &c, 1);
  }
  if (thread_.joinable()) {
    thread_.join();
  }
  for (int fd : {listen_fd_, wake_[0], wake_[1]}) {
    if (fd >= 0) {
      close(fd);
    }
  }
}

void GdbProxy::Serve() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    if (fds[1].revents != 0) {
      return;
    }
    int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      continue;
    }
    int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Relay(client);
    close(client);
  }
}

void GdbProxy::Relay(int client) {
  std::shared_ptr<devices::Device> device = device_.lock();
  if (device == nullptr) {
    RefuseDebugger(client, absl::StrCat("device ", device_id_, " was deleted"));
    return;
  }
  absl::StatusOr<std::unique_ptr<devices::DebugLease>> lease = device->LendDebugServer();
  if (!lease.ok()) {
    RefuseDebugger(client, std::string(lease.status().message()));
    return;
  }
  absl::StatusOr<int> upstream = ConnectTo((*lease)->address());
  if (!upstream.ok()) {
    RefuseDebugger(client, std::string(upstream.status().message()));
    return;
  }
  connected_ = true;
  char buffer[16384];
  for (bool open = true; open;) {
    pollfd fds[3] = {{client, POLLIN, 0}, {*upstream, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    if (fds[2].revents != 0) {
      break;  // the daemon stops; the wake byte stays for Serve() to see
    }
    for (int i = 0; i < 2 && open; ++i) {
      if (fds[i].revents == 0) {
        continue;
      }
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      open = n > 0 && WriteAll(i == 0 ? *upstream : client, buffer, static_cast<size_t>(n));
    }
  }
  close(*upstream);
  connected_ = false;
  lease->reset();  // the device takes its server back; its image runs again
}

absl::StatusOr<int> GdbProxies::Get(const std::shared_ptr<devices::Device> &device) {
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<GdbProxy> &proxy = proxies_[device->id()];
  if (proxy == nullptr) {
    absl::StatusOr<std::unique_ptr<GdbProxy>> started = GdbProxy::Start(device, device->id());
    if (!started.ok()) {
      proxies_.erase(device->id());
      return started.status();
    }
    proxy = *std::move(started);
  }
  return proxy->port();
}

void GdbProxies::Remove(const std::string &device_id) {
  std::unique_ptr<GdbProxy> proxy;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = proxies_.find(device_id);
    if (it == proxies_.end()) {
      return;
    }
    proxy = std::move(it->second);
    proxies_.erase(it);
  }
}

void GdbProxies::Shutdown() {
  std::map<std::string, std::unique_ptr<GdbProxy>> proxies;
  {
    std::lock_guard<std::mutex> lock(mu_);
    proxies.swap(proxies_);
  }
}

}  // namespace gale::daemon
