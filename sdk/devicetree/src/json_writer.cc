// edt.json: the tree for the Kconfig engine's dt_* functions (format fixed in README.md).
#include <nlohmann/json.hpp>

#include "gale/devicetree/edt.h"

namespace gale::devicetree {
namespace {

nlohmann::json PropJson(const EdtProp &prop) {
  switch (prop.type) {
    case PropType::kBoolean:
      return prop.numbers.at(0) != 0;
    case PropType::kInt:
      return prop.numbers.at(0);
    case PropType::kArray:
    case PropType::kUint8Array:
      return prop.numbers;
    case PropType::kString:
      return prop.strings.at(0);
    case PropType::kStringArray:
      return prop.strings;
    case PropType::kPhandle:
    case PropType::kPath:
      return prop.phandles.at(0).target->path();
    case PropType::kPhandles: {
      nlohmann::json list = nlohmann::json::array();
      for (const PhandleEntry &e : prop.phandles) {
        list.push_back(e.target->path());
      }
      return list;
    }
    case PropType::kPhandleArray: {
      nlohmann::json list = nlohmann::json::array();
      for (const PhandleEntry &e : prop.phandles) {
        nlohmann::json entry = {
            {"controller", e.target ? nlohmann::json(e.target->path()) : nlohmann::json(nullptr)}};
        nlohmann::json cells = nlohmann::json::object();
        for (const auto &[name, value] : e.cells) {
          cells[name] = value;
        }
        entry["cells"] = cells;
        if (!e.name.empty()) {
          entry["name"] = e.name;
        }
        list.push_back(entry);
      }
      return list;
    }
    case PropType::kCompound:
      return prop.raw;
  }
  return nullptr;
}

}  // namespace

std::string WriteEdtJson(const Edt &edt) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto &node : edt.nodes()) {
    nlohmann::json reg = nlohmann::json::array();
    for (const Reg &r : node->regs) {
      nlohmann::json entry = nlohmann::json::array({r.address});
      if (r.size) {
        entry.push_back(*r.size);
      }
      reg.push_back(entry);
    }
    nlohmann::json irqs = nlohmann::json::array();
    for (const Irq &irq : node->irqs) {
      nlohmann::json cells = nlohmann::json::object();
      for (const auto &[name, value] : irq.cells) {
        cells[name] = value;
      }
      irqs.push_back({{"controller", irq.controller->path()}, {"cells", cells}});
    }
    nlohmann::json props = nlohmann::json::object();
    for (const EdtProp &prop : node->props) {
      props[prop.name] = PropJson(prop);
    }
    props["status"] = node->status;
    nodes.push_back({
        {"path", node->path()},
        {"labels", node->node->labels},
        {"compatible", node->compatibles},
        {"okay", node->okay},
        {"reg", reg},
        {"props", props},
        {"interrupts", irqs},
        {"ord", node->ord},
        {"binding", node->binding ? nlohmann::json(node->binding->file) : nlohmann::json()},
    });
  }
  nlohmann::json chosen = nlohmann::json::object();
  for (const auto &[name, node] : edt.chosen()) {
    chosen[name] = node->path();
  }
  nlohmann::json aliases = nlohmann::json::object();
  for (const auto &[name, node] : edt.aliases()) {
    aliases[name] = node->path();
  }
  nlohmann::json root = {{"nodes", nodes}, {"chosen", chosen}, {"aliases", aliases}};
  return root.dump(1) + "\n";
}

}  // namespace gale::devicetree
