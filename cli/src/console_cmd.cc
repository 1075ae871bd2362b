// gale console: a device's UART. Output (retained, then live) goes to stdout as it comes;
// stdin is forwarded when it is a terminal (byte by byte, without local echo: the target
// echoes) or a pipe. Ends when the image exits, or on Ctrl-C / SIGINT / SIGTERM (exit 0).
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "exit_codes.h"
#include "gale/v1/console.grpc.pb.h"
#include "interrupt.h"

namespace gale::cli {
namespace {

// A terminal counts only when gale is in its foreground: in the background (`gale console &`,
// `timeout 10 gale console`) reading it or changing its modes would stop gale (SIGTTIN/SIGTTOU).
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

// Wakes the stdin thread out of poll().
class Wakeup {
 public:
  Wakeup() {
    if (pipe2(fds_, O_CLOEXEC) != 0) {
      fds_[0] = fds_[1] = -1;
    }
  }
  ~Wakeup() {
    for (int fd : fds_) {
      if (fd >= 0) {
        close(fd);
      }
    }
  }
  int fd() const { return fds_[0]; }
  void Wake() {
    if (fds_[1] >= 0) {
      const char c = 0;
      [[maybe_unused]] ssize_t n = write(fds_[1], &c, 1);
    }
  }

 private:
  int fds_[2];
};

using Stream = grpc::ClientReaderWriterInterface<gale::v1::ConsoleInput, gale::v1::ConsoleOutput>;

// Sets *half_closed when it has called WritesDone() (at the end of stdin).
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
    gale::v1::ConsoleInput input;
    input.set_data(buffer, static_cast<size_t>(n));
    if (!stream->Write(input)) {
      return;
    }
  }
}

}  // namespace

int RunConsole(Context &ctx) {
  std::string device = ctx.inv.console.device;
  if (device.empty()) {
    absl::StatusOr<std::string> only = DefaultDevice(ctx);
    if (!only.ok()) {
      return FailStatus(ctx, only.status());
    }
    device = *only;
  }

  auto stub = gale::v1::Console::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  CancelOnInterrupt cancel(context.get());
  std::unique_ptr<Stream> stream = stub->Attach(context.get());
  gale::v1::ConsoleInput open;
  open.mutable_open()->set_device_id(device);
  open.mutable_open()->set_no_replay(ctx.inv.console.no_replay);
  open.mutable_open()->set_until_exit(!ctx.inv.console.follow);
  stream->Write(open);  // a failure shows in Finish()

  // A terminal: every key goes to the target at once, without local echo; Ctrl-C still
  // interrupts gale. Restored on every way out.
  std::optional<struct termios> saved;
  struct termios original;
  if (ForegroundTerminal() && tcgetattr(STDIN_FILENO, &original) == 0) {
    struct termios raw = original;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) {
      saved = original;
    }
  }
  AtInterrupt restore([saved]() {
    if (saved) {
      tcsetattr(STDIN_FILENO, TCSANOW, &*saved);
    }
  });

  // The daemon ends the stream after the image exits once the client has half-closed, so
  // gale half-closes as soon as it has nothing (more) to send.
  Wakeup wakeup;
  OnInterrupt wake([&wakeup]() { wakeup.Wake(); });
  bool half_closed = false;
  std::thread pump;
  if (ForwardStdin()) {
    pump = std::thread(PumpStdin, stream.get(), &wakeup, &half_closed);
  } else {
    stream->WritesDone();
    half_closed = true;
  }
  auto stop_input = [&]() {
    wakeup.Wake();
    if (pump.joinable()) {
      pump.join();  // out of poll() now; a Write() on an ended call returns false at once
    }
    if (!half_closed) {
      stream->WritesDone();
      half_closed = true;
    }
  };

  gale::v1::ConsoleOutput output;
  std::optional<int> exit_code;
  uint64_t dropped = 0;
  while (stream->Read(&output)) {
    if (output.dropped() > 0) {
      dropped += output.dropped();
    }
    if (!output.data().empty()) {
      ctx.out.write(output.data().data(), static_cast<std::streamsize>(output.data().size()));
      ctx.out.flush();
    }
    if (output.exited()) {
      exit_code = output.exit_code();
      if (!ctx.inv.console.follow) {
        stop_input();  // the last message: the daemon finishes the call when we half-close
      }
    }
  }
  stop_input();
  const grpc::Status status = stream->Finish();
  if (dropped > 0) {
    ctx.err << "gale: " << dropped << " bytes of console output were lost before reaching gale\n";
  }
  if (InterruptSignal() != 0) {
    return kExitOk;  // Ctrl-C is how one leaves a console
  }
  if (exit_code) {
    ctx.err << "gale: the image on " << device << " exited with code " << *exit_code << '\n';
    return *exit_code & 0xff;
  }
  if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
    return FailCall(ctx, status);
  }
  return kExitOk;
}

}  // namespace gale::cli
