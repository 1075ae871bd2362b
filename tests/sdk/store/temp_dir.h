// A fresh folder per test, removed afterwards.
#ifndef GALE_TESTS_SDK_STORE_TEMP_DIR_H_
#define GALE_TESTS_SDK_STORE_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "gtest/gtest.h"

namespace gale::store::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "gale_store_XXXXXX";
    char *made = mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr) << "mkdtemp " << pattern;
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code error;
    std::filesystem::remove_all(path_, error);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::string &path() const { return path_; }
  std::string File(const std::string &name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace gale::store::testing

#endif  // GALE_TESTS_SDK_STORE_TEMP_DIR_H_
