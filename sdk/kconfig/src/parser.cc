#include "parser.h"

#include <glob.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "preprocessor.h"

namespace gale::kconfig {
namespace {

enum class Kw {
  kNone,
  kConfig,
  kMenuconfig,
  kChoice,
  kEndchoice,
  kMenu,
  kEndmenu,
  kIf,
  kEndif,
  kComment,
  kMainmenu,
  kSource,
  kRsource,
  kOsource,
  kOrsource,
  kBool,
  kTristate,
  kInt,
  kHex,
  kString,
  kDefBool,
  kDefTristate,
  kDefInt,
  kDefHex,
  kDefString,
  kPrompt,
  kDefault,
  kDepends,
  kOn,
  kSelect,
  kImply,
  kRange,
  kVisible,
  kHelp,
  kOption,
  kOptional,
  kModules,
  kEnv,
  kDefconfigList,
  kAllnoconfigY,
};

struct KeywordEntry {
  std::string_view text;
  Kw kw;
};

constexpr KeywordEntry kKeywords[] = {
    {"config", Kw::kConfig},
    {"menuconfig", Kw::kMenuconfig},
    {"choice", Kw::kChoice},
    {"endchoice", Kw::kEndchoice},
    {"menu", Kw::kMenu},
    {"endmenu", Kw::kEndmenu},
    {"if", Kw::kIf},
    {"endif", Kw::kEndif},
    {"comment", Kw::kComment},
    {"mainmenu", Kw::kMainmenu},
    {"source", Kw::kSource},
    {"rsource", Kw::kRsource},
    {"osource", Kw::kOsource},
    {"orsource", Kw::kOrsource},
    {"bool", Kw::kBool},
    {"boolean", Kw::kBool},
    {"tristate", Kw::kTristate},
    {"int", Kw::kInt},
    {"hex", Kw::kHex},
    {"string", Kw::kString},
    {"def_bool", Kw::kDefBool},
    {"def_tristate", Kw::kDefTristate},
    {"def_int", Kw::kDefInt},
    {"def_hex", Kw::kDefHex},
    {"def_string", Kw::kDefString},
    {"prompt", Kw::kPrompt},
    {"default", Kw::kDefault},
    {"depends", Kw::kDepends},
    {"on", Kw::kOn},
    {"select", Kw::kSelect},
    {"imply", Kw::kImply},
    {"range", Kw::kRange},
    {"visible", Kw::kVisible},
    {"help", Kw::kHelp},
    {"---help---", Kw::kHelp},
    {"option", Kw::kOption},
    {"optional", Kw::kOptional},
    {"modules", Kw::kModules},
    {"env", Kw::kEnv},
    {"defconfig_list", Kw::kDefconfigList},
    {"allnoconfig_y", Kw::kAllnoconfigY},
};

Kw LookupKeyword(std::string_view word) {
  for (const KeywordEntry &entry : kKeywords) {
    if (entry.text == word) {
      return entry.kw;
    }
  }
  return Kw::kNone;
}

// After these keywords an unquoted word is taken as a string (Kconfig tolerates missing quotes).
bool IsStringLex(Kw kw) {
  switch (kw) {
    case Kw::kBool:
    case Kw::kTristate:
    case Kw::kInt:
    case Kw::kHex:
    case Kw::kString:
    case Kw::kPrompt:
    case Kw::kMenu:
    case Kw::kComment:
    case Kw::kMainmenu:
    case Kw::kSource:
    case Kw::kRsource:
    case Kw::kOsource:
    case Kw::kOrsource:
      return true;
    default:
      return false;
  }
}

enum class Tok {
  kKeyword,
  kSymbol,
  kString,
  kAnd,
  kOr,
  kNot,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kLParen,
  kRParen
};

struct Token {
  Tok tok = Tok::kKeyword;
  Kw kw = Kw::kNone;
  Symbol *sym = nullptr;  // kSymbol (constants included)
  std::string text;       // kString, and the spelling of symbols/keywords
};

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || c == '/' || c == '.' || c == '-';
}

// Indentation with tab stops every 8 columns.
int Indentation(std::string_view line) {
  int col = 0;
  for (char c : line) {
    if (c == ' ') {
      ++col;
    } else if (c == '\t') {
      col = (col / 8 + 1) * 8;
    } else {
      break;
    }
  }
  return col;
}

std::string ExpandTabs(std::string_view line) {
  std::string out;
  for (char c : line) {
    if (c == '\t') {
      out.append(8 - out.size() % 8, ' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

std::string RStrip(std::string s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.pop_back();
  }
  return s;
}

std::string DirName(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) {
    return "";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string JoinPath(const std::string &dir, const std::string &path) {
  if (dir.empty() || (!path.empty() && path[0] == '/')) {
    return path;
  }
  return dir.back() == '/' ? dir + path : dir + "/" + path;
}

const char *KindName(Kw kw) {
  switch (kw) {
    case Kw::kEndmenu:
      return "menu";
    case Kw::kEndchoice:
      return "choice";
    case Kw::kEndif:
      return "if";
    default:
      return "block";
  }
}

class Parser {
 public:
  Parser(const LoadOptions &options, Model *model, std::vector<Diagnostic> *diagnostics)
      : options_(options), model_(model), diagnostics_(diagnostics), pp_(options, diagnostics) {
    srctree_ = options.srctree;
    if (srctree_.empty()) {
      std::string env;
      if (pp_.GetEnv("srctree", &env)) {
        srctree_ = env;
      }
    }
  }

  absl::Status Run(const std::string &path) {
    model_->root = model_->NewNode(MenuNode::Kind::kRoot);
    model_->root->loc = {path, 1};
    MenuNode **tail = &model_->root->list;
    absl::Status status = ParseFile(path, model_->root, &tail, Location{});
    if (!status.ok()) {
      return status;
    }
    model_->root->prompt = model_->mainmenu;
    Finalize(model_->root, nullptr);
    return CheckTypes();
  }

 private:
  struct File {
    std::string path;
    std::string content;
    std::vector<std::string_view> lines;
    size_t next = 0;  // index of the next raw line
  };

  // ---- errors -----------------------------------------------------------------------------

  absl::Status Error(const std::string &message) { return ErrorAt(file_->path, line_no_, message); }

  absl::Status ErrorAt(const std::string &file, int line, const std::string &message) {
    diagnostics_->push_back(Diagnostic{Severity::kError, file, line, message});
    return absl::InvalidArgumentError(file + ":" + std::to_string(line) + ": error: " + message);
  }

  void Warn(const std::string &message) {
    diagnostics_->push_back(Diagnostic{Severity::kWarning, file_->path, line_no_, message});
  }

  // ---- files ------------------------------------------------------------------------------

  absl::Status ParseFile(const std::string &path, MenuNode *parent, MenuNode ***tail,
                         const Location &included_from) {
    for (const File *open : stack_) {
      if (open->path == path) {
        return ErrorAt(included_from.file, included_from.line, "recursive 'source' of " + path);
      }
    }
    auto file = std::make_unique<File>();
    file->path = path;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      if (included_from.file.empty()) {
        return absl::NotFoundError(path + ": error: cannot open Kconfig file");
      }
      return ErrorAt(included_from.file, included_from.line, "cannot open '" + path + "'");
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    file->content = buffer.str();
    std::string_view content(file->content);
    size_t start = 0;
    while (start < content.size()) {
      size_t nl = content.find('\n', start);
      size_t end = nl == std::string_view::npos ? content.size() : nl + 1;
      file->lines.push_back(content.substr(start, end - start));
      start = end;
    }
    if (std::find(model_->files.begin(), model_->files.end(), path) == model_->files.end()) {
      model_->files.push_back(path);
    }

    File *saved_file = file_;
    int saved_line = line_no_;
    bool saved_pending = pending_;
    std::vector<Token> saved_tokens = std::move(tokens_);
    size_t saved_pos = pos_;
    pending_ = false;
    file_ = file.get();
    line_no_ = 0;
    stack_.push_back(file.get());
    absl::Status status = ParseBlock(parent, Kw::kNone, nullptr, tail);
    stack_.pop_back();
    file_ = saved_file;
    line_no_ = saved_line;
    pending_ = saved_pending;
    tokens_ = std::move(saved_tokens);
    pos_ = saved_pos;
    return status;
  }

  // Reads the next logical line (joining backslash continuations). Returns false at EOF.
  bool ReadRawLine(std::string *line) {
    if (file_->next >= file_->lines.size()) {
      return false;
    }
    line->assign(file_->lines[file_->next++]);
    ++line_no_;
    while (line->size() >= 2 && line->compare(line->size() - 2, 2, "\\\n") == 0 &&
           file_->next < file_->lines.size()) {
      line->resize(line->size() - 2);
      line->append(file_->lines[file_->next++]);
      ++line_no_;
    }
    return true;
  }

  // Tokenizes the next line carrying tokens into tokens_. *eof is set at end of file.
  absl::Status NextLine(bool *eof) {
    if (pending_) {
      pending_ = false;
      *eof = tokens_.empty();
      pos_ = 0;
      return absl::OkStatus();
    }
    std::string line;
    while (true) {
      if (!ReadRawLine(&line)) {
        tokens_.clear();
        *eof = true;
        return absl::OkStatus();
      }
      pp_.SetLocation(file_->path, line_no_);
      bool has_tokens = false;
      absl::Status status = Tokenize(std::move(line), &has_tokens);
      if (!status.ok()) {
        return status;
      }
      if (has_tokens) {
        *eof = false;
        pos_ = 0;
        return absl::OkStatus();
      }
    }
  }

  void PushBack() { pending_ = true; }

  absl::Status Tokenize(std::string s, bool *has_tokens) {
    tokens_.clear();
    size_t i = s.find_first_not_of(" \t\r\n\f\v");
    if (i == std::string::npos || s[i] == '#') {
      *has_tokens = false;
      return absl::OkStatus();
    }
    size_t word_end = i;
    while (word_end < s.size() && (IsNameChar(s[word_end]) && s[word_end] != '$')) {
      ++word_end;
    }
    Kw first = LookupKeyword(std::string_view(s).substr(i, word_end - i));
    if (first == Kw::kNone || (word_end < s.size() && s[word_end] == '$')) {
      std::string stripped = s;
      stripped.erase(0, i);
      while (!stripped.empty() && (stripped.back() == '\n' || stripped.back() == ' ' ||
                                   stripped.back() == '\t' || stripped.back() == '-')) {
        stripped.pop_back();
      }
      size_t dash = stripped.find_first_not_of('-');
      if (dash != std::string::npos && stripped.substr(dash) == "help") {
        tokens_.push_back(Token{Tok::kKeyword, Kw::kHelp, nullptr, "help"});
        *has_tokens = true;
        return absl::OkStatus();
      }
      absl::Status status = pp_.HandleAssignment(s);
      if (!status.ok()) {
        diagnostics_->push_back(
            Diagnostic{Severity::kError, file_->path, line_no_, std::string(status.message())});
        return status;
      }
      *has_tokens = false;
      return absl::OkStatus();
    }
    tokens_.push_back(Token{Tok::kKeyword, first, nullptr, s.substr(i, word_end - i)});
    i = word_end;
    Kw prev_kw = first;
    bool prev_is_kw = true;
    while (i < s.size()) {
      char c = s[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
        ++i;
        continue;
      }
      if (c == '#') {
        break;
      }
      if (IsNameChar(c)) {
        size_t end = i;
        while (end < s.size() && IsNameChar(s[end])) {
          ++end;
        }
        std::string word = s.substr(i, end - i);
        Kw kw = word.find('$') == std::string::npos ? LookupKeyword(word) : Kw::kNone;
        if (kw != Kw::kNone) {
          tokens_.push_back(Token{Tok::kKeyword, kw, nullptr, word});
          prev_kw = kw;
          prev_is_kw = true;
          i = end;
          continue;
        }
        if (word.find('$') != std::string::npos) {
          // Expand macros inside the name; the expansion continues the same name.
          size_t pos = i;
          while (true) {
            while (pos < s.size() && IsNameChar(s[pos]) &&
                   !(s[pos] == '$' && pos + 1 < s.size() && s[pos + 1] == '(')) {
              ++pos;
            }
            if (pos + 1 < s.size() && s[pos] == '$' && s[pos + 1] == '(') {
              size_t macro_end = 0;
              absl::Status status = pp_.ExpandMacroAt(&s, pos, &macro_end, {});
              if (!status.ok()) {
                diagnostics_->push_back(Diagnostic{Severity::kError, file_->path, line_no_,
                                                   std::string(status.message())});
                return status;
              }
              pos = macro_end;
              continue;
            }
            break;
          }
          end = pos;
          word = s.substr(i, end - i);
          if (word.find_first_not_of(" \t") == std::string::npos) {
            return Error("macro expanded to blank string");
          }
        }
        i = end;
        if (prev_is_kw && IsStringLex(prev_kw)) {
          tokens_.push_back(Token{Tok::kString, Kw::kNone, nullptr, word});
        } else if (word == "y" || word == "n" || word == "m") {
          tokens_.push_back(Token{Tok::kSymbol, Kw::kNone, model_->LookupConst(word), word});
        } else {
          tokens_.push_back(Token{Tok::kSymbol, Kw::kNone, model_->LookupSymbol(word), word});
        }
        prev_is_kw = false;
        continue;
      }
      if (c == '"' || c == '\'') {
        std::string value;
        if (s.find('$') == std::string::npos && s.find('\\') == std::string::npos) {
          size_t close = s.find(c, i + 1);
          if (close == std::string::npos) {
            return Error("unterminated string");
          }
          value = s.substr(i + 1, close - i - 1);
          i = close + 1;
        } else {
          size_t end = 0;
          absl::Status status = pp_.ExpandString(&s, i, &end, &value);
          if (!status.ok()) {
            diagnostics_->push_back(
                Diagnostic{Severity::kError, file_->path, line_no_, std::string(status.message())});
            return status;
          }
          value = pp_.ExpandEnvVars(value);
          i = end;
        }
        if ((prev_is_kw && IsStringLex(prev_kw)) || first == Kw::kOption) {
          tokens_.push_back(Token{Tok::kString, Kw::kNone, nullptr, value});
        } else {
          tokens_.push_back(Token{Tok::kSymbol, Kw::kNone, model_->LookupConst(value), value});
        }
        prev_is_kw = false;
        continue;
      }
      Tok op;
      size_t len = 1;
      if (s.compare(i, 2, "&&") == 0) {
        op = Tok::kAnd;
        len = 2;
      } else if (s.compare(i, 2, "||") == 0) {
        op = Tok::kOr;
        len = 2;
      } else if (s.compare(i, 2, "!=") == 0) {
        op = Tok::kNe;
        len = 2;
      } else if (s.compare(i, 2, "<=") == 0) {
        op = Tok::kLe;
        len = 2;
      } else if (s.compare(i, 2, ">=") == 0) {
        op = Tok::kGe;
        len = 2;
      } else if (c == '!') {
        op = Tok::kNot;
      } else if (c == '=') {
        op = Tok::kEq;
      } else if (c == '<') {
        op = Tok::kLt;
      } else if (c == '>') {
        op = Tok::kGt;
      } else if (c == '(') {
        op = Tok::kLParen;
      } else if (c == ')') {
        op = Tok::kRParen;
      } else {
        return Error(std::string("unexpected character '") + c + "'");
      }
      tokens_.push_back(Token{op, Kw::kNone, nullptr, s.substr(i, len)});
      prev_is_kw = false;
      i += len;
    }
    *has_tokens = true;
    return absl::OkStatus();
  }

  // ---- token helpers ----------------------------------------------------------------------

  bool AtEnd() const { return pos_ >= tokens_.size(); }
  const Token *Peek() const { return AtEnd() ? nullptr : &tokens_[pos_]; }
  bool PeekKw(Kw kw) const {
    return !AtEnd() && tokens_[pos_].tok == Tok::kKeyword && tokens_[pos_].kw == kw;
  }

  absl::Status ExpectEnd() {
    if (!AtEnd()) {
      return Error("unexpected '" + tokens_[pos_].text + "' at end of line");
    }
    return absl::OkStatus();
  }

  absl::Status ExpectString(std::string *out, const char *what) {
    if (AtEnd() || tokens_[pos_].tok != Tok::kString) {
      return Error(std::string("expected ") + what);
    }
    *out = tokens_[pos_++].text;
    return absl::OkStatus();
  }

  absl::Status ExpectSymbol(Symbol **out, const char *what) {
    if (AtEnd() || tokens_[pos_].tok != Tok::kSymbol) {
      return Error(std::string("expected ") + what);
    }
    *out = tokens_[pos_++].sym;
    return absl::OkStatus();
  }

  // Optional "if EXPR" at the end of a property line.
  absl::Status ParseOptionalCond(const Expr **cond) {
    *cond = nullptr;
    if (PeekKw(Kw::kIf)) {
      ++pos_;
      absl::Status status = ParseExpr(cond);
      if (!status.ok()) {
        return status;
      }
    }
    return ExpectEnd();
  }

  // ---- expressions ------------------------------------------------------------------------

  absl::Status ParseExpr(const Expr **out, bool transform_m = true) {
    const Expr *lhs = nullptr;
    absl::Status status = ParseAnd(&lhs, transform_m);
    if (!status.ok()) {
      return status;
    }
    if (!AtEnd() && tokens_[pos_].tok == Tok::kOr) {
      ++pos_;
      const Expr *rhs = nullptr;
      status = ParseExpr(&rhs, transform_m);
      if (!status.ok()) {
        return status;
      }
      *out = Binary(Expr::Kind::kOr, lhs, rhs);
      return absl::OkStatus();
    }
    *out = lhs;
    return absl::OkStatus();
  }

  absl::Status ParseAnd(const Expr **out, bool transform_m) {
    const Expr *lhs = nullptr;
    absl::Status status = ParseFactor(&lhs, transform_m);
    if (!status.ok()) {
      return status;
    }
    if (!AtEnd() && tokens_[pos_].tok == Tok::kAnd) {
      ++pos_;
      const Expr *rhs = nullptr;
      status = ParseAnd(&rhs, transform_m);
      if (!status.ok()) {
        return status;
      }
      *out = Binary(Expr::Kind::kAnd, lhs, rhs);
      return absl::OkStatus();
    }
    *out = lhs;
    return absl::OkStatus();
  }

  // Builds an unsimplified node; the parser keeps the written structure (nullptr never occurs).
  const Expr *Binary(Expr::Kind kind, const Expr *a, const Expr *b) {
    Expr &e = model_->expr_arena.emplace_back();
    e.kind = kind;
    e.a = a;
    e.b = b;
    return &e;
  }

  absl::Status ParseFactor(const Expr **out, bool transform_m) {
    if (AtEnd()) {
      return Error("expected an expression");
    }
    const Token &t = tokens_[pos_];
    if (t.tok == Tok::kNot) {
      ++pos_;
      const Expr *operand = nullptr;
      absl::Status status = ParseFactor(&operand, transform_m);
      if (!status.ok()) {
        return status;
      }
      Expr &e = model_->expr_arena.emplace_back();
      e.kind = Expr::Kind::kNot;
      e.a = operand;
      *out = &e;
      return absl::OkStatus();
    }
    if (t.tok == Tok::kLParen) {
      ++pos_;
      absl::Status status = ParseExpr(out, transform_m);
      if (!status.ok()) {
        return status;
      }
      if (AtEnd() || tokens_[pos_].tok != Tok::kRParen) {
        return Error("missing ')' in expression");
      }
      ++pos_;
      return absl::OkStatus();
    }
    if (t.tok != Tok::kSymbol) {
      return Error("malformed expression: unexpected '" + t.text + "'");
    }
    Symbol *lhs = t.sym;
    ++pos_;
    if (!AtEnd()) {
      Expr::Kind rel;
      bool is_rel = true;
      switch (tokens_[pos_].tok) {
        case Tok::kEq:
          rel = Expr::Kind::kEq;
          break;
        case Tok::kNe:
          rel = Expr::Kind::kNe;
          break;
        case Tok::kLt:
          rel = Expr::Kind::kLt;
          break;
        case Tok::kLe:
          rel = Expr::Kind::kLe;
          break;
        case Tok::kGt:
          rel = Expr::Kind::kGt;
          break;
        case Tok::kGe:
          rel = Expr::Kind::kGe;
          break;
        default:
          is_rel = false;
          rel = Expr::Kind::kSym;
          break;
      }
      if (is_rel) {
        ++pos_;
        if (AtEnd() || tokens_[pos_].tok != Tok::kSymbol) {
          return Error("malformed expression: expected a symbol after '" + tokens_[pos_ - 1].text +
                       "'");
        }
        Expr &e = model_->expr_arena.emplace_back();
        e.kind = rel;
        e.lhs = lhs;
        e.rhs = tokens_[pos_++].sym;
        *out = &e;
        return absl::OkStatus();
      }
    }
    if (transform_m && lhs == model_->m) {
      // In conditions, a bare 'm' means "m if modules are enabled", i.e. m && MODULES (and Gale
      // has no modules, so this is n unless a MODULES symbol is defined).
      *out = Binary(Expr::Kind::kAnd, model_->SymExpr(lhs),
                    model_->SymExpr(model_->LookupSymbol("MODULES")));
      return absl::OkStatus();
    }
    *out = model_->SymExpr(lhs);
    return absl::OkStatus();
  }

  // ---- blocks -----------------------------------------------------------------------------

  void Append(MenuNode *parent, MenuNode ***tail, MenuNode *node) {
    node->parent = parent;
    **tail = node;
    *tail = &node->next;
  }

  MenuNode *NewNode(MenuNode::Kind kind) {
    MenuNode *node = model_->NewNode(kind);
    node->loc = {file_->path, line_no_};
    return node;
  }

  absl::Status ParseBlock(MenuNode *parent, Kw end_kw, MenuNode *opener, MenuNode ***tail) {
    while (true) {
      bool eof = false;
      absl::Status status = NextLine(&eof);
      if (!status.ok()) {
        return status;
      }
      if (eof) {
        if (end_kw != Kw::kNone) {
          return ErrorAt(opener->loc.file, opener->loc.line,
                         std::string("unterminated '") + KindName(end_kw) + "' (no matching 'end" +
                             KindName(end_kw) + "' before the end of " + file_->path + ")");
        }
        return absl::OkStatus();
      }
      const Token &t0 = tokens_[0];
      pos_ = 1;
      switch (t0.kw) {
        case Kw::kConfig:
        case Kw::kMenuconfig: {
          Symbol *sym = nullptr;
          status = ExpectSymbol(&sym, "a symbol name after 'config'");
          if (!status.ok()) {
            return status;
          }
          if (sym->is_const) {
            return Error("cannot define the constant symbol '" + sym->name + "'");
          }
          if (status = ExpectEnd(); !status.ok()) {
            return status;
          }
          MenuNode *node = NewNode(MenuNode::Kind::kSymbol);
          node->item = sym;
          node->is_menuconfig = t0.kw == Kw::kMenuconfig;
          if (sym->nodes.empty()) {
            sym->index = static_cast<int>(model_->defined.size());
            model_->defined.push_back(sym);
          }
          sym->nodes.push_back(node);
          Append(parent, tail, node);
          if (status = ParseProperties(node); !status.ok()) {
            return status;
          }
          break;
        }
        case Kw::kChoice: {
          Symbol *choice = nullptr;
          if (!AtEnd() && tokens_[pos_].tok == Tok::kSymbol) {
            const std::string &name = tokens_[pos_++].text;
            auto it = named_choices_.find(name);
            if (it != named_choices_.end()) {
              choice = it->second;
            } else {
              choice = NewChoice(name);
              named_choices_[name] = choice;
            }
          } else {
            choice = NewChoice("");
          }
          if (status = ExpectEnd(); !status.ok()) {
            return status;
          }
          MenuNode *node = NewNode(MenuNode::Kind::kChoice);
          node->item = choice;
          choice->nodes.push_back(node);
          Append(parent, tail, node);
          if (status = ParseProperties(node); !status.ok()) {
            return status;
          }
          MenuNode **child_tail = &node->list;
          if (status = ParseBlock(node, Kw::kEndchoice, node, &child_tail); !status.ok()) {
            return status;
          }
          break;
        }
        case Kw::kMenu: {
          MenuNode *node = NewNode(MenuNode::Kind::kMenu);
          std::string title;
          if (status = ExpectString(&title, "a menu title"); !status.ok()) {
            return status;
          }
          if (status = ExpectEnd(); !status.ok()) {
            return status;
          }
          node->prompt = title;
          Append(parent, tail, node);
          if (status = ParseProperties(node); !status.ok()) {
            return status;
          }
          MenuNode **child_tail = &node->list;
          if (status = ParseBlock(node, Kw::kEndmenu, node, &child_tail); !status.ok()) {
            return status;
          }
          break;
        }
        case Kw::kComment: {
          MenuNode *node = NewNode(MenuNode::Kind::kComment);
          std::string text;
          if (status = ExpectString(&text, "a comment text"); !status.ok()) {
            return status;
          }
          if (status = ExpectEnd(); !status.ok()) {
            return status;
          }
          node->prompt = text;
          Append(parent, tail, node);
          if (status = ParseProperties(node); !status.ok()) {
            return status;
          }
          break;
        }
        case Kw::kIf: {
          MenuNode *node = NewNode(MenuNode::Kind::kIf);
          const Expr *cond = nullptr;
          if (status = ParseExpr(&cond); !status.ok()) {
            return status;
          }
          if (status = ExpectEnd(); !status.ok()) {
            return status;
          }
          node->dep = cond;
          Append(parent, tail, node);
          MenuNode **child_tail = &node->list;
          if (status = ParseBlock(node, Kw::kEndif, node, &child_tail); !status.ok()) {
            return status;
          }
          break;
        }
        case Kw::kMainmenu: {
          std::string title;
          if (status = ExpectString(&title, "a title after 'mainmenu'"); !status.ok()) {
            return status;
          }
          if (status = ExpectEnd(); !status.ok()) {
            return status;
          }
          model_->mainmenu = title;
          break;
        }
        case Kw::kSource:
        case Kw::kRsource:
        case Kw::kOsource:
        case Kw::kOrsource: {
          std::string pattern;
          if (status = ExpectString(&pattern, "a path after 'source'"); !status.ok()) {
            return status;
          }
          if (status = ExpectEnd(); !status.ok()) {
            return status;
          }
          if (status = Source(t0.kw, pattern, parent, tail); !status.ok()) {
            return status;
          }
          break;
        }
        case Kw::kEndmenu:
        case Kw::kEndchoice:
        case Kw::kEndif:
          if (t0.kw != end_kw) {
            return Error("unexpected '" + t0.text + "'" +
                         (end_kw == Kw::kNone
                              ? std::string(" (nothing to close)")
                              : std::string(" inside '") + KindName(end_kw) + "' opened at " +
                                    opener->loc.file + ":" + std::to_string(opener->loc.line)));
          }
          if (status = ExpectEnd(); !status.ok()) {
            return status;
          }
          return absl::OkStatus();
        default:
          return Error("unexpected '" + t0.text + "' outside of a config, choice or menu entry");
      }
    }
  }

  Symbol *NewChoice(const std::string &name) {
    Symbol &choice = model_->symbol_arena.emplace_back();
    choice.name = name;
    choice.is_choice = true;
    model_->choices.push_back(&choice);
    return &choice;
  }

  absl::Status Source(Kw kw, const std::string &pattern, MenuNode *parent, MenuNode ***tail) {
    const bool relative = kw == Kw::kRsource || kw == Kw::kOrsource;
    const bool optional = kw == Kw::kOsource || kw == Kw::kOrsource;
    std::string full = relative ? JoinPath(DirName(file_->path), pattern)
                                : JoinPath(srctree_ == "." ? "" : srctree_, pattern);
    std::vector<std::string> matches;
    glob_t g;
    int rc = glob(full.c_str(), GLOB_NOSORT, nullptr, &g);
    if (rc == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i) {
        matches.push_back(g.gl_pathv[i]);
      }
    }
    globfree(&g);
    std::sort(matches.begin(), matches.end());
    if (matches.empty() && !optional) {
      return Error("'" + pattern + "' not found (looked for '" + full + "'; $srctree is '" +
                   (srctree_.empty() ? "." : srctree_) + "')");
    }
    Location from{file_->path, line_no_};
    for (const std::string &match : matches) {
      absl::Status status = ParseFile(match, parent, tail, from);
      if (!status.ok()) {
        return status;
      }
    }
    return absl::OkStatus();
  }

  // ---- properties -------------------------------------------------------------------------

  void SetType(Symbol *sym, Type type) {
    if (sym->type != Type::kUnknown && sym->type != type) {
      Warn(std::string(sym->is_choice ? "choice" : sym->name) + " defined with type " +
           TypeName(type) + ", previously " + TypeName(sym->type));
    }
    sym->type = type;
  }

  static bool IsTypeKw(Kw kw, Type *type, bool *is_def) {
    *is_def = false;
    switch (kw) {
      case Kw::kBool:
        *type = Type::kBool;
        return true;
      case Kw::kTristate:
        *type = Type::kTristate;
        return true;
      case Kw::kInt:
        *type = Type::kInt;
        return true;
      case Kw::kHex:
        *type = Type::kHex;
        return true;
      case Kw::kString:
        *type = Type::kString;
        return true;
      case Kw::kDefBool:
        *type = Type::kBool;
        *is_def = true;
        return true;
      case Kw::kDefTristate:
        *type = Type::kTristate;
        *is_def = true;
        return true;
      case Kw::kDefInt:
        *type = Type::kInt;
        *is_def = true;
        return true;
      case Kw::kDefHex:
        *type = Type::kHex;
        *is_def = true;
        return true;
      case Kw::kDefString:
        *type = Type::kString;
        *is_def = true;
        return true;
      default:
        return false;
    }
  }

  absl::Status SetPrompt(MenuNode *node) {
    std::string text;
    absl::Status status = ExpectString(&text, "a prompt string");
    if (!status.ok()) {
      return status;
    }
    const Expr *cond = nullptr;
    if (status = ParseOptionalCond(&cond); !status.ok()) {
      return status;
    }
    if (node->prompt.has_value()) {
      Warn("prompt of " + (node->item != nullptr ? node->item->name : std::string("entry")) +
           " redefined");
    }
    node->prompt = text;
    node->prompt_cond = cond;
    return absl::OkStatus();
  }

  absl::Status ParseDefault(MenuNode *node) {
    Default d;
    d.loc = {file_->path, line_no_};
    absl::Status status = ParseExpr(&d.value, /*transform_m=*/false);
    if (!status.ok()) {
      return status;
    }
    if (status = ParseOptionalCond(&d.cond); !status.ok()) {
      return status;
    }
    node->defaults.push_back(d);
    return absl::OkStatus();
  }

  absl::Status ParseProperties(MenuNode *node) {
    const bool is_sym = node->kind == MenuNode::Kind::kSymbol;
    const bool is_choice = node->kind == MenuNode::Kind::kChoice;
    while (true) {
      bool eof = false;
      absl::Status status = NextLine(&eof);
      if (!status.ok()) {
        return status;
      }
      if (eof) {
        PushBack();
        return absl::OkStatus();
      }
      const Token &t0 = tokens_[0];
      pos_ = 1;
      Type type = Type::kUnknown;
      bool is_def = false;
      if ((is_sym || is_choice) && IsTypeKw(t0.kw, &type, &is_def)) {
        SetType(node->item, type);
        if (is_def) {
          status = ParseDefault(node);
        } else if (!AtEnd()) {
          status = SetPrompt(node);
        }
        if (!status.ok()) {
          return status;
        }
        continue;
      }
      switch (t0.kw) {
        case Kw::kPrompt:
          if (!is_sym && !is_choice) {
            return Error("'prompt' is only valid in config and choice entries");
          }
          status = SetPrompt(node);
          break;
        case Kw::kDefault:
          if (!is_sym && !is_choice) {
            return Error("'default' is only valid in config and choice entries");
          }
          status = ParseDefault(node);
          break;
        case Kw::kDepends: {
          if (!PeekKw(Kw::kOn)) {
            return Error("expected 'on' after 'depends'");
          }
          ++pos_;
          const Expr *dep = nullptr;
          status = ParseExpr(&dep);
          if (status.ok()) {
            status = ExpectEnd();
          }
          if (status.ok()) {
            node->dep = node->dep == nullptr ? dep : Binary(Expr::Kind::kAnd, node->dep, dep);
          }
          break;
        }
        case Kw::kSelect:
        case Kw::kImply: {
          if (!is_sym) {
            return Error("'" + t0.text + "' is only valid in config entries");
          }
          Select sel;
          sel.loc = {file_->path, line_no_};
          status = ExpectSymbol(&sel.target, "a symbol name");
          if (status.ok()) {
            status = ParseOptionalCond(&sel.cond);
          }
          if (status.ok()) {
            (t0.kw == Kw::kSelect ? node->selects : node->implies).push_back(sel);
          }
          break;
        }
        case Kw::kRange: {
          if (!is_sym) {
            return Error("'range' is only valid in config entries");
          }
          Range range;
          range.loc = {file_->path, line_no_};
          status = ExpectSymbol(&range.low, "the lower bound of the range");
          if (status.ok()) {
            status = ExpectSymbol(&range.high, "the upper bound of the range");
          }
          if (status.ok()) {
            status = ParseOptionalCond(&range.cond);
          }
          if (status.ok()) {
            node->ranges.push_back(range);
          }
          break;
        }
        case Kw::kVisible: {
          if (node->kind != MenuNode::Kind::kMenu) {
            return Error("'visible if' is only valid in menus");
          }
          if (!PeekKw(Kw::kIf)) {
            return Error("expected 'if' after 'visible'");
          }
          ++pos_;
          const Expr *cond = nullptr;
          status = ParseExpr(&cond);
          if (status.ok()) {
            status = ExpectEnd();
          }
          if (status.ok()) {
            node->visible_if = node->visible_if == nullptr
                                   ? cond
                                   : Binary(Expr::Kind::kAnd, node->visible_if, cond);
          }
          break;
        }
        case Kw::kHelp:
          status = ParseHelp(node);
          break;
        case Kw::kOption:
          if (PeekKw(Kw::kEnv) || PeekKw(Kw::kDefconfigList)) {
            // Kept for compatibility: such symbols are internal and never written out; an env
            // symbol defaults to the variable's value (as the C tools and Kconfiglib do).
            const bool is_env = PeekKw(Kw::kEnv);
            Warn("'option " + tokens_[pos_].text +
                 "' is obsolete; the symbol is not written to the configuration");
            // Only the first defconfig_list symbol is special.
            if (is_sym && (is_env || !seen_defconfig_list_)) {
              node->item->never_written = true;
            }
            if (!is_env) {
              seen_defconfig_list_ = true;
            }
            ++pos_;
            if (is_env && is_sym) {
              if (AtEnd() || tokens_[pos_].tok != Tok::kEq || pos_ + 1 >= tokens_.size() ||
                  tokens_[pos_ + 1].tok != Tok::kString) {
                return Error("expected 'option env=\"NAME\"'");
              }
              std::string value;
              pp_.GetEnv(tokens_[pos_ + 1].text, &value);
              Default d;
              d.value = model_->SymExpr(model_->LookupConst(value));
              d.loc = {file_->path, line_no_};
              node->defaults.insert(node->defaults.begin(), d);
            }
          } else if (!PeekKw(Kw::kModules) && !PeekKw(Kw::kAllnoconfigY)) {
            return Error("unknown option '" + (AtEnd() ? std::string() : tokens_[pos_].text) + "'");
          }
          pos_ = tokens_.size();
          break;
        case Kw::kOptional:
          if (!is_choice) {
            return Error("'optional' is only valid in choices");
          }
          node->item->optional = true;
          status = ExpectEnd();
          break;
        case Kw::kModules:
          pos_ = tokens_.size();
          break;
        default:
          // Not a property: the entry ends here.
          PushBack();
          return absl::OkStatus();
      }
      if (!status.ok()) {
        return status;
      }
    }
  }

  absl::Status ParseHelp(MenuNode *node) {
    std::string line;
    bool have_line = false;
    std::vector<std::string> lines;
    // Skip blank lines before the text; the first text line sets the indentation.
    while ((have_line = ReadRawLine(&line)) && IsBlank(line)) {
    }
    if (!have_line) {
      return absl::OkStatus();
    }
    int indent = Indentation(line);
    if (indent == 0) {
      UnreadLine();
      return absl::OkStatus();
    }
    lines.push_back(RStrip(ExpandTabs(line).substr(static_cast<size_t>(indent))));
    while (ReadRawLine(&line)) {
      if (IsBlank(line)) {
        lines.emplace_back();
        continue;
      }
      if (Indentation(line) < indent) {
        UnreadLine();
        break;
      }
      lines.push_back(RStrip(ExpandTabs(line).substr(static_cast<size_t>(indent))));
    }
    while (!lines.empty() && lines.back().empty()) {
      lines.pop_back();
    }
    std::string text;
    for (const std::string &l : lines) {
      text += l;
      text += '\n';
    }
    node->help = text;
    return absl::OkStatus();
  }

  // Steps back one raw line (help text reading looks one line ahead). Continuations never occur
  // on the line after help text in practice; a joined line is re-read as a whole anyway.
  void UnreadLine() {
    --file_->next;
    --line_no_;
  }

  // ---- finalization -----------------------------------------------------------------------

  static bool DependsOn(const Expr *e, Symbol *sym, const Model &m) {
    if (e == nullptr) {
      return false;
    }
    switch (e->kind) {
      case Expr::Kind::kSym:
        return e->sym == sym;
      case Expr::Kind::kAnd:
        return DependsOn(e->a, sym, m) || DependsOn(e->b, sym, m);
      case Expr::Kind::kEq:
      case Expr::Kind::kNe: {
        Symbol *other = nullptr;
        if (e->lhs == sym) {
          other = e->rhs;
        } else if (e->rhs == sym) {
          other = e->lhs;
        } else {
          return false;
        }
        return e->kind == Expr::Kind::kEq ? (other == m.y || other == m.m) : other == m.n;
      }
      default:
        return false;
    }
  }

  // Kconfig looks at the prompt condition when there is a prompt (it already includes the
  // dependencies), else at the dependencies.
  bool AutoMenuDep(MenuNode *parent, MenuNode *node) {
    const Expr *e = node->prompt.has_value() ? node->prompt_cond : node->dep;
    return DependsOn(e, parent->item, *model_);
  }

  void PropagateDeps(MenuNode *node, const Expr *visible_if) {
    const Expr *base =
        node->kind == MenuNode::Kind::kChoice ? model_->SymExpr(node->item) : node->dep;
    for (MenuNode *cur = node->list; cur != nullptr; cur = cur->next) {
      cur->dep = model_->And(cur->dep, base);
      const Expr *dep = cur->dep;
      if (cur->kind == MenuNode::Kind::kSymbol || cur->kind == MenuNode::Kind::kChoice) {
        if (cur->prompt.has_value()) {
          cur->prompt_cond = model_->And(cur->prompt_cond, model_->And(visible_if, dep));
        }
        for (Default &d : cur->defaults) {
          d.cond = model_->And(d.cond, dep);
        }
        for (Range &r : cur->ranges) {
          r.cond = model_->And(r.cond, dep);
        }
        for (Select &s : cur->selects) {
          s.cond = model_->And(s.cond, dep);
        }
        for (Select &s : cur->implies) {
          s.cond = model_->And(s.cond, dep);
        }
      } else if (cur->prompt.has_value()) {
        cur->prompt_cond = model_->And(cur->prompt_cond, dep);
      }
    }
  }

  // Moves the children of prompt-less nodes ('if' blocks, invisible symbols that collected an
  // automatic submenu) up to their parent's level so the menu tree has no invisible levels.
  static void Flatten(MenuNode *node) {
    for (; node != nullptr; node = node->next) {
      if (node->list != nullptr && !node->prompt.has_value() &&
          node->kind != MenuNode::Kind::kChoice) {
        MenuNode *last = node->list;
        while (true) {
          last->parent = node->parent;
          if (last->next == nullptr) {
            break;
          }
          last = last->next;
        }
        last->next = node->next;
        node->next = node->list;
        node->list = nullptr;
      }
    }
  }

  static void RemoveIfs(MenuNode *node) {
    MenuNode **link = &node->list;
    while (*link != nullptr) {
      if ((*link)->kind == MenuNode::Kind::kIf) {
        *link = (*link)->next;
      } else {
        link = &(*link)->next;
      }
    }
  }

  void Finalize(MenuNode *node, const Expr *visible_if) {
    if (node->list != nullptr) {
      if (node->kind == MenuNode::Kind::kMenu) {
        visible_if = model_->And(visible_if, node->visible_if);
      }
      PropagateDeps(node, visible_if);
      for (MenuNode *cur = node->list; cur != nullptr; cur = cur->next) {
        Finalize(cur, visible_if);
      }
    } else if (node->kind == MenuNode::Kind::kSymbol) {
      // Following entries that depend on this symbol become its children (implicit submenu).
      MenuNode *cur = node;
      while (cur->next != nullptr && AutoMenuDep(node, cur->next)) {
        Finalize(cur->next, visible_if);
        cur = cur->next;
        cur->parent = node;
      }
      if (cur != node) {
        node->list = node->next;
        node->next = cur->next;
        cur->next = nullptr;
      }
    }
    if (node->list != nullptr) {
      Flatten(node->list);
      RemoveIfs(node);
    }
    if (node->kind == MenuNode::Kind::kSymbol) {
      AddPropsToSymbol(node);
    } else if (node->kind == MenuNode::Kind::kChoice) {
      FinalizeChoice(node);
    }
  }

  void AddPropsToSymbol(MenuNode *node) {
    Symbol *sym = node->item;
    sym->direct_dep = sym->has_direct_dep ? model_->Or(sym->direct_dep, node->dep) : node->dep;
    sym->has_direct_dep = true;
    sym->defaults.insert(sym->defaults.end(), node->defaults.begin(), node->defaults.end());
    sym->ranges.insert(sym->ranges.end(), node->ranges.begin(), node->ranges.end());
    for (const Select &s : node->selects) {
      const Expr *e = model_->And(model_->SymExpr(sym), s.cond);
      s.target->rev_dep = s.target->rev_dep == nullptr ? e : model_->Or(s.target->rev_dep, e);
      if (std::find(s.target->selected_by.begin(), s.target->selected_by.end(), sym) ==
          s.target->selected_by.end()) {
        s.target->selected_by.push_back(sym);
      }
    }
    for (const Select &s : node->implies) {
      const Expr *e = model_->And(model_->SymExpr(sym), s.cond);
      s.target->weak_rev_dep =
          s.target->weak_rev_dep == nullptr ? e : model_->Or(s.target->weak_rev_dep, e);
      if (std::find(s.target->implied_by.begin(), s.target->implied_by.end(), sym) ==
          s.target->implied_by.end()) {
        s.target->implied_by.push_back(sym);
      }
    }
  }

  void FinalizeChoice(MenuNode *node) {
    Symbol *choice = node->item;
    choice->direct_dep =
        choice->has_direct_dep ? model_->Or(choice->direct_dep, node->dep) : node->dep;
    choice->has_direct_dep = true;
    choice->defaults.insert(choice->defaults.end(), node->defaults.begin(), node->defaults.end());
    for (MenuNode *cur = node->list; cur != nullptr; cur = cur->next) {
      if (cur->kind == MenuNode::Kind::kSymbol) {
        cur->item->choice = choice;
        if (std::find(choice->members.begin(), choice->members.end(), cur->item) ==
            choice->members.end()) {
          choice->members.push_back(cur->item);
        }
      }
    }
    if (choice->type == Type::kUnknown) {
      for (Symbol *member : choice->members) {
        if (member->type != Type::kUnknown) {
          choice->type = member->type;
          break;
        }
      }
    }
    for (Symbol *member : choice->members) {
      if (member->type == Type::kUnknown) {
        member->type = choice->type;
      }
    }
  }

  absl::Status CheckTypes() {
    for (Symbol *sym : model_->defined) {
      if (sym->type == Type::kUnknown) {
        const Location &loc = sym->nodes.front()->loc;
        return ErrorAt(loc.file, loc.line, "config " + sym->name + " defined without a type");
      }
    }
    return absl::OkStatus();
  }

  const LoadOptions &options_;
  Model *model_;
  std::vector<Diagnostic> *diagnostics_;
  Preprocessor pp_;
  std::string srctree_;
  std::vector<File *> stack_;
  File *file_ = nullptr;
  int line_no_ = 0;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  bool pending_ = false;
  bool seen_defconfig_list_ = false;
  std::unordered_map<std::string, Symbol *> named_choices_;
};

}  // namespace

absl::Status ParseKconfig(const std::string &path, const LoadOptions &options, Model *model,
                          std::vector<Diagnostic> *diagnostics) {
  Parser parser(options, model, diagnostics);
  return parser.Run(path);
}

}  // namespace gale::kconfig
