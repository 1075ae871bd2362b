#include "gale/devicetree/binding.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gale::devicetree {
namespace {

constexpr std::array<std::pair<PropType, absl::string_view>, 11> kTypeNames = {{
    {PropType::kInt, "int"},
    {PropType::kArray, "array"},
    {PropType::kUint8Array, "uint8-array"},
    {PropType::kString, "string"},
    {PropType::kStringArray, "string-array"},
    {PropType::kBoolean, "boolean"},
    {PropType::kPhandle, "phandle"},
    {PropType::kPhandles, "phandles"},
    {PropType::kPhandleArray, "phandle-array"},
    {PropType::kPath, "path"},
    {PropType::kCompound, "compound"},
}};

constexpr absl::string_view kCellsSuffix = "-cells";

bool EndsWith(absl::string_view s, absl::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A YAML scalar as an integer. Quoted scalars are strings even when they look numeric.
std::optional<int64_t> ScalarInt(const YAML::Node &node) {
  if (!node.IsScalar() || node.Tag() == "!") {
    return std::nullopt;
  }
  const std::string &text = node.Scalar();
  if (text.empty()) {
    return std::nullopt;
  }
  errno = 0;
  char *end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 0);
  if (errno != 0 || *end != '\0') {
    // Values up to 0xffffffffffffffff are fine as raw cells.
    errno = 0;
    unsigned long long uvalue = std::strtoull(text.c_str(), &end, 0);
    if (errno != 0 || *end != '\0' || text[0] == '-') {
      return std::nullopt;
    }
    return static_cast<int64_t>(uvalue);
  }
  return static_cast<int64_t>(value);
}

absl::StatusOr<BindingValue> ParseValue(const YAML::Node &node, absl::string_view what) {
  if (node.IsScalar()) {
    if (auto value = ScalarInt(node)) {
      return BindingValue(*value);
    }
    return BindingValue(node.Scalar());
  }
  if (node.IsSequence()) {
    std::vector<int64_t> ints;
    std::vector<std::string> strings;
    for (const YAML::Node &item : node) {
      if (!item.IsScalar()) {
        return absl::InvalidArgumentError(absl::StrCat(what, ": list items must be scalars"));
      }
      if (auto value = ScalarInt(item)) {
        ints.push_back(*value);
      } else {
        strings.push_back(item.Scalar());
      }
    }
    if (!ints.empty() && !strings.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": a list must hold only numbers or only strings"));
    }
    if (!strings.empty()) {
      return BindingValue(std::move(strings));
    }
    return BindingValue(std::move(ints));
  }
  return absl::InvalidArgumentError(absl::StrCat(what, ": expected a scalar or a list"));
}

struct FileError {
  std::string file;
  absl::Status Make(absl::string_view message) const {
    return absl::InvalidArgumentError(absl::StrCat(file, ": ", message));
  }
};

// Merges `over` (the including file's view of a property) into `base` (the included one).
absl::Status MergePropSpec(PropSpec &base, const YAML::Node &over, const FileError &err) {
  if (!over.IsMap() && !over.IsNull()) {
    return err.Make(absl::StrCat("property '", base.name, "' must be a map"));
  }
  if (over.IsNull()) {
    return absl::OkStatus();
  }
  for (const auto &entry : over) {
    const std::string key = entry.first.as<std::string>();
    const YAML::Node &value = entry.second;
    const std::string what = absl::StrCat("property '", base.name, "' key '", key, "'");
    if (key == "type") {
      auto type = ParsePropType(value.as<std::string>());
      if (!type.ok()) {
        return err.Make(absl::StrCat(what, ": ", type.status().message()));
      }
      base.type = *type;
    } else if (key == "required") {
      base.required = value.as<bool>();
    } else if (key == "description") {
      base.description = value.as<std::string>();
    } else if (key == "enum") {
      if (!value.IsSequence()) {
        return err.Make(absl::StrCat(what, ": expected a list"));
      }
      base.enum_values.clear();
      for (const YAML::Node &item : value) {
        auto parsed = ParseValue(item, what);
        if (!parsed.ok()) {
          return err.Make(parsed.status().message());
        }
        base.enum_values.push_back(*std::move(parsed));
      }
    } else if (key == "default" || key == "const") {
      auto parsed = ParseValue(value, what);
      if (!parsed.ok()) {
        return err.Make(parsed.status().message());
      }
      (key == "default" ? base.default_value : base.const_value) = *std::move(parsed);
    } else if (key == "specifier-space") {
      base.specifier_space = value.as<std::string>();
    } else if (key == "deprecated") {
      // Accepted for compatibility with existing bindings; nothing to generate.
    } else {
      return err.Make(absl::StrCat(
          "unknown key '", key, "' in property '", base.name,
          "'; allowed: type, required, description, enum, default, const, specifier-space"));
    }
  }
  return absl::OkStatus();
}

