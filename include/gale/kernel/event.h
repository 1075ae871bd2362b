/*
 * Events (Zephyr's k_event API): a 32-bit set of event bits that threads wait on, for any or
 * all of the bits they name.
 */
#ifndef GALE_KERNEL_EVENT_H_
#define GALE_KERNEL_EVENT_H_

#include <stdbool.h>
#include <stdint.h>

#include <gale/kernel/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An event object (kernel-private layout). */
struct k_event {
  _wait_q_t wait_q;
  uint32_t events;
};

#define Z_EVENT_INITIALIZER(obj) \
  { .wait_q = Z_WAIT_Q_INIT(&(obj).wait_q), .events = 0 }

/** Define and initialise event object @p name (no events set). */
#define K_EVENT_DEFINE(name) struct k_event name = Z_EVENT_INITIALIZER(name)

/** Initialise an event object: no events set, no waiters. @pre any context */
void k_event_init(struct k_event *event);

/**
 * Add @p events to the set. Every waiter whose condition is now met wakes.
 *
 * @returns the previous value of the bits in @p events
 * @pre any context
 */
uint32_t k_event_post(struct k_event *event, uint32_t events);

/**
 * Replace the set with @p events. Every waiter whose condition is now met wakes.
 *
 * @returns the previous set
 * @pre any context
 */
uint32_t k_event_set(struct k_event *event, uint32_t events);

/**
 * Set the bits of @p events_mask to their values in @p events, leaving the others. Every
 * waiter whose condition is now met wakes.
 *
 * @returns the previous value of the bits in @p events_mask
 * @pre any context
 */
uint32_t k_event_set_masked(struct k_event *event, uint32_t events, uint32_t events_mask);

/**
 * Clear @p events from the set.
 *
 * @returns the previous value of the bits in @p events
 * @pre any context
 */
uint32_t k_event_clear(struct k_event *event, uint32_t events);

/**
 * Wait until any of @p events is set.
 *
 * @param reset clear the whole set first (careful when several threads wait)
 * @returns the bits of @p events that were set when the wait ended; 0 when the time ran out
 * @pre thread context, or any context with K_NO_WAIT
 */
uint32_t k_event_wait(struct k_event *event, uint32_t events, bool reset, k_timeout_t timeout);

/**
 * Wait until all of @p events are set.
 *
 * @param reset clear the whole set first (careful when several threads wait)
 * @returns @p events when they were all set; 0 when the time ran out
 * @pre thread context, or any context with K_NO_WAIT
 */
uint32_t k_event_wait_all(struct k_event *event, uint32_t events, bool reset, k_timeout_t timeout);

/** The bits of @p events_mask that are set now. @pre any context */
static inline uint32_t k_event_test(struct k_event *event, uint32_t events_mask) {
  return k_event_wait(event, events_mask, false, Z_TIMEOUT_NO_WAIT);
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_EVENT_H_ */
