// A child process that never outlives the process that started it: the emulators (QEMU) and
// native_sim programs of emulated devices.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gale::runners {

/// How a child process ended.
struct ExitStatus {
  bool signaled = false;  ///< killed by a signal (`code` is the signal number)
  int code = 0;           ///< the exit status, or the signal number when `signaled`

  bool ok() const { return !signaled && code == 0; }
  /// "exited with status 3", "was killed by signal 9 (Killed)".
  std::string Describe() const;
};

struct SpawnOptions {
  /// argv[0] is looked up in PATH when it has no slash.
  std::vector<std::string> argv;
  std::string working_dir;  ///< empty: the caller's
  /// File descriptors the child gets as its stdin, stdout and stderr (-1: /dev/null). They are
  /// duplicated in the child; the caller keeps (and closes) its own.
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  /// When set, stdout and stderr go to this file instead (created with mode 0600, truncated):
  /// a tool's log, kept for the error messages that quote it.
  std::string log_path;
};

/// A running child process and the thread that waits for it.
///
/// Lifetime guarantees: the child gets PR_SET_PDEATHSIG(SIGKILL), so it is killed when the
/// thread that forked it ends. That thread is private to this object and runs until the child
/// has been reaped, so the child dies with this process however this process ends (including
/// SIGKILL), and never earlier. The child runs in its own process group (a terminal's Ctrl-C
/// reaches only the daemon, which then stops its children), with the signal mask and
/// dispositions reset and no file descriptors inherited beyond stdin/stdout/stderr.
///
/// Thread-safe.
class ChildProcess {
 public:
  /// Starts the program. Errors: NotFound when argv[0] is not an executable file (naming it and
  /// PATH), Internal when fork/exec fails otherwise.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Spawn(const SpawnOptions &options);

  /// Kills the child (SIGKILL) if it is still running and reaps it.
  ~ChildProcess();
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;

  pid_t pid() const { return pid_; }
  /// The program that runs (argv[0] as given).
  const std::string &program() const { return program_; }

  /// The exit status once the child has ended and been reaped; nullopt while it runs.
  std::optional<ExitStatus> exit_status() const;
  bool running() const { return !exit_status().has_value(); }

  /// Waits at most `timeout` for the child to end; nullopt if it still runs.
  std::optional<ExitStatus> Wait(absl::Duration timeout) const;

  /// Sends `signal` unless the child has already ended (never signals a reused pid).
  void Signal(int signal);

  /// SIGKILL, then waits for the end.
  ExitStatus Kill();

 private:
  ChildProcess() = default;
  void WaitThread(const SpawnOptions &options, const std::string &path,
                  std::vector<std::string> argv);

  std::string program_;
  pid_t pid_ = -1;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool started_ = false;  ///< the forking thread has reported
  std::string spawn_error_;
  bool spawn_not_found_ = false;
  bool reaped_ = false;  ///< guarded by mu_; set before the zombie is reaped
  std::optional<ExitStatus> status_;
  std::thread thread_;
};

/// The absolute path of `program` found in PATH (or `program` itself if it has a slash and is
/// executable). NotFound names the program and PATH.
absl::StatusOr<std::string> FindProgram(const std::string &program);

}  // namespace gale::runners
