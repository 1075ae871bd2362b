/*
 * Semaphores (Zephyr's k_sem API).
 */
#ifndef GALE_KERNEL_SEM_H_
#define GALE_KERNEL_SEM_H_

#include <limits.h>

#include <gale/kernel/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A counting semaphore (kernel-private layout). */
struct k_sem {
  _wait_q_t wait_q;
  unsigned int count;
  unsigned int limit;
#ifdef CONFIG_POLL
  sys_dlist_t poll_events;
#endif
};

#define K_SEM_MAX_LIMIT UINT_MAX

#ifdef CONFIG_POLL
#define Z_SEM_POLL_INIT(obj) , .poll_events = SYS_DLIST_STATIC_INIT(&(obj).poll_events)
#else
#define Z_SEM_POLL_INIT(obj)
#endif

#define Z_SEM_INITIALIZER(obj, initial_count, count_limit) \
  {.wait_q = Z_WAIT_Q_INIT(&(obj).wait_q),                 \
   .count = (initial_count),                               \
   .limit = (count_limit) Z_SEM_POLL_INIT(obj)}

/** Define and initialise semaphore @p name. */
#define K_SEM_DEFINE(name, initial_count, count_limit)                                      \
  struct k_sem name = Z_SEM_INITIALIZER(name, initial_count, count_limit);                  \
  BUILD_ASSERT(((count_limit) != 0) && ((initial_count) <= (count_limit)) &&                \
               ((count_limit) <= K_SEM_MAX_LIMIT))

/**
 * Initialise a semaphore.
 * @retval 0 initialised
 * @retval -EINVAL @p limit is 0 or @p initial_count is above it
 */
int k_sem_init(struct k_sem *sem, unsigned int initial_count, unsigned int limit);

/**
 * Take the semaphore, waiting up to @p timeout.
 * @retval 0 taken
 * @retval -EBUSY K_NO_WAIT and the count is 0
 * @retval -EAGAIN the timeout expired, or the semaphore was reset meanwhile
 * @pre thread context, or any context with K_NO_WAIT
 */
int k_sem_take(struct k_sem *sem, k_timeout_t timeout);

/** Give the semaphore: wake its highest-priority waiter, or count up to the limit. @pre any context */
void k_sem_give(struct k_sem *sem);

/** Set the count to 0; waiters return -EAGAIN. @pre any context */
void k_sem_reset(struct k_sem *sem);

/** The current count. @pre any context */
static inline unsigned int k_sem_count_get(struct k_sem *sem) {
  return sem->count;
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_SEM_H_ */
