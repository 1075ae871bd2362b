// The scheduler: one FIFO ready queue per priority with a bitmap of non-empty ones, so the
// next thread is found in constant time; priority-ordered wait queues; the preemption rules
// (cooperative threads and k_sched_lock() hold the CPU, meta-IRQ threads preempt anyway);
// optional EDF among equal priorities and time slicing.
#include <gale/arch.h>
#include <gale/kernel.h>

#include <kernel_trace.h>
#include <ksched.h>

extern "C" {
struct z_kernel _kernel;
}

namespace gale::kernel {
namespace {

constexpr int kNumPrios = CONFIG_NUM_COOP_PRIORITIES + CONFIG_NUM_PREEMPT_PRIORITIES;
constexpr int kBitmapWords = (kNumPrios + 31) / 32;

struct ReadyQueue {
  sys_dlist_t queues[kNumPrios];
  uint32_t bitmap[kBitmapWords];
};
ReadyQueue ready_q;

#if CONFIG_NUM_METAIRQ_PRIORITIES > 0
// The cooperative thread a meta-IRQ thread preempted: it resumes when the meta-IRQ blocks.
k_thread *metairq_preempted;
#endif

// Unsigned, so that the bitmap word and bit are a shift and a mask, not a signed division.
inline unsigned int PrioIndex(int prio) {
  return static_cast<unsigned int>(prio + CONFIG_NUM_COOP_PRIORITIES);
}

#ifdef CONFIG_SCHED_DEADLINE
// Whether @p a runs before @p b of the same priority: the earlier deadline (modular compare).
inline bool DeadlineBefore(const k_thread *a, const k_thread *b) {
  return static_cast<int32_t>(a->base.prio_deadline - b->base.prio_deadline) < 0;
}
#endif

ALWAYS_INLINE void QueueAdd(k_thread *thread) {
  unsigned int index = PrioIndex(thread->base.prio);
  __ASSERT(index < kNumPrios, "thread priority %d out of range", thread->base.prio);
  sys_dlist_t *queue = &ready_q.queues[index];
#ifdef CONFIG_SCHED_DEADLINE
  sys_dnode_t *node;
  SYS_DLIST_FOR_EACH_NODE(queue, node) {
    k_thread *other = CONTAINER_OF(node, k_thread, base.qnode_dlist);
    if (DeadlineBefore(thread, other)) {
      sys_dlist_insert(node, &thread->base.qnode_dlist);
      goto inserted;
    }
  }
#endif
  sys_dlist_append(queue, &thread->base.qnode_dlist);
#ifdef CONFIG_SCHED_DEADLINE
inserted:
#endif
  if constexpr (kBitmapWords == 1) {  // the default 31 priorities: no word to find
    ready_q.bitmap[0] |= 1U << index;
  } else {
    ready_q.bitmap[index / 32] |= 1U << (index % 32);
  }
  thread->base.thread_state |= _THREAD_QUEUED;
}

ALWAYS_INLINE void QueueRemove(k_thread *thread) {
  unsigned int index = PrioIndex(thread->base.prio);
  sys_dlist_remove(&thread->base.qnode_dlist);
  if (sys_dlist_is_empty(&ready_q.queues[index])) {
    if constexpr (kBitmapWords == 1) {
      ready_q.bitmap[0] &= ~(1U << index);
    } else {
      ready_q.bitmap[index / 32] &= ~(1U << (index % 32));
    }
  }
  thread->base.thread_state &= ~_THREAD_QUEUED;
}

// The hot paths (wake, block, yield, suspend, resume) inline QueueAdd(), QueueRemove() and
// UpdateCache(): their calls were a fifth of a context switch. The other paths (priority and
// deadline changes, scheduler unlock, time slices) call these out-of-line copies.
__attribute__((noinline)) void QueueAddCold(k_thread *thread) {
  QueueAdd(thread);
}
__attribute__((noinline)) void QueueRemoveCold(k_thread *thread) {
  QueueRemove(thread);
}

// Move a queued thread behind the others of its priority (k_yield(), time slices). Its queue
// stays non-empty, so the bitmap does not change.
void QueueMoveToBack(k_thread *thread) {
#ifdef CONFIG_SCHED_DEADLINE
  QueueRemoveCold(thread);
  QueueAddCold(thread);
#else
  sys_dlist_remove(&thread->base.qnode_dlist);
  sys_dlist_append(&ready_q.queues[PrioIndex(thread->base.prio)], &thread->base.qnode_dlist);
#endif
}

// The highest-priority ready thread, or the idle thread when none is.
ALWAYS_INLINE k_thread *HighestReady() {
  for (int word = 0; word < kBitmapWords; word++) {
    if (ready_q.bitmap[word] != 0U) {
      int index = word * 32 + __builtin_ctz(ready_q.bitmap[word]);
      sys_dnode_t *node = sys_dlist_peek_head_not_empty(&ready_q.queues[index]);
      return CONTAINER_OF(node, k_thread, base.qnode_dlist);
    }
  }
  return _kernel.idle_thread;
}

#ifdef CONFIG_TIMESLICING
// The slicing code is reached only through this table: set at build time when
// CONFIG_TIMESLICE_SIZE > 0, else by the first k_sched_time_slice_set(), so that images that
// never slice do not link it.
struct SliceOps {
  void (*start)(k_thread *thread);
  void (*announce)();
  int32_t (*ticks_left)();
};
extern const SliceOps *slice_ops;
#endif

void SetReadyCache(k_thread *next) {
#ifdef CONFIG_TIMESLICING
  // A thread gets a full slice each time it is chosen to run.
  if (next != _kernel.ready_cache && slice_ops != nullptr) {
    slice_ops->start(next);
  }
#endif
  _kernel.ready_cache = next;
}

// Recompute which thread should run. @p preempt_ok: the current thread gave up the CPU
// (blocked, yielded), so even a cooperative current thread is replaced.
ALWAYS_INLINE void UpdateCache(bool preempt_ok) {
  k_thread *current = _kernel.current;
  k_thread *next = HighestReady();
#if CONFIG_NUM_METAIRQ_PRIORITIES > 0
  if (metairq_preempted != nullptr && !IsMetaIrq(next)) {
    if (IsRunnable(metairq_preempted)) {
      next = metairq_preempted;
    }
    metairq_preempted = nullptr;
  }
#endif
  if (preempt_ok || !IsRunnable(current) || IsPreemptible(current)) {
    SetReadyCache(next);
    return;
  }
#if CONFIG_NUM_METAIRQ_PRIORITIES > 0
  if (IsMetaIrq(next) && next->base.prio < current->base.prio) {
    if (!IsMetaIrq(current)) {
      metairq_preempted = current;
    }
    SetReadyCache(next);
    return;
  }
#endif
  SetReadyCache(current);
}

__attribute__((noinline)) void UpdateCacheCold(bool preempt_ok) {
  UpdateCache(preempt_ok);
}

// Switch to _kernel.ready_cache (if it is not the current thread) and unlock @p key.
ALWAYS_INLINE int Swap(unsigned int key) {
  k_thread *current = _kernel.current;
  current->base.swap_retval = -EAGAIN;
  if (_kernel.ready_cache == current) {
    arch_irq_unlock(key);
    return current->base.swap_retval;
  }
  return arch_swap(key);
}

void ThreadTimeoutExpired(_timeout *timeout) {
  k_thread *thread = CONTAINER_OF(timeout, k_thread, base.timeout);
  if (thread->base.pended_on != nullptr) {
    UnpendThread(thread);
  }
  thread->base.thread_state &= ~_THREAD_SLEEPING;
  ReadyThread(thread);
}

#ifdef CONFIG_TIMESLICING
int32_t slice_ticks = static_cast<int32_t>(
    (static_cast<int64_t>(CONFIG_TIMESLICE_SIZE) * CONFIG_SYS_CLOCK_TICKS_PER_SEC + 999) / 1000);
int slice_max_prio = CONFIG_TIMESLICE_PRIORITY;
// The thread whose slice is running, and the uptime in ticks at which the slice ends. The end
// is absolute: with a tickless clock, an announcement can cover ticks from before the slice
// started.
k_thread *slice_thread;
int64_t slice_expiry;

bool Sliceable(const k_thread *thread) {
  return slice_ticks > 0 && thread != nullptr && thread != _kernel.idle_thread &&
         IsPreemptible(thread) && thread->base.prio >= slice_max_prio;
}

void StartSlice(k_thread *thread) {
  slice_thread = thread;
  if (slice_ticks == 0) {
    return;  // slicing is off: no need to read the clock at every switch
  }
  slice_expiry = UptimeTicksLocked() + slice_ticks;
  if (Sliceable(thread)) {
    // A tickless clock must interrupt at the end of the slice, maybe before the next timeout.
    ClockTimeoutChanged();
  }
}
#endif

}  // namespace

void InitScheduler() {
  for (auto &queue : ready_q.queues) {
    sys_dlist_init(&queue);
  }
}

namespace {

// Inline bodies of the exported functions below, for the hot paths in this file.
ALWAYS_INLINE void Ready(k_thread *thread) {
  if (!IsRunnable(thread) || (thread->base.thread_state & _THREAD_QUEUED) != 0U) {
    return;
  }
  QueueAdd(thread);
  SYS_TRACE_THREAD_READY(thread);
  UpdateCache(false);
}

ALWAYS_INLINE void InsertWaiter(_wait_q_t *wait_q, k_thread *thread) {
  sys_dlist_t *list = &wait_q->waitq;
  sys_dnode_t *tail = sys_dlist_peek_tail(list);
  // Most waits queue behind threads of equal or higher priority: append without a walk.
  if (tail == nullptr ||
      CONTAINER_OF(tail, k_thread, base.qnode_dlist)->base.prio <= thread->base.prio) {
    sys_dlist_append(list, &thread->base.qnode_dlist);
  } else {
    sys_dnode_t *node;
    SYS_DLIST_FOR_EACH_NODE(list, node) {
      if (CONTAINER_OF(node, k_thread, base.qnode_dlist)->base.prio > thread->base.prio) {
        sys_dlist_insert(node, &thread->base.qnode_dlist);
        break;
      }
    }
  }
  thread->base.pended_on = wait_q;
  thread->base.thread_state |= _THREAD_PENDING;
}

ALWAYS_INLINE void Unpend(k_thread *thread) {
  sys_dlist_remove(&thread->base.qnode_dlist);
  thread->base.pended_on = nullptr;
  thread->base.thread_state &= ~_THREAD_PENDING;
}

ALWAYS_INLINE k_thread *UnpendHead(_wait_q_t *wait_q) {
  k_thread *thread = WaitQueueHead(wait_q);
  if (thread != nullptr) {
    Unpend(thread);
    if (TimeoutPending(&thread->base.timeout)) {  // most waits have none
      AbortTimeout(&thread->base.timeout);
    }
  }
  return thread;
}

}  // namespace

void ReadyThread(k_thread *thread) {
  Ready(thread);
}

void UnreadyThread(k_thread *thread) {
  if ((thread->base.thread_state & _THREAD_QUEUED) != 0U) {
    QueueRemove(thread);
  }
  // The next thread is the current one or the highest ready one: a thread that is neither
  // leaves that choice as it is.
  if (thread == _kernel.current || thread == _kernel.ready_cache) {
    UpdateCache(thread == _kernel.current);
  }
}

void WaitQueueInsert(_wait_q_t *wait_q, k_thread *thread) {
  InsertWaiter(wait_q, thread);
}

int PendCurrentUnlock(_wait_q_t *wait_q, k_timeout_t timeout, unsigned int key) {
  k_thread *current = _kernel.current;
  __ASSERT(!arch_is_in_isr(), "an interrupt handler cannot block");
  if ((current->base.thread_state & _THREAD_QUEUED) != 0U) {
    QueueRemove(current);
  }
  if (wait_q != nullptr) {
    InsertWaiter(wait_q, current);
  } else {
    current->base.thread_state |= _THREAD_SLEEPING;
  }
  SYS_TRACE_THREAD_PEND(current, wait_q);
  if (!K_TIMEOUT_EQ(timeout, K_FOREVER)) {
    AddTimeout(&current->base.timeout, ThreadTimeoutExpired, timeout);
  }
  UpdateCache(true);
  return Swap(key);
}

void UnpendThread(k_thread *thread) {
  Unpend(thread);
}

k_thread *UnpendFirst(_wait_q_t *wait_q) {
  return UnpendHead(wait_q);
}

k_thread *WakeFirst(_wait_q_t *wait_q, int retval, void *data) {
  k_thread *thread = UnpendHead(wait_q);
  if (thread != nullptr) {
    thread->base.swap_retval = retval;
    thread->base.swap_data = data;
    Ready(thread);
  }
  return thread;
}

bool WakeAll(_wait_q_t *wait_q, int retval) {
  bool woke = false;
  while (WakeFirst(wait_q, retval, nullptr) != nullptr) {
    woke = true;
  }
  return woke;
}

void RescheduleUnlock(unsigned int key) {
  if (arch_is_in_isr() || _kernel.ready_cache == _kernel.current) {
    arch_irq_unlock(key);  // an interrupt's exit switches
    return;
  }
  (void)Swap(key);
}

void RescheduleUnlocked() {
  IrqLock lock;
  Reschedule(lock);
}

void SetPriority(k_thread *thread, int prio) {
  if ((thread->base.thread_state & _THREAD_QUEUED) != 0U) {
    QueueRemoveCold(thread);
    thread->base.prio = static_cast<int8_t>(prio);
    QueueAddCold(thread);
  } else if (thread->base.pended_on != nullptr) {
    _wait_q_t *wait_q = thread->base.pended_on;
    sys_dlist_remove(&thread->base.qnode_dlist);
    thread->base.prio = static_cast<int8_t>(prio);
    WaitQueueInsert(wait_q, thread);
  } else {
    thread->base.prio = static_cast<int8_t>(prio);
  }
  UpdateCacheCold(false);
}

#ifdef CONFIG_TIMESLICING
namespace {
void SliceAnnounce() {
  k_thread *current = _kernel.current;
  if (current != slice_thread || !Sliceable(current) || UptimeTicksLocked() < slice_expiry) {
    return;
  }
  // The slice is used up: the next thread of the same priority gets its turn, or, when there
  // is none, this one a new slice.
  if ((current->base.thread_state & _THREAD_QUEUED) != 0U) {
    QueueRemove(current);
    QueueAdd(current);
    UpdateCache(false);
  }
  if (_kernel.ready_cache == current) {
    StartSlice(current);
  }
}

int32_t SliceTicksLeft() {
  if (!Sliceable(slice_thread)) {
    return K_TICKS_FOREVER;
  }
  int64_t left = slice_expiry - UptimeTicksLocked();
  return static_cast<int32_t>(CLAMP(left, 1, static_cast<int64_t>(INT32_MAX)));
}

[[maybe_unused]] constexpr SliceOps kSliceOps = {StartSlice, SliceAnnounce, SliceTicksLeft};

#if CONFIG_TIMESLICE_SIZE > 0
const SliceOps *slice_ops = &kSliceOps;
#else
const SliceOps *slice_ops = nullptr;
#endif
}  // namespace

void TimeSliceAnnounce() {
  if (slice_ops != nullptr) {
    slice_ops->announce();
  }
}

int32_t TimeSliceTicksLeft() {
  return slice_ops != nullptr ? slice_ops->ticks_left() : K_TICKS_FOREVER;
}
#else
void TimeSliceAnnounce() {}
int32_t TimeSliceTicksLeft() {
  return K_TICKS_FOREVER;
}
#endif

}  // namespace gale::kernel

