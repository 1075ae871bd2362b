// The build driver on real builds: cmake, ninja and the cross toolchain.
#include "gale/build/driver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "gale/build/image_size.h"
#include "test_util.h"

namespace gale::build {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::Contains;
using testing::CopyHelloWorld;
using ::testing::Field;
using ::testing::HasSubstr;
using testing::kJobs;
using testing::TempFolder;
using testing::TestDriver;
using testing::WriteFile;

std::string Hello() {
  return std::string(GALE_SOURCE_DIR) + "/samples/hello_world";
}

struct Recorder {
  std::vector<Progress> progress;
  std::vector<Diagnostic> diagnostics;
  int lines = 0;
  BuildEvents events() {
    BuildEvents e;
    e.on_progress = [this](const Progress &p) { progress.push_back(p); };
    e.on_diagnostic = [this](const Diagnostic &d) { diagnostics.push_back(d); };
    e.on_output = [this](OutputStream, std::string_view) { ++lines; };
    return e;
  }
  std::set<std::string> phases() const {
    std::set<std::string> out;
    for (const Progress &p : progress) {
      out.insert(p.phase);
    }
    return out;
  }
};

const Artifact *FindKind(const BuildResult &result, const std::string &kind) {
  for (const Artifact &a : result.artifacts) {
    if (a.kind == kind) {
      return &a;
    }
  }
  return nullptr;
}

TEST(BuildDriverTest, HelloWorldForQemuCortexM3) {
  TempFolder tmp;
  BuildDriver driver = TestDriver();
  BuildOptions options;
  options.app_dir = Hello();
  options.board = "qemu_cortex_m3";
  options.build_dir = tmp.str() + "/build";
  options.jobs = kJobs;

  Recorder rec;
  absl::StatusOr<BuildResult> result = driver.Build(options, rec.events());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->state, BuildState::kSucceeded) << result->error;
  EXPECT_EQ(result->error, "");
  EXPECT_TRUE(result->configured);
  EXPECT_FALSE(result->up_to_date);
  EXPECT_EQ(result->board, "qemu_cortex_m3");
  EXPECT_EQ(result->build_dir, options.build_dir);
  EXPECT_EQ(result->elf, options.build_dir + "/gale/gale.elf");
  EXPECT_EQ(result->error_count, 0);
  EXPECT_GT(rec.lines, 0);

  // Progress: configure, then compile and link with percentages up to 100.
  EXPECT_EQ(rec.phases(), (std::set<std::string>{"configure", "compile", "link"}));
  EXPECT_EQ(rec.progress.front().phase, "configure");
  EXPECT_EQ(rec.progress.front().percent, -1);
  double last = -1;
  for (const Progress &p : rec.progress) {
    if (p.phase != "configure") {
      EXPECT_GE(p.percent, last) << p.message;
      EXPECT_LE(p.percent, 100);
      last = p.percent;
    }
  }
  EXPECT_EQ(last, 100);
  EXPECT_EQ(rec.progress.back().phase, "link");
  EXPECT_THAT(rec.progress.back().message, HasSubstr("gale.elf"));

  for (const char *kind : {"elf", "bin", "hex", "map", "dts", "config", "config_json"}) {
    const Artifact *a = FindKind(*result, kind);
    ASSERT_NE(a, nullptr) << "no " << kind << " artifact";
    EXPECT_GT(a->size, 0u) << kind;
    EXPECT_EQ(fs::file_size(a->path), a->size) << kind;
  }
  EXPECT_EQ(FindKind(*result, "exe"), nullptr);
  EXPECT_EQ(FindKind(*result, "config")->path, options.build_dir + "/gale/.config");

  // Sizes: the linker's table, which the ELF's section headers agree with.
  ASSERT_EQ(result->memory_regions.size(), 2u);
  EXPECT_EQ(result->memory_regions[0].name, "FLASH");
  EXPECT_EQ(result->memory_regions[0].size, 256u * 1024);
  EXPECT_GT(result->flash_bytes, 0u);
  EXPECT_GT(result->ram_bytes, 0u);
  EXPECT_EQ(result->flash_bytes, result->memory_regions[0].used);
  absl::StatusOr<ImageSize> size = ImageSizeFromElf(result->elf);
  ASSERT_TRUE(size.ok()) << size.status();
  EXPECT_EQ(size->flash, result->flash_bytes);
  EXPECT_EQ(size->ram, result->ram_bytes);

