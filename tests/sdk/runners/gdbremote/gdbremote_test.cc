// The gdbremote runner against a real QEMU (lm3s6965evb held at reset, as Gale's emulated
// devices run it): hello_world is flashed through the gdbstub, verified, started, and greets on
// the UART socket. Verification failures come from real memory that does not hold what was
// written, or from comparing the target with an image that differs from what was flashed.
#include "gale/runners/gdbremote.h"

#include <elf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "absl/strings/str_format.h"
#include "elf_builder.h"
#include "qemu_gdbstub.h"

namespace gale::runners {
namespace {

using ::gale::elf::testing::BuildElf32;
using ::gale::elf::testing::TestSegment;
using ::gale::gdb::testing::QemuGdbstub;
using ::gale::gdb::testing::UartReader;
using ::testing::HasSubstr;

constexpr char kGreeting[] = "Hello World! qemu_cortex_m3";
constexpr absl::Duration kBootTimeout = absl::Seconds(30);
constexpr uint64_t kXpsrThumb = uint64_t{1} << 24;

TEST(Crc32Test, IsZlibsCrc32) {
  const std::string check = "123456789";
  const auto *bytes = reinterpret_cast<const uint8_t *>(check.data());
  EXPECT_EQ(Crc32(bytes, check.size()), 0xCBF43926u);            // the standard check value
  EXPECT_EQ(Crc32(bytes + 4, 5, Crc32(bytes, 4)), 0xCBF43926u);  // in pieces
  EXPECT_EQ(Crc32(nullptr, 0), 0u);
}

// The image's segments, for building variants of it.
std::vector<TestSegment> SegmentsOf(const elf::ElfFile &image) {
  std::vector<TestSegment> segments;
  for (const elf::Segment &segment : image.segments()) {
    TestSegment copy;
    copy.load_address = segment.load_address;
    copy.virtual_address = segment.virtual_address;
    copy.memory_size = segment.memory_size;
    copy.flags = segment.flags;
    copy.data = segment.data;
    segments.push_back(std::move(copy));
  }
  return segments;
}

elf::ElfFile Variant(const elf::ElfFile &image, const std::vector<TestSegment> &segments,
                     const std::string &name) {
  auto variant =
      elf::ElfFile::Parse(BuildElf32(EM_ARM, static_cast<uint32_t>(image.entry()), segments), name);
  EXPECT_TRUE(variant.ok()) << variant.status();
  return *std::move(variant);
}

class GdbRemoteFlashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char *dir = std::getenv("GALE_TEST_IMAGE_DIR");
    ASSERT_NE(dir, nullptr) << "GALE_TEST_IMAGE_DIR is not set (run through ctest, which "
                               "builds the image.hello_qemu_cortex_m3 fixture)";
    auto image = elf::ElfFile::Load(std::string(dir) + "/hello_qemu_cortex_m3/gale/gale.elf");
    ASSERT_TRUE(image.ok()) << image.status();
    image_ = std::make_unique<elf::ElfFile>(*std::move(image));

    auto qemu = QemuGdbstub::Start();
    ASSERT_TRUE(qemu.ok()) << qemu.status();
    qemu_ = *std::move(qemu);
    // Attach to the UART before the image runs: QEMU drops output nobody reads.
    auto uart = UartReader::Connect(qemu_->uart_path());
    ASSERT_TRUE(uart.ok()) << uart.status();
    uart_ = *std::move(uart);
    auto client = qemu_->Attach();
    ASSERT_TRUE(client.ok()) << client.status() << "\nQEMU: " << qemu_->Log();
    client_ = *std::move(client);
  }

  void TearDown() override {
    client_.reset();
    uart_.reset();
    qemu_.reset();
  }

  uint64_t Register(std::string_view name) {
    auto reg = client_->FindRegister(name);
    EXPECT_TRUE(reg.ok()) << reg.status();
    if (!reg.ok()) {
      return 0;
    }
    auto value = client_->ReadRegister(reg->number);
    EXPECT_TRUE(value.ok()) << value.status();
    return value.value_or(0);
  }

  std::unique_ptr<elf::ElfFile> image_;
  std::unique_ptr<QemuGdbstub> qemu_;
  std::unique_ptr<UartReader> uart_;
  std::unique_ptr<gdb::Client> client_;
};

