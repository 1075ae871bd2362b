#include "gale/build/config.h"
#include "text_util.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gale::build {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view kPrefix = "CONFIG_";

using internal::Trim;

std::string_view StripPrefix(std::string_view name) {
  if (name.substr(0, kPrefix.size()) == kPrefix) {
    name.remove_prefix(kPrefix.size());
  }
  return name;
}

std::string Str(const json &j, const char *key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    return {};
  }
  return it->get<std::string>();
}

std::vector<std::string> Strings(const json &j, const char *key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it != j.end() && it->is_array()) {
    for (const json &v : *it) {
      if (v.is_string()) {
        out.push_back(v.get<std::string>());
      }
    }
  }
  return out;
}

std::optional<long long> ParseInt(std::string_view s) {
  std::string text(Trim(s));
  if (text.empty()) {
    return std::nullopt;
  }
  size_t i = (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (i == text.size() || !std::all_of(text.begin() + static_cast<long>(i), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return std::nullopt;
  }
  errno = 0;
  long long v = std::strtoll(text.c_str(), nullptr, 10);
  return errno == 0 ? std::optional<long long>(v) : std::nullopt;
}

std::optional<unsigned long long> ParseHex(std::string_view s) {
  std::string text(Trim(s));
  std::string digits = text;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    digits = digits.substr(2);
  }
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c));
      })) {
    return std::nullopt;
  }
  errno = 0;
  unsigned long long v = std::strtoull(digits.c_str(), nullptr, 16);
  return errno == 0 ? std::optional<unsigned long long>(v) : std::nullopt;
}

bool SameValue(const std::string &type, const std::string &a, const std::string &b) {
  if (type == "int") {
    auto x = ParseInt(a), y = ParseInt(b);
    return x && y ? *x == *y : a == b;
  }
  if (type == "hex") {
    auto x = ParseHex(a), y = ParseHex(b);
    return x && y ? *x == *y : a == b;
  }
  return a == b;
}

// A string value as a fragment writes it: quoted, with '"' and '\' escaped.
std::string Quote(const std::string &value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out + "\"";
}

// The inverse of Quote; text that is not quoted is returned as is.
std::string Unquote(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') {
    return std::string(text);
  }
  std::string out;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '\\' && i + 2 < text.size()) {
      ++i;
    }
    out.push_back(text[i]);
  }
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The symbol names in a Kconfig expression, in order, once each.
std::vector<std::string> SymbolsIn(std::string_view expr) {
  std::vector<std::string> out;
  for (size_t i = 0; i < expr.size();) {
    char c = expr[i];
    if (c == '"') {
      size_t end = expr.find('"', i + 1);
      i = end == std::string_view::npos ? expr.size() : end + 1;
      continue;
    }
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < expr.size() &&
             (std::isalnum(static_cast<unsigned char>(expr[j])) || expr[j] == '_')) {
        ++j;
      }
      std::string token(expr.substr(i, j - i));
      const bool number = std::isdigit(static_cast<unsigned char>(token[0]));
      if (!number && token != "y" && token != "n" && token != "m" &&
          std::find(out.begin(), out.end(), token) == out.end()) {
        out.push_back(token);
      }
      i = j;
      continue;
    }
    ++i;
  }
  return out;
}

std::string Location(const std::string &file, uint32_t line) {
  return absl::StrCat(file, ":", line);
}

