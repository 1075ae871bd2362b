#include "gale/runners/qemu.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gale::runners {

namespace {

constexpr size_t kMaxUnixPath = sizeof(sockaddr_un::sun_path) - 1;

// QEMU option values are comma-separated; a comma inside a value is written twice.
std::string QemuEscape(const std::string &value) {
  return absl::StrReplaceAll(value, {{",", ",,"}});
}

absl::Status MakePrivateDir(const std::string &dir) {
  std::error_code ec;
  std::filesystem::path path(dir);
  std::filesystem::path partial;
  for (const auto &part : path) {
    partial /= part;
    if (std::filesystem::exists(partial, ec)) {
      continue;
    }
    if (mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot create the run folder ", partial.string(), ": ", strerror(errno)));
    }
  }
  // An existing folder may have been made by someone else with a wider mode: the sockets in it
  // give control of the device.
  if (chmod(dir.c_str(), 0700) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot make the run folder ", dir, " private: ", strerror(errno)));
  }
  return absl::OkStatus();
}

bool IsSocket(const std::string &path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// True once the unix socket at `path` accepts connections. The file appears at bind(), a moment
// before listen(): a client connecting in between is refused. Linux lists listening sockets in
// /proc/net/unix with the __SO_ACCEPTCON flag (0x10000); without that file, the socket file is
// the only sign there is.
bool IsListeningSocket(const std::string &path) {
  if (!IsSocket(path)) {
    return false;
  }
  std::ifstream table("/proc/net/unix");
  if (!table) {
    return true;
  }
  constexpr unsigned long kAcceptingConnections = 0x10000;
  std::string line;
  std::getline(table, line);  // the header
  while (std::getline(table, line)) {
    // "Num: RefCount Protocol Flags Type St Inode Path", the path last (it may hold spaces).
    std::istringstream fields(line);
    std::string num, refcount, protocol, flags_hex, type, state, inode;
    if (!(fields >> num >> refcount >> protocol >> flags_hex >> type >> state >> inode)) {
      continue;
    }
    std::string bound;
    std::getline(fields, bound);
    if (absl::StripLeadingAsciiWhitespace(bound) != path) {
      continue;
    }
    unsigned long flags = std::strtoul(flags_hex.c_str(), nullptr, 16);
    if ((flags & kAcceptingConnections) != 0) {
      return true;
    }
  }
  return false;
}

// Opens the read end of a FIFO that QEMU already holds open read-write (so the open cannot
// block), blocking and close-on-exec; -1 with errno set on failure.
int OpenFifoForReading(const std::string &path) {
  int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    return -1;
  }
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    int err = errno;
    close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

}  // namespace

absl::StatusOr<QemuOptions> QemuOptionsForBoard(const boards::Board &board) {
  if (board.emulator != "qemu") {
    return absl::FailedPreconditionError(
        absl::StrCat("board ", board.name, " is not emulated by QEMU (its emulator is '",
                     board.emulator, "'); pick a board whose board.yaml says emulator: qemu"));
  }
  if (board.qemu_machine.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("board ", board.name, " (", board.dir,
                                                   ") has emulator: qemu but no qemu_machine"));
  }
  QemuOptions options;
  options.machine = board.qemu_machine;
  options.arch = board.arch;
  if (board.arch == "arm") {
    options.binary = "qemu-system-arm";
  } else if (board.arch == "riscv" || board.arch == "riscv32") {
    options.binary = "qemu-system-riscv32";
  } else if (board.arch == "riscv64") {
    options.binary = "qemu-system-riscv64";
  } else {
    return absl::InvalidArgumentError(absl::StrCat("board ", board.name, " has arch '", board.arch,
                                                   "', which Gale cannot emulate with QEMU"));
  }
  return options;
}

std::vector<std::string> QemuCommandLine(const QemuOptions &options) {
  std::string dir = QemuEscape(options.run_dir);
  std::vector<std::string> argv = {
      options.binary,
      "-M",
      options.machine,
      // No display, no default devices (serial, monitor, parallel): only the UART below.
      "-display",
      "none",
      "-nodefaults",
      "-monitor",
      "none",
      // Held at reset, blank, until a gdb client loads an image and continues.
      "-S",
      // wait=off: the gdbstub must not block start-up (the device connects only to flash).
      "-gdb",
      absl::StrCat("unix:", dir, "/gdb.sock,server=on,wait=off"),
      // A pair of FIFOs (uart.in, uart.out) that Start() creates and QEMU opens read-write: the
      // UART's output waits in a 64 KiB pipe for its reader. A socket would hold only a few
      // hundred bytes of single-byte writes, and UART models that do not wait (sifive_e's)
      // drop what does not fit.
      "-chardev",
      absl::StrCat("pipe,id=ser0,path=", dir, "/uart"),
      "-serial",
      "chardev:ser0",
  };
  if (options.icount_shift.has_value()) {
    argv.push_back("-icount");
    argv.push_back(absl::StrCat("shift=", *options.icount_shift, ",align=off,sleep=off"));
  }
  if (options.semihosting) {
    argv.push_back("-semihosting-config");
    argv.push_back("enable=on,target=native");
  }
  if (absl::StartsWith(options.arch, "riscv")) {
    // No OpenSBI: the image is the whole firmware and starts at the reset vector's target.
    argv.push_back("-bios");
    argv.push_back("none");
  }
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  return argv;
}

