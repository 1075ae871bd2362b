// Probe listing against fake USB devices: one recorded description per probe family.
#include <glib.h>
#include <umockdev.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "gale/probes/monitor.h"
#include "gale/probes/probe.h"
#include "gtest/gtest.h"

namespace gale::probes {
namespace {

class ProbesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Without the preload library the test would read this machine's real /sys.
    const char *preload = getenv("LD_PRELOAD");
    ASSERT_TRUE(preload != nullptr && strstr(preload, "umockdev-preload") != nullptr)
        << "run under umockdev-wrapper (ctest does)";
    testbed_ = umockdev_testbed_new();
  }
  void TearDown() override {
    if (testbed_ != nullptr) {
      g_object_unref(testbed_);
    }
  }
  void Load(const std::string &file) {
    GError *error = nullptr;
    std::string path = std::string(GALE_PROBES_TEST_DATA) + "/" + file;
    ASSERT_TRUE(umockdev_testbed_add_from_file(testbed_, path.c_str(), &error))
        << path << ": " << (error != nullptr ? error->message : "?");
  }
  std::vector<Probe> List(ScanOptions options = {}) {
    options.libusb_fallback = false;
    absl::StatusOr<std::vector<Probe>> probes = ListProbes(options);
    EXPECT_TRUE(probes.ok()) << probes.status();
    return probes.ok() ? *probes : std::vector<Probe>();
  }
  Probe Only(const std::string &file) {
    Load(file);
    std::vector<Probe> probes = List();
    EXPECT_EQ(probes.size(), 1u) << file;
    return probes.empty() ? Probe() : probes.front();
  }

  UMockdevTestbed *testbed_ = nullptr;
};

TEST_F(ProbesTest, StlinkV2HasNoVirtualComPort) {
  Probe p = Only("stlink-v2.umockdev");
  EXPECT_EQ(p.family, "stlink");
  EXPECT_EQ(p.version, "V2");
  EXPECT_EQ(p.serial, "48FF6B064987534917291287");
  EXPECT_EQ(p.UsbId(), "0483:3748");
  EXPECT_EQ(p.usb_path, "1-1");
  EXPECT_EQ(p.bus, 1);
  EXPECT_EQ(p.address, 2);
  EXPECT_EQ(p.dev_node, "/dev/bus/usb/001/002");
  EXPECT_EQ(p.manufacturer, "STMicroelectronics");
  EXPECT_EQ(p.product, "STM32 STLink");
  EXPECT_EQ(p.tty, "");
}

TEST_F(ProbesTest, StlinkV21WithItsTty) {
  Probe p = Only("stlink-v2-1.umockdev");
  EXPECT_EQ(p.family, "stlink");
  EXPECT_EQ(p.version, "V2-1");
  EXPECT_EQ(p.description, "ST-Link V2-1");
  EXPECT_EQ(p.serial, "0669FF3731324B4E43171234");
  EXPECT_EQ(p.usb_path, "1-2");
  EXPECT_EQ(p.tty, "/dev/ttyACM0");
}

TEST_F(ProbesTest, StlinkV3) {
  Probe p = Only("stlink-v3.umockdev");
  EXPECT_EQ(p.family, "stlink");
  EXPECT_EQ(p.version, "V3");
  EXPECT_EQ(p.tty, "/dev/ttyACM1");
}

TEST_F(ProbesTest, JLink) {
  Probe p = Only("jlink.umockdev");
  EXPECT_EQ(p.family, "jlink");
  EXPECT_EQ(p.serial, "000683012345");
  EXPECT_EQ(p.UsbId(), "1366:1015");
  EXPECT_EQ(p.tty, "/dev/ttyACM2");
}

TEST_F(ProbesTest, JLinkWithoutSerialIsNamedByUsbPath) {
  Probe p = Only("jlink-no-serial.umockdev");
  EXPECT_EQ(p.family, "jlink");
  EXPECT_EQ(p.serial, "");
  EXPECT_EQ(p.Key(), "usb:1-11");
}

