/*
 * Queues (Zephyr's k_queue API) and the FIFO and LIFO APIs built on them (k_fifo, k_lifo).
 *
 * A queue links data items through their first word, which the kernel owns while the item is
 * queued (items must be 4-byte aligned). The _alloc_ variants instead queue a small container
 * allocated from the caller's resource pool (k_thread_heap_assign(); the system heap in an
 * interrupt handler), marked by a flag in the link word and freed when the item is taken out,
 * so the item itself is left untouched. A get may wait for an item; an item added while threads
 * wait goes straight to the highest-priority one.
 */
#ifndef GALE_KERNEL_QUEUE_H_
#define GALE_KERNEL_QUEUE_H_

#include <stdbool.h>

#include <gale/kernel/types.h>
#include <gale/sys/sflist.h>
#include <gale/sys/slist.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A queue (kernel-private layout). */
struct k_queue {
  sys_sflist_t data_q;
  _wait_q_t wait_q;
#ifdef CONFIG_POLL
  sys_dlist_t poll_events;
#endif
};

#ifdef CONFIG_POLL
#define Z_QUEUE_POLL_INIT(obj) , .poll_events = SYS_DLIST_STATIC_INIT(&(obj).poll_events)
#else
#define Z_QUEUE_POLL_INIT(obj)
#endif

#define Z_QUEUE_INITIALIZER(obj)                                  \
  {                                                               \
    .data_q = SYS_SFLIST_STATIC_INIT(&(obj).data_q),              \
    .wait_q = Z_WAIT_Q_INIT(&(obj).wait_q) Z_QUEUE_POLL_INIT(obj) \
  }

/** Define and initialise queue @p name. */
#define K_QUEUE_DEFINE(name) struct k_queue name = Z_QUEUE_INITIALIZER(name)

/** Initialise a queue (empty). */
void k_queue_init(struct k_queue *queue);

/**
 * Make the highest-priority thread waiting in k_queue_get() return NULL at once.
 * @pre any context
 */
void k_queue_cancel_wait(struct k_queue *queue);

/** Add @p data at the back. @pre any context */
void k_queue_append(struct k_queue *queue, void *data);

/**
 * Add @p data at the back through an allocated container (@p data's first word is not used).
 * @retval 0 queued
 * @retval -ENOMEM no resource pool, or no room in it
 * @pre any context
 */
int32_t k_queue_alloc_append(struct k_queue *queue, void *data);

/** Add @p data at the front. @pre any context */
void k_queue_prepend(struct k_queue *queue, void *data);

/**
 * Add @p data at the front through an allocated container (see k_queue_alloc_append()).
 * @retval 0 queued
 * @retval -ENOMEM no resource pool, or no room in it
 * @pre any context
 */
int32_t k_queue_alloc_prepend(struct k_queue *queue, void *data);

/** Add @p data right after @p prev (queued), or at the front when @p prev is NULL. @pre any */
void k_queue_insert(struct k_queue *queue, void *prev, void *data);

/**
 * Add the NULL-terminated list of items from @p head to @p tail (linked through their first
 * words) at the back; waiting threads get the first items.
 * @retval 0 queued
 * @retval -EINVAL @p head or @p tail is NULL
 * @pre any context
 */
int k_queue_append_list(struct k_queue *queue, void *head, void *tail);

/**
 * Move every item of @p list (an sys_slist_t of items) to the back of the queue; @p list is
 * left empty.
 * @retval 0 queued
 * @retval -EINVAL @p list is empty
 * @pre any context
 */
int k_queue_merge_slist(struct k_queue *queue, sys_slist_t *list);

/**
 * Take the item at the front, waiting up to @p timeout for one.
 * @returns the item, or NULL (none in time, or k_queue_cancel_wait())
 * @pre thread context, or any context with K_NO_WAIT
 */
void *k_queue_get(struct k_queue *queue, k_timeout_t timeout);

/**
 * Take @p data out of the queue wherever it is (not for items queued with an _alloc_ call).
 * @returns true when it was queued
 * @pre any context
 */
