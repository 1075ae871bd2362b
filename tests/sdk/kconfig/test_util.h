// Helpers shared by the Kconfig tests: temporary trees, file I/O, running commands.
#ifndef GALE_TESTS_SDK_KCONFIG_TEST_UTIL_H_
#define GALE_TESTS_SDK_KCONFIG_TEST_UTIL_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gale/kconfig/kconfig.h"

namespace gale::kconfig::testing {

/// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string &path() const { return path_; }
  /// Writes `content` to `relative` (creating parent folders) and returns the full path.
  std::string Write(const std::string &relative, const std::string &content) const;

 private:
  std::string path_;
};

std::string ReadFile(const std::string &path);
bool FileExists(const std::string &path);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs argv (no shell) with extra environment variables; captures stdout and stderr.
CommandResult Run(const std::vector<std::string> &argv,
                  const std::map<std::string, std::string> &env = {});

/// Parses `kconfig_text` as the root Kconfig of a temporary tree and applies fragments given as
/// texts (named prj1.conf, prj2.conf, ...). Fails the current test on a parse error.
struct Loaded {
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<Kconfig> kconfig;
  std::string Config() { return kconfig ? kconfig->ConfigText("") : "<not loaded>"; }
  std::string Value(const std::string &name) {
    return kconfig ? kconfig->Value(name).value_or("<undef>") : "<not loaded>";
  }
  /// All diagnostics formatted, one per line.
  std::string Diagnostics() const;
  explicit operator bool() const { return kconfig != nullptr; }
};
Loaded LoadText(const std::string &kconfig_text, const std::vector<std::string> &fragments = {},
                LoadOptions options = {});

/// Parses and returns the error status (or OK).
absl::Status ParseError(const std::string &kconfig_text, std::string *file = nullptr);

}  // namespace gale::kconfig::testing

#endif  // GALE_TESTS_SDK_KCONFIG_TEST_UTIL_H_