class Loader {
 public:
  explicit Loader(const std::map<std::string, std::string> &texts) : texts_(texts) {}

  // Parses (memoized) the named file with its includes merged.
  absl::StatusOr<std::shared_ptr<const Binding>> Get(const std::string &file) {
    if (auto it = done_.find(file); it != done_.end()) {
      return it->second;
    }
    if (active_.count(file) != 0) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": include cycle through '", file, "'"));
    }
    auto text = texts_.find(file);
    if (text == texts_.end()) {
      return absl::NotFoundError(absl::StrCat("no binding file named '", file, "'"));
    }
    active_.insert(file);
    YAML::Node root;
    try {
      root = YAML::Load(text->second);
    } catch (const YAML::Exception &e) {
      active_.erase(file);
      return absl::InvalidArgumentError(
          absl::StrCat(file, ":", e.mark.line + 1, ": YAML error: ", e.msg));
    }
    auto binding = std::make_shared<Binding>();
    binding->file = file;
    absl::Status status = Fill(*binding, root, FileError{file}, /*top_level=*/true);
    active_.erase(file);
    if (!status.ok()) {
      return status;
    }
    done_[file] = binding;
    return std::shared_ptr<const Binding>(binding);
  }

 private:
  absl::Status ApplyInclude(Binding &binding, const YAML::Node &item, const FileError &err) {
    std::string name;
    std::set<std::string> allow;
    std::set<std::string> block;
    bool has_allow = false;
    if (item.IsScalar()) {
      name = item.Scalar();
    } else if (item.IsMap() && item["name"]) {
      name = item["name"].as<std::string>();
      if (item["property-allowlist"]) {
        has_allow = true;
        for (const auto &p : item["property-allowlist"]) {
          allow.insert(p.as<std::string>());
        }
      }
      if (item["property-blocklist"]) {
        for (const auto &p : item["property-blocklist"]) {
          block.insert(p.as<std::string>());
        }
      }
    } else {
      return err.Make("'include:' entries must be file names or maps with 'name:'");
    }
    auto included = Get(name);
    if (!included.ok()) {
      return err.Make(absl::StrCat("include '", name, "': ", included.status().message()));
    }
    const Binding &inc = **included;
    for (const auto &[prop_name, spec] : inc.properties) {
      if ((has_allow && allow.count(prop_name) == 0) || block.count(prop_name) != 0) {
        continue;
      }
      binding.properties[prop_name] = spec;
    }
    for (const auto &[space, names] : inc.cells) {
      binding.cells[space] = names;
    }
    if (!inc.buses.empty()) {
      binding.buses = inc.buses;
    }
    if (!inc.on_bus.empty()) {
      binding.on_bus = inc.on_bus;
    }
    if (inc.child_binding) {
      binding.child_binding = inc.child_binding;
    }
    if (binding.description.empty()) {
      binding.description = inc.description;
    }
    return absl::OkStatus();
  }

  absl::Status Fill(Binding &binding, const YAML::Node &root, const FileError &err,
                    bool top_level) {
    if (root.IsNull()) {
      return absl::OkStatus();
    }
    if (!root.IsMap()) {
      return err.Make("a binding must be a YAML map");
    }
    try {
      // Includes first, so that this file's own keys override what they bring.
      if (const YAML::Node inc = root["include"]) {
        if (inc.IsSequence()) {
          for (const YAML::Node &item : inc) {
            if (absl::Status s = ApplyInclude(binding, item, err); !s.ok()) {
              return s;
            }
          }
        } else if (absl::Status s = ApplyInclude(binding, inc, err); !s.ok()) {
          return s;
        }
      }
      for (const auto &entry : root) {
        const std::string key = entry.first.as<std::string>();
        const YAML::Node &value = entry.second;
        if (key == "include") {
          continue;
        }
        if (key == "compatible") {
          if (!top_level) {
            return err.Make("'compatible:' is not allowed in a child-binding");
          }
          binding.compatible = value.as<std::string>();
        } else if (key == "description" || key == "title") {
          if (key == "description" || binding.description.empty()) {
            binding.description = value.as<std::string>();
          }
        } else if (key == "bus") {
          binding.buses.clear();
          if (value.IsSequence()) {
            for (const auto &b : value) {
              binding.buses.push_back(b.as<std::string>());
            }
          } else {
            binding.buses.push_back(value.as<std::string>());
          }
        } else if (key == "on-bus") {
          binding.on_bus = value.as<std::string>();
        } else if (key == "properties") {
          if (!value.IsMap() && !value.IsNull()) {
            return err.Make("'properties:' must be a map");
          }
          for (const auto &prop : value) {
            const std::string prop_name = prop.first.as<std::string>();
            PropSpec &spec = binding.properties[prop_name];
            bool is_new = spec.name.empty();
            spec.name = prop_name;
            if (absl::Status s = MergePropSpec(spec, prop.second, err); !s.ok()) {
              return s;
            }
            if (is_new && !(prop.second.IsMap() && prop.second["type"])) {
              return err.Make(absl::StrCat("property '", prop_name,
                                           "' has no 'type:' here nor in an included binding"));
            }
          }
        } else if (key == "child-binding") {
          auto child = std::make_shared<Binding>();
          if (binding.child_binding) {
            *child = *binding.child_binding;
          }
          child->file = binding.file;
          if (absl::Status s = Fill(*child, value, err, /*top_level=*/false); !s.ok()) {
            return s;
          }
          binding.child_binding = child;
        } else if (EndsWith(key, kCellsSuffix) && key.size() > kCellsSuffix.size()) {
          if (!value.IsSequence()) {
            return err.Make(absl::StrCat("'", key, ":' must be a list of cell names"));
          }
          std::vector<std::string> names;
          for (const auto &n : value) {
            names.push_back(n.as<std::string>());
          }
          binding.cells[key.substr(0, key.size() - kCellsSuffix.size())] = std::move(names);
        } else {
          return err.Make(absl::StrCat("unknown top-level key '", key,
                                       "'; allowed: compatible, description, include, bus, "
                                       "on-bus, properties, child-binding, <space>-cells"));
        }
      }
    } catch (const YAML::Exception &e) {
      return err.Make(absl::StrCat("line ", e.mark.line + 1, ": ", e.msg));
    }
    return absl::OkStatus();
  }

  const std::map<std::string, std::string> &texts_;
  std::map<std::string, std::shared_ptr<const Binding>> done_;
  std::set<std::string> active_;
};

}  // namespace

