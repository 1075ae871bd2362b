// Output formats: .config, autoconf.h, config.json, and write-if-changed.
#include <sys/stat.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "test_util.h"

namespace gale::kconfig {
namespace {

using ::testing::HasSubstr;
using testing::LoadText;

constexpr char kKconfig[] = R"(
config A
	bool "a"
	default y
menu "Menu"
config B
	int "b"
comment "note"
config H
	hex "h"
	default 1f
endmenu
config S
	string "s"
	default "q\"b\\"
menu "Empty"
endmenu
config N
	bool "n"
)";

TEST(WriterTest, ConfigFormat) {
  auto loaded = LoadText(kKconfig);
  EXPECT_EQ(loaded.kconfig->ConfigText("# H\n"),
            "# H\nCONFIG_A=y\n\n#\n# Menu\n#\nCONFIG_B=\n\n#\n# note\n#\nCONFIG_H=1f\n"
            "# end of Menu\n\nCONFIG_S=\"q\\\"b\\\\\"\n\n#\n# Empty\n#\n# CONFIG_N is not set\n");
}

TEST(WriterTest, AutoconfFormat) {
  auto loaded = LoadText(kKconfig);
  EXPECT_EQ(loaded.kconfig->AutoconfText("/* H */\n"),
            "/* H */\n#define CONFIG_A 1\n#define CONFIG_B \n#define CONFIG_H 0x1f\n"
            "#define CONFIG_S \"q\\\"b\\\\\"\n");
}

TEST(WriterTest, JsonShape) {
  auto loaded = LoadText(kKconfig, {"CONFIG_N=y\n"});
  auto json = nlohmann::json::parse(loaded.kconfig->JsonText());
  EXPECT_EQ(json["format"], "gale-kconfig-1");
  const auto &n = json["symbols"][4];
  EXPECT_EQ(n["name"], "N");
  EXPECT_EQ(n["type"], "bool");
  EXPECT_EQ(n["value"], "y");
  EXPECT_EQ(n["user_value"]["value"], "y");
  EXPECT_EQ(n["user_value"]["line"], 1);
  EXPECT_THAT(n["user_value"]["file"].get<std::string>(), HasSubstr("prj1.conf"));
  EXPECT_EQ(n["visibility"], "y");
  EXPECT_TRUE(n["defined_at"][0]["line"].is_number());
  const auto &b = json["symbols"][1];
  EXPECT_EQ(b["menu_path"][0], "Menu");
  for (const char *key : {"prompts", "help", "direct_dependencies", "selected_by", "implied_by",
                          "ranges", "defaults", "choice", "written"}) {
    EXPECT_TRUE(b.contains(key)) << key;
  }
  EXPECT_EQ(json["menu"]["kind"], "root");
  EXPECT_EQ(json["menu"]["children"][1]["prompt"], "Menu");
}

TEST(WriterTest, WriteIfChangedKeepsUnchangedFiles) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/out";
  bool changed = false;
  ASSERT_TRUE(WriteIfChanged(path, "abc", &changed).ok());
  EXPECT_TRUE(changed);
  struct stat before;
  ASSERT_EQ(stat(path.c_str(), &before), 0);
  ASSERT_TRUE(WriteIfChanged(path, "abc", &changed).ok());
  EXPECT_FALSE(changed);
  struct stat after;
  ASSERT_EQ(stat(path.c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);
  EXPECT_EQ(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
  ASSERT_TRUE(WriteIfChanged(path, "abcd", &changed).ok());
  EXPECT_TRUE(changed);
  EXPECT_EQ(testing::ReadFile(path), "abcd");
}

TEST(WriterTest, EditDistance) {
  EXPECT_EQ(EditDistance("LOGGING", "LOGGIN"), 1u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

}  // namespace
}  // namespace gale::kconfig
