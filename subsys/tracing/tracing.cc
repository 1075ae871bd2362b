// The trace recorder: kernel hooks and user calls turn into small binary records (a type byte,
// the time since the previous record as a varint, varint fields; docs/tracing.md) written to
// the trace's own RTT up channel in skip mode. It records nothing until the host writes the
// start command on the matching down channel; the commands are looked at from the switch,
// idle and interrupt-exit hooks, which run often on any live system.
//
// Every record is composed on the stack and written with interrupts locked, with the clock
// read under the same lock, so records leave in time order. A record that does not fit is
// dropped and counted; the count goes out first in a DROPPED record once there is room. The
// time base advances only with records that went out, so the host's clock stays exact across
// drops.
#include <gale/tracing/tracing.h>

#include <string.h>

#include <gale/arch.h>
#include <gale/init.h>
#include <gale/kernel.h>
#include <gale/rtt.h>

#include <kernel_trace.h>
#include <ksched.h>

static_assert(CONFIG_TRACING_RTT_CHANNEL < CONFIG_SEGGER_RTT_MAX_NUM_UP_BUFFERS &&
                  CONFIG_TRACING_RTT_CHANNEL < CONFIG_SEGGER_RTT_MAX_NUM_DOWN_BUFFERS,
              "CONFIG_TRACING_RTT_CHANNEL needs that many RTT up and down channels");

extern "C" {
// From the port's linker script; absent (weak, zero) on ports that do not keep the note.
extern const uint8_t __gale_build_id_start[] __attribute__((weak));
extern const uint8_t __gale_build_id_end[] __attribute__((weak));
// For the host: where to find the trace without parsing channel names in target memory.
extern const uint32_t gale_trace_rtt_channel;
__attribute__((used)) const uint32_t gale_trace_rtt_channel = CONFIG_TRACING_RTT_CHANNEL;
}

namespace gale::trace {
namespace {

constexpr unsigned kChannel = CONFIG_TRACING_RTT_CHANNEL;
constexpr uint8_t kFormatVersion = 1;

// Record types (docs/tracing.md). The header starts with 'G' (0x47), above every type.
enum : uint8_t {
  kSwitch = 0x01,
  kReady = 0x02,
  kPend = 0x03,
  kCreate = 0x04,
  kName = 0x05,
  kExit = 0x06,
  kIsrEnter = 0x07,
  kIsrExit = 0x08,
  kIdle = 0x09,
  kObject = 0x0A,
  kMark = 0x0B,
  kCounter = 0x0C,
  kDropped = 0x0D,
  kThreadInfo = 0x0E,
  kSnapshotEnd = 0x0F,
  kStop = 0x10,
};

// Host commands on the down channel.
constexpr char kCommandStart = 'S';
constexpr char kCommandStop = 'P';

char up_ring[CONFIG_TRACING_BUFFER_SIZE];
char down_ring[16];

struct State {
  volatile bool active;
  bool configured;
  uint32_t last_time;  // the clock at the last record that went out
  uint32_t dropped;    // records lost since the last DROPPED record
};
State state;

// Puts a whole record into the trace's up ring, or nothing (skip mode). The recorder owns the
// channel and holds interrupts locked, so it writes the ring itself: going through
// SEGGER_RTT_WriteNoLock() (mode checks, two memcpy() calls) cost half of a record.
bool RingPut(const uint8_t *data, unsigned len) {
  gale_rtt_buffer &b = _SEGGER_RTT.aUp[kChannel];
  const unsigned size = b.SizeOfBuffer;
  unsigned wr = b.WrOff;
  unsigned rd = *static_cast<volatile unsigned *>(&b.RdOff);
  if (rd >= size || wr >= size) {
    return false;  // offsets a host broke: write nothing rather than outside the ring
  }
  unsigned free = rd > wr ? rd - wr - 1U : size - (wr - rd) - 1U;
  if (free < len) {
    return false;
  }
  char *ring = b.pBuffer;
  for (unsigned i = 0; i < len; i++) {
    ring[wr] = static_cast<char>(data[i]);
    if (++wr == size) {
      wr = 0;
    }
  }
  // The data before the offset that publishes it.
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  *static_cast<volatile unsigned *>(&b.WrOff) = wr;
  return true;
}

inline uintptr_t IdBase() {
  return reinterpret_cast<uintptr_t>(&_kernel);
}

inline uint32_t Now() {
  return k_cycle_get_32();
}

bool SendDropped(uint32_t now);

// A record under construction: room for the type and a 5-byte time delta in front of the
// fields, filled in by Commit() once the clock is read.
class Record {
 public:
  ALWAYS_INLINE explicit Record(uint8_t type) : type_(type) {}

