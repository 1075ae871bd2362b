#include "gale/build/driver.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gale/boards/catalog.h"
#include "gale/build/image_size.h"

namespace gale::build {
namespace {

namespace fs = std::filesystem;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

fs::path Absolute(const std::string &path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  return (ec ? fs::path(path) : p).lexically_normal();
}

fs::path Canonical(const fs::path &path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  return ec ? path.lexically_normal() : p;
}

bool SameFolder(const fs::path &a, const fs::path &b) {
  return Canonical(a) == Canonical(b);
}

// True when `inner` is `outer` or lies inside it.
bool Contains(const fs::path &outer, const fs::path &inner) {
  fs::path o = Canonical(outer), i = Canonical(inner);
  auto [oit, iit] = std::mismatch(o.begin(), o.end(), i.begin(), i.end());
  return oit == o.end() || (std::next(oit) == o.end() && oit->empty());
}

// Folders that are being built by this process: a second build of one would race the first.
class FolderLock {
 public:
  explicit FolderLock(std::string folder) : folder_(std::move(folder)) {
    std::lock_guard<std::mutex> lock(Mutex());
    acquired_ = Busy().insert(folder_).second;
  }
  ~FolderLock() {
    if (acquired_) {
      std::lock_guard<std::mutex> lock(Mutex());
      Busy().erase(folder_);
    }
  }
  bool acquired() const { return acquired_; }

 private:
  static std::mutex &Mutex() {
    static std::mutex mutex;
    return mutex;
  }
  static std::set<std::string> &Busy() {
    static std::set<std::string> busy;
    return busy;
  }
  std::string folder_;
  bool acquired_ = false;
};

// "-DNAME=VALUE" / "-DNAME:TYPE=VALUE" (or "-D" "NAME=VALUE") -> NAME, VALUE. Anything else
// (-U, -C, --fresh, ...) cannot be compared with the cache.
struct CacheArg {
  std::string name;
  std::string value;
};
std::optional<std::vector<CacheArg>> ParseCacheArgs(const std::vector<std::string> &args) {
  std::vector<CacheArg> out;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string body;
    if (args[i] == "-D" && i + 1 < args.size()) {
      body = args[++i];
    } else if (StartsWith(args[i], "-D")) {
      body = args[i].substr(2);
    } else {
      return std::nullopt;
    }
    size_t eq = body.find('=');
    if (eq == std::string::npos) {
      return std::nullopt;
    }
    std::string name = body.substr(0, eq);
    name = name.substr(0, name.find(':'));
    out.push_back({name, body.substr(eq + 1)});
  }
  return out;
}

absl::Status MakePristine(const fs::path &build, const fs::path &app, const fs::path &gale_base) {
  std::error_code ec;
  if (!fs::exists(build, ec)) {
    return absl::OkStatus();
  }
  if (!fs::is_directory(build, ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot make ", build.string(), " pristine: it is not a folder"));
  }
  const fs::path b = Canonical(build);
  std::string holds;
  if (b == b.root_path()) {
    holds = "is the root folder";
  } else if (Contains(b, app)) {
    holds = absl::StrCat("holds the application ", app.string());
  } else if (!gale_base.empty() && Contains(b, gale_base)) {
    holds = absl::StrCat("holds the Gale tree ", gale_base.string());
  } else if (const char *home = std::getenv("HOME"); home != nullptr && SameFolder(b, home)) {
    holds = "is the home folder";
  }
  if (!holds.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("refusing to delete ", build.string(),
                                                      " for --pristine: it ", holds,
                                                      "; pick a build folder of its own (-d)"));
  }
  const fs::path cache = b / "CMakeCache.txt";
  if (!fs::exists(cache, ec) && !fs::is_empty(b, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to delete the contents of ", build.string(),
        " for --pristine: it is not empty and has no CMakeCache.txt, so it does not look like a "
        "build folder; remove it yourself or pick another build folder (-d)"));
  }
  // CMakeCache.txt goes last: a deletion cut short still leaves a folder that --pristine
  // recognises.
  for (const fs::directory_entry &entry : fs::directory_iterator(b, ec)) {
    if (entry.path() != cache) {
      fs::remove_all(entry.path(), ec);
      if (ec) {
        return absl::FailedPreconditionError(
            absl::StrCat("--pristine: cannot remove ", entry.path().string(), ": ", ec.message()));
      }
    }
  }
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("--pristine: cannot read ", build.string(), ": ", ec.message()));
  }
  fs::remove(cache, ec);
  return absl::OkStatus();
}

