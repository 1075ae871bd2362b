// Per-symbol Kconfig dependencies for target builds.
//
// Every target object is compiled with `-imacros autoconf.h`, so by plain make rules a change of
// any one Kconfig value rebuilds everything. Instead, each symbol gets a stamp file whose
// content is the symbol's #define line and which is rewritten only when that line changes, and
// each object's depfile is rewritten to depend on the stamps of the CONFIG_ symbols its sources
// mention, not on autoconf.h. Every symbol of the Kconfig tree has a stamp (empty while the
// symbol is not defined); a name with no stamp (not a Kconfig symbol at all) is covered by the
// `.symbols` stamp, rewritten whenever the tree's set of symbols changes.
#ifndef GALE_BUILD_CONFIG_DEPS_H_
#define GALE_BUILD_CONFIG_DEPS_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gale::build {

inline constexpr char kSymbolSetStamp[] = ".symbols";

/// Writes one stamp per `#define CONFIG_...` line of @p autoconf_h into @p stamp_dir, an empty
/// one for each of @p known_symbols (CONFIG_ names) not defined there, and kSymbolSetStamp
/// listing them all. A stamp is written only when its content changes; stamps of symbols that
/// are no longer defined are emptied, not removed.
absl::Status UpdateStamps(const std::string &autoconf_h, const std::string &stamp_dir,
                          const std::vector<std::string> &known_symbols = {});

/// A parsed make-style dependency file: `target: dep dep ...`.
struct Depfile {
  std::string target;
  std::vector<std::string> deps;
};

absl::StatusOr<Depfile> ParseDepfile(const std::string &text);
std::string FormatDepfile(const Depfile &depfile);

/// The CONFIG_ symbol names appearing in @p text.
std::set<std::string> ConfigSymbolsIn(const std::string &text);

/// Replaces @p autoconf_h in @p depfile by the stamps (under @p stamp_dir) of the symbols its
/// other dependencies mention. Returns false when the depfile did not name autoconf_h.
absl::StatusOr<bool> RewriteDepfile(Depfile &depfile, const std::string &autoconf_h,
                                    const std::string &stamp_dir);

}  // namespace gale::build

#endif  // GALE_BUILD_CONFIG_DEPS_H_
