#include "gale/boards/catalog.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gale::boards {
namespace {

namespace fs = std::filesystem;

constexpr const char *kKeys[] = {"name", "full_name", "vendor",       "arch",   "soc",
                                 "cpu",  "emulator",  "qemu_machine", "ram_kb", "flash_kb"};

absl::Status Malformed(const std::string &file, const std::string &what) {
  return absl::FailedPreconditionError(
      absl::StrCat(file, ": ", what, " (see boards/README.md for the format)"));
}

absl::StatusOr<uint32_t> ParseKb(const std::string &file, const std::string &key,
                                 const std::string &text, std::string_view unit = "KiB") {
  uint32_t value = 0;
  const char *end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return Malformed(file,
                     absl::StrCat("'", key, "' must be a whole number of ", std::string(unit), ", not '", text, "'"));
  }
  return value;
}

// `openocd:` with `configs` (a list of script names), `transport`, `adapter_speed_khz`, `probe`.
absl::StatusOr<OpenOcdSettings> ParseOpenOcd(const std::string &file, const YAML::Node &node) {
  if (!node.IsMap()) {
    return Malformed(file, "'openocd:' must be a mapping of keys to values");
  }
  OpenOcdSettings settings;
  for (const auto &entry : node) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    const YAML::Node &value = entry.second;
    if (key == "configs") {
      if (!value.IsSequence() || value.size() == 0) {
        return Malformed(file, "'openocd: configs' must be a non-empty list of OpenOCD scripts");
      }
      for (const auto &item : value) {
        if (!item.IsScalar() || item.Scalar().empty()) {
          return Malformed(file, "'openocd: configs' holds something that is not a file name");
        }
        settings.configs.push_back(item.Scalar());
      }
    } else if (key == "transport" || key == "probe") {
      if (!value.IsScalar()) {
        return Malformed(file, absl::StrCat("'openocd: ", key, "' must be a single value"));
      }
      (key == "transport" ? settings.transport : settings.probe) = value.Scalar();
    } else if (key == "adapter_speed_khz") {
      absl::StatusOr<uint32_t> khz =
          ParseKb(file, "openocd: adapter_speed_khz", value.IsScalar() ? value.Scalar() : "", "kHz");
      if (!khz.ok()) {
        return khz.status();
      }
      settings.adapter_speed_khz = *khz;
    } else {
      return Malformed(file, absl::StrCat("unknown key '", key, "' under 'openocd:'; known keys: "
                                          "configs, transport, adapter_speed_khz, probe"));
    }
  }
  if (settings.configs.empty()) {
    return Malformed(file, "'openocd:' needs 'configs' (the OpenOCD scripts for probe and target)");
  }
  return settings;
}

absl::StatusOr<Board> ParseBoardYaml(const fs::path &path) {
  const std::string file = path.string();
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::Exception &e) {
    // yaml-cpp counts lines and columns from 0.
    if (!e.mark.is_null()) {
      return absl::FailedPreconditionError(absl::StrCat(
          file, ":", e.mark.line + 1, ":", e.mark.column + 1, ": not valid YAML: ", e.msg));
    }
    return absl::FailedPreconditionError(absl::StrCat(file, ": cannot read: ", e.msg));
  }
  if (!root.IsMap() || !root["board"]) {
    return Malformed(file, "no 'board:' mapping at the top level");
  }
  for (const auto &entry : root) {
    const std::string top = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    if (top != "board" && top != "openocd") {
      return Malformed(file, absl::StrCat("unknown top-level key '", top,
                                          "'; known keys: board, openocd"));
    }
  }
  const YAML::Node node = root["board"];
  if (!node.IsMap()) {
    return Malformed(file, "'board:' must be a mapping of keys to values");
  }
  std::map<std::string, std::string> values;
  for (const auto &entry : node) {
    std::string key;
    try {
      key = entry.first.as<std::string>();
    } catch (const YAML::Exception &) {
      return Malformed(file, "a key under 'board:' is not a plain name");
    }
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) {
      return Malformed(file, absl::StrCat("unknown key '", key, "' under 'board:'; known keys: ",
                                          absl::StrJoin(kKeys, ", ")));
    }
    if (!entry.second.IsScalar()) {
      return Malformed(file, absl::StrCat("'", key, "' must be a single value"));
    }
    values[key] = entry.second.Scalar();
  }
  for (const char *required : {"name", "arch", "soc"}) {
    if (values[required].empty()) {
      return Malformed(file, absl::StrCat("no '", required, "' key under 'board:'"));
    }
  }

  Board board;
  board.name = values["name"];
  board.full_name = values["full_name"];
  board.vendor = values["vendor"];
  board.arch = values["arch"];
  board.soc = values["soc"];
  board.cpu = values["cpu"];
  board.emulator = values["emulator"];
  board.qemu_machine = values["qemu_machine"];
  std::error_code ec;
  fs::path dir = fs::absolute(path.parent_path(), ec).lexically_normal();
  board.dir = dir.string();
  // The CMake package finds a board by its folder's name, so the two must agree.
  if (dir.filename() != board.name) {
    return Malformed(
        file, absl::StrCat("the board is named '", board.name, "' but its folder is '",
                           dir.filename().string(), "'; a board's name is its folder's name"));
  }
  if (!board.emulator.empty() && board.emulator != "qemu" && board.emulator != "native") {
    return Malformed(file, absl::StrCat("'emulator' must be 'qemu' or 'native' (or absent for "
                                        "hardware only), not '",
                                        board.emulator, "'"));
  }
  if (board.emulator == "qemu" && board.qemu_machine.empty()) {
    return Malformed(file, "'emulator: qemu' needs 'qemu_machine' (QEMU's -M name)");
  }
  for (auto [key, field] : {std::pair{"ram_kb", &board.ram_kb}, {"flash_kb", &board.flash_kb}}) {
    if (!values[key].empty()) {
      absl::StatusOr<uint32_t> kb = ParseKb(file, key, values[key]);
      if (!kb.ok()) {
        return kb.status();
      }
      *field = *kb;
    }
  }
  if (root["openocd"]) {
    absl::StatusOr<OpenOcdSettings> openocd = ParseOpenOcd(file, root["openocd"]);
    if (!openocd.ok()) {
      return openocd.status();
    }
    board.openocd = *std::move(openocd);
  }
  return board;
}

