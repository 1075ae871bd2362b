// Kconfig explanations (BuildConfig) and SetConfig: on a synthetic config.json, and on a real
// configured copy of hello_world.
#include "gale/build/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"

namespace gale::build {
namespace {

namespace fs = std::filesystem;
using testing::CopyHelloWorld;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ReadFile;
using testing::TempFolder;
using testing::TestDriver;
using testing::WriteFile;

// A small config.json in gale-kconfig's format (sdk/kconfig/README.md).
constexpr char kJson[] = R"({
  "format": "gale-kconfig-1", "mainmenu": "Test",
  "symbols": [
    {"name": "FOO", "type": "bool", "value": "y", "user_value": null,
     "prompts": [{"text": "Foo", "condition": "y", "visible": true}], "help": "Foo help.\n",
     "defined_at": [{"file": "/k/Kconfig", "line": 1}], "visibility": "y",
     "direct_dependencies": "y", "selected_by": [], "implied_by": [], "ranges": [],
     "menu_path": ["Top", "Sub"], "choice": null},
    {"name": "SIZE", "type": "int", "value": "64",
     "user_value": {"value": "64", "file": "/app/prj.conf", "line": 3},
     "prompts": [{"text": "Size", "condition": "FOO", "visible": true}], "help": "",
     "defined_at": [{"file": "/k/Kconfig", "line": 5}], "visibility": "y",
     "direct_dependencies": "FOO", "selected_by": [], "implied_by": [],
     "ranges": [{"low": "16", "high": "MAX", "condition": "y", "active": true}],
     "menu_path": ["Top"], "choice": null},
    {"name": "MAX", "type": "int", "value": "128", "user_value": null, "prompts": [],
     "help": "", "defined_at": [{"file": "/k/Kconfig", "line": 9}], "visibility": "n",
     "direct_dependencies": "y", "selected_by": [], "implied_by": [], "ranges": [],
     "menu_path": [], "choice": null},
    {"name": "FORCED", "type": "bool", "value": "y", "user_value": null,
     "prompts": [{"text": "Forced", "condition": "y", "visible": true}], "help": "",
     "defined_at": [{"file": "/k/Kconfig", "line": 12}], "visibility": "y",
     "direct_dependencies": "y", "selected_by": ["FOO", "BAR"], "implied_by": [], "ranges": [],
     "menu_path": [], "choice": null},
    {"name": "BAR", "type": "bool", "value": "n",
     "user_value": {"value": "y", "file": "/app/prj.conf", "line": 4},
     "prompts": [{"text": "Bar", "condition": "BAZ && !FOO || \"x\" = NAME", "visible": false}],
     "help": "", "defined_at": [{"file": "/k/Kconfig", "line": 15}], "visibility": "n",
     "direct_dependencies": "BAZ && !FOO || \"x\" = NAME", "selected_by": [], "implied_by": [],
     "ranges": [], "menu_path": [], "choice": null},
    {"name": "NAME", "type": "string", "value": "a \"b\"", "user_value": null,
     "prompts": [{"text": "Name", "condition": "y", "visible": true}], "help": "",
     "defined_at": [], "visibility": "y", "direct_dependencies": "y", "selected_by": [],
     "implied_by": [], "ranges": [], "menu_path": [], "choice": null},
    {"name": "ADDR", "type": "hex", "value": "0x100", "user_value": null,
     "prompts": [{"text": "Addr", "condition": "y", "visible": true}], "help": "",
     "defined_at": [], "visibility": "y", "direct_dependencies": "y", "selected_by": [],
     "implied_by": [], "ranges": [{"low": "0x10", "high": "0x1000", "condition": "y", "active": true}],
     "menu_path": [], "choice": null},
    {"name": "FAST", "type": "bool", "value": "y", "user_value": null,
     "prompts": [{"text": "Fast", "condition": "y", "visible": true}], "help": "",
     "defined_at": [], "visibility": "y", "direct_dependencies": "y", "selected_by": [],
     "implied_by": [], "ranges": [], "menu_path": [], "choice": "SPEED"},
    {"name": "SLOW", "type": "bool", "value": "n", "user_value": null,
     "prompts": [{"text": "Slow", "condition": "y", "visible": true}], "help": "",
     "defined_at": [], "visibility": "y", "direct_dependencies": "y", "selected_by": [],
     "implied_by": [], "ranges": [], "menu_path": [], "choice": "SPEED"}
  ],
  "choices": [{"id": "SPEED", "type": "bool", "optional": false, "value": "y",
               "selection": "FAST", "user_selection": null, "members": ["FAST", "SLOW"]}],
  "menu": {"kind": "root", "children": []}
})";

