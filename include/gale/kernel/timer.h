/*
 * Timers (Zephyr's k_timer API): one-shot or periodic, with an expiry function run by the
 * system clock interrupt and a status that threads can read or wait for.
 */
#ifndef GALE_KERNEL_TIMER_H_
#define GALE_KERNEL_TIMER_H_

#include <stdint.h>

#include <gale/kernel/types.h>
#include <gale/sys/time_units.h>

#ifdef __cplusplus
extern "C" {
#endif

struct k_timer;

/** Expiry function: runs in interrupt context (the system clock's) at each expiry. */
typedef void (*k_timer_expiry_t)(struct k_timer *timer);

/**
 * Stop function: runs when a running timer is stopped, in the context of the k_timer_stop()
 * caller (which may be an interrupt handler: it must not block).
 */
typedef void (*k_timer_stop_t)(struct k_timer *timer);

/** A timer (kernel-private layout). */
struct k_timer {
  /** Pending while the timer runs. */
  struct _timeout timeout;
  /** The thread waiting in k_timer_status_sync(). */
  _wait_q_t wait_q;
  k_timer_expiry_t expiry_fn;
  k_timer_stop_t stop_fn;
  /** Period after the first expiry (K_NO_WAIT or K_FOREVER: one-shot). */
  k_timeout_t period;
  /** Expiries since the status was last read. */
  uint32_t status;
  void *user_data;
};

#define Z_TIMER_INITIALIZER(obj, expiry, stop)                                        \
  {                                                                                   \
    .timeout = {.node = {{NULL}, {NULL}}, .fn = NULL, .dticks = 0},                   \
    .wait_q = Z_WAIT_Q_INIT(&(obj).wait_q), .expiry_fn = (expiry), .stop_fn = (stop), \
    .period = {0}, .status = 0, .user_data = NULL                                     \
  }

/**
 * Define and initialise timer @p name.
 *
 * @param expiry_fn function run at each expiry, or NULL
 * @param stop_fn function run when the running timer is stopped, or NULL
 */
#define K_TIMER_DEFINE(name, expiry_fn, stop_fn) \
  struct k_timer name = Z_TIMER_INITIALIZER(name, expiry_fn, stop_fn)

/**
 * Initialise a timer (not running, status 0).
 *
 * @param expiry_fn function run at each expiry, in interrupt context, or NULL
 * @param stop_fn function run when the running timer is stopped, or NULL
 * @pre any context; the timer is not running
 */
void k_timer_init(struct k_timer *timer, k_timer_expiry_t expiry_fn, k_timer_stop_t stop_fn);

/**
 * Start (or restart) a timer and reset its status to 0.
 *
 * The first expiry comes after @p duration (relative, or absolute with K_TIMEOUT_ABS_*()), the
 * following ones every @p period, counted from the previous expiry so that a periodic timer
 * does not drift. A @p period of K_NO_WAIT or K_FOREVER makes a one-shot timer. A @p duration
 * of K_FOREVER leaves the timer as it is.
 *
 * @pre any context
 */
void k_timer_start(struct k_timer *timer, k_timeout_t duration, k_timeout_t period);

/**
 * Stop a running timer: its stop function runs (in the caller's context) and a thread waiting
 * in k_timer_status_sync() returns. Stopping a timer that is not running does nothing.
 *
 * @pre any context
 */
void k_timer_stop(struct k_timer *timer);

/**
 * Read and reset the status: the number of expiries since it was last read.
 *
 * @returns the expiries since the last read (or start)
 * @pre any context
 */
uint32_t k_timer_status_get(struct k_timer *timer);

/**
 * Wait until the status is non-zero or the timer stops, then read and reset it. Returns at
 * once when the status is already non-zero or the timer is not running.
 *
 * @returns the expiries since the last read (0: the timer was or has been stopped)
 * @pre thread context
 */
uint32_t k_timer_status_sync(struct k_timer *timer);

/**
 * Uptime in ticks of the timer's next expiry; the current uptime when it is not running.
 * @pre any context
 */
k_ticks_t k_timer_expires_ticks(const struct k_timer *timer);

/** Ticks until the timer's next expiry; 0 when it is not running. @pre any context */
k_ticks_t k_timer_remaining_ticks(const struct k_timer *timer);

/** Milliseconds (rounded down) until the timer's next expiry; 0 when it is not running. */
static inline uint32_t k_timer_remaining_get(struct k_timer *timer) {
  return k_ticks_to_ms_floor32((uint64_t)k_timer_remaining_ticks(timer));
}

/** Attach @p user_data to the timer. @pre any context */
static inline void k_timer_user_data_set(struct k_timer *timer, void *user_data) {
  timer->user_data = user_data;
}

/** The data attached with k_timer_user_data_set() (NULL after init). @pre any context */
static inline void *k_timer_user_data_get(const struct k_timer *timer) {
  return timer->user_data;
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_TIMER_H_ */
