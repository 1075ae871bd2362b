/*
 * The shell (Zephyr's shell API): commands defined at build time in a linker section, a line
 * editor with history and tab completion, and backends that carry the bytes (the console UART;
 * a test backend). Commands run in the context of whoever feeds the input: the backend's shell
 * thread for the UART.
 */
#ifndef GALE_SHELL_SHELL_H_
#define GALE_SHELL_SHELL_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gale/sys/iterable_sections.h>
#include <gale/sys/util_macro.h>
#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

struct shell;
struct shell_static_entry;

/**
 * A command handler.
 *
 * @param sh    the shell the command was typed in (for shell_print() and friends)
 * @param argc  number of arguments, the command's own name included
 * @param argv  the arguments; argv[0] is the command's name
 * @returns 0 on success, a negative errno on failure
 */
typedef int (*shell_cmd_handler)(const struct shell *sh, size_t argc, char **argv);

/**
 * Fill @p entry with the dynamic subcommand number @p idx; set entry->syntax to NULL when
 * there is none (past the last).
 */
typedef void (*shell_dynamic_get)(size_t idx, struct shell_static_entry *entry);

/** A set of subcommands: a static array ended by SHELL_SUBCMD_SET_END, or a dynamic getter. */
struct shell_cmd_entry {
  bool is_dynamic;
  union {
    shell_dynamic_get dynamic_get;
    const struct shell_static_entry *entry;
  } u;
};

/** Argument count limits: @p mandatory includes the command's name; 0 means not checked. */
struct shell_static_args {
  uint8_t mandatory;
  uint8_t optional;
};

/** Any number of optional arguments. */
#define SHELL_OPT_ARG_CHECK_SKIP (0xFF)
/** At most this many optional arguments may be given to SHELL_CMD_ARG. */
#define SHELL_OPT_ARG_MAX (0xFD)

/** A command or subcommand. */
struct shell_static_entry {
  /** The command's name (NULL ends a subcommand set). */
  const char *syntax;
  /** One-line help, or NULL. */
  const char *help;
  /** Subcommands, or NULL. */
  const struct shell_cmd_entry *subcmd;
  /** Handler, or NULL for a command that only groups subcommands. */
  shell_cmd_handler handler;
  struct shell_static_args args;
};

/** A root command as SHELL_CMD_REGISTER places it in the `shell_root_cmd` section. */
struct shell_root_cmd {
  struct shell_static_entry entry;
};

/** Value a command returns when it printed its help instead of running (-h, --help). */
#define SHELL_CMD_HELP_PRINTED (1)

/* ------------------------------------------------------------------------------------------ */
/* Defining commands */

/** A subcommand entry with argument count checking (@p mandatory counts the name itself). */
#define SHELL_CMD_ARG(syntax_, subcmd_, help_, handler_, mandatory_, optional_) \
  {                                                                             \
    .syntax = (const char *)STRINGIFY(syntax_), .help = (const char *)(help_),  \
    .subcmd = (subcmd_), .handler = (handler_),                                 \
    .args = {.mandatory = (mandatory_), .optional = (optional_)},               \
  }

/** A subcommand entry; its arguments are not counted. */
#define SHELL_CMD(syntax_, subcmd_, help_, handler_) \
  SHELL_CMD_ARG(syntax_, subcmd_, help_, handler_, 0, 0)

/** SHELL_CMD_ARG when @p flag (a CONFIG_ symbol) is enabled, else a hidden placeholder. */
#define SHELL_COND_CMD_ARG(flag, syntax_, subcmd_, help_, handler_, mandatory_, optional_) \
  SHELL_EXPR_CMD_ARG(IS_ENABLED(flag), syntax_, subcmd_, help_, handler_, mandatory_, optional_)
#define SHELL_COND_CMD(flag, syntax_, subcmd_, help_, handler_) \
  SHELL_COND_CMD_ARG(flag, syntax_, subcmd_, help_, handler_, 0, 0)
/** SHELL_CMD_ARG when the constant expression @p expr is true, else a hidden placeholder. */
#define SHELL_EXPR_CMD_ARG(expr, syntax_, subcmd_, help_, handler_, mandatory_, optional_)     \
  {                                                                                            \
    .syntax = (expr) ? (const char *)STRINGIFY(syntax_) : "", .help = (expr) ? (help_) : NULL, \
    .subcmd = (expr) ? (subcmd_) : NULL, .handler = (expr) ? (handler_) : NULL,                \
    .args = {.mandatory = (uint8_t)((expr) ? (mandatory_) : 0),                                \
             .optional = (uint8_t)((expr) ? (optional_) : 0)},                                 \
  }
