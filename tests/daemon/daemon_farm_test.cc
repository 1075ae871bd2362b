// The Farm service and lease enforcement through a real gRPC channel on a unix socket, against
// a real store and real QEMU: leases guard flashing, device control and shell input; tags select
// devices; a waiting Acquire gets released devices; leases survive a daemon restart.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "gale/daemon/daemon.h"
#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/farm.grpc.pb.h"
#include "gale/v1/flash.grpc.pb.h"
#include "gale/v1/shell.grpc.pb.h"

namespace gale::daemon {
namespace {
namespace fs = std::filesystem;

std::string HelloImage() {
  return std::string(GALE_TEST_IMAGES) + "/hello_qemu_cortex_m3";
}

class DaemonFarmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gale-farm-test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    StartDaemon();
  }
  void TearDown() override {
    daemon_.reset();
    fs::remove_all(dir_);
  }

  void StartDaemon() {
    Options options;
    options.listen = {"unix:" + dir_ + "/run/galed.sock"};
    options.state_dir = dir_ + "/state";
    options.gale_base = GALE_SOURCE_DIR;
    auto daemon = Daemon::Create(options);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = std::move(*daemon);
    ASSERT_TRUE(daemon_->Start().ok());
    channel_ = grpc::CreateChannel(options.listen.front(), grpc::InsecureChannelCredentials());
    farm_ = v1::Farm::NewStub(channel_);
    devices_ = v1::Devices::NewStub(channel_);
  }

  std::string CreateDevice() {
    grpc::ClientContext ctx;
    v1::CreateDeviceRequest create;
    create.set_board("qemu_cortex_m3");
    v1::Device device;
    grpc::Status status = devices_->Create(&ctx, create, &device);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return device.id();
  }

  grpc::Status Acquire(const v1::AcquireLeaseRequest &request, v1::Lease *lease) {
    grpc::ClientContext ctx;
    return farm_->Acquire(&ctx, request, lease);
  }

  // Flashes hello_world onto `device`; the call's status, and the job's state in `state`.
  grpc::Status Flash(const std::string &device, const std::string &token, v1::JobState *state) {
    auto flash = v1::Flash::NewStub(channel_);
    grpc::ClientContext ctx;
    if (!token.empty()) {
      ctx.AddMetadata("gale-lease", token);
    }
    v1::FlashRequest request;
    request.set_device_id(device);
    request.set_build_dir(HelloImage());
    auto stream = flash->Flash(&ctx, request);
    v1::JobEvent event;
    *state = v1::JOB_STATE_UNSPECIFIED;
    while (stream->Read(&event)) {
      if (event.has_result()) {
        *state = event.result().state();
      }
    }
    return stream->Finish();
  }

  v1::Device Listed(const std::string &id) {
    grpc::ClientContext ctx;
    v1::ListDevicesResponse response;
    EXPECT_TRUE(devices_->ListDevices(&ctx, v1::ListDevicesRequest(), &response).ok());
    for (const v1::Device &device : response.devices()) {
      if (device.id() == id) {
        return device;
      }
    }
    ADD_FAILURE() << "device " << id << " is not listed";
    return {};
  }

  std::string dir_;
  std::unique_ptr<Daemon> daemon_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Farm::Stub> farm_;
  std::unique_ptr<v1::Devices::Stub> devices_;
};

