// Kconfig parser: reads a Kconfig tree (following source statements) into a Model and finalizes
// the menu tree (dependency propagation, automatic submenus, choice membership).
#ifndef GALE_KCONFIG_SRC_PARSER_H_
#define GALE_KCONFIG_SRC_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gale/kconfig/kconfig.h"
#include "model.h"

namespace gale::kconfig {

/// Parses `path` into `model`. Warnings are appended to `diagnostics`; the first error is
/// returned (and appended too).
absl::Status ParseKconfig(const std::string &path, const LoadOptions &options, Model *model,
                          std::vector<Diagnostic> *diagnostics);

}  // namespace gale::kconfig

#endif  // GALE_KCONFIG_SRC_PARSER_H_
