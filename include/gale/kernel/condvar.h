/*
 * Condition variables (Zephyr's k_condvar API), used with a k_mutex.
 */
#ifndef GALE_KERNEL_CONDVAR_H_
#define GALE_KERNEL_CONDVAR_H_

#include <gale/kernel/mutex.h>
#include <gale/kernel/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A condition variable (kernel-private layout). */
struct k_condvar {
  _wait_q_t wait_q;
};

#define Z_CONDVAR_INITIALIZER(obj) \
  { .wait_q = Z_WAIT_Q_INIT(&(obj).wait_q) }

/** Define and initialise condition variable @p name. */
#define K_CONDVAR_DEFINE(name) struct k_condvar name = Z_CONDVAR_INITIALIZER(name)

/** Initialise a condition variable. @retval 0 always @pre any context */
int k_condvar_init(struct k_condvar *condvar);

/** Wake the highest-priority waiter, if any. @retval 0 always @pre any context */
int k_condvar_signal(struct k_condvar *condvar);

/**
 * Wake every waiter.
 * @returns the number of threads woken
 * @pre any context
 */
int k_condvar_broadcast(struct k_condvar *condvar);

/**
 * Release @p mutex and wait on the condition variable, atomically; lock @p mutex again
 * (waiting as long as needed) before returning, whatever the outcome.
 *
 * @param mutex a mutex the caller holds (once)
 * @retval 0 woken by k_condvar_signal() or k_condvar_broadcast()
 * @retval -EAGAIN the timeout expired
 * @pre thread context
 */
int k_condvar_wait(struct k_condvar *condvar, struct k_mutex *mutex, k_timeout_t timeout);

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_CONDVAR_H_ */
