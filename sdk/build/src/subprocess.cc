#include "gale/build/subprocess.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

extern char **environ;

namespace gale::build {

// ---- CancelToken ----

CancelToken::CancelToken() {
  fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

CancelToken::~CancelToken() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

void CancelToken::Cancel() {
  if (cancelled_.exchange(true, std::memory_order_acq_rel)) {
    return;
  }
  if (fd_ >= 0) {
    uint64_t one = 1;
    // An eventfd write of 8 bytes cannot be short; a full counter cannot happen with one write.
    [[maybe_unused]] ssize_t n = ::write(fd_, &one, sizeof one);
  }
}

// ---- helpers ----

namespace {

using Clock = std::chrono::steady_clock;

// Longest line passed on in one piece; a longer one is split (a tool printing megabytes without
// a newline must not grow memory without bound).
constexpr size_t kMaxLine = 1 << 20;
// How long to keep reading after the child exited, for grandchildren that still hold its pipes.
constexpr std::chrono::milliseconds kDrainAfterExit{200};

void CloseFd(int &fd) {
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

std::string ErrnoText(int err) {
  return std::string(::strerror(err));
}

// Splits a stream's bytes into lines.
class LineSplitter {
 public:
  void Add(const char *data, size_t size, OutputStream stream, const LineCallback &on_line) {
    pending_.append(data, size);
    size_t start = 0;
    for (;;) {
      size_t nl = pending_.find('\n', start);
      if (nl == std::string::npos) {
        break;
      }
      Emit(std::string_view(pending_).substr(start, nl - start), stream, on_line);
      start = nl + 1;
    }
    pending_.erase(0, start);
    if (pending_.size() >= kMaxLine) {
      Emit(pending_, stream, on_line);
      pending_.clear();
    }
  }
  void Flush(OutputStream stream, const LineCallback &on_line) {
    if (!pending_.empty()) {
      Emit(pending_, stream, on_line);
      pending_.clear();
    }
  }

 private:
  static void Emit(std::string_view line, OutputStream stream, const LineCallback &on_line) {
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (on_line) {
      on_line(stream, line);
    }
  }
  std::string pending_;
};

// The session id of process `pid` from /proc/PID/stat, or -1.
pid_t SessionOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) {
    return -1;
  }
  // The command name is in parentheses and may contain anything; fields follow the last ')'.
  size_t close = stat.rfind(')');
  if (close == std::string::npos) {
    return -1;
  }
  std::istringstream fields(stat.substr(close + 1));
  std::string state;
  long ppid = 0, pgrp = 0, session = 0;
  fields >> state >> ppid >> pgrp >> session;
  return fields ? static_cast<pid_t>(session) : -1;
}

int OpenPidFd(pid_t pid) {
#ifdef SYS_pidfd_open
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd >= 0) {
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  return fd;
#else
  (void)pid;
  return -1;
#endif
}

bool IsExecutable(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

const char *StreamName(OutputStream stream) {
  return stream == OutputStream::kStdout ? "stdout" : "stderr";
}

std::string ExitStatus::Describe() const {
  if (cancelled) {
    return "cancelled";
  }
  if (signal != 0) {
    const char *name = ::strsignal(signal);
    return absl::StrCat("killed by signal ", signal, name ? absl::StrCat(" (", name, ")") : "");
  }
  return absl::StrCat("exited with status ", code);
}

absl::StatusOr<std::string> FindProgram(const std::string &program, const std::string &path_env) {
  if (program.empty()) {
    return absl::InvalidArgumentError("no program given");
  }
  if (program.find('/') != std::string::npos) {
    if (!IsExecutable(program)) {
      return absl::NotFoundError(absl::StrCat("'", program, "' is not an executable file"));
    }
    return program;
  }
  for (absl::string_view dir : absl::StrSplit(path_env, ':')) {
    std::string candidate = absl::StrCat(dir.empty() ? "." : dir, "/", program);
    if (IsExecutable(candidate)) {
      return candidate;
    }
  }
  return absl::NotFoundError(
      absl::StrCat("'", program, "' was not found in PATH (", path_env, "); install it"));
}

// ---- Subprocess ----

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(const SubprocessOptions &options) {
  if (options.argv.empty()) {
    return absl::InvalidArgumentError("Subprocess::Start: no program given (empty argv)");
  }
  // Everything the child needs is prepared before fork(): between fork() and exec() a child of
  // a multi-threaded parent may only make async-signal-safe calls.
  std::map<std::string, std::string> env;
  for (char **e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string_view::npos) {
      env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
  }
  for (const std::string &name : options.unset_env) {
    env.erase(name);
  }
  for (const auto &[name, value] : options.env) {
    env[name] = value;
  }
  std::vector<std::string> env_strings;
  for (const auto &[name, value] : env) {
    env_strings.push_back(name + "=" + value);
  }
  std::vector<char *> envp;
  for (std::string &s : env_strings) {
    envp.push_back(s.data());
  }
  envp.push_back(nullptr);

  auto path_it = env.find("PATH");
  absl::StatusOr<std::string> program = FindProgram(
      options.argv[0], path_it != env.end() ? path_it->second : "/usr/local/bin:/usr/bin:/bin");
  if (!program.ok()) {
    return program.status();
  }
  std::vector<std::string> args = options.argv;
  std::vector<char *> argv;
  for (std::string &a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  if (!options.cwd.empty()) {
    struct stat st;
    if (::stat(options.cwd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot run ", options.argv[0], " in '", options.cwd, "': no such folder"));
    }
  }

  int out[2] = {-1, -1}, err[2] = {-1, -1}, in[2] = {-1, -1}, status_pipe[2] = {-1, -1};
  auto close_all = [&] {
    for (int *p : {out, err, in, status_pipe}) {
      CloseFd(p[0]);
      CloseFd(p[1]);
    }
  };
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 ||
      ::pipe2(status_pipe, O_CLOEXEC) != 0 ||
      (options.pipe_stdin ? ::pipe2(in, O_CLOEXEC) : 0) != 0) {
    int e = errno;
    close_all();
    return absl::InternalError(absl::StrCat("cannot create pipes: ", ErrnoText(e)));
  }
  int null_fd = -1;
  if (!options.pipe_stdin) {
    null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  }
  const char *cwd = options.cwd.empty() ? nullptr : options.cwd.c_str();
  const pid_t parent = ::getpid();
  const bool kill_with_parent = options.kill_with_parent;

  pid_t pid = ::fork();
  if (pid < 0) {
    int e = errno;
    close_all();
    CloseFd(null_fd);
    return absl::InternalError(absl::StrCat("cannot fork: ", ErrnoText(e)));
  }
  if (pid == 0) {
    // Child: async-signal-safe calls only.
    auto fail = [&](int stage) {
      int report[2] = {stage, errno};
      [[maybe_unused]] ssize_t n = ::write(status_pipe[1], report, sizeof report);
      ::_exit(127);
    };
    ::setsid();
    if (kill_with_parent) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) {
        ::_exit(127);
      }
    }
    // Signal state is inherited across exec: a daemon's ignored SIGPIPE or blocked signals must
    // not leak into the tools it runs.
    struct sigaction dfl;
    ::memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) {
      if (sig != SIGKILL && sig != SIGSTOP) {
        ::sigaction(sig, &dfl, nullptr);
      }
    }
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (::dup2(options.pipe_stdin ? in[0] : null_fd, 0) < 0 || ::dup2(out[1], 1) < 0 ||
        ::dup2(err[1], 2) < 0) {
      fail(1);
    }
    // Descriptors the parent leaked without O_CLOEXEC (sockets of other threads) must not stay
    // open in the child; status_pipe[1] is already close-on-exec.
#if defined(SYS_close_range)
    if (::syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) != 0)
#endif
    {
      long max_fd = ::sysconf(_SC_OPEN_MAX);
      for (int fd = 3; fd < (max_fd > 0 && max_fd < 65536 ? max_fd : 65536); ++fd) {
        if (fd != status_pipe[1]) {
          ::close(fd);
        }
      }
    }
    if (cwd != nullptr && ::chdir(cwd) != 0) {
      fail(2);
    }
    ::execve(program->c_str(), argv.data(), envp.data());
    fail(3);
  }

