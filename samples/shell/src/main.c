/*
 * A shell with a few custom commands next to the built-in ones (help, kernel, device):
 *
 *   demo ping              prints "pong"
 *   demo params [ARG...]   prints its arguments, one per line
 *   demo sum A B [C...]    adds integers
 *   demo hexdump TEXT      dumps TEXT's bytes
 *   counter inc [N] / get / reset
 */
#include <stdlib.h>
#include <string.h>

#include <zephyr/kernel.h>
#include <zephyr/shell/shell.h>

static int cmd_ping(const struct shell *sh, size_t argc, char **argv) {
  ARG_UNUSED(argc);
  ARG_UNUSED(argv);
  shell_print(sh, "pong");
  return 0;
}

static int cmd_params(const struct shell *sh, size_t argc, char **argv) {
  shell_print(sh, "argc = %u", (unsigned int)argc);
  for (size_t i = 0; i < argc; i++) {
    shell_print(sh, "  argv[%u] = %s", (unsigned int)i, argv[i]);
  }
  return 0;
}

static int cmd_sum(const struct shell *sh, size_t argc, char **argv) {
  long total = 0;
  for (size_t i = 1; i < argc; i++) {
    char *end;
    long value = strtol(argv[i], &end, 0);
    if (*end != '\0') {
      shell_error(sh, "%s: not an integer", argv[i]);
      return -EINVAL;
    }
    total += value;
  }
  shell_print(sh, "sum = %ld", total);
  return 0;
}

static int cmd_hexdump(const struct shell *sh, size_t argc, char **argv) {
  ARG_UNUSED(argc);
  shell_hexdump(sh, (const uint8_t *)argv[1], strlen(argv[1]));
  return 0;
}

SHELL_STATIC_SUBCMD_SET_CREATE(sub_demo, SHELL_CMD(ping, NULL, "Reply with pong.", cmd_ping),
                               SHELL_CMD(params, NULL, "Print the arguments.", cmd_params),
                               SHELL_CMD_ARG(sum, NULL, "Add two or more integers.", cmd_sum, 3,
                                             SHELL_OPT_ARG_CHECK_SKIP),
                               SHELL_CMD_ARG(hexdump, NULL, "Dump the bytes of a word.",
                                             cmd_hexdump, 2, 0),
                               SHELL_SUBCMD_SET_END);
SHELL_CMD_REGISTER(demo, &sub_demo, "Demo commands", NULL);

static long counter;

static int cmd_counter_inc(const struct shell *sh, size_t argc, char **argv) {
  counter += argc > 1 ? strtol(argv[1], NULL, 0) : 1;
  shell_print(sh, "counter = %ld", counter);
  return 0;
}

static int cmd_counter_get(const struct shell *sh, size_t argc, char **argv) {
  ARG_UNUSED(argc);
  ARG_UNUSED(argv);
  shell_print(sh, "counter = %ld", counter);
  return 0;
}

static int cmd_counter_reset(const struct shell *sh, size_t argc, char **argv) {
  ARG_UNUSED(argc);
  ARG_UNUSED(argv);
  counter = 0;
  shell_info(sh, "counter reset");
  return 0;
}

SHELL_STATIC_SUBCMD_SET_CREATE(
    sub_counter, SHELL_CMD_ARG(inc, NULL, "Add N (default 1).", cmd_counter_inc, 1, 1),
    SHELL_CMD(get, NULL, "Print the counter.", cmd_counter_get),
    SHELL_CMD(reset, NULL, "Set the counter to 0.", cmd_counter_reset), SHELL_SUBCMD_SET_END);
SHELL_CMD_REGISTER(counter, &sub_counter, "A counter kept by the application", NULL);

int main(void) {
  printk("Shell sample on %s: type 'help' or press Tab\n", CONFIG_BOARD);
  return 0;
}
