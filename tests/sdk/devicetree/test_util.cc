#include "test_util.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gale/devicetree/binding.h"
#include "gale/devicetree/tree.h"

namespace gale::devicetree::testing {

namespace fs = std::filesystem;

CommandResult Run(const std::vector<std::string> &argv) {
  CommandResult result;
  int fds[2];
  if (pipe(fds) != 0) {
    return result;
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    std::vector<char *> args;
    for (const std::string &a : argv) {
      args.push_back(const_cast<char *>(a.c_str()));
    }
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  char buffer[4096];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof(buffer))) > 0) {
    result.output.append(buffer, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return result;
}

std::string MakeWorkDir() {
  const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = fs::path(GALE_DTS_TEST_WORK_DIR) /
                 (info != nullptr ? absl::StrCat(info->test_suite_name(), ".", info->name())
                                  : std::string("misc"));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

std::string ReadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

absl::StatusOr<std::unique_ptr<Edt>> BuildEdt(const std::string &dts,
                                              std::map<std::string, std::string> bindings) {
  const std::string dir = MakeWorkDir();
  WriteFile(dir + "/in.dts", dts);
  CommandResult dtc =
      Run({GALE_DTC, "-@", "-q", "-I", "dts", "-O", "dtb", "-o", dir + "/in.dtb", dir + "/in.dts"});
  if (dtc.exit_code != 0) {
    return absl::InvalidArgumentError("dtc failed: " + dtc.output);
  }
  bindings.emplace("base.yaml",
                   ReadFile(std::string(GALE_SOURCE_DIR) + "/dts/bindings/base/base.yaml"));
  auto set = BindingSet::LoadFromStrings(bindings);
  if (!set.ok()) {
    return set.status();
  }
  auto tree = Tree::FromDtbFile(dir + "/in.dtb");
  if (!tree.ok()) {
    return tree.status();
  }
  return Edt::Build(*std::move(tree), *set);
}

CommandResult Preprocess(const std::string &cc, const std::string &board_dts,
                         const std::vector<std::string> &overlays, const std::string &out) {
  const std::string base = GALE_SOURCE_DIR;
  const std::string empty = fs::path(out).parent_path().string() + "/empty.c";
  WriteFile(empty, "");
  std::vector<std::string> argv = {cc,
                                   "-x",
                                   "assembler-with-cpp",
                                   "-nostdinc",
                                   "-E",
                                   "-I" + base + "/dts",
                                   "-I" + base + "/dts/arm",
                                   "-I" + base + "/dts/common",
                                   "-I" + base + "/include",
                                   "-I" + fs::path(board_dts).parent_path().string(),
                                   "-undef",
                                   "-D__DTS__",
                                   "-include",
                                   board_dts};
  for (const std::string &overlay : overlays) {
    argv.push_back("-include");
    argv.push_back(overlay);
  }
  argv.insert(argv.end(), {"-o", out, empty});
  return Run(argv);
}

CommandResult Dtc(const std::string &pre, const std::string &dtb) {
  return Run({GALE_DTC, "-@", "-Wno-unique_unit_address", "-Wno-unit_address_vs_reg", "-I", "dts",
              "-O", "dtb", "-o", dtb, pre});
}

PipelineResult RunPipeline(const std::string &board_dts, const std::vector<std::string> &overlays,
                           const std::vector<std::string> &extra_bindings_dirs) {
  PipelineResult result;
  result.dir = MakeWorkDir();
  const std::string &d = result.dir;
  result.failed = Preprocess(GALE_HOST_CC, board_dts, overlays, d + "/gale.dts.pre");
  if (result.failed.exit_code != 0) {
    return result;
  }
  result.failed = Dtc(d + "/gale.dts.pre", d + "/gale.dtb");
  if (result.failed.exit_code != 0) {
    return result;
  }
  std::vector<std::string> argv = {GALE_DTS_TOOL, "--dtb", d + "/gale.dtb", "--bindings-dir",
                                   std::string(GALE_SOURCE_DIR) + "/dts/bindings"};
  for (const std::string &dir : extra_bindings_dirs) {
    argv.push_back("--bindings-dir");
    argv.push_back(dir);
  }
  argv.insert(argv.end(),
              {"--header-out", d + "/devicetree_generated.h", "--dts-out", d + "/gale.dts",
               "--edt-out", d + "/edt.json", "--cmake-out", d + "/dts.cmake"});
  result.failed = Run(argv);
  return result;
}

}  // namespace gale::devicetree::testing
