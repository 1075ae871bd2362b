// galed's services driven through a real gRPC channel on a unix socket: the same calls the CLI,
// Studio and lab scripts make, against real builds, a real SQLite store and real QEMU.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "gale/daemon/daemon.h"
#include "gale/store/store.h"
#include "gale/v1/boards.grpc.pb.h"
#include "gale/v1/builds.grpc.pb.h"
#include "gale/v1/console.grpc.pb.h"
#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/flash.grpc.pb.h"
#include "gale/v1/jobs.grpc.pb.h"
#include "gale/v1/sdk.grpc.pb.h"

namespace gale::daemon {
namespace {
namespace fs = std::filesystem;

std::string ImageDir() { return GALE_TEST_IMAGES; }

// Calls a method by name with raw protobuf bytes, as a generic tool (grpcurl, a health checker)
// would: the daemon's health and reflection services are not Gale's own protos.
std::string RawCall(const std::shared_ptr<grpc::Channel> &channel, const std::string &method,
                    const std::string &request, bool streaming, grpc::Status *status) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Slice slice(request);
  grpc::ByteBuffer in(&slice, 1);
  grpc::ByteBuffer out;
  void *tag = nullptr;
  bool ok = false;
  auto next = [&] { return cq.Next(&tag, &ok) && ok; };
  if (!streaming) {
    auto call = stub.PrepareUnaryCall(&ctx, method, in, &cq);
    call->StartCall();
    call->Finish(&out, status, reinterpret_cast<void *>(1));
    cq.Next(&tag, &ok);
  } else {
    auto call = stub.PrepareCall(&ctx, method, &cq);
    call->StartCall(reinterpret_cast<void *>(1));
    next();
    call->Write(in, reinterpret_cast<void *>(2));
    next();
    call->WritesDone(reinterpret_cast<void *>(3));
    next();
    call->Read(&out, reinterpret_cast<void *>(4));
    next();
    call->Finish(status, reinterpret_cast<void *>(5));
    cq.Next(&tag, &ok);
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (out.Dump(&slices).ok()) {
    for (const grpc::Slice &s : slices) {
      bytes.append(reinterpret_cast<const char *>(s.begin()), s.size());
    }
  }
  return bytes;
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gale-daemon-test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    daemon_.reset();
    fs::remove_all(dir_);
  }

  // A daemon on its own socket and state folder.
  void StartDaemon(std::vector<std::string> roots = {}) {
    Options options;
    options.listen = {"unix:" + dir_ + "/run/galed.sock"};
    options.state_dir = dir_ + "/state";
    options.gale_base = GALE_SOURCE_DIR;
    options.roots = std::move(roots);
    options.max_message_bytes = 1 << 20;
    auto daemon = Daemon::Create(options);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = std::move(*daemon);
    ASSERT_TRUE(daemon_->Start().ok());
    channel_ = grpc::CreateChannel(options.listen.front(), grpc::InsecureChannelCredentials());
  }

  // Runs a streaming job call to its end; returns the events.
  template <typename Stream>
  std::vector<v1::JobEvent> Drain(Stream &stream, grpc::Status *status) {
    std::vector<v1::JobEvent> events;
    v1::JobEvent event;
    while (stream->Read(&event)) {
      events.push_back(event);
    }
    *status = stream->Finish();
    return events;
  }

  static const v1::JobResult *ResultOf(const std::vector<v1::JobEvent> &events) {
    return events.empty() || !events.back().has_result() ? nullptr : &events.back().result();
  }