BuildConfig Synthetic() {
  BuildFolderInfo folder;
  folder.build_dir = "/app/build";
  folder.app_dir = "/app";
  folder.board = "qemu_cortex_m3";
  absl::StatusOr<BuildConfig> config = BuildConfig::Parse(kJson, folder);
  EXPECT_TRUE(config.ok()) << config.status();
  return *config;
}

TEST(BuildConfigTest, ExplainsSymbols) {
  BuildConfig config = Synthetic();
  absl::StatusOr<ConfigSymbol> foo = config.Get("CONFIG_FOO");
  ASSERT_TRUE(foo.ok()) << foo.status();
  EXPECT_EQ(foo->name, "FOO");
  EXPECT_EQ(foo->type, "bool");
  EXPECT_EQ(foo->prompt, "Foo");
  EXPECT_EQ(foo->help, "Foo help.\n");
  EXPECT_TRUE(foo->visible);
  EXPECT_EQ(foo->depends_on, "");
  EXPECT_EQ(foo->set_by, "default");
  EXPECT_EQ(foo->why_not_settable, "");
  EXPECT_THAT(foo->defined_at, ElementsAre("/k/Kconfig:1"));
  EXPECT_EQ(foo->menu, "Top > Sub");

  absl::StatusOr<ConfigSymbol> size = config.Get("SIZE");
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->set_by, "/app/prj.conf:3");
  EXPECT_EQ(size->depends_on, "FOO");
  EXPECT_THAT(size->ranges, ElementsAre("16..128"));  // MAX resolved to its value

  absl::StatusOr<ConfigSymbol> max = config.Get("MAX");
  ASSERT_TRUE(max.ok());
  EXPECT_FALSE(max->visible);
  EXPECT_EQ(max->why_not_settable,
            "CONFIG_MAX has no prompt, so it is not user-settable: its value comes from its "
            "defaults");

  absl::StatusOr<ConfigSymbol> forced = config.Get("FORCED");
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->set_by, "selected by FOO");  // BAR is n: its select does not count
  EXPECT_EQ(forced->why_not_settable,
            "selected by FOO (CONFIG_FOO=y), so it stays y: it cannot be set to n");

  absl::StatusOr<ConfigSymbol> bar = config.Get("BAR");
  ASSERT_TRUE(bar.ok());
  EXPECT_EQ(bar->set_by, "default");
  EXPECT_EQ(bar->why_not_settable,
            "unmet dependency: BAZ && !FOO || \"x\" = NAME (CONFIG_BAZ undefined, CONFIG_FOO=y, "
            "CONFIG_NAME=a \"b\"); the assignment CONFIG_BAR=y at /app/prj.conf:4 does not take "
            "effect");

  absl::StatusOr<ConfigSymbol> slow = config.Get("SLOW");
  ASSERT_TRUE(slow.ok());
  EXPECT_EQ(slow->choice, "SPEED");
  EXPECT_EQ(slow->set_by, "default");
  EXPECT_EQ(slow->why_not_settable, "");
}

