// The `log` command: list the log modules with their run-time levels, and set levels.
// Built only with CONFIG_SHELL_LOG_CMDS (needs CONFIG_LOG and the logging subsystem's
// run-time level API declared below).
#include <gale/shell/shell.h>

#include <errno.h>
#include <string.h>

extern "C" {
// The logging subsystem's run-time control (subsys/logging).
uint32_t gale_log_module_count(void);
const char *gale_log_module_name(uint32_t id);
int gale_log_level_get(uint32_t id);
int gale_log_level_set(uint32_t id, int level);
}

namespace {

const char *const kLevels[] = {"none", "err", "wrn", "inf", "dbg"};
constexpr int kLevelCount = sizeof(kLevels) / sizeof(kLevels[0]);

int CmdList(const shell *sh, size_t, char **) {
  shell_print(sh, "%-32s | level", "module");
  uint32_t count = gale_log_module_count();
  for (uint32_t id = 0; id < count; id++) {
    int level = gale_log_level_get(id);
    shell_print(sh, "%-32s | %s", gale_log_module_name(id),
                level >= 0 && level < kLevelCount ? kLevels[level] : "?");
  }
  return 0;
}

int ParseLevel(const char *text) {
  for (int i = 0; i < kLevelCount; i++) {
    if (strcmp(text, kLevels[i]) == 0) {
      return i;
    }
  }
  return -EINVAL;
}

int SetLevels(const shell *sh, int level, size_t argc, char **argv) {
  uint32_t count = gale_log_module_count();
  if (argc == 0) {
    for (uint32_t id = 0; id < count; id++) {
      (void)gale_log_level_set(id, level);
    }
    return 0;
  }
  int ret = 0;
  for (size_t i = 0; i < argc; i++) {
    uint32_t id = 0;
    while (id < count && strcmp(gale_log_module_name(id), argv[i]) != 0) {
      id++;
    }
    if (id == count) {
      shell_error(sh, "%s: no such log module", argv[i]);
      ret = -ENOENT;
      continue;
    }
    (void)gale_log_level_set(id, level);
  }
  return ret;
}

int CmdEnable(const shell *sh, size_t argc, char **argv) {
  int level = ParseLevel(argv[1]);
  if (level < 0) {
    shell_error(sh, "%s: not a level (none, err, wrn, inf, dbg)", argv[1]);
    return -EINVAL;
  }
  return SetLevels(sh, level, argc - 2, argv + 2);
}

int CmdDisable(const shell *sh, size_t argc, char **argv) {
  return SetLevels(sh, 0, argc - 1, argv + 1);
}

}  // namespace

SHELL_STATIC_SUBCMD_SET_CREATE(
    sub_log, SHELL_CMD(list, NULL, "Log modules and their levels.", CmdList),
    SHELL_CMD_ARG(enable, NULL, "enable LEVEL [MODULE...]: set the level (all modules if none)",
                  CmdEnable, 2, SHELL_OPT_ARG_CHECK_SKIP),
    SHELL_CMD_ARG(disable, NULL, "disable [MODULE...]: turn logging off", CmdDisable, 1,
                  SHELL_OPT_ARG_CHECK_SKIP),
    SHELL_SUBCMD_SET_END);
SHELL_CMD_REGISTER(log, &sub_log, "Log commands", NULL);
