#include "gale/devicetree/edt.h"

#include <algorithm>
#include <cctype>
#include <queue>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace gale::devicetree {
namespace {

// Properties whose meaning the generator handles itself (reg/interrupts become REG_/IRQ_
// macros), so they never produce plain property macros or generic type checks beyond shape.
bool IsStructural(absl::string_view name) {
  return name == "reg" || name == "interrupts" || name == "interrupts-extended" ||
         name == "ranges" || name == "dma-ranges";
}

std::vector<std::string> SplitStrings(const std::vector<uint8_t> &raw) {
  std::vector<std::string> out;
  std::string current;
  for (uint8_t byte : raw) {
    if (byte == 0) {
      out.push_back(current);
      current.clear();
    } else {
      current.push_back(static_cast<char>(byte));
    }
  }
  return out;
}

// True when `raw` is one or more NUL-terminated runs of printable text.
bool LooksLikeStrings(const std::vector<uint8_t> &raw) {
  if (raw.empty() || raw.back() != 0 || raw.front() == 0) {
    return false;
  }
  for (size_t i = 0; i < raw.size(); ++i) {
    uint8_t c = raw[i];
    if (c == 0) {
      if (i > 0 && raw[i - 1] == 0) {
        return false;
      }
      continue;
    }
    if (!std::isprint(c) && c != '\t') {
      return false;
    }
  }
  return true;
}

// How a DTS author would recognise the value they wrote.
std::string DescribeValue(const std::vector<uint8_t> &raw) {
  if (raw.empty()) {
    return "empty (a boolean flag)";
  }
  if (LooksLikeStrings(raw)) {
    auto strings = SplitStrings(raw);
    return absl::StrCat(strings.size() == 1 ? "the string " : "the strings ", "\"",
                        absl::StrJoin(strings, "\", \""), "\"");
  }
  if (raw.size() % 4 == 0) {
    std::vector<std::string> cells;
    for (size_t i = 0; i < raw.size() / 4; ++i) {
      cells.push_back(absl::StrFormat("0x%x", ReadCell(raw, i)));
    }
    return absl::StrCat(cells.size(), cells.size() == 1 ? " cell <" : " cells <",
                        absl::StrJoin(cells, " "), ">");
  }
  std::vector<std::string> bytes;
  for (uint8_t b : raw) {
    bytes.push_back(absl::StrFormat("%02x", b));
  }
  return absl::StrCat(raw.size(), " bytes [", absl::StrJoin(bytes, " "), "]");
}

absl::string_view ExpectedShape(PropType type) {
  switch (type) {
    case PropType::kInt:
      return "one 32-bit cell, e.g. <115200>";
    case PropType::kArray:
      return "32-bit cells, e.g. <1 2 3>";
    case PropType::kUint8Array:
      return "bytes, e.g. [01 02]";
    case PropType::kString:
      return "one string, e.g. \"okay\"";
    case PropType::kStringArray:
      return "strings, e.g. \"a\", \"b\"";
    case PropType::kBoolean:
      return "no value: present means true";
    case PropType::kPhandle:
      return "one node reference, e.g. <&gpio0>";
    case PropType::kPhandles:
      return "node references, e.g. <&a &b>";
    case PropType::kPhandleArray:
      return "references with specifier cells, e.g. <&gpio0 3 0>";
    case PropType::kPath:
      return "a node path or reference, e.g. &uart0";
    case PropType::kCompound:
      return "anything";
  }
  return "";
}

std::string SpecifierSpace(const PropSpec &spec) {
  if (!spec.specifier_space.empty()) {
    return spec.specifier_space;
  }
  absl::string_view name = spec.name;
  if (name == "gpios" || (name.size() > 6 && name.substr(name.size() - 6) == "-gpios")) {
    return "gpio";
  }
  if (!name.empty() && name.back() == 's') {
    name.remove_suffix(1);
  }
  return std::string(name);
}

uint32_t CellsProp(const Node &node, absl::string_view name, uint32_t fallback) {
  const Property *prop = node.FindProp(name);
  if (prop == nullptr || prop->value.size() != 4) {
    return fallback;
  }
  return ReadCell(prop->value, 0);
}

uint64_t ReadNumber(const std::vector<uint8_t> &raw, size_t first_cell, uint32_t cells) {
  uint64_t value = 0;
  for (uint32_t i = 0; i < cells; ++i) {
    value = (value << 32) | ReadCell(raw, first_cell + i);
  }
  return value;
}

Cells NameCells(const Binding *binding, absl::string_view space,
                const std::vector<uint32_t> &values) {
  const std::vector<std::string> *names = binding ? binding->FindCells(space) : nullptr;
  Cells out;
  for (size_t i = 0; i < values.size(); ++i) {
    std::string name;
    if (names != nullptr && names->size() == values.size()) {
      name = (*names)[i];
    } else if (i == 0 && space == "interrupt") {
      name = "irq";
    } else {
      name = absl::StrCat("cell", i);
    }
    out.emplace_back(std::move(name), values[i]);
  }
  return out;
}

bool ValueMatches(const BindingValue &expected, const EdtProp &prop) {
  if (const auto *i = std::get_if<int64_t>(&expected)) {
    return prop.numbers.size() == 1 && prop.numbers[0] == static_cast<uint64_t>(*i);
  }
  if (const auto *s = std::get_if<std::string>(&expected)) {
    return prop.strings.size() == 1 && prop.strings[0] == *s;
  }
  if (const auto *iv = std::get_if<std::vector<int64_t>>(&expected)) {
    if (iv->size() != prop.numbers.size()) {
      return false;
    }
    for (size_t k = 0; k < iv->size(); ++k) {
      if (prop.numbers[k] != static_cast<uint64_t>((*iv)[k])) {
        return false;
      }
    }
    return true;
  }
  const auto &sv = std::get<std::vector<std::string>>(expected);
  return sv == prop.strings;
}

}  // namespace

