#include "gale/testing/testcase.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"

namespace gale::testing {
namespace {

using test::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const Scenario &Named(const std::vector<Scenario> &scenarios, const std::string &name) {
  for (const Scenario &s : scenarios) {
    if (s.name == name) {
      return s;
    }
  }
  ADD_FAILURE() << "no scenario " << name;
  static Scenario none;
  return none;
}

TEST(TestcaseYaml, ParsesTheAcceptanceSuitesDescription) {
  auto scenarios =
      ParseTestcaseYaml("tests:\n  accept.kernel:\n    tags: kernel\n    timeout: 60\n",
                        "/apps/accept_kernel/testcase.yaml");
  ASSERT_TRUE(scenarios.ok()) << scenarios.status();
  ASSERT_EQ(scenarios->size(), 1u);
  const Scenario &s = (*scenarios)[0];
  EXPECT_EQ(s.name, "accept.kernel");
  EXPECT_EQ(s.app_dir, "/apps/accept_kernel");
  EXPECT_EQ(s.yaml_path, "/apps/accept_kernel/testcase.yaml");
  EXPECT_EQ(s.yaml_line, 2u);
  EXPECT_THAT(s.tags, ElementsAre("kernel"));
  EXPECT_EQ(s.timeout_s, 60u);
  EXPECT_EQ(s.harness, Harness::kZtest);
  EXPECT_FALSE(s.build_only);
  EXPECT_FALSE(s.skip);
  EXPECT_THAT(s.notes, IsEmpty());
}

TEST(TestcaseYaml, DefaultsWhenFieldsAreAbsent) {
  auto scenarios = ParseTestcaseYaml("tests:\n  a.b:\n", "/x/testcase.yaml");
  ASSERT_TRUE(scenarios.ok()) << scenarios.status();
  const Scenario &s = (*scenarios)[0];
  EXPECT_EQ(s.timeout_s, 60u);
  EXPECT_THAT(s.tags, IsEmpty());
  EXPECT_THAT(s.platform_allow, IsEmpty());
  EXPECT_EQ(s.min_ram_kb, 0u);
}

TEST(TestcaseYaml, MergesCommonIntoEachScenario) {
  const char *yaml = R"y(
common:
  tags: kernel sem
  platform_allow: qemu_cortex_m3 native_sim
  timeout: 120
  extra_configs:
    - CONFIG_COMMON=y
  filter: CONFIG_A
  min_ram: 16
tests:
  kernel.sem.plain: {}
  kernel.sem.variant:
    tags: [variant, kernel]
    timeout: 30
    extra_configs:
      - CONFIG_VARIANT=y
      - CONFIG_NAME="two words"
    extra_args: CONF_FILE=prj_variant.conf EXTRA_CONF_FILE=more.conf
    filter: CONFIG_B
    build_only: true
)y";
  auto scenarios = ParseTestcaseYaml(yaml, "/t/testcase.yaml");
  ASSERT_TRUE(scenarios.ok()) << scenarios.status();
  ASSERT_EQ(scenarios->size(), 2u);

  const Scenario &plain = Named(*scenarios, "kernel.sem.plain");
  EXPECT_THAT(plain.tags, ElementsAre("kernel", "sem"));
  EXPECT_THAT(plain.platform_allow, ElementsAre("qemu_cortex_m3", "native_sim"));
  EXPECT_EQ(plain.timeout_s, 120u);
  EXPECT_THAT(plain.extra_configs, ElementsAre("CONFIG_COMMON=y"));
  EXPECT_EQ(plain.filter, "CONFIG_A");
  EXPECT_EQ(plain.min_ram_kb, 16u);
  EXPECT_FALSE(plain.build_only);

