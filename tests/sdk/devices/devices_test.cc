// Devices on real emulators: QEMU (qemu_cortex_m3) and native_sim, with real images.
#include <algorithm>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gale/devices/device.h"
#include "gale/devices/device_manager.h"
#include "gale/devices/transient_run.h"
#include "gale/elf/elf_file.h"
#include "gale/runners/child_process.h"
#include "gtest/gtest.h"

namespace gale::devices {
namespace {

absl::Status StatusOf(const absl::Status &status) {
  return status;
}
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T> &value) {
  return value.status();
}

#define ASSERT_OK(expr)                                    \
  do {                                                     \
    absl::Status status_ = StatusOf(expr);                 \
    ASSERT_TRUE(status_.ok()) << #expr << ": " << status_; \
  } while (0)

// The emulator settings of the boards' board.yaml files (the catalog is tested on its own).
boards::Board CortexM3() {
  boards::Board board;
  board.name = "qemu_cortex_m3";
  board.arch = "arm";
  board.emulator = "qemu";
  board.qemu_machine = "lm3s6965evb";
  return board;
}

boards::Board NativeSim() {
  boards::Board board;
  board.name = "native_sim";
  board.arch = "posix";
  board.emulator = "native";
  return board;
}

CreateOptions Named(const std::string &name) {
  CreateOptions options;
  options.name = name;
  return options;
}

std::string Env(const char *name) {
  const char *value = getenv(name);
  return value != nullptr ? value : "";
}

std::string ReadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The pid of the process whose command line mentions `needle`, else -1.
pid_t FindProcess(const std::string &needle) {
  for (const auto &entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::string cmdline = ReadFile(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (absl::StrContains(cmdline, needle) && !absl::StrContains(cmdline, "devices_test")) {
      return std::stoi(name);
    }
  }
  return -1;
}

// The pid of the process whose working folder is `dir`, else -1.
pid_t FindProcessIn(const std::string &dir) {
  for (const auto &entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::error_code ec;
    if (std::filesystem::read_symlink(entry.path() / "cwd", ec) == dir) {
      return std::stoi(name);
    }
  }
  return -1;
}

// True once `pid` no longer runs (gone, or a zombie its new parent has not reaped yet).
bool ProcessGone(pid_t pid) {
  if (kill(pid, 0) != 0 && errno == ESRCH) {
    return true;
  }
  std::string stat = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

bool WaitGone(pid_t pid, absl::Duration bound = absl::Seconds(30)) {
  absl::Time deadline = absl::Now() + bound;
  while (!ProcessGone(pid) && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  return ProcessGone(pid);
}

// Waits (bounded) until the device's retained console output contains `needle`.
bool WaitForOutput(Device &device, const std::string &needle,
                   absl::Duration bound = absl::Seconds(60)) {
  absl::Time deadline = absl::Now() + bound;
  while (absl::Now() < deadline) {
    if (absl::StrContains(device.console().Retained(), needle)) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return false;
}

int Count(const std::string &haystack, const std::string &needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

class DevicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!runners::FindProgram("qemu-system-arm").ok()) {
      GTEST_FAIL() << "qemu-system-arm is not installed: these tests need it (Debian: apt "
                      "install qemu-system-arm)";
    }
    hello_elf_ = Env("GALE_TEST_HELLO_ELF");
    exit_elf_ = Env("GALE_TEST_EXIT_ELF");
    hello_exe_ = Env("GALE_TEST_HELLO_EXE");
    exit_exe_ = Env("GALE_TEST_EXIT_EXE");
    for (const std::string *image : {&hello_elf_, &exit_elf_, &hello_exe_, &exit_exe_}) {
      ASSERT_FALSE(image->empty()) << "test images are not set: run through ctest";
      ASSERT_TRUE(std::filesystem::exists(*image)) << *image << " was not built";
    }
    char path[] = "/tmp/gale-devices-test.XXXXXX";
    root_ = mkdtemp(path);
    DeviceManagerOptions options;
    options.runtime_dir = root_ + "/run";
    manager_ = std::make_unique<DeviceManager>(options);
  }

  void TearDown() override {
    manager_.reset();
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  std::shared_ptr<Device> Create(const boards::Board &board, const CreateOptions &options = {}) {
    absl::StatusOr<std::shared_ptr<Device>> device = manager_->Create(board, options);
    EXPECT_TRUE(device.ok()) << device.status();
    return device.ok() ? *device : nullptr;
  }

  std::string RunDir(const Device &device) const { return root_ + "/run/" + device.id(); }

  std::string root_;
  std::string hello_elf_, exit_elf_, hello_exe_, exit_exe_;
  std::unique_ptr<DeviceManager> manager_;
};

TEST_F(DevicesTest, CreateListGetDelete) {
  std::shared_ptr<Device> first = Create(CortexM3());
  ASSERT_NE(first, nullptr);
  DeviceInfo info = first->Info();
  EXPECT_EQ(info.id, "emu-qemu_cortex_m3-1");
  EXPECT_EQ(info.name, info.id);
  EXPECT_EQ(info.board, "qemu_cortex_m3");
  EXPECT_EQ(info.kind, DeviceKind::kEmulated);
  EXPECT_EQ(info.state, DeviceState::kHalted);
  EXPECT_EQ(info.gdb_address, "unix:" + RunDir(*first) + "/gdb.sock");
  EXPECT_EQ(info.console_address, "pipe:" + RunDir(*first) + "/uart");
  EXPECT_TRUE(std::filesystem::exists(RunDir(*first) + "/gdb.sock"));

  std::shared_ptr<Device> second = Create(CortexM3(), Named("bench"));
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->id(), "emu-qemu_cortex_m3-2");
  EXPECT_EQ(manager_->List().size(), 2u);
  absl::StatusOr<std::shared_ptr<Device>> by_name = manager_->Get("bench");
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_EQ(*by_name, second);
  absl::StatusOr<std::shared_ptr<Device>> by_id = manager_->Get("emu-qemu_cortex_m3-1");
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(*by_id, first);

  absl::StatusOr<std::shared_ptr<Device>> clash = manager_->Create(CortexM3(), Named("bench"));
  EXPECT_TRUE(absl::IsAlreadyExists(clash.status())) << clash.status();

  std::string run_dir = RunDir(*first);
  ASSERT_OK(manager_->Delete("emu-qemu_cortex_m3-1"));
  EXPECT_EQ(manager_->List().size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(run_dir));
  EXPECT_TRUE(absl::IsFailedPrecondition(first->Reset()));
  // Ids are never reused.
  std::shared_ptr<Device> third = Create(CortexM3());
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->id(), "emu-qemu_cortex_m3-3");
}

TEST_F(DevicesTest, UnknownDeviceIsNotFoundAndNamesTheKnownOnes) {
  absl::StatusOr<std::shared_ptr<Device>> none = manager_->Get("no-such-device");
  EXPECT_TRUE(absl::IsNotFound(none.status()));
  EXPECT_TRUE(absl::StrContains(none.status().message(), "no-such-device")) << none.status();
  EXPECT_TRUE(absl::StrContains(none.status().message(), "no devices")) << none.status();

  std::shared_ptr<Device> device = Create(CortexM3());
  ASSERT_NE(device, nullptr);
  absl::StatusOr<std::shared_ptr<Device>> missing = manager_->Get("emu-qemu_cortex_m3-9");
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_TRUE(absl::StrContains(missing.status().message(), "emu-qemu_cortex_m3-9"));
  EXPECT_TRUE(absl::StrContains(missing.status().message(), "devices: emu-qemu_cortex_m3-1"))
      << missing.status();
  EXPECT_TRUE(absl::IsNotFound(manager_->Delete("no-such-device")));
}

TEST_F(DevicesTest, OneManagerPerRuntimeFolderAndStaleRunFoldersAreCleared) {
  std::string stale = root_ + "/run/emu-qemu_cortex_m3-7";
  std::filesystem::create_directories(stale);
  std::ofstream(stale + "/gdb.sock") << "left by a daemon killed with -9";
  std::shared_ptr<Device> device = Create(CortexM3());
  ASSERT_NE(device, nullptr);
  EXPECT_FALSE(std::filesystem::exists(stale));

  DeviceManagerOptions options;
  options.runtime_dir = root_ + "/run";
  DeviceManager second(options);
  absl::StatusOr<std::shared_ptr<Device>> refused = second.Create(CortexM3());
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status())) << refused.status();
  EXPECT_TRUE(absl::StrContains(refused.status().message(), absl::StrCat("pid ", getpid())))
      << refused.status();
  EXPECT_TRUE(std::filesystem::exists(RunDir(*device) + "/gdb.sock"));
}

