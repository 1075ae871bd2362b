// RttReader end to end: a real QEMU (through sdk/devices) running tests/sdk/rtt/apps/rtt_stream,
// read through DeviceMemoryAccess. The reader starts before the image is flashed (the block
// appears late), must receive the 1 MiB block-mode stream whole and in order, echo a down-channel
// write, and find the block again after a reset. Prints the throughput it saw (not asserted).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gale/boards/catalog.h"
#include "gale/devices/device_manager.h"
#include "gale/elf/elf_file.h"
#include "gale/gdb/client.h"
#include "gale/rtt/control_block.h"
#include "gale/rtt/memory_access.h"
#include "gale/rtt/reader.h"

namespace gale::rtt {
namespace {

constexpr int kLines = 16384;

std::string Line(int i) {
  return absl::StrFormat("line %06d %-51s\n", i, "of the rtt stream");
}

// Time spent inside memory accesses, to tell where a poll's time goes.
class TimedMemory final : public MemoryAccess {
 public:
  explicit TimedMemory(MemoryAccess &inner) : inner_(inner) {}
  absl::StatusOr<std::vector<uint8_t>> Read(uint64_t address, size_t length) override {
    absl::Time t = absl::Now();
    auto r = inner_.Read(address, length);
    read_time += absl::Now() - t;
    return r;
  }
  absl::Status Write(uint64_t address, std::span<const uint8_t> data) override {
    absl::Time t = absl::Now();
    auto r = inner_.Write(address, data);
    write_time += absl::Now() - t;
    return r;
  }
  absl::Status Hold() override {
    absl::Time t = absl::Now();
    auto r = inner_.Hold();
    hold_time += absl::Now() - t;
    return r;
  }
  absl::Status Release() override {
    absl::Time t = absl::Now();
    auto r = inner_.Release();
    hold_time += absl::Now() - t;
    return r;
  }
  absl::Duration read_time, write_time, hold_time;

 private:
  MemoryAccess &inner_;
};

std::string Expected() {
  std::string expected;
  for (int i = 0; i < kLines; i++) {
    expected += Line(i);
  }
  return expected + "stream done\n";
}

void Report(const char *how, const RttReader &reader, const TimedMemory &timed, size_t bytes,
            absl::Duration took, uint64_t polls) {
  printf(
      "rtt_qemu_test [%s]: %zu bytes in %s = %.0f bytes/s; %llu polls, %llu reads, %llu "
      "writes; in reads %s, in writes %s, in halt/resume %s; ring %u bytes\n",
      how, bytes, absl::FormatDuration(took).c_str(),
      static_cast<double>(bytes) / absl::ToDoubleSeconds(took),
      static_cast<unsigned long long>(polls), static_cast<unsigned long long>(reader.reads()),
      static_cast<unsigned long long>(reader.writes()),
      absl::FormatDuration(timed.read_time).c_str(), absl::FormatDuration(timed.write_time).c_str(),
      absl::FormatDuration(timed.hold_time).c_str(), reader.control_block()->up[0].size);
}

// Polls until `text` has `until` in it; appends everything channel 0 gave.
uint64_t PollUntil(RttReader &reader, std::string &text, const std::string &until,
                   PollResult *last_attach = nullptr, absl::Duration timeout = absl::Seconds(120)) {
  absl::Time deadline = absl::Now() + timeout;
  uint64_t polls = 0;
  while (text.find(until) == std::string::npos) {
    polls++;
    if (absl::Now() > deadline) {
      ADD_FAILURE() << "no \"" << until << "\" in time; got " << text.size() << " bytes";
      return polls;
    }
    absl::StatusOr<PollResult> result = reader.Poll();
    if (!result.ok()) {
      ADD_FAILURE() << result.status();
      return polls;
    }
    if (result->reattached && last_attach != nullptr) {
      *last_attach = *result;
    }
    for (const ChannelData &c : result->up) {
      if (c.channel == 0) {
        text.append(c.data.begin(), c.data.end());
      }
    }
    if (result->up.empty()) {
      absl::SleepFor(absl::Milliseconds(1));
    }
  }
  return polls;
}

// After the stream: host -> target, the image echoes what it reads on the down channel; then a
// reset starts the image again, and the reader re-attaches and reads from the first line.
void EchoesAndStartsAgainAfterReset(RttReader &reader, devices::Device &device) {
  std::vector<uint8_t> ping = {'p', 'i', 'n', 'g'};
  absl::StatusOr<size_t> sent = reader.WriteDown(0, ping);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(*sent, 4u);
  std::string text;
  PollUntil(reader, text, "echo:ping\n", nullptr, absl::Seconds(30));

  ASSERT_TRUE(device.Reset().ok());
  text.clear();
  PollResult attach;
  PollUntil(reader, text, Line(3), &attach);
  EXPECT_TRUE(attach.reattached);
  EXPECT_EQ(text.substr(0, Line(0).size()), Line(0));
  if (!attach.dropped.empty()) {
    EXPECT_EQ(attach.dropped[0], 0u) << "block mode drops nothing";
  }
}

class RttQemuTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char *elf = getenv("GALE_TEST_RTT_ELF");
    ASSERT_TRUE(elf != nullptr && *elf != '\0')
        << "GALE_TEST_RTT_ELF is not set: run through ctest";
    elf_ = elf;
    ASSERT_TRUE(std::filesystem::exists(elf_)) << elf_ << " was not built";
    char path[] = "/tmp/gale-rtt-test.XXXXXX";
    root_ = mkdtemp(path);
    devices::DeviceManagerOptions options;
    options.runtime_dir = root_ + "/run";
    manager_ = std::make_unique<devices::DeviceManager>(options);
    boards::Board board;
    board.name = "qemu_cortex_m3";
    board.arch = "arm";
    board.emulator = "qemu";
    board.qemu_machine = "lm3s6965evb";
    absl::StatusOr<std::shared_ptr<devices::Device>> device = manager_->Create(board, {});
    ASSERT_TRUE(device.ok()) << device.status();
    device_ = *device;
  }