std::string Identifier(absl::string_view text) {
  std::string out(text);
  for (char &c : out) {
    auto u = static_cast<unsigned char>(c);
    c = std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_';
  }
  return out;
}

std::string NodeToken(absl::string_view path) {
  std::string token = "GDT_N";
  if (path == "/") {
    return token;
  }
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == absl::string_view::npos) {
      end = path.size();
    }
    absl::StrAppend(&token, "__", Identifier(path.substr(start, end - start)));
    start = end + 1;
  }
  return token;
}

const EdtProp *EdtNode::FindProp(absl::string_view name) const {
  for (const EdtProp &prop : props) {
    if (prop.name == name) {
      return &prop;
    }
  }
  return nullptr;
}

const EdtNode *Edt::Find(const Node *node) const {
  auto it = by_node_.find(node);
  return it == by_node_.end() ? nullptr : it->second;
}

const EdtNode *Edt::FindPath(absl::string_view path) const {
  const Node *node = tree_.FindPath(path);
  return node == nullptr ? nullptr : Find(node);
}

class EdtBuilder {
 public:
  EdtBuilder(Edt &edt, const BindingSet &bindings) : edt_(edt), bindings_(bindings) {}

  absl::Status Run() {
    for (const Node *node : edt_.tree_.nodes()) {
      auto edt_node = std::make_unique<EdtNode>();
      edt_node->node = node;
      if (node->parent != nullptr) {
        EdtNode *parent = const_cast<EdtNode *>(edt_.by_node_.at(node->parent));
        edt_node->parent = parent;
        parent->children.push_back(edt_node.get());
      }
      edt_.by_node_[node] = edt_node.get();
      edt_.nodes_.push_back(std::move(edt_node));
    }
    CheckTokens();
    for (auto &node : edt_.nodes_) {
      MatchBinding(*node);
    }
    for (auto &node : edt_.nodes_) {
      DecodeRegs(*node);
      DecodeProps(*node);
      DecodeIrqs(*node);
    }
    CollectPathMap("/chosen", edt_.chosen_);
    CollectPathMap("/aliases", edt_.aliases_);
    AssignOrdinals();
    CollectInstances();
    if (!errors_.empty()) {
      return absl::InvalidArgumentError(absl::StrJoin(errors_, "\n"));
    }
    return absl::OkStatus();
  }

