// Devicetree facts for the Kconfig dt_* preprocessor functions, read from the devicetree step's
// edt.json.
#ifndef GALE_KCONFIG_DT_INFO_H_
#define GALE_KCONFIG_DT_INFO_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace gale::kconfig {

class DtInfo {
 public:
  struct Node {
    std::string path;
    std::vector<std::string> labels;
    std::vector<std::string> compatible;
    bool okay = false;
    std::vector<std::pair<uint64_t, uint64_t>> reg;  // (address, size)
    // Property name -> integer value when the property is a single integer.
    std::map<std::string, std::optional<int64_t>> props;
  };

  /// Parses edt.json text: {"nodes": [...], "chosen": {...}, "aliases": {...}}.
  /// @retval InvalidArgument malformed JSON or unexpected shape.
  static absl::StatusOr<DtInfo> Parse(std::string_view json_text);
  /// Reads and parses an edt.json file.
  /// @retval NotFound the file cannot be read.
  static absl::StatusOr<DtInfo> LoadFile(const std::string &path);

  const Node *FindPath(std::string_view path) const;
  const Node *FindLabel(std::string_view label) const;
  const Node *FindChosen(std::string_view name) const;
  const Node *FindAlias(std::string_view name) const;
  bool CompatEnabled(std::string_view compat) const;

  const std::vector<Node> &nodes() const { return nodes_; }

 private:
  std::vector<Node> nodes_;
  std::map<std::string, std::string, std::less<>> chosen_;
  std::map<std::string, std::string, std::less<>> aliases_;
};

/// Argument count limits of a dt_* function (not counting the name).
struct DtFunctionArity {
  int min_args;
  int max_args;
};

/// @returns the arity of a supported dt_* function, or nullopt if `name` is not one.
std::optional<DtFunctionArity> DtFunctionArityOf(std::string_view name);

/// Evaluates a dt_* function like Zephyr's kconfigfunctions do. `dt` may be null (no devicetree):
/// then the predicates give "n" and the numbers 0 ("0x0" for hex).
std::string CallDtFunction(const DtInfo *dt, std::string_view name,
                           const std::vector<std::string> &args);

}  // namespace gale::kconfig

#endif  // GALE_KCONFIG_DT_INFO_H_
