// galed's physical devices through its gRPC services: fake probes (umockdev testbed), a real
// store, and a board tree holding a hardware-only board with OpenOCD settings.
#include <glib.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <umockdev.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "gale/daemon/daemon.h"
#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/flash.grpc.pb.h"

namespace gale::daemon {
namespace {
namespace fs = std::filesystem;

constexpr const char *kS1 = "0669FF3731324B4E43171234";  // stlink-v2-1.umockdev, USB 1-2
constexpr const char *kS3 = "002F00183438510B34313939";  // stlink-v3.umockdev, USB 1-3

class DaemonProbesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char *preload = getenv("LD_PRELOAD");
    ASSERT_TRUE(preload != nullptr && strstr(preload, "umockdev-preload") != nullptr)
        << "run under umockdev-wrapper (ctest does)";
    testbed_ = umockdev_testbed_new();
    Load("stlink-v2-1.umockdev");
    Load("stlink-v3.umockdev");
    char tmpl[] = "/tmp/gale-daemon-probes.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    // A Gale tree with one emulated board and one hardware-only board.
    base_ = dir_ + "/base";
    fs::create_directories(base_ + "/kernel");
    fs::create_directories(base_ + "/boards/st/nucleo_test");
    fs::create_directories(base_ + "/boards/qemu");
    std::ofstream(base_ + "/Kconfig.gale") << "";
    fs::copy(std::string(GALE_SOURCE_DIR) + "/boards/qemu/qemu_cortex_m3",
             base_ + "/boards/qemu/qemu_cortex_m3", fs::copy_options::recursive);
    std::ofstream(base_ + "/boards/st/nucleo_test/board.yaml")
        << "board:\n  name: nucleo_test\n  full_name: test board\n  vendor: st\n  arch: arm\n"
           "  soc: stm32f401xe\n  cpu: cortex-m4\n  ram_kb: 96\n  flash_kb: 512\n"
           "openocd:\n  configs: [interface/stlink.cfg, target/stm32f4x.cfg]\n"
           "  transport: hla_swd\n  probe: stlink\n";
    // A build folder for it, as CMake leaves one.
    build_ = dir_ + "/build";
    fs::create_directories(build_ + "/gale");
    std::ofstream(build_ + "/CMakeCache.txt") << "GALE_CACHED_BOARD:STRING=nucleo_test\n";
    std::ofstream(build_ + "/gale/gale.elf") << "not really an ELF";

    Options options;
    options.listen = {"unix:" + dir_ + "/run/galed.sock"};
    options.state_dir = dir_ + "/state";
    options.runtime_dir = dir_ + "/run";
    options.gale_base = base_;
    auto daemon = Daemon::Create(options);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = std::move(*daemon);
    ASSERT_TRUE(daemon_->Start().ok());
    auto channel = grpc::CreateChannel(options.listen.front(), grpc::InsecureChannelCredentials());
    devices_ = v1::Devices::NewStub(channel);
    flash_ = v1::Flash::NewStub(channel);
  }
  void TearDown() override {
    daemon_.reset();
    if (!dir_.empty()) {
      fs::remove_all(dir_);
    }
    if (testbed_ != nullptr) {
      g_object_unref(testbed_);
    }
  }
  void Load(const std::string &file) {
    GError *error = nullptr;
    std::string path = std::string(GALE_PROBES_TEST_DATA) + "/" + file;
    ASSERT_TRUE(umockdev_testbed_add_from_file(testbed_, path.c_str(), &error)) << path;
  }
  v1::ListDevicesResponse List() {
    grpc::ClientContext ctx;
    v1::ListDevicesResponse response;
    grpc::Status status = devices_->ListDevices(&ctx, {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  grpc::Status Assign(const std::string &serial, const std::string &board, const std::string &name,
                      v1::Device *out = nullptr) {
    grpc::ClientContext ctx;
    v1::AssignDeviceRequest request;
    request.set_serial(serial);
    request.set_board(board);
    request.set_name(name);
    v1::Device device;
    grpc::Status status = devices_->Assign(&ctx, request, &device);
    if (out != nullptr) {
      *out = device;
    }
    return status;
  }
  // The call's status; a job that ran and failed leaves its error in *job_error.
  grpc::Status Flash(const std::string &device_id, std::string *job_error = nullptr) {
    grpc::ClientContext ctx;
    v1::FlashRequest request;
    request.set_build_dir(build_);
    request.set_device_id(device_id);
    auto stream = flash_->Flash(&ctx, request);
    v1::JobEvent event;
    while (stream->Read(&event)) {
      if (event.has_result() && event.result().state() != v1::JOB_STATE_SUCCEEDED &&
          job_error != nullptr) {
        *job_error = event.result().error();
      }
    }
    return stream->Finish();
  }

  UMockdevTestbed *testbed_ = nullptr;
  std::string dir_, base_, build_;
  std::unique_ptr<Daemon> daemon_;
  std::unique_ptr<v1::Devices::Stub> devices_;
  std::unique_ptr<v1::Flash::Stub> flash_;
};

TEST_F(DaemonProbesTest, ListsAttachedProbesWithSerialUsbPathAndTty) {
  v1::ListDevicesResponse list = List();
  ASSERT_EQ(list.devices_size(), 2);
  const v1::Device &a = list.devices(0);
  EXPECT_EQ(a.id(), kS1);
  EXPECT_EQ(a.serial(), kS1);
  EXPECT_EQ(a.kind(), v1::DEVICE_KIND_PHYSICAL);
  EXPECT_EQ(a.state(), v1::DEVICE_STATE_ATTACHED);
  EXPECT_EQ(a.probe(), "stlink");
  EXPECT_EQ(a.probe_version(), "V2-1");
  EXPECT_EQ(a.usb_id(), "0483:374b");
  EXPECT_EQ(a.usb_path(), "1-2");
  EXPECT_EQ(a.tty(), "/dev/ttyACM0");
  EXPECT_FALSE(a.bound());
  EXPECT_EQ(list.devices(1).serial(), kS3);
  EXPECT_EQ(list.devices(1).tty(), "/dev/ttyACM1");
}

TEST_F(DaemonProbesTest, FlashWithTwoCandidatesRefusesAndListsThem) {
  grpc::Status status = Flash("");
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(), kS1)) << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(), kS3)) << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(), "--device")) << status.error_message();
}