  // Again: nothing to configure, nothing to build; the sizes now come from the ELF.
  Recorder again;
  absl::StatusOr<BuildResult> second = driver.Build(options, again.events());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->state, BuildState::kSucceeded);
  EXPECT_FALSE(second->configured);
  EXPECT_TRUE(second->up_to_date);
  EXPECT_FALSE(again.phases().count("configure"));
  EXPECT_TRUE(second->memory_regions.empty());
  EXPECT_EQ(second->flash_bytes, result->flash_bytes);
  EXPECT_EQ(second->ram_bytes, result->ram_bytes);

  // The board comes from the folder when none is given.
  BuildOptions no_board = options;
  no_board.board = "";
  absl::StatusOr<BuildResult> third = driver.Build(no_board);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->board, "qemu_cortex_m3");
  EXPECT_TRUE(third->up_to_date);

  // Another board in this folder needs a pristine build.
  BuildOptions other = options;
  other.board = "mps2_an385";
  absl::StatusOr<BuildResult> switched = driver.Build(other);
  ASSERT_FALSE(switched.ok());
  EXPECT_EQ(switched.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(switched.status().message(), HasSubstr("configured for board 'qemu_cortex_m3'"));
  EXPECT_THAT(switched.status().message(), HasSubstr("--pristine"));

  // Another application in this folder is refused too.
  TempFolder other_app_dir;
  BuildOptions other_app = options;
  other_app.app_dir = CopyHelloWorld(other_app_dir, "app");
  absl::StatusOr<BuildResult> foreign = driver.Build(other_app);
  ASSERT_FALSE(foreign.ok());
  EXPECT_THAT(foreign.status().message(), HasSubstr("belongs to the application"));

  // A changed -D argument reconfigures.
  BuildOptions with_arg = options;
  with_arg.cmake_args = {"-DGALE_TEST_ARG=1"};
  absl::StatusOr<BuildResult> reconfigured = driver.Build(with_arg);
  ASSERT_TRUE(reconfigured.ok()) << reconfigured.status();
  EXPECT_TRUE(reconfigured->configured);
  absl::StatusOr<BuildResult> same_arg = driver.Build(with_arg);
  ASSERT_TRUE(same_arg.ok());
  EXPECT_FALSE(same_arg->configured);
}

TEST(BuildDriverTest, NativeSimImageSizesFromTheElf) {
  TempFolder tmp;
  BuildOptions options;
  options.app_dir = Hello();
  options.board = "native_sim";
  options.build_dir = tmp.str() + "/build";
  options.jobs = kJobs;
  absl::StatusOr<BuildResult> result = TestDriver().Build(options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->state, BuildState::kSucceeded) << result->error;
  EXPECT_EQ(result->elf, options.build_dir + "/gale/gale.exe");
  ASSERT_NE(FindKind(*result, "exe"), nullptr);
  EXPECT_EQ(FindKind(*result, "elf"), nullptr);
  EXPECT_GT(result->flash_bytes, 0u);
  EXPECT_GT(result->ram_bytes, 0u);
}

TEST(BuildDriverTest, BrokenAppGivesStructuredErrors) {
  TempFolder tmp;
  std::string app = CopyHelloWorld(tmp, "broken");
  WriteFile(fs::path(app) / "src/main.c",
            "#include <zephyr/kernel.h>\n"
            "\n"
            "int main(void)\n"
            "{\n"
            "\tint unused;\n"
            "\treturn no_such_variable;\n"
            "}\n");
  BuildOptions options;
  options.app_dir = app;
  options.board = "qemu_cortex_m3";
  options.jobs = kJobs;
  Recorder rec;
  absl::StatusOr<BuildResult> result = TestDriver().Build(options, rec.events());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->state, BuildState::kFailed);
  EXPECT_EQ(result->build_dir, app + "/build");  // the default build folder
  EXPECT_EQ(result->exit_code, 1);
  const std::string main_c = app + "/src/main.c";
  EXPECT_THAT(result->diagnostics,
              Contains(AllOf(Field(&Diagnostic::file, main_c), Field(&Diagnostic::line, 6u),
                             Field(&Diagnostic::column, 16u),  // GCC counts a tab as 8 columns
                             Field(&Diagnostic::severity, Severity::kError),
                             Field(&Diagnostic::tool, "gcc"),
                             Field(&Diagnostic::context, "In function 'main'"),
                             Field(&Diagnostic::message, HasSubstr("'no_such_variable'")))));
  EXPECT_THAT(result->diagnostics,
              Contains(AllOf(Field(&Diagnostic::line, 5u),
                             Field(&Diagnostic::severity, Severity::kWarning))));
  EXPECT_EQ(rec.diagnostics.size(), result->diagnostics.size());
  EXPECT_EQ(result->error_count, 1);
  EXPECT_EQ(result->error, "build failed: " + main_c +
                               ":6:16: 'no_such_variable' undeclared (first use in this function)");
}

