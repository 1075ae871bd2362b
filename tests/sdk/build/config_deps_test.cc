// Per-symbol Kconfig dependencies: stamps change exactly when a symbol's definition changes,
// and depfiles trade autoconf.h for the stamps of the symbols the sources mention.
#include "gale/build/config_deps.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

namespace gale::build {
namespace {

namespace fs = std::filesystem;

class ConfigDepsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gale-config-deps-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    stamps_ = (dir_ / "config").string();
    autoconf_ = (dir_ / "autoconf.h").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const fs::path &path, const std::string &text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
  }
  std::string Read(const fs::path &path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  fs::file_time_type Mtime(const std::string &name) { return fs::last_write_time(stamps_ + "/" + name); }

  fs::path dir_;
  std::string stamps_;
  std::string autoconf_;
};

TEST_F(ConfigDepsTest, StampPerDefinedSymbolHoldsItsDefinition) {
  Write(autoconf_, "/* header */\n#define CONFIG_A 1\n#define CONFIG_B \"x\"\n");
  ASSERT_TRUE(UpdateStamps(autoconf_, stamps_).ok());
  EXPECT_EQ(Read(stamps_ + "/CONFIG_A"), "#define CONFIG_A 1\n");
  EXPECT_EQ(Read(stamps_ + "/CONFIG_B"), "#define CONFIG_B \"x\"\n");
  EXPECT_EQ(Read(stamps_ + "/" + kSymbolSetStamp), "CONFIG_A\nCONFIG_B\n");
}

TEST_F(ConfigDepsTest, OnlyChangedSymbolsStampsAreRewritten) {
  Write(autoconf_, "#define CONFIG_A 1\n#define CONFIG_B 2\n");
  ASSERT_TRUE(UpdateStamps(autoconf_, stamps_).ok());
  auto a = Mtime("CONFIG_A");
  auto set = Mtime(kSymbolSetStamp);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Write(autoconf_, "#define CONFIG_A 1\n#define CONFIG_B 3\n");
  ASSERT_TRUE(UpdateStamps(autoconf_, stamps_).ok());
  EXPECT_EQ(Mtime("CONFIG_A"), a);
  EXPECT_EQ(Mtime(kSymbolSetStamp), set);
  EXPECT_EQ(Read(stamps_ + "/CONFIG_B"), "#define CONFIG_B 3\n");
}

TEST_F(ConfigDepsTest, SymbolNoLongerDefinedGetsEmptyStampAndSetChanges) {
  Write(autoconf_, "#define CONFIG_A 1\n#define CONFIG_B 2\n");
  ASSERT_TRUE(UpdateStamps(autoconf_, stamps_).ok());
  Write(autoconf_, "#define CONFIG_A 1\n");
  ASSERT_TRUE(UpdateStamps(autoconf_, stamps_).ok());
  EXPECT_EQ(Read(stamps_ + "/CONFIG_B"), "");
  EXPECT_EQ(Read(stamps_ + "/" + kSymbolSetStamp), "CONFIG_A\n");
}

TEST_F(ConfigDepsTest, KnownButUndefinedSymbolsGetEmptyStamps) {
  Write(autoconf_, "#define CONFIG_A 1\n");
  ASSERT_TRUE(UpdateStamps(autoconf_, stamps_, {"CONFIG_A", "CONFIG_OFF"}).ok());
  EXPECT_EQ(Read(stamps_ + "/CONFIG_OFF"), "");
  EXPECT_EQ(Read(stamps_ + "/" + kSymbolSetStamp), "CONFIG_A\nCONFIG_OFF\n");
  // Turning CONFIG_A off changes its stamp but not the set of symbols.
  auto set = Mtime(kSymbolSetStamp);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Write(autoconf_, "");
  ASSERT_TRUE(UpdateStamps(autoconf_, stamps_, {"CONFIG_A", "CONFIG_OFF"}).ok());
  EXPECT_EQ(Read(stamps_ + "/CONFIG_A"), "");
  EXPECT_EQ(Mtime(kSymbolSetStamp), set);
}

TEST_F(ConfigDepsTest, MissingAutoconfIsAnError) {
  EXPECT_FALSE(UpdateStamps(autoconf_, stamps_).ok());
}

TEST(Depfile, ParsesContinuationsAndEscapes) {
  auto d = ParseDepfile("out.o: a.c \\\n  dir\\ with\\ space/b.h c$$d.h\n");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->target, "out.o");
  EXPECT_EQ(d->deps, (std::vector<std::string>{"a.c", "dir with space/b.h", "c$d.h"}));
  auto again = ParseDepfile(FormatDepfile(*d));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->deps, d->deps);
}

TEST(Depfile, RejectsTextWithoutTarget) { EXPECT_FALSE(ParseDepfile("a.c b.c\n").ok()); }

TEST(ConfigSymbols, FindsWholeSymbolNamesOnly) {
  auto s = ConfigSymbolsIn("#ifdef CONFIG_FOO\nIS_ENABLED(CONFIG_BAR_2) MYCONFIG_NOT x CONFIG_\n");
  EXPECT_EQ(s, (std::set<std::string>{"CONFIG_BAR_2", "CONFIG_FOO"}));
}

TEST_F(ConfigDepsTest, DepfileTradesAutoconfForStampsOfMentionedSymbols) {
  Write(autoconf_, "#define CONFIG_USED 1\n#define CONFIG_OTHER 1\n");
  ASSERT_TRUE(UpdateStamps(autoconf_, stamps_).ok());
  Write(dir_ / "src.c", "#if CONFIG_USED\n#endif\n");
  Write(dir_ / "hdr.h", "#ifdef CONFIG_NOT_DEFINED\n#endif\n");
  Depfile d{"src.o", {(dir_ / "src.c").string(), autoconf_, (dir_ / "hdr.h").string()}};
  auto rewritten = RewriteDepfile(d, autoconf_, stamps_);
  ASSERT_TRUE(rewritten.ok());
  EXPECT_TRUE(*rewritten);
  EXPECT_EQ(d.deps, (std::vector<std::string>{(dir_ / "src.c").string(), (dir_ / "hdr.h").string(),
                                              stamps_ + "/CONFIG_USED",
                                              stamps_ + "/" + kSymbolSetStamp}));
}

TEST_F(ConfigDepsTest, DepfileWithoutAutoconfIsLeftAlone) {
  Write(dir_ / "src.c", "CONFIG_X\n");
  Depfile d{"src.o", {(dir_ / "src.c").string()}};
  auto rewritten = RewriteDepfile(d, autoconf_, stamps_);
  ASSERT_TRUE(rewritten.ok());
  EXPECT_FALSE(*rewritten);
  EXPECT_EQ(d.deps.size(), 1U);
}

}  // namespace
}  // namespace gale::build
