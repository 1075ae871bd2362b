// Internal data model of the Kconfig engine: symbols, expressions and the menu tree.
//
// Everything is owned by the Model through std::deque arenas so that raw pointers stay valid for
// the lifetime of the Kconfig object; nodes are never freed individually.
#ifndef GALE_KCONFIG_SRC_MODEL_H_
#define GALE_KCONFIG_SRC_MODEL_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "gale/kconfig/kconfig.h"

namespace gale::kconfig {

struct Symbol;
struct MenuNode;

// Tristate values: n=0, m=1, y=2. With modules disabled (always, in Gale) m acts like y for
// bool symbols, but it can still appear transiently inside expressions.
using Tri = int;
inline constexpr Tri kN = 0;
inline constexpr Tri kM = 1;
inline constexpr Tri kY = 2;

struct Expr {
  enum class Kind { kSym, kNot, kAnd, kOr, kEq, kNe, kLt, kLe, kGt, kGe };
  Kind kind = Kind::kSym;
  Symbol *sym = nullptr;    // kSym
  const Expr *a = nullptr;  // kNot/kAnd/kOr operands
  const Expr *b = nullptr;
  Symbol *lhs = nullptr;  // relations
  Symbol *rhs = nullptr;
};

struct Location {
  std::string file;
  int line = 0;
};

struct Default {
  const Expr *value = nullptr;  // for non-bool symbols this is a single kSym expression
  const Expr *cond = nullptr;   // nullptr means y
  Location loc;
};

struct Range {
  Symbol *low = nullptr;
  Symbol *high = nullptr;
  const Expr *cond = nullptr;
  Location loc;
};

struct Select {
  Symbol *target = nullptr;
  const Expr *cond = nullptr;
  Location loc;
};

struct Symbol {
  std::string name;
  Type type = Type::kUnknown;
  bool is_choice = false;
  bool is_const = false;       // y/m/n and quoted string constants
  bool optional = false;       // choices only
  bool never_written = false;  // 'option env' / 'option defconfig_list' symbols
  std::vector<MenuNode *> nodes;

  // Gathered from all definitions once the tree is finalized.
  std::vector<Default> defaults;
  std::vector<Range> ranges;
  const Expr *direct_dep = nullptr;  // nullptr before finalization means "no definition seen"
  bool has_direct_dep = false;
  const Expr *rev_dep = nullptr;       // select; nullptr means n here
  const Expr *weak_rev_dep = nullptr;  // imply; nullptr means n here
  std::vector<Symbol *> selected_by;
  std::vector<Symbol *> implied_by;

  Symbol *choice = nullptr;       // for choice members: the choice
  std::vector<Symbol *> members;  // for choices: member symbols in menu order

  // User value from configuration fragments (last assignment wins).
  std::optional<std::string> user_value;  // for bool: "n", "m" or "y"
  std::optional<std::string> requested;   // last assignment as written, for diagnostics
  Location user_loc;
  Symbol *user_selection = nullptr;  // choices
  std::optional<Tri> choice_user_mode;

  // Calculated value, cached; the model is immutable once fragments are loaded.
  int eval_state = 0;  // 0 = not computed, 1 = in progress, 2 = done
  std::string str_value;
  Tri tri_value = kN;
  bool write_to_conf = false;
  int vis_state = 0;
  Tri visibility = kN;
  int sel_state = 0;
  Symbol *selection = nullptr;
  bool select_warned = false;
  int index = 0;  // definition order
};

struct MenuNode {
  enum class Kind { kRoot, kSymbol, kChoice, kMenu, kComment, kIf };
  Kind kind = Kind::kRoot;
  Symbol *item = nullptr;  // symbol or choice
  std::optional<std::string> prompt;
  const Expr *prompt_cond = nullptr;
  const Expr *dep = nullptr;         // own 'depends on', later including inherited dependencies
  const Expr *visible_if = nullptr;  // menus
  bool is_menuconfig = false;
  std::string help;
  Location loc;
  std::vector<Default> defaults;
  std::vector<Range> ranges;
  std::vector<Select> selects;
  std::vector<Select> implies;
  MenuNode *parent = nullptr;
  MenuNode *list = nullptr;  // first child
  MenuNode *next = nullptr;
};

struct Model {
  std::deque<Symbol> symbol_arena;
  std::deque<Expr> expr_arena;
  std::deque<MenuNode> node_arena;
  std::unordered_map<std::string, Symbol *> symbols;        // named, non-constant symbols
  std::unordered_map<std::string, Symbol *> const_symbols;  // y, m, n and quoted strings
  std::vector<Symbol *> defined;                            // defined symbols in definition order
  std::vector<Symbol *> choices;
  MenuNode *root = nullptr;
  std::string mainmenu = "Main menu";
  std::vector<std::string> files;
  Symbol *y = nullptr;
  Symbol *m = nullptr;
  Symbol *n = nullptr;
  std::vector<Diagnostic> *diagnostics = nullptr;
  std::unordered_map<std::string, bool> warned;  // deduplicates evaluation-time warnings

  Model();
  Symbol *LookupSymbol(const std::string &name);
  Symbol *LookupConst(const std::string &name);
  const Expr *SymExpr(Symbol *sym);
  const Expr *Not(const Expr *a);
  // And/Or simplify constant operands like Kconfig does; nullptr stands for y.
  const Expr *And(const Expr *a, const Expr *b);
  const Expr *Or(const Expr *a, const Expr *b);
  const Expr *NExpr() { return SymExpr(n); }
  bool IsN(const Expr *e) const {
    return e != nullptr && e->kind == Expr::Kind::kSym && e->sym == n;
  }
  MenuNode *NewNode(MenuNode::Kind kind);
};

// Value calculation (eval.cc). Results are cached in the symbols; ResetValues clears them.
Tri EvalExpr(Model &m, const Expr *e);
Tri SymTri(Model &m, Symbol *sym);
const std::string &SymStr(Model &m, Symbol *sym);
Tri Visibility(Model &m, Symbol *sym);
Symbol *ChoiceSelection(Model &m, Symbol *choice);
bool WriteToConf(Model &m, Symbol *sym);
void ResetValues(Model &m);
// The active range of an int/hex symbol, if any.
bool ActiveRange(Model &m, Symbol *sym, int64_t *low, int64_t *high);

// Expression helpers (eval.cc).
std::string ExprToString(const Expr *e);
void CollectSymbols(const Expr *e, std::vector<Symbol *> *out);

// Python-compatible integer parsing as Kconfig tools do it (base 0 = auto-detect 0x/0o/0b).
bool ParseInt(const std::string &text, int base, int64_t *out);
std::string PyHex(int64_t value);

}  // namespace gale::kconfig

#endif  // GALE_KCONFIG_SRC_MODEL_H_
