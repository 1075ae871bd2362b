// DeviceManager's physical devices: built by the installed factory, one per serial, cached.
#include <sys/stat.h>

#include <filesystem>
#include <memory>

#include "gale/devices/device_manager.h"
#include "gtest/gtest.h"

namespace gale::devices {
namespace {

// A stand-in for the OpenOCD runner's device: records what it was built for.
class RecordingDevice final : public Device {
 public:
  RecordingDevice(PhysicalDeviceSpec spec, std::string run_dir)
      : spec_(std::move(spec)), run_dir_(std::move(run_dir)) {}
  const std::string &id() const override { return spec_.serial; }
  DeviceInfo Info() const override {
    DeviceInfo info;
    info.id = spec_.serial;
    info.name = spec_.name;
    info.board = spec_.board.name;
    info.kind = DeviceKind::kPhysical;
    return info;
  }
  absl::StatusOr<FlashResult> Flash(const std::string &, const FlashOptions &) override {
    return absl::UnavailableError("not a real probe");
  }
  absl::Status Reset(bool) override { return absl::OkStatus(); }
  absl::Status Halt() override { return absl::OkStatus(); }
  absl::Status Resume() override { return absl::OkStatus(); }
  absl::StatusOr<std::vector<uint8_t>> ReadMemory(uint64_t, size_t) override {
    return absl::UnimplementedError("no");
  }
  absl::Status WriteMemory(uint64_t, std::span<const uint8_t>) override {
    return absl::UnimplementedError("no");
  }
  ConsoleHub &console() override { return console_; }
  absl::StatusOr<int> WaitExit(absl::Duration, const std::atomic<bool> *) override {
    return absl::UnimplementedError("no");
  }
  void SetChangeListener(std::function<void(const DeviceInfo &)>) override {}
  void Shutdown() override { shut_down_ = true; }

  PhysicalDeviceSpec spec_;
  std::string run_dir_;
  bool shut_down_ = false;
  ConsoleHub console_;
};

class PhysicalDevicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("gale-physical-test-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    DeviceManagerOptions options;
    options.runtime_dir = dir_.string();
    manager_ = std::make_unique<DeviceManager>(options);
  }
  void TearDown() override {
    manager_.reset();
    std::filesystem::remove_all(dir_);
  }
  static PhysicalDeviceSpec Spec(std::string serial, std::string board) {
    PhysicalDeviceSpec spec;
    spec.serial = std::move(serial);
    spec.name = "bench-1";
    spec.probe = "stlink";
    spec.usb_path = "1-1";
    spec.board.name = std::move(board);
    return spec;
  }
  std::filesystem::path dir_;
  std::unique_ptr<DeviceManager> manager_;
};

TEST_F(PhysicalDevicesTest, WithoutAFactoryFlashingPhysicalBoardsIsUnimplemented) {
  absl::StatusOr<std::shared_ptr<Device>> device = manager_->GetPhysical(Spec("S1", "nucleo"));
  ASSERT_EQ(device.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(device.status().message(), "flashing physical boards needs the OpenOCD runner");
}

TEST_F(PhysicalDevicesTest, OneDevicePerSerialBuiltOnceWithAPrivateRunFolder) {
  int built = 0;
  manager_->SetPhysicalFactory(
      [&built](const PhysicalDeviceSpec &spec,
               const std::string &run_dir) -> absl::StatusOr<std::shared_ptr<Device>> {
        ++built;
        return std::make_shared<RecordingDevice>(spec, run_dir);
      });
  absl::StatusOr<std::shared_ptr<Device>> a = manager_->GetPhysical(Spec("S/1", "nucleo"));
  ASSERT_TRUE(a.ok()) << a.status();
  absl::StatusOr<std::shared_ptr<Device>> again = manager_->GetPhysical(Spec("S/1", "nucleo"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(a->get(), again->get());
  EXPECT_EQ(built, 1);
  auto *recording = static_cast<RecordingDevice *>(a->get());
  EXPECT_EQ(recording->run_dir_, (dir_ / "phys-S_1").string());
  struct stat st {};
  ASSERT_EQ(stat(recording->run_dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(manager_->List().empty());  // probes are listed by the daemon, not here

  absl::StatusOr<std::shared_ptr<Device>> b = manager_->GetPhysical(Spec("S2", "nucleo"));
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->get(), b->get());
  EXPECT_EQ(built, 2);

  // Rebinding the probe to another board replaces its device.
  absl::StatusOr<std::shared_ptr<Device>> rebound = manager_->GetPhysical(Spec("S/1", "nrf"));
  ASSERT_TRUE(rebound.ok());
  EXPECT_NE(rebound->get(), a->get());
  EXPECT_TRUE(recording->shut_down_);
  EXPECT_EQ(built, 3);

  manager_->Shutdown();
  EXPECT_TRUE(static_cast<RecordingDevice *>(b->get())->shut_down_);
  EXPECT_EQ(manager_->GetPhysical(Spec("S2", "nucleo")).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gale::devices