TEST_F(DaemonProbesTest, AssignNamesADeviceThatFlashResolves) {
  v1::Device device;
  grpc::Status status = Assign(kS1, "nucleo_test", "bench-1", &device);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(device.name(), "bench-1");
  EXPECT_EQ(device.board(), "nucleo_test");
  EXPECT_TRUE(device.bound());
  EXPECT_GT(device.last_seen_us(), 0);

  v1::ListDevicesResponse list = List();
  ASSERT_EQ(list.devices_size(), 2);
  EXPECT_EQ(list.devices(0).name(), "bench-1");
  EXPECT_EQ(list.devices(0).board(), "nucleo_test");

  // The flash reaches the device by name or serial: a job that runs OpenOCD on the recorded
  // probe, which enumerates but cannot transfer, so the job fails naming the device and the
  // reason in one line.
  for (const char *id : {"bench-1", kS1}) {
    std::string error;
    status = Flash(id, &error);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(absl::StrContains(error, "bench-1")) << error;
    EXPECT_TRUE(absl::StrContains(error, kS1)) << error;
    EXPECT_TRUE(absl::StrContains(error, "probe")) << error;
    EXPECT_FALSE(absl::StrContains(error, "\n")) << error;
  }
  // The other probe is unbound: still a candidate, so no device named is still ambiguous.
  EXPECT_EQ(Flash("").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  status = Flash("nope");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();

  // Looking a physical device up does not start a runner; deleting it is refused.
  grpc::ClientContext get_ctx;
  v1::GetDeviceRequest get;
  get.set_id("bench-1");
  v1::Device got;
  ASSERT_TRUE(devices_->GetDevice(&get_ctx, get, &got).ok());
  EXPECT_EQ(got.serial(), kS1);
  EXPECT_EQ(got.state(), v1::DEVICE_STATE_ATTACHED);
  grpc::ClientContext delete_ctx;
  v1::DeleteDeviceRequest del;
  del.set_id("bench-1");
  v1::DeleteDeviceResponse deleted;
  status = devices_->Delete(&delete_ctx, del, &deleted);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(), "unassign")) << status.error_message();
}

TEST_F(DaemonProbesTest, AssignRefusesBadRequests) {
  grpc::Status status = Assign(kS1, "qemu_cortex_m3", "x");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "openocd")) << status.error_message();
  status = Assign(kS1, "no_such_board", "x");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  status = Assign("NOPE", "nucleo_test", "x");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(), kS1)) << status.error_message();
  status = Assign(kS1, "nucleo_test", "bad name");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(Assign(kS1, "nucleo_test", "bench-1").ok());
  status = Assign(kS3, "nucleo_test", "bench-1");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
}

TEST_F(DaemonProbesTest, BoundDeviceWhoseProbeLeftIsAbsentAndUnassignForgetsIt) {
  ASSERT_TRUE(Assign(kS3, "nucleo_test", "bench-3").ok());
  umockdev_testbed_remove_device(testbed_, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3");
  v1::ListDevicesResponse list = List();
  ASSERT_EQ(list.devices_size(), 2);
  EXPECT_EQ(list.devices(1).name(), "bench-3");
  EXPECT_EQ(list.devices(1).state(), v1::DEVICE_STATE_ABSENT);
  grpc::Status status = Flash("bench-3");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(), "not attached")) << status.error_message();
  // With bench-3 gone the other ST-Link is the one candidate: the flash goes to it.
  std::string error;
  status = Flash("", &error);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(absl::StrContains(error, kS1)) << error;

  grpc::ClientContext ctx;
  v1::UnassignDeviceRequest request;
  request.set_id("bench-3");
  v1::Device gone;
  ASSERT_TRUE(devices_->Unassign(&ctx, request, &gone).ok());
  EXPECT_EQ(gone.serial(), kS3);
  EXPECT_EQ(List().devices_size(), 1);
}

TEST_F(DaemonProbesTest, WatchReportsProbesArrivingAndLeaving) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto stream = devices_->Watch(&ctx, {});
  v1::DeviceEvent event;
  for (int i = 0; i < 2; ++i) {  // the two attached probes
    ASSERT_TRUE(stream->Read(&event));
    EXPECT_EQ(event.kind(), v1::DeviceEvent::KIND_ADDED);
    EXPECT_EQ(event.device().kind(), v1::DEVICE_KIND_PHYSICAL);
  }
  Load("jlink.umockdev");
  umockdev_testbed_uevent(testbed_, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4", "add");
  ASSERT_TRUE(stream->Read(&event));
  EXPECT_EQ(event.kind(), v1::DeviceEvent::KIND_ADDED);
  EXPECT_EQ(event.device().serial(), "000683012345");
  EXPECT_EQ(event.device().probe(), "jlink");
  umockdev_testbed_remove_device(testbed_, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4");
  ASSERT_TRUE(stream->Read(&event));
  EXPECT_EQ(event.kind(), v1::DeviceEvent::KIND_REMOVED);
  EXPECT_EQ(event.device().serial(), "000683012345");
  ctx.TryCancel();
}

}  // namespace
}  // namespace gale::daemon
