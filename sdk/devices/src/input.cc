#include "input.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gale::devices {

absl::Status SendInputBytes(int fd, std::string_view bytes, const std::string &what) {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return absl::UnavailableError(
          absl::StrCat("cannot send input to ", what, ": ", strerror(errno)));
    }
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::ResourceExhaustedError(
          absl::StrCat(what, " has taken no input for 5 s (the image does not read its console?); ",
                       bytes.size(), " bytes were not sent"));
    }
    pollfd pfd{fd, POLLOUT, 0};
    poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
  }
  return absl::OkStatus();
}

}  // namespace gale::devices
