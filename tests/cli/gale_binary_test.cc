// The real gale binary against fake_galed (a scripted daemon speaking the real API over a real
// unix socket): auto-start, daemon start/status/stop, exit codes, streams, --json, the console
// and Ctrl-C. Each test has its own XDG folders, so its own socket and daemon.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

extern char **environ;

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

struct Output {
  int code = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const fs::path &path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class GaleBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/gale-cli-test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    fs::create_directories(root_ / "run");
    fs::permissions(root_ / "run", fs::perms::owner_all);
    env_["XDG_RUNTIME_DIR"] = (root_ / "run").string();
    env_["XDG_STATE_HOME"] = (root_ / "state").string();
    env_["GALE_GALED"] = FAKE_GALED;
    env_["GALE_SOCKET"] = "";
    env_["GALE_LEASE"] = "";
  }

  void TearDown() override {
    Gale({"daemon", "stop"});
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  std::string Socket() const { return (root_ / "run" / "gale" / "galed.sock").string(); }
  fs::path StateDir() const { return root_ / "state" / "gale"; }

  std::vector<std::string> Environment() const {
    std::map<std::string, std::string> vars;
    for (char **e = environ; *e != nullptr; ++e) {
      const std::string entry = *e;
      const size_t eq = entry.find('=');
      vars[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    for (const auto &[name, value] : env_) {
      if (value.empty()) {
        vars.erase(name);
      } else {
        vars[name] = value;
      }
    }
    std::vector<std::string> out;
    for (const auto &[name, value] : vars) {
      out.push_back(name + "=" + value);
    }
    return out;
  }

  // Starts gale; stdin is `input` (through a file, so a regular file) or /dev/null.
  pid_t Start(const std::vector<std::string> &args, int stdin_fd = -1) {
    const int out = open((root_ / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open((root_ / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (stdin_fd >= 0) {
      posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    }
    posix_spawn_file_actions_adddup2(&actions, out, 1);
    posix_spawn_file_actions_adddup2(&actions, err, 2);
    posix_spawn_file_actions_addchdir_np(&actions, root_.c_str());
    std::vector<std::string> argv_strings = {GALE_BIN};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char *> argv;
    for (std::string &s : argv_strings) {
      argv.push_back(s.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> env_strings = Environment();
    std::vector<char *> envp;
    for (std::string &s : env_strings) {
      envp.push_back(s.data());
    }
    envp.push_back(nullptr);
    pid_t pid = -1;
    EXPECT_EQ(posix_spawn(&pid, GALE_BIN, &actions, nullptr, argv.data(), envp.data()), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out);
    close(err);
    return pid;
  }

  Output Wait(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    Output output;
    output.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    output.out = ReadFile(root_ / "out");
    output.err = ReadFile(root_ / "err");
    return output;
  }

  Output Gale(const std::vector<std::string> &args, int stdin_fd = -1) {
    return Wait(Start(args, stdin_fd));
  }

  // Polls the stdout of a running gale until it holds `text`.
  bool WaitForOutput(const std::string &text) {
    for (int i = 0; i < 500; ++i) {
      if (ReadFile(root_ / "out").find(text) != std::string::npos) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  fs::path root_;
  std::map<std::string, std::string> env_;
};

TEST_F(GaleBinaryTest, StatusDoesNotStartADaemon) {
  const Output status = Gale({"daemon", "status"});
  EXPECT_EQ(status.code, 1);
  EXPECT_THAT(status.err, HasSubstr("galed is not running"));
  EXPECT_FALSE(fs::exists(Socket()));
}

TEST_F(GaleBinaryTest, DaemonStartStatusStop) {
  Output start = Gale({"daemon", "start"});
  ASSERT_EQ(start.code, 0) << start.err;
  EXPECT_THAT(start.out, HasSubstr("galed started (pid "));

  const Output status = Gale({"daemon", "status", "--json"});
  ASSERT_EQ(status.code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("\"socket\": \"unix:" + Socket() + "\""));
  EXPECT_THAT(status.out, ::testing::ContainsRegex("\"pid\": [0-9]+"));
  EXPECT_THAT(status.out, HasSubstr("\"version\": \"fake\""));
  EXPECT_THAT(status.out, HasSubstr("\"uptime_s\": "));
  struct stat st;
  ASSERT_EQ(stat(Socket().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  start = Gale({"daemon", "start"});
  EXPECT_EQ(start.code, 0);
  EXPECT_THAT(start.out, HasSubstr("already running (pid "));

  const Output stop = Gale({"daemon", "stop"});
  EXPECT_EQ(stop.code, 0) << stop.err;
  EXPECT_THAT(stop.out, HasSubstr("galed stopped"));
  EXPECT_EQ(Gale({"daemon", "status"}).code, 1);
  EXPECT_EQ(Gale({"daemon", "stop"}).code, 0);  // stopping a stopped daemon is fine
}

TEST_F(GaleBinaryTest, AnyCommandStartsTheDaemon) {
  const Output boards = Gale({"boards", "--json"});
  ASSERT_EQ(boards.code, 0) << boards.err;
  EXPECT_THAT(boards.out, HasSubstr("\"qemu_cortex_m3\""));
  EXPECT_THAT(boards.err, HasSubstr("gale: started galed"));
  EXPECT_TRUE(fs::exists(StateDir() / "galed.log"));
  // Human form: an aligned table.
  const Output table = Gale({"boards"});
  EXPECT_THAT(table.out, HasSubstr("BOARD           ARCH"));
  EXPECT_THAT(table.err, Not(HasSubstr("started")));
}

TEST_F(GaleBinaryTest, ADaemonThatCannotStartIsReportedWithItsLog) {
  env_["GALE_GALED"] = "/bin/false";
  const Output boards = Gale({"boards"});
  EXPECT_EQ(boards.code, 1);
  EXPECT_THAT(boards.err, HasSubstr("gale: error: galed (/bin/false) exited with status 1"));
  EXPECT_THAT(boards.err, HasSubstr("galed.log"));
}

TEST_F(GaleBinaryTest, ExplicitSocketIsUsedByBothSides) {
  const std::string socket = (root_ / "elsewhere.sock").string();
  const Output boards = Gale({"--socket", socket, "boards"});
  ASSERT_EQ(boards.code, 0) << boards.err;
  EXPECT_TRUE(fs::exists(socket));
  EXPECT_FALSE(fs::exists(Socket()));
  env_["GALE_SOCKET"] = "unix:" + socket;
  EXPECT_EQ(Gale({"daemon", "status"}).code, 0);
  EXPECT_EQ(Gale({"daemon", "stop"}).code, 0);
}

TEST_F(GaleBinaryTest, BuildSendsAbsolutePathsAndSummarizes) {
  const Output build = Gale({"build", "-b", "qemu_cortex_m3", "app"});
  ASSERT_EQ(build.code, 0) << build.err;
  EXPECT_EQ(build.out, "built " + (root_ / "app/build/gale/gale.elf").string() +
                           " (flash 7832 B, ram 4096 B)\n");
  // Not a terminal: a few progress lines, no tool output without -v.
  EXPECT_THAT(build.err, HasSubstr("[ 50%] compile: [5/10] Building C object"));
  EXPECT_THAT(build.err, Not(HasSubstr("\r")));
  EXPECT_THAT(build.err, Not(HasSubstr("\n[5/10]")));
  const Output verbose = Gale({"build", "-v", "-b", "qemu_cortex_m3", "-d", "out", "app"});
  EXPECT_THAT(verbose.err, HasSubstr("\n[5/10] Building C object\n"));
  EXPECT_THAT(verbose.out, HasSubstr((root_ / "out/gale/gale.elf").string()));
}

TEST_F(GaleBinaryTest, BuildFailureShowsDiagnosticsTailAndReason) {
  const Output build = Gale({"build", "-b", "fail", "app"});
  EXPECT_EQ(build.code, 1);
  EXPECT_THAT(build.err, HasSubstr("/app/src/main.c:3:7: error: 'x' undeclared\n"));
  EXPECT_THAT(build.err, HasSubstr("tool line 29\n"));
  EXPECT_THAT(build.err, HasSubstr("tool line 10\n"));
  EXPECT_THAT(build.err, Not(HasSubstr("tool line 9\n")));
  EXPECT_THAT(build.err,
              ::testing::EndsWith("gale: error: compile failed: 1 error in /app/src/main.c\n"));
  EXPECT_EQ(build.out, "");
}

TEST_F(GaleBinaryTest, ErrorsOfTheDaemonNameTheInput) {
  const Output build = Gale({"build", "-b", "no_such_board", "app"});
  EXPECT_EQ(build.code, 1);
  EXPECT_THAT(build.err, HasSubstr("gale: error: unknown board 'no_such_board'"));
  const Output stop = Gale({"emu", "stop", "emu-nothing-1"});
  EXPECT_EQ(stop.code, 1);
  EXPECT_THAT(stop.err, HasSubstr("gale: error: no device 'emu-nothing-1'"));
  const Output usage = Gale({"build", "app"});
  EXPECT_EQ(usage.code, 2);
}

TEST_F(GaleBinaryTest, RunExitsWithTheTargetsCode) {
  Output run = Gale({"run", "-b", "exit_0", "app"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "*** Booting Gale ***\nPROJECT EXECUTION SUCCESSFUL\n");
  run = Gale({"run", "-b", "exit_3", "app"});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.out, HasSubstr("PROJECT EXECUTION FAILED"));
  EXPECT_THAT(run.err, HasSubstr("gale: error: the image exited with code 3"));
  EXPECT_EQ(Gale({"run", "-b", "fail", "app"}).code, 125);
  run = Gale({"run", "-b", "timeout", "app"});
  EXPECT_EQ(run.code, 124);
  EXPECT_THAT(run.err, HasSubstr("gale: error: the image did not exit within 1 s"));
}

TEST_F(GaleBinaryTest, InterruptCancelsTheCallAndExits130) {
  ASSERT_EQ(Gale({"daemon", "start"}).code, 0);
  const pid_t pid = Start({"run", "-b", "hang", "app"});
  ASSERT_TRUE(WaitForOutput("booted, hanging"));
  kill(pid, SIGINT);
  const Output run = Wait(pid);
  EXPECT_EQ(run.code, 130);
  EXPECT_THAT(run.err, HasSubstr("gale: interrupted; job job-"));
  // The daemon saw the client go away.
  for (int i = 0; i < 100 && !fs::exists(StateDir() / "cancelled"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(fs::exists(StateDir() / "cancelled"));
}

TEST_F(GaleBinaryTest, LeaseIsSentAsMetadata) {
  env_["GALE_LEASE"] = "lease-42";
  const Output build = Gale({"build", "-v", "-b", "qemu_cortex_m3", "app"});
  EXPECT_THAT(build.err, HasSubstr("lease: lease-42"));
}

TEST_F(GaleBinaryTest, EmuStartPrintsOnlyIdsAndDevicesListsThem) {
  const Output start = Gale({"emu", "start", "-b", "qemu_cortex_m3", "--count", "2"});
  ASSERT_EQ(start.code, 0) << start.err;
  EXPECT_EQ(start.out, "emu-qemu_cortex_m3-1\nemu-qemu_cortex_m3-2\n");
  const Output devices = Gale({"devices", "--json"});
  EXPECT_THAT(devices.out, HasSubstr("\"id\": \"emu-qemu_cortex_m3-2\""));
  EXPECT_THAT(devices.out, HasSubstr("\"state\": \"halted\""));
  EXPECT_THAT(devices.out, HasSubstr("\"kind\": \"emulated\""));
  const Output table = Gale({"devices"});
  EXPECT_THAT(table.out, HasSubstr("emu-qemu_cortex_m3-1  -     qemu_cortex_m3  emulated  halted"));
  EXPECT_EQ(Gale({"emu", "stop", "emu-qemu_cortex_m3-1"}).code, 0);
  EXPECT_THAT(Gale({"devices"}).out, Not(HasSubstr("emu-qemu_cortex_m3-1")));
}

TEST_F(GaleBinaryTest, ConsoleForwardsAPipeAndEndsWithTheImage) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], "hello\n", 6), 6);
  const pid_t pid = Start({"console", "--device", "emu-x-1"}, fds[0]);
  close(fds[0]);
  ASSERT_TRUE(WaitForOutput("echo: hello"));
  ASSERT_EQ(write(fds[1], "exit\n", 5), 5);
  close(fds[1]);
  const Output console = Wait(pid);
  EXPECT_EQ(console.code, 7);
  EXPECT_EQ(console.out, "boot banner\necho: hello\necho: exit\n");
  EXPECT_THAT(console.err, HasSubstr("exited with code 7"));
}

TEST_F(GaleBinaryTest, ConsoleEndsWhenTheImageExitsEvenWithStdinOpen) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], "exit\n", 5), 5);
  const Output console = Gale({"console", "--device", "emu-x-1"}, fds[0]);
  close(fds[0]);
  close(fds[1]);
  EXPECT_EQ(console.code, 7);
  EXPECT_EQ(console.out, "boot banner\necho: exit\n");
  // gale half-closed once the image had exited (else galed waits, then cuts the call).
  EXPECT_TRUE(fs::exists(StateDir() / "console-half-closed"));
}

TEST_F(GaleBinaryTest, ConsoleEndsCleanlyOnSigterm) {
  ASSERT_EQ(Gale({"daemon", "start"}).code, 0);
  const pid_t pid = Start({"console", "--device", "emu-x-1"});  // stdin: /dev/null
  ASSERT_TRUE(WaitForOutput("boot banner"));
  kill(pid, SIGTERM);
  const Output console = Wait(pid);
  EXPECT_EQ(console.code, 0);
  EXPECT_EQ(console.out, "boot banner\n");
}

TEST_F(GaleBinaryTest, ConsoleErrors) {
  Output console = Gale({"console", "--device", "no-such-device"});
  EXPECT_EQ(console.code, 1);
  EXPECT_THAT(console.err, HasSubstr("gale: error: no device 'no-such-device'"));
  console = Gale({"console"});  // no devices at all
  EXPECT_EQ(console.code, 1);
  EXPECT_THAT(console.err, HasSubstr("there is no device"));
}

TEST_F(GaleBinaryTest, JobsJsonShowsReadableStates) {
  const Output jobs = Gale({"jobs", "--json"});
  ASSERT_EQ(jobs.code, 0) << jobs.err;
  EXPECT_THAT(jobs.out, HasSubstr("\"state\": \"interrupted\""));
  EXPECT_THAT(jobs.out, HasSubstr("\"state\": \"succeeded\""));
  const Output table = Gale({"jobs"});
  EXPECT_THAT(table.out, HasSubstr("job-a  test   interrupted"));
  EXPECT_EQ(Gale({"jobs", "--state", "sleepy"}).code, 1);
}

TEST_F(GaleBinaryTest, UnimplementedServicesAreClearErrors) {
  const Output test = Gale({"test", "-b", "native_sim", "app"});
  EXPECT_EQ(test.code, 1);
  EXPECT_THAT(test.err, HasSubstr("gale: error: "));
}

TEST_F(GaleBinaryTest, FlashNeedsABuildFolder) {
  const Output flash = Gale({"flash", "--device", "emu-x-1"});
  EXPECT_EQ(flash.code, 1);
  EXPECT_THAT(flash.err, HasSubstr("no ./build"));
}

}  // namespace
