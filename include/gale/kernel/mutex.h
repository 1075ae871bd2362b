/*
 * Mutexes (Zephyr's k_mutex API): recursive, with priority inheritance.
 */
#ifndef GALE_KERNEL_MUTEX_H_
#define GALE_KERNEL_MUTEX_H_

#include <stdint.h>

#include <gale/kernel/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct k_thread;

/** A mutex (kernel-private layout). */
struct k_mutex {
  _wait_q_t wait_q;
  /** The thread holding the mutex, or NULL. */
  struct k_thread *owner;
  /** Recursive lock depth of the owner. */
  uint32_t lock_count;
  /** The owner's priority before any inheritance. */
  int owner_orig_prio;
};

#define Z_MUTEX_INITIALIZER(obj) \
  {.wait_q = Z_WAIT_Q_INIT(&(obj).wait_q), .owner = NULL, .lock_count = 0, .owner_orig_prio = 0}

/** Define and initialise mutex @p name. */
#define K_MUTEX_DEFINE(name) struct k_mutex name = Z_MUTEX_INITIALIZER(name)

/** Initialise a mutex. @retval 0 always */
int k_mutex_init(struct k_mutex *mutex);

/**
 * Lock the mutex, waiting up to @p timeout. The owner may lock it again (recursively). While a
 * higher-priority thread waits, the owner runs at that thread's priority (down to
 * CONFIG_PRIORITY_CEILING).
 *
 * @retval 0 locked
 * @retval -EBUSY K_NO_WAIT and another thread holds it
 * @retval -EAGAIN the timeout expired
 * @pre thread context
 */
int k_mutex_lock(struct k_mutex *mutex, k_timeout_t timeout);

/**
 * Unlock the mutex once; the last unlock hands it to the highest-priority waiter.
 *
 * @retval 0 unlocked
 * @retval -EPERM the caller does not hold it
 * @retval -EINVAL it is not locked
 * @pre thread context
 */
int k_mutex_unlock(struct k_mutex *mutex);

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_MUTEX_H_ */
