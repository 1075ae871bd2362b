// The scheduler's internal interface: thread states, the ready queue, wait queues, timeouts.
// Every kernel object is written against these functions; they run with interrupts locked
// (the caller holds an IrqLock) unless said otherwise.
#ifndef GALE_KERNEL_INCLUDE_KSCHED_H_
#define GALE_KERNEL_INCLUDE_KSCHED_H_

#include <gale/arch.h>
#include <gale/kernel.h>

// Thread state bits (k_thread::base.thread_state).
#define _THREAD_DUMMY (1U << 0)      // the start-up context before the first switch
#define _THREAD_PENDING (1U << 1)    // on a wait queue
#define _THREAD_PRESTART (1U << 2)   // created, not started
#define _THREAD_DEAD (1U << 3)       // exited or aborted
#define _THREAD_SUSPENDED (1U << 4)  // k_thread_suspend()
#define _THREAD_SLEEPING (1U << 5)   // k_sleep()
#define _THREAD_QUEUED (1U << 7)     // in the ready queue

extern "C" {

// The kernel's global state. The Cortex-M context switch reads the first two fields from
// assembly: keep them first.
struct z_kernel {
  struct k_thread *current;      // the thread running now
  struct k_thread *ready_cache;  // the thread that should run now (the switch target)
  struct k_thread *idle_thread;
  struct k_thread *threads;      // every live thread (k_thread_foreach)
  bool pre_kernel;               // still in the PRE_KERNEL init levels
};
extern struct z_kernel _kernel;

// Called by the system clock driver from its interrupt with the ticks elapsed since the last
// call.
void sys_clock_announce(int32_t ticks);

// The system clock driver's interface (drivers/timer/).
// Ask for an interrupt after @p ticks ticks (K_TICKS_FOREVER: none needed); tickless only.
void sys_clock_set_timeout(int32_t ticks, bool idle);
// Ticks elapsed since the last sys_clock_announce().
uint32_t sys_clock_elapsed(void);
uint32_t sys_clock_cycle_get_32(void);
uint64_t sys_clock_cycle_get_64(void);
// Set up the driver (from the kernel, before threads run).
void sys_clock_driver_init(void);

}  // extern "C"

namespace gale::kernel {

// RAII interrupt lock. Release() hands the key to a function that unlocks for the caller
// (Reschedule(), PendCurrent()), so the destructor does not unlock twice.
//
// Always inlined: every kernel call takes one, and at -Os GCC would otherwise call the
// constructor and destructor out of line (four calls and returns, and a lock object in memory,
// per kernel call; about 10% of a k_yield()).
class IrqLock {
 public:
  ALWAYS_INLINE IrqLock() : key_(arch_irq_lock()) {}
  ALWAYS_INLINE ~IrqLock() {
    if (held_) {
      arch_irq_unlock(key_);
    }
  }
  IrqLock(const IrqLock &) = delete;
  IrqLock &operator=(const IrqLock &) = delete;

  ALWAYS_INLINE unsigned int Release() {
    held_ = false;
    return key_;
  }
  ALWAYS_INLINE unsigned int key() const { return key_; }

