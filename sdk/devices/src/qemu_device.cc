// A board emulated by QEMU: the emulator process (gale::runners::QemuInstance), a thread that
// copies its UART into the console, and per-operation gdb connections to its gdbstub.
//
// Why one gdb connection per operation rather than one for the device's life: QEMU's gdbstub
// serves a single client, so holding it would lock out a user's debugger (gale debug). The
// connection is cheap (a unix socket and a qSupported exchange). Connecting pauses the VM;
// closing leaves it paused, or running after a `c`. The exception is memory sessions (RTT
// polls, hundreds a second): they keep their connection between sessions, interrupting and
// continuing the VM over it, until any other operation needs the stub.
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "emulated_devices.h"
#include "gale/elf/elf_file.h"
#include "gale/gdb/client.h"
#include "input.h"

namespace gale::devices {

namespace {

constexpr size_t kMaxMemoryAccess = 1 << 20;

std::string StateDuring(DeviceState state) {
  switch (state) {
    case DeviceState::kFlashing:
      return "during flash";
    case DeviceState::kRunning:
      return "while running";
    case DeviceState::kHalted:
      return "while halted";
    case DeviceState::kExited:
    case DeviceState::kOffline:
      break;
  }
  return "";
}

absl::Status WithContext(const absl::Status &status, absl::string_view context) {
  return absl::Status(status.code(), absl::StrCat(context, ": ", status.message()));
}

class QemuDevice final : public DeviceBase {
 public:
  QemuDevice(DeviceInfo info, runners::QemuOptions options, const DeviceTimeouts &timeouts,
             size_t console_capacity)
      : DeviceBase(std::move(info), console_capacity),
        options_(std::move(options)),
        timeouts_(timeouts) {
    options_.start_timeout = timeouts.emulator_start;
  }
  ~QemuDevice() override { Shutdown(); }

  absl::Status Start() {
    std::lock_guard op(op_mu_);
    absl::Status status = StartInstanceLocked();
    if (!status.ok()) {
      Update([&](DeviceInfo &info) {
        info.state = DeviceState::kOffline;
        info.error = std::string(status.message());
      });
    }
    return status;
  }

  absl::StatusOr<FlashResult> Flash(const std::string &image,
                                    const FlashOptions &options) override {
    absl::StatusOr<elf::ElfFile> elf = LoadImage(image);
    if (!elf.ok()) {
      return elf.status();
    }
    std::lock_guard op(op_mu_);
    if (deleted()) {
      return DeletedError();
    }
    if (debugger_) {
      return DebuggerAttachedError();
    }
    Update([](DeviceInfo &info) {
      info.state = DeviceState::kFlashing;
      info.error.clear();
    });
    absl::StatusOr<FlashResult> result = LoadLocked(*elf, image, options, options.verify);
    if (!result.ok()) {
      return FailLocked(result.status(), "flash");
    }
    return result;
  }

  absl::Status Reset(bool halt) override {
    std::lock_guard op(op_mu_);
    if (deleted()) {
      return DeletedError();
    }
    std::string image = Info().image;
    if (!AliveLocked()) {
      // A fresh emulator has blank memory: bring the last image back.
      if (image.empty() || halt) {
        if (absl::Status status = StartInstanceLocked(); !status.ok()) {
          return FailLocked(status, "reset");
        }
        Update([](DeviceInfo &info) { info.state = DeviceState::kHalted; });
        return absl::OkStatus();
      }
      absl::StatusOr<elf::ElfFile> elf = LoadImage(image);
      if (!elf.ok()) {
        return WithContext(elf.status(), absl::StrCat("cannot reload ", image, " on reset"));
      }
      FlashOptions options;
      absl::StatusOr<FlashResult> result = LoadLocked(*elf, image, options, /*verify=*/false);
      return result.ok() ? absl::OkStatus() : FailLocked(result.status(), "reset");
    }
    absl::StatusOr<std::unique_ptr<gdb::Client>> client = ConnectGdbLocked();
    if (!client.ok()) {
      return FailLocked(client.status(), "reset");
    }
    if (absl::Status status = SystemResetLocked(**client); !status.ok()) {
      return FailLocked(status, "reset");
    }
    if (halt || !loaded_) {
      Update([](DeviceInfo &info) { info.state = DeviceState::kHalted; });
      return absl::OkStatus();
    }
    if (absl::Status status = RunLocked(**client); !status.ok()) {
      return FailLocked(status, "reset");
    }
    return absl::OkStatus();
  }

