// End to end: the documented cpp -> dtc -> gale-dts recipe on test boards, then C and C++
// programs built against <gale/devicetree.h> and the generated header.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace gale::devicetree {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using testing::PipelineResult;
using testing::ReadFile;
using testing::RunPipeline;

const std::string kData = GALE_DTS_TEST_DATA_DIR;
const std::string kBase = GALE_SOURCE_DIR;

enum class Lang { kC, kCxx, kArm };

// Builds `source` against the pipeline output; host programs are also run. Returns "" on
// success, else the failing command's output.
std::string BuildAndRun(const PipelineResult &p, const std::string &source, Lang lang) {
  const std::string name = std::filesystem::path(source).stem().string();
  std::vector<std::string> argv;
  std::string out;
  switch (lang) {
    case Lang::kC:
      out = p.dir + "/" + name + "_c";
      argv = {GALE_HOST_CC, "-std=c11", "-Wall", "-Wextra", "-Werror"};
      break;
    case Lang::kCxx:
      out = p.dir + "/" + name + "_cxx";
      argv = {GALE_HOST_CXX, "-x", "c++", "-std=c++17", "-Wall", "-Wextra", "-Werror"};
      break;
    case Lang::kArm:
      out = p.dir + "/" + name + "_arm.o";
      // picolibc is the C library of Gale's cross builds (Debian's toolchain has no other).
      argv = {GALE_ARM_CC, "--specs=picolibc.specs", "-mcpu=cortex-m3", "-mthumb", "-std=c11",
              "-Wall",     "-Wextra",                "-Werror",         "-c"};
      break;
  }
  argv.insert(argv.end(),
              {"-I" + p.dir, "-I" + kBase + "/include", "-I" + kData, source, "-o", out});
  CommandResult build = testing::Run(argv);
  if (build.exit_code != 0) {
    return "compile failed:\n" + build.output;
  }
  if (lang == Lang::kArm) {
    return "";
  }
  CommandResult run = testing::Run({out});
  if (run.exit_code != 0) {
    return "checks failed:\n" + run.output;
  }
  return "";
}

void ExpectBuildsEverywhere(const PipelineResult &p, const std::string &check) {
  const std::string source = kData + "/" + check;
  EXPECT_EQ(BuildAndRun(p, source, Lang::kC), "");
  EXPECT_EQ(BuildAndRun(p, source, Lang::kCxx), "");
}

TEST(PipelineTest, MacrosCompileAsCAndCxx) {
  PipelineResult p = RunPipeline(kData + "/macros.dts", {}, {kData + "/bindings"});
  ASSERT_EQ(p.failed.exit_code, 0) << p.failed.output;
  ExpectBuildsEverywhere(p, "macros_check.c");
}

TEST(PipelineTest, MacrosCompileWithArmGcc) {
  if (std::string(GALE_ARM_CC).empty()) {
    FAIL() << "arm-none-eabi-gcc is not installed: run sdk/setup.sh";
  }
  PipelineResult p = RunPipeline(kData + "/macros.dts", {}, {kData + "/bindings"});
  ASSERT_EQ(p.failed.exit_code, 0) << p.failed.output;
  EXPECT_EQ(BuildAndRun(p, kData + "/macros_check.c", Lang::kArm), "");
  PipelineResult board = RunPipeline(kData + "/mps2_an385_test.dts", {});
  ASSERT_EQ(board.failed.exit_code, 0) << board.failed.output;
  EXPECT_EQ(BuildAndRun(board, kData + "/mps2_an385_check.c", Lang::kArm), "");
}

TEST(PipelineTest, Mps2An385Board) {
  PipelineResult p = RunPipeline(kData + "/mps2_an385_test.dts", {});
  ASSERT_EQ(p.failed.exit_code, 0) << p.failed.output;
  ExpectBuildsEverywhere(p, "mps2_an385_check.c");
  const std::string cmake = ReadFile(p.dir + "/dts.cmake");
  EXPECT_THAT(cmake, HasSubstr("set(DT_CHOSEN_FLASH_ADDR 0x0)"));
  EXPECT_THAT(cmake, HasSubstr("set(DT_CHOSEN_FLASH_SIZE 0x400000)"));
  EXPECT_THAT(cmake, HasSubstr("set(DT_CHOSEN_SRAM_ADDR 0x20000000)"));
  EXPECT_THAT(cmake, HasSubstr("set(DT_CHOSEN_SRAM_SIZE 0x400000)"));
  EXPECT_THAT(cmake, HasSubstr("set(DT_CHOSEN_CONSOLE_PATH \"/soc/uart@40004000\")"));
}