// The board must exist where the CMake package looks: the application, BOARD_ROOT, the tree.
absl::Status CheckBoard(const std::string &board, const fs::path &app,
                        const std::vector<std::string> &cmake_args,
                        const std::map<std::string, std::string> &cache,
                        const std::string &gale_base) {
  std::vector<std::string> roots = {app.string()};
  auto add_roots = [&](const std::string &value) {
    for (absl::string_view root : absl::StrSplit(value, absl::ByAnyChar("; "), absl::SkipEmpty())) {
      fs::path p{std::string(root)};
      roots.push_back((p.is_absolute() ? p : app / p).lexically_normal().string());
    }
  };
  std::optional<std::vector<CacheArg>> args = ParseCacheArgs(cmake_args);
  bool root_given = false;
  for (const CacheArg &arg : args.value_or(std::vector<CacheArg>{})) {
    if (arg.name == "BOARD_ROOT") {
      add_roots(arg.value);
      root_given = true;
    }
  }
  if (auto it = cache.find("BOARD_ROOT"); !root_given && it != cache.end()) {
    add_roots(it->second);
  }
  roots.push_back(gale_base);
  absl::StatusOr<boards::Catalog> catalog = boards::Catalog::LoadRoots(roots);
  if (!catalog.ok()) {
    // A broken board.yaml elsewhere is no reason to refuse this board: the CMake package reads
    // only the board it builds for, and reports its problems itself.
    return absl::OkStatus();
  }
  return catalog->Find(board).status();
}

// The first error, as one line: "FILE:LINE:COL: message". Errors the CMake package raises about
// its input read better without the package's own file and line.
std::string FirstError(const std::vector<Diagnostic> &diagnostics, const std::string &gale_base) {
  for (const Diagnostic &d : diagnostics) {
    if (d.severity != Severity::kError && d.severity != Severity::kFatal) {
      continue;
    }
    std::string message = d.message.substr(0, d.message.find('\n'));
    const bool internal = d.tool == "cmake" && !gale_base.empty() &&
                          (StartsWith(d.file, gale_base + "/sdk/cmake/") ||
                           StartsWith(d.file, gale_base + "/cmake/"));
    if (d.file.empty() || internal) {
      return message;
    }
    std::string where = d.file;
    if (d.line > 0) {
      absl::StrAppend(&where, ":", d.line);
      if (d.column > 0) {
        absl::StrAppend(&where, ":", d.column);
      }
    }
    return absl::StrCat(where, ": ", message);
  }
  return {};
}

}  // namespace

const char *BuildStateName(BuildState state) {
  switch (state) {
    case BuildState::kSucceeded:
      return "succeeded";
    case BuildState::kFailed:
      return "failed";
    case BuildState::kCancelled:
      return "cancelled";
  }
  return "failed";
}

absl::StatusOr<BuildFolderInfo> ReadBuildFolder(const std::string &build_dir) {
  const fs::path dir = Absolute(build_dir);
  std::ifstream in(dir / "CMakeCache.txt");
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(dir.string(), " is not a configured build folder (it has no CMakeCache.txt)"));
  }
  BuildFolderInfo info;
  info.build_dir = dir.string();
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || StartsWith(line, "//")) {
      continue;
    }
    // NAME:TYPE=VALUE; a NAME with ':' in it is quoted.
    size_t name_end;
    std::string name;
    if (line[0] == '"') {
      name_end = line.find('"', 1);
      if (name_end == std::string::npos) {
        continue;
      }
      name = line.substr(1, name_end - 1);
      ++name_end;
    } else {
      name_end = line.find(':');
      if (name_end == std::string::npos) {
        continue;
      }
      name = line.substr(0, name_end);
    }
    size_t eq = line.find('=', name_end);
    if (eq == std::string::npos) {
      continue;
    }
    info.cache[name] = line.substr(eq + 1);
  }
  auto get = [&](const char *name) {
    auto it = info.cache.find(name);
    return it == info.cache.end() ? std::string() : it->second;
  };
  info.app_dir = get("CMAKE_HOME_DIRECTORY");
  if (info.app_dir.empty()) {
    info.app_dir = get("APPLICATION_SOURCE_DIR");
  }
  info.board = get("GALE_CACHED_BOARD");
  info.generator = get("CMAKE_GENERATOR");
  for (absl::string_view f :
       absl::StrSplit(get("GALE_KCONFIG_FRAGMENT_LIST"), ';', absl::SkipEmpty())) {
    info.kconfig_fragments.emplace_back(f);
  }
  return info;
}

