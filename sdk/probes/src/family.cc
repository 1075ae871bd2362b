// Recognising debug probes by USB ids and strings. The ids are the ones the vendors assign to
// their probes (published in their documentation and in the USB ID registry).
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "gale/probes/probe.h"

namespace gale::probes {
namespace {

constexpr uint16_t kVendorSt = 0x0483;
constexpr uint16_t kVendorSegger = 0x1366;
constexpr uint16_t kVendorFtdi = 0x0403;
constexpr uint16_t kVendorRaspberryPi = 0x2e8a;
constexpr uint16_t kVendorEspressif = 0x303a;
constexpr uint8_t kClassHid = 0x03;

bool ContainsCmsisDap(const std::string &text) {
  return absl::StrContains(absl::AsciiStrToUpper(text), "CMSIS-DAP");
}

std::optional<Recognised> ByIds(uint16_t vid, uint16_t pid) {
  switch (vid) {
    case kVendorSt:
      switch (pid) {
        case 0x3748:
          return Recognised{std::string(kStlink), "V2", "ST-Link V2"};
        case 0x374b:
        case 0x3752:
          return Recognised{std::string(kStlink), "V2-1", "ST-Link V2-1"};
        case 0x374e:
        case 0x374f:
        case 0x3753:
        case 0x3754:
          return Recognised{std::string(kStlink), "V3", "ST-Link V3"};
        default:
          return std::nullopt;
      }
    case kVendorSegger:
      // SEGGER's product ids are all J-Link variants (0101..0108 in the classic enumeration,
      // 1015/1020/1050/1051/... in the composite ones with a virtual COM port).
      return Recognised{std::string(kJlink), "", "SEGGER J-Link"};
    case kVendorFtdi:
      if (pid == 0x6010) {
        return Recognised{std::string(kFtdi), "", "FT2232 JTAG"};
      }
      if (pid == 0x6014) {
        return Recognised{std::string(kFtdi), "", "FT232H JTAG"};
      }
      return std::nullopt;
    case kVendorRaspberryPi:
      if (pid == 0x000c) {
        return Recognised{std::string(kCmsisDap), "v2", "Raspberry Pi Debug Probe"};
      }
      return std::nullopt;
    case kVendorEspressif:
      if (pid == 0x1001) {
        return Recognised{std::string(kEspUsbJtag), "", "ESP USB-JTAG"};
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<Recognised> Recognise(const UsbIdentity &usb) {
  if (std::optional<Recognised> known = ByIds(usb.vendor_id, usb.product_id)) {
    return known;
  }
  // CMSIS-DAP probes may have any ids: the specification asks for "CMSIS-DAP" in the interface
  // string (v2, bulk) or the product string (v1, HID).
  for (const UsbIdentity::Interface &interface : usb.interfaces) {
    if (ContainsCmsisDap(interface.name)) {
      bool hid = interface.interface_class == kClassHid;
      return Recognised{std::string(kCmsisDap), hid ? "v1" : "v2",
                        usb.product.empty() ? std::string("CMSIS-DAP") : usb.product};
    }
  }
  if (ContainsCmsisDap(usb.product)) {
    std::string version;
    for (const UsbIdentity::Interface &interface : usb.interfaces) {
      if (interface.interface_class == kClassHid) {
        version = "v1";
      }
    }
    return Recognised{std::string(kCmsisDap), version, usb.product};
  }
  return std::nullopt;
}

std::string Probe::UsbId() const {
  return absl::StrFormat("%04x:%04x", vendor_id, product_id);
}

std::string Probe::Key() const {
  return serial.empty() ? "usb:" + usb_path : serial;
}

std::string PermissionFix(const Probe &probe) {
  return absl::StrFormat(
      "no read-write access to %s (%s %s): install Gale's udev rules (%s) with `sudo cp %s "
      "/etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger`, then "
      "re-plug the probe",
      probe.dev_node, probe.description, probe.Key(), std::string(kUdevRulesInTree),
      std::string(kUdevRulesInTree));
}

}  // namespace gale::probes
