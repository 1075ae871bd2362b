// Timers. A running timer is a pending timeout; at expiry (in the clock interrupt, interrupts
// locked) a periodic timer re-arms itself before anything else runs, counting from the tick of
// the expiry being handled, so its period never drifts with interrupt latency or callback time.
#include <gale/kernel.h>

#include <kernel_trace.h>
#include <ksched.h>

using namespace gale::kernel;

namespace {

void TimerExpired(_timeout *timeout) {
  k_timer *timer = CONTAINER_OF(timeout, k_timer, timeout);
  SYS_TRACE_OBJECT(GALE_TRACE_TIMER_EXPIRY, timer);
  // Re-arm first, so that the expiry function may stop or restart the timer. Inside the clock
  // announcement the current tick is this expiry's tick, and AddTimeout() adds one tick for a
  // relative timeout: period - 1 puts the next expiry exactly one period after this one.
  if (timer->period.ticks > 0) {
    AddTimeout(&timer->timeout, TimerExpired, K_TICKS(timer->period.ticks - 1));
  }
  timer->status++;
  if (timer->expiry_fn != nullptr) {
    timer->expiry_fn(timer);
  }
  // The interrupt's exit switches to the woken thread if it should run.
  (void)WakeFirst(&timer->wait_q, 0, nullptr);
}

}  // namespace

extern "C" {

void k_timer_init(struct k_timer *timer, k_timer_expiry_t expiry_fn, k_timer_stop_t stop_fn) {
  TimeoutInit(&timer->timeout);
  WaitQueueInit(&timer->wait_q);
  timer->expiry_fn = expiry_fn;
  timer->stop_fn = stop_fn;
  timer->period = K_NO_WAIT;
  timer->status = 0;
  timer->user_data = nullptr;
}

void k_timer_start(struct k_timer *timer, k_timeout_t duration, k_timeout_t period) {
  if (K_TIMEOUT_EQ(duration, K_FOREVER)) {
    return;
  }
  if (Z_IS_TIMEOUT_RELATIVE(duration)) {
    // Count the duration from the current tick's start, as the period is counted from the
    // expiry's tick (see TimerExpired()); K_NO_WAIT expires at the next tick.
    duration.ticks = MAX(duration.ticks - 1, static_cast<k_ticks_t>(0));
  }
  SYS_TRACE_OBJECT(GALE_TRACE_TIMER_START, timer);
  IrqLock lock;
  (void)AbortTimeout(&timer->timeout);
  timer->period = period;
  timer->status = 0;
  AddTimeout(&timer->timeout, TimerExpired, duration);
}

void k_timer_stop(struct k_timer *timer) {
  SYS_TRACE_OBJECT(GALE_TRACE_TIMER_STOP, timer);
  {
    IrqLock lock;
    if (!AbortTimeout(&timer->timeout)) {
      return;
    }
  }
  // Outside the lock: the stop function may restart the timer or take a while.
  if (timer->stop_fn != nullptr) {
    timer->stop_fn(timer);
  }
  IrqLock lock;
  if (WakeFirst(&timer->wait_q, 0, nullptr) != nullptr) {
    Reschedule(lock);
  }
}

uint32_t k_timer_status_get(struct k_timer *timer) {
  IrqLock lock;
  uint32_t status = timer->status;
  timer->status = 0;
  return status;
}

uint32_t k_timer_status_sync(struct k_timer *timer) {
  __ASSERT(!arch_is_in_isr(), "k_timer_status_sync() from an interrupt handler");
  {
    IrqLock lock;
    if (timer->status == 0U && TimeoutPending(&timer->timeout)) {
      // Woken by the next expiry or by k_timer_stop().
      (void)PendCurrent(&timer->wait_q, K_FOREVER, lock);
    }
  }
  IrqLock lock;
  uint32_t status = timer->status;
  timer->status = 0;
  return status;
}

k_ticks_t k_timer_expires_ticks(const struct k_timer *timer) {
  IrqLock lock;
  return TimeoutPending(&timer->timeout) ? TimeoutExpires(&timer->timeout) : UptimeTicksLocked();
}

k_ticks_t k_timer_remaining_ticks(const struct k_timer *timer) {
  IrqLock lock;
  return TimeoutRemaining(&timer->timeout);
}

}  // extern "C"