  ALWAYS_INLINE void U8(uint8_t v) { Put(v); }
  ALWAYS_INLINE void Var(uint32_t v) {
    while (v >= 0x80U) {
      Put(static_cast<uint8_t>(v | 0x80U));
      v >>= 7;
    }
    Put(static_cast<uint8_t>(v));
  }
  ALWAYS_INLINE void Zig(int32_t v) { Var((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31)); }
  // Kernel objects and threads: their distance from the kernel's state, which is short for
  // anything in RAM.
  ALWAYS_INLINE void Id(const void *p) {
    Zig(static_cast<int32_t>(reinterpret_cast<uintptr_t>(p) - IdBase()));
  }
  void Text(const char *s, unsigned max) {
    unsigned n = 0;
    while (n < max && s[n] != '\0') {
      n++;
    }
    U8(static_cast<uint8_t>(n));
    for (unsigned i = 0; i < n; i++) {
      Put(static_cast<uint8_t>(s[i]));
    }
  }

  // Stamps and writes the record; interrupts must be locked.
  void CommitLocked() {
    uint32_t now = Now();
    if (state.dropped != 0U) {
      if (!SendDropped(now)) {
        state.dropped++;
        return;
      }
      state.dropped = 0;
    }
    if (!Send(now)) {
      state.dropped++;
    }
  }

  void Commit() {
    unsigned int key = arch_irq_lock();
    if (state.active) {
      CommitLocked();
    }
    arch_irq_unlock(key);
  }

 private:
  static constexpr unsigned kHead = 6;  // type + up to 5 varint bytes of time delta

  // Records are far smaller than the buffer (names are bounded): no check needed but a cheap one.
  ALWAYS_INLINE void Put(uint8_t v) {
    if (n_ < sizeof(buf_)) {
      buf_[n_++] = v;
    }
  }

  ALWAYS_INLINE bool Send(uint32_t now) {
    uint8_t delta[5];
    unsigned len = 0;
    uint32_t d = now - state.last_time;
    while (d >= 0x80U) {
      delta[len++] = static_cast<uint8_t>(d | 0x80U);
      d >>= 7;
    }
    delta[len++] = static_cast<uint8_t>(d);
    unsigned start = kHead - len - 1U;
    buf_[start] = type_;
    for (unsigned i = 0; i < len; i++) {  // a byte or two: a call to memcpy() cost more
      buf_[start + 1U + i] = delta[i];
    }
    if (!RingPut(&buf_[start], n_ - start)) {
      return false;
    }
    state.last_time = now;
    return true;
  }

