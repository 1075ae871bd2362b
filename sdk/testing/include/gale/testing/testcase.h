// Test scenarios: discovery of Zephyr-format testcase.yaml / sample.yaml files and the selection
// of (scenario, board) instances to build and run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gale::testing {

/// How the output of a scenario's image is judged.
enum class Harness {
  kZtest,        ///< `harness: ztest` or none: the ztest report decides.
  kConsole,      ///< `harness: console`: `harness_config.regex` lines, else the exit status.
  kUnsupported,  ///< any other harness (pytest, robot, ...): the scenario is skipped.
};

/// One entry of a testcase.yaml's `tests:` map, with the file's `common:` defaults merged in.
/// Maps onto gale.v1.Scenario (name, app_dir, tags, platform_allow, extra_configs, timeout_s,
/// build_only); the other fields are for selection and building.
struct Scenario {
  std::string name;        ///< e.g. "kernel.semaphore"
  std::string app_dir;     ///< absolute folder of the YAML file: the application to build
  std::string yaml_path;   ///< absolute path of the testcase.yaml or sample.yaml
  uint32_t yaml_line = 0;  ///< 1-based line of the scenario's key in that file
  std::vector<std::string> tags;
  std::vector<std::string> platform_allow;
  std::vector<std::string> platform_exclude;
  std::vector<std::string> arch_allow;
  std::vector<std::string> arch_exclude;
  /// Kconfig lines ("CONFIG_X=y"), written to a fragment passed as EXTRA_CONF_FILE. An entry
  /// may be qualified "arch:<arch>:CONFIG_X=y" or "platform:<board>:CONFIG_X=y".
  std::vector<std::string> extra_configs;
  /// CMake cache arguments ("CONF_FILE=prj_x.conf"); qualifiers as for extra_configs.
  std::vector<std::string> extra_args;
  /// Kconfig fragments relative to app_dir (Zephyr's `extra_conf_files`).
  std::vector<std::string> extra_conf_files;
  /// Devicetree overlays relative to app_dir (Zephyr's `extra_dtc_overlay_files`).
  std::vector<std::string> extra_dtc_overlay_files;
  uint32_t timeout_s = 60;
  bool build_only = false;
  bool skip = false;
  Harness harness = Harness::kZtest;
  std::string harness_name;  ///< as written; "" when absent
  /// `harness_config.regex` of a console harness: lines that must appear.
  std::vector<std::string> console_regex;
  bool console_ordered = false;  ///< `harness_config.ordered`: the regexes match in order
  uint32_t min_ram_kb = 0;       ///< `min_ram`, in KiB; 0: none
  std::string filter;            ///< `filter`: kept, not evaluated (see notes)
  /// Things a user should know about this scenario: keys that are read but not acted on.
  std::vector<std::string> notes;
};

/// Parses one testcase.yaml / sample.yaml. `path` need not be absolute; the scenarios' paths are.
/// @returns the scenarios in file order, or InvalidArgument "FILE:LINE:COL: what is wrong" for
/// malformed YAML or a key of the wrong shape; NotFound when the file cannot be read.
absl::StatusOr<std::vector<Scenario>> ParseTestcaseFile(const std::string &path);

/// Parses YAML text as if it were the file `path` (for messages and app_dir).
absl::StatusOr<std::vector<Scenario>> ParseTestcaseYaml(std::string_view text,
                                                        const std::string &path);

/// Finds the scenarios under `paths`. A path may be a testcase.yaml / sample.yaml itself, an
/// application folder holding one, or a tree searched for them. Searching does not descend into
/// an application folder it found, hidden folders, or build folders (those with a
/// CMakeCache.txt), and does not follow symbolic links to folders.
/// @returns the scenarios sorted by application folder then file order, each file once.
/// @retval NotFound a path does not exist.
/// @retval InvalidArgument a file is malformed (message as ParseTestcaseFile), or two files
///         define one scenario name (message names both).
absl::StatusOr<std::vector<Scenario>> DiscoverScenarios(const std::vector<std::string> &paths);

/// What selection needs to know of a board (the daemon fills it from its board catalog).
struct BoardInfo {
  std::string name;     ///< "qemu_cortex_m3"
  std::string arch;     ///< "arm", "riscv", "posix"
  uint32_t ram_kb = 0;  ///< 0: unknown (min_ram is then not checked)
  /// The image can be run (an emulator or an attached device); if not, instances are built only.
  bool can_run = true;
};

/// A scenario on one board.
struct Instance {
  Scenario scenario;
  BoardInfo board;
  bool skipped = false;     ///< not built nor run; see skip_reason
  std::string skip_reason;  ///< one line, e.g. "qemu_cortex_m3 is not in platform_allow (x, y)"
  /// "<board>/<scenario>": unique within a selection, and the build folder below a work dir.
  std::string Id() const { return board.name + "/" + scenario.name; }
  /// The scenario's extra_configs that apply to this board, qualifiers removed.
  std::vector<std::string> ExtraConfigs() const;
  /// The scenario's extra_args that apply to this board, qualifiers removed.
  std::vector<std::string> ExtraArgs() const;
};

struct SelectOptions {
  /// Keep only scenarios with at least one of these tags; empty: all. A tag "-t" excludes
  /// scenarios tagged t.
  std::vector<std::string> tags;
};

/// Every scenario (passing the tag filter) on every board, in scenario-major order. An instance
/// that cannot run on its board (`skip`, platform_allow / platform_exclude, arch_allow /
/// arch_exclude, min_ram, an unsupported harness) is kept, marked skipped with the reason.
std::vector<Instance> SelectInstances(const std::vector<Scenario> &scenarios,
                                      const std::vector<BoardInfo> &boards,
                                      const SelectOptions &options = {});

}  // namespace gale::testing
