// A physical board: OpenOCD (one persistent server, started at the first operation) for flash,
// reset, run control and memory; the probe's virtual COM port for the console.
#include "gale/devices/openocd_device.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "device_base.h"
#include "emulated_devices.h"
#include "gale/elf/elf_file.h"
#include "gale/runners/openocd.h"

namespace gale::devices {

namespace {

constexpr size_t kMaxMemoryAccess = 1 << 20;

// `cause` with `context` in front of its message, keeping its code and payloads (the OpenOCD
// error class and full output).
absl::Status WithContext(const absl::Status &cause, absl::string_view context) {
  absl::Status status(cause.code(), absl::StrCat(context, ": ", cause.message()));
  cause.ForEachPayload(
      [&](absl::string_view url, const absl::Cord &payload) { status.SetPayload(url, payload); });
  return status;
}

speed_t BaudConstant(uint32_t baud) {
  switch (baud) {
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
      return B115200;
    case 230400:
      return B230400;
    case 460800:
      return B460800;
    case 921600:
      return B921600;
    case 1000000:
      return B1000000;
    default:
      return 0;
  }
}

// Opens the probe's virtual COM port raw, `baud` 8N1, no flow control, no echo or line
// editing: the board's bytes arrive unchanged. -1 with `error` set on failure.
int OpenTty(const std::string &path, uint32_t baud, std::string &error) {
  speed_t speed = BaudConstant(baud);
  if (speed == 0) {
    error = absl::StrCat(baud, " baud is not a speed this console supports");
    return -1;
  }
  int fd = open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    error = absl::StrCat("cannot open ", path, ": ", strerror(err));
    if (err == EACCES) {
      absl::StrAppend(&error,
                      " (add your user to the group owning it, e.g. dialout, or install "
                      "the udev rules for debug probes)");
    }
    return -1;
  }
  termios tio{};
  if (tcgetattr(fd, &tio) == 0) {
    cfmakeraw(&tio);
    tio.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS | CSIZE);
    tio.c_cflag |= CS8 | CLOCAL | CREAD;
    tio.c_iflag &= ~(IXON | IXOFF | IXANY);
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    cfsetispeed(&tio, speed);
    cfsetospeed(&tio, speed);
    // A pseudo-terminal or a fake tty may refuse some settings; the bytes still flow.
    tcsetattr(fd, TCSANOW, &tio);
    tcflush(fd, TCIFLUSH);
  }
  return fd;
}

class OpenOcdDevice final : public DeviceBase {
 public:
  OpenOcdDevice(DeviceInfo info, PhysicalDeviceSpec spec, runners::OpenOcdOptions runner,
                OpenOcdDeviceOptions options)
      : DeviceBase(std::move(info), options.console_capacity),
        spec_(std::move(spec)),
        runner_(std::move(runner)),
        options_(std::move(options)) {}
  ~OpenOcdDevice() override { Shutdown(); }

  std::string Label() const { return runner_.label; }

  // The console is independent of OpenOCD: the board prints whether or not anyone debugs it.
  void StartConsole() {
    std::lock_guard op(op_mu_);
    OpenConsoleLocked();
  }

  absl::StatusOr<FlashResult> Flash(const std::string &image,
                                    const FlashOptions &options) override {
    if (absl::Status status = CheckImage(image); !status.ok()) {
      return status;
    }
    std::lock_guard op(op_mu_);
    if (deleted()) {
      return DeletedError();
    }
    RefreshConsoleLocked();
    DeviceState before = Info().state;
    Update([](DeviceInfo &info) {
      info.state = DeviceState::kFlashing;
      info.error.clear();
    });
    absl::Status up = EnsureServerLocked();
    if (!up.ok()) {
      return FailLocked(up, "flash", before);
    }
    if (options.run) {
      MarkRunStartedLocked();
    }
    absl::StatusOr<FlashResult> result = server_->Flash(image, options);
    if (!result.ok()) {
      return FailLocked(result.status(), "flash", DeviceState::kHalted);
    }
    Update([&](DeviceInfo &info) {
      info.image = image;
      info.state = options.run ? DeviceState::kRunning : DeviceState::kHalted;
    });
    return result;
  }

