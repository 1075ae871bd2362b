#include "terminal.h"

#include <fcntl.h>
#include <sys/stat.h>


namespace gale::cli {

bool ForegroundTerminal() {
  return isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
}

bool ForwardStdin() {
  if (isatty(STDIN_FILENO)) {
    return ForegroundTerminal();
  }
  struct stat st;
  if (fstat(STDIN_FILENO, &st) != 0) {
    return false;
  }
  return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode);
}

RawTerminal::RawTerminal() {
  struct termios original;
  if (!ForegroundTerminal() || tcgetattr(STDIN_FILENO, &original) != 0) {
    return;
  }
  struct termios raw = original;
  raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) {
    restore_ = std::make_unique<AtInterrupt>(
        [original]() { tcsetattr(STDIN_FILENO, TCSANOW, &original); });
  }
}

Wakeup::Wakeup() {
  if (pipe2(fds_, O_CLOEXEC) != 0) {
    fds_[0] = fds_[1] = -1;
  }
}

Wakeup::~Wakeup() {
  for (int fd : fds_) {
    if (fd >= 0) {
      close(fd);
    }
  }
}

void Wakeup::Wake() {
  if (fds_[1] >= 0) {
    const char c = 0;
    [[maybe_unused]] ssize_t n = write(fds_[1], &c, 1);
  }
}

}  // namespace gale::cli
