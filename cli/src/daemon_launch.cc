#include "daemon_launch.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

extern char **environ;

namespace gale::cli {

std::string FindGaled() {
  if (const char *override_path = std::getenv("GALE_GALED");
      override_path != nullptr && *override_path != '\0') {
    return override_path;
  }
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) {
    return "galed";
  }
  return (self.parent_path() / "galed").string();
}

absl::StatusOr<pid_t> SpawnDaemon(const std::string &galed, const std::string &address,
                                  const std::string &log_path) {
  if (access(galed.c_str(), X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat("cannot start the daemon: ", galed, " is not there (",
                                            std::strerror(errno),
                                            "); build it (ninja -C build galed) or set "
                                            "GALE_GALED to its path"));
  }
  const std::filesystem::path log_dir = std::filesystem::path(log_path).parent_path();
  std::error_code ec;
  const bool created = std::filesystem::create_directories(log_dir, ec);
  if (created) {
    // The daemon's state (its database, job logs) is private to the user.
    std::filesystem::permissions(log_dir, std::filesystem::perms::owner_all, ec);
  }
  if (ec) {
    return absl::PermissionDeniedError(absl::StrCat("cannot create the daemon's state folder ",
                                                    log_dir.string(), ": ", ec.message()));
  }
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot open the daemon log ", log_path, ": ", std::strerror(errno)));
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, log_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, log_fd, 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawn_file_actions_addchdir_np(&actions, "/");

  // gale blocks SIGINT/SIGTERM/SIGHUP in all its threads (see interrupt.h); the daemon must
  // start with a clean mask and default handlers, or it could not be stopped by a signal.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty;
  sigemptyset(&empty);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signo : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
    sigaddset(&defaults, signo);
  }
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> args = {galed, "--listen", address};
  std::vector<char *> argv;
  for (std::string &arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);

  pid_t pid = -1;
  const int rc = posix_spawn(&pid, galed.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(log_fd);
  if (rc != 0) {
    return absl::InternalError(absl::StrCat("cannot start ", galed, ": ", std::strerror(rc)));
  }
  return pid;
}

long FileSize(const std::string &path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return 0;
  }
  return static_cast<long>(st.st_size);
}

std::string ReadLogTail(const std::string &path, long offset, int lines) {
  std::ifstream in(path);
  if (!in) {
    return {};
  }
  in.seekg(offset);
  std::deque<std::string> tail;
  std::string line;
  while (std::getline(in, line)) {
    tail.push_back(line);
    if (static_cast<int>(tail.size()) > lines) {
      tail.pop_front();
    }
  }
  std::string out;
  for (const std::string &l : tail) {
    out += l;
    out += '\n';
  }
  return out;
}

}  // namespace gale::cli
