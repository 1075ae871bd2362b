// Output writers: .config and autoconf.h in Kconfiglib's exact format, and config.json.
#include <algorithm>

#include "gale/kconfig/kconfig.h"
#include "model.h"
#include "nlohmann/json.hpp"

namespace gale::kconfig {
namespace {

constexpr char kPrefix[] = "CONFIG_";

std::string Escape(const std::string &value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

std::string ConfigString(Model &m, Symbol *sym) {
  if (!WriteToConf(m, sym)) {
    return "";
  }
  const std::string &val = SymStr(m, sym);
  switch (sym->type) {
    case Type::kBool:
    case Type::kTristate:
      if (val == "n") {
        return "# " + std::string(kPrefix) + sym->name + " is not set\n";
      }
      return kPrefix + sym->name + "=" + val + "\n";
    case Type::kInt:
    case Type::kHex:
      return kPrefix + sym->name + "=" + val + "\n";
    case Type::kString:
      return kPrefix + sym->name + "=\"" + Escape(val) + "\"\n";
    case Type::kUnknown:
      break;
  }
  return "";
}

struct ConfigWriter {
  Model &m;
  std::string out;
  bool after_end_comment = false;
  std::vector<bool> visited;

  void Walk(MenuNode *parent) {
    for (MenuNode *node = parent->list; node != nullptr; node = node->next) {
      if (node->kind == MenuNode::Kind::kSymbol) {
        Symbol *sym = node->item;
        if (!visited[static_cast<size_t>(sym->index)]) {
          visited[static_cast<size_t>(sym->index)] = true;
          std::string line = ConfigString(m, sym);
          if (!line.empty()) {
            if (after_end_comment) {
              after_end_comment = false;
              out += "\n";
            }
            out += line;
          }
        }
      } else if ((node->kind == MenuNode::Kind::kMenu || node->kind == MenuNode::Kind::kComment) &&
                 EvalExpr(m, node->dep) != kN &&
                 (node->kind == MenuNode::Kind::kComment || EvalExpr(m, node->visible_if) != kN)) {
        out += "\n#\n# " + *node->prompt + "\n#\n";
        after_end_comment = false;
      }
      if (node->list != nullptr) {
        Walk(node);
        // A visible menu with entries gets a closing comment.
        if (node->kind == MenuNode::Kind::kMenu && EvalExpr(m, node->dep) != kN &&
            EvalExpr(m, node->visible_if) != kN) {
          out += "# end of " + *node->prompt + "\n";
          after_end_comment = true;
        }
      }
    }
  }
};

using Json = nlohmann::ordered_json;

Json Loc(const Location &loc) {
  return Json{{"file", loc.file}, {"line", loc.line}};
}

std::string TriStr(Tri t) {
  return t == kN ? "n" : (t == kM ? "m" : "y");
}

std::string ChoiceId(const Model &m, const Symbol *choice) {
  if (!choice->name.empty()) {
    return choice->name;
  }
  auto it = std::find(m.choices.begin(), m.choices.end(), choice);
  return "<choice " + std::to_string(it - m.choices.begin()) + ">";
}

Json MenuPath(const MenuNode *node) {
  std::vector<std::string> titles;
  for (const MenuNode *p = node->parent; p != nullptr && p->kind != MenuNode::Kind::kRoot;
       p = p->parent) {
    if (p->prompt.has_value()) {
      titles.push_back(*p->prompt);
    }
  }
  std::reverse(titles.begin(), titles.end());
  return titles;
}

Json Prompts(Model &m, const Symbol *sym) {
  Json prompts = Json::array();
  for (const MenuNode *node : sym->nodes) {
    if (node->prompt.has_value()) {
      prompts.push_back(Json{{"text", *node->prompt},
                             {"condition", ExprToString(node->prompt_cond)},
                             {"visible", EvalExpr(m, node->prompt_cond) != kN}});
    }
  }
  return prompts;
}

Json Help(const Symbol *sym) {
  std::string help;
  for (const MenuNode *node : sym->nodes) {
    if (!node->help.empty()) {
      if (!help.empty()) {
        help += "\n";
      }
      help += node->help;
    }
  }
  return help;
}

Json Defaults(Model &m, const Symbol *sym) {
  Json defaults = Json::array();
  for (const Default &d : sym->defaults) {
    defaults.push_back(Json{{"value", ExprToString(d.value)},
                            {"condition", ExprToString(d.cond)},
                            {"active", EvalExpr(m, d.cond) != kN},
                            {"defined_at", Loc(d.loc)}});
  }
  return defaults;
}

Json NodeJson(Model &m, const MenuNode *node) {
  Json j;
  switch (node->kind) {
    case MenuNode::Kind::kRoot:
      j["kind"] = "root";
      break;
    case MenuNode::Kind::kSymbol:
      j["kind"] = node->is_menuconfig ? "menuconfig" : "config";
      j["symbol"] = node->item->name;
      break;
    case MenuNode::Kind::kChoice:
      j["kind"] = "choice";
      j["choice"] = ChoiceId(m, node->item);
      break;
    case MenuNode::Kind::kMenu:
      j["kind"] = "menu";
      break;
    case MenuNode::Kind::kComment:
      j["kind"] = "comment";
      break;
    case MenuNode::Kind::kIf:
      j["kind"] = "if";
      break;
  }
  if (node->prompt.has_value()) {
    j["prompt"] = *node->prompt;
  }
  j["visible"] = node->kind == MenuNode::Kind::kRoot ||
                 (node->prompt.has_value() && EvalExpr(m, node->prompt_cond) != kN &&
                  (node->kind != MenuNode::Kind::kMenu || EvalExpr(m, node->visible_if) != kN));
  j["defined_at"] = Loc(node->loc);
  Json children = Json::array();
  for (const MenuNode *c = node->list; c != nullptr; c = c->next) {
    children.push_back(NodeJson(m, c));
  }
  if (!children.empty()) {
    j["children"] = std::move(children);
  }
  return j;
}

}  // namespace

std::string RenderConfig(Model &m, const std::string &header) {
  ConfigWriter writer{m, header, false, std::vector<bool>(m.defined.size(), false)};
  writer.Walk(m.root);
  return writer.out;
}

std::string RenderAutoconf(Model &m, const std::string &header) {
  std::string out = header;
  for (Symbol *sym : m.defined) {
    if (!WriteToConf(m, sym)) {
      continue;
    }
    const std::string &val = SymStr(m, sym);
    switch (sym->type) {
      case Type::kBool:
      case Type::kTristate:
        if (val == "y") {
          out += "#define " + std::string(kPrefix) + sym->name + " 1\n";
        } else if (val == "m") {
          out += "#define " + std::string(kPrefix) + sym->name + "_MODULE 1\n";
        }
        break;
      case Type::kString:
        out += "#define " + std::string(kPrefix) + sym->name + " \"" + Escape(val) + "\"\n";
        break;
      case Type::kInt:
        out += "#define " + std::string(kPrefix) + sym->name + " " + val + "\n";
        break;
      case Type::kHex:
        out += "#define " + std::string(kPrefix) + sym->name + " " +
               (val.rfind("0x", 0) == 0 || val.rfind("0X", 0) == 0 ? val : "0x" + val) + "\n";
        break;
      case Type::kUnknown:
        break;
    }
  }
  return out;
}

std::string RenderJson(Model &m) {
  Json doc;
  doc["format"] = "gale-kconfig-1";
  doc["mainmenu"] = m.mainmenu;
  Json symbols = Json::array();
  for (Symbol *sym : m.defined) {
    Json j;
    j["name"] = sym->name;
    j["type"] = TypeName(sym->type);
    j["value"] = SymStr(m, sym);
    j["written"] = WriteToConf(m, sym);
    if (sym->requested.has_value()) {
      j["user_value"] = Json{
          {"value", *sym->requested}, {"file", sym->user_loc.file}, {"line", sym->user_loc.line}};
    } else {
      j["user_value"] = nullptr;
    }
    j["prompts"] = Prompts(m, sym);
    j["help"] = Help(sym);
    Json defined_at = Json::array();
    for (const MenuNode *node : sym->nodes) {
      defined_at.push_back(Loc(node->loc));
    }
    j["defined_at"] = std::move(defined_at);
    j["visibility"] = TriStr(Visibility(m, sym));
    j["direct_dependencies"] = ExprToString(sym->direct_dep);
    j["direct_dependencies_value"] = TriStr(EvalExpr(m, sym->direct_dep));
    Json selected_by = Json::array();
    for (const Symbol *by : sym->selected_by) {
      selected_by.push_back(by->name);
    }
    j["selected_by"] = std::move(selected_by);
    Json implied_by = Json::array();
    for (const Symbol *by : sym->implied_by) {
      implied_by.push_back(by->name);
    }
    j["implied_by"] = std::move(implied_by);
    Json ranges = Json::array();
    for (const Range &r : sym->ranges) {
      ranges.push_back(Json{{"low", SymStr(m, r.low)},
                            {"high", SymStr(m, r.high)},
                            {"condition", ExprToString(r.cond)},
                            {"active", EvalExpr(m, r.cond) != kN}});
    }
    j["ranges"] = std::move(ranges);
    j["defaults"] = Defaults(m, sym);
    j["menu_path"] = MenuPath(sym->nodes.front());
    j["choice"] = sym->choice != nullptr ? Json(ChoiceId(m, sym->choice)) : Json(nullptr);
    symbols.push_back(std::move(j));
  }
  doc["symbols"] = std::move(symbols);
  Json choices = Json::array();
  for (Symbol *choice : m.choices) {
    Json j;
    j["id"] = ChoiceId(m, choice);
    j["type"] = TypeName(choice->type);
    j["optional"] = choice->optional;
    j["value"] = TriStr(SymTri(m, choice));
    Symbol *selection = ChoiceSelection(m, choice);
    j["selection"] = selection != nullptr ? Json(selection->name) : Json(nullptr);
    j["user_selection"] =
        choice->user_selection != nullptr ? Json(choice->user_selection->name) : Json(nullptr);
    Json members = Json::array();
    for (const Symbol *member : choice->members) {
      members.push_back(member->name);
    }
    j["members"] = std::move(members);
    j["prompts"] = Prompts(m, choice);
    j["help"] = Help(choice);
    Json defined_at = Json::array();
    for (const MenuNode *node : choice->nodes) {
      defined_at.push_back(Loc(node->loc));
    }
    j["defined_at"] = std::move(defined_at);
    j["visibility"] = TriStr(Visibility(m, choice));
    j["direct_dependencies"] = ExprToString(choice->direct_dep);
    j["defaults"] = Defaults(m, choice);
    j["menu_path"] = MenuPath(choice->nodes.front());
    choices.push_back(std::move(j));
  }
  doc["choices"] = std::move(choices);
  doc["menu"] = NodeJson(m, m.root);
  return doc.dump(2) + "\n";
}

}  // namespace gale::kconfig
