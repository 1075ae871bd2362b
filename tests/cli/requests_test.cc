#include "requests.h"

#include <gtest/gtest.h>

#include "exit_codes.h"

namespace gale::cli {
namespace {

const std::filesystem::path kCwd = "/srv/ws/proj";

TEST(AbsolutePath, RelativeToTheClientsFolder) {
  EXPECT_EQ(AbsolutePath("app", kCwd), "/srv/ws/proj/app");
  EXPECT_EQ(AbsolutePath("../x/./y/", kCwd), "/srv/ws/x/y");
  EXPECT_EQ(AbsolutePath("/abs/p/", kCwd), "/abs/p");
  EXPECT_EQ(AbsolutePath(".", kCwd), "/srv/ws/proj");
  EXPECT_EQ(AbsolutePath("/", kCwd), "/");
  EXPECT_EQ(AbsolutePath("", kCwd), "");
}

TEST(MakeBuildRequest, Defaults) {
  BuildOptions options;
  options.board = "qemu_cortex_m3";
  gale::v1::BuildRequest request = MakeBuildRequest(options, kCwd);
  EXPECT_EQ(request.app_dir(), "/srv/ws/proj");
  EXPECT_EQ(request.build_dir(), "/srv/ws/proj/build");
  EXPECT_EQ(request.board(), "qemu_cortex_m3");

  options.app_dir = "samples/hello";
  options.cmake_args = {"-DX=1"};
  request = MakeBuildRequest(options, kCwd);
  EXPECT_EQ(request.app_dir(), "/srv/ws/proj/samples/hello");
  EXPECT_EQ(request.build_dir(), "/srv/ws/proj/samples/hello/build");
  ASSERT_EQ(request.cmake_args_size(), 1);

  options.build_dir = "/tmp/out";
  EXPECT_EQ(MakeBuildRequest(options, kCwd).build_dir(), "/tmp/out");
}

TEST(MakeRunRequest, CarriesTimeoutAndIcount) {
  BuildOptions build;
  build.board = "qemu_cortex_m3";
  RunOptions run;
  run.timeout_s = 120;
  run.icount_shift = 3;
  const gale::v1::RunRequest request = MakeRunRequest(build, run, kCwd);
  EXPECT_EQ(request.build().app_dir(), "/srv/ws/proj");
  EXPECT_EQ(request.timeout_s(), 120u);
  EXPECT_EQ(request.icount_shift(), 3u);
}

TEST(MakeCreateDeviceRequest, Icount) {
  EmuOptions options;
  options.board = "b";
  EXPECT_EQ(MakeCreateDeviceRequest(options).icount_shift(), 0);
  options.icount_shift = 4;
  EXPECT_EQ(MakeCreateDeviceRequest(options).icount_shift(), 4);
  options.no_icount = true;
  EXPECT_TRUE(MakeCreateDeviceRequest(options).no_icount());
  EXPECT_EQ(MakeCreateDeviceRequest(options).icount_shift(), -1);
}

TEST(ParseDurationMs, UnitsAndErrors) {
  EXPECT_EQ(*ParseDurationMs("300s", "--for"), 300000);
  EXPECT_EQ(*ParseDurationMs("300", "--for"), 300000);
  EXPECT_EQ(*ParseDurationMs("5m", "--for"), 300000);
  EXPECT_EQ(*ParseDurationMs("1h", "--for"), 3600000);
  EXPECT_EQ(*ParseDurationMs("1500ms", "--for"), 1500);
  for (const char *bad : {"", "s", "5x", "-5s", "1.5h", "5 m"}) {
    absl::StatusOr<int64_t> parsed = ParseDurationMs(bad, "--wait");
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find("--wait"), std::string::npos);
  }
}

TEST(MakeAcquireLeaseRequest, SelectorAndDurations) {
  LeaseOptions options;
  EXPECT_FALSE(MakeAcquireLeaseRequest(options).ok());  // nothing selected
  options.board = "qemu_cortex_m3";
  options.count = 2;
  options.duration = "5m";
  options.wait = "10s";
  absl::StatusOr<gale::v1::AcquireLeaseRequest> request = MakeAcquireLeaseRequest(options);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->selector().board(), "qemu_cortex_m3");
  EXPECT_EQ(request->count(), 2);
  EXPECT_EQ(request->duration_ms(), 300000);
  EXPECT_EQ(request->wait_ms(), 10000);
  options.duration = "0s";
  EXPECT_FALSE(MakeAcquireLeaseRequest(options).ok());
}

