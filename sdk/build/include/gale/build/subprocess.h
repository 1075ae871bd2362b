// Child processes for host tools (cmake, ninja, emulators): fork/exec in their own session and
// process group, stdout and stderr read line by line, cancellation that takes the whole process
// tree down (SIGTERM, then SIGKILL after a grace period).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gale/build/cancel.h"

namespace gale::build {

enum class OutputStream { kStdout, kStderr };

/// "stdout" or "stderr" (the LogLine stream names of the API).
const char *StreamName(OutputStream stream);

struct SubprocessOptions {
  /// The program and its arguments; argv[0] without a '/' is looked up in PATH (the PATH of the
  /// child's environment).
  std::vector<std::string> argv;
  /// Working folder of the child; empty: the caller's.
  std::string cwd;
  /// Variables set (or replaced) in the environment the child inherits from this process.
  std::vector<std::pair<std::string, std::string>> env;
  /// Variables removed from the inherited environment.
  std::vector<std::string> unset_env;
  /// Give the child a pipe on stdin (Subprocess::stdin_fd()); otherwise /dev/null.
  bool pipe_stdin = false;
  /// SIGKILL the child when the thread that started it exits (PR_SET_PDEATHSIG), so that a
  /// daemon killed with SIGKILL takes e.g. its emulators with it. Start it from a thread that
  /// lives as long as the child should.
  bool kill_with_parent = false;
  /// How long a cancelled child has between SIGTERM and SIGKILL.
  std::chrono::milliseconds terminate_grace{3000};
};

/// How a child ended.
struct ExitStatus {
  int code = -1;           ///< exit code if it exited; -1 if a signal ended it
  int signal = 0;          ///< the signal that ended it, 0 if it exited
  bool cancelled = false;  ///< it was stopped because the operation was cancelled
  bool ok() const { return !cancelled && signal == 0 && code == 0; }
  /// "exited with status 2", "killed by signal 9 (Killed)", "cancelled".
  std::string Describe() const;
};

/// Called for every line of output, without its line terminator, on the thread in Wait().
using LineCallback = std::function<void(OutputStream stream, std::string_view line)>;

/// A running child process. It runs in a new session (so also a new process group) whose id is
/// its pid; signals to the caller's terminal do not reach it, and Terminate() reaches every
/// process it started, including those that moved to their own process group inside the
/// session (ninja puts each compiler in one).
/// @pre Not thread-safe: one thread calls Wait()/Terminate(); other threads stop it through a
/// CancelToken.
class Subprocess {
 public:
  /// Starts the child. Errors: InvalidArgument (empty argv), NotFound (program not in PATH),
  /// FailedPrecondition (cwd missing, exec failed), Internal (fork/pipe failed).
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(const SubprocessOptions &options);
  /// Terminates a child still running (as Terminate()) and reaps it.
  ~Subprocess();
  Subprocess(const Subprocess &) = delete;
  Subprocess &operator=(const Subprocess &) = delete;

  pid_t pid() const { return pid_; }          ///< also its process group and session id
  int stdin_fd() const { return stdin_fd_; }  ///< -1 unless options.pipe_stdin
  void CloseStdin();

  /// Reads stdout and stderr line by line, calling @p on_line, until the child has exited and
  /// its output is drained (output of grandchildren that outlive it is read for at most 200 ms
  /// more). When @p cancel is cancelled, terminates the child's process tree (SIGTERM, SIGKILL
  /// after terminate_grace), keeps reading what it prints meanwhile, and returns with
  /// `cancelled` set.
  ExitStatus Wait(const LineCallback &on_line, const CancelToken *cancel = nullptr);

  /// SIGTERM to the child's process group; after @p grace, SIGKILL to every process left in
  /// its session. Returns once the child is reaped. Output still unread is discarded.
  ExitStatus Terminate(std::chrono::milliseconds grace);

 private:
  Subprocess() = default;
  bool Reap(bool block);  // true once the child is reaped (status_ set)
  void KillSession();

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  int stdin_fd_ = -1;
  int pid_fd_ = -1;  // pidfd of the child when the kernel has them
  bool reaped_ = false;
  ExitStatus status_;
  std::chrono::milliseconds grace_{3000};
};

/// Start() and Wait(): runs @p options to completion.
absl::StatusOr<ExitStatus> RunSubprocess(const SubprocessOptions &options,
                                         const LineCallback &on_line,
                                         const CancelToken *cancel = nullptr);

/// Looks @p program up in @p path_env (a PATH value); a name with a '/' is returned as is if
/// it is executable. NotFound names the program and the PATH searched.
absl::StatusOr<std::string> FindProgram(const std::string &program, const std::string &path_env);

}  // namespace gale::build
