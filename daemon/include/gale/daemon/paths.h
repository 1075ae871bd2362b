// Where galed listens and keeps its state, and which files a request may name. The CLI resolves
// the socket with the same function, so a client and a daemon started in one environment meet.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gale::daemon {

/// The default listen address: unix:$XDG_RUNTIME_DIR/gale/galed.sock, or
/// unix:/tmp/gale-$UID/galed.sock when XDG_RUNTIME_DIR is unset.
std::string DefaultSocketAddress();
/// --socket value if given, else $GALE_SOCKET, else DefaultSocketAddress(). A bare path is taken
/// as a unix socket.
std::string ResolveSocketAddress(const std::string &flag_value);
/// $XDG_STATE_HOME/gale, else $HOME/.local/state/gale.
std::string DefaultStateDir();
/// The folder of a unix: address, else empty.
std::string UnixSocketPath(const std::string &address);

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