bool k_queue_remove(struct k_queue *queue, void *data);

/**
 * Append @p data unless it is already queued.
 * @returns true when appended, false when it was already queued
 * @pre any context
 */
bool k_queue_unique_append(struct k_queue *queue, void *data);

/** Non-zero when the queue holds no item. @pre any context */
int k_queue_is_empty(struct k_queue *queue);

/** The item at the front, left queued, or NULL. @pre any context */
void *k_queue_peek_head(struct k_queue *queue);

/** The item at the back, left queued, or NULL. @pre any context */
void *k_queue_peek_tail(struct k_queue *queue);

/* FIFOs: a queue used first in, first out. */

/** A FIFO (kernel-private layout). */
struct k_fifo {
  struct k_queue _queue;
};

#define Z_FIFO_INITIALIZER(obj) \
  { ._queue = Z_QUEUE_INITIALIZER((obj)._queue) }

/** Define and initialise FIFO @p name. */
#define K_FIFO_DEFINE(name) struct k_fifo name = Z_FIFO_INITIALIZER(name)

/** Initialise a FIFO. */
#define k_fifo_init(fifo) k_queue_init(&(fifo)->_queue)
/** Make the first thread waiting in k_fifo_get() return NULL. */
#define k_fifo_cancel_wait(fifo) k_queue_cancel_wait(&(fifo)->_queue)
/** Add @p data (first word reserved for the kernel) at the back. */
#define k_fifo_put(fifo, data) k_queue_append(&(fifo)->_queue, (data))
/** Add @p data at the back through an allocated container. @retval 0 @retval -ENOMEM */
#define k_fifo_alloc_put(fifo, data) k_queue_alloc_append(&(fifo)->_queue, (data))
/** Add a NULL-terminated list of items at the back. @retval 0 @retval -EINVAL */
#define k_fifo_put_list(fifo, head, tail) k_queue_append_list(&(fifo)->_queue, (head), (tail))
/** Move every item of an sys_slist_t to the back. @retval 0 @retval -EINVAL */
#define k_fifo_put_slist(fifo, list) k_queue_merge_slist(&(fifo)->_queue, (list))
/** Take the item at the front, waiting up to @p timeout. @returns the item or NULL */
#define k_fifo_get(fifo, timeout) k_queue_get(&(fifo)->_queue, (timeout))
/** Non-zero when the FIFO is empty. */
#define k_fifo_is_empty(fifo) k_queue_is_empty(&(fifo)->_queue)
/** The item at the front, left queued, or NULL. */
#define k_fifo_peek_head(fifo) k_queue_peek_head(&(fifo)->_queue)
/** The item at the back, left queued, or NULL. */
#define k_fifo_peek_tail(fifo) k_queue_peek_tail(&(fifo)->_queue)

/* LIFOs: a queue used last in, first out. */

/** A LIFO (kernel-private layout). */
struct k_lifo {
  struct k_queue _queue;
};

#define Z_LIFO_INITIALIZER(obj) \
  { ._queue = Z_QUEUE_INITIALIZER((obj)._queue) }

/** Define and initialise LIFO @p name. */
#define K_LIFO_DEFINE(name) struct k_lifo name = Z_LIFO_INITIALIZER(name)

/** Initialise a LIFO. */
#define k_lifo_init(lifo) k_queue_init(&(lifo)->_queue)
/** Add @p data (first word reserved for the kernel) on top. */
#define k_lifo_put(lifo, data) k_queue_prepend(&(lifo)->_queue, (data))
/** Add @p data on top through an allocated container. @retval 0 @retval -ENOMEM */
#define k_lifo_alloc_put(lifo, data) k_queue_alloc_prepend(&(lifo)->_queue, (data))
/** Take the item on top, waiting up to @p timeout. @returns the item or NULL */
#define k_lifo_get(lifo, timeout) k_queue_get(&(lifo)->_queue, (timeout))

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_QUEUE_H_ */
