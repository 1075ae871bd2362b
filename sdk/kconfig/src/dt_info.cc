#include "gale/kconfig/dt_info.h"

#include <fstream>
#include <sstream>

#include "model.h"
#include "nlohmann/json.hpp"

namespace gale::kconfig {
namespace {

using Json = nlohmann::json;

std::vector<std::string> StringList(const Json &value) {
  std::vector<std::string> out;
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    for (const Json &item : value) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      }
    }
  }
  return out;
}

// Parses a decimal index argument; a malformed index selects nothing (like an index past the end).
int64_t IndexArg(const std::vector<std::string> &args, size_t i) {
  if (args.size() <= i) {
    return 0;
  }
  int64_t value = 0;
  if (!ParseInt(args[i], 10, &value)) {
    return -1;
  }
  return value;
}

// Zephyr's optional unit argument scales a value down by a power of 1024.
int UnitShift(const std::vector<std::string> &args, size_t i) {
  if (args.size() <= i || args[i].empty()) {
    return 0;
  }
  switch (args[i][0]) {
    case 'k':
    case 'K':
      return 10;
    case 'm':
    case 'M':
      return 20;
    case 'g':
    case 'G':
      return 30;
    default:
      return 0;
  }
}

std::string YesNo(bool value) {
  return value ? "y" : "n";
}

std::string FormatNumber(int64_t value, bool hex) {
  return hex ? PyHex(value) : std::to_string(value);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct FunctionEntry {
  const char *name;
  DtFunctionArity arity;
};

constexpr FunctionEntry kFunctions[] = {
    {"dt_compat_enabled", {1, 1}},         {"dt_chosen_enabled", {1, 1}},
    {"dt_nodelabel_enabled", {1, 1}},      {"dt_path_enabled", {1, 1}},
    {"dt_alias_enabled", {1, 1}},          {"dt_chosen_reg_addr_hex", {1, 3}},
    {"dt_chosen_reg_addr_int", {1, 3}},    {"dt_chosen_reg_size_hex", {1, 3}},
    {"dt_chosen_reg_size_int", {1, 3}},    {"dt_nodelabel_reg_addr_hex", {1, 3}},
    {"dt_nodelabel_reg_addr_int", {1, 3}}, {"dt_nodelabel_reg_size_hex", {1, 3}},
    {"dt_nodelabel_reg_size_int", {1, 3}}, {"dt_node_int_prop_int", {2, 3}},
    {"dt_node_int_prop_hex", {2, 3}},      {"dt_nodelabel_has_prop", {2, 2}},
    {"dt_node_has_prop", {2, 2}},
};

}  // namespace

absl::StatusOr<DtInfo> DtInfo::Parse(std::string_view json_text) {
  Json doc = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::InvalidArgumentError("edt.json is not a JSON object");
  }
  DtInfo info;
  if (auto it = doc.find("nodes"); it != doc.end() && it->is_array()) {
    for (const Json &jnode : *it) {
      if (!jnode.is_object()) {
        return absl::InvalidArgumentError("edt.json: every entry of \"nodes\" must be an object");
      }
      Node node;
      node.path = jnode.value("path", std::string());
      if (auto labels = jnode.find("labels"); labels != jnode.end()) {
        node.labels = StringList(*labels);
      }
      if (auto compat = jnode.find("compatible"); compat != jnode.end()) {
        node.compatible = StringList(*compat);
      }
      node.okay = jnode.value("okay", false);
      if (auto reg = jnode.find("reg"); reg != jnode.end() && reg->is_array()) {
        for (const Json &entry : *reg) {
          uint64_t addr = 0;
          uint64_t size = 0;
          if (entry.is_array() && !entry.empty() && entry[0].is_number_integer()) {
            addr = entry[0].get<uint64_t>();
            if (entry.size() > 1 && entry[1].is_number_integer()) {
              size = entry[1].get<uint64_t>();
            }
          }
          node.reg.emplace_back(addr, size);
        }
      }
      if (auto props = jnode.find("props"); props != jnode.end() && props->is_object()) {
        for (const auto &[key, value] : props->items()) {
          std::optional<int64_t> int_value;
          if (value.is_number_integer()) {
            int_value = value.get<int64_t>();
          }
          node.props[key] = int_value;
        }
      }
      info.nodes_.push_back(std::move(node));
    }
  }
  for (const char *key : {"chosen", "aliases"}) {
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_object()) {
      continue;
    }
    auto &target = std::string_view(key) == "chosen" ? info.chosen_ : info.aliases_;
    for (const auto &[name, value] : it->items()) {
      if (value.is_string()) {
        target[name] = value.get<std::string>();
      }
    }
  }
  return info;
}

