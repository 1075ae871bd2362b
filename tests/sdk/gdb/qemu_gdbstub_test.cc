// The RSP client against a real QEMU gdbstub (qemu-system-arm, lm3s6965evb, held at reset):
// memory, registers, breakpoints, stepping, interrupting, monitor commands, and how the session
// ends (semihosting exit, vKill, QEMU dying). Fails, never skips, without qemu-system-arm.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdio.h>

#include <random>

#include "absl/strings/str_split.h"
#include "gale/gdb/client.h"
#include "qemu_gdbstub.h"

namespace gale::gdb {
namespace {

using ::gale::gdb::testing::QemuGdbstub;
using ::testing::HasSubstr;

constexpr uint64_t kSram = 0x20000000;  // 64 KiB of SRAM on the LM3S6965
constexpr uint32_t kThumb = 1u << 24;   // xPSR.T

// Thumb code placed in SRAM:
//   20000000: movs r0, #0
//   20000002: adds r0, #1   <- loop
//   20000004: b.n  loop
const std::vector<uint8_t> kCountingLoop = {0x00, 0x20, 0x01, 0x30, 0xfd, 0xe7};
constexpr uint64_t kLoopAdd = kSram + 2;
constexpr uint64_t kLoopBranch = kSram + 4;

// Thumb code that leaves QEMU through semihosting SYS_EXIT_EXTENDED with exit code 3:
//   movs r0, #0x20 ; adr r1, block ; bkpt 0xab ; b . ; block: .word 0x20026, 3
const std::vector<uint8_t> kExitWith3 = {0x20, 0x20, 0x01, 0xa1, 0xab, 0xbe, 0xfe, 0xe7,
                                         0x26, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00};

class QemuGdbstubTest : public ::testing::Test {
 protected:
  void SetUp() override { StartQemu(QemuGdbstub::Options{}); }

  void StartQemu(const QemuGdbstub::Options &options) {
    auto qemu = QemuGdbstub::Start(options);
    ASSERT_TRUE(qemu.ok()) << qemu.status();
    qemu_ = *std::move(qemu);
    auto client = qemu_->Attach();
    ASSERT_TRUE(client.ok()) << client.status() << "\nQEMU: " << qemu_->Log();
    client_ = *std::move(client);
  }

  void TearDown() override {
    client_.reset();
    qemu_.reset();
  }

  // Loads `code` at the start of SRAM and points the core at it, in Thumb state.
  void LoadCode(const std::vector<uint8_t> &code) {
    ASSERT_TRUE(client_->WriteMemory(kSram, code).ok());
    ASSERT_TRUE(client_->WriteRegister(Reg("pc"), kSram).ok());
    ASSERT_TRUE(client_->WriteRegister(Reg("sp"), kSram + 0x8000).ok());
    ASSERT_TRUE(client_->WriteRegister(Reg("xpsr"), kThumb).ok());
  }

  int Reg(std::string_view name) {
    auto reg = client_->FindRegister(name);
    EXPECT_TRUE(reg.ok()) << reg.status();
    return reg.ok() ? reg->number : -1;
  }

  uint64_t Read(std::string_view name) {
    auto value = client_->ReadRegister(Reg(name));
    EXPECT_TRUE(value.ok()) << value.status();
    return value.value_or(~uint64_t{0});
  }