std::vector<Artifact> FindArtifacts(const std::string &build_dir) {
  static const std::pair<const char *, const char *> kFiles[] = {
      {"elf", "gale/gale.elf"},
      {"exe", "gale/gale.exe"},
      {"bin", "gale/gale.bin"},
      {"hex", "gale/gale.hex"},
      {"map", "gale/gale.map"},
      {"dts", "gale/gale.dts"},
      {"config", "gale/.config"},
      {"config_json", "gale/config.json"},
      {"compile_commands", "compile_commands.json"},
  };
  std::vector<Artifact> out;
  for (const auto &[kind, relative] : kFiles) {
    fs::path path = fs::path(build_dir) / relative;
    std::error_code ec;
    uint64_t size = fs::file_size(path, ec);
    if (!ec) {
      out.push_back({kind, path.string(), size});
    }
  }
  return out;
}

BuildDriver::BuildDriver(DriverConfig config) : config_(std::move(config)) {}

absl::StatusOr<BuildResult> BuildDriver::Build(const BuildOptions &options,
                                               const BuildEvents &events,
                                               const CancelToken *cancel) const {
  return Run(options, /*configure_only=*/false, events, cancel);
}

absl::StatusOr<BuildResult> BuildDriver::Configure(const BuildOptions &options,
                                                   const BuildEvents &events,
                                                   const CancelToken *cancel) const {
  return Run(options, /*configure_only=*/true, events, cancel);
}

