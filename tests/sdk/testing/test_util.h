// Helpers of the gale_testing tests: temporary folders, files, recorded output.
#pragma once

#include <string>
#include <vector>

#include "gale/testing/ztest_parser.h"

namespace gale::testing::test {

/// A fresh folder under TMPDIR, removed with its contents when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::string &path() const { return path_; }
  /// Writes `text` to path()/relative, creating folders; returns the absolute path.
  std::string Write(const std::string &relative, const std::string &text) const;

 private:
  std::string path_;
};

std::string ReadFile(const std::string &path);

/// The lines of a recorded output file in data/, terminators (LF or CR LF) removed.
std::vector<std::string> DataLines(const std::string &name);

/// A parser that has seen every line of data/`name` and was finished with `why`.
ZtestParser ParseData(const std::string &name, std::string_view why = {});

}  // namespace gale::testing::test
