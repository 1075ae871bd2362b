// Timeouts and the system clock: pending timeouts wait in one list sorted by expiry, each
// holding its distance in ticks from its predecessor, so the clock interrupt only looks at the
// head. In tickless mode the clock driver is asked for an interrupt at the head's expiry only.
#include <gale/arch.h>
#include <gale/kernel.h>

#include <ksched.h>

namespace gale::kernel {
namespace {

sys_dlist_t timeout_list = SYS_DLIST_STATIC_INIT(&timeout_list);
// Uptime in ticks at the last announcement (or as far as the one in progress has got).
int64_t curr_tick;
// Ticks of the announcement in progress not yet applied; 0 outside sys_clock_announce().
int32_t announce_remaining;
// Inside sys_clock_announce(), which programs the clock's next interrupt when it ends.
bool announcing;

_timeout *First() {
  sys_dnode_t *node = sys_dlist_peek_head(&timeout_list);
  return node != nullptr ? CONTAINER_OF(node, _timeout, node) : nullptr;
}

_timeout *Next(_timeout *timeout) {
  sys_dnode_t *node = sys_dlist_peek_next(&timeout_list, &timeout->node);
  return node != nullptr ? CONTAINER_OF(node, _timeout, node) : nullptr;
}

// Ticks elapsed since curr_tick: the driver's count, except inside an announcement, where
// curr_tick is being advanced to the present.
int32_t Elapsed() {
  return announce_remaining == 0 ? static_cast<int32_t>(sys_clock_elapsed()) : 0;
}

// Ticks until the next interrupt is needed, counted from now.
[[maybe_unused]] int32_t NextTimeoutTicks() {
  _timeout *first = First();
  int64_t ticks = first != nullptr ? MAX(first->dticks - Elapsed(), 0) : K_TICKS_FOREVER;
  int32_t slice = TimeSliceTicksLeft();
  if (slice != K_TICKS_FOREVER && (ticks == K_TICKS_FOREVER || slice < ticks)) {
    ticks = slice;
  }
  if (ticks > INT32_MAX) {
    ticks = INT32_MAX;
  }
  return static_cast<int32_t>(ticks);
}

}  // namespace

void AddTimeout(_timeout *timeout, _timeout_func_t fn, k_timeout_t duration) {
  __ASSERT(!sys_dnode_is_linked(&timeout->node), "timeout added twice");
  timeout->fn = fn;
  if (Z_IS_TIMEOUT_RELATIVE(duration)) {
    // The current tick has partly passed: wait one more so that at least the full duration
    // elapses.
    timeout->dticks = duration.ticks + 1 + Elapsed();
  } else {
    timeout->dticks = MAX(static_cast<int64_t>(1), Z_TICK_ABS(duration.ticks) - curr_tick);
  }
  _timeout *t;
  for (t = First(); t != nullptr; t = Next(t)) {
    if (t->dticks > timeout->dticks) {
      t->dticks -= timeout->dticks;
      sys_dlist_insert(&t->node, &timeout->node);
      break;
    }
    timeout->dticks -= t->dticks;
  }
  if (t == nullptr) {
    sys_dlist_append(&timeout_list, &timeout->node);
  }
  if (timeout == First()) {
    ClockTimeoutChanged();
  }
}

void ClockTimeoutChanged() {
#ifdef CONFIG_TICKLESS_KERNEL
  if (!announcing) {
    sys_clock_set_timeout(NextTimeoutTicks(), false);
  }
#endif
}

bool AbortTimeout(_timeout *timeout) {
  if (!sys_dnode_is_linked(&timeout->node)) {
    return false;
  }
  _timeout *next = Next(timeout);
  if (next != nullptr) {
    next->dticks += timeout->dticks;
  }
  sys_dlist_remove(&timeout->node);
  return true;
}

k_ticks_t TimeoutRemaining(const _timeout *timeout) {
  if (!sys_dnode_is_linked(&timeout->node)) {
    return 0;
  }
  int64_t ticks = 0;
  for (_timeout *t = First(); t != nullptr; t = Next(t)) {
    ticks += t->dticks;
    if (t == timeout) {
      break;
    }
  }
  return MAX(ticks - Elapsed(), static_cast<int64_t>(0));
}

k_ticks_t TimeoutExpires(const _timeout *timeout) {
  // Not pending: "now", as Zephyr documents for k_thread_timeout_expires_ticks() and
  // k_timer_expires_ticks().
  return curr_tick + Elapsed() + TimeoutRemaining(timeout);
}

int64_t UptimeTicksLocked() {
  return curr_tick + Elapsed();
}

}  // namespace gale::kernel

using namespace gale::kernel;

extern "C" {

void sys_clock_announce(int32_t ticks) {
  IrqLock lock;
  announcing = true;
  announce_remaining = ticks;
  for (_timeout *t = First(); t != nullptr && t->dticks <= announce_remaining; t = First()) {
    int64_t dt = t->dticks;
    curr_tick += dt;
    announce_remaining -= static_cast<int32_t>(dt);
    t->dticks = 0;
    sys_dlist_remove(&t->node);
    // Expiry functions run in interrupt context with interrupts locked; they may add
    // timeouts, which count from this expiry's tick.
    t->fn(t);
  }
  _timeout *first = First();
  if (first != nullptr) {
    first->dticks -= announce_remaining;
  }
  curr_tick += announce_remaining;
  announce_remaining = 0;
  TimeSliceAnnounce();
  announcing = false;
#ifdef CONFIG_TICKLESS_KERNEL
  sys_clock_set_timeout(NextTimeoutTicks(), false);
#endif
}

int64_t k_uptime_ticks(void) {
  IrqLock lock;
  return UptimeTicksLocked();
}

uint32_t k_cycle_get_32(void) {
  return sys_clock_cycle_get_32();
}

uint64_t k_cycle_get_64(void) {
  return sys_clock_cycle_get_64();
}

k_ticks_t k_thread_timeout_remaining_ticks(const struct k_thread *thread) {
  IrqLock lock;
  return TimeoutRemaining(&thread->base.timeout);
}

k_ticks_t k_thread_timeout_expires_ticks(const struct k_thread *thread) {
  IrqLock lock;
  return TimeoutExpires(&thread->base.timeout);
}

}  // extern "C"
