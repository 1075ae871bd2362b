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
#include "gale/rtt/control_block.h"
#include "gale/rtt/memory_access.h"
#include "gale/rtt/reader.h"

namespace gale::rtt {
namespace {

constexpr int kLines = 16384;

std::string Line(int i) {
  return absl::StrFormat("line %06d %-51s\n", i, "of the rtt stream");
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

  // Polls until `text` has `until` in it; appends everything channel 0 gave.
  void PollUntil(RttReader &reader, std::string &text, const std::string &until,
                 PollResult *last_attach = nullptr, absl::Duration timeout = absl::Seconds(120)) {
    absl::Time deadline = absl::Now() + timeout;
    while (text.find(until) == std::string::npos) {
      ASSERT_LT(absl::Now(), deadline)
          << "no \"" << until << "\" in time; got " << text.size() << " bytes";
      absl::StatusOr<PollResult> result = reader.Poll();
      ASSERT_TRUE(result.ok()) << result.status();
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

  DeviceMemoryAccess memory(*device_);
  RttReaderOptions options;
  options.control_block = symbols->control_block;
  options.dropped_counters = symbols->dropped;
  options.dropped_channels = symbols->dropped_channels;
  options.ram = {{0x20000000, 64 * 1024}};  // lm3s6965: 64 KiB SRAM
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
  uint64_t reads_before = reader.reads();
  absl::Time start = absl::Now();
  PollUntil(reader, text, "stream done\n");
  absl::Duration took = absl::Now() - start;
  uint64_t polls_reads = reader.reads() - reads_before;
  std::string expected;
  for (int i = 0; i < kLines; i++) {
    expected += Line(i);
  }
  expected += "stream done\n";
  ASSERT_EQ(text.size(), expected.size());
  EXPECT_TRUE(text == expected) << "the stream differs from the lines the image wrote";
  printf("rtt_qemu_test: %zu bytes in %s = %.0f bytes/s (%llu memory reads, ring %u bytes)\n",
         text.size(), absl::FormatDuration(took).c_str(),
         static_cast<double>(text.size()) / absl::ToDoubleSeconds(took),
         static_cast<unsigned long long>(polls_reads), reader.control_block()->up[0].size);

  // Host -> target: the image echoes what it reads.
  std::vector<uint8_t> ping = {'p', 'i', 'n', 'g'};
  absl::StatusOr<size_t> sent = reader.WriteDown(0, ping);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(*sent, 4u);
  text.clear();
  PollUntil(reader, text, "echo:ping\n", nullptr, absl::Seconds(30));

  // Reset: the image starts again; the reader re-attaches and reads from the first line.
  ASSERT_TRUE(device_->Reset().ok());
  text.clear();
  PollResult attach;
  PollUntil(reader, text, Line(3), &attach);
  EXPECT_TRUE(attach.reattached);
  EXPECT_EQ(text.substr(0, Line(0).size()), Line(0));
  if (!attach.dropped.empty()) {
    EXPECT_EQ(attach.dropped[0], 0u) << "block mode drops nothing";
  }
}

}  // namespace
}  // namespace gale::rtt