TEST(PipelineTest, Lm3s6965Board) {
  PipelineResult p = RunPipeline(kData + "/lm3s6965_test.dts", {});
  ASSERT_EQ(p.failed.exit_code, 0) << p.failed.output;
  ExpectBuildsEverywhere(p, "lm3s6965_check.c");

  // edt.json, in the format the Kconfig engine reads.
  auto edt = nlohmann::json::parse(ReadFile(p.dir + "/edt.json"));
  EXPECT_EQ(edt["chosen"]["zephyr,console"], "/soc/uart@4000c000");
  bool found = false;
  for (const auto &node : edt["nodes"]) {
    if (node["path"] == "/soc/uart@4000c000") {
      found = true;
      EXPECT_EQ(node["labels"], nlohmann::json::array({"uart0"}));
      EXPECT_EQ(node["compatible"], nlohmann::json::array({"ti,stellaris-uart"}));
      EXPECT_EQ(node["okay"], true);
      EXPECT_EQ(node["reg"], nlohmann::json::parse("[[1073790976, 4096]]"));
      EXPECT_EQ(node["props"]["current-speed"], 115200);
      EXPECT_EQ(node["props"]["status"], "okay");
    }
    if (node["path"] == "/soc/uart@4000d000") {
      EXPECT_EQ(node["okay"], false);
    }
  }
  EXPECT_TRUE(found);

  // A linker script preprocessed by cpp gets plain numbers GNU ld accepts.
  CommandResult ld = testing::Run({GALE_HOST_CC, "-E", "-P", "-x", "c", "-undef", "-I" + p.dir,
                                   "-I" + kBase + "/include", "-include", "gale/devicetree.h",
                                   kData + "/linker_fragment.ld"});
  ASSERT_EQ(ld.exit_code, 0) << ld.output;
  EXPECT_THAT(ld.output, HasSubstr("ORIGIN = 0x0, LENGTH = 0x40000"));
  EXPECT_THAT(ld.output, HasSubstr("ORIGIN = 0x20000000, LENGTH = 0x10000"));
}

TEST(PipelineTest, NativeSimBoard) {
  PipelineResult p = RunPipeline(kData + "/native_sim_test.dts", {});
  ASSERT_EQ(p.failed.exit_code, 0) << p.failed.output;
  ExpectBuildsEverywhere(p, "native_sim_check.c");
  EXPECT_THAT(ReadFile(p.dir + "/dts.cmake"), ::testing::Not(HasSubstr("DT_CHOSEN_FLASH_ADDR")));
}

TEST(PipelineTest, GeneratedDtsRoundTripsThroughDtc) {
  for (const std::string board :
       {"mps2_an385_test.dts", "lm3s6965_test.dts", "native_sim_test.dts", "macros.dts"}) {
    PipelineResult p = RunPipeline(kData + "/" + board, {}, {kData + "/bindings"});
    ASSERT_EQ(p.failed.exit_code, 0) << p.failed.output;
    CommandResult dtc = testing::Dtc(p.dir + "/gale.dts", p.dir + "/roundtrip.dtb");
    EXPECT_EQ(dtc.exit_code, 0) << board << ":\n" << dtc.output;
    EXPECT_EQ(dtc.output, "") << board << ": warnings from dtc";
    // The regenerated tree is the same tree: the same header comes out of it.
    CommandResult again =
        testing::Run({GALE_DTS_TOOL, "--dtb", p.dir + "/roundtrip.dtb", "--bindings-dir",
                      kBase + "/dts/bindings", "--bindings-dir", kData + "/bindings",
                      "--header-out", p.dir + "/roundtrip.h"});
    ASSERT_EQ(again.exit_code, 0) << again.output;
    EXPECT_EQ(ReadFile(p.dir + "/roundtrip.h"), ReadFile(p.dir + "/devicetree_generated.h"))
        << board;
  }
}

TEST(PipelineTest, OverlayChangesTheTree) {
  PipelineResult p = RunPipeline(kData + "/lm3s6965_test.dts", {kData + "/uart1_okay.overlay"});
  ASSERT_EQ(p.failed.exit_code, 0) << p.failed.output;
  const std::string header = ReadFile(p.dir + "/devicetree_generated.h");
  EXPECT_THAT(header, HasSubstr("#define GDT_N__soc__uart_4000d000_STATUS_okay 1"));
  EXPECT_THAT(header, HasSubstr("#define GDT_N__soc__uart_4000d000_P_current_speed 57600"));
  EXPECT_THAT(header, HasSubstr("#define GDT_COMPAT_ti_stellaris_uart_NUM_OKAY 2"));
}

TEST(PipelineTest, DtcSyntaxErrorInOverlayNamesOverlayFileAndLine) {
  PipelineResult p = RunPipeline(kData + "/lm3s6965_test.dts", {kData + "/syntax_error.overlay"});
  ASSERT_NE(p.failed.exit_code, 0);
  EXPECT_THAT(p.failed.output, HasSubstr("syntax_error.overlay:5"));
}

TEST(PipelineTest, BindingErrorsArePrefixedAndExitOne) {
  PipelineResult p = RunPipeline(kData + "/lm3s6965_test.dts", {kData + "/bad_binding.overlay"});
  EXPECT_EQ(p.failed.exit_code, 1);
  EXPECT_THAT(p.failed.output,
              HasSubstr("gale-dts: error: /soc/uart@4000d000: property 'current-speed' should be "
                        "of type int"));
}

}  // namespace
}  // namespace gale::devicetree