  absl::Status Halt() override {
    std::lock_guard op(op_mu_);
    if (absl::Status status = RequireAliveLocked("halt"); !status.ok()) {
      return status;
    }
    absl::StatusOr<std::unique_ptr<gdb::Client>> client = ConnectGdbLocked();
    if (!client.ok()) {
      return FailLocked(client.status(), "halt");
    }
    // Connecting has paused the VM already; '?' confirms the stub agrees.
    absl::StatusOr<gdb::StopReply> stop = (*client)->Interrupt(timeouts_.gdb_reply);
    if (!stop.ok()) {
      return FailLocked(stop.status(), "halt");
    }
    Update([](DeviceInfo &info) { info.state = DeviceState::kHalted; });
    return absl::OkStatus();
  }

  absl::Status Resume() override {
    std::lock_guard op(op_mu_);
    if (absl::Status status = RequireAliveLocked("resume"); !status.ok()) {
      return status;
    }
    absl::StatusOr<std::unique_ptr<gdb::Client>> client = ConnectGdbLocked();
    if (!client.ok()) {
      return FailLocked(client.status(), "resume");
    }
    Update([](DeviceInfo &info) { info.state = DeviceState::kRunning; });
    if (absl::Status status = (*client)->Continue(); !status.ok()) {
      return FailLocked(status, "resume");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<uint8_t>> ReadMemory(uint64_t address, size_t length) override {
    if (length > kMaxMemoryAccess) {
      return absl::InvalidArgumentError(absl::StrCat("cannot read ", length, " bytes at once from ",
                                                     id_, ": at most ", kMaxMemoryAccess));
    }
    std::lock_guard op(op_mu_);
    absl::StatusOr<std::vector<uint8_t>> data;
    absl::Status status = WithPausedLocked("memory read", [&](gdb::Client &client) {
      data = client.ReadMemory(address, length);
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
                                                     " bytes at once to ", id_, ": at most ",
                                                     kMaxMemoryAccess));
    }
    std::lock_guard op(op_mu_);
    return WithPausedLocked(
        "memory write", [&](gdb::Client &client) { return client.WriteMemory(address, bytes); });
  }

  absl::StatusOr<std::unique_ptr<MemorySession>> OpenMemorySession() override {
    std::unique_lock op(op_mu_);
    if (absl::Status status = RequireAliveLocked("memory session"); !status.ok()) {
      return status;
    }
    const bool was_running = Info().state == DeviceState::kRunning;
    if (session_client_ != nullptr && session_client_->running()) {
      // Paused over the kept connection; a broken one is replaced below.
      if (absl::StatusOr<gdb::StopReply> stop = session_client_->Interrupt(timeouts_.gdb_reply);
          !stop.ok()) {
        session_client_.reset();
      }
    }
    if (session_client_ == nullptr) {
      absl::StatusOr<std::unique_ptr<gdb::Client>> client = ConnectGdbLocked();
      if (!client.ok()) {
        return FailLocked(client.status(), "memory session");
      }
      session_client_ = *std::move(client);
    }
    return std::unique_ptr<MemorySession>(
        std::make_unique<Session>(*this, std::move(op), was_running));
  }

  absl::StatusOr<std::unique_ptr<DebugLease>> LendDebugServer() override {
    std::lock_guard op(op_mu_);
    if (absl::Status status = RequireAliveLocked("debug"); !status.ok()) {
      return status;
    }
    if (debugger_) {
      return absl::FailedPreconditionError(
          absl::StrCat("a debugger is already attached to ", id_, "; QEMU serves one at a time"));
    }
    session_client_.reset();  // the stub serves one client: the debugger
    debugger_ = true;
    return std::unique_ptr<DebugLease>(std::make_unique<Lease>(*this, Info().gdb_address));
  }

  void Shutdown() override {
    if (!MarkDeleted()) {
      return;
    }
    // Kill first, without the operation lock: an operation in progress then fails at once
    // instead of making the caller wait for it.
    {
      std::lock_guard lock(mu_);
      if (instance_ != nullptr) {
        instance_->qemu->process().Signal(SIGKILL);
      }
    }
    {
      std::lock_guard op(op_mu_);
      StopInstanceLocked();
    }
    RemoveRunDir(options_.run_dir);
    console_.Close(absl::StrCat("device ", id_, " was deleted"));
  }

 private:
  class Lease final : public DebugLease {
   public:
    Lease(QemuDevice &device, std::string address)
        : device_(device), address_(std::move(address)) {}
    ~Lease() override { device_.EndDebug(); }
    const std::string &address() const override { return address_; }

   private:
    QemuDevice &device_;
    std::string address_;
  };

  absl::Status DebuggerAttachedError() const {
    return absl::FailedPreconditionError(absl::StrCat(
        "a debugger is attached to ", id_, " (gale debug); detach it (gdb: detach) and retry"));
  }

  // After a debugger: the image runs again (gdb's detach resumes it; a debugger that just went
  // away may have left it stopped).
  void EndDebug() {
    std::lock_guard op(op_mu_);
    debugger_ = false;
    if (deleted() || !AliveLocked() || !loaded_) {
      return;
    }
    absl::StatusOr<std::unique_ptr<gdb::Client>> client = ConnectGdbLocked();
    if (client.ok() && RunLocked(**client).ok()) {
      return;
    }
    Update([](DeviceInfo &info) { info.state = DeviceState::kHalted; });
  }

  // Holds the operation lock and the paused VM from OpenMemorySession() to its destruction.
  class Session final : public MemorySession {
   public:
    Session(QemuDevice &device, std::unique_lock<std::mutex> op, bool resume)
        : device_(device), op_(std::move(op)), resume_(resume) {}
    ~Session() override {
      if (device_.session_client_ == nullptr) {
        return;
      }
      if (resume_ && !device_.session_client_->Continue().ok()) {
        device_.session_client_.reset();
      } else if (!resume_) {
        // A halted device keeps no connection: nothing will interrupt it, and a debugger may
        // want the stub.
        device_.session_client_.reset();
      }
    }
    absl::StatusOr<std::vector<uint8_t>> Read(uint64_t address, size_t length) override {
      if (length > kMaxMemoryAccess) {
        return absl::InvalidArgumentError(absl::StrCat("cannot read ", length,
                                                       " bytes at once from ", device_.id_,
                                                       ": at most ", kMaxMemoryAccess));
      }
      if (device_.session_client_ == nullptr) {
        return absl::FailedPreconditionError("the memory session's connection broke");
      }
      absl::StatusOr<std::vector<uint8_t>> data =
          device_.session_client_->ReadMemory(address, length);
      if (!data.ok()) {
        return Fail(data.status(), "memory read");
      }
      return data;
    }
    absl::Status Write(uint64_t address, std::span<const uint8_t> data) override {
      if (data.size() > kMaxMemoryAccess) {
        return absl::InvalidArgumentError(absl::StrCat("cannot write ", data.size(),
                                                       " bytes at once to ", device_.id_,
                                                       ": at most ", kMaxMemoryAccess));
      }
      if (device_.session_client_ == nullptr) {
        return absl::FailedPreconditionError("the memory session's connection broke");
      }
      absl::Status written = device_.session_client_->WriteMemory(address, data);
      return written.ok() ? written : Fail(written, "memory write");
    }

   private:
    // A failed access may have left the connection in any state: drop it.
    absl::Status Fail(const absl::Status &cause, absl::string_view what) {
      device_.session_client_.reset();
      return device_.FailLocked(cause, what);
    }
    QemuDevice &device_;
    std::unique_lock<std::mutex> op_;
    bool resume_;
  };

  struct Instance {
    std::unique_ptr<runners::QemuInstance> qemu;
    std::thread reader;
    uint64_t generation = 0;
    std::atomic<bool> stopping{false};
  };

  absl::StatusOr<elf::ElfFile> LoadImage(const std::string &image) const {
    absl::StatusOr<elf::ElfFile> elf = elf::ElfFile::Load(image);
    if (!elf.ok()) {
      return absl::Status(elf.status().code(), absl::StrCat("cannot flash ", image, " to ", id_,
                                                            ": ", elf.status().message()));
    }
    uint16_t want = absl::StartsWith(options_.arch, "riscv") ? EM_RISCV : EM_ARM;
    if (elf->machine() != want) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot flash ", image, " to ", id_, ": the image is for ELF machine ",
                       elf->machine(), " but the board ", Info().board, " is ", options_.arch, " (",
                       want, "); build the application for this board"));
    }
    return elf;
  }