 private:
  void Error(const EdtNode &node, absl::string_view message) {
    errors_.push_back(absl::StrCat(node.path(), ": ", message));
  }

  void CheckTokens() {
    std::map<std::string, const EdtNode *> seen;
    for (const auto &node : edt_.nodes_) {
      auto [it, inserted] = seen.emplace(NodeToken(node->path()), node.get());
      if (!inserted) {
        Error(*node, absl::StrCat("its C identifier ", it->first, " is the same as that of ",
                                  it->second->path(), "; rename one of the two nodes"));
      }
    }
  }

  void MatchBinding(EdtNode &node) {
    const Node &raw = *node.node;
    if (const Property *status = raw.FindProp("status")) {
      auto strings = SplitStrings(status->value);
      node.status = strings.empty() ? "" : strings[0];
      if (node.status == "ok") {
        node.status = "okay";
      }
    } else {
      node.status = "okay";
    }
    node.okay = node.status == "okay";
    if (const Property *compat = raw.FindProp("compatible")) {
      node.compatibles = SplitStrings(compat->value);
    }
    absl::string_view parent_bus;
    if (node.parent != nullptr && node.parent->binding != nullptr &&
        !node.parent->binding->buses.empty()) {
      parent_bus = node.parent->binding->buses.front();
    }
    for (const std::string &compat : node.compatibles) {
      if (const Binding *binding = bindings_.Find(compat, parent_bus)) {
        node.binding = binding;
        return;
      }
    }
    if (node.parent != nullptr && node.parent->binding != nullptr &&
        node.parent->binding->child_binding != nullptr) {
      node.binding = node.parent->binding->child_binding.get();
      return;
    }
    // The root's compatible names the board, which needs no binding.
    if (!node.compatibles.empty() && node.okay && node.parent != nullptr) {
      std::string file = node.compatibles.front() + ".yaml";
      if (node.compatibles.size() == 1) {
        Error(node, absl::StrCat("no binding for compatible \"", node.compatibles.front(),
                                 "\"; add one (e.g. dts/bindings/<class>/", file,
                                 ") under dts/bindings/ or an application's dts/bindings/, "
                                 "or set status = \"disabled\""));
      } else {
        Error(node, absl::StrCat("no binding for any of its compatibles \"",
                                 absl::StrJoin(node.compatibles, "\", \""),
                                 "\"; add one (e.g. dts/bindings/<class>/", file,
                                 ") under dts/bindings/ or an application's dts/bindings/, "
                                 "or set status = \"disabled\""));
      }
    }
  }

  // Maps an address in `bus`'s child address space up to the CPU's, through `ranges`.
  uint64_t Translate(const EdtNode *bus, uint64_t address) {
    while (bus != nullptr && bus->parent != nullptr) {
      const Property *ranges = bus->node->FindProp("ranges");
      if (ranges == nullptr) {
        break;
      }
      if (!ranges->value.empty()) {
        uint32_t child_cells = CellsProp(*bus->node, "#address-cells", 2);
        uint32_t size_cells = CellsProp(*bus->node, "#size-cells", 1);
        uint32_t parent_cells = CellsProp(*bus->parent->node, "#address-cells", 2);
        uint32_t entry = child_cells + parent_cells + size_cells;
        size_t total = ranges->value.size() / 4;
        if (entry == 0 || ranges->value.size() % 4 != 0 || total % entry != 0) {
          break;
        }
        for (size_t i = 0; i < total; i += entry) {
          uint64_t child = ReadNumber(ranges->value, i, child_cells);
          uint64_t parent = ReadNumber(ranges->value, i + child_cells, parent_cells);
          uint64_t size = ReadNumber(ranges->value, i + child_cells + parent_cells, size_cells);
          if (address >= child && address - child < size) {
            address = parent + (address - child);
            break;
          }
        }
      }
      bus = bus->parent;
    }
    return address;
  }