TEST(BuildDriverTest, KconfigWarningsAndCMakeErrorsOfTheConfigureStep) {
  TempFolder tmp;
  std::string app = CopyHelloWorld(tmp, "app");
  WriteFile(fs::path(app) / "prj.conf", "CONFIG_PRINTKK=y\n");
  BuildOptions options;
  options.app_dir = app;
  options.board = "qemu_cortex_m3";
  options.build_dir = tmp.str() + "/build";
  absl::StatusOr<BuildResult> result = TestDriver().Configure(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->state, BuildState::kSucceeded);
  EXPECT_THAT(result->diagnostics,
              Contains(AllOf(Field(&Diagnostic::file, app + "/prj.conf"),
                             Field(&Diagnostic::line, 1u), Field(&Diagnostic::tool, "kconfig"),
                             Field(&Diagnostic::severity, Severity::kWarning))));
  EXPECT_EQ(result->warning_count, 1);
  EXPECT_NE(FindKind(*result, "config_json"), nullptr);
  EXPECT_EQ(FindKind(*result, "elf"), nullptr);

  // A missing fragment fails configure with the CMake package's message.
  options.cmake_args = {"-DEXTRA_CONF_FILE=nope.conf"};
  absl::StatusOr<BuildResult> failed = TestDriver().Build(options);
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(failed->state, BuildState::kFailed);
  EXPECT_THAT(failed->error, HasSubstr("configure failed"));
  EXPECT_THAT(failed->error, HasSubstr("nope.conf"));
  EXPECT_THAT(failed->diagnostics, Contains(Field(&Diagnostic::tool, "cmake")));
}

TEST(BuildDriverTest, CancelMidBuildThenTheFolderBuildsAgain) {
  TempFolder tmp;
  BuildOptions options;
  options.app_dir = Hello();
  options.board = "qemu_cortex_m3";
  options.build_dir = tmp.str() + "/build";
  options.jobs = kJobs;
  CancelToken cancel;
  BuildEvents events;
  int progress_after_cancel = 0;
  events.on_progress = [&](const Progress &p) {
    if (cancel.cancelled()) {
      ++progress_after_cancel;
    }
    if (p.phase == "compile" && p.percent > 0) {
      cancel.Cancel();
    }
  };
  absl::StatusOr<BuildResult> result = TestDriver().Build(options, events, &cancel);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->state, BuildState::kCancelled);
  EXPECT_EQ(result->error, "cancelled");
  EXPECT_FALSE(fs::exists(options.build_dir + "/gale/gale.elf"));

  absl::StatusOr<BuildResult> again = TestDriver().Build(options);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->state, BuildState::kSucceeded) << again->error;
  EXPECT_TRUE(fs::exists(options.build_dir + "/gale/gale.elf"));
}

TEST(BuildDriverTest, KilledMidBuildTheFolderBuildsAgain) {
  // No grace: cmake and ninja get SIGKILL at once, as if the daemon had been killed.
  TempFolder tmp;
  DriverConfig config = TestDriver().config();
  config.terminate_grace = std::chrono::milliseconds(0);
  BuildDriver driver(config);
  BuildOptions options;
  options.app_dir = Hello();
  options.board = "qemu_cortex_m3";
  options.build_dir = tmp.str() + "/build";
  options.jobs = kJobs;
  for (const char *phase : {"configure", "compile"}) {
    CancelToken cancel;
    BuildEvents events;
    int seen = 0;
    events.on_progress = [&](const Progress &p) {
      if (p.phase == phase && ++seen == 3) {
        cancel.Cancel();
      }
    };
    absl::StatusOr<BuildResult> killed = driver.Build(options, events, &cancel);
    ASSERT_TRUE(killed.ok()) << killed.status();
    EXPECT_EQ(killed->state, BuildState::kCancelled) << phase;
  }
  absl::StatusOr<BuildResult> again = driver.Build(options);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->state, BuildState::kSucceeded) << again->error;
  EXPECT_GT(fs::file_size(options.build_dir + "/gale/gale.elf"), 0u);
}

