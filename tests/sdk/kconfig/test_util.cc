#include "test_util.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

extern char **environ;

namespace gale::kconfig::testing {

TempDir::TempDir() {
  const char *base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/gale_kconfig_XXXXXX";
  char *made = mkdtemp(tmpl.data());
  path_ = made != nullptr ? made : "";
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string &relative, const std::string &content) const {
  std::filesystem::path full = std::filesystem::path(path_) / relative;
  std::filesystem::create_directories(full.parent_path());
  std::ofstream out(full, std::ios::binary);
  out << content;
  return full.string();
}

std::string ReadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool FileExists(const std::string &path) {
  return std::filesystem::exists(path);
}

CommandResult Run(const std::vector<std::string> &argv,
                  const std::map<std::string, std::string> &env) {
  CommandResult result;
  TempDir capture;
  const std::string out_path = capture.path() + "/out";
  const std::string err_path = capture.path() + "/err";
  std::vector<std::string> env_strings;
  std::map<std::string, std::string> merged;
  for (char **e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string::npos) {
      merged[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
  }
  for (const auto &[key, value] : env) {
    merged[key] = value;
  }
  for (const auto &[key, value] : merged) {
    env_strings.push_back(key + "=" + value);
  }
  std::vector<char *> envp;
  for (std::string &s : env_strings) {
    envp.push_back(s.data());
  }
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char *> c_args;
  for (std::string &a : args) {
    c_args.push_back(a.data());
  }
  c_args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, c_args[0], &actions, nullptr, c_args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    result.err = "cannot start " + argv[0];
    return result;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

std::string Loaded::Diagnostics() const {
  std::string out;
  if (!kconfig) {
    return "<not loaded>";
  }
  for (const Diagnostic &d : kconfig->diagnostics()) {
    out += d.Format() + "\n";
  }
  return out;
}

Loaded LoadText(const std::string &kconfig_text, const std::vector<std::string> &fragments,
                LoadOptions options) {
  Loaded loaded;
  loaded.dir = std::make_unique<TempDir>();
  std::string root = loaded.dir->Write("Kconfig", kconfig_text);
  if (options.srctree.empty()) {
    options.srctree = loaded.dir->path();
  }
  absl::StatusOr<std::unique_ptr<Kconfig>> kconfig = Kconfig::Load(root, options);
  EXPECT_TRUE(kconfig.ok()) << kconfig.status();
  if (!kconfig.ok()) {
    return loaded;
  }
  loaded.kconfig = std::move(*kconfig);
  for (size_t i = 0; i < fragments.size(); ++i) {
    std::string path = loaded.dir->Write("prj" + std::to_string(i + 1) + ".conf", fragments[i]);
    EXPECT_TRUE(loaded.kconfig->LoadFragment(path, i == 0).ok());
  }
  loaded.kconfig->CheckAssignments();
  return loaded;
}

absl::Status ParseError(const std::string &kconfig_text, std::string *file) {
  TempDir dir;
  std::string root = dir.Write("Kconfig", kconfig_text);
  if (file != nullptr) {
    *file = root;
  }
  LoadOptions options;
  options.srctree = dir.path();
  return Kconfig::Load(root, options).status();
}

}  // namespace gale::kconfig::testing
