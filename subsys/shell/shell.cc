// The shell core: output formatting, the command tree, the line editor (VT100 keys, history,
// tab completion) and command execution. Backends only move bytes: they call
// gale_shell_input() with what they received and give a write function for the output.
#include <gale/shell/shell.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gale/sys/cbprintf.h>
#include <gale/sys/iterable_sections.h>

// The root commands, sorted by name by the linker.
extern "C" {
STRUCT_SECTION_START_EXTERN(shell_root_cmd);
STRUCT_SECTION_END_EXTERN(shell_root_cmd);
}

namespace {

constexpr size_t kLineMax = CONFIG_SHELL_CMD_BUFF_SIZE - 1;  // room for the NUL

enum EscState : uint8_t { kEscNone, kEscStart, kEscCsi, kEscSs3 };

// ------------------------------------------------------------------------------------------
// Output

void WriteRaw(const shell *sh, const char *data, size_t len) {
  if (len > 0) {
    sh->write(sh, data, len);
  }
}

void WriteStr(const shell *sh, const char *s) {
  WriteRaw(sh, s, strlen(s));
}

// Text for the terminal: every '\n' becomes "\r\n", so that output lines start at column 0
// whatever the terminal's settings.
void WriteText(const shell *sh, const char *data, size_t len) {
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    if (data[i] == '\n') {
      WriteRaw(sh, data + start, i - start);
      WriteRaw(sh, "\r\n", 2);
      start = i + 1;
    }
  }
  WriteRaw(sh, data + start, len - start);
}

struct FormatBuffer {
  const shell *sh;
  char buf[32];
  size_t used;
};

int FormatOut(int c, void *ctx) {
  auto *fb = static_cast<FormatBuffer *>(ctx);
  fb->buf[fb->used++] = static_cast<char>(c);
  if (fb->used == sizeof(fb->buf)) {
    WriteText(fb->sh, fb->buf, fb->used);
    fb->used = 0;
  }
  return c;
}

// Cursor moves: ESC [ n D (left) / ESC [ n C (right).
void MoveCursor(const shell *sh, size_t n, char direction) {
  if (n == 0 || !sh->ctx->echo) {
    return;
  }
  char seq[16];
  size_t pos = 0;
  seq[pos++] = '\x1b';
  seq[pos++] = '[';
  char digits[8];
  size_t nd = 0;
  do {
    digits[nd++] = static_cast<char>('0' + n % 10U);
    n /= 10U;
  } while (n > 0 && nd < sizeof(digits));
  while (nd > 0) {
    seq[pos++] = digits[--nd];
  }
  seq[pos++] = direction;
  WriteRaw(sh, seq, pos);
}

void Echo(const shell *sh, const char *data, size_t len) {
  if (sh->ctx->echo) {
    WriteRaw(sh, data, len);
  }
}

void Prompt(const shell *sh) {
  WriteStr(sh, sh->ctx->prompt);
}

// ------------------------------------------------------------------------------------------
// The command tree. A level is the root (nullptr: the linker section, sorted by name) or a
// subcommand set; dynamic sets fill in a caller's entry.

const shell_static_entry *LevelGet(const shell_cmd_entry *set, size_t idx,
                                   shell_static_entry *scratch) {
  if (set == nullptr) {
    size_t count = static_cast<size_t>(STRUCT_SECTION_END(shell_root_cmd) -
                                       STRUCT_SECTION_START(shell_root_cmd));
    return idx < count ? &STRUCT_SECTION_START(shell_root_cmd)[idx].entry : nullptr;
  }
  if (set->is_dynamic) {
    *scratch = {};
    set->u.dynamic_get(idx, scratch);
    return scratch->syntax != nullptr ? scratch : nullptr;
  }
  const shell_static_entry *entry = &set->u.entry[idx];
  return entry->syntax != nullptr ? entry : nullptr;
}

// A hidden entry (SHELL_COND_CMD with its option off) has an empty name.
bool Visible(const shell_static_entry *entry) {
  return entry->syntax[0] != '\0';
}

bool Find(const shell_cmd_entry *set, const char *name, size_t name_len, shell_static_entry *out) {
  shell_static_entry scratch;
  for (size_t i = 0;; i++) {
    const shell_static_entry *entry = LevelGet(set, i, &scratch);
    if (entry == nullptr) {
      return false;
    }
    if (Visible(entry) && strncmp(entry->syntax, name, name_len) == 0 &&
        entry->syntax[name_len] == '\0') {
      *out = *entry;
      return true;
    }
  }
}

