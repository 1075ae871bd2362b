#include "input.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gale::devices {

absl::Status SendInputBytes(int fd, std::string_view bytes, const std::string &what) {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  struct stat st {};
  // A socket (native_sim's stdin) or a pipe (QEMU's UART, opened non-blocking and never without
  // a reader).
  const bool socket = fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
  while (!bytes.empty()) {
    ssize_t n = socket ? send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT)
                       : write(fd, bytes.data(), bytes.size());
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