absl::Status WriteAtomically(const fs::path &path, const std::string &text) {
  const fs::path tmp = path.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      return absl::FailedPreconditionError(absl::StrCat("cannot write ", tmp.string()));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write ", path.string(), ": ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<ConfigAssignment>> ReadFragment(const std::string &path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read Kconfig fragment ", path));
  }
  std::vector<ConfigAssignment> out;
  uint32_t line_no = 0;
  for (std::string raw; std::getline(in, raw);) {
    ++line_no;
    std::string_view line = Trim(raw);
    if (line.substr(0, kPrefix.size()) == kPrefix) {
      size_t eq = line.find('=');
      if (eq == std::string_view::npos) {
        continue;
      }
      out.push_back({path, line_no, std::string(StripPrefix(Trim(line.substr(0, eq)))),
                     Unquote(Trim(line.substr(eq + 1)))});
    } else if (line.substr(0, 2) == "# " && line.size() > 13 &&
               line.substr(line.size() - 11) == " is not set") {
      std::string_view name = Trim(line.substr(2, line.size() - 13));
      if (name.substr(0, kPrefix.size()) == kPrefix) {
        out.push_back({path, line_no, std::string(StripPrefix(name)), "n"});
      }
    }
  }
  return out;
}

absl::StatusOr<BuildConfig> BuildConfig::Load(const std::string &build_dir) {
  absl::StatusOr<BuildFolderInfo> folder = ReadBuildFolder(build_dir);
  if (!folder.ok()) {
    return folder.status();
  }
  const fs::path path = fs::path(folder->build_dir) / "gale" / "config.json";
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(
        folder->build_dir, " has no gale/config.json: ", "configure it first (gale build)"));
  }
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), std::move(*folder));
}

absl::StatusOr<BuildConfig> BuildConfig::Parse(const std::string &config_json,
                                               BuildFolderInfo folder) {
  json doc = json::parse(config_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the config.json of ", folder.build_dir, " is not valid JSON; reconfigure the folder"));
  }
  if (Str(doc, "format") != "gale-kconfig-1") {
    return absl::FailedPreconditionError(
        absl::StrCat("the config.json of ", folder.build_dir, " has format '", Str(doc, "format"),
                     "', not gale-kconfig-1; reconfigure it with this Gale"));
  }
  BuildConfig config;
  config.folder_ = std::move(folder);
  std::vector<std::string> user_files;
  for (const json &s : doc.value("symbols", json::array())) {
    if (!s.is_object()) {
      continue;
    }
    Entry e;
    e.name = Str(s, "name");
    if (e.name.empty()) {
      continue;
    }
    e.type = Str(s, "type");
    e.value = Str(s, "value");
    e.help = Str(s, "help");
    e.depends_on = Str(s, "direct_dependencies");
    if (e.depends_on == "y") {
      e.depends_on.clear();
    }
    e.visible = Str(s, "visibility") == "y";
    e.menu = absl::StrJoin(Strings(s, "menu_path"), " > ");
    e.choice = Str(s, "choice");
    e.selected_by = Strings(s, "selected_by");
    e.implied_by = Strings(s, "implied_by");
    // The first visible prompt, else the first one.
    bool prompt_visible = false;
    for (const json &p : s.value("prompts", json::array())) {
      const bool visible = p.value("visible", false);
      if (!e.has_prompt || (visible && !prompt_visible)) {
        e.prompt = Str(p, "text");
        e.prompt_condition = Str(p, "condition");
        prompt_visible = visible;
      }
      e.has_prompt = true;
    }
    for (const json &d : s.value("defined_at", json::array())) {
      e.defined_at.push_back(Location(Str(d, "file"), d.value("line", 0u)));
    }
    for (const json &r : s.value("ranges", json::array())) {
      e.ranges.push_back({Str(r, "low"), Str(r, "high"), r.value("active", false)});
    }
    const json &user = s.contains("user_value") ? s["user_value"] : json();
    if (user.is_object()) {
      e.has_user_value = true;
      e.user_value = Str(user, "value");
      e.user_file = Str(user, "file");
      e.user_line = user.value("line", 0u);
      if (std::find(user_files.begin(), user_files.end(), e.user_file) == user_files.end()) {
        user_files.push_back(e.user_file);
      }
    }
    config.by_name_[e.name] = config.entries_.size();
    config.entries_.push_back(std::move(e));
  }
  for (const json &c : doc.value("choices", json::array())) {
    if (c.is_object()) {
      config.choice_selection_[Str(c, "id")] = Str(c, "selection");
    }
  }

  config.fragments_ = config.folder_.kconfig_fragments;
  if (config.fragments_.empty()) {
    config.fragments_ = user_files;  // folders configured before the list was recorded
  }
  for (const std::string &fragment : config.fragments_) {
    absl::StatusOr<std::vector<ConfigAssignment>> assignments = ReadFragment(fragment);
    if (assignments.ok()) {
      config.assignments_.insert(config.assignments_.end(), assignments->begin(),
                                 assignments->end());
    }
  }
  return config;
}

