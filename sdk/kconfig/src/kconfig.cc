#include "gale/kconfig/kconfig.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "model.h"
#include "parser.h"

namespace gale::kconfig {

std::string RenderConfig(Model &m, const std::string &header);
std::string RenderAutoconf(Model &m, const std::string &header);
std::string RenderJson(Model &m);

std::string Diagnostic::Format() const {
  const char *kind = severity == Severity::kError     ? "error"
                     : severity == Severity::kWarning ? "warning"
                                                      : "note";
  std::string out;
  if (!file.empty()) {
    out = file + ":" + std::to_string(line) + ": ";
  }
  return out + kind + ": " + message;
}

Kconfig::Kconfig() : model_(std::make_unique<Model>()) {
  model_->diagnostics = &diagnostics_;
}

Kconfig::~Kconfig() = default;

absl::StatusOr<std::unique_ptr<Kconfig>> Kconfig::Load(const std::string &kconfig_path,
                                                       const LoadOptions &options) {
  std::unique_ptr<Kconfig> kconfig(new Kconfig());
  absl::Status status =
      ParseKconfig(kconfig_path, options, kconfig->model_.get(), &kconfig->diagnostics_);
  if (!status.ok()) {
    return status;
  }
  return kconfig;
}

const std::vector<std::string> &Kconfig::files() const {
  return model_->files;
}

int Kconfig::WarningCount() const {
  return static_cast<int>(
      std::count_if(diagnostics_.begin(), diagnostics_.end(),
                    [](const Diagnostic &d) { return d.severity != Severity::kNote; }));
}

void Kconfig::Invalidate() {
  ResetValues(*model_);
  model_->warned.clear();
}

std::optional<std::string> Kconfig::Value(const std::string &name) {
  auto it = model_->symbols.find(name);
  if (it == model_->symbols.end() || it->second->nodes.empty()) {
    return std::nullopt;
  }
  return SymStr(*model_, it->second);
}

std::string Kconfig::ConfigText(const std::string &header) {
  return RenderConfig(*model_, header);
}

std::string Kconfig::AutoconfText(const std::string &header) {
  return RenderAutoconf(*model_, header);
}

std::string Kconfig::JsonText() {
  return RenderJson(*model_);
}

namespace {

std::string DescribeSymbols(Model &m, const Expr *e) {
  std::vector<Symbol *> syms;
  CollectSymbols(e, &syms);
  std::string out;
  for (Symbol *sym : syms) {
    int64_t number = 0;
    if (!sym->is_choice && sym->nodes.empty() &&
        (ParseInt(sym->name, 0, &number) || ParseInt(sym->name, 16, &number))) {
      continue;  // a numeric constant such as the 10 in 'FOO < 10'
    }
    if (!out.empty()) {
      out += ", ";
    }
    std::string value = SymStr(m, sym);
    if (!sym->is_choice && sym->nodes.empty()) {
      value = "n, undefined";
    }
    out += (sym->is_choice ? std::string("<choice>") : "CONFIG_" + sym->name) + "=" + value;
  }
  return out;
}

std::string Normalize(const Symbol *sym, const std::string &requested) {
  if (sym->type == Type::kBool || sym->type == Type::kTristate) {
    return requested.empty() || requested[0] == 'n' ? "n" : "y";
  }
  return requested;
}

}  // namespace

std::string Kconfig::ExplainAssignment(Symbol *sym) {
  Model &m = *model_;
  bool has_prompt = false;
  const Expr *prompt_conds = m.NExpr();
  for (const MenuNode *node : sym->nodes) {
    if (node->prompt.has_value()) {
      has_prompt = true;
      prompt_conds = m.Or(prompt_conds, node->prompt_cond);
    }
  }
  const std::string requested = Normalize(sym, *sym->requested);
  const std::string &actual = SymStr(m, sym);
  if (!has_prompt) {
    return "it has no prompt, so it cannot be set from a configuration fragment (its value comes "
           "from defaults and select/imply)";
  }
  if (Visibility(m, sym) == kN) {
    if (sym->choice != nullptr && SymTri(m, sym->choice) == kN) {
      return "its choice is not enabled (dependencies: " + ExprToString(sym->choice->direct_dep) +
             "; " + DescribeSymbols(m, sym->choice->direct_dep) + ")";
    }
    std::string deps = ExprToString(prompt_conds);
    std::string values = DescribeSymbols(m, prompt_conds);
    return "unmet dependencies: " + deps + (values.empty() ? "" : " (" + values + ")");
  }
  if (sym->rev_dep != nullptr && EvalExpr(m, sym->rev_dep) != kN && requested == "n") {
    std::string by;
    for (Symbol *s : sym->selected_by) {
      if (SymTri(m, s) != kN) {
        by += (by.empty() ? "" : ", ") + std::string("CONFIG_") + s->name;
      }
    }
    return "it is forced to y by 'select' from " + by;
  }
  if (sym->type == Type::kInt || sym->type == Type::kHex) {
    int64_t low = 0;
    int64_t high = 0;
    if (ActiveRange(m, sym, &low, &high)) {
      auto fmt = [&](int64_t v) { return sym->type == Type::kInt ? std::to_string(v) : PyHex(v); };
      return "the value is outside the active range [" + fmt(low) + ", " + fmt(high) + "]";
    }
  }
  if (sym->choice != nullptr) {
    Symbol *selection = ChoiceSelection(m, sym->choice);
    if (requested == "y" && selection != nullptr && selection != sym) {
      return "CONFIG_" + selection->name + " is selected in the same choice";
    }
    if (requested == "n" && actual == "y") {
      return "it is the choice's selection; a choice in y mode always selects one member, so "
             "assign y to another member instead";
    }
  }
  return "the value was overridden (actual value " + actual + ")";
}

void Kconfig::CheckAssignments() {
  Model &m = *model_;
  for (Symbol *sym : m.defined) {
    if (!sym->requested.has_value()) {
      continue;
    }
    const std::string requested = Normalize(sym, *sym->requested);
    const std::string &actual = SymStr(m, sym);
    if (requested == actual) {
      continue;
    }
    std::string message = "CONFIG_" + sym->name + " was assigned the value '" + *sym->requested +
                          "' but got the value '" + actual + "': " + ExplainAssignment(sym);
    diagnostics_.push_back(
        Diagnostic{Severity::kWarning, sym->user_loc.file, sym->user_loc.line, message});
  }
}

absl::Status WriteIfChanged(const std::string &path, std::string_view content, bool *changed) {
  if (changed != nullptr) {
    *changed = false;
  }
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::stringstream buffer;
      buffer << in.rdbuf();
      if (buffer.str() == content) {
        return absl::OkStatus();
      }
    }
  }
  // Write to a temporary file first so that readers never see a half-written file.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return absl::PermissionDeniedError("cannot write " + tmp);
    }
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) {
      return absl::DataLossError("short write to " + tmp);
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return absl::PermissionDeniedError("cannot rename " + tmp + " to " + path);
  }
  if (changed != nullptr) {
    *changed = true;
  }
  return absl::OkStatus();
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace gale::kconfig
