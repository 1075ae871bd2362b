// The listing: sysfs first (never opens a probe), libusb only for a missing serial number.
//
// Plain POSIX calls (opendir, open) rather than std::filesystem: umockdev's preload library,
// which tests use to fake USB devices, redirects exactly these.
#include <dirent.h>
#include <fcntl.h>
#include <libusb.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gale/probes/probe.h"

namespace gale::probes {
namespace {

bool ListDir(const std::string &dir, std::vector<std::string> &names) {
  DIR *d = opendir(dir.c_str());
  if (d == nullptr) {
    return false;
  }
  while (dirent *entry = readdir(d)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") {
      names.push_back(std::move(name));
    }
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return true;
}

// A sysfs attribute, trimmed; empty when absent.
std::string ReadAttribute(const std::string &path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return "";
  }
  std::string text;
  char buffer[512];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) {
      break;
    }
    text.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return std::string(absl::StripAsciiWhitespace(text));
}

uint16_t ParseHex16(const std::string &text) {
  uint32_t value = 0;
  if (!absl::SimpleHexAtoi(text, &value) || value > 0xffff) {
    return 0;
  }
  return static_cast<uint16_t>(value);
}

int ParseInt(const std::string &text) {
  int value = 0;
  return absl::SimpleAtoi(text, &value) ? value : 0;
}

// The serial port of one interface: `tty/ttyACM0` (cdc_acm) or `ttyUSB0` (ftdi_sio).
std::string InterfaceTty(const std::string &interface_dir) {
  std::vector<std::string> names;
  if (ListDir(interface_dir + "/tty", names) && !names.empty()) {
    return names.front();
  }
  names.clear();
  if (ListDir(interface_dir, names)) {
    for (const std::string &name : names) {
      if (absl::StartsWith(name, "ttyUSB") || absl::StartsWith(name, "ttyACM")) {
        return name;
      }
    }
  }
  return "";
}

bool DefaultCanOpen(const std::string &node) {
  return access(node.c_str(), R_OK | W_OK) == 0;
}

// iSerialNumber through libusb, for devices whose sysfs has no `serial` (old kernels, some
// containers). Opens the device; a device that cannot be opened (busy, no permission) keeps an
// empty serial.
void FillSerialsFromLibusb(std::vector<Probe> &probes) {
  libusb_context *ctx = nullptr;
  if (libusb_init(&ctx) != 0) {
    return;
  }
  libusb_device **list = nullptr;
  ssize_t count = libusb_get_device_list(ctx, &list);
  for (ssize_t i = 0; i < count; ++i) {
    libusb_device *dev = list[i];
    for (Probe &probe : probes) {
      if (!probe.serial.empty() || probe.bus != libusb_get_bus_number(dev) ||
          probe.address != libusb_get_device_address(dev)) {
        continue;
      }
      libusb_device_descriptor desc{};
      if (libusb_get_device_descriptor(dev, &desc) != 0 || desc.iSerialNumber == 0) {
        continue;
      }
      libusb_device_handle *handle = nullptr;
      if (libusb_open(dev, &handle) != 0) {
        continue;
      }
      unsigned char text[256];
      int n = libusb_get_string_descriptor_ascii(handle, desc.iSerialNumber, text, sizeof text);
      if (n > 0) {
        probe.serial.assign(reinterpret_cast<const char *>(text), static_cast<size_t>(n));
      }
      libusb_close(handle);
    }
  }
  if (count >= 0) {
    libusb_free_device_list(list, 1);
  }
  libusb_exit(ctx);
}

}  // namespace

absl::StatusOr<std::vector<Probe>> ListProbes(const ScanOptions &options) {
  const std::string devices_dir = options.sysfs_root + "/bus/usb/devices";
  std::vector<std::string> names;
  if (!ListDir(devices_dir, names)) {
    if (errno == ENOENT) {
      return std::vector<Probe>();
    }
    return absl::InternalError(
        absl::StrCat("cannot read ", devices_dir, ": ", std::strerror(errno)));
  }
  std::vector<Probe> probes;
  for (const std::string &name : names) {
    // USB devices are "B-P.P..."; interfaces have a ':' and root hubs are "usbN".
    if (name.find(':') != std::string::npos || absl::StartsWith(name, "usb")) {
      continue;
    }
    const std::string dir = devices_dir + "/" + name;
    UsbIdentity usb;
    usb.vendor_id = ParseHex16(ReadAttribute(dir + "/idVendor"));
    usb.product_id = ParseHex16(ReadAttribute(dir + "/idProduct"));
    usb.product = ReadAttribute(dir + "/product");
    std::vector<std::string> entries;
    ListDir(dir, entries);
    std::vector<std::string> interface_dirs;
    for (const std::string &entry : entries) {
      if (absl::StartsWith(entry, name + ":")) {
        interface_dirs.push_back(dir + "/" + entry);
        UsbIdentity::Interface interface;
        interface.interface_class =
            static_cast<uint8_t>(ParseHex16(ReadAttribute(dir + "/" + entry + "/bInterfaceClass")));
        interface.name = ReadAttribute(dir + "/" + entry + "/interface");
        usb.interfaces.push_back(std::move(interface));
      }
    }
    std::optional<Recognised> recognised = Recognise(usb);
    if (!recognised) {
      continue;
    }
    Probe probe;
    probe.family = recognised->family;
    probe.version = recognised->version;
    probe.description = recognised->description;
    probe.vendor_id = usb.vendor_id;
    probe.product_id = usb.product_id;
    probe.serial = ReadAttribute(dir + "/serial");
    probe.manufacturer = ReadAttribute(dir + "/manufacturer");
    probe.product = usb.product;
    probe.usb_path = name;
    probe.bus = ParseInt(ReadAttribute(dir + "/busnum"));
    probe.address = ParseInt(ReadAttribute(dir + "/devnum"));
    probe.dev_node =
        absl::StrFormat("%s/bus/usb/%03d/%03d", options.dev_root, probe.bus, probe.address);
    for (const std::string &interface_dir : interface_dirs) {
      std::string tty = InterfaceTty(interface_dir);
      if (!tty.empty()) {
        probe.tty = options.dev_root + "/" + tty;
        break;
      }
    }
    bool can_open =
        options.can_open ? options.can_open(probe.dev_node) : DefaultCanOpen(probe.dev_node);
    if (!can_open) {
      probe.permission_problem = PermissionFix(probe);
    }
    probes.push_back(std::move(probe));
  }
  if (options.libusb_fallback &&
      std::any_of(probes.begin(), probes.end(), [](const Probe &p) { return p.serial.empty(); })) {
    FillSerialsFromLibusb(probes);
  }
  std::sort(probes.begin(), probes.end(),
            [](const Probe &a, const Probe &b) { return a.usb_path < b.usb_path; });
  return probes;
}

}  // namespace gale::probes