std::string BuildConfig::overlay_path() const {
  return (fs::path(folder_.app_dir) / kConfigOverlayName).lexically_normal().string();
}

const BuildConfig::Entry *BuildConfig::Find(std::string_view name) const {
  auto it = by_name_.find(StripPrefix(Trim(name)));
  return it == by_name_.end() ? nullptr : &entries_[it->second];
}

ConfigSymbol BuildConfig::Explain(const Entry &e) const {
  ConfigSymbol s;
  s.name = e.name;
  s.type = e.type;
  s.value = e.value;
  s.prompt = e.prompt;
  s.help = e.help;
  s.visible = e.visible;
  s.depends_on = e.depends_on;
  s.selected_by = e.selected_by;
  s.defined_at = e.defined_at;
  s.menu = e.menu;
  s.choice = e.choice;
  for (const ConfigAssignment &a : assignments_) {
    if (a.symbol == e.name) {
      s.assignments.push_back(a);
    }
  }

  auto value_of = [&](const std::string &name) -> std::optional<std::string> {
    const Entry *other = Find(name);
    return other ? std::optional<std::string>(other->value) : std::nullopt;
  };
  auto resolve_bound = [&](const std::string &bound) {
    std::optional<std::string> v = value_of(bound);
    return v ? *v : bound;
  };
  for (const Entry::Range &r : e.ranges) {
    if (r.active) {
      s.ranges.push_back(absl::StrCat(resolve_bound(r.low), "..", resolve_bound(r.high)));
    }
  }
  auto active = [&](const std::vector<std::string> &names) {
    std::vector<std::string> out;
    for (const std::string &name : names) {
      if (value_of(name).value_or("n") == "y") {
        out.push_back(name);
      }
    }
    return out;
  };
  const bool is_bool = e.type == "bool" || e.type == "tristate";
  const std::vector<std::string> selectors =
      is_bool ? active(e.selected_by) : std::vector<std::string>{};
  const bool user_took = e.has_user_value && SameValue(e.type, e.user_value, e.value);
  const std::string user_at = Location(e.user_file, e.user_line);

  // Where the value comes from.
  if (!e.choice.empty()) {
    auto sel = choice_selection_.find(e.choice);
    const Entry *selected = sel == choice_selection_.end() ? nullptr : Find(sel->second);
    s.set_by = selected && selected->has_user_value && selected->user_value == "y"
                   ? Location(selected->user_file, selected->user_line)
                   : "default";
  } else if (user_took) {
    s.set_by = user_at;
  } else if (is_bool && e.value == "y" && !selectors.empty()) {
    s.set_by = absl::StrCat("selected by ", absl::StrJoin(selectors, ", "));
  } else if (is_bool && e.value == "y" && !active(e.implied_by).empty()) {
    s.set_by = absl::StrCat("implied by ", absl::StrJoin(active(e.implied_by), ", "));
  } else {
    s.set_by = "default";
  }

  // Why a fragment cannot set it.
  std::string ignored;
  if (e.has_user_value && !user_took) {
    ignored = absl::StrCat("; the assignment CONFIG_", e.name, "=", e.user_value, " at ", user_at,
                           " does not take effect");
  }
  if (!e.has_prompt) {
    std::string from =
        e.selected_by.empty()
            ? "its defaults"
            : absl::StrCat("select (by ", absl::StrJoin(e.selected_by, ", "), ") and its defaults");
    s.why_not_settable = absl::StrCat(
        "CONFIG_", e.name, " has no prompt, so it is not user-settable: its value comes from ",
        from, ignored);
  } else if (!e.visible) {
    std::string condition = e.prompt_condition.empty() ? e.depends_on : e.prompt_condition;
    std::vector<std::string> values;
    for (const std::string &name : SymbolsIn(condition)) {
      std::optional<std::string> v = value_of(name);
      values.push_back(v ? absl::StrCat("CONFIG_", name, "=", *v)
                         : absl::StrCat("CONFIG_", name, " undefined"));
    }
    s.why_not_settable = absl::StrCat("unmet dependency: ", condition, " (",
                                      absl::StrJoin(values, ", "), ")", ignored);
  } else if (is_bool && e.value == "y" && !selectors.empty()) {
    std::vector<std::string> values;
    for (const std::string &name : selectors) {
      values.push_back(absl::StrCat("CONFIG_", name, "=y"));
    }
    s.why_not_settable = absl::StrCat("selected by ", absl::StrJoin(selectors, ", "), " (",
                                      absl::StrJoin(values, ", "),
                                      "), so it stays y: it cannot be set to n", ignored);
  }
  return s;
}

