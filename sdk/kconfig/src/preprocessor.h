// The Kconfig preprocessor: $(VAR) and $(fn,args...) expansion and variable assignments.
#ifndef GALE_KCONFIG_SRC_PREPROCESSOR_H_
#define GALE_KCONFIG_SRC_PREPROCESSOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "gale/kconfig/kconfig.h"

namespace gale::kconfig {

class Preprocessor {
 public:
  Preprocessor(const LoadOptions &options, std::vector<Diagnostic> *diagnostics);

  /// Location used by $(filename), $(lineno) and in diagnostics.
  void SetLocation(const std::string &file, int line) {
    file_ = file;
    line_ = line;
  }

  /// Expands every macro in `s`.
  absl::Status ExpandWhole(std::string_view s, std::string *out);

  /// Expands the macro whose "$(" starts at (*s)[i], splicing the result into *s.
  /// @param end set to the index just past the expansion.
  absl::Status ExpandMacroAt(std::string *s, size_t i, size_t *end,
                             const std::vector<std::string> &args);

  /// Expands a quoted string whose opening quote is at (*s)[i]: handles backslash escapes and
  /// macros. *value receives the contents, *end the index past the closing quote.
  absl::Status ExpandString(std::string *s, size_t i, size_t *end, std::string *value);

  /// Handles a line that does not start with a keyword: `VAR = v`, `VAR := v`, `VAR += v`, or a
  /// bare macro (for its side effects).
  absl::Status HandleAssignment(std::string line);

  /// $VAR / ${VAR} expansion of environment variables (undefined ones are left as they are), as
  /// Kconfig does for quoted strings containing '$' or '\'.
  std::string ExpandEnvVars(std::string_view s);

  /// Looks up an environment variable: options first, then (optionally) the process.
  bool GetEnv(const std::string &name, std::string *value) const;

  /// Environment variables that were referenced, for dependency tracking.
  const std::map<std::string, std::string> &env_used() const { return env_used_; }

 private:
  struct Variable {
    std::string value;
    bool recursive = true;
    int expansions = 0;
  };

  static bool ParseArgIndex(const std::string &text, int64_t *index);
  absl::Status CallFunction(const std::vector<std::string> &args, std::string *out);
  absl::Status Error(const std::string &message) const;
  void Report(Severity severity, const std::string &message);

  const LoadOptions &options_;
  std::vector<Diagnostic> *diagnostics_;
  std::map<std::string, Variable> variables_;
  std::map<std::string, std::string> env_used_;
  std::string file_;
  int line_ = 0;
};

}  // namespace gale::kconfig

#endif  // GALE_KCONFIG_SRC_PREPROCESSOR_H_