TEST_F(ProbesTest, CmsisDapV2RecognisedByInterfaceString) {
  Probe p = Only("cmsis-dap-v2.umockdev");
  EXPECT_EQ(p.family, "cmsis-dap");
  EXPECT_EQ(p.version, "v2");
  EXPECT_EQ(p.UsbId(), "c251:f002");  // an id no table lists: the interface string decides
  EXPECT_EQ(p.product, "DAPLink");
  EXPECT_EQ(p.tty, "/dev/ttyACM3");
}

TEST_F(ProbesTest, CmsisDapV1RecognisedByProductStringOverHid) {
  Probe p = Only("cmsis-dap-v1.umockdev");
  EXPECT_EQ(p.family, "cmsis-dap");
  EXPECT_EQ(p.version, "v1");
  EXPECT_EQ(p.tty, "");
}

TEST_F(ProbesTest, RaspberryPiDebugProbe) {
  Probe p = Only("rpi-debug-probe.umockdev");
  EXPECT_EQ(p.family, "cmsis-dap");
  EXPECT_EQ(p.version, "v2");
  EXPECT_EQ(p.description, "Raspberry Pi Debug Probe");
  EXPECT_EQ(p.serial, "E6614103E7651D2F");
  EXPECT_EQ(p.tty, "/dev/ttyACM4");
}

TEST_F(ProbesTest, FtdiJtagWithTtyUsb) {
  Probe p = Only("ftdi-ft2232.umockdev");
  EXPECT_EQ(p.family, "ftdi");
  EXPECT_EQ(p.UsbId(), "0403:6010");
  EXPECT_EQ(p.tty, "/dev/ttyUSB0");
}

TEST_F(ProbesTest, EspUsbJtag) {
  Probe p = Only("esp-usb-jtag.umockdev");
  EXPECT_EQ(p.family, "esp-usb-jtag");
  EXPECT_EQ(p.serial, "F4:12:FA:4B:3C:10");
  EXPECT_EQ(p.tty, "/dev/ttyACM5");
}

TEST_F(ProbesTest, OtherUsbDevicesAreNotProbes) {
  Load("not-a-probe.umockdev");
  EXPECT_TRUE(List().empty());
}

TEST_F(ProbesTest, EveryFamilyAtOnceInUsbPathOrder) {
  for (const char *file :
       {"stlink-v2.umockdev", "stlink-v2-1.umockdev", "stlink-v3.umockdev", "jlink.umockdev",
        "cmsis-dap-v2.umockdev", "cmsis-dap-v1.umockdev", "rpi-debug-probe.umockdev",
        "ftdi-ft2232.umockdev", "esp-usb-jtag.umockdev", "not-a-probe.umockdev"}) {
    Load(file);
  }
  std::vector<Probe> probes = List();
  ASSERT_EQ(probes.size(), 9u);
  std::vector<std::string> families;
  for (const Probe &p : probes) {
    families.push_back(p.family);
  }
  EXPECT_EQ(families, (std::vector<std::string>{"stlink", "stlink", "stlink", "jlink", "cmsis-dap",
                                                "cmsis-dap", "cmsis-dap", "ftdi", "esp-usb-jtag"}));
}

TEST_F(ProbesTest, TwoStlinksEachWithItsOwnTty) {
  Load("stlink-v2-1.umockdev");
  Load("stlink-v3.umockdev");
  std::vector<Probe> probes = List();
  ASSERT_EQ(probes.size(), 2u);
  EXPECT_EQ(probes[0].tty, "/dev/ttyACM0");
  EXPECT_EQ(probes[1].tty, "/dev/ttyACM1");
}

