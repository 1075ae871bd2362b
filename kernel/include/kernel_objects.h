// What one kernel object offers another. These run with interrupts locked (the caller holds
// an IrqLock) and never switch threads: the caller reschedules when it is done.
#ifndef GALE_KERNEL_INCLUDE_KERNEL_OBJECTS_H_
#define GALE_KERNEL_INCLUDE_KERNEL_OBJECTS_H_

#include <gale/kernel.h>

namespace gale::kernel {

// k_mutex_unlock() without the switch (mutex.cc). Returns as k_mutex_unlock() does.
int MutexUnlockLocked(k_mutex *mutex);

// k_sem_give() without the switch (sem.cc).
void SemGiveLocked(k_sem *sem);

}  // namespace gale::kernel

#endif  // GALE_KERNEL_INCLUDE_KERNEL_OBJECTS_H_