void PrintEntries(const shell *sh, const shell_cmd_entry *set) {
  shell_static_entry scratch;
  size_t width = 0;
  for (size_t i = 0;; i++) {
    const shell_static_entry *entry = LevelGet(set, i, &scratch);
    if (entry == nullptr) {
      break;
    }
    size_t len = strlen(entry->syntax);
    width = len > width ? len : width;
  }
  for (size_t i = 0;; i++) {
    const shell_static_entry *entry = LevelGet(set, i, &scratch);
    if (entry == nullptr) {
      break;
    }
    if (!Visible(entry)) {
      continue;
    }
    shell_fprintf(sh, SHELL_NORMAL, "  %-*s: %s\n", static_cast<int>(width), entry->syntax,
                  entry->help != nullptr ? entry->help : "");
  }
}

void PrintHelp(const shell *sh, const shell_static_entry *entry) {
  if (entry->help != nullptr) {
    shell_fprintf(sh, SHELL_NORMAL, "%s - %s\n", entry->syntax, entry->help);
  } else {
    shell_fprintf(sh, SHELL_NORMAL, "%s\n", entry->syntax);
  }
  if (entry->subcmd != nullptr) {
    shell_fprintf(sh, SHELL_NORMAL, "Subcommands:\n");
    PrintEntries(sh, entry->subcmd);
  }
}

// Split @p s in place into arguments: separated by spaces; double quotes group words and a
// backslash takes the next character literally.
int Tokenize(char *s, char **argv, size_t *argc) {
  size_t n = 0;
  char *r = s;
  for (;;) {
    while (*r == ' ' || *r == '\t') {
      r++;
    }
    if (*r == '\0') {
      break;
    }
    if (n == CONFIG_SHELL_ARGC_MAX) {
      return -ENOMEM;
    }
    char *w = r;
    argv[n++] = w;
    bool quoted = false;
    while (*r != '\0' && (quoted || (*r != ' ' && *r != '\t'))) {
      if (*r == '"') {
        quoted = !quoted;
        r++;
        continue;
      }
      if (*r == '\\' && r[1] != '\0') {
        r++;
      }
      *w++ = *r++;
    }
    if (*r != '\0') {
      r++;  // the separator; the NUL below may overwrite it
    }
    *w = '\0';
  }
  argv[n] = nullptr;
  *argc = n;
  return 0;
}

int Execute(const shell *sh, char *line) {
  char *argv[CONFIG_SHELL_ARGC_MAX + 1];
  size_t argc = 0;
  if (Tokenize(line, argv, &argc) != 0) {
    shell_error(sh, "too many arguments (CONFIG_SHELL_ARGC_MAX is %d)", CONFIG_SHELL_ARGC_MAX);
    return -ENOMEM;
  }
  if (argc == 0) {
    return 0;
  }
  shell_static_entry cur;
  if (!Find(nullptr, argv[0], strlen(argv[0]), &cur)) {
    shell_error(sh, "%s: command not found", argv[0]);
    return -ENOEXEC;
  }
  size_t start = 0;
  size_t i = 1;
  while (i < argc && cur.subcmd != nullptr) {
    shell_static_entry next;
    if (!Find(cur.subcmd, argv[i], strlen(argv[i]), &next)) {
      break;
    }
    cur = next;
    start = i++;
  }
  if (i < argc && (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)) {
    PrintHelp(sh, &cur);
    return SHELL_CMD_HELP_PRINTED;
  }
  if (cur.handler == nullptr) {
    if (i < argc) {
      shell_error(sh, "%s: unknown parameter: %s", cur.syntax, argv[i]);
      PrintHelp(sh, &cur);
      return -EINVAL;
    }
    PrintHelp(sh, &cur);
    return SHELL_CMD_HELP_PRINTED;
  }
  size_t nargs = argc - start;
  if (cur.args.mandatory != 0) {
    bool too_few = nargs < cur.args.mandatory;
    bool too_many = cur.args.optional != SHELL_OPT_ARG_CHECK_SKIP &&
                    nargs > static_cast<size_t>(cur.args.mandatory) + cur.args.optional;
    if (too_few || too_many) {
      shell_error(sh, "%s: wrong parameter count", cur.syntax);
      PrintHelp(sh, &cur);
      return -EINVAL;
    }
  }
  const shell_static_entry *outer = sh->ctx->active;
  sh->ctx->active = &cur;
  int ret = cur.handler(sh, nargs, &argv[start]);
  sh->ctx->active = outer;
  return ret;
}

