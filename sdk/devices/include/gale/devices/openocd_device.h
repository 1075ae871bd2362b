// A physical board driven through its debug probe by OpenOCD (sdk/runners/openocd), with the
// probe's virtual COM port as its console.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gale/devices/console_hub.h"
#include "gale/devices/device.h"
#include "gale/devices/physical.h"

namespace gale::devices {

struct OpenOcdDeviceOptions {
  std::string openocd_binary = "openocd";
  /// Extra OpenOCD commands (`-c`) after the board's settings, before `init`.
  std::vector<std::string> extra_commands;
  absl::Duration start_timeout = absl::Seconds(20);    ///< OpenOCD up and the target examined
  absl::Duration command_timeout = absl::Seconds(10);  ///< reset, halt, memory, verify
  absl::Duration flash_timeout = absl::Minutes(5);     ///< erase and write
  uint32_t console_baud = 115200;  ///< the tty's speed (8N1, raw, no flow control)
  size_t console_capacity = ConsoleHub::kDefaultCapacity;
};

/// The device for `spec`, with `run_dir` (created 0700 if missing) for OpenOCD's log.
///
/// - id: the probe's serial; name: spec.name, or the serial when unnamed; kind kPhysical;
///   state kRunning at first (a powered board runs what it holds), kHalted/kRunning after
///   operations, kOffline (with the one-line reason in `error`) when OpenOCD cannot reach the
///   probe or the board.
/// - OpenOCD starts at the first operation and stays up while the device lives (its GDB server
///   then shows as DeviceInfo.gdb_address "tcp:127.0.0.1:PORT"); one that exited or timed out is
///   started again by the next operation.
/// - Flash takes an ELF (checked against the board's arch) or an Intel HEX image; progress
///   phases "connect", "write" (erase and write), "verify", "reset".
/// - The console is spec.tty (raw, console_baud 8N1): output into the ConsoleHub, input to the
///   tty. Without a tty, or when it cannot be opened, the console reports why as `stopped`.
/// - Errors start with what failed and name the device: "flash failed: bench-1 (serial
///   0669FF...): no probe found: ... (log: RUN_DIR/openocd.log)"; statuses from OpenOCD carry
///   its error class and output (gale/runners/openocd_errors.h).
///
/// @retval InvalidArgument spec.serial is empty
/// @retval FailedPrecondition the board has no `openocd:` settings
absl::StatusOr<std::shared_ptr<Device>> CreateOpenOcdDevice(const PhysicalDeviceSpec &spec,
                                                            const std::string &run_dir,
                                                            const OpenOcdDeviceOptions &options);

/// A PhysicalDeviceFactory that makes OpenOCD devices with `options`.
PhysicalDeviceFactory MakeOpenOcdDeviceFactory(OpenOcdDeviceOptions options = {});

}  // namespace gale::devices
