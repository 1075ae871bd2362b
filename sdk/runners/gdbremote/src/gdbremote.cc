#include "gale/runners/gdbremote.h"

#include <elf.h>

#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace gale::runners {
namespace {

// Cortex-M reset state of xPSR: only the Thumb bit set (the core has no ARM state).
constexpr uint64_t kXpsrThumb = uint64_t{1} << 24;

// The classic gdb numbering, for servers without a target description: ARM r0-r15 are 0-15
// and CPSR/xPSR is 25 (after the legacy FPA registers 16-24); RISC-V pc follows x0-x31.
constexpr int kArmSp = 13;
constexpr int kArmPc = 15;
constexpr int kArmXpsr = 25;
constexpr int kRiscvPc = 32;

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) {
      c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

void Report(const FlashOptions &options, std::string_view phase, uint64_t done, uint64_t total) {
  if (options.progress) {
    options.progress(FlashProgress{std::string(phase), done, total});
  }
}

std::string SegmentName(size_t index, const elf::Segment &segment) {
  return absl::StrFormat("segment %u (%u bytes at 0x%08x)", index, segment.data.size(),
                         segment.load_address);
}

// The gdb number of register `name`: from the server's target description when it has one,
// else `fallback` (the conventional number; -1 when there is none).
absl::StatusOr<int> RegisterNumber(gdb::Client &client, std::string_view name, int fallback) {
  auto reg = client.FindRegister(name);
  if (reg.ok()) {
    return reg->number;
  }
  if (absl::IsUnimplemented(reg.status()) && fallback >= 0) {
    return fallback;
  }
  return reg.status();
}

absl::Status SetRegister(gdb::Client &client, std::string_view name, int fallback, uint64_t value) {
  auto number = RegisterNumber(client, name, fallback);
  if (!number.ok()) {
    return absl::Status(number.status().code(), absl::StrCat("cannot set ", std::string(name), ": ",
                                                             number.status().message()));
  }
  if (absl::Status status = client.WriteRegister(*number, value); !status.ok()) {
    return absl::Status(status.code(), absl::StrFormat("cannot set %s (register %d) to 0x%x: %s",
                                                       name, *number, value, status.message()));
  }
  return absl::OkStatus();
}

// True unless the server's target description says the ARM core is not an M-profile one.
// Without a description, assume M-profile: every Gale ARM board is a Cortex-M.
bool IsMProfile(gdb::Client &client) {
  auto description = client.ReadTargetDescription();
  if (!description.ok()) {
    return true;
  }
  for (const gdb::RegisterInfo &reg : description->registers) {
    if (reg.feature == "org.gnu.gdb.arm.m-profile") {
      return true;
    }
  }
  return description->Find("xpsr") != nullptr;
}

absl::Status SetEntryState(gdb::Client &client, const elf::ElfFile &image, FlashResult &result) {
  if (image.machine() == EM_ARM && IsMProfile(client)) {
    // Do what the core does at reset: SP and PC from the first two vector table words.
    const uint64_t base = *image.LowestLoadAddress();
    const std::optional<uint32_t> sp = image.ReadWord32(base);
    const std::optional<uint32_t> pc = image.ReadWord32(base + 4);
    if (!sp || !pc) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: no Cortex-M vector table at 0x%08x (the lowest load address holds fewer than 8 "
          "bytes)",
          image.name(), base));
    }
    result.initial_sp = *sp;
    result.entry = *pc & ~uint64_t{1};
    if (absl::Status status = SetRegister(client, "sp", kArmSp, result.initial_sp); !status.ok()) {
      return status;
    }
    if (absl::Status status = SetRegister(client, "pc", kArmPc, result.entry); !status.ok()) {
      return status;
    }
    return SetRegister(client, "xpsr", kArmXpsr, kXpsrThumb);
  }
  const int fallback = image.machine() == EM_RISCV ? kRiscvPc : -1;
  result.entry = image.entry();
  return SetRegister(client, "pc", fallback, result.entry);
}

}  // namespace

uint32_t Crc32(const uint8_t *data, size_t size, uint32_t crc) {
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) {
    crc = kCrcTable[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  }
  return ~crc;
}

