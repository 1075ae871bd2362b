// Semaphores.
#include <gale/kernel.h>

#include <kernel_objects.h>
#include <kernel_trace.h>
#include <ksched.h>

using namespace gale::kernel;

#ifdef CONFIG_POLL
#include <kernel_poll.h>
#endif

namespace {

// Returns whether a thread may have been readied.
ALWAYS_INLINE bool GiveLocked(k_sem *sem) {
  // A waiter takes the unit directly: the count stays 0.
  if (WakeFirst(&sem->wait_q, 0, nullptr) != nullptr) {
    return true;
  }
  if (sem->count < sem->limit) {
    sem->count++;
  }
#ifdef CONFIG_POLL
  z_handle_obj_poll_events(&sem->poll_events, K_POLL_STATE_SEM_AVAILABLE);
  return true;
#else
  return false;
#endif
}

}  // namespace

namespace gale::kernel {

void SemGiveLocked(k_sem *sem) {
  (void)GiveLocked(sem);
}

}  // namespace gale::kernel

extern "C" {

int k_sem_init(struct k_sem *sem, unsigned int initial_count, unsigned int limit) {
  if (limit == 0U || initial_count > limit) {
    return -EINVAL;
  }
  sem->count = initial_count;
  sem->limit = limit;
  WaitQueueInit(&sem->wait_q);
#ifdef CONFIG_POLL
  sys_dlist_init(&sem->poll_events);
#endif
  return 0;
}

int k_sem_take(struct k_sem *sem, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr() || K_TIMEOUT_EQ(timeout, K_NO_WAIT),
           "an interrupt handler cannot wait on a semaphore");
  SYS_TRACE_OBJECT(GALE_TRACE_SEM_TAKE, sem);
  IrqLock lock;
  if (likely(sem->count > 0U)) {
    sem->count--;
    return 0;
  }
  if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
    return -EBUSY;
  }
  return PendCurrent(&sem->wait_q, timeout, lock);
}

void k_sem_give(struct k_sem *sem) {
  SYS_TRACE_OBJECT(GALE_TRACE_SEM_GIVE, sem);
  IrqLock lock;
  if (GiveLocked(sem)) {
    Reschedule(lock);
  }
}

void k_sem_reset(struct k_sem *sem) {
  IrqLock lock;
  sem->count = 0;
  if (WakeAll(&sem->wait_q, -EAGAIN)) {
    Reschedule(lock);
  }
}

}  // extern "C"