// Every board.yaml under ROOT/boards, in a stable order.
absl::StatusOr<std::vector<fs::path>> FindBoardYamls(const fs::path &boards_dir) {
  std::vector<fs::path> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(boards_dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read board folder ", boards_dir.string(), ": ", ec.message()));
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot read board folder ", boards_dir.string(), ": ", ec.message()));
    }
    if (it->path().filename() == "board.yaml" && it->is_regular_file(ec)) {
      found.push_back(it->path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

// Reads one root's boards into `by_name`; names already there (from an earlier root) win.
absl::Status LoadRoot(const fs::path &root, std::map<std::string, Board> &by_name) {
  absl::StatusOr<std::vector<fs::path>> yamls = FindBoardYamls(root / "boards");
  if (!yamls.ok()) {
    return yamls.status();
  }
  std::map<std::string, Board> here;
  for (const fs::path &yaml : *yamls) {
    absl::StatusOr<Board> board = ParseBoardYaml(yaml);
    if (!board.ok()) {
      return board.status();
    }
    auto [it, inserted] = here.emplace(board->name, *board);
    if (!inserted) {
      return absl::FailedPreconditionError(absl::StrCat(
          "two boards are named '", board->name, "': ", it->second.dir, "/board.yaml and ",
          yaml.string(), "; rename one (a board's name is its folder's name)"));
    }
  }
  for (auto &[name, board] : here) {
    by_name.emplace(name, std::move(board));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Catalog> Catalog::Load(const std::string &gale_base) {
  std::error_code ec;
  if (!fs::is_directory(fs::path(gale_base) / "boards", ec)) {
    return absl::NotFoundError(absl::StrCat("no boards/ folder in '", gale_base,
                                            "': is it a Gale tree? (set GALE_BASE to one)"));
  }
  return LoadRoots({gale_base});
}

absl::StatusOr<Catalog> Catalog::LoadRoots(const std::vector<std::string> &roots) {
  std::map<std::string, Board> by_name;
  for (const std::string &root : roots) {
    std::error_code ec;
    if (root.empty() || !fs::is_directory(fs::path(root) / "boards", ec)) {
      continue;
    }
    if (absl::Status status = LoadRoot(fs::absolute(root, ec), by_name); !status.ok()) {
      return status;
    }
  }
  Catalog catalog;
  for (auto &[name, board] : by_name) {
    catalog.boards_.push_back(std::move(board));
  }
  return catalog;
}

absl::StatusOr<Board> Catalog::Find(std::string_view name) const {
  // Zephyr's hardware-model names put '/' between board and qualifiers (mps2/an385); the CMake
  // package maps them to folder names the same way.
  std::string flat(name);
  std::replace(flat.begin(), flat.end(), '/', '_');
  for (const Board &board : boards_) {
    if (board.name == name || board.name == flat) {
      return board;
    }
  }
  std::vector<std::string> names;
  for (const Board &board : boards_) {
    names.push_back(board.name);
  }
  return absl::NotFoundError(absl::StrCat("unknown board '", std::string(name), "'; known boards: ",
                                          names.empty() ? "(none)" : absl::StrJoin(names, ", ")));
}

}  // namespace gale::boards
