// A device: a board (emulated here; physical ones later) that images are flashed to, run on and
// watched through. The daemon's Devices, Flash and Console services are thin adapters over it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gale/devices/console_hub.h"
#include "gale/runners/gdbremote.h"

namespace gale::devices {

/// gale.v1.DeviceKind
enum class DeviceKind { kEmulated, kPhysical };

/// gale.v1.DeviceState
enum class DeviceState {
  kHalted,  ///< emulator up, CPU stopped (held at reset, or halted)
  kFlashing,
  kRunning,
  kExited,   ///< the image exited (semihosting or native exit); see exit_code
  kOffline,  ///< the emulator died (see error); a flash or reset starts a new one
};

/// "halted", "flashing", "running", "exited", "offline".
std::string_view DeviceStateName(DeviceState state);

/// A snapshot of a device: gale.v1.Device.
struct DeviceInfo {
  std::string id;    ///< "emu-<board>-<n>"
  std::string name;  ///< the id unless a name was given
  std::string board;
  DeviceKind kind = DeviceKind::kEmulated;
  DeviceState state = DeviceState::kHalted;
  std::string gdb_address;      ///< "unix:<run dir>/gdb.sock"; empty for native_sim
  std::string console_address;  ///< "pipe:<run dir>/uart" (held by the device); may be empty
  int exit_code = 0;            ///< valid in kExited
  std::string image;            ///< the image last flashed
  absl::Time created;
  std::string error;  ///< why it is offline, when it is
};

/// Flash options and results are the gdbremote runner's (verify, run, progress callback with
/// phases "halt", "load", "verify", "start").
using runners::FlashOptions;
using runners::FlashProgress;
using runners::FlashResult;

/// Memory accesses made inside one pause of the CPU (see Device::OpenMemorySession). Not
/// thread-safe: one user at a time.
class MemorySession {
 public:
  virtual ~MemorySession() = default;  ///< lets a CPU that was running run again
  virtual absl::StatusOr<std::vector<uint8_t>> Read(uint64_t address, size_t length) = 0;
  virtual absl::Status Write(uint64_t address, std::span<const uint8_t> data) = 0;
};

/// A debugger's hold on a device's GDB server (Device::LendDebugServer); ends when destroyed.
class DebugLease {
 public:
  virtual ~DebugLease() = default;
  /// Where the GDB remote server listens: "unix:PATH" or "tcp:HOST:PORT".
  virtual const std::string &address() const = 0;
};

/// One device. Every method is thread-safe; operations on one device are serialised (one gdb
/// connection at a time). Errors name the device and say what to do.
class Device {
 public:
  virtual ~Device() = default;

  virtual const std::string &id() const = 0;
  virtual DeviceInfo Info() const = 0;

  /// Loads `image` (gale.elf; gale.exe for native_sim), verifies it and, with options.run,
  /// starts it; the device is then kRunning (else kHalted at the entry point). A device whose
  /// emulator has exited or died gets a fresh one first; one that already ran an image is reset
  /// first.
  /// @retval InvalidArgument the image is malformed or for another architecture (the device is
  ///         unchanged and stays usable)
  /// @retval NotFound no such file
  /// @retval Unavailable the emulator died during the flash: "qemu-system-arm exited with status
  ///         N during flash: <its last output>" (the device is then kOffline)
  /// @retval FailedPrecondition the device was deleted
  virtual absl::StatusOr<FlashResult> Flash(const std::string &image,
                                            const FlashOptions &options) = 0;

  /// Resets the board. Without `halt`, the image last flashed starts again (kRunning; kHalted
  /// when nothing was flashed); with it, the CPU stays at its reset state (kHalted). An emulator
  /// that has exited or died is started again (and the last image reloaded).
  virtual absl::Status Reset(bool halt = false) = 0;
  /// Stops the CPU (kHalted). FailedPrecondition when nothing runs.
  virtual absl::Status Halt() = 0;
  /// Lets the CPU run again (kRunning). FailedPrecondition when the emulator is not up.
  virtual absl::Status Resume() = 0;

  /// Target memory (at most 1 MiB a call). A running CPU is paused for the access and resumed.
  /// Unimplemented on native_sim.
  virtual absl::StatusOr<std::vector<uint8_t>> ReadMemory(uint64_t address, size_t length) = 0;
  virtual absl::Status WriteMemory(uint64_t address, std::span<const uint8_t> data) = 0;
  /// Several accesses for the price of one: the CPU is paused once, for as long as the session
  /// lives, and the device's other operations wait until it ends (keep it short: an RTT poll).
  /// The default forwards each access to ReadMemory()/WriteMemory().
  virtual absl::StatusOr<std::unique_ptr<MemorySession>> OpenMemorySession();
  /// Hands the device's GDB remote server to a debugger for the lease's life (QEMU's gdbstub
  /// serves one client): meanwhile the device's own operations that need it (flash, reset,
  /// halt, memory, RTT) fail with FailedPrecondition "a debugger is attached". When the lease
  /// ends, a loaded image runs again (kRunning).
  /// @retval FailedPrecondition a debugger already holds it; the device is not up
  /// @retval Unimplemented the device has no GDB server (native_sim: debug the program itself)
  virtual absl::StatusOr<std::unique_ptr<DebugLease>> LendDebugServer();

  /// The console (UART output, or the native program's stdout and stderr; input goes to the UART
  /// or the program's stdin). Lives as long as the device.
  virtual ConsoleHub &console() = 0;

  /// Waits for the running image to end. Returns its exit code once the device is kExited
  /// (immediately if it already is).
  /// @retval Unavailable the emulator died instead (the message says how, with its output)
  /// @retval DeadlineExceeded still running after `timeout`
  /// @retval Cancelled `*cancel` became true (checked every 50 ms), or the device was deleted
  virtual absl::StatusOr<int> WaitExit(absl::Duration timeout,
                                       const std::atomic<bool> *cancel = nullptr) = 0;

  /// Called with a fresh snapshot after every change of the device's state or fields, on the
  /// thread that made the change, never with a device lock held. The manager sets this; one
  /// listener per device.
  virtual void SetChangeListener(std::function<void(const DeviceInfo &)> listener) = 0;

  /// Stops the emulator for good, removes the run folder and closes the console. Operations in
  /// progress fail quickly; later ones return FailedPrecondition. Idempotent.
  virtual void Shutdown() = 0;
};

/// Where a build folder's image for `board_emulator` is: BUILD/gale/gale.exe for "native",
/// BUILD/gale/gale.elf otherwise.
std::string ImageInBuildDir(const std::string &build_dir, std::string_view board_emulator);

}  // namespace gale::devices