namespace {

absl::Status Verify(gdb::Client &client, const elf::ElfFile &image, const FlashOptions &options,
                    std::string_view hint) {
  const uint64_t total = image.LoadSize();
  uint64_t done = 0;
  Report(options, "verify", 0, total);
  const std::vector<elf::Segment> &segments = image.segments();
  for (size_t i = 0; i < segments.size(); ++i) {
    const elf::Segment &segment = segments[i];
    auto target = client.ReadMemory(
        segment.load_address, segment.data.size(),
        [&](uint64_t d, uint64_t) { Report(options, "verify", done + d, total); });
    if (!target.ok()) {
      return absl::Status(target.status().code(),
                          absl::StrCat("verify: cannot read back ", SegmentName(i, segment), " of ",
                                       image.name(), ": ", target.status().message()));
    }
    const uint32_t expected = Crc32(segment.data.data(), segment.data.size());
    const uint32_t actual = Crc32(target->data(), target->size());
    if (expected != actual) {
      size_t at = 0;
      while (at < segment.data.size() && segment.data[at] == (*target)[at]) {
        ++at;
      }
      return absl::DataLossError(absl::StrFormat(
          "verify failed for %s of %s: read-back CRC-32 0x%08x, image 0x%08x; first difference "
          "at 0x%08x (image 0x%02x, target 0x%02x); %s",
          SegmentName(i, segment), image.name(), actual, expected, segment.load_address + at,
          segment.data[at], (*target)[at], hint));
    }
    done += segment.data.size();
  }
  Report(options, "verify", total, total);
  return absl::OkStatus();
}

}  // namespace

absl::Status GdbRemoteVerify(gdb::Client &client, const elf::ElfFile &image,
                             const FlashOptions &options) {
  return Verify(client, image, options, "the target does not hold this image");
}

absl::StatusOr<FlashResult> GdbRemoteFlash(gdb::Client &client, const elf::ElfFile &image,
                                           const FlashOptions &options) {
  const absl::Time start = absl::Now();
  FlashResult result;
  if (image.segments().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(image.name(), ": no loadable segments (PT_LOAD with file bytes) to flash"));
  }

  Report(options, "halt", 0, 1);
  if (client.running()) {
    auto stop = client.Interrupt();
    if (!stop.ok()) {
      return absl::Status(stop.status().code(),
                          absl::StrCat("cannot halt the target: ", stop.status().message()));
    }
  }
  if (!options.reset_command.empty()) {
    auto output = client.Monitor(options.reset_command);
    if (!output.ok()) {
      return absl::Status(output.status().code(),
                          absl::StrCat("cannot reset the target with monitor command \"",
                                       options.reset_command, "\": ", output.status().message()));
    }
    result.reset_output = *std::move(output);
  }
  Report(options, "halt", 1, 1);

  const uint64_t total = image.LoadSize();
  uint64_t done = 0;
  Report(options, "load", 0, total);
  const std::vector<elf::Segment> &segments = image.segments();
  for (size_t i = 0; i < segments.size(); ++i) {
    const elf::Segment &segment = segments[i];
    absl::Status status =
        client.WriteMemory(segment.load_address, segment.data,
                           [&](uint64_t d, uint64_t) { Report(options, "load", done + d, total); });
    if (!status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("cannot write ", SegmentName(i, segment), " of ",
                                       image.name(), ": ", status.message()));
    }
    done += segment.data.size();
  }
  result.bytes_written = total;

  if (options.verify) {
    if (absl::Status status = Verify(client, image, options,
                                     "the memory there did not keep what was written (read-only, "
                                     "unmapped, or not programmable through this gdbserver?)");
        !status.ok()) {
      return status;
    }
    result.verified = true;
  }

  Report(options, "start", 0, 1);
  if (absl::Status status = SetEntryState(client, image, result); !status.ok()) {
    return status;
  }
  if (options.run) {
    if (absl::Status status = client.Continue(); !status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("cannot resume the target: ", status.message()));
    }
  }
  Report(options, "start", 1, 1);
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return result;
}

}  // namespace gale::runners
