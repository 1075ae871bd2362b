// Value calculation: expressions, defaults, select/imply, ranges, choices, menus, if, visible if.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace gale::kconfig {
namespace {

using ::testing::HasSubstr;
using testing::LoadText;

TEST(EvalTest, ExpressionOperators) {
  auto loaded = LoadText(R"(
config Y
	def_bool y
config N
	def_bool n
config I
	def_int 10
config H
	def_hex 0x10
config S
	def_string "abc"
config AND
	def_bool Y && !N
config OR
	def_bool N || Y
config PAREN
	def_bool !(N || Y) || (Y && Y)
config EQ
	def_bool S = "abc"
config NE
	def_bool S != "abc"
config LT
	def_bool I < 11
config LE
	def_bool I <= 9
config GT
	def_bool H > 15
config GE
	def_bool H >= 0x11
config STRLT
	def_bool S < "abd"
config UNDEF_EQ
	def_bool UNDEFINED = "UNDEFINED"
)");
  EXPECT_EQ(loaded.Value("AND"), "y");
  EXPECT_EQ(loaded.Value("OR"), "y");
  EXPECT_EQ(loaded.Value("PAREN"), "y");
  EXPECT_EQ(loaded.Value("EQ"), "y");
  EXPECT_EQ(loaded.Value("NE"), "n");
  EXPECT_EQ(loaded.Value("LT"), "y");
  EXPECT_EQ(loaded.Value("LE"), "n");
  EXPECT_EQ(loaded.Value("GT"), "y");  // hex compares numerically: 0x10 > 15
  EXPECT_EQ(loaded.Value("GE"), "n");
  EXPECT_EQ(loaded.Value("STRLT"), "y");
  EXPECT_EQ(loaded.Value("UNDEF_EQ"), "y");  // undefined symbols evaluate to their name
}

TEST(EvalTest, FirstActiveDefaultWins) {
  auto loaded = LoadText(R"(
config C
	bool "c"
config V
	int "v"
	default 1 if C
	default 2 if !C
	default 3
)",
                         {"CONFIG_C=n\n"});
  EXPECT_EQ(loaded.Value("V"), "2");
}

TEST(EvalTest, UserValueOnlyWhenVisible) {
  auto loaded = LoadText(R"(
config DEP
	bool "dep"
config A
	bool "a"
	depends on DEP
config HIDDEN
	bool
	default n
)",
                         {"CONFIG_A=y\nCONFIG_HIDDEN=y\n"});
  EXPECT_EQ(loaded.Value("A"), "n");
  EXPECT_EQ(loaded.Value("HIDDEN"), "n");
}

TEST(EvalTest, SelectForcesAgainstDependenciesAndWarns) {
  auto loaded = LoadText(R"(
config DEP
	bool "dep"
config SELECTOR
	def_bool y
	select TARGET
config TARGET
	bool "target"
	depends on DEP
)");
  EXPECT_EQ(loaded.Value("TARGET"), "y");
  EXPECT_THAT(loaded.Diagnostics(),
              HasSubstr("warning: TARGET has direct dependencies DEP with value n, but is "
                        "currently being y-selected by SELECTOR"));
}

TEST(EvalTest, ImplyIsWeakAndRespectsDependencies) {
  auto loaded = LoadText(R"(
config SRC
	def_bool y
	imply SOFT
	imply BLOCKED
	imply USER_OFF
config SOFT
	bool "soft"
config BLOCKED
	bool "blocked"
	depends on NOPE
config NOPE
	bool
config USER_OFF
	bool "user off"
)",
                         {"# CONFIG_USER_OFF is not set\n"});
  EXPECT_EQ(loaded.Value("SOFT"), "y");
  EXPECT_EQ(loaded.Value("BLOCKED"), "n");
  EXPECT_EQ(loaded.Value("USER_OFF"), "n");
}

