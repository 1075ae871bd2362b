#include "ide_files.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace gale::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string XmlEscape(const std::string &text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// Replaces the entry named `name` in `list` (an array of presets), or appends it.
void Upsert(Json &list, const Json &preset) {
  for (Json &entry : list) {
    if (entry.is_object() && entry.value("name", "") == preset["name"]) {
      entry = preset;
      return;
    }
  }
  list.push_back(preset);
}

}  // namespace

std::string PresetName(const std::string &board) {
  return "gale-" + board;
}

absl::StatusOr<std::string> MergePresets(const std::optional<std::string> &existing,
                                         const PresetSpec &spec) {
  Json doc = Json::object();
  if (existing.has_value()) {
    doc = Json::parse(*existing, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
      return absl::InvalidArgumentError("is not valid JSON; fix or remove it");
    }
    if (!doc.is_object()) {
      return absl::InvalidArgumentError("is not a JSON object; fix or remove it");
    }
    for (const char *key : {"configurePresets", "buildPresets"}) {
      if (doc.contains(key) && !doc[key].is_array()) {
        return absl::InvalidArgumentError(absl::StrCat("has a '", key, "' that is not a list"));
      }
    }
    if (doc.contains("version") &&
        (!doc["version"].is_number_integer() || doc["version"].get<int>() < 3)) {
      return absl::InvalidArgumentError(
          "has a presets version below 3; Gale's presets need version 3 (CMake 3.21)");
    }
  }
  if (!doc.contains("version")) {
    doc["version"] = 3;
  }
  if (!doc.contains("cmakeMinimumRequired")) {
    doc["cmakeMinimumRequired"] = {{"major", 3}, {"minor", 21}, {"patch", 0}};
  }
  const std::string name = PresetName(spec.board);
  Json configure = {
      {"name", name},
      {"displayName", absl::StrCat("Gale: ", spec.board)},
      {"description", absl::StrCat("Build for the ", spec.board, " board with Gale (",
                                   spec.gale_base, ")")},
      {"generator", "Ninja"},
      {"binaryDir", spec.binary_dir},
      {"toolchainFile", spec.toolchain_file},
      {"cacheVariables",
       {{"BOARD", spec.board},
        {"CMAKE_EXPORT_COMPILE_COMMANDS", "ON"}}},
      {"environment", {{"GALE_BASE", spec.gale_base}}},
  };
  Json build = {{"name", name},
                {"displayName", absl::StrCat("Gale: ", spec.board)},
                {"configurePreset", name}};
  if (!doc.contains("configurePresets")) {
    doc["configurePresets"] = Json::array();
  }
  if (!doc.contains("buildPresets")) {
    doc["buildPresets"] = Json::array();
  }
  Upsert(doc["configurePresets"], configure);
  Upsert(doc["buildPresets"], build);
  return doc.dump(2) + "\n";
}

std::vector<ExternalTool> QtCreatorTools() {
  // The active build folder is Qt Creator's %{ActiveProject:BuildConfig:Path}; interactive
  // streams run in the desktop's terminal (Debian's x-terminal-emulator alternative).
  const std::string build = "%{ActiveProject:BuildConfig:Path}";
  return {
      {"gale_flash", "gale-flash.xml", "Flash",
       "Flash the active build to the device (gale flash)", "gale", "flash -d " + build},
      {"gale_console", "gale-console.xml", "Console",
       "The device's console in a terminal (gale console)", "x-terminal-emulator",
       "-e gale console --follow"},
      {"gale_rtt", "gale-rtt.xml", "RTT", "The device's RTT channel 0 in a terminal (gale rtt)",
       "x-terminal-emulator", "-e gale rtt"},
      {"gale_shell", "gale-shell.xml", "Shell", "The device's shell in a terminal (gale shell)",
       "x-terminal-emulator", "-e gale shell"},
  };
}

std::string ExternalToolXml(const ExternalTool &tool) {
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
      "<!-- Written by `gale ide qtcreator`: Tools > External > Gale. -->\n",
      "<externaltool id=\"", XmlEscape(tool.id), "\">\n",
      "    <description>", XmlEscape(tool.description), "</description>\n",
      "    <displayname>", XmlEscape(tool.display_name), "</displayname>\n",
      "    <category>Gale</category>\n",
      "    <executable output=\"showinpane\" error=\"showinpane\">\n",
      "        <path>", XmlEscape(tool.executable), "</path>\n",
      "        <arguments>", XmlEscape(tool.arguments), "</arguments>\n",
      "    </executable>\n",
      "</externaltool>\n");
}

}  // namespace gale::cli
