/*
 * `log list`, `log enable`, `log disable` through a capturing shell instance, checked against
 * the logging subsystem's run-time levels.
 */
#include <errno.h>
#include <string.h>

#include <zephyr/kernel.h>
#include <zephyr/logging/log.h>
#include <zephyr/logging/log_ctrl.h>
#include <zephyr/shell/shell.h>
#include <zephyr/ztest.h>

LOG_MODULE_REGISTER(shell_log_a, LOG_LEVEL_DBG);

static char out[1024];
static size_t out_len;

static void capture(const struct shell *sh, const char *data, size_t len) {
  ARG_UNUSED(sh);
  size_t room = sizeof(out) - 1 - out_len;
  len = len < room ? len : room;
  memcpy(&out[out_len], data, len);
  out_len += len;
  out[out_len] = '\0';
}

GALE_SHELL_DEFINE(test_shell, "~$ ", capture, NULL);

static int level_of(const char *name) {
  int index = gale_log_module_find(name);
  zassert_true(index >= 0, "no module %s", name);
  return gale_log_level_get((size_t)index);
}

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  out_len = 0;
  out[0] = '\0';
}

ZTEST_SUITE(shell_log, NULL, NULL, before, NULL, NULL);

ZTEST(shell_log, test_list) {
  zassert_equal(shell_execute_cmd(&test_shell, "log list"), 0);
  zassert_not_null(strstr(out, "shell_log_a"), "%s", out);
  zassert_not_null(strstr(out, "built-in"), "%s", out);
}

ZTEST(shell_log, test_enable_disable) {
  zassert_equal(shell_execute_cmd(&test_shell, "log enable wrn shell_log_a"), 0);
  zassert_equal(level_of("shell_log_a"), LOG_LEVEL_WRN);
  zassert_equal(shell_execute_cmd(&test_shell, "log disable shell_log_a"), 0);
  zassert_equal(level_of("shell_log_a"), LOG_LEVEL_NONE);
  zassert_equal(shell_execute_cmd(&test_shell, "log enable dbg"), 0);
  zassert_equal(level_of("shell_log_a"), LOG_LEVEL_DBG);
}

ZTEST(shell_log, test_errors) {
  zassert_equal(shell_execute_cmd(&test_shell, "log enable loud"), -EINVAL);
  zassert_not_null(strstr(out, "loud: not a level"));
  zassert_equal(shell_execute_cmd(&test_shell, "log enable inf nosuch"), -ENOENT);
  zassert_not_null(strstr(out, "nosuch: no such log module"));
  zassert_equal(shell_execute_cmd(&test_shell, "log enable"), -EINVAL, "a level is mandatory");
}
