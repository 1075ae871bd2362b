// Parser tests: every construct, the menu tree it builds, and syntax errors with locations.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "test_util.h"

namespace gale::kconfig {
namespace {

using ::testing::HasSubstr;
using testing::LoadText;
using testing::ParseError;

TEST(ParserTest, ConfigWithAllPropertyKinds) {
  auto loaded = LoadText(R"(
config A
	bool "A prompt" if B
	default y if C
	default n
	depends on D || E
	select S if C
	imply I
	help
	  Help for A.
config B
	def_bool y
config C
	def_bool y
config D
	def_bool y
config E
	bool
config S
	bool
config I
	bool "implied"
config N
	int "num"
	range 1 5 if C
	default 3
)");
  EXPECT_EQ(loaded.Value("A"), "y");
  EXPECT_EQ(loaded.Value("S"), "y");
  EXPECT_EQ(loaded.Value("I"), "y");
  EXPECT_EQ(loaded.Value("N"), "3");
  auto json = nlohmann::json::parse(loaded.kconfig->JsonText());
  const auto &a = json["symbols"][0];
  EXPECT_EQ(a["name"], "A");
  EXPECT_EQ(a["help"], "Help for A.\n");
  EXPECT_EQ(a["direct_dependencies"], "D || E");
  EXPECT_EQ(a["prompts"][0]["text"], "A prompt");
  EXPECT_EQ(json["symbols"][5]["selected_by"][0], "A");
  EXPECT_EQ(json["symbols"][6]["implied_by"][0], "A");
}

TEST(ParserTest, TypesAndDefForms) {
  auto loaded = LoadText(R"(
config T
	tristate "t"
	default m
config DB
	def_bool y
config DT
	def_tristate m
config DI
	def_int 12
config DH
	def_hex 0x20
config DS
	def_string "str"
config BOOLEAN
	boolean "old spelling"
	default y
)");
  EXPECT_EQ(loaded.Value("T"), "y");  // tristate acts like bool: m becomes y
  EXPECT_EQ(loaded.Value("DB"), "y");
  EXPECT_EQ(loaded.Value("DT"), "y");
  EXPECT_EQ(loaded.Value("DI"), "12");
  EXPECT_EQ(loaded.Value("DH"), "0x20");
  EXPECT_EQ(loaded.Value("DS"), "str");
  EXPECT_EQ(loaded.Value("BOOLEAN"), "y");
}

TEST(ParserTest, HelpTextEndsAtLessIndentedLine) {
  auto loaded = LoadText(
      "config A\n\tbool \"a\"\n\thelp\n\t  line one\n\n\t    indented\nconfig B\n\tbool \"b\"\n");
  auto json = nlohmann::json::parse(loaded.kconfig->JsonText());
  EXPECT_EQ(json["symbols"][0]["help"], "line one\n\n  indented\n");
  EXPECT_EQ(json["symbols"][1]["name"], "B");
}

TEST(ParserTest, LineContinuationAndComments) {
  auto loaded = LoadText("config A # trailing comment\n\tbool \"a\" \\\n\t  if y\n\tdefault y\n");
  EXPECT_EQ(loaded.Value("A"), "y");
}

TEST(ParserTest, MenuconfigBuildsImplicitSubmenu) {
  auto loaded = LoadText(R"(
menuconfig NET
	bool "net"
if NET
config NET_A
	bool "a"
endif
config NET_B
	bool "b"
	depends on NET
config OTHER
	bool "other"
)");
  auto json = nlohmann::json::parse(loaded.kconfig->JsonText());
  const auto &top = json["menu"]["children"];
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0]["symbol"], "NET");
  EXPECT_EQ(top[0]["kind"], "menuconfig");
  ASSERT_EQ(top[0]["children"].size(), 2u);
  EXPECT_EQ(top[0]["children"][0]["symbol"], "NET_A");
  EXPECT_EQ(top[0]["children"][1]["symbol"], "NET_B");
  EXPECT_EQ(top[1]["symbol"], "OTHER");
  EXPECT_EQ(json["symbols"][1]["menu_path"][0], "net");
}

TEST(ParserTest, MenusChoicesCommentsMainmenu) {
  auto loaded = LoadText(R"(
mainmenu "My project"
menu "Top"
	depends on y
	visible if y
comment "A comment"
	depends on y
choice CH
	prompt "choose"
	optional
config X
	bool "x"
endchoice
endmenu
)");
  auto json = nlohmann::json::parse(loaded.kconfig->JsonText());
  EXPECT_EQ(json["mainmenu"], "My project");
  const auto &menu = json["menu"]["children"][0];
  EXPECT_EQ(menu["kind"], "menu");
  EXPECT_EQ(menu["prompt"], "Top");
  EXPECT_EQ(menu["children"][0]["kind"], "comment");
  EXPECT_EQ(menu["children"][1]["kind"], "choice");
  EXPECT_EQ(json["choices"][0]["id"], "CH");
  EXPECT_EQ(json["choices"][0]["optional"], true);
  EXPECT_EQ(json["choices"][0]["members"][0], "X");
  EXPECT_EQ(json["symbols"][0]["menu_path"], nlohmann::json({"Top", "choose"}));
}

