#include "gale/runners/child_process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gale::runners {

namespace {

bool IsExecutableFile(const std::string &path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

// Makes `fd` the child's descriptor `target` (inheritable across exec). Only async-signal-safe
// calls: this runs between fork and exec.
bool PlaceFd(int fd, int target) {
  if (fd == target) {
    int flags = fcntl(fd, F_GETFD);
    return flags >= 0 && fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) == 0;
  }
  return dup2(fd, target) == target;
}

// The child side of the fork. Only async-signal-safe calls: the parent has other threads, whose
// locks (malloc's among them) may be held by threads that do not exist in the child.
[[noreturn]] void ChildMain(pid_t parent, int error_fd, int stdin_fd, int stdout_fd, int stderr_fd,
                            const char *working_dir, const char *path, char *const argv[]) {
  // Die with the thread that forked us. If the parent ended before this call took effect,
  // nobody will deliver the signal: leave now.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) {
    _exit(127);
  }
  setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) {
      sigaction(sig, &dfl, nullptr);
    }
  }
  int err = 0;
  if (!PlaceFd(stdin_fd, 0) || !PlaceFd(stdout_fd, 1) || !PlaceFd(stderr_fd, 2)) {
    err = errno;
  } else if (working_dir != nullptr && chdir(working_dir) != 0) {
    err = errno;
  } else {
    // Inherit nothing else (the daemon's sockets, databases, other devices' pipes).
    if (error_fd > 3) {
      close_range(3, static_cast<unsigned>(error_fd) - 1, 0);
    }
    close_range(static_cast<unsigned>(error_fd) + 1, ~0U, 0);
    execv(path, argv);
    err = errno;
  }
  (void)!write(error_fd, &err, sizeof err);
  _exit(127);
}

}  // namespace

std::string ExitStatus::Describe() const {
  if (signaled) {
    const char *name = strsignal(code);
    return absl::StrCat("was killed by signal ", code, name != nullptr ? " (" : "",
                        name != nullptr ? name : "", name != nullptr ? ")" : "");
  }
  return absl::StrCat("exited with status ", code);
}

absl::StatusOr<std::string> FindProgram(const std::string &program) {
  if (program.empty()) {
    return absl::InvalidArgumentError("no program given to run");
  }
  if (program.find('/') != std::string::npos) {
    if (IsExecutableFile(program)) {
      return program;
    }
    return absl::NotFoundError(
        absl::StrCat(program, " is not an executable file (", strerror(errno), ")"));
  }
  const char *path_env = getenv("PATH");
  std::string path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(dir, "/", program);
    if (IsExecutableFile(candidate)) {
      return candidate;
    }
  }
  return absl::NotFoundError(absl::StrCat(program, " was not found in PATH (", path,
                                          "); install it or put its folder in PATH"));
}

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Spawn(const SpawnOptions &options) {
  if (options.argv.empty()) {
    return absl::InvalidArgumentError("no program given to run");
  }
  absl::StatusOr<std::string> path = FindProgram(options.argv[0]);
  if (!path.ok()) {
    return path.status();
  }
  const std::vector<std::string> &argv = options.argv;
  SpawnOptions spawn = options;
  int log_fd = -1;
  if (!options.log_path.empty()) {
    log_fd = open(options.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (log_fd < 0) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot create ", options.log_path, ": ", strerror(errno)));
    }
    spawn.stdout_fd = spawn.stderr_fd = log_fd;
  }
  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->program_ = options.argv[0];
  // The fork happens on the child's own thread, which lives until the child is reaped: the
  // child's PDEATHSIG fires when the *forking thread* ends, so forking on the caller's thread
  // (a gRPC worker that the pool may retire) would kill the child early.
  ChildProcess *self = child.get();
  child->thread_ = std::thread([self, spawn, resolved = *path, argv]() mutable {
    self->WaitThread(spawn, resolved, std::move(argv));
  });
  std::unique_lock lock(child->mu_);
  child->cv_.wait(lock, [&] { return child->started_; });
  if (log_fd >= 0) {
    close(log_fd);  // the child has its own copy now (or never started)
  }
  if (!child->spawn_error_.empty()) {
    std::string error = child->spawn_error_;
    bool not_found = child->spawn_not_found_;
    lock.unlock();
    child->thread_.join();
    child->reaped_ = true;
    return not_found ? absl::NotFoundError(error) : absl::InternalError(error);
  }
  return child;
}