TEST_F(DaemonFarmTest, ALeaseGuardsFlashControlAndShellInputEvenForTheLocalAdmin) {
  const std::string a = CreateDevice();
  const std::string b = CreateDevice();
  v1::AcquireLeaseRequest request;
  request.mutable_selector()->set_board("qemu_cortex_m3");
  request.set_count(2);
  request.set_duration_ms(300000);
  request.set_note("ci job 17");
  v1::Lease lease;
  grpc::Status status = Acquire(request, &lease);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(lease.token().empty());
  EXPECT_EQ(lease.devices_size(), 2);
  EXPECT_FALSE(lease.holder().empty());

  // No token: refused, naming the holder and the expiry.
  v1::JobState state;
  status = Flash(a, "", &state);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("leased to " + lease.holder() + " until "),
            std::string::npos)
      << status.error_message();
  EXPECT_NE(status.error_message().find(lease.id()), std::string::npos);
  // Someone else's token: refused too.
  status = Flash(a, "not-the-token", &state);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // The token: flashed.
  status = Flash(a, lease.token(), &state);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(state, v1::JOB_STATE_SUCCEEDED);

  {
    grpc::ClientContext ctx;
    v1::DeviceRequest reset;
    reset.set_id(b);
    v1::Device out;
    status = devices_->Reset(&ctx, reset, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  }
  {
    grpc::ClientContext ctx;
    v1::DeleteDeviceRequest remove;
    remove.set_id(b);
    v1::DeleteDeviceResponse out;
    EXPECT_EQ(devices_->Delete(&ctx, remove, &out).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  {
    auto shell = v1::Shell::NewStub(channel_);
    grpc::ClientContext ctx;
    v1::ShellExecRequest exec;
    exec.set_device_id(a);
    exec.set_command("kernel uptime");
    v1::ShellExecResponse out;
    EXPECT_EQ(shell->Exec(&ctx, exec, &out).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  }
  // Watching needs no token: the listing shows who holds the device.
  v1::Device listed = Listed(a);
  EXPECT_EQ(listed.lease_holder(), lease.holder());
  EXPECT_EQ(listed.lease_id(), lease.id());
  EXPECT_EQ(listed.lease_expires_us(), lease.expires_us());
  {
    grpc::ClientContext ctx;
    v1::ListLeasesResponse leases;
    ASSERT_TRUE(farm_->ListLeases(&ctx, v1::ListLeasesRequest(), &leases).ok());
    ASSERT_EQ(leases.leases_size(), 1);
    EXPECT_EQ(leases.leases(0).note(), "ci job 17");
    EXPECT_EQ(leases.leases(0).token(), lease.token());  // the local user is admin
  }

  // Released through the metadata (as `GALE_LEASE=... gale lease release` does): free again.
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("gale-lease", lease.token());
    v1::ReleaseLeaseResponse out;
    ASSERT_TRUE(farm_->Release(&ctx, v1::ReleaseLeaseRequest(), &out).ok());
  }
  status = Flash(b, "", &state);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(state, v1::JOB_STATE_SUCCEEDED);
  EXPECT_TRUE(Listed(a).lease_holder().empty());
}

TEST_F(DaemonFarmTest, TagsSelectDevicesAndAWaitingAcquireGetsReleasedOnes) {
  const std::string a = CreateDevice();
  const std::string b = CreateDevice();
  {
    grpc::ClientContext ctx;
    v1::SetTagsRequest tags;
    tags.set_device(b);
    tags.add_tags("rack-2");
    tags.add_tags("usb3");
    v1::SetTagsResponse out;
    grpc::Status status = farm_->SetTags(&ctx, tags, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(out.tags_size(), 2);
  }
  {
    grpc::ClientContext ctx;
    v1::SetTagsRequest bad;
    bad.set_device(a);
    bad.add_tags("no spaces");
    v1::SetTagsResponse out;
    EXPECT_EQ(farm_->SetTags(&ctx, bad, &out).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  }
  EXPECT_EQ(Listed(b).tags_size(), 2);
  EXPECT_EQ(Listed(a).tags_size(), 0);

  v1::AcquireLeaseRequest by_tag;
  by_tag.mutable_selector()->add_tags("usb3");
  v1::Lease held;
  ASSERT_TRUE(Acquire(by_tag, &held).ok());
  ASSERT_EQ(held.devices_size(), 1);
  EXPECT_EQ(held.devices(0), b);

  v1::Lease none;
  EXPECT_EQ(Acquire(by_tag, &none).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  by_tag.set_wait_ms(300);
  EXPECT_EQ(Acquire(by_tag, &none).error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  v1::AcquireLeaseRequest unknown;
  unknown.mutable_selector()->add_tags("nowhere");
  EXPECT_EQ(Acquire(unknown, &none).error_code(), grpc::StatusCode::NOT_FOUND);

  by_tag.set_wait_ms(30000);
  v1::Lease waited;
  grpc::Status waited_status;
  std::thread waiter([&] { waited_status = Acquire(by_tag, &waited); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  {
    grpc::ClientContext ctx;
    v1::ReleaseLeaseRequest release;
    release.set_token(held.token());
    v1::ReleaseLeaseResponse out;
    ASSERT_TRUE(farm_->Release(&ctx, release, &out).ok());
  }
  waiter.join();
  ASSERT_TRUE(waited_status.ok()) << waited_status.error_message();
  EXPECT_EQ(waited.devices(0), b);
  EXPECT_NE(waited.token(), held.token());
}

// A watcher (Studio, a lab dashboard) sees tags and leases change as they happen, without
// listing again: each change is a KIND_CHANGED event carrying the device's farm fields.
TEST_F(DaemonFarmTest, WatchersSeeTagsAndLeasesChange) {
  const std::string a = CreateDevice();
  grpc::ClientContext watch_ctx;
  auto watch = devices_->Watch(&watch_ctx, v1::WatchDevicesRequest());
  // Reads events until one for `a` satisfies `done`; false if the stream ends first.
  auto await = [&](const std::function<bool(const v1::Device &)> &done) {
    v1::DeviceEvent event;
    while (watch->Read(&event)) {
      if (event.device().id() == a && done(event.device())) {
        return true;
      }
    }
    return false;
  };
  ASSERT_TRUE(await([](const v1::Device &d) { return d.lease_holder().empty(); }));
  {
    grpc::ClientContext ctx;
    v1::SetTagsRequest tags;
    tags.set_device(a);
    tags.add_tags("rack-9");
    v1::SetTagsResponse out;
    ASSERT_TRUE(farm_->SetTags(&ctx, tags, &out).ok());
  }
  ASSERT_TRUE(await([](const v1::Device &d) {
    return d.tags_size() == 1 && d.tags(0) == "rack-9";
  }));
  v1::AcquireLeaseRequest request;
  request.mutable_selector()->add_devices(a);
  request.set_note("nightly");
  v1::Lease lease;
  ASSERT_TRUE(Acquire(request, &lease).ok());
  ASSERT_FALSE(lease.holder().empty());
  ASSERT_TRUE(await([&](const v1::Device &d) {
    return d.lease_holder() == lease.holder() && d.lease_id() == lease.id() &&
           d.lease_expires_us() == lease.expires_us() && d.tags_size() == 1;
  }));
  {
    grpc::ClientContext ctx;
    v1::ReleaseLeaseRequest release;
    release.set_token(lease.token());
    v1::ReleaseLeaseResponse out;
    ASSERT_TRUE(farm_->Release(&ctx, release, &out).ok());
  }
  ASSERT_TRUE(await([](const v1::Device &d) {
    return d.lease_holder().empty() && d.lease_id().empty();
  }));
  watch_ctx.TryCancel();
  (void)watch->Finish();
}

TEST_F(DaemonFarmTest, LeasesSurviveADaemonRestart) {
  CreateDevice();
  v1::AcquireLeaseRequest request;
  request.mutable_selector()->set_board("qemu_cortex_m3");
  v1::Lease lease;
  ASSERT_TRUE(Acquire(request, &lease).ok());
  daemon_.reset();
  StartDaemon();
  grpc::ClientContext ctx;
  v1::ListLeasesResponse leases;
  ASSERT_TRUE(farm_->ListLeases(&ctx, v1::ListLeasesRequest(), &leases).ok());
  ASSERT_EQ(leases.leases_size(), 1);
  EXPECT_EQ(leases.leases(0).id(), lease.id());
  EXPECT_EQ(leases.leases(0).holder(), lease.holder());
  EXPECT_EQ(leases.leases(0).expires_us(), lease.expires_us());
  // The emulator died with the first daemon: the lease no longer holds its id.
  EXPECT_EQ(leases.leases(0).devices_size(), 0);
  grpc::ClientContext renew_ctx;
  v1::RenewLeaseRequest renew;
  renew.set_token(lease.token());
  renew.set_duration_ms(3600000);
  v1::Lease renewed;
  ASSERT_TRUE(farm_->Renew(&renew_ctx, renew, &renewed).ok());
  EXPECT_GT(renewed.expires_us(), lease.expires_us());
}

}  // namespace
}  // namespace gale::daemon
