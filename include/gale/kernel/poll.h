/*
 * Polling (Zephyr's k_poll API): wait for any of several kernel objects to become available,
 * and poll signals. CONFIG_POLL.
 */
#ifndef GALE_KERNEL_POLL_H_
#define GALE_KERNEL_POLL_H_

#include <stdbool.h>
#include <stdint.h>

#include <gale/kernel/types.h>
#include <gale/sys/dlist.h>

#ifdef __cplusplus
extern "C" {
#endif

struct k_thread;
struct k_sem;
struct k_queue;
struct k_fifo;
struct k_msgq;
struct k_pipe;

/* Bit positions of the event types and states (private). */
enum _poll_types_bits {
  _POLL_TYPE_IGNORE,
  _POLL_TYPE_SIGNAL,
  _POLL_TYPE_SEM_AVAILABLE,
  _POLL_TYPE_DATA_AVAILABLE,
  _POLL_TYPE_MSGQ_DATA_AVAILABLE,
  _POLL_TYPE_PIPE_DATA_AVAILABLE,
  _POLL_NUM_TYPES
};

enum _poll_states_bits {
  _POLL_STATE_NOT_READY,
  _POLL_STATE_SIGNALED,
  _POLL_STATE_SEM_AVAILABLE,
  _POLL_STATE_DATA_AVAILABLE,
  _POLL_STATE_CANCELLED,
  _POLL_STATE_MSGQ_DATA_AVAILABLE,
  _POLL_STATE_PIPE_DATA_AVAILABLE,
  _POLL_NUM_STATES
};

#define Z_POLL_TYPE_BIT(type) (1U << ((type)-1U))
#define Z_POLL_STATE_BIT(state) (1U << ((state)-1U))

/* Event types: what an event waits for. */
#define K_POLL_TYPE_IGNORE 0
/** k_poll_signal_raise() on a struct k_poll_signal */
#define K_POLL_TYPE_SIGNAL Z_POLL_TYPE_BIT(_POLL_TYPE_SIGNAL)
/** a struct k_sem with a count above 0 */
#define K_POLL_TYPE_SEM_AVAILABLE Z_POLL_TYPE_BIT(_POLL_TYPE_SEM_AVAILABLE)
/** a struct k_queue (k_fifo, k_lifo) that is not empty */
#define K_POLL_TYPE_DATA_AVAILABLE Z_POLL_TYPE_BIT(_POLL_TYPE_DATA_AVAILABLE)
#define K_POLL_TYPE_FIFO_DATA_AVAILABLE K_POLL_TYPE_DATA_AVAILABLE
/** a struct k_msgq holding a message */
#define K_POLL_TYPE_MSGQ_DATA_AVAILABLE Z_POLL_TYPE_BIT(_POLL_TYPE_MSGQ_DATA_AVAILABLE)
/** a struct k_pipe with data to read (in its buffer, or from a waiting writer) */
#define K_POLL_TYPE_PIPE_DATA_AVAILABLE Z_POLL_TYPE_BIT(_POLL_TYPE_PIPE_DATA_AVAILABLE)

/** Polling modes. */
enum k_poll_modes {
  /** The polling thread is told the object is available; it does not take it. */
  K_POLL_MODE_NOTIFY_ONLY = 0,
  K_POLL_NUM_MODES
};

/* Event states: what happened (bits, set by k_poll(); reset them before polling again). */
#define K_POLL_STATE_NOT_READY 0
#define K_POLL_STATE_SIGNALED Z_POLL_STATE_BIT(_POLL_STATE_SIGNALED)
#define K_POLL_STATE_SEM_AVAILABLE Z_POLL_STATE_BIT(_POLL_STATE_SEM_AVAILABLE)
#define K_POLL_STATE_DATA_AVAILABLE Z_POLL_STATE_BIT(_POLL_STATE_DATA_AVAILABLE)
#define K_POLL_STATE_FIFO_DATA_AVAILABLE K_POLL_STATE_DATA_AVAILABLE
#define K_POLL_STATE_MSGQ_DATA_AVAILABLE Z_POLL_STATE_BIT(_POLL_STATE_MSGQ_DATA_AVAILABLE)
#define K_POLL_STATE_PIPE_DATA_AVAILABLE Z_POLL_STATE_BIT(_POLL_STATE_PIPE_DATA_AVAILABLE)
/** the wait was cancelled (k_queue_cancel_wait()) */
#define K_POLL_STATE_CANCELLED Z_POLL_STATE_BIT(_POLL_STATE_CANCELLED)

/** A poll signal: raised by k_poll_signal_raise(), reset by k_poll_signal_reset(). */
struct k_poll_signal {
  /** Private: the events polling this signal. */
  sys_dlist_t poll_events;
  /** 1 once raised, until reset. */
  unsigned int signaled;
  /** The value given to k_poll_signal_raise(). */
  int result;
};

#define K_POLL_SIGNAL_INITIALIZER(obj) \
  { .poll_events = SYS_DLIST_STATIC_INIT(&(obj).poll_events), .signaled = 0, .result = 0 }

/** Private: the thread in k_poll() that events are registered for. */
struct z_poller {
  /** The polling thread waits here. */
  _wait_q_t wait_q;
  /** The polling thread (its priority orders the objects' lists of events). */
  struct k_thread *thread;
  /** Whether the thread still waits for a first event. */
  bool is_polling;
  uint8_t mode;
};

#define _POLL_EVENT_NUM_UNUSED_BITS (32 - (0 + 8 + _POLL_NUM_TYPES + _POLL_NUM_STATES + 1))

/** One event of a k_poll() call. */
struct k_poll_event {
  /** Private: node in the polled object's list of events. */
  sys_dnode_t _node;
  /** Private: the k_poll() call this event is registered for. */
  struct z_poller *poller;
  /** Free for the application: k_poll() leaves it alone. */
  uint32_t tag : 8;
  /** K_POLL_TYPE_* */
  uint32_t type : _POLL_NUM_TYPES;
  /** K_POLL_STATE_* bits */
  uint32_t state : _POLL_NUM_STATES;
  /** enum k_poll_modes */
  uint32_t mode : 1;
  uint32_t unused : _POLL_EVENT_NUM_UNUSED_BITS;
  /** The polled object, by type. */
  union {
    void *obj;
    struct k_poll_signal *signal;
    struct k_sem *sem;
    struct k_fifo *fifo;
    struct k_queue *queue;
    struct k_msgq *msgq;
    struct k_pipe *pipe;
  };
};

/** Initialiser of a struct k_poll_event. */
#define K_POLL_EVENT_INITIALIZER(_event_type, _event_mode, _event_obj)          \
  {                                                                             \
    ._node = {{NULL}, {NULL}}, .poller = NULL, .tag = 0, .type = (_event_type), \
    .state = K_POLL_STATE_NOT_READY, .mode = (_event_mode), .unused = 0,        \
    .obj = (void *)(_event_obj)                                                 \
  }

/** As K_POLL_EVENT_INITIALIZER(), with the application's tag @p event_tag. */
#define K_POLL_EVENT_STATIC_INITIALIZER(_event_type, _event_mode, _event_obj, event_tag)  \
  {                                                                                       \
    ._node = {{NULL}, {NULL}}, .poller = NULL, .tag = (event_tag), .type = (_event_type), \
    .state = K_POLL_STATE_NOT_READY, .mode = (_event_mode), .unused = 0,                  \
    .obj = (void *)(_event_obj)                                                           \
  }

/**
 * Initialise one poll event.
 *
 * @param type K_POLL_TYPE_* (K_POLL_TYPE_IGNORE: the event is skipped)
 * @param mode K_POLL_MODE_NOTIFY_ONLY
 * @param obj the object of that type, or a struct k_poll_signal
 * @pre any context
 */
void k_poll_event_init(struct k_poll_event *event, uint32_t type, int mode, void *obj);

/**
 * Wait until one or more of @p events is ready.
 *
 * Every event already ready on entry has its state set, and k_poll() returns at once.
 * Otherwise the caller waits; the first object to become available (or signal to be raised)
 * sets its event's state and wakes it. The object is not taken: it may be gone again by the
 * time the caller runs, and threads pended on the object itself are served first. States
 * accumulate: reset each event's state to K_POLL_STATE_NOT_READY before polling again.
 *
 * @param num_events number of events in @p events
 * @retval 0 one or more events are ready
 * @retval -EAGAIN the timeout expired (or K_NO_WAIT and none was ready)
 * @retval -EINTR the wait was cancelled (k_queue_cancel_wait()): that event's state is
 *         K_POLL_STATE_CANCELLED
 * @retval -ENOMEM never (user mode only in Zephyr: no memory for a copy of the events)
 * @pre thread context, or any context with K_NO_WAIT
 */
int k_poll(struct k_poll_event *events, int num_events, k_timeout_t timeout);

/** Initialise a poll signal (not raised). @pre any context */
void k_poll_signal_init(struct k_poll_signal *sig);

/** Clear the signal's raised state. @pre any context */
void k_poll_signal_reset(struct k_poll_signal *sig);

/**
 * Read the signal's state.
 *
 * @param signaled set to non-zero when the signal is raised
 * @param result set to the value given to k_poll_signal_raise()
 * @pre any context
 */
void k_poll_signal_check(struct k_poll_signal *sig, unsigned int *signaled, int *result);

/**
 * Raise the signal with @p result: it stays raised until k_poll_signal_reset(), and every
 * thread polling it wakes.
 *
 * @retval 0 always (a poller whose timeout was expiring at that moment sees the signal
 *         raised when it next polls)
 * @pre any context
 */
int k_poll_signal_raise(struct k_poll_signal *sig, int result);

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_POLL_H_ */