  // Parent.
  // No setpgid() here: it could make the child a group leader before its setsid(), which then
  // fails. The child is in its own session by the time the status pipe closes (at exec).
  CloseFd(null_fd);
  CloseFd(out[1]);
  CloseFd(err[1]);
  CloseFd(in[0]);
  CloseFd(status_pipe[1]);
  int report[2] = {0, 0};
  ssize_t n;
  do {
    n = ::read(status_pipe[0], report, sizeof report);
  } while (n < 0 && errno == EINTR);
  CloseFd(status_pipe[0]);
  if (n == sizeof report) {
    int wstatus;
    ::waitpid(pid, &wstatus, 0);
    CloseFd(out[0]);
    CloseFd(err[0]);
    CloseFd(in[1]);
    const char *what = report[0] == 1   ? "cannot set up the standard streams of"
                       : report[0] == 2 ? "cannot enter the working folder of"
                                        : "cannot execute";
    return absl::FailedPreconditionError(
        absl::StrCat(what, " ", *program, ": ", ErrnoText(report[1])));
  }

  std::unique_ptr<Subprocess> child(new Subprocess());
  child->pid_ = pid;
  child->stdout_fd_ = out[0];
  child->stderr_fd_ = err[0];
  child->stdin_fd_ = in[1];
  child->pid_fd_ = OpenPidFd(pid);
  child->grace_ = options.terminate_grace;
  ::fcntl(child->stdout_fd_, F_SETFL, O_NONBLOCK);
  ::fcntl(child->stderr_fd_, F_SETFL, O_NONBLOCK);
  return child;
}

