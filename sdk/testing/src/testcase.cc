#include "gale/testing/testcase.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gale::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char *kYamlNames[] = {"testcase.yaml", "sample.yaml"};

// Errors carry the place in the file: "FILE:LINE:COL: what".
class FileErrors {
 public:
  explicit FileErrors(const std::string &path) : path_(path) {}

  absl::Status At(const YAML::Mark &mark, absl::string_view what) const {
    if (mark.is_null()) {
      return absl::InvalidArgumentError(absl::StrCat(path_, ": ", what));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(path_, ":", mark.line + 1, ":", mark.column + 1, ": ", what));
  }
  absl::Status At(const YAML::Node &node, absl::string_view what) const {
    return At(node.Mark(), what);
  }

 private:
  const std::string &path_;
};

// A field that is a list of words: a sequence of scalars, or one scalar of words separated by
// spaces (Zephyr accepts both, e.g. `tags: kernel semaphore`).
absl::Status ReadWords(const YAML::Node &node, absl::string_view key, absl::string_view scenario,
                       const FileErrors &errors, std::vector<std::string> &out) {
  if (!node || node.IsNull()) {
    return absl::OkStatus();
  }
  auto add_words = [&out](const std::string &text) {
    for (absl::string_view word :
         absl::StrSplit(text, absl::ByAnyChar(" \t\n"), absl::SkipEmpty())) {
      out.emplace_back(word);
    }
  };
  if (node.IsScalar()) {
    add_words(node.Scalar());
    return absl::OkStatus();
  }
  if (node.IsSequence()) {
    for (const YAML::Node &item : node) {
      if (!item.IsScalar()) {
        return errors.At(item, absl::StrCat("'", key, "' of scenario '", scenario,
                                            "' must be a list of strings"));
      }
      add_words(item.Scalar());
    }
    return absl::OkStatus();
  }
  return errors.At(node, absl::StrCat("'", key, "' of scenario '", scenario,
                                      "' must be a string or a list of strings"));
}

// A field that is a list of lines kept whole (Kconfig lines may hold quoted spaces). A single
// scalar is one entry.
absl::Status ReadLines(const YAML::Node &node, absl::string_view key, absl::string_view scenario,
                       const FileErrors &errors, std::vector<std::string> &out) {
  if (!node || node.IsNull()) {
    return absl::OkStatus();
  }
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return absl::OkStatus();
  }
  if (node.IsSequence()) {
    for (const YAML::Node &item : node) {
      if (!item.IsScalar()) {
        return errors.At(item, absl::StrCat("'", key, "' of scenario '", scenario,
                                            "' must be a list of strings"));
      }
      out.push_back(item.Scalar());
    }
    return absl::OkStatus();
  }
  return errors.At(
      node, absl::StrCat("'", key, "' of scenario '", scenario, "' must be a list of strings"));
}

absl::Status ReadBool(const YAML::Node &node, absl::string_view key, absl::string_view scenario,
                      const FileErrors &errors, bool &out) {
  if (!node || node.IsNull()) {
    return absl::OkStatus();
  }
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    return errors.At(
        node, absl::StrCat("'", key, "' of scenario '", scenario, "' must be true or false"));
  }
  out = value;
  return absl::OkStatus();
}

absl::Status ReadCount(const YAML::Node &node, absl::string_view key, absl::string_view scenario,
                       absl::string_view unit, const FileErrors &errors, uint32_t &out) {
  if (!node || node.IsNull()) {
    return absl::OkStatus();
  }
  long long value = -1;
  if (!node.IsScalar() || !YAML::convert<long long>::decode(node, value) || value < 0 ||
      value > 0xffffffffLL) {
    return errors.At(node, absl::StrCat("'", key, "' of scenario '", scenario,
                                        "' must be a whole number of ", unit, ", not '",
                                        node.IsScalar() ? node.Scalar() : "a list or map", "'"));
  }
  out = static_cast<uint32_t>(value);
  return absl::OkStatus();
}

absl::Status ReadString(const YAML::Node &node, absl::string_view key, absl::string_view scenario,
                        const FileErrors &errors, std::string &out) {
  if (!node || node.IsNull()) {
    return absl::OkStatus();
  }
  if (!node.IsScalar()) {
    return errors.At(node,
                     absl::StrCat("'", key, "' of scenario '", scenario, "' must be a string"));
  }
  out = node.Scalar();
  return absl::OkStatus();
}