  uint8_t type_;
  unsigned n_ = kHead;
  uint8_t buf_[kHead + 48];
};

// The DROPPED record, from a small buffer of its own: this runs below every hook, on every
// thread's stack (kernel tests measure their stack use).
__attribute__((noinline)) bool SendDropped(uint32_t now) {
  uint8_t rec[11];
  unsigned n = 0;
  rec[n++] = kDropped;
  uint32_t fields[2] = {now - state.last_time, state.dropped};
  for (uint32_t v : fields) {
    while (v >= 0x80U) {
      rec[n++] = static_cast<uint8_t>(v | 0x80U);
      v >>= 7;
    }
    rec[n++] = static_cast<uint8_t>(v);
  }
  if (!RingPut(rec, n)) {
    return false;
  }
  state.last_time = now;
  return true;
}

// The GNU build-id note's descriptor (the id bytes), or an empty span.
const uint8_t *BuildId(unsigned *len) {
  uintptr_t start;
  uintptr_t end;
  // Hidden from the optimiser: C++ holds that no object's address is null, and a weak symbol's
  // is when the port keeps no note.
  __asm__("" : "=r"(start) : "0"(__gale_build_id_start));
  __asm__("" : "=r"(end) : "0"(__gale_build_id_end));
  *len = 0;
  if (start == 0U || end < start + 16U) {
    return nullptr;
  }
  const auto *note = reinterpret_cast<const uint8_t *>(start);
  uint32_t namesz;
  uint32_t descsz;
  uint32_t type;
  memcpy(&namesz, note, 4);
  memcpy(&descsz, note + 4, 4);
  memcpy(&type, note + 8, 4);
  uint32_t desc = 12U + ((namesz + 3U) & ~3U);
  if (type != 3U || descsz > 64U || start + desc + descsz > end) {  // NT_GNU_BUILD_ID
    return nullptr;
  }
  *len = descsz;
  return note + desc;
}

void WriteRaw(const uint8_t *data, unsigned len) {
  if (!RingPut(data, len)) {
    state.dropped++;
  }
}

// Header and thread snapshot; interrupts locked.
void StartLocked() {
  state.active = true;
  state.dropped = 0;
  state.last_time = Now();
  uint8_t header[16 + 64];
  unsigned id_len;
  const uint8_t *id = BuildId(&id_len);
  uint32_t freq = static_cast<uint32_t>(sys_clock_hw_cycles_per_sec());
  uint32_t base = static_cast<uint32_t>(IdBase());
  header[0] = 'G';
  header[1] = 'T';
  header[2] = 'R';
  header[3] = 'C';
  header[4] = kFormatVersion;
  header[5] = static_cast<uint8_t>(13U + id_len);  // bytes after this one
  memcpy(&header[6], &freq, 4);
  memcpy(&header[10], &state.last_time, 4);
  memcpy(&header[14], &base, 4);
  header[18] = static_cast<uint8_t>(id_len);
  if (id_len != 0U) {
    memcpy(&header[19], id, id_len);
  }
  WriteRaw(header, 19U + id_len);
  uint32_t count = 0;
  for (k_thread *t = _kernel.threads; t != nullptr; t = t->next_thread) {
    Record r(kThreadInfo);
    r.Id(t);
    r.Zig(t->base.prio);
#ifdef CONFIG_THREAD_NAME
    r.Text(t->name, CONFIG_THREAD_MAX_NAME_LEN);
#else
    r.U8(0);
#endif
    r.CommitLocked();
    count++;
  }
  Record end(kSnapshotEnd);
  end.Var(count);
  end.CommitLocked();
  Record running(kSwitch);
  running.Id(_kernel.current);
  running.CommitLocked();
}

// Reads host commands. Returns whether a capture runs.
bool CheckCommands() {
  if (!state.configured) {
    return false;
  }
  const gale_rtt_buffer &down = _SEGGER_RTT.aDown[kChannel];
  if (down.WrOff == down.RdOff) {
    return state.active;
  }
  unsigned int key = arch_irq_lock();
  char cmd[8];
  unsigned n = SEGGER_RTT_ReadNoLock(kChannel, cmd, sizeof(cmd));
  for (unsigned i = 0; i < n; i++) {
    if (cmd[i] == kCommandStart) {
      StartLocked();
    } else if (cmd[i] == kCommandStop && state.active) {
      Record stop(kStop);
      stop.CommitLocked();
      state.active = false;
    }
  }
  arch_irq_unlock(key);
  return state.active;
}

// Whether a capture runs; while none does, every hook also looks for the start command, so that
// a thread that never blocks is traced from the first event after the host asked.
ALWAYS_INLINE bool Active() {
  if (likely(state.active)) {
    return true;
  }
  // Inline, the common case: nothing from the host (also before Configure(): both are 0).
  const gale_rtt_buffer &down = _SEGGER_RTT.aDown[kChannel];
  if (*static_cast<const volatile unsigned *>(&down.WrOff) ==
      *static_cast<const volatile unsigned *>(&down.RdOff)) {
    return false;
  }
  return CheckCommands();
}

void ThreadEvent(uint8_t type, const k_thread *thread) {
  if (!Active()) {
    return;
  }
  Record r(type);
  r.Id(thread);
  r.Commit();
}

int Configure() {
  // A read the optimiser keeps, so that the linker keeps the symbol the host looks for.
  (void)*static_cast<const volatile uint32_t *>(&gale_trace_rtt_channel);
  // Skip mode: a record that does not fit is dropped whole, never trimmed or waited for.
  gale_rtt_config_up(kChannel, "GaleTrace", up_ring, sizeof(up_ring),
                     SEGGER_RTT_MODE_NO_BLOCK_SKIP);
  gale_rtt_config_down(kChannel, "GaleTrace", down_ring, sizeof(down_ring), 0);
  state.configured = true;
#ifdef CONFIG_TRACING_START_AT_BOOT
  unsigned int key = arch_irq_lock();
  StartLocked();
  arch_irq_unlock(key);
#endif
  return 0;
}

}  // namespace
}  // namespace gale::trace