  absl::Status Reset(bool halt) override {
    return Operate("reset", [&]() -> absl::Status {
      if (!halt) {
        MarkRunStartedLocked();
      }
      absl::Status status = server_->Reset(halt);
      if (status.ok()) {
        Update([&](DeviceInfo &info) {
          info.state = halt ? DeviceState::kHalted : DeviceState::kRunning;
        });
      }
      return status;
    });
  }

  absl::Status Halt() override {
    return Operate("halt", [&]() -> absl::Status {
      absl::Status status = server_->Halt();
      if (status.ok()) {
        Update([](DeviceInfo &info) { info.state = DeviceState::kHalted; });
      }
      return status;
    });
  }

  absl::Status Resume() override {
    return Operate("resume", [&]() -> absl::Status {
      absl::Status status = server_->Resume();
      if (status.ok()) {
        Update([](DeviceInfo &info) { info.state = DeviceState::kRunning; });
      }
      return status;
    });
  }

  absl::StatusOr<std::vector<uint8_t>> ReadMemory(uint64_t address, size_t length) override {
    if (length > kMaxMemoryAccess) {
      return absl::InvalidArgumentError(absl::StrCat("cannot read ", length, " bytes at once from ",
                                                     Label(), ": at most ", kMaxMemoryAccess));
    }
    absl::StatusOr<std::vector<uint8_t>> data;
    absl::Status status = Operate("memory read", [&]() -> absl::Status {
      data = server_->ReadMemory(address, length);
      return data.status();
    });
    if (!status.ok()) {
      return status;
    }
    return data;
  }

  absl::Status WriteMemory(uint64_t address, std::span<const uint8_t> bytes) override {
    if (bytes.size() > kMaxMemoryAccess) {
      return absl::InvalidArgumentError(absl::StrCat("cannot write ", bytes.size(),
                                                     " bytes at once to ", Label(), ": at most ",
                                                     kMaxMemoryAccess));
    }
    return Operate("memory write",
                   [&]() -> absl::Status { return server_->WriteMemory(address, bytes); });
  }

  // OpenOCD serves gdb beside its Tcl port, so the device's own operations go on while a
  // debugger is attached (they act on the same target: a flash under a debugger is the user's
  // choice). The lease only makes sure the server runs.
  absl::StatusOr<std::unique_ptr<DebugLease>> LendDebugServer() override {
    std::string address;
    absl::Status up = Operate("debug", [&]() -> absl::Status {
      address = server_->gdb_address();
      return absl::OkStatus();
    });
    if (!up.ok()) {
      return up;
    }
    class Lease final : public DebugLease {
     public:
      explicit Lease(std::string address) : address_(std::move(address)) {}
      const std::string &address() const override { return address_; }

     private:
      std::string address_;
    };
    return std::unique_ptr<DebugLease>(std::make_unique<Lease>(address));
  }

  void Shutdown() override {
    if (!MarkDeleted()) {
      return;
    }
    // SIGTERM without the operation lock: OpenOCD shuts down cleanly (releasing the probe) and
    // an operation in progress fails at once instead of holding the caller. One that does not
    // end within a second (stuck in a USB transfer) is killed.
    auto signal_server = [this](int sig) {
      std::lock_guard lock(mu_);
      if (server_ == nullptr || !server_->running()) {
        return false;
      }
      server_->process().Signal(sig);
      return true;
    };
    if (signal_server(SIGTERM)) {
      absl::Time deadline = absl::Now() + absl::Seconds(1);
      while (absl::Now() < deadline && signal_server(0)) {
        absl::SleepFor(absl::Milliseconds(10));
      }
      signal_server(SIGKILL);
    }
    {
      std::lock_guard op(op_mu_);
      StopServerLocked();
      CloseConsoleLocked();
    }
    RemoveRunDir(runner_.run_dir);
    console_.Close(absl::StrCat("device ", Label(), " was deleted"));
  }