void AppendUnique(std::vector<std::string> &to, const std::vector<std::string> &from) {
  for (const std::string &item : from) {
    if (std::find(to.begin(), to.end(), item) == to.end()) {
      to.push_back(item);
    }
  }
}

// The fields of one entry (common or a scenario), before merging.
struct Fields {
  std::vector<std::string> tags, platform_allow, platform_exclude, arch_allow, arch_exclude;
  std::vector<std::string> extra_configs, extra_args, extra_conf_files, extra_dtc_overlay_files;
  std::vector<std::string> regex;
  std::optional<uint32_t> timeout_s, min_ram_kb;
  std::optional<bool> build_only, skip, ordered;
  std::optional<std::string> harness, filter, depends_on;
};

absl::Status ReadFields(const YAML::Node &map, absl::string_view scenario, const FileErrors &errors,
                        Fields &fields) {
  if (!map || map.IsNull()) {
    return absl::OkStatus();
  }
  if (!map.IsMap()) {
    return errors.At(map, absl::StrCat("scenario '", scenario, "' must be a map of fields"));
  }
  absl::Status status;
  auto check = [&status](absl::Status s) {
    if (status.ok()) {
      status = std::move(s);
    }
  };
  check(ReadWords(map["tags"], "tags", scenario, errors, fields.tags));
  check(
      ReadWords(map["platform_allow"], "platform_allow", scenario, errors, fields.platform_allow));
  check(ReadWords(map["platform_exclude"], "platform_exclude", scenario, errors,
                  fields.platform_exclude));
  check(ReadWords(map["arch_allow"], "arch_allow", scenario, errors, fields.arch_allow));
  check(ReadWords(map["arch_exclude"], "arch_exclude", scenario, errors, fields.arch_exclude));
  check(ReadLines(map["extra_configs"], "extra_configs", scenario, errors, fields.extra_configs));
  check(ReadWords(map["extra_args"], "extra_args", scenario, errors, fields.extra_args));
  check(ReadWords(map["extra_conf_files"], "extra_conf_files", scenario, errors,
                  fields.extra_conf_files));
  check(ReadWords(map["extra_dtc_overlay_files"], "extra_dtc_overlay_files", scenario, errors,
                  fields.extra_dtc_overlay_files));
  auto read_optional_count = [&](const char *key, absl::string_view unit,
                                 std::optional<uint32_t> &out) {
    if (map[key] && !map[key].IsNull()) {
      uint32_t value = 0;
      check(ReadCount(map[key], key, scenario, unit, errors, value));
      out = value;
    }
  };
  read_optional_count("timeout", "seconds", fields.timeout_s);
  read_optional_count("min_ram", "KiB", fields.min_ram_kb);
  auto read_optional_bool = [&](const char *key, std::optional<bool> &out) {
    if (map[key] && !map[key].IsNull()) {
      bool value = false;
      check(ReadBool(map[key], key, scenario, errors, value));
      out = value;
    }
  };
  read_optional_bool("build_only", fields.build_only);
  read_optional_bool("skip", fields.skip);
  auto read_optional_string = [&](const char *key, std::optional<std::string> &out) {
    if (map[key] && !map[key].IsNull()) {
      std::string value;
      check(ReadString(map[key], key, scenario, errors, value));
      out = value;
    }
  };
  read_optional_string("harness", fields.harness);
  read_optional_string("filter", fields.filter);
  if (map["depends_on"] && !map["depends_on"].IsNull()) {
    std::vector<std::string> words;
    check(ReadWords(map["depends_on"], "depends_on", scenario, errors, words));
    fields.depends_on = absl::StrJoin(words, " ");
  }
  const YAML::Node config = map["harness_config"];
  if (config && !config.IsNull()) {
    if (!config.IsMap()) {
      check(errors.At(config,
                      absl::StrCat("'harness_config' of scenario '", scenario, "' must be a map")));
    } else {
      check(ReadLines(config["regex"], "harness_config.regex", scenario, errors, fields.regex));
      if (config["ordered"] && !config["ordered"].IsNull()) {
        bool ordered = false;
        check(ReadBool(config["ordered"], "harness_config.ordered", scenario, errors, ordered));
        fields.ordered = ordered;
      }
    }
  }
  return status;
}