  bool AliveLocked() const {
    std::lock_guard lock(mu_);
    return instance_ != nullptr && instance_->qemu->process().running();
  }

  absl::Status RequireAliveLocked(absl::string_view operation) const {
    if (deleted()) {
      return DeletedError();
    }
    if (!AliveLocked()) {
      DeviceInfo info = Info();
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot ", operation, " device ", id_, ": its emulator is not running (the device is ",
          std::string(DeviceStateName(info.state)), info.error.empty() ? "" : ": ", info.error,
          "); flash or reset it first"));
    }
    return absl::OkStatus();
  }

  // Starts a new emulator, held at reset, replacing any previous one.
  absl::Status StartInstanceLocked() {
    StopInstanceLocked();
    absl::StatusOr<std::unique_ptr<runners::QemuInstance>> qemu =
        runners::QemuInstance::Start(options_);
    if (!qemu.ok()) {
      return WithContext(qemu.status(), absl::StrCat("cannot start the emulator of ", id_));
    }
    auto instance = std::make_shared<Instance>();
    instance->qemu = std::move(*qemu);
    instance->generation = next_generation_++;
    loaded_ = false;
    {
      std::lock_guard lock(mu_);
      instance_ = instance;
      info_.gdb_address = instance->qemu->gdb_address();
      info_.console_address = instance->qemu->uart_address();
    }
    Instance *raw = instance.get();
    console_.SetInputSink([raw, what = absl::StrCat("the UART of ", id_)](std::string_view bytes) {
      return SendInputBytes(raw->qemu->uart_input_fd(), bytes, what);
    });
    instance->reader = std::thread([this, raw] { ReaderMain(raw); });
    return absl::OkStatus();
  }

  void StopInstanceLocked() {
    session_client_.reset();
    std::shared_ptr<Instance> instance;
    {
      std::lock_guard lock(mu_);
      instance = instance_;
    }
    if (instance == nullptr) {
      return;
    }
    instance->stopping = true;
    // The reader sees the end of the UART once QEMU is gone.
    instance->qemu->Stop();
    if (instance->reader.joinable()) {
      instance->reader.join();
    }
    console_.SetInputSink(nullptr);
    std::lock_guard lock(mu_);
    if (instance_ == instance) {
      instance_.reset();
    }
  }

  // Copies the UART into the console until QEMU goes away, then reports how it went.
  void ReaderMain(Instance *instance) {
    PumpToConsole(instance->qemu->uart_fd());
    // The UART closes when QEMU ends; its exit status follows from the reaper.
    std::optional<runners::ExitStatus> status;
    while (!instance->stopping && !status.has_value()) {
      status = instance->qemu->process().Wait(absl::Milliseconds(200));
    }
    if (instance->stopping) {
      return;
    }
    OnInstanceEnded(*instance, *status);
  }

  void OnInstanceEnded(Instance &instance, const runners::ExitStatus &status) {
    std::string tail = instance.qemu->OutputTail();
    // QEMU catches SIGTERM, SIGINT and SIGHUP and exits with status 0: not the image's verdict.
    bool terminated = !status.signaled && absl::StrContains(tail, "terminating on signal");
    bool exited = false;
    int exit_code = 0;
    std::string error;
    {
      std::lock_guard lock(mu_);
      if (deleted_ || instance_ == nullptr || instance_->generation != instance.generation) {
        return;
      }
      if (info_.state == DeviceState::kRunning && !status.signaled && !terminated) {
        exited = true;
        exit_code = status.code;
        info_.state = DeviceState::kExited;
        info_.exit_code = exit_code;
        info_.error.clear();
      } else {
        error = absl::StrCat(options_.binary, " ",
                             terminated ? "was terminated by a signal" : status.Describe(), " ",
                             StateDuring(info_.state), tail.empty() ? "" : ": ", tail);
        info_.state = DeviceState::kOffline;
        info_.error = error;
      }
      cv_.notify_all();
    }
    console_.SetInputSink(nullptr);
    if (exited) {
      console_.MarkExited(exit_code);
    } else {
      console_.MarkStopped(error);
    }
    Notify();
  }

  absl::StatusOr<std::unique_ptr<gdb::Client>> ConnectGdbLocked() {
    if (debugger_) {
      return DebuggerAttachedError();
    }
    // The stub serves one client: a memory session's kept connection goes first (the VM keeps
    // running if it ran; connecting anew pauses it).
    session_client_.reset();
    std::string address = Info().gdb_address;
    absl::Time deadline = absl::Now() + absl::Seconds(3);
    absl::StatusOr<std::unique_ptr<gdb::Transport>> transport;
    while (true) {
      // QEMU creates the socket file an instant before it listens on it.
      transport = gdb::Connect(address, absl::Seconds(2));
      if (transport.ok() || !AliveLocked() || absl::Now() > deadline) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    if (!transport.ok()) {
      return WithContext(transport.status(),
                         absl::StrCat("cannot connect to the gdbstub of ", id_));
    }
    gdb::ClientOptions client_options;
    client_options.reply_timeout = timeouts_.gdb_reply;
    auto client = std::make_unique<gdb::Client>(std::move(*transport), client_options);
    if (absl::Status status = client->Handshake(); !status.ok()) {
      if (absl::IsDeadlineExceeded(status)) {
        return absl::UnavailableError(
            absl::StrCat("the gdbstub of ", id_, " at ", address,
                         " does not answer: is a debugger attached "
                         "to it? QEMU serves one at a time; detach it and retry (",
                         status.message(), ")"));
      }
      return WithContext(status, absl::StrCat("gdb handshake with ", id_, " failed"));
    }
    return client;
  }

  // QEMU hands qRcmd to its internal monitor even without -monitor: a machine reset (devices,
  // interrupt controller, timers) that keeps memory, with the VM still paused.
  absl::Status SystemResetLocked(gdb::Client &client) {
    absl::StatusOr<std::string> out = client.Monitor("system_reset");
    if (!out.ok()) {
      return WithContext(out.status(), "monitor system_reset");
    }
    return absl::OkStatus();
  }

  // Loads (and optionally verifies) `elf`, and runs it when options.run. Starts an emulator if
  // none is up; resets one that already ran something so no peripheral state carries over.
  absl::StatusOr<FlashResult> LoadLocked(const elf::ElfFile &elf, const std::string &image,
                                         const FlashOptions &options, bool verify) {
    if (!AliveLocked()) {
      if (absl::Status status = StartInstanceLocked(); !status.ok()) {
        return status;
      }
    }
    absl::StatusOr<std::unique_ptr<gdb::Client>> client = ConnectGdbLocked();
    if (!client.ok()) {
      return client.status();
    }
    if (loaded_) {
      if (absl::Status status = SystemResetLocked(**client); !status.ok()) {
        return status;
      }
    }
    FlashOptions load = options;
    load.verify = verify;
    load.run = false;  // RunLocked() starts it, after the state says so
    loaded_ = true;
    absl::StatusOr<FlashResult> result = runners::GdbRemoteFlash(**client, elf, load);
    if (!result.ok()) {
      return result.status();
    }
    Update([&](DeviceInfo &info) {
      info.image = image;
      info.state = DeviceState::kHalted;
    });
    if (options.run) {
      if (absl::Status status = RunLocked(**client); !status.ok()) {
        return status;
      }
    }
    return result;
  }

  // Lets the loaded image run from where the CPU is. The state says kRunning before the CPU
  // runs, so an image that exits at once is seen exiting, not dying.
  absl::Status RunLocked(gdb::Client &client) {
    console_.MarkStarted();
    Update([](DeviceInfo &info) {
      info.state = DeviceState::kRunning;
      info.exit_code = 0;
    });
    return client.Continue();
  }

  // Runs `access` with the CPU paused (connecting pauses it) and lets it run again if it ran.
  absl::Status WithPausedLocked(absl::string_view what,
                                const std::function<absl::Status(gdb::Client &)> &access) {
    if (absl::Status status = RequireAliveLocked(what); !status.ok()) {
      return status;
    }
    bool was_running = Info().state == DeviceState::kRunning;
    absl::StatusOr<std::unique_ptr<gdb::Client>> client = ConnectGdbLocked();
    if (!client.ok()) {
      return FailLocked(client.status(), what);
    }
    absl::Status status = access(**client);
    if (was_running) {
      absl::Status resumed = (*client)->Continue();
      if (status.ok() && !resumed.ok()) {
        status = resumed;
      }
    }
    if (!status.ok()) {
      return FailLocked(status, what);
    }
    return absl::OkStatus();
  }

  // The error of a failed operation. When the emulator died meanwhile, that is the error
  // ("qemu-system-arm exited with status 1 during flash: ..."), not the broken connection it
  // caused; otherwise the device is left halted with the operation's own error.
  absl::Status FailLocked(const absl::Status &cause, absl::string_view operation) {
    std::shared_ptr<Instance> instance;
    {
      std::lock_guard lock(mu_);
      instance = instance_;
    }
    if (instance != nullptr) {
      // The connection breaks an instant before the reaper sees the process end.
      std::optional<runners::ExitStatus> status;
      if (absl::IsUnavailable(cause) || absl::IsDeadlineExceeded(cause) || absl::IsAborted(cause)) {
        status = instance->qemu->process().Wait(absl::Seconds(1));
      } else {
        status = instance->qemu->process().exit_status();
      }
      if (status.has_value()) {
        // The reader thread records the death (state offline, console stopped); wait for it
        // so that the caller sees the device as it now is.
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, std::chrono::seconds(2), [&] {
          return deleted_ || info_.state == DeviceState::kOffline ||
                 info_.state == DeviceState::kExited;
        });
        if (deleted_) {
          return DeletedError();
        }
        std::string tail = instance->qemu->OutputTail();
        return absl::UnavailableError(absl::StrCat(options_.binary, " ", status->Describe(),
                                                   " during ", operation, " on ", id_,
                                                   tail.empty() ? "" : ": ", tail));
      }
    }
    if (deleted()) {
      return DeletedError();
    }
    Update([&](DeviceInfo &info) {
      if (info.state == DeviceState::kFlashing) {
        info.state = DeviceState::kHalted;
      }
    });
    return WithContext(cause, absl::StrCat(operation, " on ", id_, " failed"));
  }

  runners::QemuOptions options_;
  DeviceTimeouts timeouts_;
  std::mutex op_mu_;                    ///< one operation (and gdb connection) at a time
  /// The connection memory sessions keep (guarded by op_mu_): running (after `c`) between
  /// sessions of a running device; null when another operation took the stub.
  std::unique_ptr<gdb::Client> session_client_;
  bool debugger_ = false;  ///< a DebugLease holds the stub (guarded by op_mu_)
  std::shared_ptr<Instance> instance_;  ///< replaced under op_mu_ and mu_; read under either
  uint64_t next_generation_ = 1;        ///< guarded by op_mu_
  bool loaded_ = false;  ///< something was loaded into the current instance; guarded by op_mu_
};

}  // namespace

absl::StatusOr<std::shared_ptr<Device>> CreateQemuDevice(DeviceInfo info,
                                                         runners::QemuOptions options,
                                                         const DeviceTimeouts &timeouts,
                                                         size_t console_capacity) {
  info.state = DeviceState::kHalted;
  auto device =
      std::make_shared<QemuDevice>(std::move(info), std::move(options), timeouts, console_capacity);
  if (absl::Status status = device->Start(); !status.ok()) {
    device->Shutdown();
    return status;
  }
  return device;
}

}  // namespace gale::devices
