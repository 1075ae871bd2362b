// native_sim: the image is a Linux program. "Flash" remembers it, "run" starts it as a child
// process (stdout and stderr into the console, console input to its stdin), reset restarts it,
// halt and resume are SIGSTOP and SIGCONT. Memory is the running program's, read and written
// while it runs, as a debug probe does on a board (RTT, `gale trace`); Gale links native_sim
// images at fixed addresses, so the ELF's addresses are the program's.
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "emulated_devices.h"
#include "gale/elf/elf_file.h"
#include "gale/runners/child_process.h"
#include "input.h"

namespace gale::devices {

namespace {

#if defined(__x86_64__)
constexpr uint16_t kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr uint16_t kHostMachine = EM_AARCH64;
#elif defined(__i386__)
constexpr uint16_t kHostMachine = EM_386;
#else
constexpr uint16_t kHostMachine = 0;  // not checked
#endif

class NativeDevice final : public DeviceBase {
 public:
  NativeDevice(DeviceInfo info, std::string run_dir, size_t console_capacity, bool real_time)
      : DeviceBase(std::move(info), console_capacity),
        run_dir_(std::move(run_dir)),
        real_time_(real_time) {}
  ~NativeDevice() override { Shutdown(); }

  absl::StatusOr<FlashResult> Flash(const std::string &image,
                                    const FlashOptions &options) override {
    absl::StatusOr<elf::ElfFile> elf = elf::ElfFile::Load(image);
    if (!elf.ok()) {
      return absl::Status(elf.status().code(), absl::StrCat("cannot flash ", image, " to ", id_,
                                                            ": ", elf.status().message()));
    }
    if (kHostMachine != 0 && elf->machine() != kHostMachine &&
        !(kHostMachine == EM_X86_64 && elf->machine() == EM_386)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "cannot flash ", image, " to ", id_, ": the image is for ELF machine ", elf->machine(),
          ", not this host's (", kHostMachine, "); build the application for native_sim"));
    }
    if (access(image.c_str(), X_OK) != 0) {
      return absl::InvalidArgumentError(absl::StrCat("cannot flash ", image, " to ", id_,
                                                     ": it is not executable (", strerror(errno),
                                                     "); native_sim runs BUILD/gale/gale.exe"));
    }
    struct stat st {};
    stat(image.c_str(), &st);
    const uint64_t size = static_cast<uint64_t>(st.st_size);

    std::lock_guard op(op_mu_);
    if (deleted()) {
      return DeletedError();
    }
    Update([](DeviceInfo &info) {
      info.state = DeviceState::kFlashing;
      info.error.clear();
    });
    StopProgramLocked();
    auto report = [&](const char *phase, uint64_t done, uint64_t total) {
      if (options.progress) {
        options.progress(FlashProgress{phase, done, total});
      }
    };
    report("load", 0, size);
    report("load", size, size);
    Update([&](DeviceInfo &info) {
      info.image = image;
      info.state = DeviceState::kHalted;
    });
    image_entry_ = elf->entry();
    image_64bit_ = elf->is_64bit();
    FlashResult result;
    result.bytes_written = size;
    result.entry = elf->entry();
    if (options.run) {
      report("start", 0, 1);
      if (absl::Status status = StartProgramLocked(); !status.ok()) {
        return status;
      }
      report("start", 1, 1);
    }
    return result;
  }

  absl::Status Reset(bool halt) override {
    std::lock_guard op(op_mu_);
    if (deleted()) {
      return DeletedError();
    }
    StopProgramLocked();
    if (halt || Info().image.empty()) {
      // "Held at reset": not started until Resume().
      Update([](DeviceInfo &info) {
        info.state = DeviceState::kHalted;
        info.error.clear();
      });
      return absl::OkStatus();
    }
    return StartProgramLocked();
  }

  absl::Status Halt() override {
    std::lock_guard op(op_mu_);
    if (deleted()) {
      return DeletedError();
    }
    if (program_ == nullptr || !program_->child->running()) {
      return NotRunning("halt");
    }
    program_->child->Signal(SIGSTOP);
    Update([](DeviceInfo &info) { info.state = DeviceState::kHalted; });
    return absl::OkStatus();
  }

  absl::Status Resume() override {
    std::lock_guard op(op_mu_);
    if (deleted()) {
      return DeletedError();
    }
    if (program_ != nullptr && program_->child->running()) {
      program_->child->Signal(SIGCONT);
      Update([](DeviceInfo &info) { info.state = DeviceState::kRunning; });
      return absl::OkStatus();
    }
    DeviceInfo info = Info();
    if (info.state == DeviceState::kHalted && !info.image.empty()) {
      return StartProgramLocked();  // flashed without run, or reset with halt
    }
    return NotRunning("resume");
  }

