// Starting galed in the background, the way `gale daemon start` and auto-start do.
#pragma once

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"

namespace gale::cli {

/// The galed to start: $GALE_GALED when set, else `galed` beside this gale binary.
std::string FindGaled();

/// Starts `galed --listen ADDRESS` in a session of its own, with its working folder at /,
/// stdin from /dev/null and stdout/stderr appended to `log_path` (its folder is created
/// 0700). The child is not waited for.
absl::StatusOr<pid_t> SpawnDaemon(const std::string &galed, const std::string &address,
                                  const std::string &log_path);

/// Up to the last `lines` lines of the file at `path` from byte `offset` on; empty if none.
std::string ReadLogTail(const std::string &path, long offset, int lines);

/// The size of the file, 0 when it does not exist.
long FileSize(const std::string &path);

}  // namespace gale::cli