TEST_F(GdbRemoteFlashTest, FlashesHelloWorldWhichGreets) {
  std::vector<FlashProgress> progress;
  FlashOptions options;
  options.progress = [&](const FlashProgress &p) { progress.push_back(p); };
  auto result = GdbRemoteFlash(*client_, *image_, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->bytes_written, image_->LoadSize());
  EXPECT_TRUE(result->verified);
  EXPECT_EQ(result->entry, *image_->ReadWord32(4) & ~1u);
  EXPECT_EQ(result->initial_sp, *image_->ReadWord32(0));
  EXPECT_TRUE(client_->running());

  // Phases in order, each ending complete; load and verify count the image's bytes.
  std::vector<std::string> phases;
  for (const FlashProgress &p : progress) {
    if (phases.empty() || phases.back() != p.phase) {
      phases.push_back(p.phase);
    }
    EXPECT_LE(p.done, p.total) << p.phase;
  }
  EXPECT_EQ(phases, (std::vector<std::string>{"halt", "load", "verify", "start"}));
  auto last_of = [&](const std::string &phase) {
    FlashProgress last;
    for (const FlashProgress &p : progress) {
      if (p.phase == phase) {
        last = p;
      }
    }
    return last;
  };
  EXPECT_EQ(last_of("load").done, image_->LoadSize());
  EXPECT_EQ(last_of("load").total, image_->LoadSize());
  EXPECT_EQ(last_of("verify").done, image_->LoadSize());

  absl::Status greeted = uart_->WaitFor(kGreeting, kBootTimeout);
  EXPECT_TRUE(greeted.ok()) << greeted << "\nQEMU: " << qemu_->Log();
}

TEST_F(GdbRemoteFlashTest, WithoutRunTheCoreWaitsAtTheResetVector) {
  FlashOptions options;
  options.run = false;
  auto result = GdbRemoteFlash(*client_, *image_, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(client_->running());
  EXPECT_EQ(Register("pc"), result->entry);
  EXPECT_EQ(Register("sp"), result->initial_sp);
  EXPECT_EQ(Register("xpsr") & kXpsrThumb, kXpsrThumb);
  // The flash holds the image.
  const elf::Segment &first = image_->segments()[0];
  auto flash = client_->ReadMemory(first.load_address, first.data.size());
  ASSERT_TRUE(flash.ok()) << flash.status();
  EXPECT_EQ(*flash, first.data);

  // From that state, the image runs as from a reset.
  ASSERT_TRUE(client_->Continue().ok());
  absl::Status greeted = uart_->WaitFor(kGreeting, kBootTimeout);
  EXPECT_TRUE(greeted.ok()) << greeted << "\nQEMU: " << qemu_->Log();
}

TEST_F(GdbRemoteFlashTest, AResetOfAFreshTargetIsHarmless) {
  FlashOptions options;
  options.reset_command = "system_reset";
  auto result = GdbRemoteFlash(*client_, *image_, options);
  ASSERT_TRUE(result.ok()) << result.status();
  absl::Status greeted = uart_->WaitFor(kGreeting, kBootTimeout);
  EXPECT_TRUE(greeted.ok()) << greeted << "\nQEMU: " << qemu_->Log();
}

TEST_F(GdbRemoteFlashTest, TheResetCommandsOutputIsReturned) {
  // QEMU answers OK to a monitor command it does not know; only its output says so.
  FlashOptions options;
  options.reset_command = "no_such_command";
  options.run = false;
  auto result = GdbRemoteFlash(*client_, *image_, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(result->reset_output, HasSubstr("unknown command: 'no_such_command'"));
}

TEST_F(GdbRemoteFlashTest, ReflashesARunningTargetAfterAReset) {
  ASSERT_TRUE(GdbRemoteFlash(*client_, *image_, FlashOptions{}).ok());
  ASSERT_TRUE(uart_->WaitFor(kGreeting, kBootTimeout).ok()) << qemu_->Log();
  ASSERT_TRUE(client_->running());

  FlashOptions options;
  options.reset_command = "system_reset";  // QEMU's monitor command
  auto again = GdbRemoteFlash(*client_, *image_, options);
  ASSERT_TRUE(again.ok()) << again.status();
  absl::Status greeted = uart_->WaitFor(kGreeting, kBootTimeout, 2);
  EXPECT_TRUE(greeted.ok()) << greeted << "\nQEMU: " << qemu_->Log();
}

TEST_F(GdbRemoteFlashTest, VerifyNamesTheSegmentAndAddressThatDiffer) {
  FlashOptions options;
  options.run = false;
  ASSERT_TRUE(GdbRemoteFlash(*client_, *image_, options).ok());
  ASSERT_TRUE(GdbRemoteVerify(*client_, *image_, options).ok());

  // The target holds hello_world; an image that differs in one byte of its second segment
  // (the initial values of .data, stored in flash) does not match it.
  std::vector<TestSegment> segments = SegmentsOf(*image_);
  ASSERT_GE(segments.size(), 2u);
  ASSERT_GE(segments[1].data.size(), 6u);
  segments[1].data[5] ^= 0x40;
  const uint64_t changed = segments[1].load_address + 5;
  elf::ElfFile other = Variant(*image_, segments, "other.elf");
  absl::Status status = GdbRemoteVerify(*client_, other, options);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("segment 1"));
  EXPECT_THAT(std::string(status.message()),
              HasSubstr(absl::StrFormat("first difference at 0x%08x", changed)));
  EXPECT_THAT(std::string(status.message()), HasSubstr("other.elf"));
}

TEST_F(GdbRemoteFlashTest, VerifyCatchesMemoryThatDoesNotTakeTheWrite) {
  // A third segment aimed at the System Control Block's CPUID register: QEMU's debug access
  // drops writes to device registers and reads the real CPUID back, as a real board's flash
  // would read back after a failed program.
  std::vector<TestSegment> segments = SegmentsOf(*image_);
  TestSegment cpuid;
  cpuid.load_address = 0xe000ed00;
  cpuid.virtual_address = 0xe000ed00;
  cpuid.data = {0, 0, 0, 0};
  segments.push_back(cpuid);
  elf::ElfFile image = Variant(*image_, segments, "cpuid.elf");
  auto result = GdbRemoteFlash(*client_, image, FlashOptions{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDataLoss) << result.status();
  EXPECT_THAT(std::string(result.status().message()),
              HasSubstr("segment 2 (4 bytes at 0xe000ed00)"));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("first difference at 0xe000ed00"));
  EXPECT_FALSE(client_->running());  // a failed flash does not start the image
}

TEST_F(GdbRemoteFlashTest, NoVerifyTrustsTheWrites) {
  std::vector<TestSegment> segments = SegmentsOf(*image_);
  TestSegment cpuid;
  cpuid.load_address = 0xe000ed00;
  cpuid.data = {0, 0, 0, 0};
  segments.push_back(cpuid);
  FlashOptions options;
  options.verify = false;
  options.run = false;
  auto result = GdbRemoteFlash(*client_, Variant(*image_, segments, "cpuid.elf"), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->verified);
}

TEST_F(GdbRemoteFlashTest, AQemuThatDiesMidFlashIsReported) {
  FlashOptions options;
  options.progress = [&](const FlashProgress &p) {
    if (p.phase == "load" && p.done > 0) {
      qemu_->Kill();
    }
  };
  auto result = GdbRemoteFlash(*client_, *image_, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
  EXPECT_THAT(std::string(result.status().message()), HasSubstr(qemu_->gdb_address()));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("cannot write segment 0"));
}

TEST_F(GdbRemoteFlashTest, AnImageWithNothingToLoadIsInvalid) {
  auto empty = elf::ElfFile::Parse(BuildElf32(EM_ARM, 0, {}), "empty.elf");
  ASSERT_TRUE(empty.ok()) << empty.status();
  auto result = GdbRemoteFlash(*client_, *empty, FlashOptions{});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("empty.elf: no loadable segments"));
}

