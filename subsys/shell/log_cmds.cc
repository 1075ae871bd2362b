// The `log` command: list the log modules with their run-time and compile-time levels, and
// change run-time levels (the logging subsystem's control API, <gale/logging/log_ctrl.h>).
#include <gale/logging/log_ctrl.h>
#include <gale/shell/shell.h>

#include <errno.h>
#include <string.h>

namespace {

const char *const kLevels[] = {"none", "err", "wrn", "inf", "dbg"};
constexpr int kLevelCount = sizeof(kLevels) / sizeof(kLevels[0]);

const char *LevelName(int level) {
  return level >= 0 && level < kLevelCount ? kLevels[level] : "?";
}

int CmdList(const shell *sh, size_t, char **) {
  shell_print(sh, "%-32s | current | built-in", "module");
  size_t count = gale_log_module_count();
  for (size_t i = 0; i < count; i++) {
    shell_print(sh, "%-32s | %-7s | %s", gale_log_module_name(i), LevelName(gale_log_level_get(i)),
                LevelName(gale_log_compiled_level_get(i)));
  }
  return 0;
}

// A level by name (none, err, wrn, inf, dbg) or number (0..4).
int ParseLevel(const char *text) {
  for (int i = 0; i < kLevelCount; i++) {
    if (strcmp(text, kLevels[i]) == 0 || (text[0] == '0' + i && text[1] == '\0')) {
      return i;
    }
  }
  return -EINVAL;
}

int SetLevels(const shell *sh, unsigned level, size_t argc, char **argv) {
  if (argc == 0) {
    size_t count = gale_log_module_count();
    for (size_t i = 0; i < count; i++) {
      (void)gale_log_level_set(i, level);
    }
    return 0;
  }
  int ret = 0;
  for (size_t i = 0; i < argc; i++) {
    int index = gale_log_module_find(argv[i]);
    if (index < 0) {
      shell_error(sh, "%s: no such log module (see 'log list')", argv[i]);
      ret = -ENOENT;
      continue;
    }
    int now = gale_log_level_set(static_cast<size_t>(index), level);
    if (now >= 0 && static_cast<unsigned>(now) < level) {
      shell_warn(sh, "%s: level %s (its built-in level is lower)", argv[i], LevelName(now));
    }
  }
  return ret;
}

int CmdEnable(const shell *sh, size_t argc, char **argv) {
  int level = ParseLevel(argv[1]);
  if (level < 0) {
    shell_error(sh, "%s: not a level (none, err, wrn, inf, dbg)", argv[1]);
    return -EINVAL;
  }
  return SetLevels(sh, static_cast<unsigned>(level), argc - 2, argv + 2);
}

int CmdDisable(const shell *sh, size_t argc, char **argv) {
  return SetLevels(sh, 0, argc - 1, argv + 1);
}

}  // namespace

SHELL_STATIC_SUBCMD_SET_CREATE(
    sub_log, SHELL_CMD(list, NULL, "Log modules with their current and built-in levels.", CmdList),
    SHELL_CMD_ARG(enable, NULL,
                  "enable LEVEL [MODULE...]: set the level (none, err, wrn, inf, dbg) of the "
                  "modules (all when none is named)",
                  CmdEnable, 2, SHELL_OPT_ARG_CHECK_SKIP),
    SHELL_CMD_ARG(disable, NULL,
                  "disable [MODULE...]: turn the modules' logging off (all when "
                  "none is named)",
                  CmdDisable, 1, SHELL_OPT_ARG_CHECK_SKIP),
    SHELL_SUBCMD_SET_END);
SHELL_CMD_REGISTER(log, &sub_log, "Log commands", NULL);
