/*
 * The shell's line processing, driven through a test backend: bytes go in with
 * gale_shell_input(), output is captured. Commands record the arguments they ran with.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <zephyr/kernel.h>
#include <zephyr/shell/shell.h>
#include <zephyr/ztest.h>

static char out[2048];
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

/* What the last run of `t rec` got: its arguments joined by '|'. */
static char last[128];
static int runs;

static int cmd_rec(const struct shell *sh, size_t argc, char **argv) {
  ARG_UNUSED(sh);
  last[0] = '\0';
  for (size_t i = 0; i < argc; i++) {
    if (i > 0) {
      strcat(last, "|");
    }
    strcat(last, argv[i]);
  }
  runs++;
  return 0;
}

static int cmd_fail(const struct shell *sh, size_t argc, char **argv) {
  ARG_UNUSED(argc);
  ARG_UNUSED(argv);
  shell_error(sh, "failing");
  return -EIO;
}

static int cmd_print(const struct shell *sh, size_t argc, char **argv) {
  ARG_UNUSED(argc);
  ARG_UNUSED(argv);
  shell_print(sh, "line %d", 1);
  shell_warn(sh, "w");
  return 0;
}

static int cmd_help_self(const struct shell *sh, size_t argc, char **argv) {
  ARG_UNUSED(argc);
  ARG_UNUSED(argv);
  shell_help(sh);
  return 0;
}

static const char *const dyn_names[] = {"alpha", "beta"};

static void dyn_get(size_t idx, struct shell_static_entry *entry) {
  entry->syntax = idx < ARRAY_SIZE(dyn_names) ? dyn_names[idx] : NULL;
  entry->help = "a dynamic entry";
  entry->handler = cmd_rec;
  entry->subcmd = NULL;
}

SHELL_DYNAMIC_CMD_CREATE(sub_dyn, dyn_get);

SHELL_STATIC_SUBCMD_SET_CREATE(sub_t, SHELL_CMD(rec, NULL, "Record the arguments", cmd_rec),
                               SHELL_CMD_ARG(two, NULL, "One or two arguments", cmd_rec, 2, 1),
                               SHELL_CMD_ARG(sum, NULL, "sum", cmd_rec, 1, 0),
                               SHELL_CMD_ARG(sub, NULL, "sub", cmd_rec, 1, 0),
                               SHELL_CMD(fail, NULL, "Fail", cmd_fail),
                               SHELL_CMD(print, NULL, "Print", cmd_print),
                               SHELL_CMD(myhelp, NULL, "Print own help", cmd_help_self),
                               SHELL_CMD(dyn, &sub_dyn, "Dynamic subcommands", NULL),
                               SHELL_COND_CMD(CONFIG_NOT_A_SYMBOL, hidden, NULL, "Hidden", cmd_rec),
                               SHELL_SUBCMD_SET_END);
SHELL_CMD_REGISTER(t, &sub_t, "Test commands", NULL);
SHELL_CMD_REGISTER(tee, NULL, "A root command sharing a prefix with t", cmd_rec);

static void reset(void) {
  out_len = 0;
  out[0] = '\0';
  last[0] = '\0';
  runs = 0;
}

static void feed(const char *s) {
  gale_shell_input(&test_shell, s, strlen(s));
}

static void *setup(void) {
  gale_shell_start(&test_shell);
  return NULL;
}

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  /* A fresh line (Ctrl-C drops anything left over), then clean capture buffers. */
  feed("\x03");
  reset();
}

ZTEST_SUITE(shell_core, NULL, setup, before, NULL, NULL);

ZTEST(shell_core, test_parse_and_run) {
  feed("t rec a b  c\r");
  zassert_equal(runs, 1);
  zassert_str_equal(last, "rec|a|b|c");
  /* The echo, the command's end of line, and the next prompt. */
  zassert_not_null(strstr(out, "t rec a b  c\r\n"));
  zassert_true(out_len >= 3 && strcmp(&out[out_len - 3], "~$ ") == 0, "ends with the prompt");
}