using namespace gale::trace;

// After the RTT control block (priority 0).
SYS_INIT(Configure, PRE_KERNEL_1, 1);

extern "C" {

void gale_trace_hook_switch(void) {
  if (!CheckCommands()) {
    return;
  }
  k_thread *next = _kernel.ready_cache;
  if (next == _kernel.current) {
    return;
  }
  Record r(kSwitch);
  r.Id(next);
  r.Commit();
}

void gale_trace_hook_isr_enter(uint32_t irq) {
  if (!Active()) {
    return;
  }
  Record r(kIsrEnter);
  r.Var(irq);
  r.Commit();
}

void gale_trace_hook_isr_exit(void) {
  if (!CheckCommands()) {
    return;
  }
  Record r(kIsrExit);
  r.Commit();
}

void gale_trace_hook_thread_ready(struct k_thread *thread) {
  ThreadEvent(kReady, thread);
}

void gale_trace_hook_thread_pend(struct k_thread *thread, const void *wait_q) {
  if (!Active()) {
    return;
  }
  Record r(kPend);
  r.Id(thread);
  r.Id(wait_q);
  r.Commit();
}

void gale_trace_hook_thread_create(struct k_thread *thread) {
  if (!Active()) {
    return;
  }
  Record r(kCreate);
  r.Id(thread);
  r.Zig(thread->base.prio);
  r.Commit();
}

void gale_trace_hook_thread_name(struct k_thread *thread) {
  if (!Active()) {
    return;
  }
  Record r(kName);
  r.Id(thread);
#ifdef CONFIG_THREAD_NAME
  r.Text(thread->name, CONFIG_THREAD_MAX_NAME_LEN);
#else
  r.U8(0);
#endif
  r.Commit();
}

void gale_trace_hook_thread_exit(struct k_thread *thread) {
  ThreadEvent(kExit, thread);
}

void gale_trace_hook_idle(void) {
  if (!CheckCommands()) {
    return;
  }
  Record r(kIdle);
  r.Commit();
}

void gale_trace_hook_object(enum gale_trace_object_op op, const void *object) {
  if (!Active()) {
    return;
  }
  Record r(kObject);
  r.U8(static_cast<uint8_t>(op));
  r.Id(object);
  r.Commit();
}

static void Mark(uint8_t kind, uint32_t value) {
  if (!Active()) {
    return;
  }
  Record r(kMark);
  r.U8(kind);
  r.Var(value);
  r.Commit();
}

void gale_trace_mark(uint32_t id) {
  Mark(0, id);
}

void gale_trace_mark_named(const char *name) {
  Mark(1, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(name)));
}

void gale_trace_begin(const char *name) {
  Mark(2, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(name)));
}

void gale_trace_end(const char *name) {
  Mark(3, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(name)));
}

static void Counter(uint8_t kind, uint32_t id, int32_t value) {
  if (!Active()) {
    return;
  }
  Record r(kCounter);
  r.U8(kind);
  r.Var(id);
  r.Zig(value);
  r.Commit();
}

void gale_trace_counter(uint32_t id, int32_t value) {
  Counter(0, id, value);
}

void gale_trace_counter_named(const char *name, int32_t value) {
  Counter(1, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(name)), value);
}

int gale_trace_is_active(void) {
  return state.active ? 1 : 0;
}

}  // extern "C"
