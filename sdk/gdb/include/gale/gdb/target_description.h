// Target descriptions: the XML a gdbserver offers through qXfer:features:read, reduced to what a
// host tool needs: the architecture and each register's name, gdb number and size.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gale::gdb {

struct RegisterInfo {
  std::string name;  ///< as the server spells it: "pc", "sp", "xpsr", "x1", ...
  int number = 0;    ///< the number `p` and `P` take
  int bitsize = 0;
  std::string type;     ///< "int", "code_ptr", "data_ptr", "ieee_single", ... ("" if not given)
  std::string group;    ///< "general", "float", "system", ... ("" if not given)
  std::string feature;  ///< the enclosing <feature name=...>
};

struct TargetDescription {
  std::string architecture;  ///< <architecture> text: "arm", "riscv:rv32", ... ("" if absent)
  std::vector<RegisterInfo> registers;  ///< in document order (includes expanded)

  /// The register called `name` (case-insensitive), or nullptr.
  const RegisterInfo *Find(std::string_view name) const;
};

/// Fetches an included document by its annex ("arm-m-profile.xml").
using FeatureFetcher = std::function<absl::StatusOr<std::string>(std::string_view annex)>;

/// Parses `xml` (the document named `annex`), expanding <xi:include href=...> through `fetch`.
/// Registers without a regnum attribute are numbered one past the previous register, the first
/// from 0, in document order across included documents (gdb's rule). InvalidArgument names the
/// document and what is malformed.
absl::StatusOr<TargetDescription> ParseTargetDescription(std::string_view xml,
                                                         const FeatureFetcher &fetch,
                                                         std::string_view annex = "target.xml");

}  // namespace gale::gdb
