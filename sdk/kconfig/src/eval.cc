// Symbol value calculation, following the Kconfig language specification (and Kconfiglib's
// behaviour where the specification is silent).
#include <algorithm>
#include <cctype>
#include <optional>

#include "model.h"

namespace gale::kconfig {

const char *TypeName(Type type) {
  switch (type) {
    case Type::kUnknown:
      return "unknown";
    case Type::kBool:
      return "bool";
    case Type::kTristate:
      return "tristate";
    case Type::kInt:
      return "int";
    case Type::kHex:
      return "hex";
    case Type::kString:
      return "string";
  }
  return "unknown";
}

Model::Model() {
  y = LookupConst("y");
  m = LookupConst("m");
  n = LookupConst("n");
  for (Symbol *c : {y, m, n}) {
    c->type = Type::kTristate;
  }
}

Symbol *Model::LookupSymbol(const std::string &name) {
  auto it = symbols.find(name);
  if (it != symbols.end()) {
    return it->second;
  }
  Symbol &sym = symbol_arena.emplace_back();
  sym.name = name;
  symbols.emplace(name, &sym);
  return &sym;
}

Symbol *Model::LookupConst(const std::string &name) {
  auto it = const_symbols.find(name);
  if (it != const_symbols.end()) {
    return it->second;
  }
  Symbol &sym = symbol_arena.emplace_back();
  sym.name = name;
  sym.is_const = true;
  const_symbols.emplace(name, &sym);
  return &sym;
}

const Expr *Model::SymExpr(Symbol *sym) {
  Expr &e = expr_arena.emplace_back();
  e.kind = Expr::Kind::kSym;
  e.sym = sym;
  return &e;
}

const Expr *Model::Not(const Expr *a) {
  Expr &e = expr_arena.emplace_back();
  e.kind = Expr::Kind::kNot;
  e.a = a;
  return &e;
}

namespace {
bool IsY(const Model &m, const Expr *e) {
  return e == nullptr || (e->kind == Expr::Kind::kSym && e->sym == m.y);
}
}  // namespace

const Expr *Model::And(const Expr *a, const Expr *b) {
  if (IsY(*this, a)) {
    return b;
  }
  if (IsY(*this, b)) {
    return a;
  }
  if (IsN(a) || IsN(b)) {
    return NExpr();
  }
  Expr &e = expr_arena.emplace_back();
  e.kind = Expr::Kind::kAnd;
  e.a = a;
  e.b = b;
  return &e;
}

const Expr *Model::Or(const Expr *a, const Expr *b) {
  if (IsN(a)) {
    return b;
  }
  if (IsN(b)) {
    return a;
  }
  if (IsY(*this, a) || IsY(*this, b)) {
    return nullptr;
  }
  Expr &e = expr_arena.emplace_back();
  e.kind = Expr::Kind::kOr;
  e.a = a;
  e.b = b;
  return &e;
}

MenuNode *Model::NewNode(MenuNode::Kind kind) {
  MenuNode &node = node_arena.emplace_back();
  node.kind = kind;
  return &node;
}

bool ParseInt(const std::string &text, int base, int64_t *out) {
  size_t i = 0;
  size_t end = text.size();
  while (i < end && std::isspace(static_cast<unsigned char>(text[i]))) {
    ++i;
  }
  while (end > i && std::isspace(static_cast<unsigned char>(text[end - 1]))) {
    --end;
  }
  bool negative = false;
  if (i < end && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  int actual_base = base == 0 ? 10 : base;
  bool prefixed = false;
  if (i + 1 < end && text[i] == '0') {
    char p = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i + 1])));
    if ((base == 0 || base == 16) && p == 'x') {
      actual_base = 16;
      prefixed = true;
    } else if (base == 0 && p == 'o') {
      actual_base = 8;
      prefixed = true;
    } else if (base == 0 && p == 'b') {
      actual_base = 2;
      prefixed = true;
    }
  }
  if (prefixed) {
    i += 2;
    if (i < end && text[i] == '_') {
      ++i;  // Python accepts one underscore right after the prefix
    }
  }
  if (i >= end) {
    return false;
  }
  // In base 0, a decimal literal may not have leading zeros unless it is all zeros.
  if (base == 0 && !prefixed && text[i] == '0') {
    for (size_t j = i; j < end; ++j) {
      if (text[j] != '0' && text[j] != '_') {
        return false;
      }
    }
  }
  unsigned __int128 value = 0;
  bool prev_digit = false;
  for (size_t j = i; j < end; ++j) {
    char c = text[j];
    if (c == '_') {
      if (!prev_digit || j + 1 >= end) {
        return false;
      }
      prev_digit = false;
      continue;
    }
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'z') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'Z') {
      digit = c - 'A' + 10;
    } else {
      return false;
    }
    if (digit >= actual_base) {
      return false;
    }
    value = value * static_cast<unsigned>(actual_base) + static_cast<unsigned>(digit);
    if (value > static_cast<unsigned __int128>(INT64_MAX) + 1) {
      return false;
    }
    prev_digit = true;
  }
  if (!negative && value > static_cast<unsigned __int128>(INT64_MAX)) {
    return false;
  }
  *out =
      negative ? static_cast<int64_t>(-static_cast<__int128>(value)) : static_cast<int64_t>(value);
  return true;
}