ZTEST(shell_core, test_quotes_and_escapes) {
  feed("t rec \"a b\" c\\ d \"e\\\"f\"\n");
  zassert_str_equal(last, "rec|a b|c d|e\"f");
}

ZTEST(shell_core, test_crlf_is_one_line) {
  feed("t rec x\r\n");
  feed("t rec y\n\r");
  zassert_equal(runs, 2);
  /* One prompt per line: none for the second half of CR LF or LF CR. */
  size_t prompts = 0;
  for (const char *p = out; (p = strstr(p, "~$ ")) != NULL; p++) {
    prompts++;
  }
  zassert_equal(prompts, 2, "%u prompts in '%s'", (unsigned)prompts, out);
}

ZTEST(shell_core, test_execute_cmd_results) {
  zassert_equal(shell_execute_cmd(&test_shell, "t rec 1"), 0);
  zassert_equal(shell_execute_cmd(&test_shell, "nosuch"), -ENOEXEC);
  zassert_not_null(strstr(out, "nosuch: command not found"));
  zassert_equal(shell_execute_cmd(&test_shell, "t fail"), -EIO);
  zassert_equal(shell_execute_cmd(&test_shell, "t rec a b c d e f g h"), -ENOMEM);
}

ZTEST(shell_core, test_argument_count) {
  zassert_equal(shell_execute_cmd(&test_shell, "t two"), -EINVAL);
  zassert_not_null(strstr(out, "two: wrong parameter count"));
  zassert_not_null(strstr(out, "One or two arguments"), "help printed");
  zassert_equal(runs, 0);
  zassert_equal(shell_execute_cmd(&test_shell, "t two 1"), 0);
  zassert_equal(shell_execute_cmd(&test_shell, "t two 1 2"), 0);
  zassert_equal(shell_execute_cmd(&test_shell, "t two 1 2 3"), -EINVAL);
  zassert_equal(runs, 2);
}

ZTEST(shell_core, test_subcommand_help) {
  /* A group without a handler prints its help. */
  zassert_equal(shell_execute_cmd(&test_shell, "t"), SHELL_CMD_HELP_PRINTED);
  zassert_not_null(strstr(out, "t - Test commands"));
  zassert_not_null(strstr(out, "Subcommands:"));
  zassert_not_null(strstr(out, "rec"));
  zassert_is_null(strstr(out, "hidden"), "a disabled SHELL_COND_CMD is not listed");
  reset();
  /* An unknown subcommand is an error, with the help. */
  zassert_equal(shell_execute_cmd(&test_shell, "t nosuch"), -EINVAL);
  zassert_not_null(strstr(out, "t: unknown parameter: nosuch"));
  zassert_not_null(strstr(out, "Subcommands:"));
  reset();
  zassert_equal(shell_execute_cmd(&test_shell, "t rec --help"), SHELL_CMD_HELP_PRINTED);
  zassert_not_null(strstr(out, "rec - Record the arguments"));
  zassert_equal(runs, 0);
  reset();
  zassert_equal(shell_execute_cmd(&test_shell, "help t"), 0);
  zassert_not_null(strstr(out, "Subcommands:"));
  reset();
  zassert_equal(shell_execute_cmd(&test_shell, "help"), 0);
  zassert_not_null(strstr(out, "tee"));
  zassert_not_null(strstr(out, "kernel"));
  reset();
  zassert_equal(shell_execute_cmd(&test_shell, "t myhelp"), 0);
  zassert_not_null(strstr(out, "myhelp - Print own help"));
}

ZTEST(shell_core, test_dynamic_subcommands) {
  zassert_equal(shell_execute_cmd(&test_shell, "t dyn beta x"), 0);
  zassert_str_equal(last, "beta|x");
  reset();
  zassert_equal(shell_execute_cmd(&test_shell, "t dyn"), SHELL_CMD_HELP_PRINTED);
  zassert_not_null(strstr(out, "alpha"));
}

