// Subprocess on real child processes (/bin/sh scripts).
#include "gale/build/subprocess.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace gale::build {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Captured {
  std::vector<std::string> out;
  std::vector<std::string> err;
  LineCallback callback() {
    return [this](OutputStream stream, std::string_view line) {
      (stream == OutputStream::kStdout ? out : err).emplace_back(line);
    };
  }
};

SubprocessOptions Shell(const std::string &script) {
  SubprocessOptions options;
  options.argv = {"sh", "-c", script};
  return options;
}

// True while `pid` names a live process (not a zombie).
bool Alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) {
    return false;
  }
  size_t close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

// Waits (bounded) for `pid` to disappear; processes re-parented to init are reaped by it.
bool GoneSoon(pid_t pid) {
  for (int i = 0; i < 500 && Alive(pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return !Alive(pid);
}

TEST(SubprocessTest, ReadsBothStreamsLineByLine) {
  Captured c;
  absl::StatusOr<ExitStatus> status = RunSubprocess(
      Shell("echo one; echo two >&2; printf 'three\\r\\nfour'; printf 'no newline' >&2"),
      c.callback());
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(status->ok());
  EXPECT_EQ(status->Describe(), "exited with status 0");
  EXPECT_THAT(c.out, ElementsAre("one", "three", "four"));
  EXPECT_THAT(c.err, ElementsAre("two", "no newline"));
}

TEST(SubprocessTest, ExitCodeAndSignal) {
  absl::StatusOr<ExitStatus> exited = RunSubprocess(Shell("exit 3"), nullptr);
  ASSERT_TRUE(exited.ok());
  EXPECT_FALSE(exited->ok());
  EXPECT_EQ(exited->code, 3);
  EXPECT_EQ(exited->Describe(), "exited with status 3");

  absl::StatusOr<ExitStatus> killed = RunSubprocess(Shell("kill -KILL $$"), nullptr);
  ASSERT_TRUE(killed.ok());
  EXPECT_EQ(killed->signal, SIGKILL);
  EXPECT_THAT(killed->Describe(), HasSubstr("killed by signal 9"));
}

TEST(SubprocessTest, EnvironmentAndWorkingFolder) {
  ::setenv("GALE_SUBPROCESS_TEST_DROP", "x", 1);
  SubprocessOptions options = Shell("echo \"$GALE_T1|${GALE_SUBPROCESS_TEST_DROP-unset}|$(pwd)\"");
  options.env = {{"GALE_T1", "hello"}};
  options.unset_env = {"GALE_SUBPROCESS_TEST_DROP"};
  options.cwd = "/";
  Captured c;
  ASSERT_TRUE(RunSubprocess(options, c.callback()).ok());
  EXPECT_THAT(c.out, ElementsAre("hello|unset|/"));
}

TEST(SubprocessTest, RunsInItsOwnSessionWithDefaultSignals) {
  // The parent ignores SIGPIPE (as daemons do); the child must not inherit that.
  struct sigaction ignore {
  }, old{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old);
  Captured c;
  absl::StatusOr<std::unique_ptr<Subprocess>> child =
      Subprocess::Start(Shell("cut -d' ' -f6 /proc/$$/stat; grep SigIgn /proc/$$/status"));
  ::sigaction(SIGPIPE, &old, nullptr);
  ASSERT_TRUE(child.ok()) << child.status();
  pid_t pid = (*child)->pid();
  ExitStatus status = (*child)->Wait(c.callback());
  EXPECT_TRUE(status.ok());
  ASSERT_EQ(c.out.size(), 2u);
  EXPECT_EQ(std::stoi(c.out[0]), pid);
  // SigIgn is a hex mask; SIGPIPE (13) is bit 12.
  unsigned long long ignored = std::stoull(c.out[1].substr(c.out[1].find(':') + 1), nullptr, 16);
  EXPECT_EQ(ignored & (1ull << (SIGPIPE - 1)), 0u);
}

TEST(SubprocessTest, StartErrors) {
  SubprocessOptions missing;
  missing.argv = {"gale-no-such-program-anywhere"};
  absl::StatusOr<std::unique_ptr<Subprocess>> a = Subprocess::Start(missing);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(a.status().message(), HasSubstr("gale-no-such-program-anywhere"));

  SubprocessOptions bad_cwd = Shell("true");
  bad_cwd.cwd = "/no/such/folder";
  absl::StatusOr<std::unique_ptr<Subprocess>> b = Subprocess::Start(bad_cwd);
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(b.status().message(), HasSubstr("/no/such/folder"));

  // A file that exists but cannot be executed: exec fails in the child and is reported.
  std::string not_exec = ::testing::TempDir() + "/gale_not_exec.sh";
  std::ofstream(not_exec) << "#!/bin/sh\n";
  std::filesystem::permissions(not_exec, std::filesystem::perms::owner_read);
  SubprocessOptions c;
  c.argv = {not_exec};
  EXPECT_FALSE(Subprocess::Start(c).ok());
  std::filesystem::remove(not_exec);

  EXPECT_EQ(Subprocess::Start(SubprocessOptions{}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SubprocessTest, CancelTerminatesTheWholeTree) {
  // The grandchild moves to a process group of its own, as ninja does with the compilers it
  // runs; cancelling must still take it down.
  SubprocessOptions options =
      Shell("perl -e '$| = 1; setpgrp(0, 0); print \"$$\\n\"; sleep 1000' & wait");
  CancelToken cancel;
  pid_t grandchild = -1;
  absl::StatusOr<std::unique_ptr<Subprocess>> child = Subprocess::Start(options);
  ASSERT_TRUE(child.ok()) << child.status();
  ExitStatus status = (*child)->Wait(
      [&](OutputStream stream, std::string_view line) {
        if (stream == OutputStream::kStdout) {
          grandchild = std::stoi(std::string(line));
          cancel.Cancel();
        }
      },
      &cancel);
  EXPECT_TRUE(status.cancelled);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.Describe(), "cancelled");
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(GoneSoon(grandchild)) << "grandchild " << grandchild << " survived the cancel";
  if (Alive(grandchild)) {
    ::kill(grandchild, SIGKILL);  // no leftover when the test fails
  }
}

TEST(SubprocessTest, CancelFromAnotherThreadEscalatesToSigkill) {
  // The child ignores SIGTERM, so only the SIGKILL after the grace period stops it.
  SubprocessOptions options = Shell("trap '' TERM; echo ready; while :; do sleep 1; done");
  options.terminate_grace = std::chrono::milliseconds(100);
  CancelToken cancel;
  absl::StatusOr<std::unique_ptr<Subprocess>> child = Subprocess::Start(options);
  ASSERT_TRUE(child.ok());
  std::thread canceller;
  ExitStatus status = (*child)->Wait(
      [&](OutputStream, std::string_view line) {
        if (line == "ready") {
          canceller = std::thread([&] { cancel.Cancel(); });
        }
      },
      &cancel);
  canceller.join();
  EXPECT_TRUE(status.cancelled);
  EXPECT_EQ(status.signal, SIGKILL);
}

TEST(SubprocessTest, AlreadyCancelledTokenStopsAtOnce) {
  CancelToken cancel;
  cancel.Cancel();
  cancel.Cancel();  // idempotent
  absl::StatusOr<ExitStatus> status = RunSubprocess(Shell("sleep 1000"), nullptr, &cancel);
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(status->cancelled);
}

TEST(SubprocessTest, DestructorTerminatesARunningChild) {
  pid_t pid;
  {
    absl::StatusOr<std::unique_ptr<Subprocess>> child = Subprocess::Start(Shell("sleep 1000"));
    ASSERT_TRUE(child.ok());
    pid = (*child)->pid();
    EXPECT_TRUE(Alive(pid));
  }
  EXPECT_FALSE(Alive(pid));
}

TEST(SubprocessTest, KillWithParentOutlivesNoKilledParent) {
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  pid_t parent = ::fork();
  ASSERT_GE(parent, 0);
  if (parent == 0) {
    // The "daemon": starts a long child, reports its pid, waits to be killed.
    SubprocessOptions options = Shell("sleep 1000");
    options.kill_with_parent = true;
    absl::StatusOr<std::unique_ptr<Subprocess>> child = Subprocess::Start(options);
    pid_t pid = child.ok() ? (*child)->pid() : -1;
    [[maybe_unused]] ssize_t n = ::write(report[1], &pid, sizeof pid);
    for (;;) {
      ::pause();
    }
  }
  ::close(report[1]);
  pid_t child = -1;
  ASSERT_EQ(::read(report[0], &child, sizeof child), static_cast<ssize_t>(sizeof child));
  ::close(report[0]);
  ASSERT_GT(child, 0);
  EXPECT_TRUE(Alive(child));
  ::kill(parent, SIGKILL);
  ::waitpid(parent, nullptr, 0);
  EXPECT_TRUE(GoneSoon(child)) << "the child outlived its killed parent";
  if (Alive(child)) {
    ::kill(child, SIGKILL);  // no leftover when the test fails
  }
}

TEST(SubprocessTest, StdinPipe) {
  SubprocessOptions options = Shell("read a; echo \"got $a\"");
  options.pipe_stdin = true;
  absl::StatusOr<std::unique_ptr<Subprocess>> child = Subprocess::Start(options);
  ASSERT_TRUE(child.ok());
  ASSERT_GE((*child)->stdin_fd(), 0);
  ASSERT_EQ(::write((*child)->stdin_fd(), "hi\n", 3), 3);
  (*child)->CloseStdin();
  Captured c;
  EXPECT_TRUE((*child)->Wait(c.callback()).ok());
  EXPECT_THAT(c.out, ElementsAre("got hi"));
}

TEST(SubprocessTest, FindProgram) {
  absl::StatusOr<std::string> sh = FindProgram("sh", "/no/such:/bin:/usr/bin");
  ASSERT_TRUE(sh.ok());
  EXPECT_TRUE(*sh == "/bin/sh" || *sh == "/usr/bin/sh") << *sh;
  EXPECT_EQ(FindProgram("sh", "/no/such").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace gale::build
