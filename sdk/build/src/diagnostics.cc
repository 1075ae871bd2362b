#include "gale/build/diagnostics.h"
#include "text_util.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gale::build {
namespace {

namespace fs = std::filesystem;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool Consume(std::string_view &s, std::string_view prefix) {
  if (!StartsWith(s, prefix)) {
    return false;
  }
  s.remove_prefix(prefix.size());
  return true;
}
using internal::Trim;
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

uint32_t ToNumber(std::string_view digits) {
  uint64_t n = 0;
  for (char c : digits) {
    n = std::min<uint64_t>(n * 10 + static_cast<uint64_t>(c - '0'), UINT32_MAX);
  }
  return static_cast<uint32_t>(n);
}

// Terminal colour sequences (ESC [ ... letter), in case a tool was told to colour anyway.
std::string StripAnsi(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b' && i + 1 < line.size() && line[i + 1] == '[') {
      i += 2;
      while (i < line.size() && !std::isalpha(static_cast<unsigned char>(line[i]))) {
        ++i;
      }
      continue;
    }
    out.push_back(line[i]);
  }
  return out;
}

struct Location {
  std::string_view file;
  uint32_t line = 0;
  uint32_t column = 0;
  bool has_column = false;
  std::string_view rest;  // after "FILE:LINE[:COL]: "
};

// "FILE:LINE:COL: rest" or "FILE:LINE: rest": the first ':' followed by digits and ':'.
bool ParseLocation(std::string_view s, Location &loc) {
  if (s.empty() || s.front() == ' ') {
    return false;
  }
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] != ':') {
      continue;
    }
    size_t d = i + 1;
    while (d < s.size() && IsDigit(s[d])) {
      ++d;
    }
    if (d == i + 1 || d >= s.size() || s[d] != ':') {
      continue;
    }
    loc = Location{};
    loc.file = s.substr(0, i);
    loc.line = ToNumber(s.substr(i + 1, d - i - 1));
    size_t k = d + 1;
    size_t e = k;
    while (e < s.size() && IsDigit(s[e])) {
      ++e;
    }
    if (e > k && e < s.size() && s[e] == ':') {
      loc.column = ToNumber(s.substr(k, e - k));
      loc.has_column = true;
      k = e + 1;
    }
    if (k < s.size() && s[k] == ' ') {
      loc.rest = s.substr(k + 1);
      return true;
    }
    return false;
  }
  return false;
}

// dtc's "FILE:LINE.COL-COL" or "FILE:LINE.COL-LINE.COL", followed by ' ' or ": ".
bool ParseDtcLocation(std::string_view s, Location &loc) {
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] != ':') {
      continue;
    }
    size_t d = i + 1;
    while (d < s.size() && IsDigit(s[d])) {
      ++d;
    }
    if (d == i + 1 || d >= s.size() || s[d] != '.') {
      continue;
    }
    size_t c = d + 1;
    size_t e = c;
    while (e < s.size() && IsDigit(s[e])) {
      ++e;
    }
    if (e == c) {
      continue;
    }
    loc = Location{};
    loc.file = s.substr(0, i);
    loc.line = ToNumber(s.substr(i + 1, d - i - 1));
    loc.column = ToNumber(s.substr(c, e - c));
    loc.has_column = true;
    // The end of the range.
    while (e < s.size() && (IsDigit(s[e]) || s[e] == '-' || s[e] == '.')) {
      ++e;
    }
    std::string_view rest = s.substr(e);
    if (!Consume(rest, ": ") && !Consume(rest, " ")) {
      return false;
    }
    loc.rest = rest;
    return true;
  }
  return false;
}

std::string_view Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The GNU linker as it names itself: ld, ld.bfd, arm-none-eabi-ld, /usr/bin/ld, ...
bool IsLinkerName(std::string_view token) {
  std::string_view base = Basename(token);
  for (std::string_view suffix : {".bfd", ".gold", ".lld"}) {
    if (EndsWith(base, suffix)) {
      base.remove_suffix(suffix.size());
    }
  }
  return base == "ld" || EndsWith(base, "-ld");
}