Subprocess::~Subprocess() {
  if (!reaped_ && pid_ > 0) {
    Terminate(grace_);
  }
  CloseFd(stdout_fd_);
  CloseFd(stderr_fd_);
  CloseFd(stdin_fd_);
  CloseFd(pid_fd_);
}

void Subprocess::CloseStdin() {
  CloseFd(stdin_fd_);
}

bool Subprocess::Reap(bool block) {
  if (reaped_) {
    return true;
  }
  int wstatus = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &wstatus, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) {
    return false;
  }
  reaped_ = true;
  if (r < 0) {
    // Someone else reaped it (a SIGCHLD handler set to SIG_IGN): the status is lost.
    status_.code = -1;
    return true;
  }
  if (WIFEXITED(wstatus)) {
    status_.code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    status_.signal = WTERMSIG(wstatus);
  }
  return true;
}

void Subprocess::KillSession() {
  if (pid_ <= 0) {
    return;
  }
  if (!reaped_) {
    ::kill(-pid_, SIGKILL);
  }
  // Processes that moved to a process group of their own stay in the session; a few rounds
  // catch those forked while we looked.
  for (int round = 0; round < 5; ++round) {
    bool found = false;
    DIR *proc = ::opendir("/proc");
    if (proc == nullptr) {
      return;
    }
    while (struct dirent *entry = ::readdir(proc)) {
      char *end = nullptr;
      long other = std::strtol(entry->d_name, &end, 10);
      if (end == entry->d_name || *end != '\0' || other <= 0) {
        continue;
      }
      if (SessionOf(static_cast<pid_t>(other)) == pid_) {
        ::kill(static_cast<pid_t>(other), SIGKILL);
        found = true;
      }
    }
    ::closedir(proc);
    if (!found) {
      return;
    }
  }
}