  const Scenario &variant = Named(*scenarios, "kernel.sem.variant");
  // Lists add up (tags as a set), scalars are replaced, filters must both hold.
  EXPECT_THAT(variant.tags, ElementsAre("kernel", "sem", "variant"));
  EXPECT_EQ(variant.timeout_s, 30u);
  EXPECT_THAT(variant.extra_configs,
              ElementsAre("CONFIG_COMMON=y", "CONFIG_VARIANT=y", "CONFIG_NAME=\"two words\""));
  EXPECT_THAT(variant.extra_args,
              ElementsAre("CONF_FILE=prj_variant.conf", "EXTRA_CONF_FILE=more.conf"));
  EXPECT_EQ(variant.filter, "(CONFIG_A) and (CONFIG_B)");
  EXPECT_TRUE(variant.build_only);
  // filter is kept but not evaluated: the user is told.
  ASSERT_EQ(variant.notes.size(), 1u);
  EXPECT_THAT(variant.notes[0], HasSubstr("'filter' is not supported"));
  EXPECT_THAT(variant.notes[0], HasSubstr("(CONFIG_A) and (CONFIG_B)"));
}

TEST(TestcaseYaml, AcceptsEveryFormOfTags) {
  const char *yaml = R"y(
tests:
  a.string:
    tags: one two  three
  a.list:
    tags: [one, two]
  a.block:
    tags:
      - one
      - two three
)y";
  auto scenarios = ParseTestcaseYaml(yaml, "/t/testcase.yaml");
  ASSERT_TRUE(scenarios.ok()) << scenarios.status();
  EXPECT_THAT(Named(*scenarios, "a.string").tags, ElementsAre("one", "two", "three"));
  EXPECT_THAT(Named(*scenarios, "a.list").tags, ElementsAre("one", "two"));
  EXPECT_THAT(Named(*scenarios, "a.block").tags, ElementsAre("one", "two", "three"));
}

TEST(TestcaseYaml, ReadsHarnessesAndTheirConfig) {
  const char *yaml = R"y(
sample:
  name: hello
tests:
  sample.hello:
    harness: console
    harness_config:
      type: multi_line
      ordered: true
      regex:
        - "Hello World! (.*)"
        - "done"
  sample.ztest:
    harness: ztest
  sample.pytest:
    harness: pytest
    depends_on: gpio
)y";
  auto scenarios = ParseTestcaseYaml(yaml, "/s/sample.yaml");
  ASSERT_TRUE(scenarios.ok()) << scenarios.status();
  const Scenario &hello = Named(*scenarios, "sample.hello");
  EXPECT_EQ(hello.harness, Harness::kConsole);
  EXPECT_THAT(hello.console_regex, ElementsAre("Hello World! (.*)", "done"));
  EXPECT_TRUE(hello.console_ordered);
  EXPECT_EQ(Named(*scenarios, "sample.ztest").harness, Harness::kZtest);
  const Scenario &pytest = Named(*scenarios, "sample.pytest");
  EXPECT_EQ(pytest.harness, Harness::kUnsupported);
  EXPECT_EQ(pytest.harness_name, "pytest");
  ASSERT_EQ(pytest.notes.size(), 1u);
  EXPECT_THAT(pytest.notes[0], HasSubstr("depends_on"));
}

TEST(TestcaseYaml, MalformedYamlNamesTheFileAndLine) {
  const char *yaml = "tests:\n  a.b:\n    tags: [kernel\n    timeout: 5\n";
  auto scenarios = ParseTestcaseYaml(yaml, "/bad/testcase.yaml");
  ASSERT_FALSE(scenarios.ok());
  EXPECT_EQ(scenarios.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(scenarios.status().message()), HasSubstr("/bad/testcase.yaml:"));
  EXPECT_THAT(std::string(scenarios.status().message()), HasSubstr("malformed YAML"));
}

TEST(TestcaseYaml, MalformedYamlLineIsWhereTheParserStopped) {
  // A tab where YAML wants spaces, on line 3.
  const char *yaml = "tests:\n  a.b:\n\ttags: kernel\n";
  auto scenarios = ParseTestcaseYaml(yaml, "/bad/testcase.yaml");
  ASSERT_FALSE(scenarios.ok());
  EXPECT_THAT(std::string(scenarios.status().message()), HasSubstr("/bad/testcase.yaml:3:"));
}

