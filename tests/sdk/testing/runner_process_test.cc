// The runner with real parts: BuildFn runs CMake and Ninja on in-tree applications, RunFn runs
// the native_sim program and streams its output through a pipe. This is how the daemon's
// functions behave, in miniature.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "gale/testing/runner.h"
#include "gale/testing/testcase.h"
#include "test_util.h"

extern char **environ;

namespace gale::testing {
namespace {

using test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

// Spawns argv with stdout and stderr on `out_fd` (or a fresh pipe when out_fd < 0, returned in
// *read_fd). Returns the pid, or -1.
pid_t Spawn(const std::vector<std::string> &args, int out_fd, int *read_fd) {
  int fds[2] = {-1, -1};
  if (out_fd < 0) {
    if (pipe2(fds, O_CLOEXEC) != 0) {
      return -1;
    }
    out_fd = fds[1];
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 2);
  std::vector<char *> argv;
  for (const std::string &arg : args) {
    argv.push_back(const_cast<char *>(arg.c_str()));
  }
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (fds[1] >= 0) {
    close(fds[1]);
    *read_fd = fds[0];
  }
  return rc == 0 ? pid : -1;
}

absl::Status RunTo(const std::vector<std::string> &args, int log_fd) {
  pid_t pid = Spawn(args, log_fd, nullptr);
  if (pid < 0) {
    return absl::InternalError("cannot start " + args[0]);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(args[0] + " failed");
  }
  return absl::OkStatus();
}

// cmake + ninja, as the daemon's build driver would, log in build_dir/build.log.
absl::Status RealBuild(const Instance &, const BuildSpec &spec, std::stop_token) {
  std::string log = spec.build_dir + "/build.log";
  int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::InternalError("cannot write " + log);
  }
  std::vector<std::string> configure = {
      "cmake", "-GNinja", "-S", spec.app_dir, "-B", spec.build_dir, "-DBOARD=" + spec.board};
  configure.insert(configure.end(), spec.cmake_args.begin(), spec.cmake_args.end());
  absl::Status status = RunTo(configure, fd);
  if (status.ok()) {
    status = RunTo({"ninja", "-C", spec.build_dir, "-j2"}, fd);
  }
  close(fd);
  if (!status.ok()) {
    return absl::InternalError(std::string(status.message()) + ":\n" + test::ReadFile(log));
  }
  return absl::OkStatus();
}

// Runs the native_sim program, streaming its output; killed when `stop` is requested.
RunOutcome RealRun(const Instance &, const std::string &build_dir, const LineFn &on_line,
                   std::chrono::milliseconds, std::stop_token stop) {
  RunOutcome outcome;
  int read_fd = -1;
  pid_t pid = Spawn({build_dir + "/gale/gale.exe"}, -1, &read_fd);
  if (pid < 0) {
    outcome.flash_error = "cannot start " + build_dir + "/gale/gale.exe";
    return outcome;
  }
  {
    std::stop_callback kill_it(stop, [pid] { kill(pid, SIGKILL); });
    std::string partial;
    char buffer[4096];
    for (ssize_t n; (n = read(read_fd, buffer, sizeof(buffer))) > 0;) {
      partial.append(buffer, static_cast<size_t>(n));
      for (size_t nl; (nl = partial.find('\n')) != std::string::npos;) {
        on_line(std::string_view(partial).substr(0, nl));
        partial.erase(0, nl + 1);
      }
    }
    if (!partial.empty()) {
      on_line(partial);
    }
    close(read_fd);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) {
      outcome.exited = true;
      outcome.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status) && !stop.stop_requested()) {
      outcome.died_reason = std::string("killed by signal ") + strsignal(WTERMSIG(status));
    }
  }
  return outcome;
}

std::string SourceRoot() {
  return GALE_TESTING_SOURCE_ROOT;
}

TEST(TestRunnerProcess, BuildsAndRunsRealApplicationsOnNativeSim) {
  ASSERT_NE(std::getenv("GALE_BASE"), nullptr) << "run through CTest (it sets GALE_BASE)";
  TempDir dir;
  dir.Write("sem/testcase.yaml",
            "tests:\n"
            "  kernel.sem.quiet_summary:\n"
            "    tags: kernel\n"
            "    extra_configs:\n"
            "      - CONFIG_ZTEST_VERBOSE_SUMMARY=n\n");
  dir.Write("hello/sample.yaml",
            "sample:\n  name: hello\n"
            "tests:\n"
            "  sample.hello:\n"
            "    harness: console\n"
            "    harness_config:\n"
            "      type: one_line\n"
            "      regex:\n"
            "        - \"Hello World! (.*)\"\n");
  // The applications are the tree's own (sem includes ../common), described by the files above.
  for (auto [from, to] :
       {std::pair{"tests/kernel/sem", "sem"}, std::pair{"tests/kernel/common", "common"},
        std::pair{"samples/hello_world", "hello"}}) {
    std::filesystem::copy(
        SourceRoot() + "/" + from, dir.path() + "/" + to,
        std::filesystem::copy_options::recursive | std::filesystem::copy_options::skip_existing);
  }
  auto scenarios = DiscoverScenarios({dir.path()});
  ASSERT_TRUE(scenarios.ok()) << scenarios.status();
  ASSERT_EQ(scenarios->size(), 2u);
  std::vector<Instance> instances =
      SelectInstances(*scenarios, {BoardInfo{"native_sim", "posix", 0, true}});
  ASSERT_EQ(instances.size(), 2u);

  std::mutex mu;
  std::vector<TestCase> streamed;
  RunnerCallbacks callbacks;
  callbacks.on_case = [&](const Instance &, const TestCase &c) {
    std::lock_guard<std::mutex> lock(mu);
    streamed.push_back(c);
  };
  RunnerOptions options;
  options.parallel = 2;
  options.work_dir = dir.path() + "/work";
  RunReport report = TestRunner(RealBuild, RealRun, options, callbacks).Run(instances);
  ASSERT_EQ(report.results.size(), 2u);

  const ScenarioResult &hello = report.results[0];
  EXPECT_EQ(hello.scenario, "sample.hello");
  EXPECT_EQ(hello.status, ScenarioStatus::kPassed) << hello.reason;
  EXPECT_THAT(test::ReadFile(hello.log_path), HasSubstr("Hello World! native_sim"));

  const ScenarioResult &sem = report.results[1];
  EXPECT_EQ(sem.scenario, "kernel.sem.quiet_summary");
  EXPECT_EQ(sem.status, ScenarioStatus::kPassed) << sem.reason;
  EXPECT_EQ(sem.cases.size(), 6u);
  EXPECT_EQ(streamed.size(), 6u);
  for (const TestCase &c : sem.cases) {
    EXPECT_EQ(c.suite, "sem");
    EXPECT_EQ(c.status, CaseStatus::kPassed) << c.name;
  }
  // extra_configs reached Kconfig through the fragment: the summary lists no tests.
  std::string log = test::ReadFile(sem.log_path);
  EXPECT_THAT(log, HasSubstr("SUITE PASS - 100.00% [sem]"));
  EXPECT_THAT(log, Not(HasSubstr(" - PASS - [sem.")));
  EXPECT_THAT(test::ReadFile(sem.build_dir + "/gale/.config"),
              HasSubstr("# CONFIG_ZTEST_VERBOSE_SUMMARY is not set"));
}

}  // namespace
}  // namespace gale::testing