// GCC's driver and its programs: gcc, arm-none-eabi-g++, cc1plus, as, ...
std::string_view CompilerToolName(std::string_view token) {
  if (token.find(' ') != std::string_view::npos) {
    return {};
  }
  std::string_view base = Basename(token);
  // A version suffix: gcc-12.
  size_t dash = base.rfind('-');
  if (dash != std::string_view::npos && dash + 1 < base.size() && IsDigit(base[dash + 1])) {
    base = base.substr(0, dash);
  }
  for (std::string_view name : {"gcc", "g++", "cc1", "cc1plus", "cc", "c++", "cpp", "lto1"}) {
    if (base == name || EndsWith(base, "-" + std::string(name))) {
      return "gcc";
    }
  }
  if (base == "as" || EndsWith(base, "-as")) {
    return "as";
  }
  return {};
}

// gale-kconfig reports on fragments, Kconfig files and its inputs; GCC always gives a column.
bool LooksLikeKconfigFile(std::string_view file) {
  std::string_view base = Basename(file);
  return StartsWith(base, "Kconfig") || EndsWith(base, ".conf") || EndsWith(base, "defconfig") ||
         EndsWith(base, ".config") || EndsWith(base, ".json");
}

// "error: ", "fatal error: ", ... at the start of `rest`; the message after it.
bool ParseSeverity(std::string_view rest, Severity &severity, std::string_view &message) {
  static const std::pair<std::string_view, Severity> kWords[] = {
      {"fatal error: ", Severity::kFatal}, {"internal compiler error: ", Severity::kFatal},
      {"error: ", Severity::kError},       {"warning: ", Severity::kWarning},
      {"note: ", Severity::kNote},
  };
  for (const auto &[word, sev] : kWords) {
    if (StartsWith(rest, word)) {
      severity = sev;
      message = rest.substr(word.size());
      return true;
    }
  }
  return false;
}

bool IsLdProblem(std::string_view rest) {
  return StartsWith(rest, "undefined reference to ") ||
         StartsWith(rest, "multiple definition of ") ||
         StartsWith(rest, "relocation truncated to fit") || StartsWith(rest, "undefined symbol ");
}

uint64_t UnitBytes(std::string_view unit) {
  if (unit == "B") {
    return 1;
  }
  if (unit == "KB" || unit == "KiB") {
    return 1024;
  }
  if (unit == "MB" || unit == "MiB") {
    return 1024 * 1024;
  }
  if (unit == "GB" || unit == "GiB") {
    return 1024ull * 1024 * 1024;
  }
  return 0;
}

// "  FLASH:  7832 B  256 KB  2.99%".
bool ParseMemoryRow(std::string_view line, MemoryRegion &region) {
  std::istringstream in{std::string(line)};
  std::string name, used_unit, size_unit, percent;
  double used = 0, size = 0;
  if (!(in >> name >> used >> used_unit >> size >> size_unit >> percent)) {
    return false;
  }
  if (name.size() < 2 || name.back() != ':' || percent.back() != '%') {
    return false;
  }
  uint64_t u = UnitBytes(used_unit), s = UnitBytes(size_unit);
  if (u == 0 || s == 0) {
    return false;
  }
  region.name = name.substr(0, name.size() - 1);
  region.used = static_cast<uint64_t>(used * static_cast<double>(u));
  region.size = static_cast<uint64_t>(size * static_cast<double>(s));
  return true;
}

}  // namespace

const char *SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kUnspecified:
      return "unspecified";
    case Severity::kNote:
      return "note";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
    case Severity::kFatal:
      return "fatal";
  }
  return "unspecified";
}

std::string Diagnostic::Format() const {
  std::string out;
  if (!file.empty()) {
    out = file;
    if (line > 0) {
      absl::StrAppend(&out, ":", line);
      if (column > 0) {
        absl::StrAppend(&out, ":", column);
      }
    }
  } else {
    out = tool;
  }
  absl::StrAppend(&out, ": ", SeverityName(severity), ": ", message);
  return out;
}

DiagnosticParser::DiagnosticParser(DiagnosticParserOptions options)
    : options_(std::move(options)) {}

