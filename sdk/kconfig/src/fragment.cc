// Configuration fragment loading (CONFIG_X=... lines), like Kconfiglib's load_config().
#include <fstream>
#include <sstream>

#include "gale/kconfig/kconfig.h"
#include "model.h"

namespace gale::kconfig {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

constexpr std::string_view kPrefix = "CONFIG_";

// Parses "CONFIG_NAME=value"; returns false if the line has another shape.
bool MatchSet(std::string_view line, std::string *name, std::string *value) {
  if (line.substr(0, kPrefix.size()) != kPrefix) {
    return false;
  }
  size_t i = kPrefix.size();
  size_t start = i;
  while (i < line.size() && IsNameChar(line[i])) {
    ++i;
  }
  if (i == start || i >= line.size() || line[i] != '=') {
    return false;
  }
  *name = std::string(line.substr(start, i - start));
  *value = std::string(line.substr(i + 1));
  return true;
}

// Parses "# CONFIG_NAME is not set".
bool MatchUnset(std::string_view line, std::string *name) {
  constexpr std::string_view kHead = "# CONFIG_";
  constexpr std::string_view kTail = " is not set";
  if (line.substr(0, kHead.size()) != kHead || line.size() < kHead.size() + kTail.size() + 1 ||
      line.substr(line.size() - kTail.size()) != kTail) {
    return false;
  }
  std::string_view middle = line.substr(kHead.size(), line.size() - kHead.size() - kTail.size());
  if (middle.find(' ') != std::string_view::npos) {
    return false;
  }
  *name = std::string(middle);
  return true;
}

// Unquotes "..." with backslash escapes; false if the literal is malformed.
bool ParseStringLiteral(std::string_view text, std::string *out) {
  size_t end = text.size();
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) {
    --end;
  }
  if (end < 2 || text[0] != '"' || text[end - 1] != '"') {
    return false;
  }
  out->clear();
  for (size_t i = 1; i + 1 < end; ++i) {
    char c = text[i];
    if (c == '\\') {
      if (i + 1 >= end - 1) {
        return false;  // a backslash escaping the closing quote
      }
      out->push_back(text[++i]);
      continue;
    }
    if (c == '"') {
      return false;
    }
    out->push_back(c);
  }
  return true;
}

}  // namespace

absl::Status Kconfig::LoadFragment(const std::string &path, bool replace) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics_.push_back(Diagnostic{Severity::kError, path, 0,
                                      "configuration fragment does not exist or cannot be read"});
    return absl::NotFoundError(path +
                               ": error: configuration fragment does not exist or cannot be read");
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  LoadFragmentText(buffer.str(), path, replace);
  return absl::OkStatus();
}

void Kconfig::LoadFragmentText(std::string_view text, const std::string &name, bool replace) {
  Model &m = *model_;
  Invalidate();
  if (replace) {
    for (Symbol &sym : m.symbol_arena) {
      sym.user_value.reset();
      sym.requested.reset();
      sym.user_selection = nullptr;
      sym.choice_user_mode.reset();
    }
  }
  auto warn = [&](int line, const std::string &message) {
    diagnostics_.push_back(Diagnostic{Severity::kWarning, name, line, message});
  };
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    std::string sym_name;
    std::string value;
    bool is_set = MatchSet(line, &sym_name, &value);
    if (!is_set) {
      if (!MatchUnset(line, &sym_name)) {
        size_t first = line.find_first_not_of(" \t");
        if (first != std::string_view::npos && line[first] != '#') {
          warn(line_no, "ignoring malformed line '" + std::string(line) + "'");
        }
        continue;
      }
      value = "n";
    }
    auto it = m.symbols.find(sym_name);
    if (it == m.symbols.end() || it->second->nodes.empty()) {
      std::string message = "attempt to assign the value '" + value + "' to the undefined symbol " +
                            std::string(kPrefix) + sym_name;
      size_t best = std::string::npos;
      const Symbol *best_sym = nullptr;
      for (const Symbol *candidate : m.defined) {
        size_t d = EditDistance(sym_name, candidate->name);
        if (d < best) {
          best = d;
          best_sym = candidate;
        }
      }
      if (best_sym != nullptr && best <= std::max<size_t>(2, sym_name.size() / 4) &&
          best < sym_name.size()) {
        message += "; did you mean " + std::string(kPrefix) + best_sym->name + "?";
      }
      warn(line_no, message);
      continue;
    }
    Symbol *sym = it->second;
    const std::string full_name = std::string(kPrefix) + sym->name;
    switch (sym->type) {
      case Type::kBool:
      case Type::kTristate: {
        const bool ok = !value.empty() && (value[0] == 'y' || value[0] == 'n' ||
                                           (sym->type == Type::kTristate && value[0] == 'm'));
        if (!ok) {
          warn(line_no, "'" + value + "' is not a valid value for the " + TypeName(sym->type) +
                            " symbol " + full_name + " (expected y or n); assignment ignored");
          continue;
        }
        std::string tri(1, value[0]);
        sym->requested = value;
        sym->user_loc = {name, line_no};
        if (sym->choice != nullptr && tri != "n") {
          // Assigning y to a choice member selects it (and puts the choice in y mode).
          sym->choice->choice_user_mode = tri == "y" ? kY : kM;
          if (tri == "y") {
            sym->choice->user_selection = sym;
            continue;
          }
        }
        sym->user_value = tri;
        break;
      }
      case Type::kString: {
        std::string unquoted;
        if (!is_set) {
          continue;  // "is not set" only applies to bool symbols
        }
        if (!ParseStringLiteral(value, &unquoted)) {
          warn(line_no, "malformed string literal in assignment to " + full_name +
                            " (expected \"...\" with \\\" and \\\\ escapes); assignment ignored");
          continue;
        }
        sym->user_value = unquoted;
        sym->requested = unquoted;
        sym->user_loc = {name, line_no};
        break;
      }
      case Type::kInt:
      case Type::kHex: {
        if (!is_set) {
          continue;
        }
        int64_t number = 0;
        if (!ParseInt(value, sym->type == Type::kInt ? 10 : 16, &number)) {
          warn(line_no, "the value '" + value + "' is invalid for " + full_name +
                            ", which has type " + TypeName(sym->type) + "; assignment ignored");
          continue;
        }
        sym->user_value = value;
        sym->requested = value;
        sym->user_loc = {name, line_no};
        break;
      }
      case Type::kUnknown:
        break;
    }
  }
}

}  // namespace gale::kconfig