TEST(BuildConfigTest, UnknownSymbolSuggestsTheClosest) {
  absl::StatusOr<ConfigSymbol> got = Synthetic().Get("CONFIG_SIZ");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(got.status().message(), "unknown Kconfig symbol CONFIG_SIZ; did you mean CONFIG_SIZE?");
  EXPECT_EQ(Synthetic().Get("QWERTYUIOP").status().message(),
            "unknown Kconfig symbol CONFIG_QWERTYUIOP");
}

TEST(BuildConfigTest, ListsVisibleOrAllInTreeOrder) {
  BuildConfig config = Synthetic();
  std::vector<std::string> visible, all;
  for (const ConfigSymbol &s : config.List(false)) {
    visible.push_back(s.name);
  }
  for (const ConfigSymbol &s : config.List(true)) {
    all.push_back(s.name);
  }
  EXPECT_THAT(visible, ElementsAre("FOO", "SIZE", "FORCED", "NAME", "ADDR", "FAST", "SLOW"));
  EXPECT_THAT(all,
              ElementsAre("FOO", "SIZE", "MAX", "FORCED", "BAR", "NAME", "ADDR", "FAST", "SLOW"));
}

TEST(BuildConfigTest, ChecksAssignments) {
  BuildConfig config = Synthetic();
  auto check = [&](const char *text) { return config.CheckAssignment(text); };
  absl::StatusOr<ConfigAssignment> ok = check("CONFIG_SIZE=100");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->symbol, "SIZE");
  EXPECT_EQ(ok->value, "100");
  EXPECT_EQ(check(" NAME = \"x \\\"y\\\"\" ")->value, "x \"y\"");
  EXPECT_EQ(check("NAME=plain")->value, "plain");
  EXPECT_TRUE(check("ADDR=0x200").ok());
  EXPECT_TRUE(check("FOO=n").ok());
  EXPECT_TRUE(check("SLOW=y").ok());
  EXPECT_TRUE(check("FORCED=y").ok());

  struct Bad {
    const char *text;
    absl::StatusCode code;
    const char *message;
  };
  for (const Bad &bad : {
           Bad{"SIZE", absl::StatusCode::kInvalidArgument, "expected SYMBOL=VALUE"},
           Bad{"=3", absl::StatusCode::kInvalidArgument, "expected SYMBOL=VALUE"},
           Bad{"SIZ=3", absl::StatusCode::kNotFound, "did you mean CONFIG_SIZE?"},
           Bad{"SIZE=big", absl::StatusCode::kInvalidArgument, "is an int"},
           Bad{"SIZE=8", absl::StatusCode::kInvalidArgument,
               "CONFIG_SIZE=8 is outside its range [16, 128]"},
           Bad{"SIZE=129", absl::StatusCode::kInvalidArgument, "outside its range"},
           Bad{"ADDR=0x1001", absl::StatusCode::kInvalidArgument,
               "outside its range [0x10, 0x1000]"},
           Bad{"ADDR=zz", absl::StatusCode::kInvalidArgument, "is a hex"},
           Bad{"FOO=1", absl::StatusCode::kInvalidArgument, "its value is y or n, not '1'"},
           Bad{"MAX=3", absl::StatusCode::kFailedPrecondition, "has no prompt"},
           Bad{"BAR=y", absl::StatusCode::kFailedPrecondition, "unmet dependency: BAZ"},
           Bad{"FORCED=n", absl::StatusCode::kFailedPrecondition, "selected by FOO"},
           Bad{"FAST=n", absl::StatusCode::kFailedPrecondition, "set another member to y"},
       }) {
    absl::StatusOr<ConfigAssignment> got = check(bad.text);
    ASSERT_FALSE(got.ok()) << bad.text;
    EXPECT_EQ(got.status().code(), bad.code) << bad.text << ": " << got.status();
    EXPECT_THAT(got.status().message(), HasSubstr(bad.message)) << bad.text;
  }
}