TEST(ParserTest, SourceVariantsAndGlobs) {
  testing::TempDir dir;
  dir.Write("a/Kconfig", "config A\n\tdef_bool y\nrsource \"b/Kconfig\"\n");
  dir.Write("a/b/Kconfig", "config B\n\tdef_bool y\n");
  dir.Write("g/x1/Kconfig", "config X1\n\tdef_bool y\n");
  dir.Write("g/x2/Kconfig", "config X2\n\tdef_bool y\n");
  std::string root = dir.Write("Kconfig",
                               "source \"a/Kconfig\"\nsource \"g/*/Kconfig\"\n"
                               "osource \"none/Kconfig\"\norsource \"none/*\"\n");
  LoadOptions options;
  options.srctree = dir.path();
  auto kconfig = Kconfig::Load(root, options);
  ASSERT_TRUE(kconfig.ok()) << kconfig.status();
  for (const char *name : {"A", "B", "X1", "X2"}) {
    EXPECT_EQ((*kconfig)->Value(name), "y") << name;
  }
  ASSERT_EQ((*kconfig)->files().size(), 5u);
  EXPECT_EQ((*kconfig)->files()[0], root);
  EXPECT_THAT((*kconfig)->files()[2], HasSubstr("a/b/Kconfig"));
  EXPECT_THAT((*kconfig)->files()[3], HasSubstr("g/x1/Kconfig"));
}

TEST(ParserTest, SourceOfMissingFileNamesIncludingLine) {
  std::string file;
  absl::Status status = ParseError("config A\n\tbool\n\nsource \"nope/Kconfig\"\n", &file);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr(file + ":4: error:"));
  EXPECT_THAT(status.message(), HasSubstr("nope/Kconfig"));
}

struct SyntaxCase {
  const char *name;
  const char *text;
  int line;
  const char *reason;
};

void PrintTo(const SyntaxCase &c, std::ostream *os) {
  *os << c.name;
}

class SyntaxErrorTest : public ::testing::TestWithParam<SyntaxCase> {};

TEST_P(SyntaxErrorTest, ReportsFileLineAndReason) {
  std::string file;
  absl::Status status = ParseError(GetParam().text, &file);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(),
              HasSubstr(file + ":" + std::to_string(GetParam().line) + ": error:"));
  EXPECT_THAT(status.message(), HasSubstr(GetParam().reason));
}

INSTANTIATE_TEST_SUITE_P(
    Errors, SyntaxErrorTest,
    ::testing::Values(
        SyntaxCase{"UnknownKeyword", "config A\n\tbool \"a\"\nfrobnicate A\n", 3, "frobnicate"},
        SyntaxCase{"BadExpression", "config A\n\tbool \"a\"\n\tdepends on B &&\n", 3,
                   "expected an expression"},
        SyntaxCase{"MissingParen", "config A\n\tbool \"a\"\n\tdepends on (B\n", 3, "missing ')'"},
        SyntaxCase{"UnterminatedString", "config A\n\tbool \"a\n", 2, "unterminated string"},
        SyntaxCase{"UnterminatedIf", "config A\n\tbool\nif A\nconfig B\n\tbool\n", 3,
                   "unterminated 'if'"},
        SyntaxCase{"UnterminatedMenu", "menu \"m\"\nconfig B\n\tbool\n", 1, "unterminated 'menu'"},
        SyntaxCase{"UnterminatedChoice", "choice\n\tprompt \"c\"\nconfig B\n\tbool \"b\"\n", 1,
                   "unterminated 'choice'"},
        SyntaxCase{"StrayEndmenu", "config A\n\tbool\nendmenu\n", 3, "unexpected 'endmenu'"},
        SyntaxCase{"MissingType", "config A\n\tprompt \"a\"\n", 1, "without a type"},
        SyntaxCase{"PropertyOutsideEntry", "bool \"x\"\n", 1, "unexpected 'bool'"},
        SyntaxCase{"ErrorIf", "$(error-if,y,stop here)\n", 1, "stop here"}),
    [](const ::testing::TestParamInfo<SyntaxCase> &info) { return info.param.name; });

TEST(ParserTest, ObsoleteOptionsWarnButParse) {
  auto loaded = LoadText(
      "config L\n\tstring\n\toption defconfig_list\n\tdefault \"x\"\nconfig M\n\tbool \"m\"\n"
      "\toption modules\nconfig Z\n\tbool \"z\"\n\tmodules\n");
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr(":3: warning: 'option defconfig_list'"));
  EXPECT_EQ(loaded.Config(), "# CONFIG_M is not set\n# CONFIG_Z is not set\n");
}

}  // namespace
}  // namespace gale::kconfig
