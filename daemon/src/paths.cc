#include "gale/daemon/paths.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gale::daemon {
namespace fs = std::filesystem;

PathPolicy::PathPolicy(std::vector<std::string> roots) {
  for (const std::string &root : roots) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(fs::absolute(root), ec);
    roots_.push_back(ec ? fs::absolute(root).lexically_normal().string() : canonical.string());
  }
}

absl::StatusOr<std::string> PathPolicy::Check(const std::string &path,
                                              const std::string &what) const {
  if (path.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("no ", what, " given"));
  }
  if (path.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(what, " contains a NUL byte"));
  }
  fs::path p(path);
  if (!p.is_absolute()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " '", path, "' is relative; clients must send absolute paths"));
  }
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(p, ec);
  std::string normal = ec ? p.lexically_normal().string() : canonical.string();
  if (roots_.empty()) {
    return normal;
  }
  for (const std::string &root : roots_) {
    if (normal == root || absl::StartsWith(normal, root == "/" ? root : root + "/")) {
      return normal;
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(what, " '", path, "' is outside the daemon's workspace roots (",
                   absl::StrJoin(roots_, ", "), "); start galed with --root to allow it"));
}

}  // namespace gale::daemon