absl::StatusOr<BuildResult> BuildDriver::Run(const BuildOptions &options, bool configure_only,
                                             const BuildEvents &events,
                                             const CancelToken *cancel) const {
  std::error_code ec;
  if (config_.gale_base.empty() || !fs::is_directory(config_.gale_base, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the Gale tree '", config_.gale_base, "' is not a folder: set GALE_BASE to a Gale tree"));
  }
  const std::string gale_base = Canonical(config_.gale_base).string();
  if (options.app_dir.empty()) {
    return absl::InvalidArgumentError("no application folder given");
  }
  const fs::path app = Absolute(options.app_dir);
  if (!fs::is_directory(app, ec)) {
    return absl::NotFoundError(
        absl::StrCat("application folder ", app.string(), " does not exist"));
  }
  if (!fs::exists(app / "CMakeLists.txt", ec)) {
    return absl::InvalidArgumentError(
        absl::StrCat(app.string(), " is not an application folder: it has no CMakeLists.txt"));
  }
  const fs::path build = options.build_dir.empty() ? app / "build" : Absolute(options.build_dir);

  FolderLock lock(Canonical(build).string());
  if (!lock.acquired()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "a build of ", build.string(), " is already running; wait for it or cancel it"));
  }

  std::optional<BuildFolderInfo> info;
  if (fs::exists(build / "CMakeCache.txt", ec)) {
    absl::StatusOr<BuildFolderInfo> read = ReadBuildFolder(build.string());
    if (read.ok()) {
      info = std::move(*read);
    }
  }

  std::string board = options.board.empty() && info ? info->board : options.board;
  if (board.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no board given to build ", app.string(), ": name one (e.g. qemu_cortex_m3)"));
  }
  std::replace(board.begin(), board.end(), '/', '_');  // mps2/an385 -> mps2_an385
  static const std::map<std::string, std::string> kNoCache;
  if (absl::Status status =
          CheckBoard(board, app, options.cmake_args, info ? info->cache : kNoCache, gale_base);
      !status.ok()) {
    return status;
  }

  if (options.pristine) {
    if (absl::Status status = MakePristine(build, app, gale_base); !status.ok()) {
      return status;
    }
    info.reset();
  } else if (info) {
    if (!info->app_dir.empty() && !SameFolder(info->app_dir, app)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "build folder ", build.string(), " belongs to the application ", info->app_dir, ", not ",
          app.string(), ": use another build folder, or --pristine to start over"));
    }
    if (!info->board.empty() && info->board != board) {
      return absl::FailedPreconditionError(
          absl::StrCat("build folder ", build.string(), " is configured for board '", info->board,
                       "', not '", board,
                       "': a board change needs a pristine build (--pristine deletes the folder's "
                       "contents), or use another build folder"));
    }
    if (!info->generator.empty() && info->generator != "Ninja") {
      return absl::FailedPreconditionError(absl::StrCat(
          "build folder ", build.string(), " was configured with the '", info->generator,
          "' generator; builds here use Ninja: use --pristine or another build folder"));
    }
  }

  bool configure = configure_only || options.force_configure || !info ||
                   !fs::exists(build / "build.ninja", ec) || info->board.empty();
  if (!configure) {
    std::optional<std::vector<CacheArg>> args = ParseCacheArgs(options.cmake_args);
    if (!args) {
      configure = true;
    } else {
      for (const CacheArg &arg : *args) {
        auto it = info->cache.find(arg.name);
        if (it == info->cache.end() || it->second != arg.value) {
          configure = true;
        }
      }
    }
  }

  BuildResult result;
  result.app_dir = app.string();
  result.build_dir = build.string();
  result.board = board;
  DiagnosticParser parser({build.string(), app.string(), gale_base});
  auto on_diagnostics = [&](std::vector<Diagnostic> diagnostics) {
    for (Diagnostic &d : diagnostics) {
      if (d.severity == Severity::kError || d.severity == Severity::kFatal) {
        ++result.error_count;
      } else if (d.severity == Severity::kWarning) {
        ++result.warning_count;
      }
      if (events.on_diagnostic) {
        events.on_diagnostic(d);
      }
      result.diagnostics.push_back(std::move(d));
    }
  };
  auto progress = [&](const char *phase, double percent, std::string message) {
    if (events.on_progress) {
      Progress p;
      p.phase = phase;
      p.percent = percent;
      p.message = std::move(message);
      events.on_progress(p);
    }
  };
  bool ninja_idle = false;
  bool rerun_cmake = false;
  bool linked = false;

  SubprocessOptions tool;
  tool.cwd = app.string();
  tool.terminate_grace = config_.terminate_grace;
  tool.kill_with_parent = config_.kill_with_parent;
  // English messages with ASCII quotes, as the diagnostics parser expects; a status line whose
  // format the driver knows.
  tool.env = {{"GALE_BASE", gale_base}, {"LC_ALL", "C"}, {"NINJA_STATUS", "[%f/%t] "}};
  tool.unset_env = {"CLICOLOR_FORCE", "MAKEFLAGS"};
  for (const auto &kv : config_.env) {
    tool.env.push_back(kv);
  }

  auto run = [&](std::vector<std::string> argv, bool is_ninja) -> absl::StatusOr<ExitStatus> {
    tool.argv = std::move(argv);
    absl::StatusOr<ExitStatus> status = RunSubprocess(
        tool,
        [&](OutputStream stream, std::string_view line) {
          if (events.on_output) {
            events.on_output(stream, line);
          }
          if (stream == OutputStream::kStdout) {
            if (is_ninja && line.size() > 1 && line[0] == '[') {
              // "[finished/total] description" (NINJA_STATUS above).
              size_t slash = line.find('/'), close = line.find("] ");
              if (slash != std::string_view::npos && close != std::string_view::npos &&
                  slash < close) {
                double done = std::atof(std::string(line.substr(1, slash - 1)).c_str());
                double total =
                    std::atof(std::string(line.substr(slash + 1, close - slash - 1)).c_str());
                std::string_view what = line.substr(close + 2);
                const char *phase = StartsWith(what, "Linking")            ? "link"
                                    : StartsWith(what, "Re-running CMake") ? "configure"
                                                                           : "compile";
                if (StartsWith(what, "Re-running CMake")) {
                  rerun_cmake = true;
                }
                if (StartsWith(what, "Linking") &&
                    (what.find("gale.elf") != std::string_view::npos ||
                     what.find("gale.exe") != std::string_view::npos)) {
                  linked = true;
                }
                progress(phase, total > 0 ? 100.0 * done / total : -1, std::string(line));
              }
            } else if (is_ninja && line == "ninja: no work to do.") {
              ninja_idle = true;
            } else if (StartsWith(line, "-- ")) {
              progress("configure", -1, std::string(line.substr(3)));
            }
          }
          on_diagnostics(parser.Feed(line, stream));
        },
        cancel);
    on_diagnostics(parser.Finish());
    return status;
  };
  auto finish_failed = [&](const char *step, const char *program, const ExitStatus &status) {
    result.exit_code = status.code;
    std::string first = FirstError(result.diagnostics, gale_base);
    if (first.empty()) {
      result.error =
          absl::StrCat(step, " failed: ", program, " ", status.Describe(), "; see its output");
    } else if (result.error_count > 1) {
      result.error =
          absl::StrCat(step, " failed (", result.error_count, " errors); first: ", first);
    } else {
      result.error = absl::StrCat(step, " failed: ", first);
    }
  };
  auto cancelled = [&] {
    result.state = BuildState::kCancelled;
    result.error = "cancelled";
    result.artifacts = FindArtifacts(result.build_dir);
    return result;
  };

  if (cancel != nullptr && cancel->cancelled()) {
    return cancelled();
  }
  if (configure) {
    result.configured = true;
    progress("configure", -1,
             absl::StrCat("Configuring ", app.string(), " for ", board, " in ", build.string()));
    std::vector<std::string> argv = {config_.cmake,  "-GNinja",         "-S", app.string(), "-B",
                                     build.string(), "-DBOARD=" + board};
    argv.insert(argv.end(), options.cmake_args.begin(), options.cmake_args.end());
    absl::StatusOr<ExitStatus> status = run(std::move(argv), false);
    if (!status.ok()) {
      return status.status();
    }
    if (status->cancelled) {
      return cancelled();
    }
    if (!status->ok()) {
      finish_failed("configure", "cmake", *status);
      result.artifacts = FindArtifacts(result.build_dir);
      return result;
    }
  }

  if (!configure_only) {
    if (cancel != nullptr && cancel->cancelled()) {
      return cancelled();
    }
    progress("compile", 0, absl::StrCat("Building in ", build.string()));
    std::vector<std::string> argv = {config_.ninja, "-C", build.string()};
    if (options.jobs > 0) {
      argv.push_back("-j");
      argv.push_back(std::to_string(options.jobs));
    }
    absl::StatusOr<ExitStatus> status = run(std::move(argv), true);
    if (!status.ok()) {
      return status.status();
    }
    if (status->cancelled) {
      return cancelled();
    }
    if (!status->ok()) {
      finish_failed("build", "ninja", *status);
      result.artifacts = FindArtifacts(result.build_dir);
      result.memory_regions = parser.memory_regions();
      return result;
    }
    result.up_to_date = ninja_idle && !result.configured && !rerun_cmake;
  }

  result.state = BuildState::kSucceeded;
  result.artifacts = FindArtifacts(result.build_dir);
  for (const Artifact &artifact : result.artifacts) {
    if (result.elf.empty() && (artifact.kind == "elf" || artifact.kind == "exe")) {
      result.elf = artifact.path;
    }
  }
  if (linked) {
    result.memory_regions = parser.memory_regions();
  }
  uint64_t flash = 0, ram = 0;
  for (const MemoryRegion &region : result.memory_regions) {
    std::string name = region.name;
    std::transform(name.begin(), name.end(), name.begin(), ::toupper);
    if (name.find("FLASH") != std::string::npos || name.find("ROM") != std::string::npos) {
      flash += region.used;
    } else if (name.find("RAM") != std::string::npos) {
      ram += region.used;
    }
  }
  if (flash == 0 && ram == 0 && !result.elf.empty()) {
    absl::StatusOr<ImageSize> size = ImageSizeFromElf(result.elf);
    if (size.ok()) {
      flash = size->flash;
      ram = size->ram;
    }
  }
  result.flash_bytes = flash;
  result.ram_bytes = ram;
  return result;
}

}  // namespace gale::build
