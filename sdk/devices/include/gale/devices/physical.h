// A physical board reached through a debug probe: what the probe listing (sdk/probes) and the
// store's bindings know about it, and what a runner (OpenOCD, sdk/runners/openocd) needs to
// drive it. The manager builds physical devices through a factory so that it does not depend
// on any one runner.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gale/boards/catalog.h"

namespace gale::devices {

class Device;

/// One attached probe bound to a board.
struct PhysicalDeviceSpec {
  std::string name;    ///< the user's name for it (`gale devices assign ... --name`); may be empty
  std::string serial;  ///< the probe's USB serial number: the device's identity
  std::string probe;   ///< probe family: "stlink", "jlink", "cmsis-dap", "ftdi", ...
  std::string usb_path;  ///< "1-2.4" (bus-ports), for messages
  std::string tty;       ///< the probe's virtual COM port ("/dev/ttyACM0"); empty when none
  boards::Board board;   ///< the board it is bound to (with its `openocd:` settings)
};

/// Builds the Device for a spec; `run_dir` is a private folder (0700) for the device's logs
/// and sockets.
using PhysicalDeviceFactory = std::function<absl::StatusOr<std::shared_ptr<Device>>(
    const PhysicalDeviceSpec &spec, const std::string &run_dir)>;

}  // namespace gale::devices
