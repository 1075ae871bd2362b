// Condition variables.
#include <gale/kernel.h>

#include <kernel_objects.h>
#include <ksched.h>

using namespace gale::kernel;

extern "C" {

int k_condvar_init(struct k_condvar *condvar) {
  WaitQueueInit(&condvar->wait_q);
  return 0;
}

int k_condvar_signal(struct k_condvar *condvar) {
  IrqLock lock;
  if (WakeFirst(&condvar->wait_q, 0, nullptr) != nullptr) {
    Reschedule(lock);
  }
  return 0;
}

int k_condvar_broadcast(struct k_condvar *condvar) {
  IrqLock lock;
  int woken = 0;
  while (WakeFirst(&condvar->wait_q, 0, nullptr) != nullptr) {
    woken++;
  }
  if (woken > 0) {
    Reschedule(lock);
  }
  return woken;
}

int k_condvar_wait(struct k_condvar *condvar, struct k_mutex *mutex, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr(), "k_condvar_wait() from an interrupt handler");
  int rc;
  {
    IrqLock lock;
    // Releasing the mutex and pending happen under one lock, so no signal sent after the
    // release can be missed. A waiter the release hands the mutex to runs once this thread
    // has blocked.
    (void)MutexUnlockLocked(mutex);
    rc = PendCurrent(&condvar->wait_q, timeout, lock);
  }
  (void)k_mutex_lock(mutex, K_FOREVER);
  return rc;
}

}  // extern "C"
