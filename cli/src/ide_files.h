// Files `gale ide qtcreator` writes for an application: CMake presets (read by Qt Creator, VS
// Code's CMake Tools and CLion alike) and Qt Creator external-tool definitions. Pure functions,
// tested without a daemon.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gale::cli {

struct PresetSpec {
  std::string board;
  std::string arch;            ///< selects the toolchain file
  std::string gale_base;       ///< the SDK tree the daemon builds with
  std::string toolchain_file;  ///< GALE_BASE/sdk/cmake/toolchain/<arch>.cmake
  std::string binary_dir;      ///< "${sourceDir}/build/<board>" or an absolute folder
};

/// The name of the presets for `board`: "gale-<board>".
std::string PresetName(const std::string &board);

/// CMakePresets.json (version 3, CMake >= 3.21) with a configure and a build preset for the
/// board added to `existing` (the file's current text, if any): presets of other names are kept,
/// Gale's own preset of the same name is replaced.
/// @retval InvalidArgument `existing` is not a JSON object with preset lists (the message says
///         what is wrong; the caller names the file)
absl::StatusOr<std::string> MergePresets(const std::optional<std::string> &existing,
                                         const PresetSpec &spec);

struct ExternalTool {
  std::string id;            ///< "gale_flash"
  std::string file_name;     ///< "gale-flash.xml"
  std::string display_name;  ///< "Flash"
  std::string description;
  std::string executable;
  std::string arguments;
};

/// Tools > External > Gale: flash the active build, and console, RTT and shell in a terminal.
std::vector<ExternalTool> QtCreatorTools();

/// The external tool specification file (Qt Creator's XML format) for `tool`.
std::string ExternalToolXml(const ExternalTool &tool);

}  // namespace gale::cli