using namespace gale::kernel;

extern "C" {

k_tid_t k_current_get(void) {
  return _kernel.current;
}

bool k_is_in_isr(void) {
  return arch_is_in_isr();
}

int k_is_preempt_thread(void) {
  return !arch_is_in_isr() && IsPreemptible(_kernel.current) ? 1 : 0;
}

bool k_is_pre_kernel(void) {
  return _kernel.pre_kernel;
}

bool k_can_yield(void) {
  return !arch_is_in_isr() && !_kernel.pre_kernel && _kernel.current != _kernel.idle_thread;
}

void k_yield(void) {
  __ASSERT(!arch_is_in_isr(), "k_yield() from an interrupt handler");
  IrqLock lock;
  k_thread *current = _kernel.current;
  if ((current->base.thread_state & _THREAD_QUEUED) != 0U) {
    QueueMoveToBack(current);
  }
  UpdateCache(true);
  (void)Swap(lock.Release());
}

int32_t k_sleep(k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr(), "k_sleep() from an interrupt handler");
  if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
    k_yield();
    return 0;
  }
  IrqLock lock;
  if (K_TIMEOUT_EQ(timeout, K_FOREVER)) {
    // The thread is suspended (Zephyr's documented behaviour), and sleeping, without a
    // timeout: k_thread_resume() and k_wakeup() both end the sleep.
    _kernel.current->base.thread_state |= _THREAD_SUSPENDED;
    (void)PendCurrent(nullptr, K_FOREVER, lock);
    return static_cast<int32_t>(K_TICKS_FOREVER);
  }
  int64_t expected = UptimeTicksLocked() + (Z_IS_TIMEOUT_RELATIVE(timeout)
                                                ? timeout.ticks
                                                : Z_TICK_ABS(timeout.ticks) - UptimeTicksLocked());
  (void)PendCurrent(nullptr, timeout, lock);
  int64_t left = expected - k_uptime_ticks();
  return left > 0 ? static_cast<int32_t>(k_ticks_to_ms_ceil64(static_cast<uint64_t>(left))) : 0;
}