  void DecodeRegs(EdtNode &node) {
    const Property *reg = node.node->FindProp("reg");
    if (reg == nullptr || node.parent == nullptr) {
      return;
    }
    uint32_t address_cells = CellsProp(*node.parent->node, "#address-cells", 2);
    uint32_t size_cells = CellsProp(*node.parent->node, "#size-cells", 1);
    uint32_t entry = address_cells + size_cells;
    if (entry == 0 || reg->value.size() % 4 != 0 || (reg->value.size() / 4) % entry != 0) {
      Error(node, absl::StrCat("property 'reg' is ", DescribeValue(reg->value),
                               ", which is not a whole number of <address size> entries of ",
                               address_cells, "+", size_cells,
                               " cells (the parent's #address-cells and #size-cells)"));
      return;
    }
    std::vector<std::string> names;
    if (const Property *reg_names = node.node->FindProp("reg-names")) {
      names = SplitStrings(reg_names->value);
    }
    for (size_t i = 0; i < reg->value.size() / 4; i += entry) {
      Reg r;
      r.address = Translate(node.parent, ReadNumber(reg->value, i, address_cells));
      if (size_cells > 0) {
        r.size = ReadNumber(reg->value, i + address_cells, size_cells);
      }
      size_t index = node.regs.size();
      if (index < names.size()) {
        r.name = names[index];
      }
      node.regs.push_back(std::move(r));
    }
  }

  const EdtNode *InterruptParent(const EdtNode &node) {
    for (const EdtNode *n = &node; n != nullptr; n = n->parent) {
      if (const Property *ip = n->node->FindProp("interrupt-parent")) {
        if (ip->value.size() != 4) {
          return nullptr;
        }
        const Node *target = edt_.tree_.FindPhandle(ReadCell(ip->value, 0));
        return target == nullptr ? nullptr : edt_.Find(target);
      }
    }
    return nullptr;
  }

  void DecodeIrqs(EdtNode &node) {
    std::vector<std::string> names;
    if (const Property *irq_names = node.node->FindProp("interrupt-names")) {
      names = SplitStrings(irq_names->value);
    }
    auto add = [&](const EdtNode *controller, std::vector<uint32_t> values) {
      Irq irq;
      irq.controller = controller;
      irq.cells = NameCells(controller->binding, "interrupt", values);
      if (node.irqs.size() < names.size()) {
        irq.name = names[node.irqs.size()];
      }
      node.irqs.push_back(std::move(irq));
    };
    if (const Property *ext = node.node->FindProp("interrupts-extended")) {
      size_t total = ext->value.size() / 4;
      for (size_t i = 0; i < total;) {
        const Node *target = edt_.tree_.FindPhandle(ReadCell(ext->value, i));
        if (target == nullptr) {
          Error(node, "property 'interrupts-extended' refers to a phandle that names no node");
          return;
        }
        const EdtNode *controller = edt_.Find(target);
        uint32_t cells = CellsProp(*target, "#interrupt-cells", 1);
        if (i + 1 + cells > total) {
          Error(node, absl::StrCat("property 'interrupts-extended' is truncated: ", target->path,
                                   " has #interrupt-cells = <", cells, ">"));
          return;
        }
        std::vector<uint32_t> values;
        for (uint32_t k = 0; k < cells; ++k) {
          values.push_back(ReadCell(ext->value, i + 1 + k));
        }
        add(controller, std::move(values));
        i += 1 + cells;
      }
      return;
    }
    const Property *interrupts = node.node->FindProp("interrupts");
    if (interrupts == nullptr) {
      return;
    }
    const EdtNode *controller = InterruptParent(node);
    if (controller == nullptr) {
      Error(node,
            "has 'interrupts' but no interrupt controller: set interrupt-parent on it "
            "or on an ancestor (e.g. interrupt-parent = <&nvic>;)");
      return;
    }
    const Property *cells_prop = controller->node->FindProp("#interrupt-cells");
    if (cells_prop == nullptr || cells_prop->value.size() != 4) {
      Error(node, absl::StrCat("its interrupt controller ", controller->path(),
                               " has no #interrupt-cells"));
      return;
    }
    uint32_t cells = ReadCell(cells_prop->value, 0);
    size_t total = interrupts->value.size() / 4;
    if (cells == 0 || interrupts->value.size() % 4 != 0 || total % cells != 0) {
      Error(node, absl::StrCat("property 'interrupts' is ", DescribeValue(interrupts->value),
                               ", not a whole number of ", cells, "-cell specifiers (",
                               controller->path(), " has #interrupt-cells = <", cells, ">)"));
      return;
    }
    for (size_t i = 0; i < total; i += cells) {
      std::vector<uint32_t> values;
      for (uint32_t k = 0; k < cells; ++k) {
        values.push_back(ReadCell(interrupts->value, i + k));
      }
      add(controller, std::move(values));
    }
  }