// ------------------------------------------------------------------------------------------
// History: NUL-terminated lines, oldest first, in one buffer; the oldest go when it is full.

#ifdef CONFIG_SHELL_HISTORY
void HistoryAdd(gale_shell_ctx *ctx, const char *line, size_t len) {
  if (len == 0 || len + 1 > sizeof(ctx->history)) {
    return;
  }
  // Skip a repeat of the newest line.
  if (ctx->history_used > 0) {
    size_t last = ctx->history_used - 1;
    while (last > 0 && ctx->history[last - 1] != '\0') {
      last--;
    }
    if (ctx->history_used - 1 - last == len && memcmp(&ctx->history[last], line, len) == 0) {
      return;
    }
  }
  while (ctx->history_used + len + 1 > sizeof(ctx->history)) {
    size_t oldest = strlen(ctx->history) + 1;
    memmove(ctx->history, ctx->history + oldest, ctx->history_used - oldest);
    ctx->history_used = static_cast<uint16_t>(ctx->history_used - oldest);
  }
  memcpy(&ctx->history[ctx->history_used], line, len);
  ctx->history[ctx->history_used + len] = '\0';
  ctx->history_used = static_cast<uint16_t>(ctx->history_used + len + 1);
}

size_t HistoryCount(const gale_shell_ctx *ctx) {
  size_t count = 0;
  for (size_t i = 0; i < ctx->history_used; i++) {
    count += ctx->history[i] == '\0' ? 1 : 0;
  }
  return count;
}

// The @p k-th newest line (1: the newest).
const char *HistoryGet(const gale_shell_ctx *ctx, size_t k) {
  size_t index = HistoryCount(ctx) - k;
  const char *p = ctx->history;
  while (index-- > 0) {
    p += strlen(p) + 1;
  }
  return p;
}
#endif

// ------------------------------------------------------------------------------------------
// Line editing. The terminal's cursor always mirrors ctx->cursor.

void Insert(const shell *sh, const char *text, size_t n) {
  gale_shell_ctx *ctx = sh->ctx;
  if (n > kLineMax - ctx->len) {
    n = kLineMax - ctx->len;
    Echo(sh, "\a", 1);
  }
  if (n == 0) {
    return;
  }
  memmove(&ctx->line[ctx->cursor + n], &ctx->line[ctx->cursor], ctx->len - ctx->cursor);
  memcpy(&ctx->line[ctx->cursor], text, n);
  ctx->len = static_cast<uint16_t>(ctx->len + n);
  Echo(sh, &ctx->line[ctx->cursor], ctx->len - ctx->cursor);
  ctx->cursor = static_cast<uint16_t>(ctx->cursor + n);
  MoveCursor(sh, ctx->len - ctx->cursor, 'D');
}

void MoveTo(const shell *sh, size_t pos) {
  gale_shell_ctx *ctx = sh->ctx;
  if (pos < ctx->cursor) {
    MoveCursor(sh, ctx->cursor - pos, 'D');
  } else {
    MoveCursor(sh, pos - ctx->cursor, 'C');
  }
  ctx->cursor = static_cast<uint16_t>(pos);
}

// Remove @p n characters at @p pos; the cursor ends at @p pos.
void Erase(const shell *sh, size_t pos, size_t n) {
  gale_shell_ctx *ctx = sh->ctx;
  if (n == 0) {
    return;
  }
  MoveTo(sh, pos);
  memmove(&ctx->line[pos], &ctx->line[pos + n], ctx->len - pos - n);
  ctx->len = static_cast<uint16_t>(ctx->len - n);
  Echo(sh, &ctx->line[pos], ctx->len - pos);
  Echo(sh, "\x1b[K", 3);
  MoveCursor(sh, ctx->len - pos, 'D');
}

void Replace(const shell *sh, const char *text) {
  gale_shell_ctx *ctx = sh->ctx;
  MoveTo(sh, 0);
  size_t n = strlen(text);
  n = n > kLineMax ? kLineMax : n;
  memcpy(ctx->line, text, n);
  ctx->len = static_cast<uint16_t>(n);
  ctx->cursor = static_cast<uint16_t>(n);
  Echo(sh, ctx->line, n);
  Echo(sh, "\x1b[K", 3);
}

