#include "preprocessor.h"

#include <sys/utsname.h>

#include <cstdio>
#include <cstdlib>

#include "gale/kconfig/dt_info.h"
#include "model.h"

namespace gale::kconfig {
namespace {

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

constexpr int kMaxExpansions = 100;

std::string RunShell(const std::string &command) {
  std::string output;
  FILE *pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return output;
  }
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    output.append(buffer, n);
  }
  pclose(pipe);
  // Like $(shell) in Kconfig: CRLF -> LF, drop trailing newlines, other newlines become spaces.
  std::string cleaned;
  for (size_t i = 0; i < output.size(); ++i) {
    if (output[i] == '\r' && i + 1 < output.size() && output[i + 1] == '\n') {
      continue;
    }
    cleaned.push_back(output[i]);
  }
  while (!cleaned.empty() && cleaned.back() == '\n') {
    cleaned.pop_back();
  }
  for (char &c : cleaned) {
    if (c == '\n') {
      c = ' ';
    }
  }
  return cleaned;
}

}  // namespace

Preprocessor::Preprocessor(const LoadOptions &options, std::vector<Diagnostic> *diagnostics)
    : options_(options), diagnostics_(diagnostics) {}

absl::Status Preprocessor::Error(const std::string &message) const {
  return absl::InvalidArgumentError(file_ + ":" + std::to_string(line_) + ": error: " + message);
}

void Preprocessor::Report(Severity severity, const std::string &message) {
  diagnostics_->push_back(Diagnostic{severity, file_, line_, message});
}

bool Preprocessor::GetEnv(const std::string &name, std::string *value) const {
  if (auto it = options_.env.find(name); it != options_.env.end()) {
    *value = it->second;
    return true;
  }
  if (options_.use_process_env) {
    if (const char *env = std::getenv(name.c_str()); env != nullptr) {
      *value = env;
      return true;
    }
  }
  return false;
}

absl::Status Preprocessor::ExpandWhole(std::string_view s, std::string *out) {
  std::string text(s);
  size_t i = 0;
  while ((i = text.find("$(", i)) != std::string::npos) {
    size_t end = 0;
    absl::Status status = ExpandMacroAt(&text, i, &end, {});
    if (!status.ok()) {
      return status;
    }
    i = end;
  }
  *out = std::move(text);
  return absl::OkStatus();
}

absl::Status Preprocessor::ExpandMacroAt(std::string *s, size_t i, size_t *end,
                                         const std::vector<std::string> &args) {
  // Arguments are split on top-level commas of the *unexpanded* text: a nested macro is expanded
  // in place and scanning resumes after its result, so commas it produces never split arguments.
  std::string prefix = s->substr(0, i);
  size_t pos = i + 2;
  size_t arg_start = pos;
  int nesting = 0;
  std::vector<std::string> call_args;
  while (true) {
    size_t special = s->find_first_of("(),$", pos);
    if (special == std::string::npos) {
      return Error("missing end parenthesis in macro expansion");
    }
    char c = (*s)[special];
    if (c == '$') {
      if (special + 1 < s->size() && (*s)[special + 1] == '(') {
        size_t nested_end = 0;
        absl::Status status = ExpandMacroAt(s, special, &nested_end, args);
        if (!status.ok()) {
          return status;
        }
        pos = nested_end;
      } else {
        pos = special + 1;
      }
      continue;
    }
    if (c == '(') {
      ++nesting;
      pos = special + 1;
      continue;
    }
    if (c == ',') {
      pos = special + 1;
      if (nesting == 0) {
        call_args.push_back(s->substr(arg_start, special - arg_start));
        arg_start = pos;
      }
      continue;
    }
    // ')'
    if (nesting > 0) {
      --nesting;
      pos = special + 1;
      continue;
    }
    call_args.push_back(s->substr(arg_start, special - arg_start));
    std::string value;
    // $(1), $(2), ... refer to the arguments of the user-defined function being expanded.
    int64_t arg_index = -1;
    if (!args.empty() && ParseArgIndex(call_args[0], &arg_index) &&
        static_cast<size_t>(arg_index) < args.size()) {
      value = args[static_cast<size_t>(arg_index)];
    } else {
      absl::Status status = CallFunction(call_args, &value);
      if (!status.ok()) {
        return status;
      }
    }
    std::string rest = s->substr(special + 1);
    *s = prefix + value + rest;
    *end = prefix.size() + value.size();
    return absl::OkStatus();
  }
}