// Zephyr's merge of `common:` into a scenario: lists add up, `filter` expressions are both
// required, and any other field of the scenario replaces the common one.
Fields Merge(const Fields &common, const Fields &own) {
  Fields merged = common;
  AppendUnique(merged.tags, own.tags);
  AppendUnique(merged.platform_allow, own.platform_allow);
  AppendUnique(merged.platform_exclude, own.platform_exclude);
  AppendUnique(merged.arch_allow, own.arch_allow);
  AppendUnique(merged.arch_exclude, own.arch_exclude);
  merged.extra_configs.insert(merged.extra_configs.end(), own.extra_configs.begin(),
                              own.extra_configs.end());
  merged.extra_args.insert(merged.extra_args.end(), own.extra_args.begin(), own.extra_args.end());
  AppendUnique(merged.extra_conf_files, own.extra_conf_files);
  AppendUnique(merged.extra_dtc_overlay_files, own.extra_dtc_overlay_files);
  if (!own.regex.empty()) {
    merged.regex = own.regex;
  }
  auto replace = [](auto &to, const auto &from) {
    if (from) {
      to = from;
    }
  };
  replace(merged.timeout_s, own.timeout_s);
  replace(merged.min_ram_kb, own.min_ram_kb);
  replace(merged.build_only, own.build_only);
  replace(merged.skip, own.skip);
  replace(merged.ordered, own.ordered);
  replace(merged.harness, own.harness);
  replace(merged.depends_on, own.depends_on);
  if (common.filter && own.filter) {
    merged.filter = absl::StrCat("(", *common.filter, ") and (", *own.filter, ")");
  } else {
    replace(merged.filter, own.filter);
  }
  return merged;
}

Scenario ToScenario(const std::string &name, const Fields &fields) {
  Scenario s;
  s.name = name;
  s.tags = fields.tags;
  s.platform_allow = fields.platform_allow;
  s.platform_exclude = fields.platform_exclude;
  s.arch_allow = fields.arch_allow;
  s.arch_exclude = fields.arch_exclude;
  s.extra_configs = fields.extra_configs;
  s.extra_args = fields.extra_args;
  s.extra_conf_files = fields.extra_conf_files;
  s.extra_dtc_overlay_files = fields.extra_dtc_overlay_files;
  s.timeout_s = fields.timeout_s.value_or(60);
  s.min_ram_kb = fields.min_ram_kb.value_or(0);
  s.build_only = fields.build_only.value_or(false);
  s.skip = fields.skip.value_or(false);
  s.harness_name = fields.harness.value_or("");
  if (s.harness_name.empty() || s.harness_name == "ztest") {
    s.harness = Harness::kZtest;
  } else if (s.harness_name == "console") {
    s.harness = Harness::kConsole;
  } else {
    s.harness = Harness::kUnsupported;
  }
  s.console_regex = fields.regex;
  s.console_ordered = fields.ordered.value_or(false);
  s.filter = fields.filter.value_or("");
  if (!s.filter.empty()) {
    s.notes.push_back(
        absl::StrCat("'filter' is not supported, the scenario is kept on every "
                     "selected board: ",
                     s.filter));
  }
  if (fields.depends_on && !fields.depends_on->empty()) {
    s.notes.push_back(
        absl::StrCat("'depends_on' is not evaluated (board features are not "
                     "known), the scenario is kept on every selected board: ",
                     *fields.depends_on));
  }
  return s;
}

std::string Absolute(const std::string &path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  if (ec) {
    return path;
  }
  return abs.lexically_normal().string();
}

}  // namespace