 private:
  unsigned int key_;
  bool held_ = true;
};

ALWAYS_INLINE k_thread *Current() {
  return _kernel.current;
}

ALWAYS_INLINE bool IsMetaIrq(const k_thread *thread) {
#if CONFIG_NUM_METAIRQ_PRIORITIES > 0
  return thread->base.prio < K_HIGHEST_THREAD_PRIO + CONFIG_NUM_METAIRQ_PRIORITIES;
#else
  (void)thread;
  return false;
#endif
}

ALWAYS_INLINE bool IsPreemptible(const k_thread *thread) {
  return thread->base.prio >= 0 && thread->base.sched_locked == 0U;
}

// Whether nothing keeps @p thread from running.
ALWAYS_INLINE bool IsRunnable(const k_thread *thread) {
  return (thread->base.thread_state & (_THREAD_PENDING | _THREAD_PRESTART | _THREAD_DEAD |
                                       _THREAD_SUSPENDED | _THREAD_SLEEPING | _THREAD_DUMMY)) ==
         0U;
}

// Set up the ready queue: once, at boot, before any thread is readied.
void InitScheduler();
// Put a runnable thread in the ready queue (no-op when it already is or cannot run).
void ReadyThread(k_thread *thread);
// Take a thread out of the ready queue.
void UnreadyThread(k_thread *thread);
// Block the current thread on @p wait_q (nullptr: just sleep) for up to @p timeout, unlocking
// the interrupt lock whose key is @p key. Returns the value the waker set (0 or an errno),
// -EAGAIN on timeout.
int PendCurrentUnlock(_wait_q_t *wait_q, k_timeout_t timeout, unsigned int key);
// As PendCurrentUnlock(), releasing @p lock.
//
// The wrappers that take an IrqLock (this one, Reschedule()) are inlined and hand the
// out-of-line function the key, not the lock: a lock whose address escapes to a call is kept in
// memory for the whole caller, fast path included.
ALWAYS_INLINE int PendCurrent(_wait_q_t *wait_q, k_timeout_t timeout, IrqLock &lock) {
  return PendCurrentUnlock(wait_q, timeout, lock.Release());
}
// Take the highest-priority waiter off @p wait_q (its timeout cancelled), not yet ready.
k_thread *UnpendFirst(_wait_q_t *wait_q);
// Take @p thread off the wait queue it is pended on.
void UnpendThread(k_thread *thread);
// Wake the first waiter of @p wait_q with @p retval and @p data. Returns it, or nullptr.
k_thread *WakeFirst(_wait_q_t *wait_q, int retval, void *data);
// Wake every waiter of @p wait_q with @p retval; returns whether there was one.
bool WakeAll(_wait_q_t *wait_q, int retval);
// Switch to a higher-priority ready thread if one should run, then unlock the interrupt lock
// whose key is @p key.
void RescheduleUnlock(unsigned int key);
// As RescheduleUnlock(), releasing @p lock.
ALWAYS_INLINE void Reschedule(IrqLock &lock) {
  RescheduleUnlock(lock.Release());
}
// As Reschedule(), taking the lock itself.
void RescheduleUnlocked();
// Change a thread's priority and requeue it (ready queue or wait queue).
void SetPriority(k_thread *thread, int prio);
// Insert @p thread into @p wait_q in priority order.
void WaitQueueInsert(_wait_q_t *wait_q, k_thread *thread);
ALWAYS_INLINE k_thread *WaitQueueHead(_wait_q_t *wait_q) {
  sys_dnode_t *node = sys_dlist_peek_head(&wait_q->waitq);
  return node != nullptr ? CONTAINER_OF(node, k_thread, base.qnode_dlist) : nullptr;
}
ALWAYS_INLINE void WaitQueueInit(_wait_q_t *wait_q) {
  sys_dlist_init(&wait_q->waitq);
}

// Timeouts (timeout.cc).
void AddTimeout(_timeout *timeout, _timeout_func_t fn, k_timeout_t duration);
// Cancel a pending timeout. Returns false when it was not pending.
bool AbortTimeout(_timeout *timeout);
ALWAYS_INLINE bool TimeoutPending(const _timeout *timeout) {
  return sys_dnode_is_linked(&timeout->node);
}
ALWAYS_INLINE void TimeoutInit(_timeout *timeout) {
  sys_dnode_init(&timeout->node);
}
// Ticks until @p timeout expires (0 when not pending).
k_ticks_t TimeoutRemaining(const _timeout *timeout);
// Uptime in ticks at which @p timeout expires (now when not pending).
k_ticks_t TimeoutExpires(const _timeout *timeout);
// Uptime in ticks, with interrupts already locked.
int64_t UptimeTicksLocked();

// The earliest timeout or the end of the time slice changed: a tickless clock driver is asked
// for an interrupt then (timeout.cc).
void ClockTimeoutChanged();

// Time slicing (sched.cc). TimeSliceAnnounce(): from the clock interrupt, after the uptime
// advanced; rotates the current thread behind its equals when its slice is used up.
void TimeSliceAnnounce();
// Ticks until the running slice ends (K_TICKS_FOREVER: none is running).
int32_t TimeSliceTicksLeft();

}  // namespace gale::kernel

#endif  // GALE_KERNEL_INCLUDE_KSCHED_H_