TEST_F(DevicesTest, BoardWithoutEmulatorIsRefused) {
  boards::Board physical = CortexM3();
  physical.name = "nucleo_f429zi";
  physical.emulator.clear();
  absl::StatusOr<std::shared_ptr<Device>> device = manager_->Create(physical);
  EXPECT_TRUE(absl::IsFailedPrecondition(device.status())) << device.status();
  EXPECT_TRUE(absl::StrContains(device.status().message(), "nucleo_f429zi"));
}

TEST_F(DevicesTest, FlashRunsTheImageAndTheConsoleShowsIt) {
  std::shared_ptr<Device> device = Create(CortexM3());
  ASSERT_NE(device, nullptr);
  std::unique_ptr<ConsoleReader> reader = device->console().Attach();
  std::vector<std::string> phases;
  FlashOptions options;
  options.progress = [&](const FlashProgress &p) {
    if (phases.empty() || phases.back() != p.phase) {
      phases.push_back(p.phase);
    }
  };
  absl::StatusOr<FlashResult> result = device->Flash(hello_elf_, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_GT(result->bytes_written, 0u);
  EXPECT_TRUE(result->verified);
  EXPECT_EQ(phases, (std::vector<std::string>{"halt", "load", "verify", "start"}));
  DeviceInfo info = device->Info();
  EXPECT_EQ(info.state, DeviceState::kRunning);
  EXPECT_EQ(info.image, hello_elf_);

  std::string seen;
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (!absl::StrContains(seen, "Hello World! qemu_cortex_m3") && absl::Now() < deadline) {
    absl::StatusOr<ConsoleChunk> chunk = reader->Read(absl::Milliseconds(200));
    if (chunk.ok()) {
      seen += chunk->data;
    }
  }
  EXPECT_TRUE(absl::StrContains(seen, "*** Booting Gale OS")) << seen;
  EXPECT_TRUE(absl::StrContains(seen, "Hello World! qemu_cortex_m3")) << seen;
  // Input reaches the UART while the emulator runs.
  EXPECT_TRUE(device->console().SendInput("x").ok());

  // Flashing a running device resets it first: the image boots once more, from scratch.
  ASSERT_OK(device->Flash(hello_elf_, {}));
  EXPECT_EQ(device->Info().state, DeviceState::kRunning);
  absl::Time again = absl::Now() + absl::Seconds(60);
  while (Count(device->console().Retained(), "Hello World! qemu_cortex_m3") < 2 &&
         absl::Now() < again) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  std::string all = device->console().Retained();
  EXPECT_EQ(Count(all, "*** Booting Gale OS"), 2) << all;
  EXPECT_EQ(Count(all, "Hello World! qemu_cortex_m3"), 2) << all;
}

TEST_F(DevicesTest, LateAttachReplaysTheBootBannerAndTwoReadersAgree) {
  std::shared_ptr<Device> device = Create(CortexM3());
  ASSERT_NE(device, nullptr);
  ASSERT_OK(device->Flash(hello_elf_, {}));
  ASSERT_TRUE(WaitForOutput(*device, "Hello World! qemu_cortex_m3"));

  std::unique_ptr<ConsoleReader> a = device->console().Attach();
  std::unique_ptr<ConsoleReader> b = device->console().Attach();
  absl::StatusOr<ConsoleChunk> first = a->Read(absl::Seconds(5));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->replayed);
  EXPECT_EQ(first->dropped, 0u);
  EXPECT_TRUE(absl::StartsWith(first->data, "*** Booting Gale OS")) << first->data;
  absl::StatusOr<ConsoleChunk> other = b->Read(absl::Seconds(5));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->data, first->data);
  EXPECT_TRUE(other->replayed);
}