  absl::StatusOr<std::vector<uint8_t>> ReadMemory(uint64_t address, size_t length) override {
    std::vector<uint8_t> bytes(length);
    if (absl::Status status = Transfer(address, bytes.data(), length, false); !status.ok()) {
      return status;
    }
    return bytes;
  }

  absl::Status WriteMemory(uint64_t address, std::span<const uint8_t> data) override {
    return Transfer(address, const_cast<uint8_t *>(data.data()), data.size(), true);
  }

  void Shutdown() override {
    if (!MarkDeleted()) {
      return;
    }
    {
      std::lock_guard op(op_mu_);
      StopProgramLocked();
    }
    RemoveRunDir(run_dir_);
    console_.Close(absl::StrCat("device ", id_, " was deleted"));
  }

 private:
  struct Program {
    std::unique_ptr<runners::ChildProcess> child;
    int output_fd = -1;  ///< read end of the program's stdout and stderr
    int input_fd = -1;   ///< our end of its stdin (a socket: writes never raise SIGPIPE)
    std::thread reader;
    uint64_t generation = 0;
    std::atomic<bool> stopping{false};
    std::optional<bool> relocated;  ///< loaded elsewhere than linked; op_mu_
  };

  // Whether the kernel loaded the program elsewhere than where it was linked: the entry point in
  // its auxiliary vector (AT_ENTRY) against the ELF header's. A position-independent image lands
  // at a random base, and the addresses in its ELF file are not the program's.
  absl::StatusOr<bool> RelocatedLocked() {
    if (program_->relocated.has_value()) {
      return *program_->relocated;
    }
    const pid_t pid = program_->child->pid();
    std::ifstream auxv(absl::StrCat("/proc/", pid, "/auxv"), std::ios::binary);
    // (type, value) pairs of the program's word size.
    const size_t word = image_64bit_ ? 8 : 4;
    char pair[16];
    while (auxv.read(pair, static_cast<std::streamsize>(2 * word))) {
      uint64_t type = 0;
      uint64_t value = 0;
      memcpy(&type, pair, word);  // little-endian hosts
      memcpy(&value, pair + word, word);
      if (type == AT_NULL) {
        break;
      }
      if (type == AT_ENTRY) {
        program_->relocated = value != image_entry_;
        return *program_->relocated;
      }
    }
    return absl::UnavailableError(absl::StrCat("cannot find where the program of ", id_, " (pid ",
                                               pid, ") was loaded: /proc/", pid,
                                               "/auxv has no entry point"));
  }