TEST_F(ProbesTest, ProbeThisUserCannotOpenIsListedWithTheFix) {
  Load("stlink-v2-1.umockdev");
  ScanOptions options;
  std::vector<std::string> asked;
  options.can_open = [&asked](const std::string &node) {
    asked.push_back(node);
    return false;
  };
  std::vector<Probe> probes = List(options);
  ASSERT_EQ(probes.size(), 1u);
  EXPECT_EQ(asked, std::vector<std::string>{"/dev/bus/usb/001/003"});
  const std::string &problem = probes[0].permission_problem;
  EXPECT_TRUE(absl::StrContains(problem, "/dev/bus/usb/001/003")) << problem;
  EXPECT_TRUE(absl::StrContains(problem, "60-gale-debug-probes.rules")) << problem;
  EXPECT_TRUE(absl::StrContains(problem, "udevadm")) << problem;
}

TEST_F(ProbesTest, AccessibleProbeHasNoPermissionProblem) {
  Load("stlink-v2-1.umockdev");
  ScanOptions options;
  options.can_open = [](const std::string &) { return true; };
  std::vector<Probe> probes = List(options);
  ASSERT_EQ(probes.size(), 1u);
  EXPECT_EQ(probes[0].permission_problem, "");
}

// Collects monitor events and waits for them.
struct Events {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<ProbeEvent> events;
  void Add(const ProbeEvent &e) {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(e);
    cv.notify_all();
  }
  bool WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return events.size() >= n; });
  }
};

// A J-Link plugged in and out of a live testbed, with `options` deciding how the monitor learns
// of it.
void PlugAndUnplug(UMockdevTestbed *testbed, const std::string &data_file, MonitorOptions options,
                   bool expect_hotplug) {
  options.scan.libusb_fallback = false;
  Monitor monitor(options);
  Events events;
  ASSERT_TRUE(monitor.Start([&events](const ProbeEvent &e) { events.Add(e); }).ok());
  EXPECT_EQ(monitor.hotplug(), expect_hotplug);
  ASSERT_EQ(monitor.Current().size(), 1u);  // present at start: not an event

  const char *syspath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4";
  GError *error = nullptr;
  ASSERT_TRUE(umockdev_testbed_add_from_file(testbed, data_file.c_str(), &error));
  umockdev_testbed_uevent(testbed, syspath, "add");
  ASSERT_TRUE(events.WaitFor(1));
  {
    std::lock_guard<std::mutex> lock(events.mu);
    EXPECT_EQ(events.events[0].kind, ProbeEvent::Kind::kAdded);
    EXPECT_EQ(events.events[0].probe.serial, "000683012345");
    EXPECT_EQ(events.events[0].probe.tty, "/dev/ttyACM2");
  }
  umockdev_testbed_uevent(testbed, syspath, "remove");
  umockdev_testbed_remove_device(testbed, syspath);
  ASSERT_TRUE(events.WaitFor(2));
  {
    std::lock_guard<std::mutex> lock(events.mu);
    EXPECT_EQ(events.events[1].kind, ProbeEvent::Kind::kRemoved);
    EXPECT_EQ(events.events[1].probe.serial, "000683012345");
    EXPECT_EQ(events.events.size(), 2u);
  }
  EXPECT_EQ(monitor.Current().size(), 1u);
  monitor.Stop();
}

TEST_F(ProbesTest, LibusbHotplugReportsArrivalAndRemoval) {
  Load("stlink-v2.umockdev");
  MonitorOptions options;
  // Far beyond the wait: only libusb's hot-plug callback can deliver the events in time.
  options.poll_interval = absl::Seconds(60);
  PlugAndUnplug(testbed_, std::string(GALE_PROBES_TEST_DATA) + "/jlink.umockdev", options,
                /*expect_hotplug=*/true);
}

TEST_F(ProbesTest, PeriodicListingWithoutHotplugReportsArrivalAndRemoval) {
  Load("stlink-v2.umockdev");
  MonitorOptions options;
  options.use_libusb_hotplug = false;
  options.poll_interval = absl::Milliseconds(100);
  PlugAndUnplug(testbed_, std::string(GALE_PROBES_TEST_DATA) + "/jlink.umockdev", options,
                /*expect_hotplug=*/false);
}

}  // namespace
}  // namespace gale::probes
