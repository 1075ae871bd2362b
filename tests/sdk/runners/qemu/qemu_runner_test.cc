// The QEMU runner and child processes, against the real emulator and real images.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gale/elf/elf_file.h"
#include "gale/gdb/client.h"
#include "gale/runners/child_process.h"
#include "gale/runners/gdbremote.h"
#include "gale/runners/qemu.h"
#include "gtest/gtest.h"

namespace gale::runners {
namespace {

// qemu_cortex_m3's board.yaml emulator settings (the catalog is tested on its own).
boards::Board CortexM3Board() {
  boards::Board board;
  board.name = "qemu_cortex_m3";
  board.arch = "arm";
  board.emulator = "qemu";
  board.qemu_machine = "lm3s6965evb";
  return board;
}

absl::StatusOr<std::unique_ptr<ChildProcess>> Spawn(std::vector<std::string> argv, int out = -1) {
  SpawnOptions options;
  options.argv = std::move(argv);
  options.stdout_fd = out;
  options.stderr_fd = out;
  return ChildProcess::Spawn(options);
}

std::string Env(const char *name) {
  const char *value = getenv(name);
  return value != nullptr ? value : "";
}

class TempDir {
 public:
  TempDir() {
    char path[] = "/tmp/gale-qemu-test.XXXXXX";
    path_ = mkdtemp(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

// Reads `fd` until `needle` has been seen or `timeout` passes; returns all that was read.
std::string ReadUntil(int fd, const std::string &needle, absl::Duration timeout) {
  std::string out;
  absl::Time deadline = absl::Now() + timeout;
  while (!absl::StrContains(out, needle) && absl::Now() < deadline) {
    pollfd pfd{fd, POLLIN, 0};
    int left = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (poll(&pfd, 1, std::max(left, 1)) <= 0) {
      continue;
    }
    char buffer[1024];
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) {
      break;
    }
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

// True once `pid` no longer runs (gone, or a zombie its new parent has not reaped yet).
bool ProcessGone(pid_t pid) {
  if (kill(pid, 0) != 0 && errno == ESRCH) {
    return true;
  }
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

class QemuRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!FindProgram("qemu-system-arm").ok()) {
      GTEST_FAIL() << "qemu-system-arm is not installed: these tests need it (Debian: apt "
                      "install qemu-system-arm)";
    }
    absl::StatusOr<QemuOptions> options = QemuOptionsForBoard(CortexM3Board());
    ASSERT_TRUE(options.ok()) << options.status();
    options_ = *options;
    options_.run_dir = dir_.path() + "/emu";
  }

  absl::StatusOr<FlashResult> Load(QemuInstance &qemu, const std::string &elf_path) {
    absl::StatusOr<elf::ElfFile> elf = elf::ElfFile::Load(elf_path);
    if (!elf.ok()) {
      return elf.status();
    }
    absl::StatusOr<std::unique_ptr<gdb::Transport>> transport = gdb::Connect(qemu.gdb_address());
    if (!transport.ok()) {
      return transport.status();
    }
    gdb::Client client(std::move(*transport));
    if (absl::Status status = client.Handshake(); !status.ok()) {
      return status;
    }
    return GdbRemoteFlash(client, *elf, FlashOptions{});
  }

  TempDir dir_;
  QemuOptions options_;
};

TEST(ChildProcessTest, ReportsExitStatusAndSignal) {
  absl::StatusOr<std::unique_ptr<ChildProcess>> child = Spawn({"sh", "-c", "exit 3"});
  ASSERT_TRUE(child.ok()) << child.status();
  std::optional<ExitStatus> status = (*child)->Wait(absl::Seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_FALSE(status->signaled);
  EXPECT_EQ(status->code, 3);
  EXPECT_EQ(status->Describe(), "exited with status 3");

  child = Spawn({"sleep", "600"});
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_TRUE((*child)->running());
  ExitStatus killed = (*child)->Kill();
  EXPECT_TRUE(killed.signaled);
  EXPECT_EQ(killed.code, SIGKILL);
  EXPECT_TRUE(absl::StrContains(killed.Describe(), "killed by signal 9")) << killed.Describe();
}

TEST(ChildProcessTest, MissingProgramIsNotFound) {
  absl::StatusOr<std::unique_ptr<ChildProcess>> child = Spawn({"gale-no-such-program"});
  ASSERT_FALSE(child.ok());
  EXPECT_TRUE(absl::IsNotFound(child.status())) << child.status();
  EXPECT_TRUE(absl::StrContains(child.status().message(), "gale-no-such-program"));
}

// PR_SET_PDEATHSIG fires when the thread that forked ends: a child spawned from a thread that
// then ends must keep running.
TEST(ChildProcessTest, OutlivesTheThreadThatSpawnedIt) {
  std::unique_ptr<ChildProcess> child;
  std::thread spawner([&] {
    absl::StatusOr<std::unique_ptr<ChildProcess>> spawned = Spawn({"sleep", "600"});
    ASSERT_TRUE(spawned.ok()) << spawned.status();
    child = std::move(*spawned);
  });
  spawner.join();
  ASSERT_NE(child, nullptr);
  EXPECT_FALSE(child->Wait(absl::Milliseconds(500)).has_value())
      << "the child died with the thread that spawned it";
  EXPECT_TRUE(child->running());
}

TEST(ChildProcessTest, OutputGoesToTheGivenDescriptor) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  absl::StatusOr<std::unique_ptr<ChildProcess>> child =
      Spawn({"sh", "-c", "echo out; echo err >&2"}, fds[1]);
  close(fds[1]);
  ASSERT_TRUE(child.ok()) << child.status();
  std::string out = ReadUntil(fds[0], "err", absl::Seconds(30));
  close(fds[0]);
  EXPECT_TRUE(absl::StrContains(out, "out\n"));
  EXPECT_TRUE(absl::StrContains(out, "err\n"));
}

TEST(QemuOptionsTest, FromBoards) {
  absl::StatusOr<QemuOptions> arm = QemuOptionsForBoard(CortexM3Board());
  ASSERT_TRUE(arm.ok()) << arm.status();
  EXPECT_EQ(arm->binary, "qemu-system-arm");
  EXPECT_EQ(arm->machine, "lm3s6965evb");
  arm->run_dir = "/r";
  std::vector<std::string> argv = QemuCommandLine(*arm);
  std::string line = absl::StrJoin(argv, " ");
  EXPECT_TRUE(absl::StrContains(line, " -S ")) << line;
  EXPECT_TRUE(absl::StrContains(line, "-gdb unix:/r/gdb.sock,server=on,wait=off")) << line;
  EXPECT_TRUE(absl::StrContains(line, "-chardev pipe,id=ser0,path=/r/uart -serial chardev:ser0"))
      << line;
  EXPECT_TRUE(absl::StrContains(line, "-icount shift=0,align=off,sleep=off")) << line;
  EXPECT_TRUE(absl::StrContains(line, "-semihosting-config enable=on,target=native")) << line;
  EXPECT_FALSE(absl::StrContains(line, "-kernel")) << line;

  arm->icount_shift = std::nullopt;
  EXPECT_FALSE(absl::StrContains(absl::StrJoin(QemuCommandLine(*arm), " "), "-icount"));

  boards::Board riscv = CortexM3Board();
  riscv.arch = "riscv";
  riscv.qemu_machine = "virt";
  absl::StatusOr<QemuOptions> rv = QemuOptionsForBoard(riscv);
  ASSERT_TRUE(rv.ok()) << rv.status();
  EXPECT_EQ(rv->binary, "qemu-system-riscv32");
  EXPECT_TRUE(absl::StrContains(absl::StrJoin(QemuCommandLine(*rv), " "), "-bios none"));

  boards::Board native;
  native.name = "native_sim";
  native.arch = "posix";
  native.emulator = "native";
  absl::StatusOr<QemuOptions> not_qemu = QemuOptionsForBoard(native);
  EXPECT_TRUE(absl::IsFailedPrecondition(not_qemu.status())) << not_qemu.status();
  EXPECT_TRUE(absl::StrContains(not_qemu.status().message(), "native_sim"));

  boards::Board no_machine = CortexM3Board();
  no_machine.qemu_machine.clear();
  EXPECT_TRUE(absl::IsInvalidArgument(QemuOptionsForBoard(no_machine).status()));
}

TEST_F(QemuRunnerTest, StartsHeldWithPrivateSocketsAndStops) {
  absl::StatusOr<std::unique_ptr<QemuInstance>> qemu = QemuInstance::Start(options_);
  ASSERT_TRUE(qemu.ok()) << qemu.status();
  struct stat st {};
  ASSERT_EQ(stat(options_.run_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ((*qemu)->gdb_address(), "unix:" + options_.run_dir + "/gdb.sock");
  ASSERT_EQ(stat((*qemu)->gdb_path().c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_TRUE((*qemu)->process().running());
  EXPECT_GE((*qemu)->uart_fd(), 0);

  // Held at reset: the gdbstub answers and the CPU has not run.
  absl::StatusOr<std::unique_ptr<gdb::Transport>> transport = gdb::Connect((*qemu)->gdb_address());
  ASSERT_TRUE(transport.ok()) << transport.status();
  gdb::Client client(std::move(*transport));
  ASSERT_TRUE(client.Handshake().ok());
  absl::StatusOr<gdb::StopReply> stop = client.QueryHalt();
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(stop->kind, gdb::StopReply::Kind::kSignal);

  pid_t pid = (*qemu)->process().pid();
  ExitStatus status = (*qemu)->Stop();
  EXPECT_TRUE(status.signaled);
  EXPECT_EQ(status.code, SIGKILL);
  EXPECT_TRUE(ProcessGone(pid));
  std::string gdb_path = (*qemu)->gdb_path();
  qemu->reset();
  EXPECT_FALSE(std::filesystem::exists(gdb_path));
}

TEST_F(QemuRunnerTest, NoUartOutputIsLostBeforeAnyoneReads) {
  std::string elf = Env("GALE_TEST_HELLO_ELF");
  ASSERT_FALSE(elf.empty()) << "GALE_TEST_HELLO_ELF is not set (run through ctest)";
  absl::StatusOr<std::unique_ptr<QemuInstance>> qemu = QemuInstance::Start(options_);
  ASSERT_TRUE(qemu.ok()) << qemu.status();
  absl::StatusOr<FlashResult> flashed = Load(**qemu, elf);
  ASSERT_TRUE(flashed.ok()) << flashed.status();
  // Nobody read the UART while the image booted: the first bytes must still be there.
  std::string out = ReadUntil((*qemu)->uart_fd(), "Hello World! qemu_cortex_m3", absl::Seconds(30));
  EXPECT_TRUE(absl::StartsWith(out, "*** Booting Gale OS")) << out;
  EXPECT_TRUE(absl::StrContains(out, "Hello World! qemu_cortex_m3")) << out;
}

// The whole burst waits in the UART pipe while nobody reads, on both UART models: the CMSDK
// UART waits for its host end, the SiFive one drops what its chardev cannot take at once.
TEST_F(QemuRunnerTest, UartBurstWaitsForALateReader) {
  std::string images = Env("GALE_TEST_BURST_DIR");
  ASSERT_FALSE(images.empty()) << "GALE_TEST_BURST_DIR is not set (run through ctest)";
  boards::Board hifive1;
  hifive1.name = "hifive1";
  hifive1.arch = "riscv";
  hifive1.emulator = "qemu";
  hifive1.qemu_machine = "sifive_e";
  for (const boards::Board &board : {CortexM3Board(), hifive1}) {
    SCOPED_TRACE(board.name);
    absl::StatusOr<QemuOptions> options = QemuOptionsForBoard(board);
    ASSERT_TRUE(options.ok()) << options.status();
    options->run_dir = dir_.path() + "/" + board.name;
    absl::StatusOr<std::unique_ptr<QemuInstance>> qemu = QemuInstance::Start(*options);
    ASSERT_TRUE(qemu.ok()) << qemu.status();
    absl::StatusOr<FlashResult> flashed =
        Load(**qemu, absl::StrCat(images, "/uart_burst_", board.name, "/gale/gale.elf"));
    ASSERT_TRUE(flashed.ok()) << flashed.status();
    std::optional<ExitStatus> status = (*qemu)->process().Wait(absl::Seconds(60));
    ASSERT_TRUE(status.has_value()) << "QEMU still runs after the image exited";
    EXPECT_EQ(status->code, 0);
    // QEMU has ended: the read runs to the pipe's end of file.
    std::string out = ReadUntil((*qemu)->uart_fd(), "no such text", absl::Seconds(10));
    for (int i = 0; i < 200; i++) {
      ASSERT_TRUE(
          absl::StrContains(out, absl::StrCat("burst ", absl::Dec(i, absl::kZeroPad3),
                                              " 0123456789abcdefghijklmnopqrstuvwxyz0123456789")))
          << "line " << i << " lost; read " << out.size() << " bytes";
    }
    EXPECT_TRUE(absl::StrContains(out, "burst done on " + board.name)) << out;
  }
}

TEST_F(QemuRunnerTest, SemihostingExitEndsQemuWithTheImageStatus) {
  std::string elf = Env("GALE_TEST_EXIT_ELF");
  ASSERT_FALSE(elf.empty()) << "GALE_TEST_EXIT_ELF is not set (run through ctest)";
  absl::StatusOr<std::unique_ptr<QemuInstance>> qemu = QemuInstance::Start(options_);
  ASSERT_TRUE(qemu.ok()) << qemu.status();
  absl::StatusOr<FlashResult> flashed = Load(**qemu, elf);
  ASSERT_TRUE(flashed.ok()) << flashed.status();
  std::optional<ExitStatus> status = (*qemu)->process().Wait(absl::Seconds(60));
  ASSERT_TRUE(status.has_value()) << "QEMU still runs after the image exited";
  EXPECT_FALSE(status->signaled);
  EXPECT_EQ(status->code, 3);
  std::string out = ReadUntil((*qemu)->uart_fd(), "leaving with 3", absl::Seconds(5));
  EXPECT_TRUE(absl::StrContains(out, "exit_status: leaving with 3 on qemu_cortex_m3")) << out;
}

TEST_F(QemuRunnerTest, StartFailureQuotesQemu) {
  options_.machine = "no-such-machine";
  absl::StatusOr<std::unique_ptr<QemuInstance>> qemu = QemuInstance::Start(options_);
  ASSERT_FALSE(qemu.ok());
  EXPECT_TRUE(absl::IsUnavailable(qemu.status())) << qemu.status();
  EXPECT_TRUE(absl::StrContains(qemu.status().message(),
                                "qemu-system-arm -M no-such-machine exited with status 1"))
      << qemu.status();
  EXPECT_TRUE(absl::StrContains(qemu.status().message(), "unsupported machine type"))
      << qemu.status();
}

TEST_F(QemuRunnerTest, MissingBinaryIsNotFound) {
  options_.binary = "qemu-system-gale-none";
  absl::StatusOr<std::unique_ptr<QemuInstance>> qemu = QemuInstance::Start(options_);
  ASSERT_FALSE(qemu.ok());
  EXPECT_TRUE(absl::IsNotFound(qemu.status())) << qemu.status();
  EXPECT_TRUE(absl::StrContains(qemu.status().message(), "install")) << qemu.status();
}

// QEMU creates the gdbstub's socket file at bind(), a moment before listen(). Start() must
// return only once the socket accepts connections: a stand-in for QEMU here binds, waits half a
// second, and only then listens.
TEST_F(QemuRunnerTest, StartWaitsUntilTheGdbstubListens) {
  std::string script = dir_.path() + "/slow-listening-qemu";
  {
    std::ofstream out(script);
    out << R"(#!/usr/bin/python3
import os, socket, sys, time
args = sys.argv[1:]
gdb = args[args.index("-gdb") + 1][len("unix:"):].split(",")[0]
uart = args[args.index("-chardev") + 1].split("path=")[1]
held = [os.open(uart + suffix, os.O_RDWR) for suffix in (".in", ".out")]
server = socket.socket(socket.AF_UNIX)
server.bind(gdb)
time.sleep(0.5)
server.listen(1)
connection, _ = server.accept()
time.sleep(30)
)";
  }
  ASSERT_EQ(chmod(script.c_str(), 0700), 0);
  options_.binary = script;
  absl::StatusOr<std::unique_ptr<QemuInstance>> qemu = QemuInstance::Start(options_);
  ASSERT_TRUE(qemu.ok()) << qemu.status();
  absl::StatusOr<std::unique_ptr<gdb::Transport>> transport =
      gdb::Connect((*qemu)->gdb_address(), absl::Seconds(1));
  EXPECT_TRUE(transport.ok()) << transport.status();
}

TEST_F(QemuRunnerTest, RunDirTooLongForASocketIsRejected) {
  options_.run_dir = dir_.path() + "/" + std::string(120, 'x');
  absl::StatusOr<std::unique_ptr<QemuInstance>> qemu = QemuInstance::Start(options_);
  EXPECT_TRUE(absl::IsInvalidArgument(qemu.status())) << qemu.status();
}

TEST_F(QemuRunnerTest, RiscvBoardsUseTheSameCode) {
  if (!FindProgram("qemu-system-riscv32").ok()) {
    GTEST_FAIL() << "qemu-system-riscv32 is not installed (Debian: apt install qemu-system-misc)";
  }
  boards::Board board = CortexM3Board();
  board.name = "qemu_riscv32";
  board.arch = "riscv";
  board.qemu_machine = "virt";
  absl::StatusOr<QemuOptions> options = QemuOptionsForBoard(board);
  ASSERT_TRUE(options.ok()) << options.status();
  options->run_dir = dir_.path() + "/rv";
  absl::StatusOr<std::unique_ptr<QemuInstance>> qemu = QemuInstance::Start(*options);
  ASSERT_TRUE(qemu.ok()) << qemu.status();
  absl::StatusOr<std::unique_ptr<gdb::Transport>> transport = gdb::Connect((*qemu)->gdb_address());
  ASSERT_TRUE(transport.ok()) << transport.status();
  gdb::Client client(std::move(*transport));
  EXPECT_TRUE(client.Handshake().ok());
}

// The process that started QEMU is SIGKILLed: QEMU must not survive it.
TEST_F(QemuRunnerTest, QemuDiesWithTheProcessThatStartedIt) {
  int out[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  pid_t helper = fork();
  ASSERT_GE(helper, 0);
  if (helper == 0) {
    dup2(out[1], 1);
    execl("/proc/self/exe", "qemu_runner_test", "--start-qemu-and-wait", options_.run_dir.c_str(),
          static_cast<char *>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string line = ReadUntil(out[0], "\n", absl::Seconds(60));
  close(out[0]);
  ASSERT_TRUE(absl::StartsWith(line, "qemu ")) << "the helper said: " << line;
  pid_t qemu_pid = std::stoi(line.substr(5));
  ASSERT_FALSE(ProcessGone(qemu_pid));

  kill(helper, SIGKILL);
  int status;
  waitpid(helper, &status, 0);
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!ProcessGone(qemu_pid) && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(ProcessGone(qemu_pid)) << "QEMU " << qemu_pid << " outlived its parent";
  if (!ProcessGone(qemu_pid)) {
    kill(qemu_pid, SIGKILL);
  }
}

// Helper mode for QemuDiesWithTheProcessThatStartedIt: start QEMU, print its pid, wait forever.
int StartQemuAndWait(const char *run_dir) {
  absl::StatusOr<QemuOptions> options = QemuOptionsForBoard(CortexM3Board());
  if (!options.ok()) {
    printf("error %s\n", std::string(options.status().message()).c_str());
    return 1;
  }
  options->run_dir = run_dir;
  absl::StatusOr<std::unique_ptr<QemuInstance>> qemu = QemuInstance::Start(*options);
  if (!qemu.ok()) {
    printf("error %s\n", std::string(qemu.status().message()).c_str());
    return 1;
  }
  printf("qemu %d\n", (*qemu)->process().pid());
  fflush(stdout);
  while (true) {
    pause();
  }
}

}  // namespace
}  // namespace gale::runners

int main(int argc, char **argv) {
  if (argc == 3 && std::string(argv[1]) == "--start-qemu-and-wait") {
    return gale::runners::StartQemuAndWait(argv[2]);
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