  void TearDown() override {
    device_.reset();
    manager_.reset();
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  std::string root_;
  std::string elf_;
  std::unique_ptr<devices::DeviceManager> manager_;
  std::shared_ptr<devices::Device> device_;
};

TEST_F(RttQemuTest, StreamsEveryByteEchoesAndSurvivesReset) {
  absl::StatusOr<ElfRttSymbols> symbols = RttSymbolsFromElf(elf_);
  ASSERT_TRUE(symbols.ok()) << symbols.status();
  ASSERT_TRUE(symbols->control_block.has_value());
  ASSERT_TRUE(symbols->dropped.has_value());
  EXPECT_EQ(symbols->dropped_channels, 3u);

  DeviceMemoryAccess device_memory(*device_);
  TimedMemory memory(device_memory);
  absl::StatusOr<RttReaderOptions> image_options =
      ReaderOptionsForImage(elf_, {{0x20000000, 64 * 1024}});  // lm3s6965: 64 KiB SRAM
  ASSERT_TRUE(image_options.ok()) << image_options.status();
  RttReaderOptions options = *image_options;
  EXPECT_EQ(options.control_block, symbols->control_block);
  RttReader reader(memory, options);

  // Before the flash: nothing there (QEMU holds the machine at reset with RAM cleared).
  absl::StatusOr<PollResult> early = reader.Poll();
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_FALSE(early->attached);

  std::thread flasher([&] {
    absl::SleepFor(absl::Milliseconds(300));
    devices::FlashOptions flash;
    flash.run = true;
    absl::StatusOr<devices::FlashResult> flashed = device_->Flash(elf_, flash);
    EXPECT_TRUE(flashed.ok()) << flashed.status();
  });
  absl::Status waited = reader.WaitForControlBlock(absl::Seconds(60));
  flasher.join();
  ASSERT_TRUE(waited.ok()) << waited;

  std::string text;
  absl::Time start = absl::Now();
  uint64_t polls = PollUntil(reader, text, "stream done\n");
  absl::Duration took = absl::Now() - start;
  std::string expected = Expected();
  ASSERT_EQ(text.size(), expected.size());
  EXPECT_TRUE(text == expected) << "the stream differs from the lines the image wrote";
  Report("device", reader, memory, text.size(), took, polls);

  EchoesAndStartsAgainAfterReset(reader, *device_);
}

// native_sim: the image is a 64-bit host program whose memory galed reads and writes while it
// runs (process_vm_readv/writev); its control block has 64-bit pointers.
TEST(RttNativeSimTest, StreamsEveryByteEchoesAndSurvivesReset) {
  const char *exe = getenv("GALE_TEST_RTT_EXE");
  ASSERT_TRUE(exe != nullptr && *exe != '\0') << "GALE_TEST_RTT_EXE is not set: run through ctest";
  char path[] = "/tmp/gale-rtt-test.XXXXXX";
  const std::string root = mkdtemp(path);
  devices::DeviceManagerOptions manager_options;
  manager_options.runtime_dir = root + "/run";
  auto manager = std::make_unique<devices::DeviceManager>(manager_options);
  boards::Board board;
  board.name = "native_sim";
  board.arch = "posix";
  board.emulator = "native";
  absl::StatusOr<std::shared_ptr<devices::Device>> created = manager->Create(board, {});
  ASSERT_TRUE(created.ok()) << created.status();
  std::shared_ptr<devices::Device> device = *created;

  // Not running yet: no memory to read, and the error says so.
  absl::Status early = device->ReadMemory(0x1000, 4).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(early)) << early;

  devices::FlashOptions flash;
  flash.run = true;
  absl::StatusOr<devices::FlashResult> flashed = device->Flash(exe, flash);
  ASSERT_TRUE(flashed.ok()) << flashed.status();

