#include "qemu_gdbstub.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace gale::gdb::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(20);

bool IsSocket(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// A TCP port nobody listens on right now (the kernel's choice for an ephemeral bind).
absl::StatusOr<int> FreeTcpPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &length) != 0) {
    close(fd);
    return absl::InternalError(absl::StrCat("bind: ", std::strerror(errno)));
  }
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace

std::optional<std::string> FindProgram(std::string_view program) {
  const char *path = std::getenv("PATH");
  if (path == nullptr) {
    return std::nullopt;
  }
  for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
    const std::string candidate = absl::StrCat(dir, "/", std::string(program));
    if (access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

absl::StatusOr<std::unique_ptr<QemuGdbstub>> QemuGdbstub::Start(const Options &options) {
  const std::optional<std::string> qemu = FindProgram(options.program);
  if (!qemu) {
    return absl::FailedPreconditionError(absl::StrCat(
        options.program,
        " is not on PATH; these tests drive a real QEMU gdbstub (Debian: apt "
        "install ",
        options.program == "qemu-system-arm" ? "qemu-system-arm" : "qemu-system-misc", ")"));
  }
  std::unique_ptr<QemuGdbstub> instance(new QemuGdbstub());
  // Unix socket paths are limited to 107 bytes: keep the folder short, under /tmp.
  std::string pattern = "/tmp/gale-qemu-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", std::strerror(errno)));
  }
  instance->dir_ = pattern;
  instance->uart_path_ = instance->dir_ + "/uart.sock";
  const std::string gdb_socket = instance->dir_ + "/gdb.sock";
  std::string gdb_option;
  if (options.tcp) {
    auto port = FreeTcpPort();
    if (!port.ok()) {
      return port.status();
    }
    instance->gdb_address_ = absl::StrCat("tcp:127.0.0.1:", *port);
    gdb_option = absl::StrCat("tcp:127.0.0.1:", *port, ",server=on,wait=off");
  } else {
    instance->gdb_address_ = "unix:" + gdb_socket;
    gdb_option = absl::StrCat("unix:", gdb_socket, ",server=on,wait=off");
  }
  std::vector<std::string> args = {
      *qemu,
      "-M",
      options.machine,
      "-nographic",
      "-monitor",
      "none",
      "-S",
      "-gdb",
      gdb_option,
      "-chardev",
      absl::StrCat("socket,id=ser0,path=", instance->uart_path_, ",server=on,wait=off"),
      "-serial",
      "chardev:ser0",
      "-icount",
      "shift=0,align=off,sleep=off",
      "-semihosting-config",
      "enable=on,target=native",
  };
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  const std::string log = instance->dir_ + "/qemu.log";
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // QEMU must not outlive a test process that dies without running its destructors.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) {
      _exit(127);
    }
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    std::vector<char *> argv;
    for (std::string &arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  instance->pid_ = pid;
  const absl::Time deadline = absl::Now() + kStartTimeout;
  while (!(IsSocket(instance->uart_path_) && (options.tcp || IsSocket(gdb_socket)))) {
    if (instance->WaitExit(absl::ZeroDuration()).has_value()) {
      return absl::InternalError(absl::StrCat(options.program, " exited with status ",
                                              *instance->exit_status_,
                                              " before its sockets appeared: ", instance->Log()));
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat(options.program, " created no sockets in ", instance->dir_, " within ",
                       absl::FormatDuration(kStartTimeout), ": ", instance->Log()));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return instance;
}

QemuGdbstub::~QemuGdbstub() {
  Kill();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

absl::StatusOr<std::unique_ptr<Client>> QemuGdbstub::Attach(ClientOptions options) {
  // A TCP gdbstub may be a moment behind the UART socket that Start() waited for.
  absl::StatusOr<std::unique_ptr<Transport>> transport;
  for (int attempt = 0; attempt < 50; ++attempt) {
    transport = Connect(gdb_address_);
    if (transport.ok() || !absl::IsUnavailable(transport.status())) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  if (!transport.ok()) {
    return transport.status();
  }
  auto client = std::make_unique<Client>(*std::move(transport), std::move(options));
  if (absl::Status status = client->Handshake(); !status.ok()) {
    return status;
  }
  return client;
}

std::optional<int> QemuGdbstub::WaitExit(absl::Duration timeout) {
  if (exit_status_ || pid_ < 0) {
    return exit_status_;
  }
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_status_;
    }
    if (absl::Now() >= deadline) {
      return std::nullopt;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
}

void QemuGdbstub::Kill() {
  if (pid_ > 0 && !exit_status_) {
    kill(pid_, SIGKILL);
    WaitExit(absl::Seconds(10));
  }
}

std::string QemuGdbstub::Log() const {
  std::ifstream in(dir_ + "/qemu.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<std::unique_ptr<UartReader>> UartReader::Connect(const std::string &path) {
  auto stream = gdb::Connect("unix:" + path);
  if (!stream.ok()) {
    return stream.status();
  }
  return std::unique_ptr<UartReader>(new UartReader(*std::move(stream)));
}

absl::Status UartReader::WaitFor(std::string_view needle, absl::Duration timeout, int count) {
  const absl::Time deadline = absl::Now() + timeout;
  auto occurrences = [&] {
    int n = 0;
    for (size_t at = text_.find(needle); at != std::string::npos;
         at = text_.find(needle, at + needle.size())) {
      ++n;
    }
    return n;
  };
  while (occurrences() < count) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(absl::StrCat(
          "the UART did not show \"", std::string(needle), "\" ", count, " time(s) within ",
          absl::FormatDuration(timeout), "; it showed: \"", text_, "\""));
    }
    auto bytes = stream_->Read(left);
    if (bytes.ok()) {
      text_ += *bytes;
    } else if (!absl::IsDeadlineExceeded(bytes.status())) {
      return absl::Status(
          bytes.status().code(),
          absl::StrCat(bytes.status().message(), "; the UART showed: \"", text_, "\""));
    }
  }
  return absl::OkStatus();
}

}  // namespace gale::gdb::testing