std::string DiagnosticParser::Resolve(std::string_view path, const std::string &base) const {
  if (path.empty()) {
    return {};
  }
  fs::path p{std::string(path)};
  if (p.is_absolute()) {
    return p.lexically_normal().string();
  }
  std::error_code ec;
  for (const std::string *dir :
       {&base, &options_.build_dir, &options_.source_dir, &options_.gale_base}) {
    if (!dir->empty() && fs::exists(fs::path(*dir) / p, ec)) {
      return (fs::path(*dir) / p).lexically_normal().string();
    }
  }
  return base.empty() ? p.lexically_normal().string()
                      : (fs::path(base) / p).lexically_normal().string();
}

void DiagnosticParser::Count(const std::vector<Diagnostic> &diagnostics) {
  for (const Diagnostic &d : diagnostics) {
    if (d.severity == Severity::kError || d.severity == Severity::kFatal) {
      ++errors_by_tool_[d.tool];
    }
  }
}

std::vector<Diagnostic> DiagnosticParser::Feed(std::string_view raw, OutputStream stream) {
  std::string line = StripAnsi(raw);
  std::vector<Diagnostic> out = FeedLine(line, streams_[stream]);
  return out;
}

std::vector<Diagnostic> DiagnosticParser::Finish() {
  std::vector<Diagnostic> out;
  for (auto &[stream, state] : streams_) {
    if (state.in_cmake_block) {
      std::vector<Diagnostic> block = FinishCMakeBlock(state);
      out.insert(out.end(), block.begin(), block.end());
    }
  }
  return out;
}

std::vector<Diagnostic> DiagnosticParser::FeedLine(std::string_view line, StreamState &state) {
  std::vector<Diagnostic> out;
  // A CMake message continues with indented or empty lines.
  if (state.in_cmake_block) {
    if (line.empty() || line.front() == ' ') {
      state.cmake_lines.emplace_back(line);
      return out;
    }
    out = FinishCMakeBlock(state);
  }
  if (StartsWith(line, "CMake Error") || StartsWith(line, "CMake Warning") ||
      StartsWith(line, "CMake Deprecation")) {
    state.in_cmake_block = true;
    state.cmake_lines = {std::string(line)};
    return out;
  }

  if (StartsWith(line, "Memory region") && line.find("Used Size") != std::string_view::npos) {
    state.in_memory_table = true;
    memory_table_fresh_ = true;
    return out;
  }
  if (state.in_memory_table) {
    MemoryRegion region;
    if (ParseMemoryRow(line, region)) {
      if (memory_table_fresh_) {
        memory_.clear();
        memory_table_fresh_ = false;
      }
      memory_.push_back(region);
      return out;
    }
    state.in_memory_table = false;
  }

  // A new ninja edge: what follows belongs to another command.
  if ((line.size() > 1 && line.front() == '[' && IsDigit(line[1])) ||
      StartsWith(line, "FAILED: ")) {
    state.gcc_context.clear();
    state.gcc_context_file.clear();
    state.ld_context.clear();
    state.after_failed = StartsWith(line, "FAILED: ");
    return out;
  }
  // ninja prints the failed command after "FAILED:"; its arguments are no diagnostic.
  if (state.after_failed) {
    state.after_failed = false;
    return out;
  }

  Diagnostic d;
  if (ParseToolLine(line, state, d)) {
    out.push_back(std::move(d));
    Count({out.back()});
  }
  return out;
}

