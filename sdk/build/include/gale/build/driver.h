// The build driver: configures and builds a target application as a user would with
// `cmake -GNinja -S APP -B BUILD -DBOARD=B [args] && ninja -C BUILD`, with progress, structured
// diagnostics, cancellation, and the artifacts and memory use of the result.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gale/build/cancel.h"
#include "gale/build/diagnostics.h"
#include "gale/build/subprocess.h"

namespace gale::build {

/// What a build folder says about itself in its CMakeCache.txt.
struct BuildFolderInfo {
  std::string build_dir;  ///< absolute
  std::string app_dir;    ///< the application it belongs to (CMAKE_HOME_DIRECTORY)
  std::string board;      ///< GALE_CACHED_BOARD; empty when configure never got that far
  std::string generator;  ///< CMAKE_GENERATOR, e.g. "Ninja"
  /// The Kconfig fragments of the last configure, in the order applied (board defconfig,
  /// prj.conf or CONF_FILE, EXTRA_CONF_FILE, the app's gale.conf); empty for folders configured
  /// before the CMake package recorded them.
  std::vector<std::string> kconfig_fragments;
  std::map<std::string, std::string> cache;  ///< every entry, NAME -> VALUE
};

/// Reads BUILD_DIR/CMakeCache.txt. NotFound when there is none.
absl::StatusOr<BuildFolderInfo> ReadBuildFolder(const std::string &build_dir);

/// Where a build is (gale.v1.Progress).
struct Progress {
  std::string phase;    ///< "configure", "compile", "link"
  double percent = -1;  ///< [0, 100], or -1 when it cannot be known (configure)
  uint64_t bytes_done = 0;
  uint64_t bytes_total = 0;
  std::string message;  ///< one line, e.g. "[12/40] Building C object ..."
};

/// Called on the thread that runs the build, in the order things happen.
struct BuildEvents {
  std::function<void(const Progress &)> on_progress;
  std::function<void(const Diagnostic &)> on_diagnostic;
  /// Every line cmake and ninja print (gale.v1.LogLine), before it is parsed.
  std::function<void(OutputStream, std::string_view)> on_output;
};

struct BuildOptions {
  std::string app_dir;  ///< the application folder (with CMakeLists.txt)
  /// Empty: the board the build folder is configured for.
  std::string board;
  std::string build_dir;  ///< empty: APP_DIR/build
  /// Remove the build folder's contents first. Refused (FailedPrecondition) for a folder that
  /// is not empty and has no CMakeCache.txt, or that holds the application or the Gale tree.
  bool pristine = false;
  std::vector<std::string> cmake_args;  ///< e.g. "-DEXTRA_CONF_FILE=debug.conf"
  int jobs = 0;                         ///< ninja -j; 0: ninja's default
  bool force_configure = false;         ///< run cmake even when nothing asks for it
};

enum class BuildState { kSucceeded, kFailed, kCancelled };

/// "succeeded", "failed", "cancelled" (the gale.v1.JobState names).
const char *BuildStateName(BuildState state);

/// A file the build produced (gale.v1.Artifact).
struct Artifact {
  /// "elf", "exe" (native_sim), "bin", "hex", "map", "dts", "config" (.config), "config_json",
  /// "compile_commands".
  std::string kind;
  std::string path;  ///< absolute
  uint64_t size = 0;
};

struct BuildResult {
  BuildState state = BuildState::kFailed;
  /// One line a user can act on when the build failed or was cancelled; empty on success. For
  /// failures it quotes the first error ("build failed (2 errors); first: FILE:L:C: ...").
  std::string error;
  int exit_code = 0;  ///< of the tool that failed (cmake or ninja); 0 otherwise
  std::string app_dir;
  std::string build_dir;
  std::string board;
  bool configured = false;  ///< cmake ran (by the driver; ninja may re-run it itself too)
  bool up_to_date = false;  ///< nothing needed doing
  std::string elf;          ///< gale/gale.elf, or gale/gale.exe for native_sim; empty if none
  std::vector<Artifact> artifacts;
  uint64_t flash_bytes = 0;  ///< image size (see ImageSize); 0 without an image
  uint64_t ram_bytes = 0;
  /// The linker's --print-memory-usage table when this build linked; empty otherwise.
  std::vector<MemoryRegion> memory_regions;
  std::vector<Diagnostic> diagnostics;  ///< also streamed through BuildEvents
  int error_count = 0;
  int warning_count = 0;
};

struct DriverConfig {
  /// The Gale tree: passed to the CMake package as GALE_BASE, and its boards/ are the catalog.
  std::string gale_base;
  std::string cmake = "cmake";
  std::string ninja = "ninja";
  /// Extra environment for cmake and ninja (e.g. GALE_HOST_TOOLS_DIR).
  std::vector<std::pair<std::string, std::string>> env;
  /// Time a cancelled cmake or ninja has to stop after SIGTERM before SIGKILL.
  std::chrono::milliseconds terminate_grace{3000};
  /// cmake and ninja die with the process that runs the build (PR_SET_PDEATHSIG, see
  /// SubprocessOptions): a daemon killed mid-build leaves no ninja behind to race the next
  /// build of the folder.
  bool kill_with_parent = true;
};

/// Runs builds. Const and thread-safe: builds of different folders may run at once; a second
/// build of a folder while one runs in this process is refused (FailedPrecondition).
class BuildDriver {
 public:
  explicit BuildDriver(DriverConfig config);

  /// Configures when needed (no build.ninja; the board or a -D argument differs from the
  /// cache; an argument other than -D given; force_configure), then runs ninja.
  ///
  /// Returns an error status when the build could not be attempted: InvalidArgument (no
  /// application folder, no board), NotFound (unknown board: "unknown board 'x'; known boards:
  /// ..."), FailedPrecondition (the folder belongs to another application or board, or
  /// --pristine was refused; a build of the folder is running). A build that ran and failed or
  /// was cancelled is a BuildResult with that state.
  ///
  /// Cancellation (from any thread, through @p cancel) sends SIGTERM to cmake/ninja's session,
  /// SIGKILL after terminate_grace, and returns state kCancelled. The build folder stays usable
  /// (ninja and CMake write their outputs atomically; the driver writes no files there).
  absl::StatusOr<BuildResult> Build(const BuildOptions &options, const BuildEvents &events = {},
                                    const CancelToken *cancel = nullptr) const;

  /// Runs cmake only (always), as Build does when it configures.
  absl::StatusOr<BuildResult> Configure(const BuildOptions &options, const BuildEvents &events = {},
                                        const CancelToken *cancel = nullptr) const;

  const DriverConfig &config() const { return config_; }

 private:
  absl::StatusOr<BuildResult> Run(const BuildOptions &options, bool configure_only,
                                  const BuildEvents &events, const CancelToken *cancel) const;

  DriverConfig config_;
};

/// The artifacts present in @p build_dir (see Artifact::kind), in a fixed order.
std::vector<Artifact> FindArtifacts(const std::string &build_dir);

}  // namespace gale::build