absl::StatusOr<std::unique_ptr<QemuInstance>> QemuInstance::Start(const QemuOptions &options) {
  if (options.binary.empty() || options.machine.empty()) {
    return absl::InvalidArgumentError("QEMU options need a binary and a machine");
  }
  if (options.run_dir.empty()) {
    return absl::InvalidArgumentError("QEMU options need a run folder");
  }
  std::unique_ptr<QemuInstance> qemu(new QemuInstance());
  qemu->options_ = options;
  qemu->gdb_path_ = options.run_dir + "/gdb.sock";
  qemu->uart_path_ = options.run_dir + "/uart";
  qemu->log_path_ = options.run_dir + "/qemu.log";
  if (qemu->gdb_path_.size() > kMaxUnixPath) {
    return absl::InvalidArgumentError(
        absl::StrCat("the run folder ", options.run_dir, " is too long for a unix socket path (",
                     qemu->gdb_path_.size(), " > ", kMaxUnixPath, " bytes); use a shorter one"));
  }
  if (absl::Status s = MakePrivateDir(options.run_dir); !s.ok()) {
    return s;
  }
  // Files left by a QEMU that was SIGKILLed: QEMU would refuse to bind over the socket, and a
  // FIFO may still hold the old run's output.
  qemu->RemoveRunFiles();
  for (const char *suffix : {".in", ".out"}) {
    std::string fifo = qemu->uart_path_ + suffix;
    if (mkfifo(fifo.c_str(), 0600) != 0) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot create the UART pipe ", fifo, ": ", strerror(errno)));
    }
  }

  SpawnOptions spawn;
  spawn.argv = QemuCommandLine(options);
  spawn.working_dir = options.run_dir;
  spawn.log_path = qemu->log_path_;
  absl::StatusOr<std::unique_ptr<ChildProcess>> process = ChildProcess::Spawn(spawn);
  if (!process.ok()) {
    if (absl::IsNotFound(process.status())) {
      return absl::NotFoundError(
          absl::StrCat(process.status().message(), ". QEMU is needed to emulate ", options.machine,
                       ": install it (Debian: apt install qemu-system-arm qemu-system-misc)"));
    }
    return process.status();
  }
  qemu->process_ = std::move(*process);

  // Poll: QEMU reports readiness only by creating the sockets.
  absl::Time deadline = absl::Now() + options.start_timeout;
  auto failed = [&](const std::string &what) -> absl::Status {
    std::optional<ExitStatus> status = qemu->process_->exit_status();
    std::string tail = qemu->OutputTail();
    if (status.has_value()) {
      return absl::UnavailableError(absl::StrCat(options.binary, " -M ", options.machine, " ",
                                                 status->Describe(), " at start-up",
                                                 tail.empty() ? "" : ": ", tail));
    }
    qemu->process_->Kill();
    return absl::DeadlineExceededError(absl::StrCat(
        options.binary, " did not ", what, " within ", absl::FormatDuration(options.start_timeout),
        " (killed it)", tail.empty() ? "" : ": ", tail));
  };
  while (!IsListeningSocket(qemu->gdb_path_)) {
    if (!qemu->process_->running()) {
      return failed("start");
    }
    if (absl::Now() > deadline) {
      return failed(absl::StrCat("open its gdbstub socket ", qemu->gdb_path_));
    }
    qemu->process_->Wait(absl::Milliseconds(5));
  }
  // QEMU opens its chardevs before it creates the machine and its gdbstub, so it holds both
  // FIFOs now. Only QEMU keeps uart.out open for writing: its end is the reader's end of file.
  qemu->uart_fd_ = OpenFifoForReading(qemu->uart_path_ + ".out");
  // Read-write, so that input written after QEMU has ended fills the pipe instead of raising
  // SIGPIPE.
  qemu->uart_input_fd_ = open((qemu->uart_path_ + ".in").c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (qemu->uart_fd_ < 0 || qemu->uart_input_fd_ < 0) {
    std::string error = strerror(errno);
    qemu->process_->Kill();
    return absl::UnavailableError(absl::StrCat("cannot open the UART pipes ", qemu->uart_path_,
                                               ".{in,out} of ", options.binary, ": ", error));
  }
  return qemu;
}

void QemuInstance::RemoveRunFiles() const {
  unlink(gdb_path_.c_str());
  unlink((uart_path_ + ".in").c_str());
  unlink((uart_path_ + ".out").c_str());
}

QemuInstance::~QemuInstance() {
  if (process_ != nullptr) {
    process_->Kill();
  }
  for (int fd : {uart_fd_, uart_input_fd_}) {
    if (fd >= 0) {
      close(fd);
    }
  }
  if (!gdb_path_.empty()) {
    RemoveRunFiles();
  }
}

ExitStatus QemuInstance::Stop() {
  return process_->Kill();
}

std::string QemuInstance::OutputTail(size_t max_bytes) const {
  std::ifstream in(log_path_, std::ios::binary);
  if (!in) {
    return "";
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(buffer.str(), '\n', absl::SkipWhitespace())) {
    // QEMU's notes about the sockets and this board's idle peripherals say nothing about why it
    // failed.
    if (absl::StrContains(line, "QEMU waiting for connection") ||
        absl::StrContains(line, "has no peer") ||
        absl::StrContains(line, "Timer with period zero")) {
      continue;
    }
    lines.emplace_back(absl::StripAsciiWhitespace(line));
  }
  std::string text = absl::StrJoin(lines, "; ");
  if (text.size() > max_bytes) {
    text = "..." + text.substr(text.size() - max_bytes);
  }
  return text;
}

}  // namespace gale::runners