int32_t k_usleep(int32_t us) {
  int32_t left_ms = k_sleep(Z_TIMEOUT_US(us));
  return left_ms * 1000;
}

void k_wakeup(k_tid_t thread) {
  IrqLock lock;
  if ((thread->base.thread_state & _THREAD_SLEEPING) == 0U) {
    return;
  }
  AbortTimeout(&thread->base.timeout);
  // A sleep that was suspended (k_sleep(K_FOREVER), or k_thread_suspend() of a sleeper) ends
  // too: the thread returns from k_sleep().
  thread->base.thread_state &= ~(_THREAD_SLEEPING | _THREAD_SUSPENDED);
  ReadyThread(thread);
  Reschedule(lock);
}

void k_thread_suspend(k_tid_t thread) {
  IrqLock lock;
  if ((thread->base.thread_state & (_THREAD_SUSPENDED | _THREAD_DEAD)) != 0U) {
    return;
  }
  // A suspended sleeper does not wake on its timeout (Zephyr 3.7 behaviour).
  if ((thread->base.thread_state & _THREAD_SLEEPING) != 0U) {
    AbortTimeout(&thread->base.timeout);
  }
  thread->base.thread_state |= _THREAD_SUSPENDED;
  UnreadyThread(thread);
  if (thread == _kernel.current && !arch_is_in_isr()) {
    (void)Swap(lock.Release());
  }
}

