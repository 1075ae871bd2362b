// The logging core: run-time filtering, message formatting (text lines or dictionary records),
// immediate output or a buffer drained by the log thread, and counted drops.
#include <gale/logging/log.h>

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <gale/irq.h>
#include <gale/kernel.h>
#include <gale/sys/cbprintf.h>

#include "log_internal.h"

STRUCT_SECTION_START_EXTERN(gale_log_module);
STRUCT_SECTION_END_EXTERN(gale_log_module);
STRUCT_SECTION_START_EXTERN(gale_log_rt);

namespace gale::logging {
namespace {

// Dictionary record layout (subsys/logging/README.md).
constexpr uint8_t kRecordSync = 0xA5;
constexpr uint8_t kRecordVersion = 1;
constexpr uint8_t kRecordLog = 1;
constexpr uint8_t kRecordHexdump = 2;
constexpr uint8_t kRecordDropped = 3;
constexpr size_t kRecordHeader = 20;
constexpr uint16_t kNoModule = 0xFFFF;

constexpr const char *kLevelTags[] = {"", "err", "wrn", "inf", "dbg"};

// The message being built; irq_lock() protects it (a message is built in one go).
uint8_t msg_buf[CONFIG_LOG_MSG_MAX_LEN];
size_t msg_len;
bool msg_truncated;

gale_log_hook_t hook;
void *hook_ctx;
bool panic_mode;
uint32_t dropped_total;

void Put(uint8_t c) {
  if (msg_len < sizeof(msg_buf)) {
    msg_buf[msg_len++] = c;
  } else {
    msg_truncated = true;
  }
}

[[maybe_unused]] void PutBytes(const void *data, size_t length) {
  const auto *p = static_cast<const uint8_t *>(data);
  for (size_t i = 0; i < length; i++) {
    Put(p[i]);
  }
}

[[maybe_unused]] void PutString(const char *s) {
  while (*s != '\0') {
    Put(static_cast<uint8_t>(*s++));
  }
}

[[maybe_unused]] int PutChar(int c, void *) {
  Put(static_cast<uint8_t>(c));
  return c;
}

uint64_t NowUs() {
  return k_ticks_to_us_floor64(static_cast<uint64_t>(k_uptime_ticks()));
}

size_t ModuleIndex(const gale_log_module *module) {
  return static_cast<size_t>(module - _gale_log_module_list_start);
}

bool Enabled(const gale_log_module *module, uint8_t level) {
  return level <= _gale_log_rt_list_start[ModuleIndex(module)].level;
}

void Output(const uint8_t *data, size_t length) {
#ifdef CONFIG_LOG_BACKEND_UART
  UartBackendWrite(data, length);
#endif
#ifdef CONFIG_LOG_BACKEND_RTT
  RttBackendWrite(data, length);
#endif
  if (hook != nullptr) {
    hook(data, length, hook_ctx);
  }
}

#ifdef CONFIG_LOG_MODE_DEFERRED
// Buffered messages: [u16 length][bytes], wrapping; irq_lock() protects it.
uint8_t ring[CONFIG_LOG_BUFFER_SIZE];
size_t ring_head;  // next byte written
size_t ring_used;
uint32_t ring_count;
uint32_t dropped_pending;
// The message log_process() outputs; k_sched_lock() keeps two callers apart.
uint8_t out_buf[CONFIG_LOG_MSG_MAX_LEN];
K_SEM_DEFINE(log_sem, 0, 1);

void RingPut(const uint8_t *data, size_t length) {
  for (size_t i = 0; i < length; i++) {
    ring[ring_head] = data[i];
    ring_head = (ring_head + 1) % sizeof(ring);
  }
  ring_used += length;
}

size_t RingGet(uint8_t *dst, size_t max) {
  size_t tail = (ring_head + sizeof(ring) - ring_used) % sizeof(ring);
  uint8_t hdr[2];
  for (auto &b : hdr) {
    b = ring[tail];
    tail = (tail + 1) % sizeof(ring);
  }
  size_t length = hdr[0] | (static_cast<size_t>(hdr[1]) << 8);
  for (size_t i = 0; i < length; i++) {
    if (i < max) {
      dst[i] = ring[tail];
    }
    tail = (tail + 1) % sizeof(ring);
  }
  ring_used -= length + 2;
  ring_count--;
  return length < max ? length : max;
}
#endif

void BeginMessage() {
  msg_len = 0;
  msg_truncated = false;
}

#ifndef CONFIG_LOG_DICTIONARY_SUPPORT
void TextPrefix(const gale_log_module *module, uint8_t level) {
#ifdef CONFIG_LOG_BACKEND_SHOW_COLOR
  if (level == LOG_LEVEL_ERR) {
    PutString("\x1b[1;31m");
  } else if (level == LOG_LEVEL_WRN) {
    PutString("\x1b[1;33m");
  }
#endif
#ifdef CONFIG_LOG_BACKEND_FORMAT_TIMESTAMP
  uint64_t us = NowUs();
  auto total_s = static_cast<uint32_t>(us / 1000000U);
  auto frac = static_cast<uint32_t>(us % 1000000U);
  cbprintf(PutChar, nullptr, "[%02u:%02u:%02u.%03u,%03u] ", total_s / 3600U, (total_s / 60U) % 60U,
           total_s % 60U, frac / 1000U, frac % 1000U);
#endif
  PutString("<");
  PutString(kLevelTags[level]);
  PutString("> ");
  if (module != nullptr) {
    PutString(module->name);
    PutString(": ");
  }
}

void TextEnd(uint8_t level) {
  ARG_UNUSED(level);
#ifdef CONFIG_LOG_BACKEND_SHOW_COLOR
  if (level == LOG_LEVEL_ERR || level == LOG_LEVEL_WRN) {
    PutString("\x1b[0m");
  }
#endif
  if (msg_truncated || msg_len == sizeof(msg_buf)) {
    msg_len = sizeof(msg_buf) - 1;  // keep the line ending of a truncated message
  }
  Put('\n');
}
#else
void RecordHeader(uint8_t type, uint8_t level, uint16_t module, uint32_t word) {
  uint64_t ts = NowUs();
  uint8_t hdr[kRecordHeader] = {kRecordSync,
                                kRecordVersion,
                                type,
                                level,
                                static_cast<uint8_t>(module),
                                static_cast<uint8_t>(module >> 8)};
  memcpy(&hdr[8], &ts, sizeof(ts));
  memcpy(&hdr[16], &word, sizeof(word));
  PutBytes(hdr, sizeof(hdr));
}

// Fills in the payload length and appends the checksum; a record that did not fit is cut at
// an argument boundary by the callers, so here it only has to fit its checksum.
void RecordEnd() {
  if (msg_len == sizeof(msg_buf)) {
    msg_len--;
  }
  auto payload = static_cast<uint16_t>(msg_len - kRecordHeader);
  msg_buf[6] = static_cast<uint8_t>(payload);
  msg_buf[7] = static_cast<uint8_t>(payload >> 8);
  uint8_t sum = 0;
  for (size_t i = 0; i < msg_len; i++) {
    sum = static_cast<uint8_t>(sum + msg_buf[i]);
  }
  msg_buf[msg_len++] = static_cast<uint8_t>(0U - sum);
}
#endif

// Hands the built message to the backends (now) or to the buffer (deferred).
void Commit() {
#ifdef CONFIG_LOG_MODE_DEFERRED
  if (!panic_mode) {
#ifdef CONFIG_LOG_BLOCK_IN_THREAD
    // A thread waits for room instead of losing its message: it outputs the oldest messages
    // itself (in order, as the log thread would). Only ISRs (and messages larger than the
    // buffer) still drop.
    if (!k_is_in_isr()) {
      while (ring_count > 0 && ring_used + msg_len + 2 > sizeof(ring)) {
        size_t n = RingGet(out_buf, sizeof(out_buf));
        Output(out_buf, n);
      }
    }
#endif
    if (ring_used + msg_len + 2 > sizeof(ring)) {
      dropped_total++;
      dropped_pending++;
    } else {
      uint8_t hdr[2] = {static_cast<uint8_t>(msg_len), static_cast<uint8_t>(msg_len >> 8)};
      RingPut(hdr, sizeof(hdr));
      RingPut(msg_buf, msg_len);
      ring_count++;
    }
    k_sem_give(&log_sem);
    return;
  }
#endif
  Output(msg_buf, msg_len);
}

[[maybe_unused]] void BuildDropped(uint32_t count) {
  BeginMessage();
#ifdef CONFIG_LOG_DICTIONARY_SUPPORT
  RecordHeader(kRecordDropped, 0, kNoModule, count);
  RecordEnd();
#else
  cbprintf(PutChar, nullptr, "--- %u messages dropped ---\n", static_cast<unsigned>(count));
#endif
}

}  // namespace
}  // namespace gale::logging

