// Mutexes: recursive, with priority inheritance. While threads wait, the owner runs at the
// priority of the most urgent waiter (bounded by CONFIG_PRIORITY_CEILING); it drops back when
// it unlocks or when that waiter gives up.
#include <gale/kernel.h>

#include <kernel_objects.h>
#include <kernel_trace.h>
#include <ksched.h>

using namespace gale::kernel;

namespace {

// The priority @p mutex's owner should run at: its own, or its most urgent waiter's.
int InheritedPriority(k_mutex *mutex) {
  int prio = mutex->owner_orig_prio;
  k_thread *waiter = WaitQueueHead(&mutex->wait_q);
  if (waiter != nullptr && waiter->base.prio < prio) {
    prio = MAX(waiter->base.prio, CONFIG_PRIORITY_CEILING);
  }
  return prio;
}

void AdjustOwnerPriority(k_mutex *mutex) {
  int prio = InheritedPriority(mutex);
  if (prio != mutex->owner->base.prio) {
    SetPriority(mutex->owner, prio);
  }
}

// The last unlock by the owner, @p mutex checked: release it, or hand it to the first waiter.
// Returns whether another thread may now have to run.
ALWAYS_INLINE bool ReleaseLocked(k_mutex *mutex) {
  bool resched = false;
  k_thread *owner = mutex->owner;
  if (owner->base.prio != mutex->owner_orig_prio) {
    SetPriority(owner, mutex->owner_orig_prio);
    resched = true;
  }
  // Most unlocks find no waiter: look before calling.
  k_thread *next = WaitQueueHead(&mutex->wait_q) != nullptr ? UnpendFirst(&mutex->wait_q) : nullptr;
  if (next == nullptr) {
    mutex->owner = nullptr;
    mutex->lock_count = 0;
    return resched;
  }
  mutex->owner = next;
  mutex->lock_count = 1;
  mutex->owner_orig_prio = next->base.prio;
  AdjustOwnerPriority(mutex);
  next->base.swap_retval = 0;
  ReadyThread(next);
  return true;
}

// Unlock once; a waiter that gets the mutex is readied, without a switch. Returns 0 or the
// errno of k_mutex_unlock(); @p resched tells whether another thread may now have to run (a
// waiter got the mutex, or the owner dropped an inherited priority).
ALWAYS_INLINE int UnlockLocked(k_mutex *mutex, bool &resched) {
  resched = false;
  if (mutex->owner == nullptr) {
    return -EINVAL;
  }
  if (mutex->owner != Current()) {
    return -EPERM;
  }
  if (mutex->lock_count > 1U) {
    mutex->lock_count--;
    return 0;
  }
  resched = ReleaseLocked(mutex);
  return 0;
}

// The owner's last unlock, once k_mutex_unlock() has checked (only the owner changes what it
// checked, so that still holds). Out of line, so that the nested unlock's path saves no
// registers.
__attribute__((noinline)) int UnlockLast(k_mutex *mutex) {
  IrqLock lock;
  if (ReleaseLocked(mutex)) {
    Reschedule(lock);
  }
  return 0;
}

}  // namespace

namespace gale::kernel {

int MutexUnlockLocked(k_mutex *mutex) {
  bool resched;
  return UnlockLocked(mutex, resched);
}

}  // namespace gale::kernel

extern "C" {

int k_mutex_init(struct k_mutex *mutex) {
  mutex->owner = nullptr;
  mutex->lock_count = 0;
  mutex->owner_orig_prio = 0;
  WaitQueueInit(&mutex->wait_q);
  return 0;
}

// A mutex's owner is the only thread that changes it while it holds it, and interrupt handlers
// may not use mutexes: so the owner can test for itself and nest or unnest without locking.
// (Another thread reading the owner meanwhile sees some other thread or none, never itself.)

int k_mutex_lock(struct k_mutex *mutex, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr(), "mutexes cannot be used from an interrupt handler");
  SYS_TRACE_OBJECT(GALE_TRACE_MUTEX_LOCK, mutex);
  k_thread *current = Current();
  if (mutex->owner == current) {
    mutex->lock_count++;
    return 0;
  }
  IrqLock lock;
  if (likely(mutex->lock_count == 0U)) {
    mutex->owner_orig_prio = current->base.prio;
    mutex->lock_count = 1;
    mutex->owner = current;
    return 0;
  }
  if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
    return -EBUSY;
  }
  int inherited = MAX(static_cast<int>(current->base.prio), CONFIG_PRIORITY_CEILING);
  if (inherited < mutex->owner->base.prio) {
    SetPriority(mutex->owner, inherited);
  }
  int rc = PendCurrent(&mutex->wait_q, timeout, lock);
  if (rc == 0) {
    return 0;  // the unlocking thread handed the mutex over
  }
  // Timed out: the owner no longer needs this waiter's priority.
  IrqLock relock;
  if (mutex->owner != nullptr) {
    AdjustOwnerPriority(mutex);
  }
  Reschedule(relock);
  return -EAGAIN;
}

int k_mutex_unlock(struct k_mutex *mutex) {
  __ASSERT(!arch_is_in_isr(), "mutexes cannot be used from an interrupt handler");
  SYS_TRACE_OBJECT(GALE_TRACE_MUTEX_UNLOCK, mutex);
  k_thread *owner = mutex->owner;
  if (owner == nullptr) {
    return -EINVAL;
  }
  if (owner != Current()) {
    return -EPERM;
  }
  if (mutex->lock_count > 1U) {
    mutex->lock_count--;
    return 0;
  }
  return UnlockLast(mutex);
}

}  // extern "C"
