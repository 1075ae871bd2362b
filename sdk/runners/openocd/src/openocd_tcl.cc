#include "gale/runners/openocd_tcl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gale::runners {

namespace {

constexpr char kTerminator = '\x1a';

int PollMillis(absl::Duration left) {
  if (left <= absl::ZeroDuration()) {
    return 0;
  }
  int64_t ms = absl::ToInt64Milliseconds(absl::Ceil(left, absl::Milliseconds(1)));
  return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

// Waits for `events` on `fd` until `deadline`: true when ready, false on timeout.
absl::StatusOr<bool> WaitFor(int fd, short events, absl::Time deadline) {
  while (true) {
    pollfd pfd{fd, events, 0};
    int n = poll(&pfd, 1, PollMillis(deadline - absl::Now()));
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
      return absl::InternalError(absl::StrCat("poll: ", strerror(errno)));
    }
  }
}

std::string Brief(std::string_view text) {
  std::string out(text.substr(0, 80));
  std::replace(out.begin(), out.end(), '\n', ' ');
  return text.size() > 80 ? out + "..." : out;
}

}  // namespace

std::string TclQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '\\':
      case '$':
      case '[':
      case ']':
      case '"':
      case '{':
      case '}':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  out += '"';
  return out;
}

absl::StatusOr<std::unique_ptr<OpenOcdTclClient>> OpenOcdTclClient::Connect(
    int port, absl::Duration timeout, const std::string &host) {
  if (port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("OpenOCD Tcl port ", port, " is not a TCP port (1-65535)"));
  }
  sockaddr_storage addr{};
  socklen_t addr_len = 0;
  int family = AF_INET;
  auto *v4 = reinterpret_cast<sockaddr_in *>(&addr);
  auto *v6 = reinterpret_cast<sockaddr_in6 *>(&addr);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    addr_len = sizeof *v4;
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    family = AF_INET6;
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    addr_len = sizeof *v6;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("'", host, "' is not a numeric IP address (OpenOCD binds to loopback)"));
  }
  std::string address = absl::StrCat("OpenOCD Tcl RPC at ", host, ":", port);
  int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  }
  absl::Time deadline = absl::Now() + timeout;
  if (connect(fd, reinterpret_cast<sockaddr *>(&addr), addr_len) != 0) {
    if (errno != EINPROGRESS) {
      int err = errno;
      close(fd);
      return absl::UnavailableError(
          absl::StrCat("cannot connect to ", address, ": ", strerror(err)));
    }
    absl::StatusOr<bool> ready = WaitFor(fd, POLLOUT, deadline);
    int err = 0;
    socklen_t len = sizeof err;
    if (!ready.ok() || !*ready || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 ||
        err != 0) {
      close(fd);
      if (ready.ok() && !*ready) {
        return absl::UnavailableError(
            absl::StrCat("cannot connect to ", address, " within ", absl::FormatDuration(timeout)));
      }
      return absl::UnavailableError(
          absl::StrCat("cannot connect to ", address, ": ", strerror(err != 0 ? err : errno)));
    }
  }
  return std::unique_ptr<OpenOcdTclClient>(new OpenOcdTclClient(fd, std::move(address)));
}

OpenOcdTclClient::~OpenOcdTclClient() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

absl::Status OpenOcdTclClient::Broken(absl::Status status) {
  broken_ = true;
  broken_reason_ = std::string(status.message());
  return status;
}

absl::StatusOr<std::string> OpenOcdTclClient::Eval(std::string_view script,
                                                   absl::Duration timeout) {
  return Exchange(script, script, timeout);
}

absl::StatusOr<std::string> OpenOcdTclClient::Exchange(std::string_view script,
                                                       std::string_view what,
                                                       absl::Duration timeout) {
  if (script.find(kTerminator) != std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("the OpenOCD command \"", Brief(script),
                     "\" contains the byte 0x1a, which ends a Tcl RPC message; remove it"));
  }
  if (broken_) {
    return absl::FailedPreconditionError(absl::StrCat("the connection to ", address_,
                                                      " is unusable after an earlier failure (",
                                                      broken_reason_, "); reconnect"));
  }
  absl::Time deadline = absl::Now() + timeout;
  std::string out = std::string(script) + kTerminator;
  std::string_view rest = out;
  while (!rest.empty()) {
    ssize_t n = send(fd_, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n >= 0) {
      rest.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      absl::StatusOr<bool> ready = WaitFor(fd_, POLLOUT, deadline);
      if (!ready.ok()) {
        return Broken(ready.status());
      }
      if (!*ready) {
        return Broken(absl::DeadlineExceededError(
            absl::StrCat(address_, " took no data for ", absl::FormatDuration(timeout),
                         " while sending \"", Brief(what), "\"")));
      }
      continue;
    }
    return Broken(absl::UnavailableError(
        absl::StrCat("connection to ", address_, " lost: ", strerror(errno))));
  }
  while (true) {
    size_t end = pending_.find(kTerminator);
    if (end != std::string::npos) {
      std::string reply = pending_.substr(0, end);
      pending_.erase(0, end + 1);
      return reply;
    }
    absl::StatusOr<bool> ready = WaitFor(fd_, POLLIN, deadline);
    if (!ready.ok()) {
      return Broken(ready.status());
    }
    if (!*ready) {
      return Broken(absl::DeadlineExceededError(
          absl::StrCat("OpenOCD did not answer \"", Brief(what), "\" within ",
                       absl::FormatDuration(timeout), " (", address_, ")")));
    }
    char buffer[16384];
    ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      pending_.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) {
      return Broken(absl::UnavailableError(absl::StrCat(
          address_, " closed the connection during \"", Brief(what), "\" (did OpenOCD exit?)")));
    }
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) {
      continue;
    }
    return Broken(absl::UnavailableError(
        absl::StrCat("connection to ", address_, " lost: ", strerror(errno))));
  }
}

absl::StatusOr<std::string> OpenOcdTclClient::Run(std::string_view command,
                                                  absl::Duration timeout) {
  // The command goes in as a quoted string evaluated inside catch, so that any text (braces
  // included) is one command and its Tcl return code comes back first. No `return` at the top
  // level: OpenOCD 0.12 would take a stale return code from an earlier failing procedure.
  std::string script =
      absl::StrCat("set gale_cmd ", TclQuote(command),
                   "; set gale_rc [catch {eval $gale_cmd} gale_msg]; format {%d %s} $gale_rc "
                   "$gale_msg");
  absl::StatusOr<std::string> reply = Exchange(script, command, timeout);
  if (!reply.ok()) {
    return reply.status();
  }
  size_t space = reply->find(' ');
  int code = 0;
  if (space == std::string::npos || !absl::SimpleAtoi(reply->substr(0, space), &code)) {
    return absl::InternalError(absl::StrCat("unexpected reply from ", address_, " to \"",
                                            Brief(command), "\": \"", Brief(*reply), "\""));
  }
  std::string text = reply->substr(space + 1);
  // 0 ok, 2 return, 3 break, 4 continue: the command finished. 1 is a Tcl error; OpenOCD's
  // own commands also fail with its negative error numbers (ERROR_FAIL is -4), often with no
  // text at all (the reason is then only in the log).
  if (code == 1 || code < 0 || code > 4) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
      text.pop_back();
    }
    return absl::FailedPreconditionError(
        absl::StrCat("OpenOCD: ", Brief(command), ": ", text.empty() ? "failed" : text));
  }
  return text;
}

}  // namespace gale::runners
