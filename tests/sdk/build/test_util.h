// Helpers for the tests that build real target applications with the driver.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gale/build/driver.h"

namespace gale::build::testing {

/// A fresh folder for one test, removed afterwards.
class TempFolder {
 public:
  TempFolder() {
    const ::testing::TestInfo *info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("gale_build_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
             std::to_string(::getpid()) + "_" + std::to_string(Counter()++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string str() const { return path_.string(); }
  std::filesystem::path path() const { return path_; }

 private:
  static int &Counter() {
    static int counter = 0;
    return counter;
  }
  std::filesystem::path path_;
};

/// A driver for this tree, with the host tools of this build.
inline BuildDriver TestDriver() {
  DriverConfig config;
  config.gale_base = GALE_SOURCE_DIR;
  config.env = {{"GALE_HOST_TOOLS_DIR", GALE_HOST_TOOLS_DIR}};
  return BuildDriver(config);
}

/// A copy of samples/hello_world at DIR/NAME.
inline std::string CopyHelloWorld(const TempFolder &dir, const std::string &name) {
  std::filesystem::path app = dir.path() / name;
  std::filesystem::copy(std::filesystem::path(GALE_SOURCE_DIR) / "samples/hello_world", app,
                        std::filesystem::copy_options::recursive);
  std::filesystem::remove_all(app / "build");
  return app.string();
}

inline void WriteFile(const std::filesystem::path &path, const std::string &text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

inline std::string ReadFile(const std::filesystem::path &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// ninja jobs per test build (the tests declare as many CTest PROCESSORS).
inline constexpr int kJobs = 2;

}  // namespace gale::build::testing