  // Copies `length` bytes between `buffer` and the running program's memory at `address`
  // (process_vm_readv/writev: the program runs on; the daemon is its parent, which Linux's
  // ptrace rules allow).
  absl::Status Transfer(uint64_t address, uint8_t *buffer, size_t length, bool write) {
    const char *verb = write ? "write" : "read";
    std::lock_guard op(op_mu_);
    if (deleted()) {
      return DeletedError();
    }
    if (program_ == nullptr || !program_->child->running()) {
      return NotRunning(absl::StrCat(verb, " the memory of"));
    }
    absl::StatusOr<bool> relocated = RelocatedLocked();
    if (!relocated.ok()) {
      return relocated.status();
    }
    if (*relocated) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot ", verb, " the memory of ", id_, ": ", Info().image,
          " is a position-independent executable, loaded at a random address, so the addresses "
          "in its ELF file are not the program's; build it for Gale's native_sim board (linked "
          "with -no-pie)"));
    }
    const pid_t pid = program_->child->pid();
    size_t done = 0;
    while (done < length) {
      iovec local{buffer + done, length - done};
      iovec remote{reinterpret_cast<void *>(address + done), length - done};
      const ssize_t n = write ? process_vm_writev(pid, &local, 1, &remote, 1, 0)
                              : process_vm_readv(pid, &local, 1, &remote, 1, 0);
      if (n > 0) {
        done += static_cast<size_t>(n);
        continue;
      }
      const int error = n == 0 ? EFAULT : errno;
      const std::string what =
          absl::StrCat("cannot ", verb, " ", length, " bytes at 0x", absl::Hex(address + done),
                       " of the program of ", id_, ": ");
      if (error == EFAULT) {
        return absl::OutOfRangeError(absl::StrCat(
            what, "the address is not ", write ? "writable" : "mapped", " in the program"));
      }
      if (error == EPERM) {
        return absl::PermissionDeniedError(absl::StrCat(
            what, strerror(error), " (Linux refused access to pid ", pid,
            "; a security module or /proc/sys/kernel/yama/ptrace_scope above 1 forbids it)"));
      }
      if (error == ESRCH) {
        return NotRunning(absl::StrCat(verb, " the memory of"));
      }
      return absl::InternalError(absl::StrCat(what, strerror(error)));
    }
    return absl::OkStatus();
  }

  absl::Status NotRunning(absl::string_view operation) const {
    DeviceInfo info = Info();
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot ", operation, " device ", id_, ": its program is not running (the device is ",
        std::string(DeviceStateName(info.state)), "); flash or reset it first"));
  }

  absl::Status StartProgramLocked() {
    std::string image = Info().image;
    int output[2];
    int input[2];
    if (pipe2(output, O_CLOEXEC) != 0) {
      return absl::InternalError(
          absl::StrCat("cannot make a pipe for ", id_, ": ", strerror(errno)));
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, input) != 0) {
      int err = errno;
      close(output[0]);
      close(output[1]);
      return absl::InternalError(
          absl::StrCat("cannot make a socket pair for ", id_, ": ", strerror(err)));
    }
    runners::SpawnOptions spawn;
    spawn.argv = {image};
    if (real_time_) {
      spawn.argv.push_back("--rt");
    }
    spawn.working_dir = run_dir_;
    spawn.stdin_fd = input[1];
    spawn.stdout_fd = output[1];
    spawn.stderr_fd = output[1];
    absl::StatusOr<std::unique_ptr<runners::ChildProcess>> child =
        runners::ChildProcess::Spawn(spawn);
    close(output[1]);
    close(input[1]);
    if (!child.ok()) {
      close(output[0]);
      close(input[0]);
      std::string error =
          absl::StrCat("cannot run ", image, " on ", id_, ": ", child.status().message());
      Update([&](DeviceInfo &info) {
        info.state = DeviceState::kOffline;
        info.error = error;
      });
      return absl::Status(child.status().code(), error);
    }
    auto program = std::make_unique<Program>();
    program->child = std::move(*child);
    program->output_fd = output[0];
    program->input_fd = input[0];
    program->generation = next_generation_++;
    Program *raw = program.get();
    console_.MarkStarted();
    Update([](DeviceInfo &info) {
      info.state = DeviceState::kRunning;
      info.exit_code = 0;
      info.error.clear();
    });
    {
      std::lock_guard lock(mu_);
      current_generation_ = raw->generation;
    }
    console_.SetInputSink(
        [raw, what = absl::StrCat("the program of ", id_)](std::string_view bytes) {
          return SendInputBytes(raw->input_fd, bytes, what);
        });
    program->reader = std::thread([this, raw] { ReaderMain(raw); });
    program_ = std::move(program);
    return absl::OkStatus();
  }

  void StopProgramLocked() {
    if (program_ == nullptr) {
      return;
    }
    program_->stopping = true;
    program_->child->Kill();
    if (program_->reader.joinable()) {
      program_->reader.join();
    }
    console_.SetInputSink(nullptr);
    close(program_->output_fd);
    close(program_->input_fd);
    program_.reset();
  }

  void ReaderMain(Program *program) {
    PumpToConsole(program->output_fd);
    // All output is in the console before the exit is reported.
    std::optional<runners::ExitStatus> status;
    while (!program->stopping && !status.has_value()) {
      status = program->child->Wait(absl::Milliseconds(200));
    }
    if (program->stopping) {
      return;
    }
    bool exited = !status->signaled;
    std::string error;
    {
      std::lock_guard lock(mu_);
      if (deleted_ || current_generation_ != program->generation) {
        return;
      }
      if (exited) {
        info_.state = DeviceState::kExited;
        info_.exit_code = status->code;
      } else {
        error = absl::StrCat(info_.image, " ", status->Describe());
        info_.state = DeviceState::kOffline;
        info_.error = error;
      }
      cv_.notify_all();
    }
    console_.SetInputSink(nullptr);
    if (exited) {
      console_.MarkExited(status->code);
    } else {
      console_.MarkStopped(error);
    }
    Notify();
  }

  const std::string run_dir_;
  const bool real_time_;  ///< simulated time paced against the host's clock (--rt)
  std::mutex op_mu_;      ///< one operation at a time; guards program_ and next_generation_
  std::unique_ptr<Program> program_;
  uint64_t image_entry_ = 0;  ///< the flashed image's ELF entry point; op_mu_
  bool image_64bit_ = true;   ///< the flashed image's ELF class; op_mu_
  uint64_t next_generation_ = 1;
  uint64_t current_generation_ = 0;  ///< guarded by mu_
};

}  // namespace

absl::StatusOr<std::shared_ptr<Device>> CreateNativeDevice(DeviceInfo info, std::string run_dir,
                                                           size_t console_capacity,
                                                           bool real_time) {
  std::error_code ec;
  std::filesystem::create_directories(run_dir, ec);
  if (ec || chmod(run_dir.c_str(), 0700) != 0) {
    return absl::PermissionDeniedError(absl::StrCat("cannot create the run folder ", run_dir, ": ",
                                                    ec ? ec.message() : strerror(errno)));
  }
  info.state = DeviceState::kHalted;
  return std::make_shared<NativeDevice>(std::move(info), std::move(run_dir), console_capacity,
                                        real_time);
}

}  // namespace gale::devices