  const EdtNode *PhandleTarget(const EdtNode &node, const std::string &prop, uint32_t phandle) {
    const Node *target = edt_.tree_.FindPhandle(phandle);
    if (target == nullptr) {
      Error(node, absl::StrFormat("property '%s' refers to phandle 0x%x, which names no node", prop,
                                  phandle));
      return nullptr;
    }
    return edt_.Find(target);
  }

  // Decodes `raw` as `spec.type`; false (with an error recorded) when it does not fit.
  bool Decode(const EdtNode &node, const PropSpec &spec, const std::vector<uint8_t> &raw,
              EdtProp &out) {
    auto type_error = [&]() {
      Error(node,
            absl::StrCat("property '", spec.name, "' should be of type ", PropTypeName(spec.type),
                         " (", ExpectedShape(spec.type), ") per binding ", node.binding->file,
                         ", but it is ", DescribeValue(raw)));
      return false;
    };
    switch (spec.type) {
      case PropType::kBoolean:
        if (!raw.empty()) {
          return type_error();
        }
        out.numbers = {1};
        return true;
      case PropType::kInt:
        if (raw.size() != 4) {
          return type_error();
        }
        out.numbers = {ReadCell(raw, 0)};
        return true;
      case PropType::kArray:
        if (raw.size() % 4 != 0) {
          return type_error();
        }
        for (size_t i = 0; i < raw.size() / 4; ++i) {
          out.numbers.push_back(ReadCell(raw, i));
        }
        return true;
      case PropType::kUint8Array:
        out.numbers.assign(raw.begin(), raw.end());
        return true;
      case PropType::kString:
        if (!LooksLikeStrings(raw) || SplitStrings(raw).size() != 1) {
          // An empty string is still a string.
          if (!(raw.size() == 1 && raw[0] == 0)) {
            return type_error();
          }
        }
        out.strings = SplitStrings(raw);
        return true;
      case PropType::kStringArray:
        if (!LooksLikeStrings(raw) && !(raw.size() == 1 && raw[0] == 0)) {
          return type_error();
        }
        out.strings = SplitStrings(raw);
        return true;
      case PropType::kPhandle:
      case PropType::kPhandles:
        if (raw.size() % 4 != 0 || raw.empty() ||
            (spec.type == PropType::kPhandle && raw.size() != 4)) {
          return type_error();
        }
        for (size_t i = 0; i < raw.size() / 4; ++i) {
          const EdtNode *target = PhandleTarget(node, spec.name, ReadCell(raw, i));
          if (target == nullptr) {
            return false;
          }
          out.phandles.push_back(PhandleEntry{target, {}, {}});
        }
        return true;
      case PropType::kPhandleArray: {
        if (raw.size() % 4 != 0 || raw.empty()) {
          return type_error();
        }
        const std::string space = SpecifierSpace(spec);
        const std::string cells_name = absl::StrCat("#", space, "-cells");
        size_t total = raw.size() / 4;
        for (size_t i = 0; i < total;) {
          uint32_t phandle = ReadCell(raw, i);
          if (phandle == 0) {
            out.phandles.push_back(PhandleEntry{});
            ++i;
            continue;
          }
          const EdtNode *target = PhandleTarget(node, spec.name, phandle);
          if (target == nullptr) {
            return false;
          }
          const Property *cells_prop = target->node->FindProp(cells_name);
          if (cells_prop == nullptr || cells_prop->value.size() != 4) {
            Error(node, absl::StrCat("property '", spec.name, "' refers to ", target->path(),
                                     ", which has no ", cells_name, " property"));
            return false;
          }
          uint32_t cells = ReadCell(cells_prop->value, 0);
          if (i + 1 + cells > total) {
            Error(node, absl::StrCat("property '", spec.name, "' ends early: ", target->path(),
                                     " needs ", cells, " specifier cells (", cells_name, ")"));
            return false;
          }
          std::vector<uint32_t> values;
          for (uint32_t k = 0; k < cells; ++k) {
            values.push_back(ReadCell(raw, i + 1 + k));
          }
          out.phandles.push_back(
              PhandleEntry{target, NameCells(target->binding, space, values), {}});
          i += 1 + cells;
        }
        std::string names_prop = spec.name;
        if (!names_prop.empty() && names_prop.back() == 's') {
          names_prop.pop_back();
        }
        if (const Property *names = node.node->FindProp(names_prop + "-names")) {
          auto list = SplitStrings(names->value);
          for (size_t k = 0; k < list.size() && k < out.phandles.size(); ++k) {
            out.phandles[k].name = list[k];
          }
        }
        return true;
      }
      case PropType::kPath: {
        if (!LooksLikeStrings(raw) || SplitStrings(raw).size() != 1) {
          return type_error();
        }
        std::string path = SplitStrings(raw)[0];
        const EdtNode *target = edt_.FindPath(path);
        if (target == nullptr) {
          Error(node, absl::StrCat("property '", spec.name, "' is the path \"", path,
                                   "\", which names no node"));
          return false;
        }
        out.phandles.push_back(PhandleEntry{target, {}, {}});
        out.strings = {path};
        return true;
      }
      case PropType::kCompound:
        out.raw = raw;
        return true;
    }
    return false;
  }