  std::unique_ptr<QemuGdbstub> qemu_;
  std::unique_ptr<Client> client_;
};

TEST_F(QemuGdbstubTest, HandshakeLearnsQemusFeaturesAndRegisters) {
  EXPECT_EQ(client_->packet_size(), 4096u);  // QEMU 7.2 offers PacketSize=1000
  EXPECT_TRUE(client_->Supports("qXfer:features:read"));
  auto description = client_->ReadTargetDescription();
  ASSERT_TRUE(description.ok()) << description.status();
  EXPECT_EQ(description->architecture, "arm");
  // The numbering the gdbremote runner relies on: r0-r12, sp, lr, pc as 0-15, xPSR 25.
  EXPECT_EQ(Reg("r0"), 0);
  EXPECT_EQ(Reg("sp"), 13);
  EXPECT_EQ(Reg("lr"), 14);
  EXPECT_EQ(Reg("pc"), 15);
  EXPECT_EQ(Reg("xpsr"), 25);
  // Held at reset with a blank flash: the core has read SP and PC from zeros.
  auto halt = client_->QueryHalt();
  ASSERT_TRUE(halt.ok()) << halt.status();
  EXPECT_EQ(halt->kind, StopReply::Kind::kSignal);
  EXPECT_EQ(Read("pc"), 0u);
}

TEST_F(QemuGdbstubTest, WritesAndReadsRamAcrossManyPackets) {
  std::vector<uint8_t> data(10000);
  std::mt19937 random(1);
  for (uint8_t &byte : data) {
    byte = static_cast<uint8_t>(random());
  }
  // And every byte the protocol treats specially, on a packet boundary or not.
  for (uint8_t special : {'$', '#', '}', '*'}) {
    data[2000 + special] = special;
    data[4063] = special;
  }
  uint64_t last_done = 0;
  ASSERT_TRUE(client_
                  ->WriteMemory(kSram + 0x100, data,
                                [&](uint64_t done, uint64_t total) {
                                  EXPECT_GT(done, last_done);
                                  EXPECT_EQ(total, data.size());
                                  last_done = done;
                                })
                  .ok());
  EXPECT_EQ(last_done, data.size());
  auto back = client_->ReadMemory(kSram + 0x100, data.size());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, data);
}

TEST_F(QemuGdbstubTest, WritesFlashThroughDebugAccess) {
  // The LM3S6965's flash is read-only to the CPU, but QEMU's debug access writes it: this is
  // how the gdbremote runner flashes an emulated board.
  const std::vector<uint8_t> vectors = {0x00, 0x10, 0x00, 0x20, 0x09, 0x01, 0x00, 0x00};
  ASSERT_TRUE(client_->WriteMemory(0, vectors).ok());
  auto back = client_->ReadMemory(0, vectors.size());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, vectors);
}

TEST_F(QemuGdbstubTest, ReadingUnmappedMemoryIsAnError) {
  auto bytes = client_->ReadMemory(0xfffffff0, 4);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(bytes.status().message()), HasSubstr("mfffffff0,4"));
  EXPECT_THAT(std::string(bytes.status().message()), HasSubstr(qemu_->gdb_address()));
}

TEST_F(QemuGdbstubTest, WritesAndReadsRegisters) {
  for (int r = 0; r < 4; ++r) {
    ASSERT_TRUE(client_->WriteRegister(r, 0x11111111u * (r + 1)).ok());
  }
  for (int r = 0; r < 4; ++r) {
    auto value = client_->ReadRegister(r);
    ASSERT_TRUE(value.ok()) << value.status();
    EXPECT_EQ(*value, 0x11111111u * (r + 1));
  }
  auto all = client_->ReadRegisters();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_GE(all->size(), 16u * 4);
  EXPECT_EQ((*all)[4], 0x22);       // r1, little-endian
  EXPECT_EQ((*all)[12 + 3], 0x44);  // r3's top byte
}

TEST_F(QemuGdbstubTest, BreakpointStepAndInterrupt) {
  LoadCode(kCountingLoop);
  ASSERT_TRUE(client_->InsertBreakpoint(kLoopBranch).ok());

  ASSERT_TRUE(client_->Continue().ok());
  auto stop = client_->WaitStop(absl::Seconds(10));
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(stop->kind, StopReply::Kind::kSignal);
  EXPECT_EQ(stop->signal, SIGTRAP);
  EXPECT_EQ(Read("pc"), kLoopBranch);
  EXPECT_EQ(Read("r0"), 1u);

  // Continuing from the breakpoint goes once round the loop (the client steps off it first).
  ASSERT_TRUE(client_->Continue().ok());
  ASSERT_TRUE(client_->WaitStop(absl::Seconds(10)).ok());
  EXPECT_EQ(Read("pc"), kLoopBranch);
  EXPECT_EQ(Read("r0"), 2u);

  auto step = client_->Step();  // the branch back
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->signal, SIGTRAP);
  EXPECT_EQ(Read("pc"), kLoopAdd);
  ASSERT_TRUE(client_->Step().ok());  // the add
  EXPECT_EQ(Read("r0"), 3u);

  ASSERT_TRUE(client_->RemoveBreakpoint(kLoopBranch).ok());
  ASSERT_TRUE(client_->Continue().ok());
  // Nothing stops the loop now.
  auto none = client_->WaitStop(absl::Milliseconds(200));
  EXPECT_EQ(none.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(client_->running());
  auto interrupted = client_->Interrupt();
  ASSERT_TRUE(interrupted.ok()) << interrupted.status();
  EXPECT_EQ(interrupted->signal, SIGINT);
  EXPECT_FALSE(client_->running());
  const uint64_t pc = Read("pc");
  EXPECT_TRUE(pc == kLoopAdd || pc == kLoopBranch) << std::hex << pc;
  EXPECT_GT(Read("r0"), 3u);
}