TEST(BuildConfigTest, RejectsWhatIsNoConfigJson) {
  BuildFolderInfo folder;
  folder.build_dir = "/b";
  EXPECT_EQ(BuildConfig::Parse("{nope", folder).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(BuildConfig::Parse(R"({"format": "other"})", folder).status().message(),
              HasSubstr("not gale-kconfig-1"));
  TempFolder tmp;
  absl::StatusOr<BuildConfig> none = BuildConfig::Load(tmp.str());
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(none.status().message(), HasSubstr("CMakeCache.txt"));
}

TEST(BuildConfigTest, ReadsFragments) {
  TempFolder tmp;
  WriteFile(tmp.path() / "a.conf",
            "# a comment\n"
            "CONFIG_A=y\n"
            "  CONFIG_S=\"q \\\"x\\\"\"\n"
            "# CONFIG_B is not set\n"
            "\n"
            "CONFIG_H=0x10\n");
  absl::StatusOr<std::vector<ConfigAssignment>> got = ReadFragment(tmp.str() + "/a.conf");
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 4u);
  EXPECT_EQ((*got)[0].symbol, "A");
  EXPECT_EQ((*got)[0].line, 2u);
  EXPECT_EQ((*got)[1].value, "q \"x\"");
  EXPECT_EQ((*got)[2].symbol, "B");
  EXPECT_EQ((*got)[2].value, "n");
  EXPECT_EQ((*got)[2].line, 4u);
  EXPECT_EQ((*got)[3].value, "0x10");
  EXPECT_EQ(ReadFragment(tmp.str() + "/none.conf").status().code(), absl::StatusCode::kNotFound);
}

// A configured copy of hello_world with a prj.conf assignment and an application Kconfig.
class RealConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = CopyHelloWorld(tmp_, "app");
    WriteFile(fs::path(app_) / "prj.conf", "# test\nCONFIG_MAIN_STACK_SIZE=2048\n");
    WriteFile(fs::path(app_) / "Kconfig",
              "source \"Kconfig.zephyr\"\n"
              "\n"
              "config MY_B\n"
              "\tbool \"My B\"\n"
              "\tdefault y\n"
              "\n"
              "config MY_A\n"
              "\tbool \"My A\"\n"
              "\tdepends on MY_B\n");
    build_ = tmp_.str() + "/build";
    BuildOptions options;
    options.app_dir = app_;
    options.board = "qemu_cortex_m3";
    options.build_dir = build_;
    absl::StatusOr<BuildResult> result = driver_.Configure(options);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->state, BuildState::kSucceeded) << result->error;
  }

  ConfigSymbol Get(const std::string &name) {
    absl::StatusOr<BuildConfig> config = BuildConfig::Load(build_);
    EXPECT_TRUE(config.ok()) << config.status();
    absl::StatusOr<ConfigSymbol> symbol = config->Get(name);
    EXPECT_TRUE(symbol.ok()) << symbol.status();
    return *symbol;
  }

  TempFolder tmp_;
  BuildDriver driver_ = TestDriver();
  std::string app_;
  std::string build_;
};