std::vector<ConfigSymbol> BuildConfig::List(bool all) const {
  std::vector<ConfigSymbol> out;
  for (const Entry &e : entries_) {
    if (all || (e.has_prompt && e.visible)) {
      out.push_back(Explain(e));
    }
  }
  return out;
}

absl::StatusOr<ConfigSymbol> BuildConfig::Get(std::string_view name) const {
  const Entry *e = Find(name);
  if (e != nullptr) {
    return Explain(*e);
  }
  std::string wanted(StripPrefix(Trim(name)));
  std::string best;
  size_t best_distance = std::max<size_t>(2, wanted.size() / 3) + 1;
  for (const Entry &other : entries_) {
    size_t d = EditDistance(wanted, other.name);
    if (d < best_distance) {
      best_distance = d;
      best = other.name;
    }
  }
  return absl::NotFoundError(absl::StrCat("unknown Kconfig symbol CONFIG_", wanted,
                                          best.empty() ? "" : "; did you mean CONFIG_", best,
                                          best.empty() ? "" : "?"));
}

absl::StatusOr<ConfigAssignment> BuildConfig::CheckAssignment(std::string_view text) const {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos || Trim(text.substr(0, eq)).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected SYMBOL=VALUE (e.g. CONFIG_MAIN_STACK_SIZE=2048), not '", std::string(text), "'"));
  }
  absl::StatusOr<ConfigSymbol> symbol = Get(text.substr(0, eq));
  if (!symbol.ok()) {
    return symbol.status();
  }
  const Entry &e = *Find(symbol->name);
  std::string value(Trim(text.substr(eq + 1)));
  const std::string name = absl::StrCat("CONFIG_", e.name);
  if (!e.has_prompt || !e.visible) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, " cannot be set: ", symbol->why_not_settable));
  }
  if (e.type == "bool" || e.type == "tristate") {
    if (value != "y" && value != "n") {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " is a ", e.type, ": its value is y or n, not '", value, "'"));
    }
    if (value == "n" && !symbol->why_not_settable.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(name, " cannot be set to n: ", symbol->why_not_settable));
    }
    if (value == "n" && !e.choice.empty()) {
      auto sel = choice_selection_.find(e.choice);
      if (sel != choice_selection_.end() && sel->second == e.name) {
        return absl::FailedPreconditionError(
            absl::StrCat(name, " is the selected member of the choice ", e.choice,
                         ": set another member to y instead"));
      }
    }
  } else if (e.type == "int" || e.type == "hex") {
    const bool is_int = e.type == "int";
    if (is_int ? !ParseInt(value) : !ParseHex(value)) {
      return absl::InvalidArgumentError(absl::StrCat(name, " is ",
                                                     is_int
                                                         ? "an int: its value is a decimal number"
                                                         : "a hex: its value is a "
                                                           "hexadecimal number (0x...)",
                                                     ", not '", value, "'"));
    }
    if (!symbol->ranges.empty()) {
      // Kconfig uses the first active range.
      const std::string &range = symbol->ranges.front();
      std::string low = range.substr(0, range.find("..")),
                  high = range.substr(range.find("..") + 2);
      bool inside = true;
      if (is_int) {
        auto v = ParseInt(value), lo = ParseInt(low), hi = ParseInt(high);
        inside = !(lo && hi) || (*v >= *lo && *v <= *hi);
      } else {
        auto v = ParseHex(value), lo = ParseHex(low), hi = ParseHex(high);
        inside = !(lo && hi) || (*v >= *lo && *v <= *hi);
      }
      if (!inside) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, "=", value, " is outside its range [", low, ", ", high, "]"));
      }
    }
  } else if (e.type == "string") {
    value = Unquote(value);
  }
  return ConfigAssignment{"", 0, e.name, value};
}