 private:
  absl::Status CheckImage(const std::string &image) const {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(image, ec)) {
      return absl::NotFoundError(absl::StrCat("cannot flash ", image, " to ", Label(),
                                              ": no such file; build the application first"));
    }
    int fd = open(image.c_str(), O_RDONLY | O_CLOEXEC);
    char magic[4] = {};
    ssize_t n = fd >= 0 ? read(fd, magic, sizeof magic) : -1;
    if (fd >= 0) {
      close(fd);
    }
    if (n == 4 && memcmp(magic, ELFMAG, SELFMAG) == 0) {
      absl::StatusOr<elf::ElfFile> elf = elf::ElfFile::Load(image);
      if (!elf.ok()) {
        return absl::Status(
            elf.status().code(),
            absl::StrCat("cannot flash ", image, " to ", Label(), ": ", elf.status().message()));
      }
      uint16_t want = spec_.board.arch == "arm"                 ? EM_ARM
                      : spec_.board.arch.rfind("riscv", 0) == 0 ? EM_RISCV
                                                                : elf->machine();
      if (elf->machine() != want) {
        return absl::InvalidArgumentError(
            absl::StrCat("cannot flash ", image, " to ", Label(), ": the image is for ELF machine ",
                         elf->machine(), " but the board ", spec_.board.name, " is ",
                         spec_.board.arch, "; build the application for this board"));
      }
      return absl::OkStatus();
    }
    if (n >= 1 && magic[0] == ':') {
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot flash ", image, " to ", Label(),
        ": it is neither an ELF nor an Intel HEX image; flash BUILD/gale/gale.elf or gale.hex"));
  }

  // Runs `body` with OpenOCD up, under the operation lock; errors get the operation's name.
  absl::Status Operate(absl::string_view operation, const std::function<absl::Status()> &body) {
    std::lock_guard op(op_mu_);
    if (deleted()) {
      return DeletedError();
    }
    RefreshConsoleLocked();
    DeviceState before = Info().state;
    if (absl::Status up = EnsureServerLocked(); !up.ok()) {
      return FailLocked(up, operation, before);
    }
    absl::Status status = body();
    if (!status.ok()) {
      return FailLocked(status, operation, before);
    }
    return absl::OkStatus();
  }

  absl::Status EnsureServerLocked() {
    if (server_ != nullptr && server_->running()) {
      return absl::OkStatus();
    }
    StopServerLocked();
    absl::StatusOr<std::unique_ptr<runners::OpenOcdServer>> server =
        runners::OpenOcdServer::Start(runner_);
    if (!server.ok()) {
      return server.status();
    }
    std::string gdb = (*server)->gdb_address();
    {
      std::lock_guard lock(mu_);
      server_ = std::move(*server);
    }
    Update([&](DeviceInfo &info) { info.gdb_address = gdb; });
    return absl::OkStatus();
  }

  void StopServerLocked() {
    std::unique_ptr<runners::OpenOcdServer> server;
    {
      std::lock_guard lock(mu_);
      server = std::move(server_);
    }
    // The destructor asks OpenOCD to shut down (or kills it).
    server.reset();
  }

  // The error of a failed operation, naming it and the device. When OpenOCD has gone (it could
  // not reach the probe, or timed out and was stopped) the device is offline with that reason;
  // otherwise it keeps `state`.
  absl::Status FailLocked(const absl::Status &cause, absl::string_view operation,
                          DeviceState state) {
    if (deleted()) {
      return DeletedError();
    }
    bool alive;
    {
      std::lock_guard lock(mu_);
      alive = server_ != nullptr && server_->running();
    }
    absl::Status status = WithContext(cause, absl::StrCat(operation, " failed"));
    // The message names the device already when it comes from the runner.
    if (!absl::StrContains(status.message(), Label())) {
      status = WithContext(cause, absl::StrCat(operation, " on ", Label(), " failed"));
    }
    Update([&](DeviceInfo &info) {
      info.state = alive ? state : DeviceState::kOffline;
      info.error = alive ? std::string() : std::string(cause.message());
      if (!alive) {
        info.gdb_address.clear();
      }
    });
    return status;
  }

  // Why the console shows nothing, for readers; a repeated reason is not reported again.
  void ConsoleProblem(const std::string &problem) {
    {
      std::lock_guard lock(console_mu_);
      if (problem == console_problem_) {
        return;
      }
      console_problem_ = problem;
    }
    console_.MarkStopped(problem);
  }

  // A new run of the image begins; a console without its tty keeps saying why.
  void MarkRunStartedLocked() {
    console_.MarkStarted();
    std::string problem;
    {
      std::lock_guard lock(console_mu_);
      problem = console_problem_;
    }
    if (!problem.empty()) {
      console_.MarkStopped(problem);
    }
  }

  // A tty that went away (the probe was unplugged and plugged in again) or could not be opened
  // is tried again at each operation.
  void RefreshConsoleLocked() {
    if (spec_.tty.empty() || (tty_fd_ >= 0 && !console_gone_)) {
      return;
    }
    CloseConsoleLocked();
    OpenConsoleLocked();
  }

  void OpenConsoleLocked() {
    if (spec_.tty.empty()) {
      ConsoleProblem(
          absl::StrCat(Label(),
                       " has no serial console: its probe has no virtual COM port (tty); use RTT "
                       "(gale rtt) or wire a USB-serial adapter"));
      return;
    }
    std::string error;
    int fd = OpenTty(spec_.tty, options_.console_baud, error);
    if (fd < 0) {
      ConsoleProblem(absl::StrCat("the console of ", Label(), " is unavailable: ", error));
      return;
    }
    int wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake < 0) {
      close(fd);
      ConsoleProblem(
          absl::StrCat("the console of ", Label(), " is unavailable: eventfd: ", strerror(errno)));
      return;
    }
    {
      std::lock_guard lock(console_mu_);
      console_problem_.clear();
    }
    console_gone_ = false;
    tty_fd_ = fd;
    wake_fd_ = wake;
    console_.SetInputSink([this, fd](std::string_view bytes) { return WriteTty(fd, bytes); });
    reader_ = std::thread([this, fd, wake] { ReaderMain(fd, wake); });
  }

  void CloseConsoleLocked() {
    if (tty_fd_ < 0) {
      return;
    }
    uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
    if (reader_.joinable()) {
      reader_.join();
    }
    console_.SetInputSink(nullptr);
    close(tty_fd_);
    close(wake_fd_);
    tty_fd_ = -1;
    wake_fd_ = -1;
  }

  absl::Status WriteTty(int fd, std::string_view bytes) {
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (!bytes.empty()) {
      ssize_t n = write(fd, bytes.data(), bytes.size());
      if (n >= 0) {
        bytes.remove_prefix(static_cast<size_t>(n));
        continue;
      }
      if (errno == EINTR) {
        continue;
      }
      if (errno != EAGAIN) {
        return absl::UnavailableError(absl::StrCat("cannot send input to ", spec_.tty, " (",
                                                   Label(), "): ", strerror(errno)));
      }
      absl::Duration left = deadline - absl::Now();
      if (left <= absl::ZeroDuration()) {
        return absl::ResourceExhaustedError(absl::StrCat(spec_.tty, " (", Label(),
                                                         ") has taken no input for 5 s; ",
                                                         bytes.size(), " bytes were not sent"));
      }
      pollfd pfd{fd, POLLOUT, 0};
      poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    }
    return absl::OkStatus();
  }

  // Copies the tty into the console until Shutdown wakes it or the tty goes away (unplugged).
  void ReaderMain(int fd, int wake) {
    char buffer[4096];
    while (true) {
      pollfd pfds[2] = {{fd, POLLIN, 0}, {wake, POLLIN, 0}};
      int ready = poll(pfds, 2, -1);
      if (ready < 0) {
        if (errno == EINTR) {
          continue;
        }
        break;
      }
      if (pfds[1].revents != 0) {
        return;  // closing: the owner reports nothing
      }
      ssize_t n = read(fd, buffer, sizeof buffer);
      if (n > 0) {
        console_.Write(std::string_view(buffer, static_cast<size_t>(n)));
        continue;
      }
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        continue;
      }
      console_.SetInputSink(nullptr);
      console_gone_ = true;
      ConsoleProblem(absl::StrCat("the console of ", Label(), " (", spec_.tty, ") went away",
                                  n < 0 ? absl::StrCat(": ", strerror(errno)) : std::string(),
                                  "; replug the probe; the next operation opens it again"));
      break;
    }
    // Wait for the owner to close; the tty stays open until then so fd numbers stay ours.
    pollfd wait_wake{wake, POLLIN, 0};
    while (poll(&wait_wake, 1, -1) < 0 && errno == EINTR) {
    }
  }

  const PhysicalDeviceSpec spec_;
  const runners::OpenOcdOptions runner_;
  const OpenOcdDeviceOptions options_;
  std::mutex op_mu_;                                ///< one operation at a time
  std::unique_ptr<runners::OpenOcdServer> server_;  ///< replaced under op_mu_ and mu_
  int tty_fd_ = -1;                                 ///< guarded by op_mu_
  int wake_fd_ = -1;                                ///< eventfd that stops the reader
  std::thread reader_;
  std::atomic<bool> console_gone_{false};  ///< the reader saw the tty go away
  std::mutex console_mu_;                  ///< guards console_problem_
  std::string console_problem_;            ///< why the console is silent; empty when it works
};

}  // namespace

