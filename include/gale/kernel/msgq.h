/*
 * Message queues (Zephyr's k_msgq API): fixed-size messages copied into and out of a ring
 * buffer. A put waits while the queue is full, a get while it is empty; a put to a waiting
 * receiver copies straight into the receiver's buffer.
 */
#ifndef GALE_KERNEL_MSGQ_H_
#define GALE_KERNEL_MSGQ_H_

#include <stddef.h>
#include <stdint.h>

#include <gale/kernel/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A message queue (kernel-private layout). */
struct k_msgq {
  /** Senders waiting for room, or receivers waiting for a message (never both). */
  _wait_q_t wait_q;
  size_t msg_size;
  uint32_t max_msgs;
  char *buffer_start;
  char *buffer_end;
  char *read_ptr;
  char *write_ptr;
  uint32_t used_msgs;
#ifdef CONFIG_POLL
  sys_dlist_t poll_events;
#endif
  /** K_MSGQ_FLAG_ALLOC when k_msgq_alloc_init() allocated the buffer. */
  uint8_t flags;
};

/** A message queue's shape and fill. */
struct k_msgq_attrs {
  size_t msg_size;
  uint32_t max_msgs;
  uint32_t used_msgs;
};

#define K_MSGQ_FLAG_ALLOC ((uint8_t)1)

#ifdef CONFIG_POLL
#define Z_MSGQ_POLL_INIT(obj) .poll_events = SYS_DLIST_STATIC_INIT(&(obj).poll_events),
#else
#define Z_MSGQ_POLL_INIT(obj)
#endif

#define Z_MSGQ_INITIALIZER(obj, q_buffer, q_msg_size, q_max_msgs)                               \
  {                                                                                             \
    .wait_q = Z_WAIT_Q_INIT(&(obj).wait_q), .msg_size = (q_msg_size), .max_msgs = (q_max_msgs), \
    .buffer_start = (q_buffer), .buffer_end = (q_buffer) + ((q_max_msgs) * (q_msg_size)),       \
    .read_ptr = (q_buffer), .write_ptr = (q_buffer), .used_msgs = 0,                            \
    Z_MSGQ_POLL_INIT(obj).flags = 0                                                             \
  }

/**
 * Define message queue @p q_name of @p q_max_msgs messages of @p q_msg_size bytes, its buffer
 * aligned to @p q_align (a power of two; make @p q_msg_size a multiple of it to align every
 * message).
 */
#define K_MSGQ_DEFINE(q_name, q_msg_size, q_max_msgs, q_align)                               \
  static char __noinit __aligned(q_align) _k_msgq_buf_##q_name[(q_max_msgs) * (q_msg_size)]; \
  struct k_msgq q_name = Z_MSGQ_INITIALIZER(q_name, _k_msgq_buf_##q_name, q_msg_size, q_max_msgs)

/** Initialise a message queue over the @p max_msgs * @p msg_size bytes at @p buffer. */
void k_msgq_init(struct k_msgq *msgq, char *buffer, size_t msg_size, uint32_t max_msgs);

/**
 * Initialise a message queue with a buffer from the calling thread's resource pool
 * (k_thread_heap_assign()); k_msgq_cleanup() frees it.
 * @retval 0 initialised
 * @retval -ENOMEM no pool, or no room in it
 * @retval -EINVAL @p msg_size * @p max_msgs overflows
 * @pre thread context
 */
int k_msgq_alloc_init(struct k_msgq *msgq, size_t msg_size, uint32_t max_msgs);

/**
 * Release what k_msgq_alloc_init() allocated.
 * @retval 0 released (or nothing to release)
 * @retval -EBUSY threads are waiting on the queue
 */
int k_msgq_cleanup(struct k_msgq *msgq);

/**
 * Copy the message at @p data to the back of the queue, waiting up to @p timeout for room.
 * @retval 0 queued (or handed to a waiting receiver)
 * @retval -ENOMSG K_NO_WAIT and the queue is full, or the queue was purged while waiting
 * @retval -EAGAIN the timeout expired
 * @pre thread context, or any context with K_NO_WAIT
 */
int k_msgq_put(struct k_msgq *msgq, const void *data, k_timeout_t timeout);

/**
 * Copy the message at @p data to the front of the queue: the next get returns it. Never waits.
 * @retval 0 queued (or handed to a waiting receiver)
 * @retval -ENOMSG the queue is full
 * @pre any context
 */
int k_msgq_put_front(struct k_msgq *msgq, const void *data);

/**
 * Take the message at the front into @p data, waiting up to @p timeout for one.
 * @retval 0 received
 * @retval -ENOMSG K_NO_WAIT and the queue is empty
 * @retval -EAGAIN the timeout expired
 * @pre thread context, or any context with K_NO_WAIT
 */
int k_msgq_get(struct k_msgq *msgq, void *data, k_timeout_t timeout);

/**
 * Copy the message at the front into @p data, leaving it queued.
 * @retval 0 copied
 * @retval -ENOMSG the queue is empty
 * @pre any context
 */
int k_msgq_peek(struct k_msgq *msgq, void *data);

/**
 * Copy the message @p idx places from the front (0: the front) into @p data, leaving it queued.
 * @retval 0 copied
 * @retval -ENOMSG fewer than @p idx + 1 messages are queued
 * @pre any context
 */
int k_msgq_peek_at(struct k_msgq *msgq, void *data, uint32_t idx);

/** Drop every queued message; threads waiting to put return -ENOMSG. @pre any context */
void k_msgq_purge(struct k_msgq *msgq);

/** The free room, in messages. @pre any context */
uint32_t k_msgq_num_free_get(struct k_msgq *msgq);

/** Fill @p attrs with the queue's message size, capacity and fill. @pre any context */
void k_msgq_get_attrs(struct k_msgq *msgq, struct k_msgq_attrs *attrs);

/** The queued messages. @pre any context */
static inline uint32_t k_msgq_num_used_get(struct k_msgq *msgq) {
  return msgq->used_msgs;
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_MSGQ_H_ */
