// Fragment loading and the diagnostics for assignments.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace gale::kconfig {
namespace {

using ::testing::HasSubstr;
using testing::LoadText;

constexpr char kKconfig[] = R"(
config LOGGING
	bool "logging"
config LOG_LEVEL
	int "level"
	range 0 4
	default 3
config DEP_A
	bool "dep a"
config NEEDS_DEP
	bool "needs dep"
	depends on DEP_A && LOGGING
config NO_PROMPT
	bool
	default n
config FORCED
	bool "forced"
config FORCER
	def_bool y
	select FORCED
config NAME
	string "name"
config ADDR
	hex "addr"
choice
	prompt "mode"
config MODE_A
	bool "a"
config MODE_B
	bool "b"
	depends on DEP_A
endchoice
)";

TEST(FragmentTest, LaterFragmentsWin) {
  auto loaded = LoadText(kKconfig, {"CONFIG_LOG_LEVEL=1\nCONFIG_NAME=\"board\"\n",
                                    "CONFIG_LOG_LEVEL=2\n", "# comment\n\n"});
  EXPECT_EQ(loaded.Value("LOG_LEVEL"), "2");
  EXPECT_EQ(loaded.Value("NAME"), "board");
  EXPECT_EQ(loaded.kconfig->WarningCount(), 0) << loaded.Diagnostics();
}

TEST(FragmentTest, StringEscapesAreDecoded) {
  auto loaded = LoadText(kKconfig, {"CONFIG_NAME=\"a \\\"quoted\\\" \\\\ word\"\n"});
  EXPECT_EQ(loaded.Value("NAME"), "a \"quoted\" \\ word");
  EXPECT_THAT(loaded.Config(), HasSubstr("CONFIG_NAME=\"a \\\"quoted\\\" \\\\ word\"\n"));
}

TEST(FragmentTest, UnknownSymbolWithSuggestion) {
  auto loaded = LoadText(kKconfig, {"\nCONFIG_LOGGIN=y\n"});
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr("prj1.conf:2: warning:"));
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr("CONFIG_LOGGIN"));
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr("did you mean CONFIG_LOGGING?"));
}

TEST(FragmentTest, UnknownSymbolWithoutCloseName) {
  auto loaded = LoadText(kKconfig, {"CONFIG_COMPLETELY_DIFFERENT_THING=y\n"});
  EXPECT_THAT(loaded.Diagnostics(),
              HasSubstr("undefined symbol CONFIG_COMPLETELY_DIFFERENT_THING"));
  EXPECT_THAT(loaded.Diagnostics(), ::testing::Not(HasSubstr("did you mean")));
}

TEST(FragmentTest, UnmetDependenciesListSymbolValues) {
  auto loaded = LoadText(kKconfig, {"CONFIG_LOGGING=y\nCONFIG_NEEDS_DEP=y\n"});
  EXPECT_EQ(loaded.Value("NEEDS_DEP"), "n");
  const std::string d = loaded.Diagnostics();
  EXPECT_THAT(d, HasSubstr("prj1.conf:2: warning: CONFIG_NEEDS_DEP was assigned the value 'y' but "
                           "got the value 'n'"));
  EXPECT_THAT(d, HasSubstr("unmet dependencies: DEP_A && LOGGING"));
  EXPECT_THAT(d, HasSubstr("CONFIG_DEP_A=n, CONFIG_LOGGING=y"));
}

TEST(FragmentTest, NoPrompt) {
  auto loaded = LoadText(kKconfig, {"CONFIG_NO_PROMPT=y\n"});
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr("prj1.conf:1: warning: CONFIG_NO_PROMPT"));
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr("no prompt"));
}

TEST(FragmentTest, OutOfRange) {
  auto loaded = LoadText(kKconfig, {"CONFIG_LOG_LEVEL=9\n"});
  EXPECT_EQ(loaded.Value("LOG_LEVEL"), "3");
  EXPECT_THAT(loaded.Diagnostics(),
              HasSubstr("prj1.conf:1: warning: CONFIG_LOG_LEVEL was assigned the value '9' but got "
                        "the value '3': the value is outside the active range [0, 4]"));
}

TEST(FragmentTest, ForcedBySelect) {
  auto loaded = LoadText(kKconfig, {"# CONFIG_FORCED is not set\n"});
  EXPECT_EQ(loaded.Value("FORCED"), "y");
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr("prj1.conf:1: warning: CONFIG_FORCED"));
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr("forced to y by 'select' from CONFIG_FORCER"));
}

TEST(FragmentTest, MalformedValuesAndLines) {
  auto loaded = LoadText(kKconfig, {"CONFIG_LOGGING=maybe\nCONFIG_LOG_LEVEL=abc\n"
                                    "CONFIG_NAME=unquoted\nCONFIG_ADDR=0xZZ\njunk here\n"});
  const std::string d = loaded.Diagnostics();
  EXPECT_THAT(d, HasSubstr("prj1.conf:1: warning: 'maybe' is not a valid value for the bool symbol "
                           "CONFIG_LOGGING"));
  EXPECT_THAT(d, HasSubstr("prj1.conf:2: warning: the value 'abc' is invalid for CONFIG_LOG_LEVEL, "
                           "which has type int"));
  EXPECT_THAT(d, HasSubstr("prj1.conf:3: warning: malformed string literal"));
  EXPECT_THAT(d, HasSubstr("prj1.conf:4: warning: the value '0xZZ' is invalid for CONFIG_ADDR"));
  EXPECT_THAT(d, HasSubstr("prj1.conf:5: warning: ignoring malformed line 'junk here'"));
}

TEST(FragmentTest, ChoiceMemberNotSelectable) {
  auto loaded = LoadText(kKconfig, {"CONFIG_MODE_B=y\n"});
  EXPECT_EQ(loaded.Value("MODE_A"), "y");
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr("prj1.conf:1: warning: CONFIG_MODE_B"));
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr("unmet dependencies"));
}

TEST(FragmentTest, MissingFragmentIsAnError) {
  auto loaded = LoadText(kKconfig);
  absl::Status status = loaded.kconfig->LoadFragment("/nonexistent/prj.conf", false);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("/nonexistent/prj.conf"));
}

}  // namespace
}  // namespace gale::kconfig
