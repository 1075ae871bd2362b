// The local terminal for interactive streams (gale console, gale shell): whether stdin is
// forwarded, raw mode while a session runs, and a thread that pumps stdin into a gRPC stream
// until end of input or a wake-up.
#pragma once

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "interrupt.h"

namespace gale::cli {

/// A terminal counts only when gale is in its foreground: in the background (`gale console &`,
/// `timeout 10 gale console`) reading it or changing its modes would stop gale (SIGTTIN/SIGTTOU).
bool ForegroundTerminal();
/// stdin is a foreground terminal, a pipe or a socket (not /dev/null, not a file).
bool ForwardStdin();

/// Raw input (every key at once, no local echo: the target echoes; Ctrl-C still signals) for
/// the object's life, when stdin is a foreground terminal. Restored on every way out,
/// including an interrupt.
class RawTerminal {
 public:
  RawTerminal();
  RawTerminal(const RawTerminal &) = delete;
  RawTerminal &operator=(const RawTerminal &) = delete;

 private:
  std::unique_ptr<AtInterrupt> restore_;  // puts the saved modes back
};

/// Wakes the stdin thread out of poll().
class Wakeup {
 public:
  Wakeup();
  ~Wakeup();
  int fd() const { return fds_[0]; }
  void Wake();

 private:
  int fds_[2];
};

/// Copies stdin into `stream` as `Input` messages (`set_data`) until end of input (then
/// WritesDone() and *half_closed = true), a failed write, or `wakeup`.
template <typename Stream, typename Input>
void PumpStdin(Stream *stream, Wakeup *wakeup, bool *half_closed) {
  char buffer[4096];
  for (;;) {
    struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {wakeup->fd(), POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    if (fds[1].revents != 0) {
      return;
    }
    const ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
      continue;
    }
    if (n <= 0) {
      stream->WritesDone();
      *half_closed = true;
      return;
    }
    Input input;
    input.set_data(buffer, static_cast<size_t>(n));
    if (!stream->Write(input)) {
      return;
    }
  }
}

}  // namespace gale::cli