void Redraw(const shell *sh) {
  gale_shell_ctx *ctx = sh->ctx;
  Prompt(sh);
  Echo(sh, ctx->line, ctx->len);
  size_t cursor = ctx->cursor;
  ctx->cursor = ctx->len;
  MoveTo(sh, cursor);
}

void NewLine(const shell *sh) {
  gale_shell_ctx *ctx = sh->ctx;
  ctx->len = 0;
  ctx->cursor = 0;
#ifdef CONFIG_SHELL_HISTORY
  ctx->history_pos = 0;
#endif
  Prompt(sh);
}

void HistoryStep(const shell *sh, bool older) {
#ifdef CONFIG_SHELL_HISTORY
  gale_shell_ctx *ctx = sh->ctx;
  if (older) {
    if (ctx->history_pos >= HistoryCount(ctx)) {
      return;
    }
    ctx->history_pos++;
  } else {
    if (ctx->history_pos == 0) {
      return;
    }
    ctx->history_pos--;
  }
  Replace(sh, ctx->history_pos == 0 ? "" : HistoryGet(ctx, ctx->history_pos));
#else
  ARG_UNUSED(sh);
  ARG_UNUSED(older);
#endif
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t';
}

// Complete the word before the cursor from the commands of the level the earlier words lead to.
void Complete(const shell *sh) {
  gale_shell_ctx *ctx = sh->ctx;
  const shell_cmd_entry *level = nullptr;
  size_t pos = 0;
  size_t end = ctx->cursor;
  const char *word;
  size_t word_len;
  for (;;) {
    while (pos < end && IsSpace(ctx->line[pos])) {
      pos++;
    }
    size_t start = pos;
    while (pos < end && !IsSpace(ctx->line[pos])) {
      pos++;
    }
    if (pos == end) {
      word = &ctx->line[start];
      word_len = end - start;
      break;
    }
    shell_static_entry entry;
    if (!Find(level, &ctx->line[start], pos - start, &entry) || entry.subcmd == nullptr) {
      return;  // an argument, not a command: nothing to complete
    }
    level = entry.subcmd;
  }

  shell_static_entry scratch;
  size_t matches = 0;
  size_t common = 0;
  const char *first = nullptr;
  for (size_t i = 0;; i++) {
    const shell_static_entry *entry = LevelGet(level, i, &scratch);
    if (entry == nullptr) {
      break;
    }
    if (!Visible(entry) || strncmp(entry->syntax, word, word_len) != 0) {
      continue;
    }
    if (matches++ == 0) {
      // Names of dynamic entries are static strings too: the pointer outlives the scratch.
      first = entry->syntax;
      common = strlen(first);
    } else {
      size_t k = 0;
      while (k < common && first[k] == entry->syntax[k]) {
        k++;
      }
      common = k;
    }
  }
  if (matches == 0) {
    return;
  }
  if (common > word_len) {
    Insert(sh, &first[word_len], common - word_len);
  }
  if (matches == 1) {
    if (ctx->cursor == ctx->len || !IsSpace(ctx->line[ctx->cursor])) {
      Insert(sh, " ", 1);
    }
    return;
  }
  if (common > word_len) {
    return;  // the next Tab lists what is left
  }
  // Several candidates and nothing more in common: list them and redraw the line.
  WriteRaw(sh, "\r\n", 2);
  for (size_t i = 0;; i++) {
    const shell_static_entry *entry = LevelGet(level, i, &scratch);
    if (entry == nullptr) {
      break;
    }
    if (Visible(entry) && strncmp(entry->syntax, word, word_len) == 0) {
      shell_fprintf(sh, SHELL_NORMAL, "  %s\n", entry->syntax);
    }
  }
  Redraw(sh);
}

void RunLine(const shell *sh) {
  gale_shell_ctx *ctx = sh->ctx;
  MoveTo(sh, ctx->len);
  Echo(sh, "\r\n", 2);
#ifdef CONFIG_SHELL_HISTORY
  HistoryAdd(ctx, ctx->line, ctx->len);
#endif
  ctx->line[ctx->len] = '\0';
  ctx->running = true;
  (void)Execute(sh, ctx->line);
  ctx->running = false;
  NewLine(sh);
}