TEST_F(RealConfigTest, ExplainsTheBuildsSymbols) {
  absl::StatusOr<BuildConfig> config = BuildConfig::Load(build_);
  ASSERT_TRUE(config.ok()) << config.status();
  const std::string defconfig =
      std::string(GALE_SOURCE_DIR) + "/boards/qemu/qemu_cortex_m3/qemu_cortex_m3_defconfig";
  EXPECT_THAT(config->fragments(), ElementsAre(defconfig, app_ + "/prj.conf"));
  EXPECT_EQ(config->overlay_path(), app_ + "/gale.conf");

  // Set in prj.conf.
  ConfigSymbol stack = Get("CONFIG_MAIN_STACK_SIZE");
  EXPECT_EQ(stack.value, "2048");
  EXPECT_EQ(stack.type, "int");
  EXPECT_EQ(stack.set_by, app_ + "/prj.conf:2");
  EXPECT_EQ(stack.why_not_settable, "");
  ASSERT_EQ(stack.assignments.size(), 1u);
  EXPECT_EQ(stack.assignments[0].file, app_ + "/prj.conf");

  // Set in the board's defconfig.
  EXPECT_EQ(Get("SERIAL").set_by, defconfig + ":1");

  // Only defaulted.
  ConfigSymbol printk = Get("PRINTK");
  EXPECT_EQ(printk.value, "y");
  EXPECT_EQ(printk.set_by, "default");
  EXPECT_EQ(printk.why_not_settable, "");
  EXPECT_TRUE(printk.visible);
  EXPECT_FALSE(printk.prompt.empty());
  EXPECT_THAT(printk.defined_at,
              ElementsAre(std::string(GALE_SOURCE_DIR) + "/subsys/console/Kconfig:1"));

  // Not settable: no prompt; the SoC selects it.
  ConfigSymbol cpu = Get("CPU_CORTEX_M3");
  EXPECT_EQ(cpu.value, "y");
  EXPECT_EQ(cpu.set_by, "selected by SOC_LM3S6965");
  EXPECT_THAT(cpu.why_not_settable, HasSubstr("has no prompt, so it is not user-settable"));
  EXPECT_THAT(cpu.why_not_settable, HasSubstr("SOC_LM3S6965"));

  // Not settable: unmet dependency, naming the symbols and their values.
  ConfigSymbol pty = Get("UART_NATIVE_PTY");
  EXPECT_EQ(pty.value, "n");
  EXPECT_FALSE(pty.visible);
  EXPECT_EQ(pty.depends_on, "ARCH_POSIX && SERIAL");
  EXPECT_EQ(pty.why_not_settable,
            "unmet dependency: ARCH_POSIX && SERIAL (CONFIG_ARCH_POSIX=n, CONFIG_SERIAL=y)");
}

TEST_F(RealConfigTest, SetWritesTheOverlayAndReconfigures) {
  std::vector<Progress> progress;
  BuildEvents events;
  events.on_progress = [&](const Progress &p) { progress.push_back(p); };
  absl::StatusOr<SetConfigResult> set =
      SetConfig(driver_, build_,
                {"CONFIG_MAIN_STACK_SIZE=4096", "BOOT_BANNER_STRING=\"Hi \\\"there\\\"\"",
                 "SPEED_OPTIMIZATIONS=y"},
                events);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->overlay, app_ + "/gale.conf");
  EXPECT_EQ(set->configure.state, BuildState::kSucceeded);
  EXPECT_FALSE(progress.empty());
  ASSERT_EQ(set->symbols.size(), 3u);
  EXPECT_EQ(set->symbols[0].value, "4096");
  EXPECT_EQ(set->symbols[0].set_by, app_ + "/gale.conf:3");
  EXPECT_EQ(set->symbols[1].value, "Hi \"there\"");
  EXPECT_EQ(set->symbols[2].value, "y");

  const std::string overlay = ReadFile(app_ + "/gale.conf");
  EXPECT_THAT(overlay, HasSubstr("\nCONFIG_MAIN_STACK_SIZE=4096\n"
                                 "CONFIG_BOOT_BANNER_STRING=\"Hi \\\"there\\\"\"\n"
                                 "CONFIG_SPEED_OPTIMIZATIONS=y\n"));
  absl::StatusOr<BuildConfig> config = BuildConfig::Load(build_);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->fragments().back(), app_ + "/gale.conf");
  ConfigSymbol stack = Get("MAIN_STACK_SIZE");
  ASSERT_EQ(stack.assignments.size(), 2u);  // prj.conf's, then the overlay's (which counts)
  EXPECT_EQ(stack.assignments[1].value, "4096");
  EXPECT_THAT(ReadFile(build_ + "/gale/.config"), HasSubstr("CONFIG_MAIN_STACK_SIZE=4096\n"));
  EXPECT_EQ(Get("SIZE_OPTIMIZATIONS").value, "n");

  // Again: the symbol's line is replaced, another member of the choice drops the first.
  set = SetConfig(driver_, build_, {"MAIN_STACK_SIZE=1536", "SIZE_OPTIMIZATIONS=y"});
  ASSERT_TRUE(set.ok()) << set.status();
  const std::string again = ReadFile(app_ + "/gale.conf");
  EXPECT_THAT(again, ::testing::Not(HasSubstr("4096")));
  EXPECT_THAT(again, ::testing::Not(HasSubstr("SPEED_OPTIMIZATIONS")));
  EXPECT_THAT(again, HasSubstr("CONFIG_MAIN_STACK_SIZE=1536\n"));
  EXPECT_EQ(Get("MAIN_STACK_SIZE").value, "1536");
  EXPECT_EQ(Get("SIZE_OPTIMIZATIONS").value, "y");

  // The folder still builds, with the overlay's values.
  BuildOptions options;
  options.app_dir = app_;
  options.build_dir = build_;
  options.jobs = testing::kJobs;
  absl::StatusOr<BuildResult> built = driver_.Build(options);
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(built->state, BuildState::kSucceeded) << built->error;
}