absl::StatusOr<std::vector<Scenario>> ParseTestcaseYaml(std::string_view text,
                                                        const std::string &path) {
  FileErrors errors(path);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception &e) {
    return errors.At(e.mark, absl::StrCat("malformed YAML: ", e.msg));
  }
  if (!root || root.IsNull()) {
    return errors.At(YAML::Mark::null_mark(), "empty file: expected a 'tests:' map of scenarios");
  }
  if (!root.IsMap()) {
    return errors.At(root, "expected a map with 'tests:' (and optionally 'common:')");
  }
  const YAML::Node tests = root["tests"];
  if (!tests || tests.IsNull()) {
    return errors.At(root, "no 'tests:' map of scenarios");
  }
  if (!tests.IsMap()) {
    return errors.At(tests, "'tests' must be a map of scenario names to their fields");
  }

  Fields common;
  const YAML::Node common_node = root["common"];
  if (common_node && !common_node.IsNull()) {
    if (!common_node.IsMap()) {
      return errors.At(common_node, "'common' must be a map of fields");
    }
    absl::Status status = ReadFields(common_node, "common", errors, common);
    if (!status.ok()) {
      return status;
    }
  }

  std::string app_dir = fs::path(Absolute(path)).parent_path().string();
  std::vector<Scenario> scenarios;
  for (const auto &entry : tests) {
    if (!entry.first.IsScalar() || entry.first.Scalar().empty()) {
      return errors.At(entry.first, "a scenario name must be a non-empty string");
    }
    std::string name = entry.first.Scalar();
    Fields own;
    absl::Status status = ReadFields(entry.second, name, errors, own);
    if (!status.ok()) {
      return status;
    }
    Scenario scenario = ToScenario(name, Merge(common, own));
    scenario.app_dir = app_dir;
    scenario.yaml_path = Absolute(path);
    scenario.yaml_line = static_cast<uint32_t>(entry.first.Mark().line + 1);
    for (const Scenario &seen : scenarios) {
      if (seen.name == name) {
        return errors.At(entry.first, absl::StrCat("scenario '", name, "' is defined twice"));
      }
    }
    scenarios.push_back(std::move(scenario));
  }
  return scenarios;
}

absl::StatusOr<std::vector<Scenario>> ParseTestcaseFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read test description ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseTestcaseYaml(text.str(), path);
}

namespace {

// The test description of an application folder: testcase.yaml, else sample.yaml.
std::optional<fs::path> DescriptionIn(const fs::path &dir) {
  for (const char *name : kYamlNames) {
    std::error_code ec;
    fs::path candidate = dir / name;
    if (fs::is_regular_file(candidate, ec)) {
      return candidate;
    }
  }
  return std::nullopt;
}

void Search(const fs::path &dir, std::vector<fs::path> &found) {
  if (std::optional<fs::path> yaml = DescriptionIn(dir)) {
    found.push_back(*yaml);
    return;
  }
  std::error_code ec;
  if (fs::exists(dir / "CMakeCache.txt", ec)) {
    return;  // a build folder: its copies of sources are not tests to run
  }
  std::vector<fs::path> children;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry &entry = *it;
    std::error_code type_ec;
    if (entry.is_symlink(type_ec) || !entry.is_directory(type_ec)) {
      continue;
    }
    std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') {
      continue;
    }
    children.push_back(entry.path());
  }
  std::sort(children.begin(), children.end());
  for (const fs::path &child : children) {
    Search(child, found);
  }
}

}  // namespace

absl::StatusOr<std::vector<Scenario>> DiscoverScenarios(const std::vector<std::string> &paths) {
  std::vector<fs::path> files;
  for (const std::string &path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      return absl::NotFoundError(absl::StrCat("test path ", path,
                                              " does not exist; give an application folder, a ",
                                              "testcase.yaml, or a folder to search"));
    }
    fs::path abs(Absolute(path));
    if (fs::is_regular_file(status)) {
      files.push_back(abs);
    } else if (fs::is_directory(status)) {
      Search(abs, files);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("test path ", path, " is neither a folder nor a file"));
    }
  }
  // Each file once (paths may overlap), in a stable order.
  std::map<std::string, fs::path> unique;
  for (const fs::path &file : files) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(file, ec);
    unique.emplace(ec ? file.string() : canonical.string(), file);
  }
  std::vector<Scenario> scenarios;
  std::map<std::string, std::string> defined_in;
  for (const auto &[key, file] : unique) {
    absl::StatusOr<std::vector<Scenario>> parsed = ParseTestcaseFile(file.string());
    if (!parsed.ok()) {
      return parsed.status();
    }
    for (Scenario &scenario : *parsed) {
      std::string where = absl::StrCat(scenario.yaml_path, ":", scenario.yaml_line);
      auto [it, inserted] = defined_in.emplace(scenario.name, where);
      if (!inserted) {
        return absl::InvalidArgumentError(absl::StrCat("scenario '", scenario.name,
                                                       "' is defined twice: at ", it->second,
                                                       " and at ", where, "; rename one"));
      }
      scenarios.push_back(std::move(scenario));
    }
  }
  return scenarios;
}