TEST_F(DevicesTest, AnExitingImageReportsItsExitCodeAndCanBeFlashedAgain) {
  std::shared_ptr<Device> device = Create(CortexM3());
  ASSERT_NE(device, nullptr);
  std::unique_ptr<ConsoleReader> reader = device->console().Attach();
  ASSERT_OK(device->Flash(exit_elf_, {}));
  absl::StatusOr<int> code = device->WaitExit(absl::Seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 3);
  DeviceInfo info = device->Info();
  EXPECT_EQ(info.state, DeviceState::kExited);
  EXPECT_EQ(info.exit_code, 3);
  // All output is in before the exit is reported, and readers get the exit after it.
  EXPECT_TRUE(absl::StrContains(device->console().Retained(),
                                "exit_status: leaving with 3 on qemu_cortex_m3"));
  std::string seen;
  bool exited = false;
  while (!exited) {
    absl::StatusOr<ConsoleChunk> chunk = reader->Read(absl::Seconds(5));
    ASSERT_TRUE(chunk.ok()) << chunk.status();
    seen += chunk->data;
    exited = chunk->exited;
    if (exited) {
      EXPECT_EQ(chunk->exit_code, 3);
    }
  }
  EXPECT_TRUE(absl::StrContains(seen, "leaving with 3")) << seen;
  EXPECT_TRUE(absl::IsFailedPrecondition(device->console().SendInput("x")));

  // Flashing again starts a new emulator; the image runs and exits again.
  ASSERT_OK(device->Flash(exit_elf_, {}));
  code = device->WaitExit(absl::Seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 3);
  EXPECT_EQ(Count(device->console().Retained(), "leaving with 3"), 2);
  // And a different image after that.
  ASSERT_OK(device->Flash(hello_elf_, {}));
  EXPECT_TRUE(WaitForOutput(*device, "Hello World! qemu_cortex_m3"));
  EXPECT_EQ(device->Info().state, DeviceState::kRunning);
}