using namespace gale::logging;

extern "C" void z_log_printf(const gale_log_module *module, uint8_t level, const char *fmt, ...) {
#ifdef CONFIG_LOG_DICTIONARY_SUPPORT
  ARG_UNUSED(module);
  ARG_UNUSED(level);
  ARG_UNUSED(fmt);
#else
  if (!Enabled(module, level)) {
    return;
  }
  unsigned key = irq_lock();
  BeginMessage();
  TextPrefix(module, level);
  va_list ap;
  va_start(ap, fmt);
  cbvprintf(PutChar, nullptr, fmt, ap);
  va_end(ap);
  TextEnd(level);
  Commit();
  irq_unlock(key);
#endif
}

extern "C" void z_log_dict(const gale_log_module *module, uint8_t level, const char *fmt,
                           uint32_t types, ...) {
#ifndef CONFIG_LOG_DICTIONARY_SUPPORT
  ARG_UNUSED(module);
  ARG_UNUSED(level);
  ARG_UNUSED(fmt);
  ARG_UNUSED(types);
#else
  if (!Enabled(module, level)) {
    return;
  }
  unsigned key = irq_lock();
  BeginMessage();
  RecordHeader(kRecordLog, level, static_cast<uint16_t>(ModuleIndex(module)),
               static_cast<uint32_t>(reinterpret_cast<uintptr_t>(fmt)));
  va_list ap;
  va_start(ap, types);
  for (; types != 0; types >>= 3) {
    size_t mark = msg_len;
    uint8_t tag = types & 7U;
    Put(tag);
    if (tag == Z_LOG_ARG_U32) {
      uint32_t v = va_arg(ap, uint32_t);
      PutBytes(&v, sizeof(v));
    } else if (tag == Z_LOG_ARG_U64) {
      uint64_t v = va_arg(ap, uint64_t);
      PutBytes(&v, sizeof(v));
    } else if (tag == Z_LOG_ARG_DBL) {
      double v = va_arg(ap, double);
      PutBytes(&v, sizeof(v));
    } else {
      const char *s = va_arg(ap, const char *);
      if (s == nullptr) {
        s = "(null)";
      }
      size_t n = strlen(s);
      n = n > 255U ? 255U : n;
      Put(static_cast<uint8_t>(n));
      PutBytes(s, n);
    }
    if (msg_truncated || msg_len == sizeof(msg_buf)) {
      msg_len = mark;  // only whole arguments: the host reports the missing ones
      break;
    }
  }
  va_end(ap);
  RecordEnd();
  Commit();
  irq_unlock(key);
#endif
}