ZTEST(shell_core, test_output) {
  zassert_equal(shell_execute_cmd(&test_shell, "t print"), 0);
  zassert_str_equal(out, "line 1\r\nw\r\n");
  reset();
  static const uint8_t data[18] = {'A', 'B', 0, 1,  2,  3,  4,  5,    6,
                                   7,   8,   9, 10, 11, 12, 13, 0xff, 'z'};
  shell_hexdump(&test_shell, data, sizeof(data));
  zassert_not_null(
      strstr(out,
             "00000000: 41 42 00 01 02 03 04 05  06 07 08 09 0a 0b 0c 0d |AB..............|\r\n"),
      "%s", out);
  zassert_not_null(strstr(out, "00000010: ff 7a "), "%s", out);
}

ZTEST(shell_core, test_editing_keys) {
  /* Left arrow then insert in the middle. */
  feed("t rec ac\x1b[Db\r");
  zassert_str_equal(last, "rec|abc");
  /* Backspace (DEL and BS). */
  feed(
      "t rec abxx\x7f\x08"
      "c\r");
  zassert_str_equal(last, "rec|abc");
  /* Home and End (CSI H / F and the ~ forms), Delete (CSI 3 ~). */
  feed("rec x\x1b[Ht \x1b[Fy\r");
  zassert_str_equal(last, "rec|xy");
  feed("rec x\x1b[1~t \x1b[4~y\r");
  zassert_str_equal(last, "rec|xy");
  feed("t rec abc\x1b[D\x1b[D\x1b[3~\r");
  zassert_str_equal(last, "rec|ac");
  /* Ctrl-A / Ctrl-E. */
  feed("rec q\x01t \x05r\r");
  zassert_str_equal(last, "rec|qr");
  /* Ctrl-U deletes to the start, Ctrl-K to the end. */
  feed("garbage\x15t rec k\r");
  zassert_str_equal(last, "rec|k");
  feed("t rec kk zz\x1b[D\x1b[D\x1b[D\x0b\r");
  zassert_str_equal(last, "rec|kk");
  /* Ctrl-W deletes the word before the cursor. */
  feed("t rec one two\x17three\r");
  zassert_str_equal(last, "rec|one|three");
  /* Right arrow stops at the end; left at the start. */
  feed("\x1b[D\x1b[Dt rec m\x1b[C\x1b[Cn\r");
  zassert_str_equal(last, "rec|mn");
  /* Ctrl-C drops the line. */
  runs = 0;
  feed("t rec dropped\x03");
  zassert_equal(runs, 0);
  zassert_not_null(strstr(out, "^C"));
}

ZTEST(shell_core, test_editing_echo) {
  /* Inserting in the middle redraws the tail and moves back over it. */
  feed("ac\x1b[Db");
  zassert_str_equal(out,
                    "ac\x1b[1D"
                    "bc\x1b[1D");
  feed("\x03");
}

ZTEST(shell_core, test_history) {
  feed("t rec one\r");
  feed("t rec two\r");
  feed("\x1b[A\r");
  zassert_str_equal(last, "rec|two");
  feed("\x1b[A\x1b[A\r");
  zassert_str_equal(last, "rec|one");
  /* Down past the newest gives an empty line; edits of a recalled line run as edited. */
  feed("\x1b[A\x1b[B\x1b[Bt rec three\r");
  zassert_str_equal(last, "rec|three");
  feed(
      "\x1b[A\x7f"
      "ee\r");
  zassert_str_equal(last, "rec|threee");
  /* Repeats are kept once: up twice from "threee" reaches "three", not "threee" again. */
  feed("t rec threee\r");
  feed("\x1b[A\x1b[A\r");
  zassert_str_equal(last, "rec|three");
  /* The history command lists the lines newest first. */
  reset();
  zassert_equal(shell_execute_cmd(&test_shell, "history"), 0);
  zassert_not_null(strstr(out, "[  1] t rec three\r\n[  2] t rec threee\r\n"), "%s", out);
}

ZTEST(shell_core, test_history_drops_oldest) {
  /* 64 bytes of history: the oldest lines go to make room. */
  char line[32];
  for (int i = 0; i < 10; i++) {
    snprintf(line, sizeof(line), "t rec %d\r", i);
    feed(line);
  }
  /* Going far up stops at the oldest kept line, which is not line 0. */
  for (int i = 0; i < 20; i++) {
    feed("\x1b[A");
  }
  feed("\r");
  zassert_true(strcmp(last, "rec|0") != 0 && strncmp(last, "rec|", 4) == 0, "%s", last);
}

