// The gdbremote runner: flash an ELF through any gdbserver by writing its loadable segments,
// verifying them by read-back, setting the entry state and running.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "gale/elf/elf_file.h"
#include "gale/gdb/client.h"

namespace gale::runners {

struct FlashProgress {
  std::string phase;  ///< "halt", "load", "verify", "start"
  uint64_t done = 0;
  uint64_t total = 0;
};

struct FlashOptions {
  bool verify = true;  ///< read back every segment and compare CRC-32s
  bool run = true;     ///< resume the target at its entry after loading
  /// A monitor command (qRcmd) that resets the target, sent after halting and before loading:
  /// "system_reset" for QEMU, "reset halt" for OpenOCD. Empty: no reset, which suits a target
  /// that has not run since it was started (a new QEMU held at reset with -S). Re-flashing a
  /// target that has run needs it: without a reset, peripherals, pending interrupts and the
  /// core's mode (handler mode, the process stack) survive into the new image's start.
  std::string reset_command;
  std::function<void(const FlashProgress &)> progress;
};

struct FlashResult {
  uint64_t bytes_written = 0;
  bool verified = false;
  uint64_t entry = 0;       ///< the PC the target was started (or left) at
  uint64_t initial_sp = 0;  ///< Cortex-M: word 0 of the vector table
  double seconds = 0;
  /// What options.reset_command printed. Servers accept commands they do not know and say so
  /// only here (QEMU: "unknown command: 'x'"), so a caller may want to log it.
  std::string reset_output;
};

/// Flashes `image` through `client` (already handshaken). The target is halted first if
/// running (and reset when options.reset_command says how). Each loadable segment is written at
/// its load (physical) address; progress phases "halt", "load", "verify", "start". Entry state
/// by architecture: Cortex-M takes SP and PC from the vector table at the lowest load address
/// and xPSR gets the Thumb bit (the reset state); others start with pc at the ELF entry.
/// Registers are found by name in the server's target description, else by gdb's classic
/// numbers. Verification failures (DataLoss) name the segment and the first differing address;
/// a server that goes away mid-flash gives Unavailable naming its address.
absl::StatusOr<FlashResult> GdbRemoteFlash(gdb::Client &client, const elf::ElfFile &image,
                                           const FlashOptions &options);

/// Reads back every loadable segment of `image` and compares its CRC-32 with the image's
/// (progress phase "verify"). DataLoss names the segment and the first differing address.
absl::Status GdbRemoteVerify(gdb::Client &client, const elf::ElfFile &image,
                             const FlashOptions &options);

/// CRC-32 (IEEE 802.3, as zlib) used for read-back verification.
uint32_t Crc32(const uint8_t *data, size_t size, uint32_t crc = 0);

}  // namespace gale::runners
