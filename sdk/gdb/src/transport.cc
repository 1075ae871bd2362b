// Socket transports: unix-domain and TCP streams, with every wait bounded by poll().
#include <fcntl.h>
#include <netdb.h>
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
#include "gale/gdb/client.h"

namespace gale::gdb {
namespace {

// A write that cannot make progress for this long means a stuck peer.
constexpr absl::Duration kWriteTimeout = absl::Seconds(10);
constexpr size_t kReadChunk = 64 * 1024;

int PollMillis(absl::Duration timeout) {
  if (timeout <= absl::ZeroDuration()) {
    return 0;
  }
  // Round up so that a sub-millisecond remainder still waits instead of spinning.
  const int64_t millis = absl::ToInt64Milliseconds(absl::Ceil(timeout, absl::Milliseconds(1)));
  return millis > INT32_MAX ? INT32_MAX : static_cast<int>(millis);
}

// Waits for `events` on `fd` until `deadline`; true when ready.
absl::StatusOr<bool> WaitFor(int fd, short events, absl::Time deadline) {
  while (true) {
    pollfd pfd{fd, events, 0};
    const int n = poll(&pfd, 1, PollMillis(deadline - absl::Now()));
    if (n > 0) {
      return true;
    }
    if (n == 0) {
      if (absl::Now() >= deadline) {
        return false;
      }
      continue;
    }
    if (errno != EINTR) {
      return absl::InternalError(absl::StrCat("poll: ", std::strerror(errno)));
    }
  }
}

class SocketTransport final : public Transport {
 public:
  SocketTransport(int fd, std::string address) : fd_(fd), address_(std::move(address)) {}
  ~SocketTransport() override { close(fd_); }
  SocketTransport(const SocketTransport &) = delete;
  SocketTransport &operator=(const SocketTransport &) = delete;

  absl::Status Write(std::string_view bytes) override {
    const absl::Time deadline = absl::Now() + kWriteTimeout;
    while (!bytes.empty()) {
      const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n >= 0) {
        bytes.remove_prefix(static_cast<size_t>(n));
        continue;
      }
      if (errno == EINTR) {
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        auto ready = WaitFor(fd_, POLLOUT, deadline);
        if (!ready.ok()) {
          return ready.status();
        }
        if (!*ready) {
          return absl::DeadlineExceededError(absl::StrCat(Describe(), " accepted no data for ",
                                                          absl::FormatDuration(kWriteTimeout)));
        }
        continue;
      }
      return absl::UnavailableError(
          absl::StrCat("connection to ", Describe(), " lost: ", std::strerror(errno)));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Read(absl::Duration timeout) override {
    const absl::Time deadline = absl::Now() + timeout;
    auto ready = WaitFor(fd_, POLLIN, deadline);
    if (!ready.ok()) {
      return ready.status();
    }
    if (!*ready) {
      return absl::DeadlineExceededError(
          absl::StrCat("no data from ", Describe(), " within ", absl::FormatDuration(timeout)));
    }
    std::string buffer(kReadChunk, '\0');
    while (true) {
      const ssize_t n = recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n > 0) {
        buffer.resize(static_cast<size_t>(n));
        return buffer;
      }
      if (n == 0) {
        return absl::UnavailableError(absl::StrCat(Describe(), " closed the connection"));
      }
      if (errno == EINTR) {
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        // poll() said readable but nothing came (spurious wakeup): report it as no data yet.
        return absl::DeadlineExceededError(absl::StrCat("no data from ", Describe()));
      }
      return absl::UnavailableError(
          absl::StrCat("connection to ", Describe(), " lost: ", std::strerror(errno)));
    }
  }

  std::string Describe() const override { return absl::StrCat("gdbserver at ", address_); }

 private:
  int fd_;
  std::string address_;
};

// Connects the non-blocking socket `fd` to `addr`, waiting until `deadline`. Returns 0 or an
// errno value.
int ConnectWithin(int fd, const sockaddr *addr, socklen_t length, absl::Time deadline) {
  if (connect(fd, addr, length) == 0) {
    return 0;
  }
  if (errno != EINPROGRESS && errno != EAGAIN) {
    return errno;
  }
  auto ready = WaitFor(fd, POLLOUT, deadline);
  if (!ready.ok()) {
    return EIO;
  }
  if (!*ready) {
    return ETIMEDOUT;
  }
  int error = 0;
  socklen_t error_length = sizeof(error);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_length) != 0) {
    return errno;
  }
  return error;
}

absl::StatusOr<std::unique_ptr<Transport>> ConnectUnix(const std::string &address,
                                                       std::string_view path, absl::Time deadline) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("gdbserver address ", address, ": a unix socket path must have 1 to ",
                     sizeof(addr.sun_path) - 1, " characters (use a shorter directory)"));
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  }
  const int error =
      ConnectWithin(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof(addr), deadline);
  if (error != 0) {
    close(fd);
    return absl::UnavailableError(
        absl::StrCat("cannot connect to gdbserver at ", address, ": ", std::strerror(error)));
  }
  return std::make_unique<SocketTransport>(fd, address);
}

absl::StatusOr<std::unique_ptr<Transport>> ConnectTcp(const std::string &address,
                                                      std::string_view host_port,
                                                      absl::Time deadline) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("gdbserver address ", address,
                     " has no port; use unix:/path/to/socket, tcp:HOST:PORT or HOST:PORT"));
  }
  std::string host(host_port.substr(0, colon));
  const std::string port(host_port.substr(colon + 1));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  uint32_t port_number = 0;
  if (!absl::SimpleAtoi(port, &port_number) || port_number == 0 || port_number > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("gdbserver address ", address, ": '", port, "' is not a TCP port"));
  }
  if (host.empty()) {
    host = "localhost";
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo *results = nullptr;
  if (const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &results); rc != 0) {
    return absl::UnavailableError(absl::StrCat("cannot connect to gdbserver at ", address,
                                               ": cannot resolve ", host, ": ", gai_strerror(rc)));
  }
  int last_error = ECONNREFUSED;
  for (addrinfo *ai = results; ai != nullptr; ai = ai->ai_next) {
    const int fd =
        socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) {
      last_error = errno;
      continue;
    }
    last_error = ConnectWithin(fd, ai->ai_addr, ai->ai_addrlen, deadline);
    if (last_error == 0) {
      // Packets are small and each waits for its reply: never hold one back (Nagle).
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      freeaddrinfo(results);
      return std::make_unique<SocketTransport>(fd, address);
    }
    close(fd);
  }
  freeaddrinfo(results);
  return absl::UnavailableError(
      absl::StrCat("cannot connect to gdbserver at ", address, ": ", std::strerror(last_error)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Transport>> Connect(const std::string &address,
                                                   absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::string_view rest = address;
  if (rest.starts_with("unix:")) {
    return ConnectUnix(address, rest.substr(5), deadline);
  }
  if (rest.starts_with("tcp:")) {
    rest.remove_prefix(4);
  }
  if (rest.empty()) {
    return absl::InvalidArgumentError(
        "empty gdbserver address; use unix:/path/to/socket, tcp:HOST:PORT or HOST:PORT");
  }
  return ConnectTcp(address, rest, deadline);
}

}  // namespace gale::gdb