TEST_F(DevicesTest, QemuKilledMidRunIsReportedDiedAndTheDeviceRecovers) {
  std::shared_ptr<Device> device = Create(CortexM3());
  ASSERT_NE(device, nullptr);
  ASSERT_OK(device->Flash(hello_elf_, {}));
  ASSERT_TRUE(WaitForOutput(*device, "Hello World!"));
  pid_t qemu = FindProcess(RunDir(*device) + "/gdb.sock");
  ASSERT_GT(qemu, 0);
  kill(qemu, SIGKILL);
  absl::StatusOr<int> code = device->WaitExit(absl::Seconds(60));
  ASSERT_FALSE(code.ok());
  EXPECT_TRUE(absl::IsUnavailable(code.status())) << code.status();
  EXPECT_TRUE(absl::StrContains(code.status().message(), "qemu-system-arm was killed by signal 9"))
      << code.status();
  EXPECT_TRUE(absl::StrContains(code.status().message(), "while running")) << code.status();
  DeviceInfo info = device->Info();
  EXPECT_EQ(info.state, DeviceState::kOffline);
  EXPECT_FALSE(info.error.empty());
  EXPECT_TRUE(absl::IsFailedPrecondition(device->Halt()));

  ASSERT_OK(device->Flash(hello_elf_, {}));
  EXPECT_EQ(device->Info().state, DeviceState::kRunning);
  EXPECT_TRUE(device->Info().error.empty());
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (Count(device->console().Retained(), "Hello World!") < 2 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(Count(device->console().Retained(), "Hello World!"), 2);
}

TEST_F(DevicesTest, QemuTerminatedMidRunIsNotAnExit) {
  std::shared_ptr<Device> device = Create(CortexM3());
  ASSERT_NE(device, nullptr);
  ASSERT_OK(device->Flash(hello_elf_, {}));
  pid_t qemu = FindProcess(RunDir(*device) + "/gdb.sock");
  ASSERT_GT(qemu, 0);
  kill(qemu, SIGTERM);  // QEMU exits with status 0 on SIGTERM
  absl::StatusOr<int> code = device->WaitExit(absl::Seconds(60));
  EXPECT_TRUE(absl::IsUnavailable(code.status())) << (code.ok() ? "exited " : "") << code.status();
}

TEST_F(DevicesTest, QemuDyingMidFlashIsReportedAsSuch) {
  std::shared_ptr<Device> device = Create(CortexM3());
  ASSERT_NE(device, nullptr);
  pid_t qemu = FindProcess(RunDir(*device) + "/gdb.sock");
  ASSERT_GT(qemu, 0);
  FlashOptions options;
  options.progress = [&](const FlashProgress &p) {
    if (p.phase == "load" && qemu > 0) {
      kill(qemu, SIGKILL);
      qemu = -1;
    }
  };
  absl::StatusOr<FlashResult> result = device->Flash(hello_elf_, options);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(absl::IsUnavailable(result.status())) << result.status();
  EXPECT_TRUE(
      absl::StrContains(result.status().message(), "qemu-system-arm was killed by signal 9"))
      << result.status();
  EXPECT_TRUE(absl::StrContains(result.status().message(), "during flash")) << result.status();
  EXPECT_EQ(device->Info().state, DeviceState::kOffline);
  // The next flash brings it back.
  ASSERT_OK(device->Flash(hello_elf_, {}));
  EXPECT_TRUE(WaitForOutput(*device, "Hello World!"));
}

TEST_F(DevicesTest, MalformedOrForeignImagesAreRejectedAndTheDeviceStaysUsable) {
  std::shared_ptr<Device> device = Create(CortexM3());
  ASSERT_NE(device, nullptr);
  std::string bogus = root_ + "/bogus.elf";
  std::ofstream(bogus) << "not an elf";
  absl::StatusOr<FlashResult> result = device->Flash(bogus, {});
  EXPECT_TRUE(absl::IsInvalidArgument(result.status())) << result.status();
  EXPECT_TRUE(absl::StrContains(result.status().message(), bogus)) << result.status();
  EXPECT_EQ(device->Info().state, DeviceState::kHalted);

  result = device->Flash(hello_exe_, {});  // a Linux program, not a Cortex-M image
  EXPECT_TRUE(absl::IsInvalidArgument(result.status())) << result.status();
  EXPECT_TRUE(absl::StrContains(result.status().message(), "arm")) << result.status();

  result = device->Flash(root_ + "/missing.elf", {});
  EXPECT_TRUE(absl::IsNotFound(result.status())) << result.status();

  ASSERT_OK(device->Flash(hello_elf_, {}));
  EXPECT_TRUE(WaitForOutput(*device, "Hello World! qemu_cortex_m3"));
}

TEST_F(DevicesTest, HaltResumeResetAndMemory) {
  std::shared_ptr<Device> device = Create(CortexM3());
  ASSERT_NE(device, nullptr);
  ASSERT_OK(device->Flash(hello_elf_, {}));
  ASSERT_TRUE(WaitForOutput(*device, "Hello World!"));

  ASSERT_OK(device->Halt());
  EXPECT_EQ(device->Info().state, DeviceState::kHalted);
  absl::StatusOr<elf::ElfFile> elf = elf::ElfFile::Load(hello_elf_);
  ASSERT_TRUE(elf.ok());
  const elf::Segment &text = elf->segments().front();
  absl::StatusOr<std::vector<uint8_t>> vectors = device->ReadMemory(text.load_address, 8);
  ASSERT_TRUE(vectors.ok()) << vectors.status();
  EXPECT_EQ(*vectors, std::vector<uint8_t>(text.data.begin(), text.data.begin() + 8));

  // RAM: write, read back, restore.
  const uint64_t ram = 0x20000000;
  absl::StatusOr<std::vector<uint8_t>> saved = device->ReadMemory(ram, 4);
  ASSERT_TRUE(saved.ok()) << saved.status();
  std::vector<uint8_t> pattern = {0xde, 0xad, 0xbe, 0xef};
  ASSERT_OK(device->WriteMemory(ram, pattern));
  EXPECT_EQ(*device->ReadMemory(ram, 4), pattern);
  ASSERT_OK(device->WriteMemory(ram, *saved));

  ASSERT_OK(device->Resume());
  EXPECT_EQ(device->Info().state, DeviceState::kRunning);
  // Memory of a running device: paused for the access, running after.
  EXPECT_TRUE(device->ReadMemory(text.load_address, 8).ok());
  EXPECT_EQ(device->Info().state, DeviceState::kRunning);
  EXPECT_TRUE(absl::IsInvalidArgument(device->ReadMemory(ram, (1 << 20) + 1).status()));

  // Reset runs the image from the start again.
  ASSERT_OK(device->Reset());
  EXPECT_EQ(device->Info().state, DeviceState::kRunning);
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (Count(device->console().Retained(), "*** Booting Gale OS") < 2 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(Count(device->console().Retained(), "*** Booting Gale OS"), 2);
  ASSERT_OK(device->Reset(/*halt=*/true));
  EXPECT_EQ(device->Info().state, DeviceState::kHalted);
}

// Memory sessions (what RTT polls use): one pause for several accesses, the CPU running again
// between them, and the gdbstub handed back to other operations.
TEST_F(DevicesTest, MemorySessionsPauseOnceAndHandTheStubBack) {
  std::shared_ptr<Device> device = Create(CortexM3());
  ASSERT_NE(device, nullptr);
  const char *forever = getenv("GALE_TEST_FOREVER_ELF");
  ASSERT_NE(forever, nullptr) << "GALE_TEST_FOREVER_ELF is not set: run through ctest";
  ASSERT_OK(device->Flash(forever, {}));
  ASSERT_TRUE(WaitForOutput(*device, "forever: counting"));
  const uint64_t ram = 0x20000000;
  absl::StatusOr<elf::ElfFile> elf = elf::ElfFile::Load(forever);
  ASSERT_TRUE(elf.ok());
  std::optional<elf::Symbol> count = elf->FindSymbol("forever_count");
  ASSERT_TRUE(count.has_value());
  const uint64_t count_address = count->value;
  std::vector<uint8_t> saved;
  std::vector<std::vector<uint8_t>> counts;
  for (int i = 0; i < 50; ++i) {
    absl::StatusOr<std::unique_ptr<MemorySession>> session = device->OpenMemorySession();
    ASSERT_TRUE(session.ok()) << session.status();
    absl::StatusOr<std::vector<uint8_t>> a = (*session)->Read(count_address, 4);
    absl::StatusOr<std::vector<uint8_t>> b = (*session)->Read(count_address, 4);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b) << "the CPU ran inside a session";
    counts.push_back(*a);
    if (i == 0) {
      saved = *(*session)->Read(ram, 4);
      ASSERT_OK((*session)->Write(ram, std::vector<uint8_t>{1, 2, 3, 4}));
    }
    EXPECT_TRUE(absl::IsInvalidArgument((*session)->Read(ram, (1 << 20) + 1).status()));
    session->reset();
    EXPECT_EQ(device->Info().state, DeviceState::kRunning);
    absl::SleepFor(absl::Milliseconds(20));
  }
  std::sort(counts.begin(), counts.end());
  EXPECT_GT(std::unique(counts.begin(), counts.end()) - counts.begin(), 1)
      << "the CPU did not run between sessions";
  // Another operation takes the stub over, and sessions work on a halted device too.
  ASSERT_OK(device->Halt());
  EXPECT_EQ(*device->ReadMemory(ram, 4), (std::vector<uint8_t>{1, 2, 3, 4}));
  {
    absl::StatusOr<std::unique_ptr<MemorySession>> session = device->OpenMemorySession();
    ASSERT_TRUE(session.ok()) << session.status();
    ASSERT_OK((*session)->Write(ram, saved));
  }
  EXPECT_EQ(device->Info().state, DeviceState::kHalted);
  EXPECT_EQ(*device->ReadMemory(ram, 4), saved);
  ASSERT_OK(device->Resume());
  ASSERT_TRUE(device->OpenMemorySession().ok());
  ASSERT_OK(device->Reset(/*halt=*/true));
  EXPECT_EQ(device->Info().state, DeviceState::kHalted);
}

TEST_F(DevicesTest, WatchSeesAddedChangedRemoved) {
  std::mutex mu;
  std::vector<std::pair<DeviceEvent::Kind, DeviceState>> events;
  DeviceManager::WatchId watch = manager_->Watch([&](const DeviceEvent &event) {
    std::lock_guard lock(mu);
    events.emplace_back(event.kind, event.device.state);
  });
  std::shared_ptr<Device> device = Create(CortexM3());
  ASSERT_NE(device, nullptr);
  ASSERT_OK(device->Flash(hello_elf_, {}));
  ASSERT_OK(manager_->Delete(device->id()));
  manager_->Unwatch(watch);
  std::lock_guard lock(mu);
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events.front().first, DeviceEvent::Kind::kAdded);
  EXPECT_EQ(events.front().second, DeviceState::kHalted);
  EXPECT_EQ(events.back().first, DeviceEvent::Kind::kRemoved);
  auto has = [&](DeviceState state) {
    return std::find(events.begin(), events.end(),
                     std::make_pair(DeviceEvent::Kind::kChanged, state)) != events.end();
  };
  EXPECT_TRUE(has(DeviceState::kFlashing));
  EXPECT_TRUE(has(DeviceState::kRunning));

  // A new watcher first gets the current devices.
  std::shared_ptr<Device> other = Create(CortexM3());
  std::vector<std::string> current;
  DeviceManager::WatchId second =
      manager_->Watch([&](const DeviceEvent &event) { current.push_back(event.device.id); });
  manager_->Unwatch(second);
  EXPECT_EQ(current, std::vector<std::string>{other->id()});
}