void ChildProcess::WaitThread(const SpawnOptions &options, const std::string &path,
                              std::vector<std::string> argv) {
  auto fail = [this](std::string error, bool not_found) {
    std::lock_guard lock(mu_);
    spawn_error_ = std::move(error);
    spawn_not_found_ = not_found;
    status_ = ExitStatus{false, 127};
    reaped_ = true;
    started_ = true;
    cv_.notify_all();
  };
  // Everything the child needs is prepared here: after fork it may not allocate.
  std::vector<char *> c_argv;
  for (std::string &arg : argv) {
    c_argv.push_back(arg.data());
  }
  c_argv.push_back(nullptr);
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  int error_pipe[2];
  if (null_fd < 0 || pipe2(error_pipe, O_CLOEXEC) != 0) {
    int err = errno;
    if (null_fd >= 0) {
      close(null_fd);
    }
    fail(absl::StrCat("cannot start ", program_, ": ", strerror(err)), false);
    return;
  }
  int in = options.stdin_fd >= 0 ? options.stdin_fd : null_fd;
  int out = options.stdout_fd >= 0 ? options.stdout_fd : null_fd;
  int err_fd = options.stderr_fd >= 0 ? options.stderr_fd : null_fd;
  const char *dir = options.working_dir.empty() ? nullptr : options.working_dir.c_str();
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    ChildMain(parent, error_pipe[1], in, out, err_fd, dir, path.c_str(), c_argv.data());
  }
  int fork_errno = errno;
  close(error_pipe[1]);
  close(null_fd);
  if (pid < 0) {
    close(error_pipe[0]);
    fail(absl::StrCat("cannot start ", program_, ": fork failed: ", strerror(fork_errno)), false);
    return;
  }
  int exec_errno = 0;
  ssize_t n;
  do {
    n = read(error_pipe[0], &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  close(error_pipe[0]);
  if (n == static_cast<ssize_t>(sizeof exec_errno)) {
    int ignored;
    while (waitpid(pid, &ignored, 0) < 0 && errno == EINTR) {
    }
    fail(absl::StrCat("cannot start ", argv[0], ": ", strerror(exec_errno)),
         exec_errno == ENOENT || exec_errno == EACCES);
    return;
  }
  {
    std::lock_guard lock(mu_);
    pid_ = pid;
    started_ = true;
    cv_.notify_all();
  }
  // Wait without reaping first, so that Signal() (which checks reaped_ under the lock) can never
  // hit a pid the kernel has handed to another process.
  siginfo_t info{};
  while (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
  }
  std::lock_guard lock(mu_);
  reaped_ = true;
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(wstatus)) {
    status_ = ExitStatus{true, WTERMSIG(wstatus)};
  } else {
    status_ = ExitStatus{false, WEXITSTATUS(wstatus)};
  }
  cv_.notify_all();
}

ChildProcess::~ChildProcess() {
  if (thread_.joinable()) {
    Kill();
    thread_.join();
  }
}

std::optional<ExitStatus> ChildProcess::exit_status() const {
  std::lock_guard lock(mu_);
  return status_;
}

std::optional<ExitStatus> ChildProcess::Wait(absl::Duration timeout) const {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, absl::ToChronoNanoseconds(timeout), [&] { return status_.has_value(); });
  return status_;
}

void ChildProcess::Signal(int signal) {
  std::lock_guard lock(mu_);
  if (!reaped_ && pid_ > 0) {
    kill(pid_, signal);
  }
}

ExitStatus ChildProcess::Kill() {
  Signal(SIGKILL);
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return status_.has_value(); });
  return *status_;
}

}  // namespace gale::runners