  void CheckValue(const EdtNode &node, const PropSpec &spec, EdtProp &prop) {
    if (!spec.enum_values.empty()) {
      bool single = prop.numbers.size() + prop.strings.size() == 1;
      if (single) {
        for (size_t i = 0; i < spec.enum_values.size(); ++i) {
          if (ValueMatches(spec.enum_values[i], prop)) {
            prop.enum_index = i;
          }
        }
      }
      if (!prop.enum_index &&
          (single || spec.type == PropType::kStringArray || spec.type == PropType::kArray)) {
        // Arrays: every element must be an allowed value.
        bool all_ok = !single;
        if (!single) {
          for (const std::string &s : prop.strings) {
            EdtProp one;
            one.strings = {s};
            all_ok = all_ok && std::any_of(spec.enum_values.begin(), spec.enum_values.end(),
                                           [&](const auto &v) { return ValueMatches(v, one); });
          }
          for (uint64_t n : prop.numbers) {
            EdtProp one;
            one.numbers = {n};
            all_ok = all_ok && std::any_of(spec.enum_values.begin(), spec.enum_values.end(),
                                           [&](const auto &v) { return ValueMatches(v, one); });
          }
        }
        if (!all_ok) {
          std::vector<std::string> allowed;
          for (const auto &v : spec.enum_values) {
            allowed.push_back(BindingValueToString(v));
          }
          std::string value = prop.strings.empty()
                                  ? absl::StrJoin(prop.numbers, " ")
                                  : absl::StrCat("\"", absl::StrJoin(prop.strings, "\", \""), "\"");
          Error(node, absl::StrCat("property '", spec.name, "' has value ", value,
                                   ", which is not one of the values allowed by binding ",
                                   node.binding->file, ": ", absl::StrJoin(allowed, ", ")));
        }
      }
    }
    if (spec.const_value && !ValueMatches(*spec.const_value, prop)) {
      Error(node, absl::StrCat("property '", spec.name, "' must be ",
                               BindingValueToString(*spec.const_value), " (const in binding ",
                               node.binding->file, ")"));
    }
  }