TEST_F(DevicesTest, SeveralDevicesFlashInParallel) {
  constexpr int kDevices = 3;
  std::vector<std::shared_ptr<Device>> devices;
  for (int i = 0; i < kDevices; ++i) {
    devices.push_back(Create(CortexM3()));
    ASSERT_NE(devices.back(), nullptr);
  }
  std::vector<absl::Status> results(kDevices);
  std::vector<std::thread> threads;
  for (int i = 0; i < kDevices; ++i) {
    threads.emplace_back([&, i] { results[i] = devices[i]->Flash(hello_elf_, {}).status(); });
  }
  for (std::thread &t : threads) {
    t.join();
  }
  for (int i = 0; i < kDevices; ++i) {
    EXPECT_TRUE(results[i].ok()) << results[i];
    EXPECT_TRUE(WaitForOutput(*devices[i], "Hello World! qemu_cortex_m3"));
  }
}

TEST_F(DevicesTest, ShutdownStopsEveryEmulator) {
  std::shared_ptr<Device> a = Create(CortexM3());
  std::shared_ptr<Device> b = Create(NativeSim());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_OK(b->Flash(hello_exe_, {}));
  pid_t qemu = FindProcess(RunDir(*a) + "/gdb.sock");
  pid_t native = FindProcessIn(RunDir(*b));
  ASSERT_GT(qemu, 0);
  ASSERT_GT(native, 0);
  manager_->Shutdown();
  EXPECT_TRUE(WaitGone(qemu));
  EXPECT_TRUE(WaitGone(native));
  EXPECT_TRUE(manager_->List().empty());
  EXPECT_TRUE(absl::IsFailedPrecondition(manager_->Create(CortexM3()).status()));
}