ExitStatus Subprocess::Wait(const LineCallback &on_line, const CancelToken *cancel) {
  LineSplitter out_lines, err_lines;
  std::array<char, 65536> buf;
  bool terminating = false;
  Clock::time_point kill_at{};
  Clock::time_point drain_until{};

  for (;;) {
    bool exited = Reap(false);
    if (exited && drain_until == Clock::time_point{}) {
      drain_until = Clock::now() + kDrainAfterExit;
    }
    if (exited && ((stdout_fd_ < 0 && stderr_fd_ < 0) || Clock::now() >= drain_until)) {
      break;
    }
    if (!terminating && cancel != nullptr && cancel->cancelled()) {
      terminating = true;
      status_.cancelled = true;
      ::kill(-pid_, SIGTERM);
      kill_at = Clock::now() + grace_;
    }
    if (terminating && !exited && Clock::now() >= kill_at) {
      KillSession();
      kill_at = Clock::now() + std::chrono::hours(24);
    }

    std::vector<pollfd> fds;
    auto add = [&](int fd) {
      if (fd >= 0) {
        fds.push_back(pollfd{fd, POLLIN, 0});
      }
    };
    add(stdout_fd_);
    add(stderr_fd_);
    if (!exited) {
      add(pid_fd_);
    }
    if (cancel != nullptr && !terminating) {
      add(cancel->fd());
    }
    // Sleep until output, the exit, a cancel, or the next deadline (drain end, SIGKILL time).
    long long timeout_ms = -1;
    auto at_most = [&](long long ms) {
      ms = std::clamp<long long>(ms, 0, 1000);
      timeout_ms = timeout_ms < 0 ? ms : std::min(timeout_ms, ms);
    };
    auto ms_until = [](Clock::time_point t) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(t - Clock::now()).count() + 1;
    };
    if (exited) {
      at_most(ms_until(drain_until));
    } else {
      if (pid_fd_ < 0) {
        at_most(50);  // no pidfd: notice the exit by polling
      }
      if (terminating) {
        at_most(ms_until(kill_at));
      }
    }
    if (cancel != nullptr && !terminating && cancel->fd() < 0) {
      at_most(50);
    }
    int r = ::poll(fds.data(), fds.size(), static_cast<int>(timeout_ms));
    if (r < 0 && errno != EINTR) {
      break;
    }
    for (const pollfd &p : fds) {
      if (p.revents == 0) {
        continue;
      }
      if (p.fd == stdout_fd_ || p.fd == stderr_fd_) {
        const bool is_out = p.fd == stdout_fd_;
        const OutputStream stream = is_out ? OutputStream::kStdout : OutputStream::kStderr;
        LineSplitter &lines = is_out ? out_lines : err_lines;
        ssize_t n = ::read(p.fd, buf.data(), buf.size());
        if (n > 0) {
          lines.Add(buf.data(), static_cast<size_t>(n), stream, on_line);
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
          lines.Flush(stream, on_line);
          CloseFd(is_out ? stdout_fd_ : stderr_fd_);
        }
      }
    }
  }
  out_lines.Flush(OutputStream::kStdout, on_line);
  err_lines.Flush(OutputStream::kStderr, on_line);
  CloseFd(stdout_fd_);
  CloseFd(stderr_fd_);
  if (terminating) {
    // Compilers ninja had started sit in process groups of their own: take them down too.
    KillSession();
  }
  return status_;
}

ExitStatus Subprocess::Terminate(std::chrono::milliseconds grace) {
  if (reaped_) {
    return status_;
  }
  ::kill(-pid_, SIGTERM);
  Clock::time_point deadline = Clock::now() + grace;
  while (!Reap(false)) {
    if (Clock::now() >= deadline) {
      KillSession();
      Reap(true);
      break;
    }
    if (pid_fd_ >= 0) {
      pollfd p{pid_fd_, POLLIN, 0};
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      ::poll(&p, 1, static_cast<int>(std::clamp<long long>(ms.count() + 1, 1, 1000)));
    } else {
      ::usleep(20000);
    }
    // A child blocked writing to a full pipe would never see its SIGTERM handler finish.
    for (int *fd : {&stdout_fd_, &stderr_fd_}) {
      char sink[4096];
      while (*fd >= 0 && ::read(*fd, sink, sizeof sink) > 0) {
      }
    }
  }
  KillSession();
  status_.cancelled = true;
  return status_;
}

absl::StatusOr<ExitStatus> RunSubprocess(const SubprocessOptions &options,
                                         const LineCallback &on_line, const CancelToken *cancel) {
  absl::StatusOr<std::unique_ptr<Subprocess>> child = Subprocess::Start(options);
  if (!child.ok()) {
    return child.status();
  }
  return (*child)->Wait(on_line, cancel);
}

}  // namespace gale::build