void Control(const shell *sh, char c) {
  gale_shell_ctx *ctx = sh->ctx;
  switch (c) {
    case 0x01:  // Ctrl-A
      MoveTo(sh, 0);
      break;
    case 0x02:  // Ctrl-B
      MoveTo(sh, ctx->cursor > 0 ? ctx->cursor - 1U : 0U);
      break;
    case 0x03:  // Ctrl-C: drop the line
      MoveTo(sh, ctx->len);
      Echo(sh, "^C\r\n", 4);
      NewLine(sh);
      break;
    case 0x04:  // Ctrl-D: delete under the cursor
      Erase(sh, ctx->cursor, ctx->cursor < ctx->len ? 1U : 0U);
      break;
    case 0x05:  // Ctrl-E
      MoveTo(sh, ctx->len);
      break;
    case 0x06:  // Ctrl-F
      MoveTo(sh, ctx->cursor < ctx->len ? ctx->cursor + 1U : ctx->len);
      break;
    case 0x08:  // Backspace
    case 0x7F:
      if (ctx->cursor > 0) {
        Erase(sh, ctx->cursor - 1U, 1);
      }
      break;
    case '\t':
      Complete(sh);
      break;
    case 0x0B:  // Ctrl-K: delete to the end
      Erase(sh, ctx->cursor, ctx->len - ctx->cursor);
      break;
    case 0x0C:  // Ctrl-L: clear the screen
      Echo(sh, "\x1b[2J\x1b[H", 7);
      Redraw(sh);
      break;
    case 0x0E:  // Ctrl-N
      HistoryStep(sh, false);
      break;
    case 0x10:  // Ctrl-P
      HistoryStep(sh, true);
      break;
    case 0x15:  // Ctrl-U: delete to the start
      Erase(sh, 0, ctx->cursor);
      break;
    case 0x17: {  // Ctrl-W: delete the word before the cursor
      size_t p = ctx->cursor;
      while (p > 0 && IsSpace(ctx->line[p - 1])) {
        p--;
      }
      while (p > 0 && !IsSpace(ctx->line[p - 1])) {
        p--;
      }
      Erase(sh, p, ctx->cursor - p);
      break;
    }
    default:
      break;  // other control characters are ignored
  }
}

// The final byte of an escape sequence: ESC [ A..D / H / F, ESC [ n ~, ESC O x.
void EscapeFinal(const shell *sh, char c) {
  gale_shell_ctx *ctx = sh->ctx;
  switch (c) {
    case 'A':
      HistoryStep(sh, true);
      break;
    case 'B':
      HistoryStep(sh, false);
      break;
    case 'C':
      MoveTo(sh, ctx->cursor < ctx->len ? ctx->cursor + 1U : ctx->len);
      break;
    case 'D':
      MoveTo(sh, ctx->cursor > 0 ? ctx->cursor - 1U : 0U);
      break;
    case 'H':
      MoveTo(sh, 0);
      break;
    case 'F':
      MoveTo(sh, ctx->len);
      break;
    case '~':
      if (ctx->esc_param == 1 || ctx->esc_param == 7) {
        MoveTo(sh, 0);
      } else if (ctx->esc_param == 4 || ctx->esc_param == 8) {
        MoveTo(sh, ctx->len);
      } else if (ctx->esc_param == 3) {
        Erase(sh, ctx->cursor, ctx->cursor < ctx->len ? 1U : 0U);
      }
      break;
    default:
      break;
  }
}

void InputByte(const shell *sh, char c) {
  gale_shell_ctx *ctx = sh->ctx;
  switch (ctx->esc_state) {
    case kEscStart:
      ctx->esc_state = c == '[' ? kEscCsi : (c == 'O' ? kEscSs3 : kEscNone);
      ctx->esc_param = 0;
      return;
    case kEscCsi:
      if (c >= '0' && c <= '9') {
        ctx->esc_param =
            static_cast<uint8_t>(ctx->esc_param * 10U + static_cast<unsigned>(c - '0'));
        return;
      }
      if (c == ';') {
        return;
      }
      ctx->esc_state = kEscNone;
      EscapeFinal(sh, c);
      return;
    case kEscSs3:
      ctx->esc_state = kEscNone;
      EscapeFinal(sh, c);
      return;
    case kEscNone:
      break;
  }
  if (c == '\r' || c == '\n') {
    // CR LF and LF CR are one end of line; a second CR (or LF) alone is an empty line.
    if (ctx->last_eol != 0 && ctx->last_eol != c) {
      ctx->last_eol = 0;
      return;
    }
    ctx->last_eol = c;
    RunLine(sh);
    return;
  }
  ctx->last_eol = 0;
  if (c == 0x1B) {
    ctx->esc_state = kEscStart;
    return;
  }
  if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
    Control(sh, c);
    return;
  }
  Insert(sh, &c, 1);
}