// The process that owns the devices is SIGKILLed (no destructor runs): its emulators must die.
TEST_F(DevicesTest, EmulatorsDieWithTheirOwner) {
  int out[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  std::string runtime = root_ + "/orphans";
  pid_t owner = fork();
  ASSERT_GE(owner, 0);
  if (owner == 0) {
    dup2(out[1], 1);
    execl("/proc/self/exe", "devices_test", "--own-devices-and-wait", runtime.c_str(),
          hello_exe_.c_str(), static_cast<char *>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string said;
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (!absl::StrContains(said, "\n") && absl::Now() < deadline) {
    pollfd pfd{out[0], POLLIN, 0};
    if (poll(&pfd, 1, 100) > 0) {
      char buffer[256];
      ssize_t n = read(out[0], buffer, sizeof buffer);
      if (n <= 0) {
        break;
      }
      said.append(buffer, static_cast<size_t>(n));
    }
  }
  close(out[0]);
  ASSERT_EQ(said, "ready\n");
  pid_t qemu = FindProcess(runtime + "/emu-qemu_cortex_m3-1/gdb.sock");
  pid_t native = FindProcessIn(runtime + "/emu-native_sim-1");
  ASSERT_GT(qemu, 0);
  ASSERT_GT(native, 0);

  kill(owner, SIGKILL);
  int status;
  waitpid(owner, &status, 0);
  EXPECT_TRUE(WaitGone(qemu)) << "QEMU " << qemu << " outlived the process that started it";
  EXPECT_TRUE(WaitGone(native)) << "gale.exe " << native << " outlived the process that ran it";
  for (pid_t pid : {qemu, native}) {
    if (!ProcessGone(pid)) {
      kill(pid, SIGKILL);
    }
  }
}

TEST_F(DevicesTest, NativeSimRunsTheProgram) {
  std::shared_ptr<Device> device = Create(NativeSim());
  ASSERT_NE(device, nullptr);
  DeviceInfo info = device->Info();
  EXPECT_EQ(info.id, "emu-native_sim-1");
  EXPECT_EQ(info.state, DeviceState::kHalted);
  EXPECT_TRUE(info.gdb_address.empty());

  absl::StatusOr<FlashResult> result = device->Flash(hello_exe_, {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(device->Info().state, DeviceState::kRunning);
  ASSERT_TRUE(WaitForOutput(*device, "Hello World! native_sim"));
  EXPECT_TRUE(absl::StartsWith(device->console().Retained(), "*** Booting Gale OS"));
  EXPECT_TRUE(device->console().SendInput("x").ok());

  // Memory is the program's (tests/sdk/rtt has the full round trip). Kernel space is never
  // mapped in a program: out of range, and the error names the device.
  absl::Status memory = device->ReadMemory(0xffff900000000000, 4).status();
  EXPECT_TRUE(absl::IsOutOfRange(memory)) << memory;
  EXPECT_TRUE(absl::StrContains(memory.message(), "emu-native_sim-1")) << memory;

  ASSERT_OK(device->Halt());
  EXPECT_EQ(device->Info().state, DeviceState::kHalted);
  ASSERT_OK(device->Resume());
  EXPECT_EQ(device->Info().state, DeviceState::kRunning);

  ASSERT_OK(device->Reset());
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (Count(device->console().Retained(), "Hello World! native_sim") < 2 &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(Count(device->console().Retained(), "Hello World! native_sim"), 2);

  // An ARM image is not a program for this host.
  EXPECT_TRUE(absl::IsInvalidArgument(device->Flash(hello_elf_, {}).status()));
}

TEST_F(DevicesTest, NativeSimExitCodeAndCrash) {
  std::shared_ptr<Device> device = Create(NativeSim());
  ASSERT_NE(device, nullptr);
  std::unique_ptr<ConsoleReader> reader = device->console().Attach();
  ASSERT_OK(device->Flash(exit_exe_, {}));
  absl::StatusOr<int> code = device->WaitExit(absl::Seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 3);
  EXPECT_EQ(device->Info().state, DeviceState::kExited);
  EXPECT_TRUE(
      absl::StrContains(device->console().Retained(), "exit_status: leaving with 3 on native_sim"));

  // A program killed by a signal died; it did not exit.
  ASSERT_OK(device->Flash(hello_exe_, {}));
  ASSERT_TRUE(WaitForOutput(*device, "Hello World! native_sim"));
  pid_t program = FindProcessIn(RunDir(*device));
  ASSERT_GT(program, 0);
  kill(program, SIGKILL);  // (gale.exe handles SIGSEGV itself: it reports the fault and exits)
  code = device->WaitExit(absl::Seconds(60));
  EXPECT_TRUE(absl::IsUnavailable(code.status())) << code.status();
  EXPECT_TRUE(absl::StrContains(code.status().message(), "signal 9")) << code.status();
  EXPECT_EQ(device->Info().state, DeviceState::kOffline);
}

TEST_F(DevicesTest, TransientRunOfAnExitingImage) {
  TransientRunOptions options;
  options.board = CortexM3();
  options.image = exit_elf_;
  std::string streamed;
  options.on_output = [&](std::string_view bytes) { streamed.append(bytes); };
  absl::StatusOr<TransientRunResult> run = TransientRun(*manager_, options);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outcome, TransientRunResult::Outcome::kExited);
  EXPECT_EQ(run->exit_code, 3);
  EXPECT_TRUE(absl::StrContains(run->output, "exit_status: leaving with 3")) << run->output;
  EXPECT_EQ(streamed, run->output);
  EXPECT_TRUE(manager_->List().empty()) << "the transient device was not deleted";

  options.board = NativeSim();
  options.image = exit_exe_;
  run = TransientRun(*manager_, options);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outcome, TransientRunResult::Outcome::kExited);
  EXPECT_EQ(run->exit_code, 3);
}

TEST_F(DevicesTest, TransientRunTimeoutCancelAndBadImage) {
  TransientRunOptions options;
  options.board = CortexM3();
  options.image = hello_elf_;
  options.timeout = absl::Seconds(2);
  absl::StatusOr<TransientRunResult> run = TransientRun(*manager_, options);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outcome, TransientRunResult::Outcome::kTimedOut);
  EXPECT_TRUE(absl::StrContains(run->error, "still running")) << run->error;
  EXPECT_TRUE(absl::StrContains(run->output, "Hello World! qemu_cortex_m3")) << run->output;

  std::atomic<bool> cancel{true};
  options.timeout = absl::Seconds(600);
  options.cancel = &cancel;
  run = TransientRun(*manager_, options);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outcome, TransientRunResult::Outcome::kCancelled);

  options.cancel = nullptr;
  options.image = root_ + "/bogus.elf";
  std::ofstream(options.image) << "not an elf";
  run = TransientRun(*manager_, options);
  EXPECT_TRUE(absl::IsInvalidArgument(run.status())) << run.status();
  EXPECT_TRUE(manager_->List().empty());
}

// Helper mode for EmulatorsDieWithTheirOwner: own a QEMU device and a running native_sim
// program, say "ready", wait to be killed.
int OwnDevicesAndWait(const char *runtime_dir, const char *native_exe) {
  DeviceManagerOptions options;
  options.runtime_dir = runtime_dir;
  auto *manager = new DeviceManager(options);  // never destroyed: the process is killed
  absl::StatusOr<std::shared_ptr<Device>> qemu = manager->Create(CortexM3());
  absl::StatusOr<std::shared_ptr<Device>> native = manager->Create(NativeSim());
  if (!qemu.ok() || !native.ok() || !(*native)->Flash(native_exe, {}).ok()) {
    printf("error\n");
    return 1;
  }
  printf("ready\n");
  fflush(stdout);
  while (true) {
    pause();
  }
}

}  // namespace
}  // namespace gale::devices

int main(int argc, char **argv) {
  if (argc == 4 && std::string(argv[1]) == "--own-devices-and-wait") {
    return gale::devices::OwnDevicesAndWait(argv[2], argv[3]);
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
