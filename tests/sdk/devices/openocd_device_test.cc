// The OpenOCD-backed physical device against the real openocd binary: the dummy adapter for run
// control and errors, a pseudo-terminal standing in for the probe's virtual COM port, and an
// ST-Link that is not there (or, under umockdev-run, one that enumerates but cannot transfer).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gale/devices/openocd_device.h"
#include "gale/runners/openocd_errors.h"
#include "gtest/gtest.h"

namespace gale::devices {
namespace {

const std::string kRunnerData = GALE_OPENOCD_TEST_DATA;
constexpr char kSerial[] = "0669FF3731324B4E43171234";

class TempDir {
 public:
  TempDir() {
    char path[] = "/tmp/gale-physical-test.XXXXXX";
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

PhysicalDeviceSpec DummySpec() {
  PhysicalDeviceSpec spec;
  spec.name = "bench-9";
  spec.serial = "DUMMY0001";
  spec.probe = "stlink";
  spec.board.name = "dummy_board";
  spec.board.arch = "arm";
  spec.board.openocd.configs = {kRunnerData + "/dummy.cfg"};
  return spec;
}

PhysicalDeviceSpec NucleoSpec() {
  PhysicalDeviceSpec spec;
  spec.name = "bench-1";
  spec.serial = kSerial;
  spec.probe = "stlink";
  spec.board.name = "nucleo_f401re";
  spec.board.arch = "arm";
  spec.board.openocd.configs = {"interface/stlink.cfg", "target/stm32f4x.cfg"};
  spec.board.openocd.transport = "hla_swd";
  return spec;
}

// Reads console chunks until one satisfies `done` or 5 s pass.
ConsoleChunk ReadUntil(ConsoleReader &reader, const std::function<bool(const ConsoleChunk &)> &done,
                       std::string *text = nullptr) {
  absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline) {
    absl::StatusOr<ConsoleChunk> chunk = reader.Read(absl::Milliseconds(100));
    if (!chunk.ok()) {
      continue;
    }
    if (text != nullptr) {
      *text += chunk->data;
    }
    if (done(*chunk)) {
      return *chunk;
    }
  }
  return ConsoleChunk{};
}

TEST(OpenOcdDevice, RefusesIncompleteSpecs) {
  TempDir dir;
  PhysicalDeviceSpec spec = DummySpec();
  spec.serial.clear();
  EXPECT_TRUE(absl::IsInvalidArgument(CreateOpenOcdDevice(spec, dir.path(), {}).status()));
  spec = DummySpec();
  spec.board.openocd = {};
  absl::StatusOr<std::shared_ptr<Device>> bare = CreateOpenOcdDevice(spec, dir.path(), {});
  EXPECT_TRUE(absl::IsFailedPrecondition(bare.status())) << bare.status();
  EXPECT_TRUE(absl::StrContains(bare.status().message(), "dummy_board")) << bare.status();
}

TEST(OpenOcdDevice, RunControlThroughOpenOcd) {
  TempDir dir;
  PhysicalDeviceFactory factory = MakeOpenOcdDeviceFactory();
  absl::StatusOr<std::shared_ptr<Device>> device = factory(DummySpec(), dir.path() + "/run");
  ASSERT_TRUE(device.ok()) << device.status();
  DeviceInfo info = (*device)->Info();
  EXPECT_EQ(info.id, "DUMMY0001");
  EXPECT_EQ(info.name, "bench-9");
  EXPECT_EQ(info.board, "dummy_board");
  EXPECT_EQ(info.kind, DeviceKind::kPhysical);
  // OpenOCD starts at the first operation, not before.
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/run/openocd.log"));

  ASSERT_TRUE((*device)->Halt().ok());
  EXPECT_EQ((*device)->Info().state, DeviceState::kHalted);
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/run/openocd.log"));
  ASSERT_TRUE((*device)->Reset(/*halt=*/false).ok());
  EXPECT_EQ((*device)->Info().state, DeviceState::kRunning);
  ASSERT_TRUE((*device)->Reset(/*halt=*/true).ok());
  EXPECT_EQ((*device)->Info().state, DeviceState::kHalted);

  // The testee target refuses memory access: the error names the device and quotes OpenOCD,
  // and the device stays usable.
  absl::StatusOr<std::vector<uint8_t>> memory = (*device)->ReadMemory(0x20000000, 16);
  ASSERT_FALSE(memory.ok());
  std::string message(memory.status().message());
  EXPECT_TRUE(absl::StartsWith(message, "memory read failed: bench-9 (serial DUMMY0001)"))
      << message;
  EXPECT_TRUE(absl::StrContains(message, "failed to read memory")) << message;
  EXPECT_EQ((*device)->Info().state, DeviceState::kHalted);
  EXPECT_TRUE(absl::IsInvalidArgument((*device)->ReadMemory(0, 2 << 20).status()));

  // Images: missing, foreign, and not an image at all.
  EXPECT_TRUE(absl::IsNotFound((*device)->Flash(dir.path() + "/none.elf", {}).status()));
  std::ofstream(dir.path() + "/junk.bin") << "junk";
  absl::StatusOr<FlashResult> junk = (*device)->Flash(dir.path() + "/junk.bin", {});
  EXPECT_TRUE(absl::IsInvalidArgument(junk.status())) << junk.status();

  (*device)->Shutdown();
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/run"));
  EXPECT_TRUE(absl::IsFailedPrecondition((*device)->Halt()));
}

TEST(OpenOcdDevice, GdbAddressOnceOpenOcdRuns) {
  TempDir dir;
  PhysicalDeviceSpec spec = DummySpec();
  spec.board.openocd.configs = {kRunnerData + "/dummy-gdb.cfg"};
  absl::StatusOr<std::shared_ptr<Device>> device = CreateOpenOcdDevice(spec, dir.path(), {});
  ASSERT_TRUE(device.ok()) << device.status();
  EXPECT_EQ((*device)->Info().gdb_address, "");
  ASSERT_TRUE((*device)->Halt().ok());
  EXPECT_TRUE(absl::StartsWith((*device)->Info().gdb_address, "tcp:127.0.0.1:"))
      << (*device)->Info().gdb_address;
}

TEST(OpenOcdDevice, ShutdownDuringAnOperationIsQuick) {
  TempDir dir;
  PhysicalDeviceSpec spec = DummySpec();
  spec.board.openocd.configs = {kRunnerData + "/dummy-gdb.cfg"};
  absl::StatusOr<std::shared_ptr<Device>> device = CreateOpenOcdDevice(spec, dir.path(), {});
  ASSERT_TRUE(device.ok()) << device.status();
  ASSERT_TRUE((*device)->Halt().ok());
  // 1 MiB through the dummy adapter takes tens of seconds.
  absl::StatusOr<std::vector<uint8_t>> memory;
  std::thread reader([&] { memory = (*device)->ReadMemory(0, 1 << 20); });
  absl::SleepFor(absl::Milliseconds(300));
  absl::Time start = absl::Now();
  (*device)->Shutdown();
  reader.join();
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  EXPECT_FALSE(memory.ok());
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/openocd.log"));
}

TEST(OpenOcdDevice, ConsoleFromTheProbesTty) {
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(master, 0);
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  PhysicalDeviceSpec spec = DummySpec();
  spec.tty = ptsname(master);
  TempDir dir;
  absl::StatusOr<std::shared_ptr<Device>> device = CreateOpenOcdDevice(spec, dir.path(), {});
  ASSERT_TRUE(device.ok()) << device.status();
  std::unique_ptr<ConsoleReader> reader = (*device)->console().Attach(false);

  // Output: raw, "\r\n" and all bytes unchanged.
  std::string board_says = "boot\r\nhello\x01\xff\r\n";
  ASSERT_EQ(write(master, board_says.data(), board_says.size()),
            static_cast<ssize_t>(board_says.size()));
  std::string got;
  ReadUntil(
      *reader, [&](const ConsoleChunk &) { return got.size() >= board_says.size(); }, &got);
  EXPECT_EQ(got, board_says);

  // Input goes to the tty.
  ASSERT_TRUE((*device)->console().SendInput("help\r").ok());
  std::string typed;
  absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (typed.size() < 5 && absl::Now() < deadline) {
    pollfd pfd{master, POLLIN, 0};
    if (poll(&pfd, 1, 100) > 0) {
      char buffer[64];
      ssize_t n = read(master, buffer, sizeof buffer);
      if (n > 0) {
        typed.append(buffer, static_cast<size_t>(n));
      }
    }
  }
  EXPECT_EQ(typed, "help\r");

  // The tty going away (probe unplugged) stops the console with a reason.
  close(master);
  ConsoleChunk stopped =
      ReadUntil(*reader, [](const ConsoleChunk &c) { return !c.stopped.empty(); });
  EXPECT_TRUE(absl::StrContains(stopped.stopped, "went away")) << stopped.stopped;
  EXPECT_TRUE(absl::IsFailedPrecondition((*device)->console().SendInput("x")));

  // Plugged in again (here: the same pty path cannot come back, so a new pty is not the same
  // file; the retry reports that it is still missing rather than staying silent).
  ASSERT_TRUE((*device)->Halt().ok());
  ConsoleChunk again = ReadUntil(*reader, [](const ConsoleChunk &c) { return !c.stopped.empty(); });
  EXPECT_TRUE(absl::StrContains(again.stopped, "unavailable")) << again.stopped;
  (*device)->Shutdown();
}

TEST(OpenOcdDevice, NoTtyGivesAConsoleThatSaysSo) {
  TempDir dir;
  absl::StatusOr<std::shared_ptr<Device>> device = CreateOpenOcdDevice(DummySpec(), dir.path(), {});
  ASSERT_TRUE(device.ok()) << device.status();
  std::unique_ptr<ConsoleReader> reader = (*device)->console().Attach(true);
  ConsoleChunk chunk = ReadUntil(*reader, [](const ConsoleChunk &c) { return !c.stopped.empty(); });
  EXPECT_TRUE(absl::StrContains(chunk.stopped, "no serial console")) << chunk.stopped;
  EXPECT_TRUE(absl::StrContains(chunk.stopped, "bench-9")) << chunk.stopped;
  EXPECT_TRUE(absl::IsFailedPrecondition((*device)->console().SendInput("x")));

  PhysicalDeviceSpec missing = DummySpec();
  missing.tty = dir.path() + "/ttyACM9";
  absl::StatusOr<std::shared_ptr<Device>> other =
      CreateOpenOcdDevice(missing, dir.path() + "/b", {});
  ASSERT_TRUE(other.ok()) << other.status();
  std::unique_ptr<ConsoleReader> other_reader = (*other)->console().Attach(true);
  chunk = ReadUntil(*other_reader, [](const ConsoleChunk &c) { return !c.stopped.empty(); });
  EXPECT_TRUE(absl::StrContains(chunk.stopped, "ttyACM9")) << chunk.stopped;
}

// No ST-Link with this serial is attached here; under umockdev-run (CTest's
// devices.openocd_umockdev) one is, but it cannot transfer. Either way: a quick, classified,
// one-line error naming the device, and the device offline with that reason.
TEST(OpenOcdDevice, DeadProbeFlashFailsQuicklyAndClassified) {
  TempDir dir;
  absl::StatusOr<std::shared_ptr<Device>> device =
      CreateOpenOcdDevice(NucleoSpec(), dir.path(), {});
  ASSERT_TRUE(device.ok()) << device.status();
  std::ofstream(dir.path() + "/gale.hex") << ":020000040800F2\n:00000001FF\n";
  absl::Time start = absl::Now();
  absl::StatusOr<FlashResult> result = (*device)->Flash(dir.path() + "/gale.hex", {});
  ASSERT_FALSE(result.ok());
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
  std::string message(result.status().message());
  RecordProperty("message", message);  // shown in the XML report and with -V
  EXPECT_TRUE(absl::StartsWith(message, "flash failed: bench-1 (serial 0669FF3731324B4E43171234)"))
      << message;
  EXPECT_FALSE(absl::StrContains(message, "\n")) << message;
  EXPECT_EQ(runners::OpenOcdErrorClassOf(result.status()), runners::OpenOcdErrorClass::kNoProbe)
      << message;
  EXPECT_TRUE(absl::StrContains(runners::OpenOcdOutputOf(result.status()), "open failed"));
  DeviceInfo info = (*device)->Info();
  EXPECT_EQ(info.state, DeviceState::kOffline);
  EXPECT_FALSE(info.error.empty());
  EXPECT_TRUE(info.gdb_address.empty());
  // The next operation tries again (and fails the same way).
  EXPECT_FALSE((*device)->Halt().ok());
}

}  // namespace
}  // namespace gale::devices

int main(int argc, char **argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