TEST(TestcaseYaml, AFieldOfTheWrongShapeNamesItsLine) {
  const char *yaml = "tests:\n  a.b:\n    tags: kernel\n    timeout: soon\n";
  auto scenarios = ParseTestcaseYaml(yaml, "/bad/testcase.yaml");
  ASSERT_FALSE(scenarios.ok());
  std::string message(scenarios.status().message());
  EXPECT_THAT(message, HasSubstr("/bad/testcase.yaml:4:"));
  EXPECT_THAT(message, HasSubstr("'timeout'"));
  EXPECT_THAT(message, HasSubstr("a.b"));
  EXPECT_THAT(message, HasSubstr("soon"));

  auto list = ParseTestcaseYaml("tests:\n  a.b:\n    tags:\n      - {x: 1}\n", "/bad/t.yaml");
  ASSERT_FALSE(list.ok());
  EXPECT_THAT(std::string(list.status().message()), HasSubstr("/bad/t.yaml:4:"));

  auto skip = ParseTestcaseYaml("tests:\n  a.b:\n    skip: perhaps\n", "/bad/t.yaml");
  ASSERT_FALSE(skip.ok());
  EXPECT_THAT(std::string(skip.status().message()), HasSubstr("/bad/t.yaml:3:"));
}

TEST(TestcaseYaml, RejectsAFileWithoutTests) {
  for (const char *yaml : {"", "common:\n  tags: x\n", "tests: [a, b]\n", "- a\n"}) {
    auto scenarios = ParseTestcaseYaml(yaml, "/bad/testcase.yaml");
    ASSERT_FALSE(scenarios.ok()) << yaml;
    EXPECT_THAT(std::string(scenarios.status().message()), HasSubstr("/bad/testcase.yaml"));
  }
}

TEST(TestcaseYaml, UnreadableFileIsNotFound) {
  auto scenarios = ParseTestcaseFile("/nonexistent/testcase.yaml");
  ASSERT_FALSE(scenarios.ok());
  EXPECT_EQ(scenarios.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(scenarios.status().message()), HasSubstr("/nonexistent/testcase.yaml"));
}

std::vector<std::string> Names(const std::vector<Scenario> &scenarios) {
  std::vector<std::string> names;
  for (const Scenario &s : scenarios) {
    names.push_back(s.name);
  }
  return names;
}

TEST(Discovery, FindsTestsInATreeSkippingBuildAndHiddenFolders) {
  TempDir dir;
  dir.Write("tests/b_app/testcase.yaml", "tests:\n  b.one:\n  b.two:\n");
  dir.Write("tests/a_app/testcase.yaml", "tests:\n  a.one:\n");
  // An application folder is not searched further.
  dir.Write("tests/a_app/nested/testcase.yaml", "tests:\n  a.nested:\n");
  dir.Write("samples/hello/sample.yaml", "sample:\n  name: hello\ntests:\n  sample.hello:\n");
  // A build folder holds copies that are not tests; nor are hidden folders.
  dir.Write("build/CMakeCache.txt", "");
  dir.Write("build/copy/testcase.yaml", "tests:\n  copy.one:\n");
  dir.Write(".git/x/testcase.yaml", "tests:\n  hidden.one:\n");
  // testcase.yaml wins over sample.yaml in one folder.
  dir.Write("both/testcase.yaml", "tests:\n  both.testcase:\n");
  dir.Write("both/sample.yaml", "tests:\n  both.sample:\n");

  auto scenarios = DiscoverScenarios({dir.path()});
  ASSERT_TRUE(scenarios.ok()) << scenarios.status();
  EXPECT_THAT(Names(*scenarios),
              ElementsAre("both.testcase", "sample.hello", "a.one", "b.one", "b.two"));
  EXPECT_EQ(Named(*scenarios, "a.one").app_dir, dir.path() + "/tests/a_app");
}

TEST(Discovery, APathMayBeTheAppFolderOrItsYaml) {
  TempDir dir;
  std::string yaml = dir.Write("app/testcase.yaml", "tests:\n  app.one:\n");
  auto by_folder = DiscoverScenarios({dir.path() + "/app"});
  ASSERT_TRUE(by_folder.ok()) << by_folder.status();
  EXPECT_THAT(Names(*by_folder), ElementsAre("app.one"));
  auto by_file = DiscoverScenarios({yaml});
  ASSERT_TRUE(by_file.ok()) << by_file.status();
  EXPECT_THAT(Names(*by_file), ElementsAre("app.one"));
  EXPECT_EQ((*by_file)[0].app_dir, dir.path() + "/app");
  // Overlapping paths give each file once.
  auto both = DiscoverScenarios({dir.path(), yaml, dir.path() + "/app/"});
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_THAT(Names(*both), ElementsAre("app.one"));
}