namespace {

// Zephyr names boards with hardware-model v2 qualifiers ("mps2/an385",
// "qemu_cortex_m3/ti_lm3s6965"); Gale's names are flat ("mps2_an385").
bool NamesBoard(std::string_view entry, std::string_view board) {
  if (entry == board) {
    return true;
  }
  std::string flat(entry);
  std::replace(flat.begin(), flat.end(), '/', '_');
  if (flat == board) {
    return true;
  }
  size_t slash = entry.find('/');
  return slash != std::string_view::npos && entry.substr(0, slash) == board;
}

bool Contains(const std::vector<std::string> &list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Entries of extra_configs / extra_args qualified "arch:<arch>:..." or "platform:<board>:..."
// apply to those boards only.
std::vector<std::string> Qualified(const std::vector<std::string> &entries,
                                   const BoardInfo &board) {
  std::vector<std::string> out;
  for (const std::string &entry : entries) {
    std::string_view view(entry);
    bool qualified = false;
    bool applies = false;
    for (std::string_view prefix : {std::string_view("arch:"), std::string_view("platform:")}) {
      if (view.substr(0, prefix.size()) != prefix) {
        continue;
      }
      size_t colon = view.find(':', prefix.size());
      if (colon == std::string_view::npos) {
        break;
      }
      std::string_view target = view.substr(prefix.size(), colon - prefix.size());
      qualified = true;
      applies = prefix == "arch:" ? target == board.arch : NamesBoard(target, board.name);
      view = view.substr(colon + 1);
      break;
    }
    if (!qualified || applies) {
      out.emplace_back(view);
    }
  }
  return out;
}

std::string SkipReason(const Scenario &s, const BoardInfo &board) {
  if (s.skip) {
    return "skip: true in its test description";
  }
  if (s.harness == Harness::kUnsupported) {
    return absl::StrCat("harness '", s.harness_name,
                        "' is not supported (only ztest and console are)");
  }
  for (const std::string &entry : s.platform_exclude) {
    if (NamesBoard(entry, board.name)) {
      return absl::StrCat(board.name, " is in platform_exclude");
    }
  }
  if (!s.platform_allow.empty() &&
      std::none_of(s.platform_allow.begin(), s.platform_allow.end(),
                   [&](const std::string &entry) { return NamesBoard(entry, board.name); })) {
    return absl::StrCat(board.name, " is not in platform_allow (",
                        absl::StrJoin(s.platform_allow, ", "), ")");
  }
  if (!s.arch_allow.empty() && !Contains(s.arch_allow, board.arch)) {
    return absl::StrCat("arch '", board.arch, "' of ", board.name, " is not in arch_allow (",
                        absl::StrJoin(s.arch_allow, ", "), ")");
  }
  if (Contains(s.arch_exclude, board.arch)) {
    return absl::StrCat("arch '", board.arch, "' of ", board.name, " is in arch_exclude");
  }
  if (s.min_ram_kb > 0 && board.ram_kb > 0 && board.ram_kb < s.min_ram_kb) {
    return absl::StrCat("needs min_ram ", s.min_ram_kb, " KiB; ", board.name, " has ", board.ram_kb,
                        " KiB");
  }
  return "";
}

}  // namespace

std::vector<std::string> Instance::ExtraConfigs() const {
  return Qualified(scenario.extra_configs, board);
}

std::vector<std::string> Instance::ExtraArgs() const {
  return Qualified(scenario.extra_args, board);
}

std::vector<Instance> SelectInstances(const std::vector<Scenario> &scenarios,
                                      const std::vector<BoardInfo> &boards,
                                      const SelectOptions &options) {
  std::vector<std::string> want, unwanted;
  for (const std::string &tag : options.tags) {
    if (!tag.empty() && tag[0] == '-') {
      unwanted.push_back(tag.substr(1));
    } else if (!tag.empty()) {
      want.push_back(tag);
    }
  }
  std::vector<Instance> instances;
  for (const Scenario &scenario : scenarios) {
    auto has = [&scenario](const std::string &tag) { return Contains(scenario.tags, tag); };
    if (!want.empty() && std::none_of(want.begin(), want.end(), has)) {
      continue;
    }
    if (std::any_of(unwanted.begin(), unwanted.end(), has)) {
      continue;
    }
    for (const BoardInfo &board : boards) {
      Instance instance;
      instance.scenario = scenario;
      instance.board = board;
      instance.skip_reason = SkipReason(scenario, board);
      instance.skipped = !instance.skip_reason.empty();
      instances.push_back(std::move(instance));
    }
  }
  return instances;
}

}  // namespace gale::testing