#define SHELL_EXPR_CMD(expr, syntax_, subcmd_, help_, handler_) \
  SHELL_EXPR_CMD_ARG(expr, syntax_, subcmd_, help_, handler_, 0, 0)

/** Ends the list of a subcommand set. */
#define SHELL_SUBCMD_SET_END                                                        \
  {                                                                                 \
    .syntax = NULL, .help = NULL, .subcmd = NULL, .handler = NULL, .args = { 0, 0 } \
  }

/**
 * Define the subcommand set @p name from SHELL_CMD / SHELL_CMD_ARG entries ended by
 * SHELL_SUBCMD_SET_END; pass `&name` as a command's subcommands.
 */
#define SHELL_STATIC_SUBCMD_SET_CREATE(name, ...)                                 \
  static const struct shell_static_entry _CONCAT(shell_, name)[] = {__VA_ARGS__}; \
  static const struct shell_cmd_entry name = {.is_dynamic = false,                \
                                              .u = {.entry = _CONCAT(shell_, name)}}

/** Define the dynamic subcommand set @p name whose entries @p get fills in. */
#define SHELL_DYNAMIC_CMD_CREATE(name, get) \
  static const struct shell_cmd_entry name = {.is_dynamic = true, .u = {.dynamic_get = (get)}}

/**
 * Register the root command @p syntax (an identifier, not a string) with subcommands
 * @p subcmd (`&set` or NULL), @p help and @p handler (or NULL). Root commands are kept in a
 * linker section sorted by name.
 */
#define SHELL_CMD_ARG_REGISTER(syntax_, subcmd_, help_, handler_, mandatory_, optional_) \
  static const STRUCT_SECTION_ITERABLE_NAMED(shell_root_cmd, syntax_,                    \
                                             _CONCAT(shell_root_cmd_, syntax_)) = {      \
      .entry = SHELL_CMD_ARG(syntax_, subcmd_, help_, handler_, mandatory_, optional_)}
#define SHELL_CMD_REGISTER(syntax_, subcmd_, help_, handler_) \
  SHELL_CMD_ARG_REGISTER(syntax_, subcmd_, help_, handler_, 0, 0)

/** SHELL_CMD_REGISTER when @p flag (a CONFIG_ symbol) is enabled. */
#define SHELL_COND_CMD_REGISTER(flag, syntax_, subcmd_, help_, handler_) \
  COND_CODE_1(flag, (SHELL_CMD_REGISTER(syntax_, subcmd_, help_, handler_)), ())

/* ------------------------------------------------------------------------------------------ */
/* Output */

/** VT100 colours; used only with CONFIG_SHELL_VT100_COLORS. */
enum shell_vt100_color {
  SHELL_VT100_COLOR_BLACK,
  SHELL_VT100_COLOR_RED,
  SHELL_VT100_COLOR_GREEN,
  SHELL_VT100_COLOR_YELLOW,
  SHELL_VT100_COLOR_BLUE,
  SHELL_VT100_COLOR_MAGENTA,
  SHELL_VT100_COLOR_CYAN,
  SHELL_VT100_COLOR_WHITE,
  SHELL_VT100_COLOR_DEFAULT,
};

#define SHELL_NORMAL SHELL_VT100_COLOR_DEFAULT
#define SHELL_INFO SHELL_VT100_COLOR_GREEN
#define SHELL_OPTION SHELL_VT100_COLOR_CYAN
#define SHELL_WARNING SHELL_VT100_COLOR_YELLOW
#define SHELL_ERROR SHELL_VT100_COLOR_RED

/**
 * Print formatted text on @p sh in @p color. A '\n' goes out as "\r\n".
 *
 * @pre the thread running @p sh's commands (a command handler)
 */
void shell_fprintf(const struct shell *sh, enum shell_vt100_color color, const char *fmt, ...)
    __printf_like(3, 4);
/** As shell_fprintf(), with a va_list. */
void shell_vfprintf(const struct shell *sh, enum shell_vt100_color color, const char *fmt,
                    va_list args);

/** Print a line (a '\n' is appended). */
#define shell_print(sh, fmt, ...) shell_fprintf(sh, SHELL_NORMAL, fmt "\n", ##__VA_ARGS__)
/** Print an informational line. */
#define shell_info(sh, fmt, ...) shell_fprintf(sh, SHELL_INFO, fmt "\n", ##__VA_ARGS__)
/** Print a warning line. */
#define shell_warn(sh, fmt, ...) shell_fprintf(sh, SHELL_WARNING, fmt "\n", ##__VA_ARGS__)
/** Print an error line. */
#define shell_error(sh, fmt, ...) shell_fprintf(sh, SHELL_ERROR, fmt "\n", ##__VA_ARGS__)