TEST_F(QemuGdbstubTest, HardwareBreakpoint) {
  LoadCode(kCountingLoop);
  absl::Status inserted = client_->InsertBreakpoint(kLoopAdd, /*hardware=*/true);
  ASSERT_TRUE(inserted.ok()) << inserted;
  ASSERT_TRUE(client_->Continue().ok());
  auto stop = client_->WaitStop(absl::Seconds(10));
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(Read("pc"), kLoopAdd);
  EXPECT_TRUE(client_->RemoveBreakpoint(kLoopAdd, true).ok());
}

TEST_F(QemuGdbstubTest, MonitorCommandReturnsQemusOutput) {
  // QEMU's own account of its version, from the command line, must match the monitor's.
  std::string version_line;
  if (FILE *pipe = popen("qemu-system-arm --version", "r")) {
    char buffer[256] = {};
    if (fgets(buffer, sizeof(buffer), pipe) != nullptr) {
      version_line = buffer;
    }
    pclose(pipe);
  }
  std::vector<std::string> words = absl::StrSplit(version_line, ' ', absl::SkipEmpty());
  ASSERT_GE(words.size(), 4u) << version_line;  // "QEMU emulator version 7.2.22 (...)"
  auto output = client_->Monitor("info version");
  ASSERT_TRUE(output.ok()) << output.status();
  EXPECT_THAT(*output, HasSubstr(words[3]));
}

TEST_F(QemuGdbstubTest, SemihostingExitEndsTheSessionWithTheExitCode) {
  LoadCode(kExitWith3);
  ASSERT_TRUE(client_->Continue().ok());
  auto stop = client_->WaitStop(absl::Seconds(10));
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(stop->kind, StopReply::Kind::kExited);
  EXPECT_EQ(stop->exit_code, 3);
  EXPECT_EQ(qemu_->WaitExit(absl::Seconds(10)), 3);  // QEMU exits with the image's code
  auto after = client_->ReadMemory(kSram, 4);
  EXPECT_EQ(after.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(after.status().message()), HasSubstr(qemu_->gdb_address()));
}

TEST_F(QemuGdbstubTest, AnExitNobodyWaitedForIsTheAnswerToInterrupt) {
  LoadCode(kExitWith3);
  ASSERT_TRUE(client_->Continue().ok());
  ASSERT_EQ(qemu_->WaitExit(absl::Seconds(10)), 3);  // gone before anyone asked
  auto stop = client_->Interrupt();
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(stop->kind, StopReply::Kind::kExited);
  EXPECT_EQ(stop->exit_code, 3);
}

TEST_F(QemuGdbstubTest, KillEndsQemu) {
  ASSERT_TRUE(client_->Kill().ok());
  EXPECT_TRUE(qemu_->WaitExit(absl::Seconds(10)).has_value());
}

TEST_F(QemuGdbstubTest, AQemuThatDiesIsUnavailable) {
  qemu_->Kill();
  auto bytes = client_->ReadMemory(kSram, 4);
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kUnavailable) << bytes.status();
  EXPECT_THAT(std::string(bytes.status().message()), HasSubstr(qemu_->gdb_address()));
}

TEST_F(QemuGdbstubTest, AQemuThatDiesWhileRunningIsUnavailable) {
  LoadCode(kCountingLoop);
  ASSERT_TRUE(client_->Continue().ok());
  qemu_->Kill();
  auto stop = client_->WaitStop(absl::Seconds(10));
  EXPECT_EQ(stop.status().code(), absl::StatusCode::kUnavailable) << stop.status();
  EXPECT_THAT(std::string(stop.status().message()), HasSubstr(qemu_->gdb_address()));
}

TEST_F(QemuGdbstubTest, OverTcp) {
  TearDown();
  QemuGdbstub::Options options;
  options.tcp = true;
  StartQemu(options);
  ASSERT_THAT(qemu_->gdb_address(), HasSubstr("tcp:127.0.0.1:"));
  const std::vector<uint8_t> data = {1, 2, 3, 4, 5};
  ASSERT_TRUE(client_->WriteMemory(kSram, data).ok());
  auto back = client_->ReadMemory(kSram, data.size());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, data);
}

}  // namespace
}  // namespace gale::gdb