bool DiagnosticParser::ParseToolLine(std::string_view line, StreamState &state, Diagnostic &d) {
  if (line.empty()) {
    return false;
  }
  // GCC's source excerpts ("   12 |   x = 1;", "      |   ^~~") and include chains.
  {
    std::string_view t = line;
    while (!t.empty() && (t.front() == ' ' || IsDigit(t.front()))) {
      t.remove_prefix(1);
    }
    if (StartsWith(t, "|") && t.size() < line.size()) {
      return false;
    }
  }
  if (StartsWith(line, "In file included from ") || StartsWith(Trim(line), "from ") ||
      line == "compilation terminated.") {
    return false;
  }

  std::string_view rest;
  auto set = [&](Severity severity, std::string_view message, std::string_view tool,
                 std::string file = {}, uint32_t line_no = 0, uint32_t column = 0) {
    d = Diagnostic{};
    d.severity = severity;
    d.message = std::string(Trim(message));
    d.tool = std::string(tool);
    d.file = std::move(file);
    d.line = line_no;
    d.column = column;
    return true;
  };

  // ninja itself.
  rest = line;
  if (Consume(rest, "ninja: ")) {
    if (Consume(rest, "error: ")) {
      return set(Severity::kError, rest, "ninja");
    }
    if (Consume(rest, "warning: ")) {
      return set(Severity::kWarning, rest, "ninja");
    }
    return false;
  }
  // gale-dts.
  rest = line;
  if (Consume(rest, "gale-dts: ")) {
    Severity severity;
    std::string_view message;
    if (ParseSeverity(rest, severity, message)) {
      return set(severity, message, "dtc");
    }
    return false;
  }
  // dtc.
  rest = line;
  if (Consume(rest, "Error: ")) {
    Location loc;
    if (ParseDtcLocation(rest, loc)) {
      return set(Severity::kError, loc.rest, "dtc", Resolve(loc.file, options_.source_dir),
                 loc.line, loc.column);
    }
    return set(Severity::kError, rest, "dtc");
  }
  if (StartsWith(line, "FATAL ERROR: ") || StartsWith(line, "ERROR: Input tree has errors")) {
    if (errors_by_tool_["dtc"] > 0) {
      return false;  // dtc's summary of the errors it reported
    }
    return set(Severity::kFatal, line.substr(line.find(": ") + 2), "dtc");
  }
  {
    Location loc;
    if (ParseDtcLocation(line, loc)) {
      std::string_view r = loc.rest;
      Severity severity = Severity::kUnspecified;
      if (Consume(r, "Warning (")) {
        severity = Severity::kWarning;
      } else if (Consume(r, "ERROR (")) {
        severity = Severity::kError;
      }
      if (severity != Severity::kUnspecified) {
        size_t close = r.find("): ");
        std::string_view message = close == std::string_view::npos ? r : r.substr(close + 3);
        std::string check(r.substr(0, close == std::string_view::npos ? 0 : close));
        return set(severity,
                   absl::StrCat(std::string(message), check.empty() ? "" : " [", check,
                                check.empty() ? "" : "]"),
                   "dtc", Resolve(loc.file, options_.source_dir), loc.line, loc.column);
      }
    }
  }

  // collect2 (GCC's link wrapper).
  rest = line;
  if (Consume(rest, "collect2: ")) {
    Severity severity;
    std::string_view message;
    if (!ParseSeverity(rest, severity, message)) {
      return false;
    }
    if (StartsWith(message, "ld returned") && errors_by_tool_["ld"] > 0) {
      return false;
    }
    return set(severity, message, "ld");
  }

  // "TOOL: ..." where TOOL is the linker or a compiler program.
  size_t colon = line.find(": ");
  if (colon != std::string_view::npos && colon > 0) {
    std::string_view token = line.substr(0, colon);
    rest = line.substr(colon + 2);
    if (IsLinkerName(token)) {
      if (Consume(rest, "warning: ")) {
        return set(Severity::kWarning, rest, "ld");
      }
      if (Consume(rest, "error: ")) {
        return set(Severity::kError, rest, "ld");
      }
      size_t in_function = rest.find(": in function ");
      if (in_function != std::string_view::npos && EndsWith(rest, ":")) {
        state.ld_context = std::string(rest.substr(in_function + 2, rest.size() - in_function - 3));
        return false;
      }
      Location loc;
      if (ParseLocation(rest, loc)) {  // linker script errors: "ld:script.ld:12: syntax error"
        return set(Severity::kError, loc.rest, "ld", Resolve(loc.file, options_.build_dir),
                   loc.line, loc.column);
      }
      size_t section = rest.find(":(");
      size_t section_end = rest.find("): ");
      if (section != std::string_view::npos && section_end != std::string_view::npos &&
          section < section_end) {
        d.context = state.ld_context;
        std::string_view message = rest.substr(section_end + 3);
        set(Severity::kError, message, "ld", Resolve(rest.substr(0, section), options_.build_dir));
        d.context = state.ld_context;
        return true;
      }
      size_t object = rest.find(": ");
      if (object != std::string_view::npos && IsLdProblem(rest.substr(object + 2))) {
        set(Severity::kError, rest.substr(object + 2), "ld",
            Resolve(rest.substr(0, object), options_.build_dir));
        d.context = state.ld_context;
        return true;
      }
      if (rest.find("skipping incompatible") != std::string_view::npos) {
        return set(Severity::kWarning, rest, "ld");
      }
      return set(Severity::kError, rest, "ld");
    }
    std::string_view compiler = CompilerToolName(token);
    if (!compiler.empty()) {
      Severity severity;
      std::string_view message;
      if (ParseSeverity(rest, severity, message)) {
        return set(severity, message, compiler);
      }
      return false;
    }
  }

  // GCC context: "FILE: In function 'main':", "FILE: At top level:", "FILE: Assembler messages:".
  if (EndsWith(line, ":")) {
    for (std::string_view marker : {": In ", ": At ", ": Assembler messages"}) {
      size_t pos = line.find(marker);
      Location probe;
      if (pos != std::string_view::npos && !ParseLocation(line, probe)) {
        state.gcc_context_file = Resolve(line.substr(0, pos), options_.build_dir);
        state.gcc_context = std::string(line.substr(pos + 2, line.size() - pos - 3));
        return false;
      }
    }
  }

  Location loc;
  if (ParseLocation(line, loc)) {
    Severity severity;
    std::string_view message;
    if (ParseSeverity(loc.rest, severity, message)) {
      const bool kconfig = !loc.has_column && LooksLikeKconfigFile(loc.file);
      std::string file = Resolve(loc.file, options_.build_dir);
      set(severity, message, kconfig ? "kconfig" : "gcc", file, loc.line, loc.column);
      if (!kconfig && file == state.gcc_context_file) {
        d.context = state.gcc_context;
      }
      return true;
    }
    std::string_view r = loc.rest;
    if (Consume(r, "Error: ")) {
      return set(Severity::kError, r, "as", Resolve(loc.file, options_.build_dir), loc.line,
                 loc.column);
    }
    if (Consume(r, "Warning: ")) {
      return set(Severity::kWarning, r, "as", Resolve(loc.file, options_.build_dir), loc.line,
                 loc.column);
    }
    // Template instantiation and macro expansion chains ("FILE:L:C:   required from here").
    if (StartsWith(r, "  ")) {
      std::string_view note = Trim(r);
      if (StartsWith(note, "required ") || StartsWith(note, "in ")) {
        std::string file = Resolve(loc.file, options_.build_dir);
        set(Severity::kNote, note, "gcc", file, loc.line, loc.column);
        if (file == state.gcc_context_file) {
          d.context = state.gcc_context;
        }
        return true;
      }
      return false;
    }
    // The linker's source locations: "FILE:LINE: undefined reference to `f'".
    if (IsLdProblem(r) || r == "first defined here") {
      set(r == "first defined here" ? Severity::kNote : Severity::kError, r, "ld",
          Resolve(loc.file, options_.build_dir), loc.line, loc.column);
      d.context = state.ld_context;
      return true;
    }
    return false;
  }
  // The linker without debug information: "OBJECT:(.text.main+0x4): undefined reference".
  size_t section = line.find(":(");
  size_t section_end = line.find("): ");
  if (section != std::string_view::npos && section_end != std::string_view::npos &&
      section < section_end && IsLdProblem(line.substr(section_end + 3))) {
    set(Severity::kError, line.substr(section_end + 3), "ld",
        Resolve(line.substr(0, section), options_.build_dir));
    d.context = state.ld_context;
    return true;
  }
  return false;
}