TEST(EvalTest, RangesClampDefaultsAndRejectUserValues) {
  auto loaded = LoadText(R"(
config R
	int "r"
	range 1 10
	default 50
config U
	int "u"
	range 1 10
	default 5
config HX
	hex "hx"
	range 0x10 0x20
config LOWFREE
	int "no default"
	range 3 9
)",
                         {"CONFIG_U=11\n"});
  EXPECT_EQ(loaded.Value("R"), "10");
  EXPECT_EQ(loaded.Value("U"), "5");
  EXPECT_EQ(loaded.Value("HX"), "0x10");
  EXPECT_EQ(loaded.Value("LOWFREE"), "3");
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr("outside the active range [1, 10]"));
}

TEST(EvalTest, ChoiceSelectionRules) {
  const char *kconfig = R"(
config ENABLE_B
	bool "enable b"
choice
	prompt "c"
	default B
config A
	bool "a"
config B
	bool "b"
	depends on ENABLE_B
config C
	bool "c"
endchoice
)";
  // Default B is invisible: the first visible member wins.
  EXPECT_EQ(LoadText(kconfig).Value("A"), "y");
  EXPECT_EQ(LoadText(kconfig, {"CONFIG_ENABLE_B=y\n"}).Value("B"), "y");
  auto user = LoadText(kconfig, {"CONFIG_C=y\n"});
  EXPECT_EQ(user.Value("C"), "y");
  EXPECT_EQ(user.Value("A"), "n");
  EXPECT_EQ(user.Config(), "# CONFIG_ENABLE_B is not set\n# CONFIG_A is not set\nCONFIG_C=y\n");
}

TEST(EvalTest, OptionalChoiceIsOffUntilAMemberIsSet) {
  const char *kconfig =
      "choice\n\tprompt \"c\"\n\toptional\nconfig A\n\tbool \"a\"\n"
      "config B\n\tbool \"b\"\nendchoice\n";
  EXPECT_EQ(LoadText(kconfig).Config(), "");
  EXPECT_EQ(LoadText(kconfig, {"CONFIG_B=y\n"}).Config(), "# CONFIG_A is not set\nCONFIG_B=y\n");
}

TEST(EvalTest, MenuAndIfDependenciesPropagate) {
  auto loaded = LoadText(R"(
config OUTER
	bool "outer"
menu "m"
	depends on OUTER
config IN_MENU
	bool "in menu"
	default y
endmenu
if OUTER
config IN_IF
	def_bool y
endif
)");
  EXPECT_EQ(loaded.Value("IN_MENU"), "n");
  EXPECT_EQ(loaded.Value("IN_IF"), "n");
  auto on = LoadText("config OUTER\n\tbool \"o\"\nif OUTER\nconfig IN_IF\n\tdef_bool y\nendif\n",
                     {"CONFIG_OUTER=y\n"});
  EXPECT_EQ(on.Value("IN_IF"), "y");
}

TEST(EvalTest, VisibleIfHidesPromptsButKeepsDefaults) {
  auto loaded = LoadText(R"(
config SHOW
	bool "show"
menu "m"
	visible if SHOW
config WITH_DEFAULT
	bool "d"
	default y
config USER_SET
	bool "u"
endmenu
)",
                         {"CONFIG_USER_SET=y\n"});
  EXPECT_EQ(loaded.Value("WITH_DEFAULT"), "y");
  EXPECT_EQ(loaded.Value("USER_SET"), "n");
  EXPECT_EQ(loaded.Config(), "# CONFIG_SHOW is not set\nCONFIG_WITH_DEFAULT=y\n");
}

TEST(EvalTest, SymbolDefinedTwiceCombinesDefinitions) {
  auto loaded = LoadText(R"(
config M
	bool "first"
	depends on NOPE
config NOPE
	bool
config M
	bool "second"
	default y
)");
  EXPECT_EQ(loaded.Value("M"), "y");  // visible through the second definition
}

TEST(EvalTest, BareMInConditionsMeansModulesWhichAreOff) {
  auto loaded = LoadText("config A\n\tdef_bool y if m\nconfig B\n\tdef_bool m\n");
  EXPECT_EQ(loaded.Value("A"), "n");
  EXPECT_EQ(loaded.Value("B"), "y");
}

}  // namespace
}  // namespace gale::kconfig
