/*
 * Work queues (Zephyr's k_work API): work items run one at a time by a work queue's thread,
 * submitted at once or after a delay (delayable work), with flush and cancel; and the system
 * work queue.
 */
#ifndef GALE_KERNEL_WORK_H_
#define GALE_KERNEL_WORK_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gale/kernel/thread.h>
#include <gale/kernel/types.h>
#include <gale/sys/util.h>

#ifdef __cplusplus
extern "C" {
#endif

struct k_work;
struct k_work_q;

/** A work item's handler: runs in its work queue's thread. */
typedef void (*k_work_handler_t)(struct k_work *work);

enum {
  /* Bit positions of the state flags (private). */
  K_WORK_RUNNING_BIT = 0,
  K_WORK_CANCELING_BIT = 1,
  K_WORK_QUEUED_BIT = 2,
  K_WORK_DELAYED_BIT = 3,
  K_WORK_FLUSHING_BIT = 4,

  K_WORK_MASK = BIT(K_WORK_DELAYED_BIT) | BIT(K_WORK_QUEUED_BIT) | BIT(K_WORK_RUNNING_BIT) |
                BIT(K_WORK_CANCELING_BIT) | BIT(K_WORK_FLUSHING_BIT),

  /* Static work flags (private). */
  K_WORK_DELAYABLE_BIT = 8,
  K_WORK_DELAYABLE = BIT(K_WORK_DELAYABLE_BIT),

  /* Work queue flags (private). */
  K_WORK_QUEUE_STARTED_BIT = 0,
  K_WORK_QUEUE_STARTED = BIT(K_WORK_QUEUE_STARTED_BIT),
  K_WORK_QUEUE_BUSY_BIT = 1,
  K_WORK_QUEUE_BUSY = BIT(K_WORK_QUEUE_BUSY_BIT),
  K_WORK_QUEUE_DRAIN_BIT = 2,
  K_WORK_QUEUE_DRAIN = BIT(K_WORK_QUEUE_DRAIN_BIT),
  K_WORK_QUEUE_PLUGGED_BIT = 3,
  K_WORK_QUEUE_PLUGGED = BIT(K_WORK_QUEUE_PLUGGED_BIT),
  K_WORK_QUEUE_NO_YIELD_BIT = 8,
  K_WORK_QUEUE_NO_YIELD = BIT(K_WORK_QUEUE_NO_YIELD_BIT),

  /** The item's handler is running (k_work_busy_get()). */
  K_WORK_RUNNING = BIT(K_WORK_RUNNING_BIT),
  /** The item is being cancelled: submissions are refused until its handler returns. */
  K_WORK_CANCELING = BIT(K_WORK_CANCELING_BIT),
  /** The item is queued, not yet running. */
  K_WORK_QUEUED = BIT(K_WORK_QUEUED_BIT),
  /** The delayable item waits for its delay, then will be queued. */
  K_WORK_DELAYED = BIT(K_WORK_DELAYED_BIT),
  /** The item stands in for a flush (internal items only). */
  K_WORK_FLUSHING = BIT(K_WORK_FLUSHING_BIT),
};

/** A work item (kernel-private layout: use the functions below). */
struct k_work {
  /** Node in its queue's list of pending items. */
  sys_dnode_t node;
  k_work_handler_t handler;
  /** The queue it was last submitted to. */
  struct k_work_q *queue;
  /** K_WORK_* flags. */
  uint32_t flags;
};

#define Z_WORK_INITIALIZER(work_handler) \
  { .node = {{NULL}, {NULL}}, .handler = (work_handler), .queue = NULL, .flags = 0 }

/** A work item submitted after a delay (kernel-private layout). */
struct k_work_delayable {
  struct k_work work;
  /** Pending while the delay runs. */
  struct _timeout timeout;
  /** The queue to submit to when the delay ends. */
  struct k_work_q *queue;
};

#define Z_WORK_DELAYABLE_INITIALIZER(work_handler)                                \
  {                                                                               \
    .work = {.node = {{NULL}, {NULL}},                                            \
             .handler = (work_handler),                                           \
             .queue = NULL,                                                       \
             .flags = K_WORK_DELAYABLE},                                          \
    .timeout = {.node = {{NULL}, {NULL}}, .fn = NULL, .dticks = 0}, .queue = NULL \
  }

/** Define work item @p work with @p work_handler. */
#define K_WORK_DEFINE(work, work_handler) struct k_work work = Z_WORK_INITIALIZER(work_handler)

/** Define delayable work item @p work with @p work_handler. */
#define K_WORK_DELAYABLE_DEFINE(work, work_handler) \
  struct k_work_delayable work = Z_WORK_DELAYABLE_INITIALIZER(work_handler)

/* Private: what a flush waits for; an item queued behind the flushed one. */
struct z_work_flusher {
  struct k_work work;
  _wait_q_t wait_q;
};

/* Private: a thread waiting for a cancelled item's handler to return. */
struct z_work_canceller {
  sys_dnode_t node;
  struct k_work *work;
  _wait_q_t wait_q;
};

/**
 * State of a flush or of a synchronous cancel, provided by the caller. It must outlive the
 * call and not be used by another flush or cancel meanwhile.
 */
struct k_work_sync {
  union {
    struct z_work_flusher flusher;
    struct z_work_canceller canceller;
  };
};

/** Options of k_work_queue_start(); not kept after the call. */
struct k_work_queue_config {
  /** Name of the queue's thread, or NULL. */
  const char *name;
  /**
   * Do not yield between items. By default the queue's thread yields after each item, so
   * that threads of its priority (and cooperative threads an item readied) get to run.
   */
  bool no_yield;
  /** Make the queue's thread essential: the system cannot go on without it. */
  bool essential;
};

/** A work queue (kernel-private layout). */
struct k_work_q {
  /** The thread that runs the items. */
  struct k_thread thread;
  /** Items queued, in order. */
  sys_dlist_t pending;
  /** Where the thread waits for items. */
  _wait_q_t notifyq;
  /** Where k_work_queue_drain() callers wait. */
  _wait_q_t drainq;
  /** K_WORK_QUEUE_* flags. */
  uint32_t flags;
};

/** The system work queue (k_work_submit(), k_work_schedule(), ...). */
extern struct k_work_q k_sys_work_q;

/**
 * Initialise a work item with @p handler. May be repeated to change the handler while the
 * item is idle.
 * @pre any context
 */
void k_work_init(struct k_work *work, k_work_handler_t handler);

/**
 * The item's state.
 * @returns K_WORK_DELAYED, K_WORK_QUEUED, K_WORK_RUNNING, K_WORK_CANCELING bits; 0: idle
 * @pre any context
 */
int k_work_busy_get(const struct k_work *work);

/** Whether the item is not idle (k_work_busy_get() != 0). @pre any context */
static inline bool k_work_is_pending(const struct k_work *work) {
  return k_work_busy_get(work) != 0;
}

/**
 * Queue @p work on @p queue.
 *
 * @param queue the queue, or NULL for the queue it was last submitted to
 * @retval 0 it was already queued (nothing changed)
 * @retval 1 it was not queued and now is, on @p queue
 * @retval 2 it was running and is now queued again, on the queue running it
 * @retval -EBUSY it is being cancelled, or the queue is draining or plugged
 * @retval -EINVAL @p queue is NULL and the item was never submitted
 * @retval -ENODEV the queue was not started
 * @pre any context
 */
int k_work_submit_to_queue(struct k_work_q *queue, struct k_work *work);

/** k_work_submit_to_queue() on the system work queue. @pre any context */
int k_work_submit(struct k_work *work);

/**
 * Wait until the item's last submission has run (resubmissions meanwhile are allowed).
 *
 * @param sync state for the wait
 * @retval true the call waited
 * @retval false the item was idle
 * @pre thread context, not the thread of the queue running @p work
 */
bool k_work_flush(struct k_work *work, struct k_work_sync *sync);

/**
 * Take the item off its queue if it is queued; a running handler goes on, and submissions
 * are refused until it returns.
 *
 * @returns k_work_busy_get() after the cancel: 0 when the cancel is complete
 * @pre any context
 */
int k_work_cancel(struct k_work *work);

/**
 * As k_work_cancel(), and wait until the item is idle.
 *
 * @retval true the item was not idle (queued or running)
 * @retval false it was idle
 * @pre thread context, not the thread of the queue running @p work
 */
bool k_work_cancel_sync(struct k_work *work, struct k_work_sync *sync);

/** Initialise a work queue before k_work_queue_start(). @pre any context */
void k_work_queue_init(struct k_work_q *queue);

/**
 * Start a work queue's thread.
 *
 * @param stack, stack_size the thread's stack (K_THREAD_STACK_DEFINE(), K_THREAD_STACK_SIZEOF())
 * @param prio the thread's priority
 * @param cfg options, or NULL for the defaults (no name, yield between items, not essential)
 * @pre thread context (or the kernel's init); the queue is not running
 */
void k_work_queue_start(struct k_work_q *queue, k_thread_stack_t *stack, size_t stack_size,
                        int prio, const struct k_work_queue_config *cfg);

/** The thread of a work queue. */
static inline k_tid_t k_work_queue_thread_get(struct k_work_q *queue) {
  return &queue->thread;
}

/**
 * Wait until the queue has no item queued or running; meanwhile only its own items may submit
 * to it.
 *
 * @param plug keep refusing submissions afterwards, until k_work_queue_unplug()
 * @retval 1 the call waited
 * @retval 0 the queue was already idle
 * @pre thread context, not the queue's thread
 */
int k_work_queue_drain(struct k_work_q *queue, bool plug);

/**
 * Accept submissions again after k_work_queue_drain(queue, true).
 *
 * @retval 0 unplugged
 * @retval -EALREADY the queue was not plugged
 * @pre any context
 */
int k_work_queue_unplug(struct k_work_q *queue);

/** Initialise a delayable work item with @p handler. @pre any context */
void k_work_init_delayable(struct k_work_delayable *dwork, k_work_handler_t handler);

/** The delayable item that contains @p work (for handlers of delayable items). */
static inline struct k_work_delayable *k_work_delayable_from_work(struct k_work *work) {
  return CONTAINER_OF(work, struct k_work_delayable, work);
}

/** As k_work_busy_get(), for a delayable item. @pre any context */
int k_work_delayable_busy_get(const struct k_work_delayable *dwork);

/** Whether the delayable item is not idle. @pre any context */
static inline bool k_work_delayable_is_pending(const struct k_work_delayable *dwork) {
  return k_work_delayable_busy_get(dwork) != 0;
}

/** Uptime in ticks when the delay ends; the current uptime when not delayed. @pre any context */
k_ticks_t k_work_delayable_expires_get(const struct k_work_delayable *dwork);

/** Ticks until the delay ends; 0 when not delayed. @pre any context */
k_ticks_t k_work_delayable_remaining_get(const struct k_work_delayable *dwork);

/**
 * Submit an idle delayable item to @p queue after @p delay. Does nothing if it is already
 * delayed or queued (even with K_NO_WAIT).
 *
 * @param delay K_NO_WAIT: submit now, as k_work_submit_to_queue()
 * @retval 0 it was already delayed or queued
 * @retval 1 it is now delayed (or, with K_NO_WAIT, queued)
 * @retval 2 K_NO_WAIT, and it was running and is now queued on the queue running it
 * @retval -EBUSY, -EINVAL, -ENODEV K_NO_WAIT, and the submission failed with that code
 * @pre any context
 */
int k_work_schedule_for_queue(struct k_work_q *queue, struct k_work_delayable *dwork,
                              k_timeout_t delay);

/** k_work_schedule_for_queue() on the system work queue. @pre any context */
int k_work_schedule(struct k_work_delayable *dwork, k_timeout_t delay);

/**
 * Submit a delayable item to @p queue after @p delay, replacing any delay in progress. An
 * item already queued stays queued.
 *
 * @retval 0 K_NO_WAIT, and it was already queued
 * @retval 1 it is now delayed (or, with K_NO_WAIT, queued)
 * @retval 2 K_NO_WAIT, and it was running and is now queued on the queue running it
 * @retval -EBUSY, -EINVAL, -ENODEV K_NO_WAIT, and the submission failed with that code
 * @pre any context
 */
int k_work_reschedule_for_queue(struct k_work_q *queue, struct k_work_delayable *dwork,
                                k_timeout_t delay);

/** k_work_reschedule_for_queue() on the system work queue. @pre any context */
int k_work_reschedule(struct k_work_delayable *dwork, k_timeout_t delay);

/**
 * Submit the item now if it is delayed, then wait as k_work_flush().
 *
 * @retval true the call waited
 * @retval false the item was idle
 * @pre thread context, not the thread of the queue running @p dwork
 */
bool k_work_flush_delayable(struct k_work_delayable *dwork, struct k_work_sync *sync);

/**
 * Stop the delay and take the item off its queue; a running handler goes on.
 *
 * @returns k_work_delayable_busy_get() after the cancel: 0 when the cancel is complete
 * @pre any context
 */
int k_work_cancel_delayable(struct k_work_delayable *dwork);

/**
 * As k_work_cancel_delayable(), and wait until the item is idle.
 *
 * @retval true the item was not idle (delayed, queued or running)
 * @retval false it was idle
 * @pre thread context, not the thread of the queue running @p dwork
 */
bool k_work_cancel_delayable_sync(struct k_work_delayable *dwork, struct k_work_sync *sync);

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_WORK_H_ */
