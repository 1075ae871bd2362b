// One run of an image on a fresh emulated device: what `gale run` and the test runner need.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gale/boards/catalog.h"
#include "gale/devices/device.h"
#include "gale/devices/device_manager.h"

namespace gale::devices {

struct TransientRunOptions {
  boards::Board board;
  std::string image;     ///< gale.elf, or gale.exe for native_sim (see ImageInBuildDir)
  CreateOptions create;  ///< the device's name, -icount
  /// How long the image may run (from the end of the flash) before it is stopped.
  absl::Duration timeout = absl::Seconds(60);
  /// Polled every 50 ms; when it becomes true the run stops (kCancelled).
  const std::atomic<bool> *cancel = nullptr;
  /// The device was created (its id, for logs), before the flash.
  std::function<void(const DeviceInfo &)> on_device;
  std::function<void(const FlashProgress &)> on_progress;
  /// Console output as it comes, on the device's thread (quick, non-blocking).
  std::function<void(std::string_view bytes)> on_output;
  /// At most this much output is kept in the result (the start of it; on_output sees it all).
  size_t max_output = 8 << 20;
  bool verify = true;
};

struct TransientRunResult {
  enum class Outcome {
    kExited,    ///< the image exited; exit_code is its status
    kTimedOut,  ///< still running when the timeout came; stopped
    kCancelled,
    kDied,  ///< the emulator died (crash, killed); error says how
  };
  Outcome outcome = Outcome::kExited;
  int exit_code = 0;
  std::string error;   ///< for kTimedOut, kCancelled and kDied
  std::string output;  ///< the console output (up to max_output)
  bool output_truncated = false;
  std::string device_id;
  FlashResult flash;
};

/// "exited", "timed out", "cancelled", "died".
std::string_view OutcomeName(TransientRunResult::Outcome outcome);

/// Creates a device for options.board in `manager`, flashes options.image, runs it, collects its
/// console until it exits (or the timeout, cancellation or the emulator's death), and deletes
/// the device whatever happens. Errors are for runs that never started: the device could not be
/// created (unknown emulator, QEMU missing or failing to start) or the flash failed (malformed
/// ELF: InvalidArgument; emulator died: Unavailable). Thread-safe: runs in parallel on one
/// manager are independent.
absl::StatusOr<TransientRunResult> TransientRun(DeviceManager &manager,
                                                const TransientRunOptions &options);

}  // namespace gale::devices