std::string PyHex(int64_t value) {
  static const char kDigits[] = "0123456789abcdef";
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string digits;
  do {
    digits.push_back(kDigits[magnitude & 0xf]);
    magnitude >>= 4;
  } while (magnitude != 0);
  std::reverse(digits.begin(), digits.end());
  return (value < 0 ? "-0x" : "0x") + digits;
}

namespace {

std::string QuoteIfConst(const Symbol *sym) {
  if (sym->is_const && sym->name != "y" && sym->name != "n" && sym->name != "m") {
    std::string out = "\"";
    for (char c : sym->name) {
      if (c == '"' || c == '\\') {
        out.push_back('\\');
      }
      out.push_back(c);
    }
    return out + "\"";
  }
  return sym->is_choice ? (sym->name.empty() ? "<choice>" : sym->name) : sym->name;
}

const char *RelOp(Expr::Kind kind) {
  switch (kind) {
    case Expr::Kind::kEq:
      return "=";
    case Expr::Kind::kNe:
      return "!=";
    case Expr::Kind::kLt:
      return "<";
    case Expr::Kind::kLe:
      return "<=";
    case Expr::Kind::kGt:
      return ">";
    case Expr::Kind::kGe:
      return ">=";
    default:
      return "?";
  }
}

void ToString(const Expr *e, std::string *out, Expr::Kind parent) {
  if (e == nullptr) {
    *out += "y";
    return;
  }
  switch (e->kind) {
    case Expr::Kind::kSym:
      *out += QuoteIfConst(e->sym);
      return;
    case Expr::Kind::kNot:
      *out += "!";
      ToString(e->a, out, Expr::Kind::kNot);
      return;
    case Expr::Kind::kAnd:
    case Expr::Kind::kOr: {
      // || inside && (or anything binary under !) needs parentheses.
      bool parens =
          (e->kind == Expr::Kind::kOr && parent == Expr::Kind::kAnd) || parent == Expr::Kind::kNot;
      if (parens) {
        *out += "(";
      }
      ToString(e->a, out, e->kind);
      *out += e->kind == Expr::Kind::kAnd ? " && " : " || ";
      ToString(e->b, out, e->kind);
      if (parens) {
        *out += ")";
      }
      return;
    }
    default:
      if (parent == Expr::Kind::kNot) {
        *out += "(";
      }
      *out += QuoteIfConst(e->lhs);
      *out += " ";
      *out += RelOp(e->kind);
      *out += " ";
      *out += QuoteIfConst(e->rhs);
      if (parent == Expr::Kind::kNot) {
        *out += ")";
      }
      return;
  }
}

int Sign(int64_t a, int64_t b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

int BaseOf(Type type) {
  switch (type) {
    case Type::kInt:
      return 10;
    case Type::kHex:
      return 16;
    default:
      return 0;
  }
}

bool SymToNum(Model &m, Symbol *sym, int64_t *out) {
  if (sym->type == Type::kBool || sym->type == Type::kTristate) {
    *out = SymTri(m, sym);
    return true;
  }
  return ParseInt(SymStr(m, sym), BaseOf(sym->type), out);
}

Tri EvalRelation(Model &m, const Expr *e) {
  const std::string &v1 = SymStr(m, e->lhs);
  const std::string &v2 = SymStr(m, e->rhs);
  int comp = 0;
  int64_t n1 = 0;
  int64_t n2 = 0;
  if (!(e->lhs->type == Type::kString && e->rhs->type == Type::kString) &&
      SymToNum(m, e->lhs, &n1) && SymToNum(m, e->rhs, &n2)) {
    comp = Sign(n1, n2);
  } else {
    int c = v1.compare(v2);
    comp = c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  bool result = false;
  switch (e->kind) {
    case Expr::Kind::kEq:
      result = comp == 0;
      break;
    case Expr::Kind::kNe:
      result = comp != 0;
      break;
    case Expr::Kind::kLt:
      result = comp < 0;
      break;
    case Expr::Kind::kLe:
      result = comp <= 0;
      break;
    case Expr::Kind::kGt:
      result = comp > 0;
      break;
    default:
      result = comp >= 0;
      break;
  }
  return result ? kY : kN;
}

void Warn(Model &m, const Location &loc, const std::string &message) {
  if (m.diagnostics == nullptr) {
    return;
  }
  std::string key = loc.file + ":" + std::to_string(loc.line) + ":" + message;
  if (m.warned.count(key) != 0) {
    return;
  }
  m.warned[key] = true;
  m.diagnostics->push_back(Diagnostic{Severity::kWarning, loc.file, loc.line, message});
}

Tri UserTri(const std::string &value) {
  if (value == "y") {
    return kY;
  }
  return value == "m" ? kM : kN;
}

const Location &DefLoc(const Symbol *sym) {
  static const Location kNone;
  return sym->nodes.empty() ? kNone : sym->nodes.front()->loc;
}

std::string DescribeSelectors(Model &m, Symbol *sym) {
  std::string out;
  for (Symbol *by : sym->selected_by) {
    if (SymTri(m, by) == kN) {
      continue;
    }
    if (!out.empty()) {
      out += ", ";
    }
    out += by->name + " (=" + SymStr(m, by) + ")";
  }
  return out;
}

void ComputeBool(Model &m, Symbol *sym) {
  Tri vis = Visibility(m, sym);
  bool write = vis != kN;
  Tri val = kN;
  if (sym->choice == nullptr) {
    if (vis != kN && sym->user_value.has_value()) {
      val = std::min(UserTri(*sym->user_value), vis);
    } else {
      for (const Default &d : sym->defaults) {
        Tri cond = EvalExpr(m, d.cond);
        if (cond != kN) {
          val = std::min(EvalExpr(m, d.value), cond);
          if (val != kN) {
            write = true;
          }
          break;
        }
      }
      Tri weak = EvalExpr(m, sym->weak_rev_dep == nullptr ? m.NExpr() : sym->weak_rev_dep);
      if (weak != kN && EvalExpr(m, sym->direct_dep) != kN) {
        val = std::max(weak, val);
        write = true;
      }
    }
    // select wins over everything else; it has no effect on choice members.
    if (sym->rev_dep != nullptr) {
      Tri rev = EvalExpr(m, sym->rev_dep);
      if (rev != kN) {
        Tri dep = EvalExpr(m, sym->direct_dep);
        if (dep < rev) {
          Warn(m, DefLoc(sym),
               sym->name + " has direct dependencies " + ExprToString(sym->direct_dep) +
                   " with value " + (dep == kN ? "n" : "y") +
                   ", but is currently being y-selected by " + DescribeSelectors(m, sym));
        }
        val = std::max(rev, val);
        write = true;
      }
    }
  } else if (vis == kY) {
    val = ChoiceSelection(m, sym->choice) == sym ? kY : kN;
  }
  if (val == kM) {
    val = kY;  // no modules: m behaves like y for bool symbols
  }
  sym->tri_value = val;
  sym->str_value = val == kY ? "y" : "n";
  sym->write_to_conf = write;
}

void ComputeOther(Model &m, Symbol *sym) {
  Tri vis = Visibility(m, sym);
  bool write = vis != kN;
  std::string val;
  if (sym->type == Type::kInt || sym->type == Type::kHex) {
    const int base = BaseOf(sym->type);
    int64_t low = 0;
    int64_t high = 0;
    const bool has_range = ActiveRange(m, sym, &low, &high);
    int64_t user_num = 0;
    if (vis != kN && sym->user_value.has_value() && ParseInt(*sym->user_value, base, &user_num) &&
        (!has_range || (low <= user_num && user_num <= high))) {
      val = *sym->user_value;
    } else {
      int64_t val_num = 0;
      const Default *taken = nullptr;
      for (const Default &d : sym->defaults) {
        if (EvalExpr(m, d.cond) != kN) {
          write = true;
          taken = &d;
          if (d.value->kind == Expr::Kind::kSym) {
            val = SymStr(m, d.value->sym);
          } else {
            val = EvalExpr(m, d.value) == kN ? "n" : "y";
          }
          if (!ParseInt(val, base, &val_num)) {
            val_num = 0;
          }
          break;
        }
      }
      if (has_range) {
        std::optional<int64_t> clamp;
        if (val_num < low) {
          clamp = low;
        } else if (val_num > high) {
          clamp = high;
        }
        if (clamp.has_value()) {
          std::string clamped = sym->type == Type::kInt ? std::to_string(*clamp) : PyHex(*clamp);
          if (taken != nullptr) {
            Warn(m, taken->loc,
                 "default value " + val + " on " + sym->name + " clamped to " + clamped +
                     " due to being outside the active range ([" +
                     (sym->type == Type::kInt ? std::to_string(low) : PyHex(low)) + ", " +
                     (sym->type == Type::kInt ? std::to_string(high) : PyHex(high)) + "])");
          }
          val = clamped;
        }
      }
    }
  } else if (sym->type == Type::kString) {
    if (vis != kN && sym->user_value.has_value()) {
      val = *sym->user_value;
    } else {
      for (const Default &d : sym->defaults) {
        if (EvalExpr(m, d.cond) != kN) {
          write = true;
          if (d.value->kind == Expr::Kind::kSym) {
            val = SymStr(m, d.value->sym);
          } else {
            val = EvalExpr(m, d.value) == kN ? "n" : "y";
          }
          break;
        }
      }
    }
  } else {
    write = false;
  }
  sym->tri_value = kN;
  sym->str_value = val;
  sym->write_to_conf = write;
}

void Compute(Model &m, Symbol *sym) {
  if (sym->eval_state == 2) {
    return;
  }
  if (sym->eval_state == 1) {
    return;  // dependency loop: use whatever is there (n / empty)
  }
  sym->eval_state = 1;
  if (sym->type == Type::kBool || sym->type == Type::kTristate) {
    ComputeBool(m, sym);
  } else {
    ComputeOther(m, sym);
  }
  sym->eval_state = 2;
}

Tri ChoiceTri(Model &m, Symbol *choice) {
  Tri val = choice->optional ? kN : kM;
  if (choice->choice_user_mode.has_value()) {
    val = std::max(val, *choice->choice_user_mode);
  }
  val = std::min(val, Visibility(m, choice));
  return val == kM ? kY : val;
}

}  // namespace

std::string ExprToString(const Expr *e) {
  std::string out;
  ToString(e, &out, Expr::Kind::kSym);
  return out;
}

void CollectSymbols(const Expr *e, std::vector<Symbol *> *out) {
  if (e == nullptr) {
    return;
  }
  auto add = [out](Symbol *sym) {
    if (!sym->is_const && std::find(out->begin(), out->end(), sym) == out->end()) {
      out->push_back(sym);
    }
  };
  switch (e->kind) {
    case Expr::Kind::kSym:
      add(e->sym);
      return;
    case Expr::Kind::kNot:
      CollectSymbols(e->a, out);
      return;
    case Expr::Kind::kAnd:
    case Expr::Kind::kOr:
      CollectSymbols(e->a, out);
      CollectSymbols(e->b, out);
      return;
    default:
      add(e->lhs);
      add(e->rhs);
      return;
  }
}

Tri EvalExpr(Model &m, const Expr *e) {
  if (e == nullptr) {
    return kY;
  }
  switch (e->kind) {
    case Expr::Kind::kSym:
      return SymTri(m, e->sym);
    case Expr::Kind::kNot:
      return kY - EvalExpr(m, e->a);
    case Expr::Kind::kAnd: {
      Tri a = EvalExpr(m, e->a);
      return a == kN ? kN : std::min(a, EvalExpr(m, e->b));
    }
    case Expr::Kind::kOr: {
      Tri a = EvalExpr(m, e->a);
      return a == kY ? kY : std::max(a, EvalExpr(m, e->b));
    }
    default:
      return EvalRelation(m, e);
  }
}

Tri SymTri(Model &m, Symbol *sym) {
  if (sym->is_const) {
    if (sym == m.y) {
      return kY;
    }
    return sym == m.m ? kM : kN;
  }
  if (sym->is_choice) {
    return ChoiceTri(m, sym);
  }
  if (sym->nodes.empty() || (sym->type != Type::kBool && sym->type != Type::kTristate)) {
    return kN;
  }
  Compute(m, sym);
  return sym->tri_value;
}

const std::string &SymStr(Model &m, Symbol *sym) {
  static const std::string kYes = "y";
  static const std::string kNo = "n";
  if (sym->is_const || (sym->nodes.empty() && !sym->is_choice)) {
    return sym->name;  // constants and undefined symbols evaluate to their name
  }
  if (sym->is_choice) {
    return ChoiceTri(m, sym) == kY ? kYes : kNo;
  }
  Compute(m, sym);
  return sym->str_value;
}

Tri Visibility(Model &m, Symbol *sym) {
  if (sym->vis_state == 2) {
    return sym->visibility;
  }
  if (sym->vis_state == 1) {
    return kN;
  }
  sym->vis_state = 1;
  Tri vis = kN;
  for (const MenuNode *node : sym->nodes) {
    if (node->prompt.has_value()) {
      vis = std::max(vis, EvalExpr(m, node->prompt_cond));
    }
  }
  // Choice members need no extra clamping: the prompts inside the choice already depend on it.
  // (A member redefined outside its choice is visible through that definition's prompt.)
  if (vis == kM) {
    vis = kY;
  }
  sym->visibility = vis;
  sym->vis_state = 2;
  return vis;
}

Symbol *ChoiceSelection(Model &m, Symbol *choice) {
  if (choice->sel_state == 2) {
    return choice->selection;
  }
  if (choice->sel_state == 1) {
    return nullptr;
  }
  choice->sel_state = 1;
  Symbol *selection = nullptr;
  if (ChoiceTri(m, choice) == kY) {
    if (choice->user_selection != nullptr && Visibility(m, choice->user_selection) != kN) {
      selection = choice->user_selection;
    } else {
      for (const Default &d : choice->defaults) {
        if (d.value->kind == Expr::Kind::kSym && EvalExpr(m, d.cond) != kN &&
            Visibility(m, d.value->sym) != kN) {
          selection = d.value->sym;
          break;
        }
      }
      if (selection == nullptr) {
        for (Symbol *member : choice->members) {
          if (Visibility(m, member) != kN) {
            selection = member;
            break;
          }
        }
      }
    }
  }
  choice->selection = selection;
  choice->sel_state = 2;
  return selection;
}

bool WriteToConf(Model &m, Symbol *sym) {
  if (sym->is_const || sym->is_choice || sym->nodes.empty() || sym->never_written) {
    return false;
  }
  Compute(m, sym);
  return sym->write_to_conf;
}

bool ActiveRange(Model &m, Symbol *sym, int64_t *low, int64_t *high) {
  const int base = BaseOf(sym->type);
  for (const Range &r : sym->ranges) {
    if (EvalExpr(m, r.cond) != kN) {
      if (!ParseInt(SymStr(m, r.low), base, low)) {
        *low = 0;
      }
      if (!ParseInt(SymStr(m, r.high), base, high)) {
        *high = 0;
      }
      return true;
    }
  }
  return false;
}

void ResetValues(Model &m) {
  for (Symbol &sym : m.symbol_arena) {
    sym.eval_state = 0;
    sym.vis_state = 0;
    sym.sel_state = 0;
  }
}

}  // namespace gale::kconfig
