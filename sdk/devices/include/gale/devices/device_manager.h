// The devices a daemon owns: creating emulated boards, finding devices by id or name, watching
// changes, and stopping everything on shutdown.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gale/boards/catalog.h"
#include "gale/devices/console_hub.h"
#include "gale/devices/device.h"
#include "gale/devices/physical.h"

namespace gale::devices {

struct DeviceManagerOptions {
  /// Each device gets a private run folder `<runtime_dir>/<id>` (mode 0700) for its sockets and
  /// emulator log. Keep it short: unix socket paths are limited to 107 bytes. One manager (one
  /// daemon) per folder: the first Create() locks it (`<runtime_dir>/lock`, released when the
  /// process ends, however it ends) and removes run folders a dead predecessor left behind.
  std::string runtime_dir;
  size_t console_capacity = ConsoleHub::kDefaultCapacity;
  /// How long an emulator may take to open its sockets.
  absl::Duration emulator_start_timeout = absl::Seconds(10);
  /// How long a gdbstub may take to answer one request.
  absl::Duration gdb_reply_timeout = absl::Seconds(10);
};

/// gale.v1.CreateDeviceRequest
struct CreateOptions {
  std::string name;  ///< optional; unique among the devices; the id when empty
  /// QEMU -icount shift (0: deterministic, one instruction per virtual ns); nullopt: no
  /// -icount. Ignored for native_sim.
  std::optional<int> icount_shift = 0;
  std::vector<std::string> extra_emulator_args;  ///< appended to QEMU's command line
  /// native_sim: pace simulated time against the host's clock (the program's --rt), as a board
  /// runs and as a user watching it expects; otherwise it runs as fast as the host allows (what
  /// a test run wants), and a program whose threads only sleep keeps a host CPU busy.
  bool native_real_time = false;
};

/// gale.v1.DeviceEvent
struct DeviceEvent {
  enum class Kind { kAdded, kChanged, kRemoved };
  Kind kind = Kind::kChanged;
  DeviceInfo device;
};

/// Thread-safe. Devices are shared_ptrs: one deleted while an operation on it runs stays valid
/// for that operation, which then fails quickly.
class DeviceManager {
 public:
  explicit DeviceManager(DeviceManagerOptions options);
  /// Shutdown().
  ~DeviceManager();
  DeviceManager(const DeviceManager &) = delete;
  DeviceManager &operator=(const DeviceManager &) = delete;

  /// `$XDG_RUNTIME_DIR/gale/devices`, else `/tmp/gale-<uid>/devices`.
  static std::string DefaultRuntimeDir();

  /// Starts an emulated board (QEMU held at reset, or native_sim waiting for an image) with an
  /// id "emu-<board>-<n>", never reused while this manager lives.
  /// @retval FailedPrecondition the board has no emulator (a physical-only board), the manager
  ///         was shut down, or another process uses the runtime folder
  /// @retval AlreadyExists the name is taken
  /// @retval NotFound the emulator is not installed
  /// @retval Unavailable / DeadlineExceeded the emulator failed to start (its output quoted)
  absl::StatusOr<std::shared_ptr<Device>> Create(const boards::Board &board,
                                                 const CreateOptions &options = {});

  /// Snapshots of every device, ordered by creation.
  std::vector<DeviceInfo> List() const;
  /// A device by id or name. NotFound: "no device 'x'; devices: emu-a-1, emu-b-1" (or "there
  /// are no devices; create one with gale emu start").
  absl::StatusOr<std::shared_ptr<Device>> Get(std::string_view id_or_name) const;
  /// Stops the device and forgets it (NotFound as Get).
  absl::Status Delete(std::string_view id_or_name);

  /// Calls `callback` with kAdded for every current device (when `send_current`), then with
  /// every change until Unwatch. Callbacks come from the threads that make the changes, one at a
  /// time (never concurrently, in order), and must be quick and must not call the manager (Watch,
  /// Unwatch, Create, Delete, ...).
  using WatchId = uint64_t;
  WatchId Watch(std::function<void(const DeviceEvent &)> callback, bool send_current = true);
  /// After it returns, the callback is not running and is not called again.
  void Unwatch(WatchId id);

  /// How physical devices are built (the OpenOCD runner's factory). Without one, GetPhysical
  /// returns Unimplemented. Set it once, before serving.
  void SetPhysicalFactory(PhysicalDeviceFactory factory);

  /// The Device of a physical board: one per probe serial, created through the factory on first
  /// use (with a private run folder `<runtime_dir>/phys-<serial>`) and cached; a spec for the
  /// same serial with another board, tty or USB path replaces the cached device. Physical
  /// devices are not in List() (the daemon lists probes itself) but their changes reach the
  /// watchers as kChanged.
  /// @retval Unimplemented no factory: "flashing physical boards needs the OpenOCD runner"
  /// @retval InvalidArgument the spec has no serial
  /// @retval FailedPrecondition the manager was shut down
  /// @returns also whatever the factory returns.
  absl::StatusOr<std::shared_ptr<Device>> GetPhysical(const PhysicalDeviceSpec &spec);

  /// Stops every device's emulator and forgets them; later Create calls fail. Idempotent.
  void Shutdown();

 private:
  void Dispatch(const DeviceEvent &event);
  /// Takes the runtime folder's lock (once); guarded by mu_.
  absl::Status LockRuntimeDirLocked();

  const DeviceManagerOptions options_;
  mutable std::mutex mu_;                         ///< guards the fields below
  std::vector<std::shared_ptr<Device>> devices_;  ///< in creation order
  std::map<std::string, std::string> names_;      ///< name -> id, including reserved ones
  std::map<std::string, uint64_t> next_number_;   ///< per board
  bool shut_down_ = false;
  int lock_fd_ = -1;
  PhysicalDeviceFactory physical_factory_;
  struct Physical {
    std::string fingerprint;  ///< board, tty and USB path of the spec it was built for
    std::shared_ptr<Device> device;
  };
  std::map<std::string, Physical> physical_;  ///< by serial

  std::mutex dispatch_mu_;  ///< held while callbacks run; guards watchers_
  std::map<WatchId, std::function<void(const DeviceEvent &)>> watchers_;
  WatchId next_watch_ = 1;
};

}  // namespace gale::devices