  static std::vector<uint8_t> EncodeDefault(const PropSpec &spec, const BindingValue &value) {
    std::vector<uint8_t> raw;
    auto cell = [&](uint64_t v) {
      for (int shift = 24; shift >= 0; shift -= 8) {
        raw.push_back(static_cast<uint8_t>(v >> shift));
      }
    };
    auto str = [&](const std::string &s) {
      raw.insert(raw.end(), s.begin(), s.end());
      raw.push_back(0);
    };
    if (const auto *i = std::get_if<int64_t>(&value)) {
      if (spec.type == PropType::kUint8Array) {
        raw.push_back(static_cast<uint8_t>(*i));
      } else {
        cell(static_cast<uint64_t>(*i));
      }
    } else if (const auto *s = std::get_if<std::string>(&value)) {
      str(*s);
    } else if (const auto *iv = std::get_if<std::vector<int64_t>>(&value)) {
      for (int64_t v : *iv) {
        if (spec.type == PropType::kUint8Array) {
          raw.push_back(static_cast<uint8_t>(v));
        } else {
          cell(static_cast<uint64_t>(v));
        }
      }
    } else {
      for (const std::string &s : std::get<std::vector<std::string>>(value)) {
        str(s);
      }
    }
    return raw;
  }

  void DecodeProps(EdtNode &node) {
    if (node.binding == nullptr) {
      return;
    }
    std::set<std::string> present;
    for (const Property &raw : node.node->props) {
      const PropSpec *spec = node.binding->FindProp(raw.name);
      if (spec == nullptr) {
        continue;
      }
      present.insert(raw.name);
      if (IsStructural(raw.name)) {
        continue;  // Decoded by DecodeRegs/DecodeIrqs.
      }
      EdtProp prop;
      prop.name = raw.name;
      prop.type = spec->type;
      if (!Decode(node, *spec, raw.value, prop)) {
        continue;
      }
      CheckValue(node, *spec, prop);
      node.props.push_back(std::move(prop));
    }
    for (const auto &[name, spec] : node.binding->properties) {
      if (present.count(name) != 0 || IsStructural(name)) {
        if (present.count(name) == 0 && spec.required && node.okay) {
          Error(node, absl::StrCat("missing required property '", name, "' (required by binding ",
                                   node.binding->file, ")"));
        }
        continue;
      }
      if (spec.type == PropType::kBoolean) {
        EdtProp prop;
        prop.name = name;
        prop.type = spec.type;
        prop.numbers = {0};
        node.props.push_back(std::move(prop));
        continue;
      }
      if (spec.default_value) {
        EdtProp prop;
        prop.name = name;
        prop.type = spec.type;
        prop.from_default = true;
        if (Decode(node, spec, EncodeDefault(spec, *spec.default_value), prop)) {
          CheckValue(node, spec, prop);
          node.props.push_back(std::move(prop));
        }
        continue;
      }
      if (spec.required && node.okay) {
        Error(node, absl::StrCat("missing required property '", name, "' (required by binding ",
                                 node.binding->file, ")"));
      }
    }
  }