absl::string_view PropTypeName(PropType type) {
  for (const auto &[t, name] : kTypeNames) {
    if (t == type) {
      return name;
    }
  }
  return "?";
}

absl::StatusOr<PropType> ParsePropType(absl::string_view name) {
  std::vector<absl::string_view> names;
  for (const auto &[t, n] : kTypeNames) {
    if (n == name) {
      return t;
    }
    names.push_back(n);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown property type '", name, "'; use one of: ", absl::StrJoin(names, ", ")));
}

std::string BindingValueToString(const BindingValue &value) {
  struct Visitor {
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(const std::string &v) const { return absl::StrCat("\"", v, "\""); }
    std::string operator()(const std::vector<int64_t> &v) const {
      return absl::StrCat("<", absl::StrJoin(v, " "), ">");
    }
    std::string operator()(const std::vector<std::string> &v) const {
      return absl::StrCat("\"", absl::StrJoin(v, "\", \""), "\"");
    }
  };
  return std::visit(Visitor{}, value);
}

const PropSpec *Binding::FindProp(absl::string_view name) const {
  auto it = properties.find(std::string(name));
  return it == properties.end() ? nullptr : &it->second;
}

const std::vector<std::string> *Binding::FindCells(absl::string_view space) const {
  auto it = cells.find(std::string(space));
  return it == cells.end() ? nullptr : &it->second;
}

absl::StatusOr<BindingSet> BindingSet::LoadFromDirs(const std::vector<std::string> &dirs) {
  namespace fs = std::filesystem;
  std::map<std::string, Source> files;
  for (size_t i = 0; i < dirs.size(); ++i) {
    std::error_code ec;
    if (!fs::is_directory(dirs[i], ec)) {
      return absl::NotFoundError(
          absl::StrCat("bindings directory '", dirs[i], "' does not exist or is not a directory"));
    }
    std::vector<fs::path> paths;
    for (auto it = fs::recursive_directory_iterator(dirs[i], ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file() && it->path().extension() == ".yaml") {
        paths.push_back(it->path());
      }
    }
    if (ec) {
      return absl::InternalError(absl::StrCat("reading '", dirs[i], "': ", ec.message()));
    }
    std::sort(paths.begin(), paths.end());
    for (const fs::path &path : paths) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      if (!in) {
        return absl::InternalError(absl::StrCat("cannot read '", path.string(), "'"));
      }
      const std::string name = path.filename().string();
      auto it = files.find(name);
      if (it != files.end() && it->second.dir_index == i) {
        return absl::InvalidArgumentError(absl::StrCat("two binding files named '", name, "': '",
                                                       it->second.path, "' and '", path.string(),
                                                       "'; rename one"));
      }
      files[name] = Source{path.string(), text.str(), i};
    }
  }
  return Load(std::move(files));
}