  // The program's code is the image's, at the image's addresses.
  absl::StatusOr<elf::ElfFile> elf = elf::ElfFile::Load(exe);
  ASSERT_TRUE(elf.ok()) << elf.status();
  const elf::Segment *text = nullptr;
  for (const elf::Segment &segment : elf->segments()) {
    if (elf->entry() >= segment.virtual_address &&
        elf->entry() + 16 <= segment.virtual_address + segment.data.size()) {
      text = &segment;
    }
  }
  ASSERT_NE(text, nullptr);
  absl::StatusOr<std::vector<uint8_t>> code = device->ReadMemory(elf->entry(), 16);
  ASSERT_TRUE(code.ok()) << code.status();
  const size_t at = elf->entry() - text->virtual_address;
  EXPECT_EQ(*code, std::vector<uint8_t>(text->data.begin() + at, text->data.begin() + at + 16));
  absl::Status unmapped = device->ReadMemory(0xffff900000000000, 4).status();  // kernel space
  EXPECT_TRUE(absl::IsOutOfRange(unmapped)) << unmapped;

  absl::StatusOr<RttReaderOptions> options = ReaderOptionsForImage(exe, {});
  ASSERT_TRUE(options.ok()) << options.status();
  ASSERT_TRUE(options->control_block.has_value());
  EXPECT_EQ(options->pointer_size, 8u);
  DeviceMemoryAccess memory(*device);
  RttReader reader(memory, *options);
  absl::Status found = reader.WaitForControlBlock(absl::Seconds(60));
  ASSERT_TRUE(found.ok()) << found;

  std::string got;
  absl::Time start = absl::Now();
  PollUntil(reader, got, "stream done\n");
  const absl::Duration took = absl::Now() - start;
  const std::string expected = Expected();
  ASSERT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected) << "the stream differs from the lines the image wrote";
  printf("rtt_qemu_test [native_sim]: %zu bytes in %s = %.0f bytes/s; %llu reads\n", got.size(),
         absl::FormatDuration(took).c_str(),
         static_cast<double>(got.size()) / absl::ToDoubleSeconds(took),
         static_cast<unsigned long long>(reader.reads()));

  // A reset starts a new process, which the reader finds again.
  EchoesAndStartsAgainAfterReset(reader, *device);

  device.reset();
  manager.reset();
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
}

// The same stream over one GDB connection held for the whole run (halt-read-resume windows, one
// per poll), as a daemon holding the device's gdbstub would read it.
TEST_F(RttQemuTest, StreamsOverAHeldGdbConnection) {
  absl::StatusOr<ElfRttSymbols> symbols = RttSymbolsFromElf(elf_);
  ASSERT_TRUE(symbols.ok()) << symbols.status();
  devices::FlashOptions flash;
  flash.run = true;
  ASSERT_TRUE(device_->Flash(elf_, flash).ok());

  // What one access through sdk/devices pays before its read: a connection and a handshake.
  absl::Time connect_start = absl::Now();
  absl::StatusOr<std::unique_ptr<gdb::Transport>> transport =
      gdb::Connect(device_->Info().gdb_address);
  ASSERT_TRUE(transport.ok()) << transport.status();
  gdb::Client client(*std::move(transport));
  ASSERT_TRUE(client.Handshake().ok());
  printf("rtt_qemu_test [gdb]: connect and handshake took %s\n",
         absl::FormatDuration(absl::Now() - connect_start).c_str());
  ASSERT_TRUE(client.Continue().ok());
  GdbMemoryAccess gdb_memory(client, /*target_running=*/true);
  TimedMemory memory(gdb_memory);
  RttReaderOptions options;
  options.control_block = symbols->control_block;
  options.dropped_counters = symbols->dropped;
  options.dropped_channels = symbols->dropped_channels;
  options.ram = {{0x20000000, 64 * 1024}};
  RttReader reader(memory, options);
  ASSERT_TRUE(reader.WaitForControlBlock(absl::Seconds(30)).ok());

  std::string text;
  absl::Time start = absl::Now();
  uint64_t polls = PollUntil(reader, text, "stream done\n");
  absl::Duration took = absl::Now() - start;
  std::string expected = Expected();
  // The image may have started before the reader attached; all of it is still in order.
  ASSERT_EQ(text.size(), expected.size());
  EXPECT_TRUE(text == expected);
  Report("gdb", reader, memory, text.size(), took, polls);
  EXPECT_TRUE(client.Interrupt().ok());
}

// printk() through the RTT console, the block found by scanning RAM (no ELF symbols used).
TEST_F(RttQemuTest, ConsoleFoundByScanningRam) {
  const char *elf = getenv("GALE_TEST_RTT_CONSOLE_ELF");
  ASSERT_TRUE(elf != nullptr && *elf != '\0') << "run through ctest";
  devices::FlashOptions flash;
  flash.run = true;
  ASSERT_TRUE(device_->Flash(elf, flash).ok());
  DeviceMemoryAccess memory(*device_);
  RttReaderOptions options;
  options.scan_ranges = {{0x20000000, 64 * 1024}};
  options.ram = options.scan_ranges;
  RttReader reader(memory, options);
  ASSERT_TRUE(reader.WaitForControlBlock(absl::Seconds(30)).ok());
  std::string text;
  PollUntil(reader, text, "console over rtt 3\n");
  // From the first byte: the boot banner, then the application's lines.
  EXPECT_EQ(text.rfind("*** Booting Gale", 0), 0u) << text;
  EXPECT_NE(text.find("***\nconsole over rtt 0\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace gale::rtt