TEST_F(RealConfigTest, SetRefusesWhatCannotTakeEffectAndWritesNothing) {
  struct Bad {
    std::vector<std::string> assignments;
    absl::StatusCode code;
    const char *message;
  };
  for (const Bad &bad : {
           Bad{{"UART_NATIVE_PTY=y"},
               absl::StatusCode::kFailedPrecondition,
               "unmet dependency: ARCH_POSIX && SERIAL (CONFIG_ARCH_POSIX=n, CONFIG_SERIAL=y)"},
           Bad{{"CPU_CORTEX_M3=n"}, absl::StatusCode::kFailedPrecondition, "has no prompt"},
           Bad{{"MAIN_STACK_SIZE=4096", "NUM_COOP_PRIORITIES=200"},
               absl::StatusCode::kInvalidArgument,
               "CONFIG_NUM_COOP_PRIORITIES=200 is outside its range [0, 128]"},
           Bad{{"PRINTKK=y"}, absl::StatusCode::kNotFound, "did you mean CONFIG_PRINTK?"},
           Bad{{"PRINTK=maybe"}, absl::StatusCode::kInvalidArgument, "y or n"},
           Bad{{}, absl::StatusCode::kInvalidArgument, "no assignment"},
       }) {
    absl::StatusOr<SetConfigResult> set = SetConfig(driver_, build_, bad.assignments);
    ASSERT_FALSE(set.ok());
    EXPECT_EQ(set.status().code(), bad.code) << set.status();
    EXPECT_THAT(set.status().message(), HasSubstr(bad.message));
    EXPECT_FALSE(fs::exists(app_ + "/gale.conf"));
  }
  EXPECT_EQ(Get("MAIN_STACK_SIZE").value, "2048");
}

TEST_F(RealConfigTest, AValueThatDidNotTakeEffectIsReportedAndTheOverlayRestored) {
  // MY_A is settable now, but MY_B=n in the same call removes its dependency.
  WriteFile(fs::path(app_) / "gale.conf", "# mine\nCONFIG_MAIN_STACK_SIZE=3072\n");
  absl::StatusOr<SetConfigResult> set = SetConfig(driver_, build_, {"MY_B=n", "MY_A=y"});
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(set.status().message(), HasSubstr("CONFIG_MY_A=y did not take effect"));
  EXPECT_THAT(set.status().message(), HasSubstr("MY_B"));  // gale-kconfig's reason
  EXPECT_THAT(set.status().message(), HasSubstr("was restored"));
  EXPECT_EQ(ReadFile(app_ + "/gale.conf"), "# mine\nCONFIG_MAIN_STACK_SIZE=3072\n");
  // The folder was reconfigured with the restored overlay.
  EXPECT_EQ(Get("MY_B").value, "y");
  EXPECT_EQ(Get("MAIN_STACK_SIZE").value, "3072");
  EXPECT_EQ(Get("MAIN_STACK_SIZE").set_by, app_ + "/gale.conf:2");
}

}  // namespace
}  // namespace gale::build
