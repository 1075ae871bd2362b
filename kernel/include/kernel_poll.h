// The kernel objects' side of k_poll(): an object that becomes available tells the events
// polling it. CONFIG_POLL.
#ifndef GALE_KERNEL_INCLUDE_KERNEL_POLL_H_
#define GALE_KERNEL_INCLUDE_KERNEL_POLL_H_

#include <stdint.h>

#include <gale/kernel.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The object whose list of poll events is @p events has become available (@p state: a
 * K_POLL_STATE_* bit): the first event whose thread still waits gets @p state and its thread
 * is readied (returning -EINTR from k_poll() for K_POLL_STATE_CANCELLED, 0 otherwise). Events
 * of threads already woken by another event on the way get @p state too and leave the list.
 * The caller reschedules.
 *
 * @pre interrupts locked
 */
void z_handle_obj_poll_events(sys_dlist_t *events, uint32_t state);

#ifdef __cplusplus
}
#endif

#endif  // GALE_KERNEL_INCLUDE_KERNEL_POLL_H_
