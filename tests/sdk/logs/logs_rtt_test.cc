// Logging through the RTT backend in block mode, end to end: tests/sdk/logs/apps/log_rtt (2000
// numbered messages from a busy loop) on QEMU, read over a held GDB connection with sdk/rtt and
// decoded with sdk/logs, in text and in dictionary mode. Every message must arrive, in order,
// with no dropped note.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gale/boards/catalog.h"
#include "gale/devices/device_manager.h"
#include "gale/gdb/client.h"
#include "gale/logs/dictionary.h"
#include "gale/logs/text.h"
#include "gale/rtt/control_block.h"
#include "gale/rtt/memory_access.h"
#include "gale/rtt/reader.h"

namespace gale::logs {
namespace {

class LogsRttTest : public ::testing::TestWithParam<const char *> {
 protected:
  void SetUp() override {
    const char *elf = getenv(GetParam());
    ASSERT_TRUE(elf != nullptr && *elf != '\0') << GetParam() << " is not set: run through ctest";
    elf_ = elf;
    char path[] = "/tmp/gale-logs-rtt.XXXXXX";
    root_ = mkdtemp(path);
    devices::DeviceManagerOptions options;
    options.runtime_dir = root_ + "/run";
    manager_ = std::make_unique<devices::DeviceManager>(options);
    boards::Board board;
    board.name = "qemu_cortex_m3";
    board.arch = "arm";
    board.emulator = "qemu";
    board.qemu_machine = "lm3s6965evb";
    auto device = manager_->Create(board, {});
    ASSERT_TRUE(device.ok()) << device.status();
    device_ = *device;
  }

  void TearDown() override {
    device_.reset();
    manager_.reset();
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  // Channel 0's bytes until `done(bytes)` holds (or two minutes pass).
  std::string Stream(const std::function<bool(const std::string &)> &done) {
    auto symbols = rtt::RttSymbolsFromElf(elf_);
    EXPECT_TRUE(symbols.ok()) << symbols.status();
    devices::FlashOptions flash;
    flash.run = true;
    EXPECT_TRUE(device_->Flash(elf_, flash).ok());
    auto transport = gdb::Connect(device_->Info().gdb_address);
    EXPECT_TRUE(transport.ok()) << transport.status();
    gdb::Client client(*std::move(transport));
    EXPECT_TRUE(client.Handshake().ok());
    EXPECT_TRUE(client.Continue().ok());
    rtt::GdbMemoryAccess memory(client, /*target_running=*/true);
    rtt::RttReaderOptions options;
    options.control_block = symbols->control_block;
    options.ram = {{0x20000000, 64 * 1024}};
    rtt::RttReader reader(memory, options);
    EXPECT_TRUE(reader.WaitForControlBlock(absl::Seconds(30)).ok());
    std::string bytes;
    const absl::Time deadline = absl::Now() + absl::Minutes(2);
    while (!done(bytes) && absl::Now() < deadline) {
      auto result = reader.Poll();
      if (!result.ok()) {
        ADD_FAILURE() << result.status();
        break;
      }
      for (const rtt::ChannelData &c : result->up) {
        if (c.channel == 0) {
          bytes.append(c.data.begin(), c.data.end());
        }
      }
      if (result->up.empty()) {
        absl::SleepFor(absl::Milliseconds(1));
      }
    }
    EXPECT_TRUE(client.Interrupt().ok());
    return bytes;
  }

  static void CheckMarkers(const std::vector<Record> &records) {
    std::vector<Record> logs;
    for (const Record &r : records) {
      ASSERT_NE(r.kind, RecordKind::kDropped) << "block mode dropped " << r.dropped;
      if (r.kind == RecordKind::kMessage) {
        logs.push_back(r);
      }
    }
    ASSERT_EQ(logs.size(), 2001u);
    for (int i = 0; i < 2000; i++) {
      ASSERT_EQ(logs[i].message, absl::StrFormat("marker %d of 2000", i));
      ASSERT_EQ(logs[i].module, "log_rtt");
      ASSERT_EQ(logs[i].level, Level::kInfo);
    }
    EXPECT_EQ(logs[2000].message, "all markers sent");
    EXPECT_EQ(logs[2000].level, Level::kWarning);
  }

  std::string root_;
  std::string elf_;
  std::unique_ptr<devices::DeviceManager> manager_;
  std::shared_ptr<devices::Device> device_;
};

TEST_P(LogsRttTest, EveryMessageInOrder) {
  if (std::string(GetParam()) == "GALE_TEST_LOG_RTT_TEXT_ELF") {
    std::string text = Stream(
        [](const std::string &s) { return s.find("all markers sent\n") != std::string::npos; });
    TextDecoder decoder("qemu");
    std::vector<Record> records = decoder.Feed(text);
    for (Record &r : decoder.Finish()) {
      records.push_back(std::move(r));
    }
    CheckMarkers(records);
    return;
  }
  auto dict = Dictionary::Load(elf_);
  ASSERT_TRUE(dict.ok()) << dict.status();
  DictionaryDecoder decoder(*dict, "qemu");
  std::vector<Record> records;
  std::vector<absl::Status> errors;
  size_t fed = 0;
  Stream([&](const std::string &s) {
    decoder.Feed(std::string_view(s).substr(fed), records, errors);
    fed = s.size();
    return !records.empty() && records.back().message == "all markers sent";
  });
  decoder.Finish(errors);
  for (const absl::Status &e : errors) {
    ADD_FAILURE() << e;
  }
  CheckMarkers(records);
}

INSTANTIATE_TEST_SUITE_P(Modes, LogsRttTest,
                         ::testing::Values("GALE_TEST_LOG_RTT_TEXT_ELF",
                                           "GALE_TEST_LOG_RTT_DICT_ELF"),
                         [](const auto &info) {
                           return std::string(info.index == 0 ? "text" : "dictionary");
                         });

}  // namespace
}  // namespace gale::logs