TEST(Discovery, ErrorsNameTheirInput) {
  TempDir dir;
  auto missing = DiscoverScenarios({dir.path() + "/nope"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr(dir.path() + "/nope"));

  dir.Write("one/testcase.yaml", "tests:\n  same.name:\n");
  dir.Write("two/testcase.yaml", "common: {}\ntests:\n  same.name:\n");
  auto twice = DiscoverScenarios({dir.path()});
  ASSERT_FALSE(twice.ok());
  std::string message(twice.status().message());
  EXPECT_THAT(message, HasSubstr("same.name"));
  EXPECT_THAT(message, HasSubstr(dir.path() + "/one/testcase.yaml:2"));
  EXPECT_THAT(message, HasSubstr(dir.path() + "/two/testcase.yaml:3"));

  TempDir bad;
  bad.Write("app/testcase.yaml", "tests:\n  x:\n    tags: [\n");
  auto malformed = DiscoverScenarios({bad.path()});
  ASSERT_FALSE(malformed.ok());
  EXPECT_THAT(std::string(malformed.status().message()),
              HasSubstr(bad.path() + "/app/testcase.yaml:"));
}

const BoardInfo kM3{"qemu_cortex_m3", "arm", 64, true};
const BoardInfo kAn385{"mps2_an385", "arm", 4096, true};
const BoardInfo kNative{"native_sim", "posix", 0, true};
const BoardInfo kRiscv{"qemu_riscv32", "riscv", 0, true};

const Instance &Find(const std::vector<Instance> &instances, const std::string &scenario,
                     const std::string &board) {
  for (const Instance &i : instances) {
    if (i.scenario.name == scenario && i.board.name == board) {
      return i;
    }
  }
  ADD_FAILURE() << "no instance " << board << "/" << scenario;
  static Instance none;
  return none;
}

TEST(Selection, FiltersBoardsByPlatformAndArch) {
  const char *yaml = R"y(
tests:
  t.any: {}
  t.allow:
    platform_allow: qemu_cortex_m3 mps2/an385
  t.exclude:
    platform_exclude: [native_sim]
  t.arch:
    arch_allow: arm
  t.noarch:
    arch_exclude: arm
  t.ram:
    min_ram: 128
  t.skip:
    skip: true
  t.pytest:
    harness: pytest
)y";
  auto scenarios = ParseTestcaseYaml(yaml, "/t/testcase.yaml");
  ASSERT_TRUE(scenarios.ok()) << scenarios.status();
  auto instances = SelectInstances(*scenarios, {kM3, kAn385, kNative, kRiscv});
  ASSERT_EQ(instances.size(), 8u * 4u);
  // Scenario-major order.
  EXPECT_EQ(instances[0].Id(), "qemu_cortex_m3/t.any");
  EXPECT_EQ(instances[1].Id(), "mps2_an385/t.any");

  for (const BoardInfo &b : {kM3, kAn385, kNative, kRiscv}) {
    EXPECT_FALSE(Find(instances, "t.any", b.name).skipped);
  }
  EXPECT_FALSE(Find(instances, "t.allow", "qemu_cortex_m3").skipped);
  // Zephyr's hardware-model v2 name names Gale's flat one.
  EXPECT_FALSE(Find(instances, "t.allow", "mps2_an385").skipped);
  const Instance &not_allowed = Find(instances, "t.allow", "native_sim");
  EXPECT_TRUE(not_allowed.skipped);
  EXPECT_EQ(not_allowed.skip_reason,
            "native_sim is not in platform_allow (qemu_cortex_m3, mps2/an385)");

  EXPECT_TRUE(Find(instances, "t.exclude", "native_sim").skipped);
  EXPECT_THAT(Find(instances, "t.exclude", "native_sim").skip_reason,
              HasSubstr("platform_exclude"));
  EXPECT_FALSE(Find(instances, "t.exclude", "qemu_cortex_m3").skipped);

  EXPECT_FALSE(Find(instances, "t.arch", "qemu_cortex_m3").skipped);
  EXPECT_FALSE(Find(instances, "t.arch", "mps2_an385").skipped);
  EXPECT_EQ(Find(instances, "t.arch", "native_sim").skip_reason,
            "arch 'posix' of native_sim is not in arch_allow (arm)");
  EXPECT_TRUE(Find(instances, "t.arch", "qemu_riscv32").skipped);
  EXPECT_TRUE(Find(instances, "t.noarch", "qemu_cortex_m3").skipped);
  EXPECT_FALSE(Find(instances, "t.noarch", "native_sim").skipped);

  // min_ram is checked where the board's RAM is known.
  EXPECT_EQ(Find(instances, "t.ram", "qemu_cortex_m3").skip_reason,
            "needs min_ram 128 KiB; qemu_cortex_m3 has 64 KiB");
  EXPECT_FALSE(Find(instances, "t.ram", "mps2_an385").skipped);
  EXPECT_FALSE(Find(instances, "t.ram", "native_sim").skipped);

  EXPECT_TRUE(Find(instances, "t.skip", "native_sim").skipped);
  EXPECT_THAT(Find(instances, "t.skip", "native_sim").skip_reason, HasSubstr("skip: true"));
  EXPECT_THAT(Find(instances, "t.pytest", "native_sim").skip_reason,
              HasSubstr("harness 'pytest' is not supported"));
}

