// Where gale and galed meet: the daemon's socket address and its state folder.
//
// Header-only and free of gRPC and absl so that the daemon and every client resolve these the
// same way (link the INTERFACE library `gale_host`). The rules:
//
//   socket:    --socket ADDR, else $GALE_SOCKET, else unix:$XDG_RUNTIME_DIR/gale/galed.sock,
//              else (no XDG_RUNTIME_DIR) unix:/tmp/gale-$UID/galed.sock
//   state dir: $XDG_STATE_HOME/gale, else $HOME/.local/state/gale
//              (else, without HOME either, /tmp/gale-$UID/.local/state/gale)
//   log:       STATE_DIR/galed.log (where `gale` sends the output of a galed it starts)
//
// An address is a gRPC target: "unix:/abs/path" for a unix socket (also accepted on input:
// "unix:///abs/path", "unix:relative/path" and a bare path containing a '/'), or
// "host:port" for TCP.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace gale::host {

/// Looks up an environment variable; nullptr when unset. Tests pass their own.
using EnvLookup = std::function<const char *(const char *)>;

inline const char *RealEnv(const char *name) {
  return std::getenv(name);
}

namespace paths_internal {
inline std::string Env(const EnvLookup &env, const char *name) {
  const char *value = env(name);
  return value != nullptr ? std::string(value) : std::string();
}
inline std::string TmpUserDir(uid_t uid) {
  return "/tmp/gale-" + std::to_string(uid);
}
}  // namespace paths_internal

/// The default address when neither --socket nor GALE_SOCKET is given.
inline std::string DefaultSocketAddress(const EnvLookup &env = RealEnv, uid_t uid = getuid()) {
  const std::string runtime = paths_internal::Env(env, "XDG_RUNTIME_DIR");
  if (!runtime.empty()) {
    return "unix:" + runtime + "/gale/galed.sock";
  }
  return "unix:" + paths_internal::TmpUserDir(uid) + "/galed.sock";
}

/// Writes a unix address as "unix:/path" (the form `gale daemon status` reports). A bare path
/// (it contains '/' and has no scheme) is taken as a unix socket; "unix:///p" becomes
/// "unix:/p". A relative path is made absolute against `cwd` when `cwd` is not empty. Any
/// other address (TCP "host:port", "dns:...") is returned as is.
inline std::string NormalizeAddress(std::string_view address, std::string_view cwd = {}) {
  std::string path;
  if (address.rfind("unix://", 0) == 0) {
    path = std::string(address.substr(7));
  } else if (address.rfind("unix:", 0) == 0) {
    path = std::string(address.substr(5));
  } else if (address.find('/') != std::string_view::npos &&
             address.find("://") == std::string_view::npos) {
    path = std::string(address);
  } else {
    return std::string(address);
  }
  if (!path.empty() && path[0] != '/' && !cwd.empty()) {
    path = std::string(cwd) + (cwd.back() == '/' ? "" : "/") + path;
  }
  return "unix:" + path;
}

/// The socket to use: `flag` (from --socket / --listen) when not empty, else GALE_SOCKET when
/// set and not empty, else DefaultSocketAddress(). Normalized by NormalizeAddress().
inline std::string ResolveSocketAddress(std::string_view flag, const EnvLookup &env = RealEnv,
                                        uid_t uid = getuid(), std::string_view cwd = {}) {
  if (!flag.empty()) {
    return NormalizeAddress(flag, cwd);
  }
  const std::string from_env = paths_internal::Env(env, "GALE_SOCKET");
  if (!from_env.empty()) {
    return NormalizeAddress(from_env, cwd);
  }
  return DefaultSocketAddress(env, uid);
}

/// The file system path of a unix socket address, or nothing for another kind of address.
inline std::optional<std::string> UnixSocketPath(std::string_view address) {
  const std::string normalized = NormalizeAddress(address);
  if (normalized.rfind("unix:", 0) != 0) {
    return std::nullopt;
  }
  return normalized.substr(5);
}

/// The daemon's state folder (SQLite store, logs): $XDG_STATE_HOME/gale, else
/// $HOME/.local/state/gale, else /tmp/gale-$UID/.local/state/gale.
inline std::string DefaultStateDir(const EnvLookup &env = RealEnv, uid_t uid = getuid()) {
  const std::string state_home = paths_internal::Env(env, "XDG_STATE_HOME");
  if (!state_home.empty()) {
    return state_home + "/gale";
  }
  const std::string home = paths_internal::Env(env, "HOME");
  if (!home.empty()) {
    return home + "/.local/state/gale";
  }
  return paths_internal::TmpUserDir(uid) + "/.local/state/gale";
}

/// Where `gale` writes the output of a galed it starts in the background.
inline std::string DaemonLogPath(const EnvLookup &env = RealEnv, uid_t uid = getuid()) {
  return DefaultStateDir(env, uid) + "/galed.log";
}

}  // namespace gale::host