void k_thread_resume(k_tid_t thread) {
  IrqLock lock;
  if ((thread->base.thread_state & _THREAD_SUSPENDED) == 0U) {
    return;
  }
  thread->base.thread_state &= ~_THREAD_SUSPENDED;
  // Suspending a sleeper cancelled its timeout (or it slept forever): it returns from k_sleep()
  // now, as Zephyr documents.
  if (!TimeoutPending(&thread->base.timeout)) {
    thread->base.thread_state &= ~_THREAD_SLEEPING;
  }
  ReadyThread(thread);
  Reschedule(lock);
}

int k_thread_priority_get(k_tid_t thread) {
  return thread->base.prio;
}

void k_thread_priority_set(k_tid_t thread, int prio) {
  __ASSERT(prio >= K_HIGHEST_THREAD_PRIO && prio <= K_LOWEST_APPLICATION_THREAD_PRIO,
           "priority %d out of range", prio);
  IrqLock lock;
  SetPriority(thread, prio);
  Reschedule(lock);
}

void k_thread_deadline_set(k_tid_t thread, int deadline) {
#ifdef CONFIG_SCHED_DEADLINE
  IrqLock lock;
  uint32_t absolute = k_cycle_get_32() + static_cast<uint32_t>(CLAMP(deadline, 0, INT32_MAX));
  if ((thread->base.thread_state & _THREAD_QUEUED) != 0U) {
    QueueRemoveCold(thread);
    thread->base.prio_deadline = absolute;
    QueueAddCold(thread);
    UpdateCacheCold(false);
  } else {
    thread->base.prio_deadline = absolute;
  }
  Reschedule(lock);
#else
  ARG_UNUSED(thread);
  ARG_UNUSED(deadline);
#endif
}

void k_sched_lock(void) {
  IrqLock lock;
  __ASSERT(!arch_is_in_isr(), "k_sched_lock() from an interrupt handler");
  _kernel.current->base.sched_locked++;
}

void k_sched_unlock(void) {
  IrqLock lock;
  k_thread *current = _kernel.current;
  __ASSERT(current->base.sched_locked > 0U, "k_sched_unlock() without k_sched_lock()");
  current->base.sched_locked--;
  if (current->base.sched_locked == 0U) {
    UpdateCacheCold(false);
    Reschedule(lock);
  }
}

void k_sched_time_slice_set(int32_t slice, int prio) {
#ifdef CONFIG_TIMESLICING
  IrqLock lock;
  slice_ticks = static_cast<int32_t>(k_ms_to_ticks_ceil32(static_cast<uint32_t>(MAX(slice, 0))));
  slice_max_prio = prio;
  slice_ops = &kSliceOps;
  // The running thread starts a new slice of the new size.
  StartSlice(_kernel.ready_cache);
#else
  ARG_UNUSED(slice);
  ARG_UNUSED(prio);
#endif
}

}  // extern "C"