  void CollectPathMap(absl::string_view path,
                      std::vector<std::pair<std::string, const EdtNode *>> &out) {
    const Node *holder = edt_.tree_.FindPath(path);
    if (holder == nullptr) {
      return;
    }
    for (const Property &prop : holder->props) {
      if (!LooksLikeStrings(prop.value)) {
        continue;
      }
      auto strings = SplitStrings(prop.value);
      if (strings.size() != 1) {
        continue;
      }
      // `stdout-path` may carry options after ':'.
      std::string target = strings[0].substr(0, strings[0].find(':'));
      if (const EdtNode *node = edt_.FindPath(target)) {
        out.emplace_back(prop.name, node);
      }
    }
  }

  void AssignOrdinals() {
    const size_t n = edt_.nodes_.size();
    std::map<const EdtNode *, size_t> index;
    for (size_t i = 0; i < n; ++i) {
      index[edt_.nodes_[i].get()] = i;
    }
    std::vector<std::set<size_t>> users(n);  // Edges: dependency -> dependant.
    std::vector<size_t> pending(n, 0);
    auto depend = [&](const EdtNode *on, const EdtNode *user) {
      if (on == nullptr || on == user) {
        return;
      }
      size_t a = index.at(on);
      size_t b = index.at(user);
      if (users[a].insert(b).second) {
        ++pending[b];
      }
    };
    for (const auto &node : edt_.nodes_) {
      depend(node->parent, node.get());
      for (const EdtProp &prop : node->props) {
        for (const PhandleEntry &entry : prop.phandles) {
          depend(entry.target, node.get());
        }
      }
      for (const Irq &irq : node->irqs) {
        depend(irq.controller, node.get());
      }
    }
    // Kahn's algorithm, ties broken by tree order. A cycle (a node referring to its own
    // descendant, say) is broken at the earliest node whose parent is already placed, so that
    // parents still always precede children.
    std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
    std::vector<bool> placed(n, false);
    for (size_t i = 0; i < n; ++i) {
      if (pending[i] == 0) {
        ready.push(i);
      }
    }
    int ord = 0;
    while (edt_.by_ord_.size() < n) {
      size_t next = n;
      while (!ready.empty() && next == n) {
        if (!placed[ready.top()]) {
          next = ready.top();
        }
        ready.pop();
      }
      if (next == n) {
        for (size_t i = 0; i < n; ++i) {
          const EdtNode *parent = edt_.nodes_[i]->parent;
          if (!placed[i] && (parent == nullptr || placed[index.at(parent)])) {
            next = i;
            break;
          }
        }
      }
      placed[next] = true;
      edt_.nodes_[next]->ord = ord++;
      edt_.by_ord_.push_back(edt_.nodes_[next].get());
      for (size_t user : users[next]) {
        if (--pending[user] == 0 && !placed[user]) {
          ready.push(user);
        }
      }
    }
  }

  void CollectInstances() {
    for (const EdtNode *node : edt_.by_ord_) {
      for (const std::string &compat : node->compatibles) {
        edt_.instances_[compat].push_back(node);
      }
    }
    for (auto &[compat, list] : edt_.instances_) {
      std::stable_partition(list.begin(), list.end(), [](const EdtNode *n) { return n->okay; });
    }
  }

  Edt &edt_;
  const BindingSet &bindings_;
  std::vector<std::string> errors_;
};

absl::StatusOr<std::unique_ptr<Edt>> Edt::Build(Tree tree, const BindingSet &bindings) {
  std::unique_ptr<Edt> edt(new Edt(std::move(tree)));
  EdtBuilder builder(*edt, bindings);
  if (absl::Status status = builder.Run(); !status.ok()) {
    return status;
  }
  return edt;
}

}  // namespace gale::devicetree