ZTEST(shell_core, test_tab_completion) {
  /* Unique completion inline, with a space after it. */
  feed("t re\t");
  zassert_str_equal(out,
                    "t re"
                    "c ");
  feed("x\r");
  zassert_str_equal(last, "rec|x");
  /* Common prefix first, then the candidates listed and the line redrawn. */
  reset();
  feed("t s\t");
  zassert_str_equal(out,
                    "t s"
                    "u");
  feed("\t");
  zassert_not_null(strstr(out, "  sum\r\n"));
  zassert_not_null(strstr(out, "  sub\r\n"));
  zassert_true(strlen(out) >= 7 && strcmp(&out[strlen(out) - 7], "~$ t su") == 0, "%s", out);
  feed("m\r");
  zassert_str_equal(last, "sum");
  /* Root level: "t" and "tee" share a prefix. */
  reset();
  feed("te\t\r");
  zassert_str_equal(last, "tee");
  /* Dynamic subcommands complete too. */
  feed("t dyn al\t1\r");
  zassert_str_equal(last, "alpha|1");
  /* Nothing to complete after an argument. */
  reset();
  feed("t rec xy\t");
  zassert_str_equal(out, "t rec xy");
}

ZTEST(shell_core, test_line_too_long) {
  char line[100];
  memset(line, 'a', sizeof(line));
  line[sizeof(line) - 1] = '\0';
  feed("t rec ");
  feed(line);
  feed("\r");
  /* The line stops at CONFIG_SHELL_CMD_BUFF_SIZE - 1 characters (with a bell). */
  zassert_equal(strlen(last), 4 + CONFIG_SHELL_CMD_BUFF_SIZE - 1 - 6);
  zassert_not_null(strchr(out, '\a'));
}

ZTEST(shell_core, test_kernel_and_device_commands) {
  zassert_equal(shell_execute_cmd(&test_shell, "kernel threads"), 0);
  zassert_not_null(strstr(out, "idle"), "%s", out);
  reset();
  zassert_equal(shell_execute_cmd(&test_shell, "kernel version"), 0);
  zassert_not_null(strstr(out, "Gale version "));
  reset();
  zassert_equal(shell_execute_cmd(&test_shell, "kernel uptime"), 0);
  zassert_not_null(strstr(out, "Uptime: "));
  reset();
  zassert_equal(shell_execute_cmd(&test_shell, "kernel stacks"), 0);
  zassert_not_null(strstr(out, "idle"));
  reset();
  zassert_equal(shell_execute_cmd(&test_shell, "device list"), 0);
  zassert_not_null(strstr(out, "devices:"));
}

ZTEST(shell_core, test_string_conversion) {
  int err = 0;
  zassert_equal(shell_strtol("-42", 10, &err), -42);
  zassert_equal(shell_strtol("0x10", 0, &err), 16);
  zassert_equal(shell_strtoul("4000000000", 10, &err), 4000000000UL);
  zassert_equal(shell_strtoull("0xffffffffffff", 16, &err), 0xffffffffffffULL);
  zassert_true(shell_strtobool("on", 10, &err));
  zassert_false(shell_strtobool("disable", 10, &err));
  zassert_true(shell_strtobool("7", 10, &err));
  zassert_equal(err, 0);
  zassert_equal(shell_strtol("12x", 10, &err), 0);
  zassert_equal(err, -EINVAL);
  err = 0;
  (void)shell_strtol("", 10, &err);
  zassert_equal(err, -EINVAL);
  err = 0;
  (void)shell_strtoul("-1", 10, &err);
  zassert_equal(err, -EINVAL);
  err = 0;
  (void)shell_strtol("99999999999999999999", 10, &err);
  zassert_equal(err, -ERANGE);
  err = 0;
  (void)shell_strtobool("maybe", 10, &err);
  zassert_equal(err, -EINVAL);
}