TEST(Selection, FiltersScenariosByTags) {
  const char *yaml = R"y(
tests:
  t.kernel:
    tags: kernel
  t.kernel_slow:
    tags: kernel slow
  t.drivers:
    tags: drivers
  t.none: {}
)y";
  auto scenarios = ParseTestcaseYaml(yaml, "/t/testcase.yaml");
  ASSERT_TRUE(scenarios.ok()) << scenarios.status();
  auto ids = [&](const SelectOptions &options) {
    std::vector<std::string> out;
    for (const Instance &i : SelectInstances(*scenarios, {kNative}, options)) {
      out.push_back(i.scenario.name);
    }
    return out;
  };
  EXPECT_THAT(ids({}), ElementsAre("t.kernel", "t.kernel_slow", "t.drivers", "t.none"));
  EXPECT_THAT(ids({{"kernel"}}), ElementsAre("t.kernel", "t.kernel_slow"));
  EXPECT_THAT(ids({{"kernel", "drivers"}}), ElementsAre("t.kernel", "t.kernel_slow", "t.drivers"));
  EXPECT_THAT(ids({{"kernel", "-slow"}}), ElementsAre("t.kernel"));
  EXPECT_THAT(ids({{"-slow"}}), ElementsAre("t.kernel", "t.drivers", "t.none"));
  EXPECT_THAT(ids({{"nothing"}}), IsEmpty());
}

TEST(Selection, QualifiedExtraConfigsApplyToTheirBoardsOnly) {
  const char *yaml = R"y(
tests:
  t.q:
    extra_configs:
      - CONFIG_ALL=y
      - arch:arm:CONFIG_ARM_ONLY=y
      - platform:native_sim:CONFIG_NATIVE_ONLY=y
    extra_args:
      - arch:posix:FOO=1
      - BAR=2
)y";
  auto scenarios = ParseTestcaseYaml(yaml, "/t/testcase.yaml");
  ASSERT_TRUE(scenarios.ok()) << scenarios.status();
  auto instances = SelectInstances(*scenarios, {kM3, kNative});
  EXPECT_THAT(Find(instances, "t.q", "qemu_cortex_m3").ExtraConfigs(),
              ElementsAre("CONFIG_ALL=y", "CONFIG_ARM_ONLY=y"));
  EXPECT_THAT(Find(instances, "t.q", "native_sim").ExtraConfigs(),
              ElementsAre("CONFIG_ALL=y", "CONFIG_NATIVE_ONLY=y"));
  EXPECT_THAT(Find(instances, "t.q", "qemu_cortex_m3").ExtraArgs(), ElementsAre("BAR=2"));
  EXPECT_THAT(Find(instances, "t.q", "native_sim").ExtraArgs(), ElementsAre("FOO=1", "BAR=2"));
}

}  // namespace
}  // namespace gale::testing