  std::string dir_;
  std::unique_ptr<Daemon> daemon_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(DaemonTest, StatusAndPrivateSocket) {
  StartDaemon();
  auto sdk = v1::Sdk::NewStub(channel_);
  grpc::ClientContext ctx;
  v1::DaemonStatus status;
  ASSERT_TRUE(sdk->GetStatus(&ctx, v1::GetStatusRequest(), &status).ok());
  EXPECT_EQ(status.pid(), getpid());
  EXPECT_FALSE(status.version().empty());
  struct stat st {};
  ASSERT_EQ(stat((dir_ + "/run/galed.sock").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat((dir_ + "/run").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(fs::exists(dir_ + "/state/galed.db"));
}

TEST_F(DaemonTest, HealthAndReflectionForGenericTools) {
  StartDaemon();
  grpc::Status status;
  // HealthCheckRequest{service: ""} is empty; the reply is HealthCheckResponse{status: SERVING}:
  // field 1, varint 1.
  std::string health = RawCall(channel_, "/grpc.health.v1.Health/Check", "", false, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(health, std::string("\x08\x01", 2));
  // ServerReflectionRequest{list_services: ""} (field 7): the reply lists Gale's services.
  std::string services =
      RawCall(channel_, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
              std::string("\x3a\x00", 2), true, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  for (const char *name : {"gale.v1.Builds", "gale.v1.Devices", "gale.v1.Jobs", "gale.v1.Tests"}) {
    EXPECT_NE(services.find(name), std::string::npos) << name;
  }
}

TEST_F(DaemonTest, SecondDaemonOnOneStateFolderIsRefused) {
  StartDaemon();
  Options options;
  options.listen = {"unix:" + dir_ + "/run2/galed.sock"};
  options.state_dir = dir_ + "/state";
  options.gale_base = GALE_SOURCE_DIR;
  auto second = Daemon::Create(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("another galed"), std::string::npos) << second.status();
}

TEST_F(DaemonTest, BoardsAndUnknownBoard) {
  StartDaemon();
  auto boards = v1::Boards::NewStub(channel_);
  grpc::ClientContext ctx;
  v1::ListBoardsResponse list;
  ASSERT_TRUE(boards->ListBoards(&ctx, v1::ListBoardsRequest(), &list).ok());
  bool found = false;
  for (const auto &b : list.boards()) {
    found = found || (b.name() == "qemu_cortex_m3" && b.qemu_machine() == "lm3s6965evb");
  }
  EXPECT_TRUE(found);
  grpc::ClientContext ctx2;
  v1::GetBoardRequest req;
  req.set_name("no_such_board");
  v1::Board board;
  grpc::Status s = boards->GetBoard(&ctx2, req, &board);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("no_such_board"), std::string::npos);
}

TEST_F(DaemonTest, BuildRejectsBadInputAndKeepsServing) {
  StartDaemon({dir_ + "/ws"});
  fs::create_directories(dir_ + "/ws/app");
  std::ofstream(dir_ + "/ws/app/CMakeLists.txt") << "project(x)\n";
  auto builds = v1::Builds::NewStub(channel_);
  struct Case {
    std::string app, board;
    grpc::StatusCode code;
    std::string mentions;
  };
  std::vector<Case> cases = {
      {dir_ + "/ws/app", "no_such_board", grpc::StatusCode::NOT_FOUND, "no_such_board"},
      {dir_ + "/ws/missing", "qemu_cortex_m3", grpc::StatusCode::NOT_FOUND, "missing"},
      {"relative/app", "qemu_cortex_m3", grpc::StatusCode::INVALID_ARGUMENT, "relative"},
      {std::string(GALE_SOURCE_DIR) + "/samples/hello_world", "qemu_cortex_m3",
       grpc::StatusCode::INVALID_ARGUMENT, "outside the daemon's workspace roots"},
  };
  for (const Case &c : cases) {
    grpc::ClientContext ctx;
    v1::BuildRequest req;
    req.set_app_dir(c.app);
    req.set_board(c.board);
    auto stream = builds->Build(&ctx, req);
    grpc::Status status;
    Drain(stream, &status);
    EXPECT_EQ(status.error_code(), c.code) << c.app << ": " << status.error_message();
    EXPECT_NE(status.error_message().find(c.mentions), std::string::npos) << status.error_message();
  }
  // An oversized request is refused by the transport; the daemon goes on.
  grpc::ClientContext big_ctx;
  v1::BuildRequest big;
  big.set_app_dir(std::string(2 << 20, 'x'));
  big.set_board("qemu_cortex_m3");
  auto stream = builds->Build(&big_ctx, big);
  grpc::Status big_status;
  Drain(stream, &big_status);
  EXPECT_EQ(big_status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  auto sdk = v1::Sdk::NewStub(channel_);
  grpc::ClientContext ctx;
  v1::DaemonStatus status;
  EXPECT_TRUE(sdk->GetStatus(&ctx, v1::GetStatusRequest(), &status).ok());
}

TEST_F(DaemonTest, BuildStreamsProgressAndIsRecorded) {
  StartDaemon();
  auto builds = v1::Builds::NewStub(channel_);
  grpc::ClientContext ctx;
  v1::BuildRequest req;
  req.set_app_dir(std::string(GALE_SOURCE_DIR) + "/samples/hello_world");
  req.set_board("qemu_cortex_m3");
  req.set_build_dir(dir_ + "/hello");
  auto stream = builds->Build(&ctx, req);
  grpc::Status status;
  std::vector<v1::JobEvent> events = Drain(stream, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::JobResult *result = ResultOf(events);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->state(), v1::JOB_STATE_SUCCEEDED) << result->error();
  EXPECT_GT(result->build().flash_bytes(), 0u);
  EXPECT_TRUE(fs::exists(dir_ + "/hello/gale/gale.elf"));
  int progress = 0;
  for (const auto &e : events) {
    progress += e.has_progress() ? 1 : 0;
  }
  EXPECT_GT(progress, 0);

  auto jobs = v1::Jobs::NewStub(channel_);
  grpc::ClientContext jctx;
  v1::ListJobsResponse list;
  ASSERT_TRUE(jobs->ListJobs(&jctx, v1::ListJobsRequest(), &list).ok());
  ASSERT_GE(list.jobs_size(), 1);
  EXPECT_EQ(list.jobs(0).kind(), "build");
  EXPECT_EQ(list.jobs(0).state(), v1::JOB_STATE_SUCCEEDED);
  EXPECT_EQ(list.jobs(0).id(), events.front().job_id());
}

TEST_F(DaemonTest, BuildErrorsArriveAsDiagnostics) {
  StartDaemon();
  fs::copy(std::string(GALE_SOURCE_DIR) + "/samples/hello_world", dir_ + "/broken",
           fs::copy_options::recursive);
  std::ofstream(dir_ + "/broken/src/main.c") << "int main(void) {\n  return missing;\n}\n";
  auto builds = v1::Builds::NewStub(channel_);
  grpc::ClientContext ctx;
  v1::BuildRequest req;
  req.set_app_dir(dir_ + "/broken");
  req.set_board("qemu_cortex_m3");
  auto stream = builds->Build(&ctx, req);
  grpc::Status status;
  std::vector<v1::JobEvent> events = Drain(stream, &status);
  ASSERT_TRUE(status.ok());
  const v1::JobResult *result = ResultOf(events);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->state(), v1::JOB_STATE_FAILED);
  bool located = false;
  for (const auto &e : events) {
    if (e.has_diagnostic() && e.diagnostic().severity() == v1::SEVERITY_ERROR) {
      located = located || (absl::EndsWith(e.diagnostic().file(), "broken/src/main.c") &&
                            e.diagnostic().line() == 2);
    }
  }
  EXPECT_TRUE(located) << "no error diagnostic at broken/src/main.c:2";
}

TEST_F(DaemonTest, EmulatedDeviceFlashConsoleAndBadImage) {
  StartDaemon();
  auto devices = v1::Devices::NewStub(channel_);
  grpc::ClientContext cctx;
  v1::CreateDeviceRequest create;
  create.set_board("qemu_cortex_m3");
  v1::Device device;
  ASSERT_TRUE(devices->Create(&cctx, create, &device).ok());
  EXPECT_EQ(device.state(), v1::DEVICE_STATE_HALTED);

  auto flash = v1::Flash::NewStub(channel_);
  // A file that is not an ELF: the flash job fails naming it; the device stays usable.
  std::ofstream(dir_ + "/bogus.elf") << "not an elf";
  {
    grpc::ClientContext ctx;
    v1::FlashRequest req;
    req.set_device_id(device.id());
    req.set_elf(dir_ + "/bogus.elf");
    auto stream = flash->Flash(&ctx, req);
    grpc::Status status;
    std::vector<v1::JobEvent> events = Drain(stream, &status);
    ASSERT_TRUE(status.ok()) << status.error_message();
    const v1::JobResult *result = ResultOf(events);
    ASSERT_NE(result, nullptr);
    EXPECT_EQ(result->state(), v1::JOB_STATE_FAILED);
    EXPECT_NE(result->error().find("bogus.elf"), std::string::npos) << result->error();
  }
  {
    grpc::ClientContext ctx;
    v1::FlashRequest req;
    req.set_device_id(device.id());
    req.set_build_dir(ImageDir() + "/hello_qemu_cortex_m3");
    auto stream = flash->Flash(&ctx, req);
    grpc::Status status;
    std::vector<v1::JobEvent> events = Drain(stream, &status);
    ASSERT_TRUE(status.ok()) << status.error_message();
    const v1::JobResult *result = ResultOf(events);
    ASSERT_NE(result, nullptr);
    EXPECT_EQ(result->state(), v1::JOB_STATE_SUCCEEDED) << result->error();
    EXPECT_TRUE(result->flash().verified());
  }
  // A console attached after the boot first gets the retained output.
  auto console = v1::Console::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto stream = console->Attach(&ctx);
  v1::ConsoleInput open;
  open.mutable_open()->set_device_id(device.id());
  ASSERT_TRUE(stream->Write(open));
  std::string seen;
  v1::ConsoleOutput out;
  while (seen.find("Hello World! qemu_cortex_m3") == std::string::npos && stream->Read(&out)) {
    seen += out.data();
  }
  EXPECT_NE(seen.find("Hello World! qemu_cortex_m3"), std::string::npos) << seen;
  ctx.TryCancel();
  stream->Finish();

  grpc::ClientContext uctx;
  v1::FlashRequest unknown;
  unknown.set_device_id("no-such-device");
  unknown.set_build_dir(ImageDir() + "/hello_qemu_cortex_m3");
  auto ustream = flash->Flash(&uctx, unknown);
  grpc::Status ustatus;
  Drain(ustream, &ustatus);
  EXPECT_EQ(ustatus.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(ustatus.error_message().find("no-such-device"), std::string::npos);
}

TEST_F(DaemonTest, JobsLeftRunningByADeadDaemonAreInterrupted) {
  fs::create_directories(dir_ + "/state");
  {
    auto store = store::Store::Open(dir_ + "/state/galed.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store::NewJob job;
    job.kind = "build";
    job.summary = "a build whose daemon was killed";
    auto created = (*store)->CreateJob(job);
    ASSERT_TRUE(created.ok());
    ASSERT_TRUE((*store)->UpdateJobState(created->id, store::JobState::kRunning).ok());
  }
  StartDaemon();
  auto jobs = v1::Jobs::NewStub(channel_);
  grpc::ClientContext ctx;
  v1::ListJobsResponse list;
  ASSERT_TRUE(jobs->ListJobs(&ctx, v1::ListJobsRequest(), &list).ok());
  ASSERT_EQ(list.jobs_size(), 1);
  EXPECT_EQ(list.jobs(0).state(), v1::JOB_STATE_INTERRUPTED);
}

}  // namespace
}  // namespace gale::daemon
