#include "test_util.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gale::testing::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "gale-testing-XXXXXX").string();
  char *made = mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr) << "mkdtemp " << pattern;
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string &relative, const std::string &text) const {
  fs::path file = fs::path(path_) / relative;
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << text;
  return file.string();
}

std::string ReadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> DataLines(const std::string &name) {
  std::string text = ReadFile(std::string(GALE_TESTING_DATA_DIR) + "/" + name);
  EXPECT_FALSE(text.empty()) << "no recorded output " << name;
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(line);
  }
  return lines;
}

ZtestParser ParseData(const std::string &name, std::string_view why) {
  ZtestParser parser;
  for (const std::string &line : DataLines(name)) {
    parser.Feed(line);
  }
  parser.Finish(why);
  return parser;
}

}  // namespace gale::testing::test