TEST(BuildDriverTest, PristineRefusesAFolderThatIsNoBuildFolder) {
  TempFolder tmp;
  WriteFile(tmp.path() / "notes/keep.txt", "precious\n");
  BuildOptions options;
  options.app_dir = Hello();
  options.board = "qemu_cortex_m3";
  options.build_dir = tmp.str() + "/notes";
  options.pristine = true;
  absl::StatusOr<BuildResult> result = TestDriver().Build(options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(result.status().message(), HasSubstr(options.build_dir));
  EXPECT_THAT(result.status().message(), HasSubstr("has no CMakeCache.txt"));
  EXPECT_TRUE(fs::exists(tmp.path() / "notes/keep.txt"));

  // Nor the application itself, even when it has a CMakeCache.txt (an in-source build).
  std::string app = CopyHelloWorld(tmp, "app");
  WriteFile(fs::path(app) / "CMakeCache.txt", "# in-source\n");
  options.app_dir = app;
  options.build_dir = app;
  result = TestDriver().Build(options);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("holds the application"));
  EXPECT_TRUE(fs::exists(fs::path(app) / "src/main.c"));
}

TEST(BuildDriverTest, PristineEmptiesABuildFolder) {
  TempFolder tmp;
  WriteFile(tmp.path() / "build/CMakeCache.txt", "GALE_CACHED_BOARD:INTERNAL=mps2_an385\n");
  WriteFile(tmp.path() / "build/stale/file.o", "x");
  BuildOptions options;
  options.app_dir = Hello();
  options.board = "qemu_cortex_m3";
  options.build_dir = tmp.str() + "/build";
  options.pristine = true;
  absl::StatusOr<BuildResult> result = TestDriver().Configure(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->state, BuildState::kSucceeded) << result->error;
  EXPECT_FALSE(fs::exists(tmp.path() / "build/stale"));
  absl::StatusOr<BuildFolderInfo> info = ReadBuildFolder(options.build_dir);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->board, "qemu_cortex_m3");
  EXPECT_EQ(info->generator, "Ninja");
  EXPECT_EQ(fs::path(info->app_dir), fs::path(Hello()));
}

TEST(BuildDriverTest, UnknownBoardIsNamed) {
  TempFolder tmp;
  BuildOptions options;
  options.app_dir = Hello();
  options.board = "no_such_board";
  options.build_dir = tmp.str() + "/build";
  absl::StatusOr<BuildResult> result = TestDriver().Build(options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(result.status().message(), HasSubstr("unknown board 'no_such_board'"));
  EXPECT_THAT(result.status().message(), HasSubstr("qemu_cortex_m3"));
  EXPECT_FALSE(fs::exists(options.build_dir));
}

TEST(BuildDriverTest, BadRequests) {
  TempFolder tmp;
  BuildDriver driver = TestDriver();
  BuildOptions options;
  options.board = "qemu_cortex_m3";
  EXPECT_EQ(driver.Build(options).status().code(), absl::StatusCode::kInvalidArgument);

  options.app_dir = tmp.str() + "/missing";
  absl::StatusOr<BuildResult> missing = driver.Build(options);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr(options.app_dir));

  options.app_dir = tmp.str();
  absl::StatusOr<BuildResult> not_app = driver.Build(options);
  EXPECT_EQ(not_app.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(not_app.status().message(), HasSubstr("no CMakeLists.txt"));

  options.app_dir = Hello();
  options.board = "";
  options.build_dir = tmp.str() + "/fresh";
  absl::StatusOr<BuildResult> no_board = driver.Build(options);
  EXPECT_EQ(no_board.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(no_board.status().message(), HasSubstr("no board given"));

  DriverConfig bad;
  bad.gale_base = tmp.str() + "/nowhere";
  options.board = "qemu_cortex_m3";
  EXPECT_EQ(BuildDriver(bad).Build(options).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ImageSizeTest, RejectsWhatIsNoElf) {
  TempFolder tmp;
  WriteFile(tmp.path() / "bogus.elf", "not an elf");
  absl::StatusOr<ImageSize> bogus = ImageSizeFromElf(tmp.str() + "/bogus.elf");
  EXPECT_EQ(bogus.status().code(), absl::StatusCode::kInvalidArgument);
  WriteFile(tmp.path() / "short.elf", std::string("\x7f"
                                                  "ELF\x01\x01\x01",
                                                  7) +
                                          "xxxxxxxxxxxx");
  EXPECT_EQ(ImageSizeFromElf(tmp.str() + "/short.elf").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ImageSizeFromElf(tmp.str() + "/none.elf").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace gale::build
