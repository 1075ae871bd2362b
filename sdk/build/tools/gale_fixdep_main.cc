// gale-fixdep: per-symbol Kconfig dependencies for target builds (see config_deps.h).
//
//   gale-fixdep --update-stamps --autoconf AUTOCONF_H --stamps DIR [--symbols CONFIG_JSON]
//       at configure time, after Kconfig: refresh the per-symbol stamps (every symbol of
//       gale-kconfig's config.json gets one).
//   gale-fixdep --autoconf AUTOCONF_H --stamps DIR -- COMPILER ARGS...
//       as the compiler launcher: run the compiler, then rewrite the depfile named by -MF.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gale/build/config_deps.h"
#include "nlohmann/json.hpp"

namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: gale-fixdep --update-stamps --autoconf AUTOCONF_H --stamps DIR "
               "[--symbols CONFIG_JSON]\n"
               "       gale-fixdep --autoconf AUTOCONF_H --stamps DIR -- COMMAND [ARGS...]\n");
  return 2;
}

int Run(char **argv) {
  pid_t pid = fork();
  if (pid < 0) {
    std::perror("gale-fixdep: fork");
    return 127;
  }
  if (pid == 0) {
    execvp(argv[0], argv);
    std::fprintf(stderr, "gale-fixdep: cannot run %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return 127;
    }
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

int main(int argc, char **argv) {
  std::string autoconf;
  std::string stamps;
  std::string symbols_json;
  bool update = false;
  int i = 1;
  for (; i < argc; i++) {
    std::string arg = argv[i];
    if (arg == "--") {
      i++;
      break;
    }
    if (arg == "--update-stamps") {
      update = true;
    } else if (arg == "--autoconf" && i + 1 < argc) {
      autoconf = argv[++i];
    } else if (arg == "--stamps" && i + 1 < argc) {
      stamps = argv[++i];
    } else if (arg == "--symbols" && i + 1 < argc) {
      symbols_json = argv[++i];
    } else {
      return Usage();
    }
  }
  if (autoconf.empty() || stamps.empty()) {
    return Usage();
  }
  if (update) {
    std::vector<std::string> known;
    if (!symbols_json.empty()) {
      std::ifstream in(symbols_json);
      auto json = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
      if (json.is_discarded() || !json.contains("symbols") || !json["symbols"].is_array()) {
        std::fprintf(stderr, "gale-fixdep: %s is not a gale-kconfig config.json\n",
                     symbols_json.c_str());
        return 1;
      }
      for (const auto &symbol : json["symbols"]) {
        if (symbol.contains("name") && symbol["name"].is_string()) {
          known.push_back("CONFIG_" + symbol["name"].get<std::string>());
        }
      }
    }
    auto st = gale::build::UpdateStamps(autoconf, stamps, known);
    if (!st.ok()) {
      std::fprintf(stderr, "gale-fixdep: %s\n", std::string(st.message()).c_str());
      return 1;
    }
    return 0;
  }
  if (i >= argc) {
    return Usage();
  }
  std::string depfile_path;
  for (int j = i; j + 1 < argc; j++) {
    if (std::strcmp(argv[j], "-MF") == 0) {
      depfile_path = argv[j + 1];
    }
  }
  int rc = Run(argv + i);
  if (rc != 0 || depfile_path.empty()) {
    return rc;
  }
  std::ifstream in(depfile_path);
  std::stringstream text;
  text << in.rdbuf();
  auto depfile = gale::build::ParseDepfile(text.str());
  if (!depfile.ok()) {
    // Leave the compiler's depfile alone: correct, only coarser.
    std::fprintf(stderr, "gale-fixdep: warning: %s: %s\n", depfile_path.c_str(),
                 std::string(depfile.status().message()).c_str());
    return 0;
  }
  auto rewritten = gale::build::RewriteDepfile(*depfile, autoconf, stamps);
  if (rewritten.ok() && *rewritten) {
    std::ofstream out(depfile_path, std::ios::trunc);
    out << gale::build::FormatDepfile(*depfile);
  }
  return 0;
}