void DefaultPromptIfUnset(const shell *sh) {
  if (sh->ctx->prompt == nullptr) {
    sh->ctx->prompt = sh->default_prompt;
  }
}

// ------------------------------------------------------------------------------------------
// help

int CmdHelp(const shell *sh, size_t argc, char **argv) {
  if (argc <= 1) {
    shell_print(sh, "Please press the <Tab> button to see all available commands.");
    shell_print(sh,
                "You can also use the <Tab> button to prompt or auto-complete all "
                "commands or its subcommands.");
    shell_print(sh,
                "You can try to call commands with <-h> or <--help> parameter for more "
                "information.");
    shell_print(sh, "");
    shell_print(sh, "Available commands:");
    PrintEntries(sh, nullptr);
    return 0;
  }
  shell_static_entry cur;
  if (!Find(nullptr, argv[1], strlen(argv[1]), &cur)) {
    shell_error(sh, "%s: command not found", argv[1]);
    return -ENOEXEC;
  }
  for (size_t i = 2; i < argc; i++) {
    shell_static_entry next;
    if (cur.subcmd == nullptr || !Find(cur.subcmd, argv[i], strlen(argv[i]), &next)) {
      shell_error(sh, "%s: unknown parameter: %s", cur.syntax, argv[i]);
      PrintHelp(sh, &cur);
      return -EINVAL;
    }
    cur = next;
  }
  PrintHelp(sh, &cur);
  return 0;
}

int CmdClear(const shell *sh, size_t, char **) {
  WriteStr(sh, "\x1b[2J\x1b[H");
  return 0;
}

#ifdef CONFIG_SHELL_HISTORY
int CmdHistory(const shell *sh, size_t, char **) {
  const gale_shell_ctx *ctx = sh->ctx;
  size_t count = HistoryCount(ctx);
  // Newest first, numbered as the up arrow reaches them.
  for (size_t k = 1; k <= count; k++) {
    shell_print(sh, "[%3u] %s", static_cast<unsigned>(k), HistoryGet(ctx, k));
  }
  return 0;
}
#endif

}  // namespace

SHELL_CMD_REGISTER(help, NULL, "Prints the help message.", CmdHelp);
SHELL_CMD_REGISTER(clear, NULL, "Clear the screen.", CmdClear);
#ifdef CONFIG_SHELL_HISTORY
SHELL_CMD_REGISTER(history, NULL, "Command history, newest first.", CmdHistory);
#endif