extern "C" void z_log_hexdump(const gale_log_module *module, uint8_t level, const void *data,
                              size_t length, const char *title) {
  if (!Enabled(module, level)) {
    return;
  }
  const auto *bytes = static_cast<const uint8_t *>(data);
  unsigned key = irq_lock();
  BeginMessage();
#ifdef CONFIG_LOG_DICTIONARY_SUPPORT
  RecordHeader(kRecordHexdump, level, static_cast<uint16_t>(ModuleIndex(module)),
               static_cast<uint32_t>(reinterpret_cast<uintptr_t>(title)));
  size_t room = sizeof(msg_buf) - kRecordHeader - 1;
  PutBytes(bytes, length < room ? length : room);
  RecordEnd();
#else
  TextPrefix(module, level);
  size_t indent = msg_len;
  PutString(title);
  Put('\n');
  // Lines of 16 bytes, as Zephyr prints them: hex in two groups of 8, then '|' and the
  // printable characters, aligned under the message text.
  for (size_t off = 0; off < length; off += 16) {
    for (size_t i = 0; i < indent; i++) {
      Put(' ');
    }
    for (size_t i = 0; i < 16; i++) {
      if (i == 8) {
        Put(' ');
      }
      if (off + i < length) {
        cbprintf(PutChar, nullptr, "%02x ", bytes[off + i]);
      } else {
        PutString("   ");
      }
    }
    Put('|');
    for (size_t i = 0; i < 16 && off + i < length; i++) {
      if (i == 8) {
        Put(' ');
      }
      uint8_t c = bytes[off + i];
      Put(c >= 0x20 && c < 0x7f ? c : '.');
    }
    Put('\n');
  }
  if (msg_len > 0) {
    msg_len--;  // TextEnd adds the last line ending
  }
  TextEnd(level);
#endif
  Commit();
  irq_unlock(key);
}