absl::StatusOr<DtInfo> DtInfo::LoadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError("cannot read devicetree info " + path);
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  absl::StatusOr<DtInfo> info = Parse(buffer.str());
  if (!info.ok()) {
    return absl::InvalidArgumentError(path + ": " + std::string(info.status().message()));
  }
  return info;
}

const DtInfo::Node *DtInfo::FindPath(std::string_view path) const {
  for (const Node &node : nodes_) {
    if (node.path == path) {
      return &node;
    }
  }
  return nullptr;
}

const DtInfo::Node *DtInfo::FindLabel(std::string_view label) const {
  for (const Node &node : nodes_) {
    for (const std::string &l : node.labels) {
      if (l == label) {
        return &node;
      }
    }
  }
  return nullptr;
}

const DtInfo::Node *DtInfo::FindChosen(std::string_view name) const {
  auto it = chosen_.find(name);
  return it == chosen_.end() ? nullptr : FindPath(it->second);
}

const DtInfo::Node *DtInfo::FindAlias(std::string_view name) const {
  auto it = aliases_.find(name);
  return it == aliases_.end() ? nullptr : FindPath(it->second);
}

bool DtInfo::CompatEnabled(std::string_view compat) const {
  for (const Node &node : nodes_) {
    if (!node.okay) {
      continue;
    }
    for (const std::string &c : node.compatible) {
      if (c == compat) {
        return true;
      }
    }
  }
  return false;
}

std::optional<DtFunctionArity> DtFunctionArityOf(std::string_view name) {
  for (const FunctionEntry &entry : kFunctions) {
    if (name == entry.name) {
      return entry.arity;
    }
  }
  return std::nullopt;
}

std::string CallDtFunction(const DtInfo *dt, std::string_view name,
                           const std::vector<std::string> &args) {
  auto arg = [&](size_t i) -> std::string_view {
    return i < args.size() ? std::string_view(args[i]) : std::string_view();
  };
  auto okay = [](const DtInfo::Node *node) { return node != nullptr && node->okay; };

  if (name == "dt_compat_enabled") {
    return YesNo(dt != nullptr && dt->CompatEnabled(arg(0)));
  }
  if (name == "dt_chosen_enabled") {
    return YesNo(dt != nullptr && okay(dt->FindChosen(arg(0))));
  }
  if (name == "dt_nodelabel_enabled") {
    return YesNo(dt != nullptr && okay(dt->FindLabel(arg(0))));
  }
  if (name == "dt_path_enabled") {
    return YesNo(dt != nullptr && okay(dt->FindPath(arg(0))));
  }
  if (name == "dt_alias_enabled") {
    return YesNo(dt != nullptr && okay(dt->FindAlias(arg(0))));
  }
  if (name == "dt_nodelabel_has_prop" || name == "dt_node_has_prop") {
    if (dt == nullptr) {
      return "n";
    }
    const DtInfo::Node *node =
        name == "dt_node_has_prop" ? dt->FindPath(arg(0)) : dt->FindLabel(arg(0));
    return YesNo(node != nullptr && node->props.count(std::string(arg(1))) != 0);
  }
  const bool hex = EndsWith(name, "_hex");
  if (name.substr(0, 11) == "dt_node_int") {
    int64_t value = 0;
    if (dt != nullptr) {
      if (const DtInfo::Node *node = dt->FindPath(arg(0)); node != nullptr) {
        auto it = node->props.find(std::string(arg(1)));
        if (it != node->props.end() && it->second.has_value()) {
          value = *it->second >> UnitShift(args, 2);
        }
      }
    }
    return FormatNumber(value, hex);
  }
  if (name.substr(0, 10) == "dt_chosen_" || name.substr(0, 13) == "dt_nodelabel_") {
    const bool chosen = name.substr(0, 10) == "dt_chosen_";
    const bool size = name.find("_reg_size_") != std::string_view::npos;
    int64_t value = 0;
    if (dt != nullptr) {
      const DtInfo::Node *node = chosen ? dt->FindChosen(arg(0)) : dt->FindLabel(arg(0));
      int64_t index = IndexArg(args, 1);
      if (node != nullptr && index >= 0 && static_cast<size_t>(index) < node->reg.size()) {
        const auto &reg = node->reg[static_cast<size_t>(index)];
        value = static_cast<int64_t>(size ? reg.second : reg.first) >> UnitShift(args, 2);
      }
    }
    return FormatNumber(value, hex);
  }
  return "";
}

}  // namespace gale::kconfig