extern "C" {

void shell_vfprintf(const struct shell *sh, enum shell_vt100_color color, const char *fmt,
                    va_list args) {
#ifdef CONFIG_SHELL_VT100_COLORS
  bool colored = color != SHELL_VT100_COLOR_DEFAULT;
  if (colored) {
    char seq[] = "\x1b[1;30m";
    seq[5] = static_cast<char>('0' + static_cast<int>(color));
    WriteRaw(sh, seq, sizeof(seq) - 1);
  }
#else
  ARG_UNUSED(color);
#endif
  FormatBuffer fb = {.sh = sh, .buf = {}, .used = 0};
  (void)cbvprintf(FormatOut, &fb, fmt, args);
  WriteText(sh, fb.buf, fb.used);
#ifdef CONFIG_SHELL_VT100_COLORS
  if (colored) {
    WriteRaw(sh, "\x1b[0m", 4);
  }
#endif
}

void shell_fprintf(const struct shell *sh, enum shell_vt100_color color, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  shell_vfprintf(sh, color, fmt, args);
  va_end(args);
}

void shell_hexdump_line(const struct shell *sh, unsigned int offset, const uint8_t *data,
                        size_t len) {
  shell_fprintf(sh, SHELL_NORMAL, "%08X: ", offset);
  for (size_t i = 0; i < 16; i++) {
    if (i < len) {
      shell_fprintf(sh, SHELL_NORMAL, "%02x ", data[i]);
    } else {
      shell_fprintf(sh, SHELL_NORMAL, "   ");
    }
    if (i == 7) {
      shell_fprintf(sh, SHELL_NORMAL, " ");
    }
  }
  shell_fprintf(sh, SHELL_NORMAL, "|");
  for (size_t i = 0; i < 16; i++) {
    char c = i < len ? static_cast<char>(data[i]) : ' ';
    shell_fprintf(sh, SHELL_NORMAL, "%c", (c >= 0x20 && c < 0x7F) ? c : '.');
  }
  shell_fprintf(sh, SHELL_NORMAL, "|\n");
}

void shell_hexdump(const struct shell *sh, const uint8_t *data, size_t len) {
  for (size_t offset = 0; offset < len; offset += 16) {
    size_t n = len - offset < 16 ? len - offset : 16;
    shell_hexdump_line(sh, static_cast<unsigned int>(offset), data + offset, n);
  }
}

void shell_help(const struct shell *sh) {
  if (sh->ctx->active != nullptr) {
    PrintHelp(sh, sh->ctx->active);
  }
}

int shell_execute_cmd(const struct shell *sh, const char *cmd) {
  if (sh == nullptr) {
    sh = shell_backend_uart_get_ptr();
    if (sh == nullptr) {
      return -ENOEXEC;
    }
  }
  DefaultPromptIfUnset(sh);
  char line[CONFIG_SHELL_CMD_BUFF_SIZE];
  size_t len = strlen(cmd);
  if (len > kLineMax) {
    return -ENOMEM;
  }
  memcpy(line, cmd, len + 1);
  return Execute(sh, line);
}

long shell_strtol(const char *str, int base, int *err) {
  char *end;
  errno = 0;
  long value = strtol(str, &end, base);
  if (errno == ERANGE) {
    *err = -ERANGE;
    return 0;
  }
  if (end == str || *end != '\0') {
    *err = -EINVAL;
    return 0;
  }
  return value;
}

unsigned long shell_strtoul(const char *str, int base, int *err) {
  unsigned long long value = shell_strtoull(str, base, err);
  if (value > static_cast<unsigned long long>(static_cast<unsigned long>(-1))) {
    *err = -ERANGE;
    return 0;
  }
  return static_cast<unsigned long>(value);
}

unsigned long long shell_strtoull(const char *str, int base, int *err) {
  // strtoull() accepts a minus sign and negates: "-1" would come back as the largest value.
  if (str[0] == '-') {
    *err = -EINVAL;
    return 0;
  }
  char *end;
  errno = 0;
  unsigned long long value = strtoull(str, &end, base);
  if (errno == ERANGE) {
    *err = -ERANGE;
    return 0;
  }
  if (end == str || *end != '\0') {
    *err = -EINVAL;
    return 0;
  }
  return value;
}

bool shell_strtobool(const char *str, int base, int *err) {
  static const char *const kTrue[] = {"on", "enable", "true"};
  static const char *const kFalse[] = {"off", "disable", "false"};
  for (const char *word : kTrue) {
    if (strcmp(str, word) == 0) {
      return true;
    }
  }
  for (const char *word : kFalse) {
    if (strcmp(str, word) == 0) {
      return false;
    }
  }
  int local = 0;
  unsigned long value = shell_strtoul(str, base, &local);
  if (local != 0) {
    *err = local;
    return false;
  }
  return value != 0;
}

int shell_echo_set(const struct shell *sh, bool val) {
  sh->ctx->echo = val;
  return 0;
}

int shell_prompt_change(const struct shell *sh, const char *prompt) {
  if (prompt == nullptr) {
    return -EINVAL;
  }
  sh->ctx->prompt = prompt;
  return 0;
}

void gale_shell_start(const struct shell *sh) {
  gale_shell_ctx *ctx = sh->ctx;
  ctx->prompt = sh->default_prompt;
  ctx->echo = true;
  ctx->esc_state = kEscNone;
  ctx->last_eol = 0;
  ctx->active = nullptr;
#ifdef CONFIG_SHELL_HISTORY
  ctx->history_used = 0;
#endif
  NewLine(sh);
}

void gale_shell_input(const struct shell *sh, const char *data, size_t len) {
  DefaultPromptIfUnset(sh);
  for (size_t i = 0; i < len; i++) {
    InputByte(sh, data[i]);
  }
}

#ifndef CONFIG_SHELL_BACKEND_SERIAL
const struct shell *shell_backend_uart_get_ptr(void) {
  return nullptr;
}
#endif

}  // extern "C"