absl::StatusOr<SetConfigResult> SetConfig(const BuildDriver &driver, const std::string &build_dir,
                                          const std::vector<std::string> &assignments,
                                          const BuildEvents &events, const CancelToken *cancel) {
  if (assignments.empty()) {
    return absl::InvalidArgumentError("no assignment given (SYMBOL=VALUE)");
  }
  absl::StatusOr<BuildConfig> config = BuildConfig::Load(build_dir);
  if (!config.ok()) {
    return config.status();
  }
  const BuildFolderInfo folder = config->folder();
  if (folder.app_dir.empty() || folder.board.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(build_dir, " does not record its application and board; build it once first"));
  }
  std::vector<ConfigAssignment> wanted;
  for (const std::string &text : assignments) {
    absl::StatusOr<ConfigAssignment> checked = config->CheckAssignment(text);
    if (!checked.ok()) {
      return checked.status();
    }
    wanted.push_back(std::move(*checked));
  }

  // The overlay's new text: each symbol's earlier lines replaced by its new one.
  const fs::path overlay = config->overlay_path();
  std::error_code ec;
  const bool existed = fs::exists(overlay, ec);
  std::string old_text;
  if (existed) {
    std::ifstream in(overlay);
    std::stringstream text;
    text << in.rdbuf();
    old_text = text.str();
  }
  std::vector<std::string> lines;
  {
    std::istringstream in(old_text);
    for (std::string line; std::getline(in, line);) {
      lines.push_back(line);
    }
  }
  if (!existed) {
    lines = {"# Kconfig overlay of this application, written by `gale config --set` (edit freely).",
             "# Applied after the board defconfig, prj.conf and EXTRA_CONF_FILE, so it wins."};
  }
  auto assigns = [](const std::string &line, const std::string &symbol) {
    std::string_view t = Trim(line);
    const std::string key = absl::StrCat("CONFIG_", symbol);
    return (t.substr(0, key.size() + 1) == key + "=") ||
           t == absl::StrCat("# ", key, " is not set");
  };
  for (const ConfigAssignment &a : wanted) {
    absl::StatusOr<ConfigSymbol> symbol = config->Get(a.symbol);
    std::vector<std::string> drop = {a.symbol};
    if (!symbol->choice.empty() && a.value == "y") {
      // Another member set to y in the overlay would fight this one.
      for (const ConfigSymbol &other : config->List(/*all=*/true)) {
        if (other.choice == symbol->choice && other.name != a.symbol) {
          drop.push_back(other.name);
        }
      }
    }
    lines.erase(std::remove_if(lines.begin(), lines.end(),
                               [&](const std::string &line) {
                                 return std::any_of(
                                     drop.begin(), drop.end(),
                                     [&](const std::string &s) { return assigns(line, s); });
                               }),
                lines.end());
    lines.push_back(absl::StrCat("CONFIG_", a.symbol, "=",
                                 symbol->type == "string" ? Quote(a.value) : a.value));
  }
  std::map<std::string, uint32_t> line_of;
  for (size_t i = 0; i < lines.size(); ++i) {
    for (const ConfigAssignment &a : wanted) {
      if (assigns(lines[i], a.symbol)) {
        line_of[a.symbol] = static_cast<uint32_t>(i + 1);
      }
    }
  }
  if (absl::Status status = WriteAtomically(overlay, absl::StrJoin(lines, "\n") + "\n");
      !status.ok()) {
    return status;
  }

  BuildOptions options;
  options.app_dir = folder.app_dir;
  options.board = folder.board;
  options.build_dir = folder.build_dir;
  auto restore = [&](bool reconfigure) {
    if (existed) {
      (void)WriteAtomically(overlay, old_text);
    } else {
      fs::remove(overlay, ec);
    }
    if (reconfigure) {
      (void)driver.Configure(options, events);
    }
  };

  absl::StatusOr<BuildResult> configured = driver.Configure(options, events, cancel);
  if (!configured.ok()) {
    restore(false);
    return configured.status();
  }
  if (configured->state == BuildState::kCancelled) {
    restore(false);
    return absl::CancelledError(absl::StrCat("cancelled; ", overlay.string(),
                                             " was restored (the next build reconfigures)"));
  }
  if (configured->state == BuildState::kFailed) {
    restore(true);
    return absl::FailedPreconditionError(
        absl::StrCat("reconfiguring with the new values failed: ", configured->error, "; ",
                     overlay.string(), " was restored"));
  }

  absl::StatusOr<BuildConfig> after = BuildConfig::Load(folder.build_dir);
  if (!after.ok()) {
    restore(true);
    return after.status();
  }
  const std::vector<std::string> &used = after->fragments();
  if (!after->folder().kconfig_fragments.empty() &&
      std::find(used.begin(), used.end(), overlay.string()) == used.end()) {
    restore(true);
    return absl::FailedPreconditionError(
        absl::StrCat("the CMake package did not apply ", overlay.string(),
                     ": the Gale tree at GALE_BASE is too old for `gale config --set`"));
  }
  SetConfigResult result;
  result.overlay = overlay.string();
  std::vector<std::string> failures;
  for (const ConfigAssignment &a : wanted) {
    absl::StatusOr<ConfigSymbol> symbol = after->Get(a.symbol);
    if (!symbol.ok()) {
      failures.push_back(std::string(symbol.status().message()));
      continue;
    }
    if (SameValue(symbol->type, symbol->value, a.value)) {
      result.symbols.push_back(*symbol);
      continue;
    }
    // gale-kconfig says why, at the overlay's line.
    std::string reason;
    for (const Diagnostic &d : configured->diagnostics) {
      if (d.tool == "kconfig" && d.file == overlay.string() && d.line == line_of[a.symbol]) {
        reason = d.message;
      }
    }
    if (reason.empty()) {
      reason = symbol->why_not_settable.empty() ? "gale-kconfig gave no reason"
                                                : symbol->why_not_settable;
    }
    failures.push_back(absl::StrCat("CONFIG_", a.symbol, "=", a.value,
                                    " did not take effect (the value is '", symbol->value,
                                    "'): ", reason));
  }
  if (!failures.empty()) {
    restore(true);
    return absl::FailedPreconditionError(
        absl::StrCat(absl::StrJoin(failures, "; "), "; ", overlay.string(), " was restored"));
  }
  result.configure = std::move(*configured);
  return result;
}

}  // namespace gale::build