absl::StatusOr<BindingSet> BindingSet::LoadFromStrings(
    const std::map<std::string, std::string> &texts) {
  std::map<std::string, Source> files;
  for (const auto &[name, text] : texts) {
    files[name] = Source{name, text, 0};
  }
  return Load(std::move(files));
}

absl::StatusOr<BindingSet> BindingSet::Load(std::map<std::string, Source> files) {
  std::map<std::string, std::string> texts;
  for (const auto &[name, source] : files) {
    texts[name] = source.text;
  }
  Loader loader(texts);
  BindingSet set;
  std::map<std::pair<std::string, std::string>, const Source *> origin;
  for (const auto &[name, source] : files) {
    auto binding = loader.Get(name);
    if (!binding.ok()) {
      return binding.status();
    }
    if ((*binding)->compatible.empty()) {
      continue;
    }
    auto key = std::make_pair((*binding)->compatible, (*binding)->on_bus);
    if (auto it = origin.find(key); it != origin.end()) {
      if (it->second->dir_index == source.dir_index) {
        return absl::InvalidArgumentError(
            absl::StrCat("compatible \"", key.first, "\" has two bindings: '", it->second->path,
                         "' and '", source.path, "'; remove one or give them different on-bus"));
      }
      if (it->second->dir_index > source.dir_index) {
        continue;  // A later directory already overrides this one.
      }
    }
    origin[key] = &source;
    set.by_compat_[key] = *binding;
  }
  return set;
}

const Binding *BindingSet::Find(absl::string_view compatible, absl::string_view parent_bus) const {
  if (!parent_bus.empty()) {
    auto it = by_compat_.find({std::string(compatible), std::string(parent_bus)});
    if (it != by_compat_.end()) {
      return it->second.get();
    }
  }
  auto it = by_compat_.find({std::string(compatible), std::string()});
  return it == by_compat_.end() ? nullptr : it->second.get();
}

}  // namespace gale::devicetree
