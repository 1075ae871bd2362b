// Gale Kconfig engine: parses a Kconfig tree, applies configuration fragments and writes
// .config, autoconf.h and config.json. Output is byte-compatible with Kconfiglib's.
#ifndef GALE_KCONFIG_KCONFIG_H_
#define GALE_KCONFIG_KCONFIG_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gale::kconfig {

class DtInfo;
struct Model;
struct Symbol;

/// Symbol types. `tristate` is accepted and behaves like `bool` (Gale has no modules).
enum class Type { kUnknown, kBool, kTristate, kInt, kHex, kString };

/// Returns "bool", "tristate", "int", "hex", "string" or "unknown".
const char *TypeName(Type type);

enum class Severity { kNote, kWarning, kError };

/// One diagnostic, printed GCC style as `FILE:LINE: warning: MESSAGE`.
struct Diagnostic {
  Severity severity = Severity::kWarning;
  std::string file;  // may be empty for diagnostics without a location
  int line = 0;
  std::string message;

  /// @returns the GCC-style one-line (or multi-line, for long explanations) form.
  std::string Format() const;
};

struct LoadOptions {
  /// Base directory for `source`/`osource`; empty means $srctree from the environment, else ".".
  std::string srctree;
  /// Devicetree information for the dt_* preprocessor functions; nullptr: they return n/0/empty.
  const DtInfo *dt_info = nullptr;
  /// Environment variables seen by the preprocessor, consulted before the process environment.
  std::map<std::string, std::string> env;
  /// Whether the process environment is consulted at all (tests turn it off for hermeticity).
  bool use_process_env = true;
};

/// A parsed Kconfig tree plus the user values applied from fragments.
///
/// Not thread-safe. Values are computed lazily and cached; loading a fragment invalidates them.
class Kconfig {
 public:
  ~Kconfig();
  Kconfig(const Kconfig &) = delete;
  Kconfig &operator=(const Kconfig &) = delete;

  /// Parses the Kconfig tree rooted at `kconfig_path`.
  /// @returns the tree, or InvalidArgument/NotFound with a `FILE:LINE: error: ...` message.
  static absl::StatusOr<std::unique_ptr<Kconfig>> Load(const std::string &kconfig_path,
                                                       const LoadOptions &options);

  /// Applies a fragment file (`CONFIG_X=...` lines). With `replace`, user values from earlier
  /// fragments are forgotten first (as for the first fragment).
  /// @retval NotFound the file does not exist (an error diagnostic is recorded too).
  absl::Status LoadFragment(const std::string &path, bool replace);

  /// Same as LoadFragment for text already in memory; `name` is used in diagnostics.
  void LoadFragmentText(std::string_view text, const std::string &name, bool replace);

  /// Emits a warning for every user assignment that did not take effect, with the reason.
  /// Call once after the last fragment.
  void CheckAssignments();

  /// @returns the value of a defined symbol as written to .config ("y", "n", "0x10", ...).
  std::optional<std::string> Value(const std::string &name);

  /// @returns the .config contents, starting with `header` (Kconfiglib write_config format).
  std::string ConfigText(const std::string &header);
  /// @returns the autoconf.h contents, starting with `header` (Kconfiglib write_autoconf format).
  std::string AutoconfText(const std::string &header);
  /// @returns the config.json document described in the module README.
  std::string JsonText();

  /// Every Kconfig file read, in reading order, without duplicates.
  const std::vector<std::string> &files() const;
  const std::vector<Diagnostic> &diagnostics() const { return diagnostics_; }
  /// Number of diagnostics of severity warning or higher.
  int WarningCount() const;

 private:
  Kconfig();
  void Invalidate();
  std::string ExplainAssignment(Symbol *sym);

  std::unique_ptr<Model> model_;
  std::vector<Diagnostic> diagnostics_;
};

/// Writes `content` to `path` unless the file already holds exactly that content, so that an
/// unchanged configuration does not touch timestamps (and trigger rebuilds).
/// @param changed set to whether the file was written, when non-null.
absl::Status WriteIfChanged(const std::string &path, std::string_view content,
                            bool *changed = nullptr);

/// Levenshtein distance, used for "did you mean" suggestions.
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace gale::kconfig

#endif  // GALE_KCONFIG_KCONFIG_H_