bool Preprocessor::ParseArgIndex(const std::string &text, int64_t *index) {
  return ParseInt(text, 10, index) && *index >= 0;
}

absl::Status Preprocessor::CallFunction(const std::vector<std::string> &args, std::string *out) {
  const std::string &name = args[0];
  if (auto it = variables_.find(name); it != variables_.end()) {
    Variable &var = it->second;
    if (args.size() == 1 && var.expansions > 0) {
      return Error("preprocessor variable " + name + " recursively references itself");
    }
    if (var.expansions > kMaxExpansions) {
      return Error("preprocessor function " + name + " seems stuck in infinite recursion");
    }
    if (!var.recursive) {
      *out = var.value;
      return absl::OkStatus();
    }
    ++var.expansions;
    std::string text = var.value;
    size_t i = 0;
    absl::Status status;
    while ((i = text.find("$(", i)) != std::string::npos) {
      size_t end = 0;
      status = ExpandMacroAt(&text, i, &end, args);
      if (!status.ok()) {
        break;
      }
      i = end;
    }
    --variables_[name].expansions;
    *out = std::move(text);
    return status;
  }
  const size_t nargs = args.size() - 1;
  auto check_arity = [&](size_t min_args, size_t max_args) -> absl::Status {
    if (nargs < min_args || nargs > max_args) {
      return Error("wrong number of arguments in call to " + name + "()");
    }
    return absl::OkStatus();
  };
  if (name == "info") {
    if (auto s = check_arity(1, 1); !s.ok()) {
      return s;
    }
    Report(Severity::kNote, args[1]);
    out->clear();
    return absl::OkStatus();
  }
  if (name == "warning-if" || name == "error-if") {
    if (auto s = check_arity(2, 2); !s.ok()) {
      return s;
    }
    out->clear();
    if (args[1] == "y") {
      if (name == "error-if") {
        return Error(args[2]);
      }
      Report(Severity::kWarning, args[2]);
    }
    return absl::OkStatus();
  }
  if (name == "filename") {
    if (auto s = check_arity(0, 0); !s.ok()) {
      return s;
    }
    *out = file_;
    return absl::OkStatus();
  }
  if (name == "lineno") {
    if (auto s = check_arity(0, 0); !s.ok()) {
      return s;
    }
    *out = std::to_string(line_);
    return absl::OkStatus();
  }
  if (name == "shell") {
    if (auto s = check_arity(1, 1); !s.ok()) {
      return s;
    }
    *out = RunShell(args[1]);
    return absl::OkStatus();
  }
  if (auto arity = DtFunctionArityOf(name); arity.has_value()) {
    if (auto s =
            check_arity(static_cast<size_t>(arity->min_args), static_cast<size_t>(arity->max_args));
        !s.ok()) {
      return s;
    }
    *out = CallDtFunction(options_.dt_info, name, {args.begin() + 1, args.end()});
    return absl::OkStatus();
  }
  std::string value;
  if (GetEnv(name, &value)) {
    env_used_[name] = value;
    *out = value;
    return absl::OkStatus();
  }
  out->clear();
  return absl::OkStatus();
}

absl::Status Preprocessor::ExpandString(std::string *s, size_t i, size_t *end, std::string *value) {
  const char quote = (*s)[i];
  const size_t start = i + 1;
  size_t pos = start;
  while (true) {
    size_t special = pos;
    while (special < s->size() && (*s)[special] != quote && (*s)[special] != '\\' &&
           !((*s)[special] == '$' && special + 1 < s->size() && (*s)[special + 1] == '(')) {
      ++special;
    }
    if (special >= s->size() || (*s)[special] == '\n') {
      return Error("unterminated string");
    }
    char c = (*s)[special];
    if (c == quote) {
      *value = s->substr(start, special - start);
      *end = special + 1;
      return absl::OkStatus();
    }
    if (c == '\\') {
      // '\x' becomes 'x'; the character after it is skipped, so '\$(x)' is not expanded.
      s->erase(special, 1);
      pos = special + 1;
      continue;
    }
    size_t macro_end = 0;
    absl::Status status = ExpandMacroAt(s, special, &macro_end, {});
    if (!status.ok()) {
      return status;
    }
    pos = macro_end;
  }
}