absl::StatusOr<std::shared_ptr<Device>> CreateOpenOcdDevice(const PhysicalDeviceSpec &spec,
                                                            const std::string &run_dir,
                                                            const OpenOcdDeviceOptions &options) {
  if (spec.serial.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("a physical device needs its probe's serial number (device '", spec.name,
                     "', board ", spec.board.name, ")"));
  }
  if (run_dir.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no run folder given for the device with serial ", spec.serial));
  }
  absl::StatusOr<runners::OpenOcdOptions> runner =
      runners::OpenOcdOptionsForBoard(spec.board, spec.serial);
  if (!runner.ok()) {
    return WithContext(runner.status(),
                       absl::StrCat("cannot drive the probe with serial ", spec.serial));
  }
  runner->binary = options.openocd_binary;
  runner->commands = options.extra_commands;
  runner->run_dir = run_dir;
  runner->label = spec.name.empty() ? absl::StrCat("probe ", spec.serial)
                                    : absl::StrCat(spec.name, " (serial ", spec.serial, ")");
  runner->start_timeout = options.start_timeout;
  runner->command_timeout = options.command_timeout;
  runner->flash_timeout = options.flash_timeout;

  DeviceInfo info;
  info.id = spec.serial;
  info.name = spec.name.empty() ? spec.serial : spec.name;
  info.board = spec.board.name;
  info.kind = DeviceKind::kPhysical;
  info.state = DeviceState::kRunning;
  info.created = absl::Now();
  auto device = std::make_shared<OpenOcdDevice>(std::move(info), spec, std::move(*runner), options);
  device->StartConsole();
  return device;
}

PhysicalDeviceFactory MakeOpenOcdDeviceFactory(OpenOcdDeviceOptions options) {
  return [options = std::move(options)](
             const PhysicalDeviceSpec &spec,
             const std::string &run_dir) -> absl::StatusOr<std::shared_ptr<Device>> {
    return CreateOpenOcdDevice(spec, run_dir, options);
  };
}

}  // namespace gale::devices
