// Debug probes attached over USB: what they are (family, version), who they are (serial number,
// USB path) and what comes with them (the virtual COM port of the same USB device). On Linux the
// listing reads sysfs and never opens a probe, so a probe held by a running OpenOCD is listed
// too; libusb string descriptors are read only when sysfs lacks the serial number.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gale::probes {

/// Where the udev rules that give the logged-in user access to every probe family live in the
/// Gale tree, and the name to install them under in /etc/udev/rules.d.
inline constexpr std::string_view kUdevRulesInTree = "sdk/probes/udev/60-gale-debug-probes.rules";
inline constexpr std::string_view kUdevRulesName = "60-gale-debug-probes.rules";

/// Probe families, as board.yaml `openocd: probe:` names them.
inline constexpr std::string_view kStlink = "stlink";
inline constexpr std::string_view kJlink = "jlink";
inline constexpr std::string_view kCmsisDap = "cmsis-dap";
inline constexpr std::string_view kFtdi = "ftdi";
inline constexpr std::string_view kEspUsbJtag = "esp-usb-jtag";

/// What a USB device says about itself, as far as recognising a probe needs.
struct UsbIdentity {
  uint16_t vendor_id = 0;
  uint16_t product_id = 0;
  std::string product;  ///< iProduct string; may be empty
  struct Interface {
    uint8_t interface_class = 0;  ///< bInterfaceClass (0x03 HID, 0xff vendor)
    std::string name;             ///< iInterface string; may be empty
  };
  std::vector<Interface> interfaces;
};

/// The family and version of a recognised probe.
struct Recognised {
  std::string family;       ///< one of kStlink, kJlink, kCmsisDap, kFtdi, kEspUsbJtag
  std::string version;      ///< "V2", "V2-1", "V3" (ST-Link); "v1" (HID), "v2" (bulk) for
                            ///< CMSIS-DAP; empty when the family has none or it is unknown
  std::string description;  ///< "ST-Link V2-1", "Raspberry Pi Debug Probe", ...
};

/// Recognises a debug probe by vendor/product id or, for CMSIS-DAP (any id), by an interface or
/// product string containing "CMSIS-DAP". nullopt: not a debug probe.
/// @pre any thread.
std::optional<Recognised> Recognise(const UsbIdentity &usb);

/// One attached probe.
struct Probe {
  std::string family;  ///< see Recognised
  std::string version;
  std::string description;
  uint16_t vendor_id = 0;
  uint16_t product_id = 0;
  std::string serial;        ///< iSerialNumber; empty when the probe has none
  std::string manufacturer;  ///< iManufacturer; may be empty
  std::string product;       ///< iProduct; may be empty
  std::string usb_path;      ///< bus-port chain, "1-2" or "3-1.4": stable while the cable stays
  int bus = 0;               ///< busnum
  int address = 0;           ///< devnum: changes on every re-plug
  std::string dev_node;      ///< "/dev/bus/usb/001/002"
  std::string tty;           ///< the CDC-ACM (or FTDI) serial port, "/dev/ttyACM0"; may be empty
  /// Empty when this user may open the probe; otherwise why not and how to fix it (the udev
  /// rules).
  std::string permission_problem;

  /// "0483:374b".
  std::string UsbId() const;
  /// The probe's serial or, when it has none, "usb:<usb_path>": how messages and bindings name it.
  std::string Key() const;
};

struct ScanOptions {
  /// The sysfs root ("/sys"). Under umockdev the preload library redirects it to the testbed.
  std::string sysfs_root = "/sys";
  /// Where device nodes are ("/dev").
  std::string dev_root = "/dev";
  /// Whether this process may open a device node read-write; default: access(R_OK | W_OK).
  /// Tests replace it to exercise the permission report (they run as root).
  std::function<bool(const std::string &dev_node)> can_open;
  /// Read the serial number through libusb when sysfs has none (opens the device briefly; a
  /// probe that cannot be opened keeps an empty serial).
  bool libusb_fallback = true;
};

/// Every attached debug probe, ordered by USB path. Other USB devices are skipped. A missing
/// sysfs (not Linux, or a container without it) gives an empty list, not an error.
/// @retval Internal sysfs exists but cannot be read (the message names the folder).
/// @pre any thread.
absl::StatusOr<std::vector<Probe>> ListProbes(const ScanOptions &options = {});

/// The fix for a probe this user may not open, naming the udev rules file.
std::string PermissionFix(const Probe &probe);

}  // namespace gale::probes