std::string Preprocessor::ExpandEnvVars(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '$') {
      out.push_back(s[i++]);
      continue;
    }
    size_t name_start = 0;
    size_t name_end = 0;
    size_t next = 0;
    if (i + 1 < s.size() && s[i + 1] == '{') {
      size_t close = s.find('}', i + 2);
      if (close == std::string_view::npos) {
        out.push_back(s[i++]);
        continue;
      }
      name_start = i + 2;
      name_end = close;
      next = close + 1;
    } else {
      name_start = i + 1;
      name_end = name_start;
      while (name_end < s.size() && IsWordChar(s[name_end])) {
        ++name_end;
      }
      next = name_end;
    }
    if (name_end == name_start && s[i + 1] != '{') {
      out.push_back(s[i++]);
      continue;
    }
    std::string name(s.substr(name_start, name_end - name_start));
    std::string value;
    if (name == "UNAME_RELEASE" && s[i + 1] != '{') {
      struct utsname uts;
      if (uname(&uts) == 0) {
        out += uts.release;
        i = next;
        continue;
      }
    }
    if (GetEnv(name, &value)) {
      out += value;
    } else {
      out.append(s.substr(i, next - i));
    }
    i = next;
  }
  return out;
}

absl::Status Preprocessor::HandleAssignment(std::string line) {
  size_t start = line.find_first_not_of(" \t");
  if (start == std::string::npos) {
    return absl::OkStatus();
  }
  line.erase(0, start);
  // The variable name may itself contain macros.
  size_t i = 0;
  bool had_macro = false;
  while (true) {
    while (i < line.size() &&
           (IsWordChar(line[i]) || line[i] == '-' || line[i] == '.' || line[i] == '/')) {
      ++i;
    }
    if (line.compare(i, 2, "$(") == 0) {
      size_t end = 0;
      absl::Status status = ExpandMacroAt(&line, i, &end, {});
      if (!status.ok()) {
        return status;
      }
      had_macro = true;
      i = end;
      continue;
    }
    break;
  }
  if (line.find_first_not_of(" \t\r\n", i) == std::string::npos) {
    // A bare macro on a line is fine (used for side effects: $(info,...), $(warning-if,...));
    // a bare word is an unknown keyword.
    if (!had_macro && i > 0) {
      return Error("unknown keyword '" + line.substr(0, i) + "'");
    }
    return absl::OkStatus();
  }
  std::string name = line.substr(0, i);
  size_t op_pos = line.find_first_not_of(" \t", i);
  std::string op;
  if (line.compare(op_pos, 1, "=") == 0) {
    op = "=";
  } else if (line.compare(op_pos, 2, ":=") == 0) {
    op = ":=";
  } else if (line.compare(op_pos, 2, "+=") == 0) {
    op = "+=";
  } else {
    if (name.empty()) {
      return Error("syntax error");
    }
    return Error("unknown keyword '" + name + "'");
  }
  if (name.empty()) {
    return Error("syntax error: assignment to an empty variable name");
  }
  size_t value_pos = line.find_first_not_of(" \t", op_pos + op.size());
  std::string value = value_pos == std::string::npos ? "" : line.substr(value_pos);
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) {
    value.pop_back();
  }
  auto it = variables_.find(name);
  if (it == variables_.end()) {
    it = variables_.emplace(name, Variable{}).first;
    if (op == "+=") {
      op = "=";  // += on an undefined variable defines a recursive one
    }
  }
  Variable &var = it->second;
  if (op == "=") {
    var.recursive = true;
    var.value = value;
  } else if (op == ":=") {
    std::string expanded;
    absl::Status status = ExpandWhole(value, &expanded);
    if (!status.ok()) {
      return status;
    }
    var.recursive = false;
    var.value = expanded;
  } else {
    std::string addition = value;
    if (!var.recursive) {
      absl::Status status = ExpandWhole(value, &addition);
      if (!status.ok()) {
        return status;
      }
    }
    var.value += " " + addition;
  }
  return absl::OkStatus();
}

}  // namespace gale::kconfig
