// Which files a request may name. (Where galed listens and keeps its state is the shared rule
// of gale/host/paths.h.)
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gale::daemon {

/// Decides whether a request may name a file. With no roots, any path is allowed (the local
/// unix socket's client is the user who started the daemon). With roots, the path, made
/// absolute and normalised (symlinks resolved where the path exists), must lie under one.
class PathPolicy {
 public:
  explicit PathPolicy(std::vector<std::string> roots);
  /// The absolute, normalised path, or InvalidArgument naming `what` and the path
  /// ("app folder 'x' is outside the daemon's workspace roots: /a, /b; start galed with
  /// --root to allow it"), InvalidArgument for a relative or empty path.
  absl::StatusOr<std::string> Check(const std::string &path, const std::string &what) const;
  const std::vector<std::string> &roots() const { return roots_; }

 private:
  std::vector<std::string> roots_;
};

}  // namespace gale::daemon
