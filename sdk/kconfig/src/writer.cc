// Output writers: .config and autoconf.h in Kconfiglib's exact format, and config.json.
#include <algorithm>

#include "gale/kconfig/kconfig.h"
#include "model.h"

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

// A small streaming JSON writer: config.json can be large and building a DOM first costs more
// than computing the configuration.
class JsonOut {
 public:
  explicit JsonOut(size_t reserve) { out_.reserve(reserve); }
  std::string &str() { return out_; }

  JsonOut &BeginObject() {
    Separator();
    out_ += '{';
    first_.push_back(true);
    return *this;
  }
  JsonOut &EndObject() {
    out_ += '}';
    first_.pop_back();
    return *this;
  }
  JsonOut &BeginArray() {
    Separator();
    out_ += '[';
    first_.push_back(true);
    return *this;
  }
  JsonOut &EndArray() {
    out_ += ']';
    first_.pop_back();
    return *this;
  }
  JsonOut &Key(std::string_view key) {
    Separator();
    Quoted(key);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  JsonOut &String(std::string_view value) {
    Separator();
    Quoted(value);
    return *this;
  }
  JsonOut &Bool(bool value) {
    Separator();
    out_ += value ? "true" : "false";
    return *this;
  }
  JsonOut &Int(int64_t value) {
    Separator();
    out_ += std::to_string(value);
    return *this;
  }
  JsonOut &Null() {
    Separator();
    out_ += "null";
    return *this;
  }
  JsonOut &Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonOut &Field(std::string_view key, const char *value) { return Key(key).String(value); }
  JsonOut &Field(std::string_view key, const std::string &value) { return Key(key).String(value); }
  JsonOut &Field(std::string_view key, bool value) { return Key(key).Bool(value); }
  JsonOut &Field(std::string_view key, int value) { return Key(key).Int(value); }

 private:
  void Separator() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) {
        out_ += ',';
      }
      first_.back() = false;
    }
  }
  void Quoted(std::string_view text) {
    static const char kHex[] = "0123456789abcdef";
    out_ += '"';
    size_t run = 0;  // start of the pending run of characters that need no escaping
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) {
        continue;
      }
      out_.append(text.substr(run, i - run));
      run = i + 1;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default:
          out_ += "\\u00";
          out_ += kHex[(c >> 4) & 0xf];
          out_ += kHex[c & 0xf];
      }
    }
    out_.append(text.substr(run));
    out_ += '"';
  }

  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

