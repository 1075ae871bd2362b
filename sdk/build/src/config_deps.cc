#include "gale/build/config_deps.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace gale::build {
namespace {

namespace fs = std::filesystem;

absl::StatusOr<std::string> ReadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes @p content unless the file already holds exactly that, so its mtime moves only on a
// real change.
absl::Status WriteIfChanged(const std::string &path, const std::string &content) {
  auto old = ReadFile(path);
  if (old.ok() && *old == content) {
    return absl::OkStatus();
  }
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) {
      return absl::InternalError(absl::StrCat("cannot write ", tmp));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    return absl::InternalError(absl::StrCat("cannot rename ", tmp, ": ", ec.message()));
  }
  return absl::OkStatus();
}

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string EscapePath(const std::string &path) {
  std::string out;
  for (char c : path) {
    if (c == ' ' || c == '#' || c == '\\') {
      out += '\\';
    } else if (c == '$') {
      out += '$';
    }
    out += c;
  }
  return out;
}

}  // namespace

absl::Status UpdateStamps(const std::string &autoconf_h, const std::string &stamp_dir,
                          const std::vector<std::string> &known_symbols) {
  auto text = ReadFile(autoconf_h);
  if (!text.ok()) {
    return text.status();
  }
  std::error_code ec;
  fs::create_directories(stamp_dir, ec);
  if (ec) {
    return absl::InternalError(absl::StrCat("cannot create ", stamp_dir, ": ", ec.message()));
  }
  std::set<std::string> defined;
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    constexpr std::string_view kDefine = "#define CONFIG_";
    if (line.compare(0, kDefine.size(), kDefine) != 0) {
      continue;
    }
    size_t name_end = sizeof("#define ") - 1;
    while (name_end < line.size() && IsIdentChar(line[name_end])) {
      name_end++;
    }
    std::string name = line.substr(sizeof("#define ") - 1, name_end - (sizeof("#define ") - 1));
    defined.insert(name);
    if (auto st = WriteIfChanged(stamp_dir + "/" + name, line + "\n"); !st.ok()) {
      return st;
    }
  }
  // Symbols defined before and not now: empty their stamps so their users rebuild.
  for (const auto &entry : fs::directory_iterator(stamp_dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("CONFIG_", 0) == 0 && defined.count(name) == 0 &&
        name.find('.') == std::string::npos) {
      if (auto st = WriteIfChanged(entry.path().string(), ""); !st.ok()) {
        return st;
      }
    }
  }
  std::set<std::string> all(known_symbols.begin(), known_symbols.end());
  for (const auto &name : all) {
    if (defined.count(name) == 0 && !fs::exists(stamp_dir + "/" + name, ec)) {
      if (auto st = WriteIfChanged(stamp_dir + "/" + name, ""); !st.ok()) {
        return st;
      }
    }
  }
  all.insert(defined.begin(), defined.end());
  std::string names;
  for (const auto &name : all) {
    absl::StrAppend(&names, name, "\n");
  }
  return WriteIfChanged(stamp_dir + "/" + kSymbolSetStamp, names);
}

absl::StatusOr<Depfile> ParseDepfile(const std::string &text) {
  Depfile depfile;
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  };
  for (size_t i = 0; i < text.size(); i++) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      char next = text[i + 1];
      if (next == '\n') {
        flush();
        i++;
        continue;
      }
      if (next == ' ' || next == '#' || next == '\\') {
        word += next;
        i++;
        continue;
      }
    }
    if (c == '$' && i + 1 < text.size() && text[i + 1] == '$') {
      word += '$';
      i++;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      flush();
      continue;
    }
    word += c;
  }
  flush();
  if (words.empty()) {
    return absl::InvalidArgumentError("empty depfile");
  }
  std::string &first = words.front();
  size_t skip = 1;
  if (first.back() == ':') {
    depfile.target = first.substr(0, first.size() - 1);
  } else if (words.size() > 1 && words[1] == ":") {
    depfile.target = first;
    skip = 2;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("depfile does not start with a target: ", first));
  }
  depfile.deps.assign(words.begin() + static_cast<ptrdiff_t>(skip), words.end());
  return depfile;
}

std::string FormatDepfile(const Depfile &depfile) {
  std::string out = EscapePath(depfile.target) + ":";
  for (const auto &dep : depfile.deps) {
    absl::StrAppend(&out, " \\\n  ", EscapePath(dep));
  }
  out += "\n";
  return out;
}

std::set<std::string> ConfigSymbolsIn(const std::string &text) {
  std::set<std::string> symbols;
  constexpr std::string_view kPrefix = "CONFIG_";
  for (size_t pos = text.find(kPrefix); pos != std::string::npos;
       pos = text.find(kPrefix, pos + 1)) {
    if (pos > 0 && IsIdentChar(text[pos - 1])) {
      continue;
    }
    size_t end = pos + kPrefix.size();
    while (end < text.size() && IsIdentChar(text[end])) {
      end++;
    }
    if (end > pos + kPrefix.size()) {
      symbols.insert(text.substr(pos, end - pos));
    }
  }
  return symbols;
}

absl::StatusOr<bool> RewriteDepfile(Depfile &depfile, const std::string &autoconf_h,
                                    const std::string &stamp_dir) {
  const fs::path autoconf = fs::weakly_canonical(autoconf_h);
  std::vector<std::string> kept;
  bool found = false;
  std::set<std::string> symbols;
  for (const auto &dep : depfile.deps) {
    std::error_code ec;
    if (fs::weakly_canonical(dep, ec) == autoconf) {
      found = true;
      continue;
    }
    kept.push_back(dep);
    // Toolchain headers are scanned too: cheap, and never wrong.
    auto text = ReadFile(dep);
    if (!text.ok()) {
      continue;  // a dependency that vanished: the build tool will notice it on its own
    }
    auto found_symbols = ConfigSymbolsIn(*text);
    symbols.insert(found_symbols.begin(), found_symbols.end());
  }
  if (!found) {
    return false;
  }
  bool any_undefined = false;
  for (const auto &symbol : symbols) {
    std::string stamp = stamp_dir + "/" + symbol;
    std::error_code ec;
    if (fs::exists(stamp, ec)) {
      kept.push_back(stamp);
    } else {
      any_undefined = true;
    }
  }
  if (any_undefined) {
    kept.push_back(stamp_dir + "/" + kSymbolSetStamp);
  }
  depfile.deps = std::move(kept);
  return true;
}

}  // namespace gale::build
