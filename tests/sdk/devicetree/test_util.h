// Helpers shared by the devicetree tests: running tools, temp dirs, the pipeline recipe.
#ifndef GALE_TESTS_SDK_DEVICETREE_TEST_UTIL_H_
#define GALE_TESTS_SDK_DEVICETREE_TEST_UTIL_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gale/devicetree/edt.h"

namespace gale::devicetree::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  ///< stdout and stderr, interleaved.
};

/// Runs `argv` (no shell) and captures its output.
CommandResult Run(const std::vector<std::string> &argv);

/// A fresh directory under the build tree, named after the running test.
std::string MakeWorkDir();

std::string ReadFile(const std::string &path);
void WriteFile(const std::string &path, const std::string &text);

/// Compiles DTS text with `dtc -@` and builds the EDT against the given bindings
/// (file name -> YAML) plus the SDK's base.yaml.
absl::StatusOr<std::unique_ptr<Edt>> BuildEdt(const std::string &dts,
                                              std::map<std::string, std::string> bindings);

/// The documented preprocessing recipe (README.md): board + overlays -> gale.dts.pre.
CommandResult Preprocess(const std::string &cc, const std::string &board_dts,
                         const std::vector<std::string> &overlays, const std::string &out);

/// The documented dtc invocation: gale.dts.pre -> gale.dtb.
CommandResult Dtc(const std::string &pre, const std::string &dtb);

struct PipelineResult {
  std::string dir;       ///< Holds gale.dts.pre, gale.dtb, devicetree_generated.h, ...
  CommandResult failed;  ///< The failing step's result; exit_code 0 when all passed.
};

/// cpp -> dtc -> gale-dts in a new work dir, with the SDK bindings and extra ones.
PipelineResult RunPipeline(const std::string &board_dts, const std::vector<std::string> &overlays,
                           const std::vector<std::string> &extra_bindings_dirs = {});

}  // namespace gale::devicetree::testing

#endif  // GALE_TESTS_SDK_DEVICETREE_TEST_UTIL_H_