/** Print one hexdump line of at most 16 bytes: offset, hex bytes, printable characters. */
void shell_hexdump_line(const struct shell *sh, unsigned int offset, const uint8_t *data,
                        size_t len);
/** Print @p len bytes of @p data as hexdump lines. */
void shell_hexdump(const struct shell *sh, const uint8_t *data, size_t len);

/** Print the help of the command being run (for a handler that finds its arguments wrong). */
void shell_help(const struct shell *sh);

/* ------------------------------------------------------------------------------------------ */
/* Argument conversion */

/**
 * Convert a whole argument to a number in @p base (0: C prefixes). On success @p *err is left
 * unchanged; otherwise it is set and 0 returned.
 *
 * @p err is set to -EINVAL when @p str is empty or has characters that are not digits, and to
 * -ERANGE when the value does not fit.
 */
long shell_strtol(const char *str, int base, int *err);
unsigned long shell_strtoul(const char *str, int base, int *err);
unsigned long long shell_strtoull(const char *str, int base, int *err);
/** "on"/"enable"/"true" (true), "off"/"disable"/"false" (false), else a number (non-zero). */
bool shell_strtobool(const char *str, int base, int *err);

/* ------------------------------------------------------------------------------------------ */
/* Running commands */

/**
 * Run the command line @p cmd on @p sh (NULL: the default backend's shell), as if typed.
 *
 * @pre thread context; not from another command of the same shell
 * @retval 0 or the handler's return value
 * @retval -ENOEXEC no such command
 * @retval -EINVAL wrong argument count or unknown subcommand (the help is printed)
 * @retval 1 (SHELL_CMD_HELP_PRINTED) the help was asked for and printed
 * @retval -ENOMEM the line has more than CONFIG_SHELL_ARGC_MAX arguments or is too long
 */
int shell_execute_cmd(const struct shell *sh, const char *cmd);

/** Turn the echo of typed characters on or off. */
int shell_echo_set(const struct shell *sh, bool val);

/**
 * Change the prompt of @p sh (the string is not copied: it must outlive the shell).
 * @retval 0 changed
 * @retval -EINVAL @p prompt is NULL
 */
int shell_prompt_change(const struct shell *sh, const char *prompt);

/* ------------------------------------------------------------------------------------------ */
/* Instances and backends (Gale) */

/** What a shell writes its output with. */
typedef void (*gale_shell_write_t)(const struct shell *sh, const char *data, size_t len);

#ifndef CONFIG_SHELL_CMD_BUFF_SIZE
#define CONFIG_SHELL_CMD_BUFF_SIZE 256
#endif

/** Line editor state of a shell instance (private layout). */
struct gale_shell_ctx {
  const char *prompt;
  char line[CONFIG_SHELL_CMD_BUFF_SIZE];
  uint16_t len;
  uint16_t cursor;
  uint8_t esc_state;
  uint8_t esc_param;
  char last_eol;
  bool echo;
  bool running;
#ifdef CONFIG_SHELL_HISTORY
  char history[CONFIG_SHELL_HISTORY_BUFFER];
  uint16_t history_used;
  uint16_t history_pos;
#endif
  const struct shell_static_entry *active;
};

/** A shell instance: a backend's output function and the editor state. */
struct shell {
  const char *name;
  const char *default_prompt;
  gale_shell_write_t write;
  void *backend_data;
  struct gale_shell_ctx *ctx;
};

/**
 * Define the shell instance @p name_ with prompt @p prompt_ that writes through @p write_;
 * @p data_ is for the backend (struct shell::backend_data).
 */
#define GALE_SHELL_DEFINE(name_, prompt_, write_, data_)   \
  static struct gale_shell_ctx _CONCAT(name_, _ctx);       \
  const struct shell name_ = {.name = #name_,              \
                              .default_prompt = (prompt_), \
                              .write = (write_),           \
                              .backend_data = (data_),     \
                              .ctx = &_CONCAT(name_, _ctx)}

/** Reset @p sh's editor (empty line, no history position, echo on) and print the prompt. */
void gale_shell_start(const struct shell *sh);

/**
 * Feed received bytes to @p sh: edit the line, and run it at the end of line (CR, LF or
 * CR LF). Commands run in the caller's context.
 *
 * @pre thread context
 */
void gale_shell_input(const struct shell *sh, const char *data, size_t len);

/** The shell of the serial backend (CONFIG_SHELL_BACKEND_SERIAL), else NULL. */
const struct shell *shell_backend_uart_get_ptr(void);

/** The shell of the RTT backend (CONFIG_SHELL_BACKEND_RTT). */
const struct shell *shell_backend_rtt_get_ptr(void);

#ifdef __cplusplus
}
#endif

#endif /* GALE_SHELL_SHELL_H_ */