extern "C" bool log_process(void) {
#ifdef CONFIG_LOG_MODE_DEFERRED
  k_sched_lock();
  unsigned key = irq_lock();
  size_t n = 0;
  uint32_t dropped = 0;
  if (ring_count > 0) {
    n = RingGet(out_buf, sizeof(out_buf));
  }
  if (ring_count == 0) {
    dropped = dropped_pending;
    dropped_pending = 0;
  }
  irq_unlock(key);
  if (n > 0) {
    Output(out_buf, n);
  }
  if (dropped > 0) {
    // msg_buf belongs to whoever holds the irq lock: copy the note out before output.
    key = irq_lock();
    BuildDropped(dropped);
    n = msg_len;
    memcpy(out_buf, msg_buf, n);
    irq_unlock(key);
    Output(out_buf, n);
  }
  key = irq_lock();
  bool more = ring_count > 0 || dropped_pending > 0;
  irq_unlock(key);
  k_sched_unlock();
  return more;
#else
  return false;
#endif
}

extern "C" uint32_t log_buffered_cnt(void) {
#ifdef CONFIG_LOG_MODE_DEFERRED
  return ring_count;
#else
  return 0;
#endif
}

extern "C" void log_panic(void) {
  unsigned key = irq_lock();
  if (!panic_mode) {
#ifdef CONFIG_LOG_MODE_DEFERRED
    while (ring_count > 0) {
      size_t n = RingGet(out_buf, sizeof(out_buf));
      Output(out_buf, n);
    }
    if (dropped_pending > 0) {
      BuildDropped(dropped_pending);
      dropped_pending = 0;
      Output(msg_buf, msg_len);
    }
#endif
    panic_mode = true;
  }
  irq_unlock(key);
}

extern "C" size_t gale_log_module_count(void) {
  return static_cast<size_t>(_gale_log_module_list_end - _gale_log_module_list_start);
}

extern "C" const char *gale_log_module_name(size_t index) {
  return index < gale_log_module_count() ? _gale_log_module_list_start[index].name : nullptr;
}

extern "C" int gale_log_module_find(const char *name) {
  for (size_t i = 0; i < gale_log_module_count(); i++) {
    if (strcmp(_gale_log_module_list_start[i].name, name) == 0) {
      return static_cast<int>(i);
    }
  }
  return -ENOENT;
}

extern "C" int gale_log_level_get(size_t index) {
  return index < gale_log_module_count() ? _gale_log_rt_list_start[index].level : -EINVAL;
}

extern "C" int gale_log_compiled_level_get(size_t index) {
  return index < gale_log_module_count() ? _gale_log_module_list_start[index].compiled_level
                                         : -EINVAL;
}

extern "C" int gale_log_level_set(size_t index, unsigned level) {
  if (index >= gale_log_module_count() || level > LOG_LEVEL_DBG) {
    return -EINVAL;
  }
  unsigned compiled = _gale_log_module_list_start[index].compiled_level;
  _gale_log_rt_list_start[index].level = static_cast<uint8_t>(level < compiled ? level : compiled);
  return _gale_log_rt_list_start[index].level;
}

extern "C" uint32_t log_src_cnt_get(uint32_t domain_id) {
  return domain_id == 0 ? static_cast<uint32_t>(gale_log_module_count()) : 0;
}

extern "C" const char *log_source_name_get(uint32_t domain_id, uint32_t source_id) {
  return domain_id == 0 ? gale_log_module_name(source_id) : nullptr;
}

extern "C" uint32_t log_filter_set(struct log_backend const *backend, uint32_t domain_id,
                                   int16_t source_id, uint32_t level) {
  ARG_UNUSED(backend);
  if (domain_id != 0) {
    return LOG_LEVEL_NONE;
  }
  if (level > LOG_LEVEL_DBG) {
    level = LOG_LEVEL_DBG;
  }
  if (source_id < 0) {
    uint32_t max = 0;
    for (size_t i = 0; i < gale_log_module_count(); i++) {
      auto set = static_cast<uint32_t>(gale_log_level_set(i, level));
      max = set > max ? set : max;
    }
    return max;
  }
  int set = gale_log_level_set(static_cast<size_t>(source_id), level);
  return set < 0 ? LOG_LEVEL_NONE : static_cast<uint32_t>(set);
}

extern "C" uint32_t gale_log_dropped_total(void) {
  return dropped_total;
}

extern "C" void gale_log_hook_set(gale_log_hook_t fn, void *ctx) {
  unsigned key = irq_lock();
  hook = fn;
  hook_ctx = ctx;
  irq_unlock(key);
}

#ifdef CONFIG_LOG_MODE_DEFERRED
namespace {
void LogThread(void *, void *, void *) {
  for (;;) {
    k_sem_take(&log_sem, K_FOREVER);
    while (log_process()) {
    }
  }
}
}  // namespace

K_THREAD_DEFINE(logging, CONFIG_LOG_PROCESS_THREAD_STACK_SIZE, LogThread, nullptr, nullptr, nullptr,
                K_LOWEST_APPLICATION_THREAD_PRIO, 0, 0);
#endif