TEST(MakeFlashRequest, DefaultBuildFolderOnlyWhenItExists) {
  FlashOptions options;
  const auto yes = [](const std::filesystem::path &) { return true; };
  const auto no = [](const std::filesystem::path &) { return false; };
  auto request = MakeFlashRequest(options, kCwd, yes);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->build_dir(), "/srv/ws/proj/build");
  request = MakeFlashRequest(options, kCwd, no);
  ASSERT_FALSE(request.ok());
  EXPECT_NE(request.status().message().find("-d BUILD_DIR"), std::string::npos);
  options.elf = "x.elf";
  request = MakeFlashRequest(options, kCwd, no);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->elf(), "/srv/ws/proj/x.elf");
  EXPECT_EQ(request->build_dir(), "");
}

TEST(ConfigBuildDir, GivenOrDotBuild) {
  ConfigOptions options;
  const auto no = [](const std::filesystem::path &) { return false; };
  EXPECT_FALSE(ConfigBuildDir(options, kCwd, no).ok());
  options.build_dir = "b";
  EXPECT_EQ(*ConfigBuildDir(options, kCwd, no), "/srv/ws/proj/b");
}

TEST(MakeRunTestsRequest, PathsAndJunitAreAbsolute) {
  TestOptions options;
  options.boards = {"native_sim"};
  options.junit = "out/j.xml";
  gale::v1::RunTestsRequest request = MakeRunTestsRequest(options, kCwd);
  ASSERT_EQ(request.paths_size(), 1);
  EXPECT_EQ(request.paths(0), "/srv/ws/proj");
  EXPECT_EQ(request.junit_path(), "/srv/ws/proj/out/j.xml");
  options.paths = {"a", "/b"};
  request = MakeRunTestsRequest(options, kCwd);
  ASSERT_EQ(request.paths_size(), 2);
  EXPECT_EQ(request.paths(0), "/srv/ws/proj/a");
  EXPECT_EQ(request.paths(1), "/b");
}

TEST(MakeListJobsRequest, StateByName) {
  JobsOptions options;
  options.state = "interrupted";
  auto request = MakeListJobsRequest(options);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->state(), gale::v1::JOB_STATE_INTERRUPTED);
  options.state = "napping";
  request = MakeListJobsRequest(options);
  ASSERT_FALSE(request.ok());
  EXPECT_NE(request.status().message().find("napping"), std::string::npos);
}

gale::v1::JobResult Result(gale::v1::JobState state, int exit_code, std::string error = "") {
  gale::v1::JobResult result;
  result.set_state(state);
  result.set_exit_code(exit_code);
  result.set_error(std::move(error));
  return result;
}

TEST(RunExitCode, TheTargetsCodeOrWhyItDidNotRun) {
  EXPECT_EQ(RunExitCode(Result(gale::v1::JOB_STATE_SUCCEEDED, 0), true), 0);
  EXPECT_EQ(RunExitCode(Result(gale::v1::JOB_STATE_FAILED, 1), true), 1);
  EXPECT_EQ(RunExitCode(Result(gale::v1::JOB_STATE_SUCCEEDED, 3), true), 3);
  EXPECT_EQ(RunExitCode(Result(gale::v1::JOB_STATE_FAILED, 0, "compile failed"), false),
            kExitRunBuildFailed);
  EXPECT_EQ(RunExitCode(Result(gale::v1::JOB_STATE_FAILED, 0,
                               "the image did not exit within "
                               "120 s"),
                        true),
            kExitRunTimeout);
  EXPECT_EQ(RunExitCode(Result(gale::v1::JOB_STATE_FAILED, 0, "QEMU died"), true), kExitRunNotRun);
  gale::v1::JobResult with_build = Result(gale::v1::JOB_STATE_FAILED, 0, "QEMU died");
  with_build.mutable_build()->set_elf("x");
  EXPECT_EQ(RunExitCode(with_build, false), kExitRunNotRun);
  EXPECT_EQ(RunExitCode(Result(gale::v1::JOB_STATE_CANCELLED, 0), true), kExitFailure);
  EXPECT_TRUE(IsBuildPhase("compile"));
  EXPECT_FALSE(IsBuildPhase("boot"));
}

}  // namespace
}  // namespace gale::cli