void Loc(JsonOut &j, const Location &loc) {
  j.BeginObject().Field("file", loc.file).Field("line", loc.line).EndObject();
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

void MenuPath(JsonOut &j, const MenuNode *node) {
  std::vector<const std::string *> titles;
  for (const MenuNode *p = node->parent; p != nullptr && p->kind != MenuNode::Kind::kRoot;
       p = p->parent) {
    if (p->prompt.has_value()) {
      titles.push_back(&*p->prompt);
    }
  }
  j.BeginArray();
  for (auto it = titles.rbegin(); it != titles.rend(); ++it) {
    j.String(**it);
  }
  j.EndArray();
}

void Prompts(JsonOut &j, Model &m, const Symbol *sym) {
  j.BeginArray();
  for (const MenuNode *node : sym->nodes) {
    if (node->prompt.has_value()) {
      j.BeginObject()
          .Field("text", *node->prompt)
          .Field("condition", ExprToString(node->prompt_cond))
          .Field("visible", EvalExpr(m, node->prompt_cond) != kN)
          .EndObject();
    }
  }
  j.EndArray();
}

std::string Help(const Symbol *sym) {
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

void Defaults(JsonOut &j, Model &m, const Symbol *sym) {
  j.BeginArray();
  for (const Default &d : sym->defaults) {
    j.BeginObject()
        .Field("value", ExprToString(d.value))
        .Field("condition", ExprToString(d.cond))
        .Field("active", EvalExpr(m, d.cond) != kN)
        .Key("defined_at");
    Loc(j, d.loc);
    j.EndObject();
  }
  j.EndArray();
}

void DefinedAt(JsonOut &j, const Symbol *sym) {
  j.BeginArray();
  for (const MenuNode *node : sym->nodes) {
    Loc(j, node->loc);
  }
  j.EndArray();
}

void NameList(JsonOut &j, const std::vector<Symbol *> &syms) {
  j.BeginArray();
  for (const Symbol *s : syms) {
    j.String(s->name);
  }
  j.EndArray();
}

const char *NodeKind(const MenuNode *node) {
  switch (node->kind) {
    case MenuNode::Kind::kRoot:
      return "root";
    case MenuNode::Kind::kSymbol:
      return node->is_menuconfig ? "menuconfig" : "config";
    case MenuNode::Kind::kChoice:
      return "choice";
    case MenuNode::Kind::kMenu:
      return "menu";
    case MenuNode::Kind::kComment:
      return "comment";
    case MenuNode::Kind::kIf:
      return "if";
  }
  return "unknown";
}

void NodeJson(JsonOut &j, Model &m, const MenuNode *node) {
  j.BeginObject().Field("kind", NodeKind(node));
  if (node->kind == MenuNode::Kind::kSymbol) {
    j.Field("symbol", node->item->name);
  } else if (node->kind == MenuNode::Kind::kChoice) {
    j.Field("choice", ChoiceId(m, node->item));
  }
  if (node->prompt.has_value()) {
    j.Field("prompt", *node->prompt);
  }
  j.Field("visible",
          node->kind == MenuNode::Kind::kRoot ||
              (node->prompt.has_value() && EvalExpr(m, node->prompt_cond) != kN &&
               (node->kind != MenuNode::Kind::kMenu || EvalExpr(m, node->visible_if) != kN)));
  j.Key("defined_at");
  Loc(j, node->loc);
  if (node->list != nullptr) {
    j.Key("children").BeginArray();
    for (const MenuNode *c = node->list; c != nullptr; c = c->next) {
      NodeJson(j, m, c);
    }
    j.EndArray();
  }
  j.EndObject();
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
  // Roughly 1 KiB per symbol; reserving avoids repeated reallocation of a large buffer.
  JsonOut j((m.defined.size() + m.choices.size()) * 1024 + 4096);
  j.BeginObject().Field("format", "gale-kconfig-1").Field("mainmenu", m.mainmenu);
  j.Key("symbols").BeginArray();
  for (Symbol *sym : m.defined) {
    j.BeginObject()
        .Field("name", sym->name)
        .Field("type", TypeName(sym->type))
        .Field("value", SymStr(m, sym))
        .Field("written", WriteToConf(m, sym))
        .Key("user_value");
    if (sym->requested.has_value()) {
      j.BeginObject()
          .Field("value", *sym->requested)
          .Field("file", sym->user_loc.file)
          .Field("line", sym->user_loc.line)
          .EndObject();
    } else {
      j.Null();
    }
    j.Key("prompts");
    Prompts(j, m, sym);
    j.Field("help", Help(sym)).Key("defined_at");
    DefinedAt(j, sym);
    j.Field("visibility", TriStr(Visibility(m, sym)))
        .Field("direct_dependencies", ExprToString(sym->direct_dep))
        .Field("direct_dependencies_value", TriStr(EvalExpr(m, sym->direct_dep)))
        .Key("selected_by");
    NameList(j, sym->selected_by);
    j.Key("implied_by");
    NameList(j, sym->implied_by);
    j.Key("ranges").BeginArray();
    for (const Range &r : sym->ranges) {
      j.BeginObject()
          .Field("low", SymStr(m, r.low))
          .Field("high", SymStr(m, r.high))
          .Field("condition", ExprToString(r.cond))
          .Field("active", EvalExpr(m, r.cond) != kN)
          .EndObject();
    }
    j.EndArray().Key("defaults");
    Defaults(j, m, sym);
    j.Key("menu_path");
    MenuPath(j, sym->nodes.front());
    j.Key("choice");
    if (sym->choice != nullptr) {
      j.String(ChoiceId(m, sym->choice));
    } else {
      j.Null();
    }
    j.EndObject();
  }
  j.EndArray().Key("choices").BeginArray();
  for (Symbol *choice : m.choices) {
    Symbol *selection = ChoiceSelection(m, choice);
    j.BeginObject()
        .Field("id", ChoiceId(m, choice))
        .Field("type", TypeName(choice->type))
        .Field("optional", choice->optional)
        .Field("value", TriStr(SymTri(m, choice)))
        .Key("selection");
    selection != nullptr ? j.String(selection->name) : j.Null();
    j.Key("user_selection");
    choice->user_selection != nullptr ? j.String(choice->user_selection->name) : j.Null();
    j.Key("members");
    NameList(j, choice->members);
    j.Key("prompts");
    Prompts(j, m, choice);
    j.Field("help", Help(choice)).Key("defined_at");
    DefinedAt(j, choice);
    j.Field("visibility", TriStr(Visibility(m, choice)))
        .Field("direct_dependencies", ExprToString(choice->direct_dep))
        .Key("defaults");
    Defaults(j, m, choice);
    j.Key("menu_path");
    MenuPath(j, choice->nodes.front());
    j.EndObject();
  }
  j.EndArray().Key("menu");
  NodeJson(j, m, m.root);
  j.EndObject();
  j.str() += "\n";
  return std::move(j.str());
}

}  // namespace gale::kconfig