std::vector<Diagnostic> DiagnosticParser::FinishCMakeBlock(StreamState &state) {
  std::vector<Diagnostic> out;
  state.in_cmake_block = false;
  std::vector<std::string> lines = std::move(state.cmake_lines);
  state.cmake_lines.clear();
  if (lines.empty()) {
    return out;
  }

  // Header: "CMake Error at FILE:LINE (command):", "CMake Warning (dev) at FILE:LINE:",
  // "CMake Error in FILE:", "CMake Error: text".
  std::string_view header = lines[0];
  Severity severity = Severity::kError;
  if (Consume(header, "CMake Error")) {
    severity = Severity::kError;
  } else if (Consume(header, "CMake Warning")) {
    severity = Severity::kWarning;
  } else if (Consume(header, "CMake Deprecation Warning")) {
    severity = Severity::kWarning;
  } else if (Consume(header, "CMake Deprecation Error")) {
    severity = Severity::kError;
  }
  Consume(header, " (dev)");
  std::string_view file;
  uint32_t line_no = 0;
  std::string first_text;
  if (Consume(header, " at ")) {
    std::string_view loc = header;
    if (EndsWith(loc, "):")) {
      loc = loc.substr(0, loc.rfind(" ("));
    } else if (EndsWith(loc, ":")) {
      loc.remove_suffix(1);
    }
    size_t colon = loc.rfind(':');
    if (colon != std::string_view::npos && colon + 1 < loc.size() &&
        std::all_of(loc.begin() + colon + 1, loc.end(), IsDigit)) {
      file = loc.substr(0, colon);
      line_no = ToNumber(loc.substr(colon + 1));
    } else {
      file = loc;
    }
  } else if (Consume(header, " in ")) {
    file = header;
    if (EndsWith(file, ":")) {
      file.remove_suffix(1);
    }
  } else if (Consume(header, ":")) {
    first_text = std::string(Trim(header));
  }

  // Body: CMake indents by two spaces, wraps long lines, and separates the message's lines by
  // blank lines; lines indented further are kept as they are.
  std::vector<std::string> paragraphs;
  if (!first_text.empty()) {
    paragraphs.push_back(first_text);
  }
  std::string current;
  auto flush = [&] {
    if (!current.empty()) {
      paragraphs.push_back(current);
      current.clear();
    }
  };
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view body = lines[i];
    if (StartsWith(body, "  ")) {
      body.remove_prefix(2);
    }
    if (StartsWith(Trim(body), "Call Stack (most recent call first):")) {
      break;
    }
    if (Trim(body).empty()) {
      flush();
    } else if (body.front() == ' ') {
      flush();
      paragraphs.emplace_back(Trim(body));
    } else {
      absl::StrAppend(&current, current.empty() ? "" : " ", std::string(Trim(body)));
    }
  }
  flush();
  if (paragraphs.empty()) {
    return out;
  }

  // The devicetree steps put dtc's and gale-dts's own lines inside a CMake message: report
  // those, with their file and line, instead of the CMake wrapper.
  const std::string &first = paragraphs.front();
  if (first == "Devicetree error (dtc):" || first == "dtc:" ||
      first == "Devicetree error (gale-dts):" || first == "gale-dts:" ||
      first == "Devicetree preprocessing failed:") {
    StreamState inner;
    for (size_t i = 1; i < paragraphs.size(); ++i) {
      Diagnostic d;
      if (ParseToolLine(paragraphs[i], inner, d)) {
        d.tool = "dtc";
        out.push_back(d);
        Count({d});
      }
    }
    if (!out.empty()) {
      return out;
    }
  }
  if ((first == "Kconfig failed (errors above)" && errors_by_tool_["kconfig"] > 0)) {
    return out;
  }

  Diagnostic d;
  d.severity = severity;
  d.tool = "cmake";
  d.file = Resolve(file, options_.source_dir);
  d.line = line_no;
  d.message = absl::StrJoin(paragraphs, "\n");
  out.push_back(d);
  Count(out);
  return out;
}

std::vector<Diagnostic> ParseDiagnostics(std::string_view output,
                                         const DiagnosticParserOptions &options) {
  DiagnosticParser parser(options);
  std::vector<Diagnostic> all;
  size_t start = 0;
  while (start <= output.size()) {
    size_t nl = output.find('\n', start);
    std::string_view line =
        output.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (nl == std::string_view::npos && line.empty()) {
      break;
    }
    std::vector<Diagnostic> got = parser.Feed(line);
    all.insert(all.end(), got.begin(), got.end());
    if (nl == std::string_view::npos) {
      break;
    }
    start = nl + 1;
  }
  std::vector<Diagnostic> rest = parser.Finish();
  all.insert(all.end(), rest.begin(), rest.end());
  return all;
}

}  // namespace gale::build
