// The Kconfig configuration of a build folder, explained, and changed through the
// application's overlay fragment: what `gale config --list | --get | --set` and the daemon's
// Config service need.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "gale/build/driver.h"

namespace gale::build {

/// The application's own Kconfig overlay (APP/gale.conf), written by SetConfig(). The CMake
/// package applies it after every other fragment, so its assignments win.
inline constexpr char kConfigOverlayName[] = "gale.conf";

/// One assignment in a fragment.
struct ConfigAssignment {
  std::string file;  ///< absolute
  uint32_t line = 0;
  std::string symbol;  ///< without CONFIG_
  /// As assigned: "y", "n" (also for `# CONFIG_X is not set`), "0x100", a string without its
  /// quotes and escapes.
  std::string value;
};

/// A Kconfig symbol of a build, explained (gale.v1.ConfigSymbol).
struct ConfigSymbol {
  std::string name;    ///< without CONFIG_
  std::string type;    ///< "bool", "tristate", "int", "hex", "string"
  std::string value;   ///< as in .config, "n" for an unset bool, a string without quotes
  std::string prompt;  ///< empty when it has none
  std::string help;
  bool visible = false;    ///< a prompt's condition holds: a fragment may set it
  std::string depends_on;  ///< the dependency expression (with inherited ones); empty if none
  std::vector<std::string> selected_by;  ///< every symbol with a `select` of it
  /// "FILE:LINE" of the fragment assignment that gave the value; "selected by A, B" / "implied
  /// by A" for a bool forced to y; "default" otherwise.
  std::string set_by;
  /// Empty when a fragment may set it; otherwise why not: "it has no prompt ...", "unmet
  /// dependency: A && B (CONFIG_A=n, CONFIG_B=y)", "selected by X (CONFIG_X=y) ...". Mentions a
  /// fragment assignment that did not take effect.
  std::string why_not_settable;
  std::vector<std::string> defined_at;  ///< Kconfig "FILE:LINE"
  std::string menu;  ///< menu path, "General kernel options > Optimization level"
  // Beyond gale.v1.ConfigSymbol:
  std::string choice;               ///< the choice it is a member of, if any
  std::vector<std::string> ranges;  ///< active ranges of an int/hex, "LOW..HIGH"
  /// Every assignment to it in the fragments the build used, in the order applied (the last
  /// one is the one that counts).
  std::vector<ConfigAssignment> assignments;
};

/// A build folder's configuration: BUILD/gale/config.json (written by gale-kconfig at
/// configure time) and the fragments the configure used.
class BuildConfig {
 public:
  /// Reads BUILD/gale/config.json, BUILD/CMakeCache.txt and the fragments. NotFound when the
  /// folder was never configured (no config.json); FailedPrecondition when config.json cannot
  /// be parsed.
  static absl::StatusOr<BuildConfig> Load(const std::string &build_dir);
  /// Builds from config.json text and what the folder records (for tests and tools that have
  /// both at hand). Fragments listed in `folder` are read from disk when they exist.
  static absl::StatusOr<BuildConfig> Parse(const std::string &config_json, BuildFolderInfo folder);

  /// Every symbol, in the order of the Kconfig tree; without @p all only the visible ones (those
  /// a fragment may set).
  std::vector<ConfigSymbol> List(bool all) const;
  /// One symbol, with or without CONFIG_. NotFound: "unknown Kconfig symbol CONFIG_X; did you
  /// mean CONFIG_Y?".
  absl::StatusOr<ConfigSymbol> Get(std::string_view name) const;

  /// Checks "SYM=VALUE" (SYM with or without CONFIG_; a string value with or without quotes)
  /// against the current configuration: the symbol exists (NotFound), may be set
  /// (FailedPrecondition with why_not_settable), and the value fits its type and active range
  /// (InvalidArgument). Returns the assignment with the symbol's name and the value unquoted.
  absl::StatusOr<ConfigAssignment> CheckAssignment(std::string_view assignment) const;

  const BuildFolderInfo &folder() const { return folder_; }
  /// The fragments of the last configure, in order (as recorded by the CMake package; for older
  /// build folders, those that assigned a value according to config.json).
  const std::vector<std::string> &fragments() const { return fragments_; }
  /// APP/gale.conf.
  std::string overlay_path() const;

 private:
  // A symbol as config.json gives it.
  struct Entry {
    std::string name;
    std::string type;
    std::string value;
    std::string help;
    std::string depends_on;
    std::string menu;
    std::string choice;
    bool visible = false;
    bool has_prompt = false;
    std::string prompt;
    std::string prompt_condition;
    std::vector<std::string> selected_by;
    std::vector<std::string> implied_by;
    std::vector<std::string> defined_at;
    struct Range {
      std::string low;
      std::string high;
      bool active = false;
    };
    std::vector<Range> ranges;
    bool has_user_value = false;
    std::string user_value;
    std::string user_file;
    uint32_t user_line = 0;
  };

  ConfigSymbol Explain(const Entry &entry) const;
  const Entry *Find(std::string_view name) const;

  BuildFolderInfo folder_;
  std::vector<std::string> fragments_;
  std::vector<Entry> entries_;
  std::map<std::string, size_t, std::less<>> by_name_;
  std::map<std::string, std::string> choice_selection_;  // choice id -> selected member
  std::vector<ConfigAssignment> assignments_;
};

/// Reads every `CONFIG_X=...` and `# CONFIG_X is not set` line of the fragment at @p path.
absl::StatusOr<std::vector<ConfigAssignment>> ReadFragment(const std::string &path);

struct SetConfigResult {
  BuildResult configure;              ///< the reconfigure
  std::string overlay;                ///< APP/gale.conf
  std::vector<ConfigSymbol> symbols;  ///< the assigned symbols, explained after the reconfigure
};

/// Writes @p assignments ("SYM=VALUE") into the application's overlay (APP/gale.conf, replacing
/// earlier assignments of the same symbols, and of other members of the same choice), then
/// reconfigures the build folder through @p driver and checks that every value took effect.
/// Each assignment is checked first (see CheckAssignment) and nothing is written if one fails.
/// When the reconfigure fails or a value did not take effect, the overlay is restored, the
/// folder reconfigured again, and the error (FailedPrecondition) quotes gale-kconfig's reason.
/// Cancelled: the overlay is restored (the next build reconfigures).
absl::StatusOr<SetConfigResult> SetConfig(const BuildDriver &driver, const std::string &build_dir,
                                          const std::vector<std::string> &assignments,
                                          const BuildEvents &events = {},
                                          const CancelToken *cancel = nullptr);

}  // namespace gale::build