// RISC-V code for QEMU's virt board: semihosting SYS_EXIT_EXTENDED with exit code 5.
//   li a0, 0x20; auipc a1, 0; addi a1, a1, 24; slli zero, zero, 0x1f; ebreak;
//   srai zero, zero, 7; j .; block: .word 0x20026, 5
const std::vector<uint8_t> kRiscvExitWith5 = {0x13, 0x05, 0x00, 0x02, 0x97, 0x05, 0x00, 0x00, 0x93,
                                              0x85, 0x85, 0x01, 0x13, 0x10, 0xf0, 0x01, 0x73, 0x00,
                                              0x10, 0x00, 0x13, 0x50, 0x70, 0x40, 0x6f, 0x00, 0x00,
                                              0x00, 0x26, 0x00, 0x02, 0x00, 0x05, 0x00, 0x00, 0x00};

// Other machines start at the ELF entry, with "pc" found in QEMU's RISC-V description.
TEST(GdbRemoteRiscvTest, StartsAtTheElfEntry) {
  QemuGdbstub::Options qemu_options;
  qemu_options.program = "qemu-system-riscv32";
  qemu_options.machine = "virt";
  qemu_options.extra_args = {"-bios", "none"};
  auto qemu = QemuGdbstub::Start(qemu_options);
  ASSERT_TRUE(qemu.ok()) << qemu.status();
  auto client = (*qemu)->Attach();
  ASSERT_TRUE(client.ok()) << client.status() << "\nQEMU: " << (*qemu)->Log();

  constexpr uint32_t kRam = 0x80000000;
  TestSegment text;
  text.load_address = kRam;
  text.virtual_address = kRam;
  text.data = kRiscvExitWith5;
  // The entry is not the segment's start: the runner must take it from the ELF header.
  std::vector<uint8_t> padded(8, 0);
  padded.insert(padded.end(), text.data.begin(), text.data.end());
  text.data = padded;
  auto image = elf::ElfFile::Parse(BuildElf32(EM_RISCV, kRam + 8, {text}), "rv32.elf");
  ASSERT_TRUE(image.ok()) << image.status();

  FlashOptions options;
  options.run = false;
  auto result = GdbRemoteFlash(**client, *image, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->entry, kRam + 8);
  auto pc = (*client)->FindRegister("pc");
  ASSERT_TRUE(pc.ok()) << pc.status();
  EXPECT_EQ((*client)->ReadRegister(pc->number).value_or(0), kRam + 8);

  ASSERT_TRUE((*client)->Continue().ok());
  auto stop = (*client)->WaitStop(absl::Seconds(30));
  ASSERT_TRUE(stop.ok()) << stop.status() << "\nQEMU: " << (*qemu)->Log();
  EXPECT_EQ(stop->kind, gdb::StopReply::Kind::kExited);
  EXPECT_EQ(stop->exit_code, 5);
}

}  // namespace
}  // namespace gale::runners
