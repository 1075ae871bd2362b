// Queues. Items are sys_sflist nodes: their first word links to the next item, and its low bit
// marks a container allocated by an _alloc_ call, freed again when the item leaves the queue.
// Threads wait in k_queue_get() only while the queue is empty, so an insertion first offers the
// item to the wait queue and only queues it when nobody waits.
#include <gale/kernel.h>

#include <kernel_internal.h>
#include <kernel_trace.h>
#include <ksched.h>

#ifdef CONFIG_POLL
#include <kernel_poll.h>
#endif

using namespace gale::kernel;

namespace {

constexpr uint8_t kAllocated = 1U;

// What an _alloc_ call queues in place of the item.
struct AllocNode {
  sys_sfnode_t node;
  void *data;
};

inline void Signal(k_queue *queue) {
#ifdef CONFIG_POLL
  z_handle_obj_poll_events(&queue->poll_events, K_POLL_STATE_DATA_AVAILABLE);
#else
  (void)queue;
#endif
}

inline bool HasWaiters(k_queue *queue) {
  return !sys_dlist_is_empty(&queue->wait_q.waitq);
}

// The item a queued node stands for.
inline void *DataOf(sys_sfnode_t *node) {
  if (unlikely((sys_sfnode_flags_get(node) & kAllocated) != 0U)) {
    return reinterpret_cast<AllocNode *>(node)->data;
  }
  return node;
}

// Queue @p data after @p prev (the front when NULL; the back when @p append), or hand it to a
// waiter.
int32_t Insert(k_queue *queue, sys_sfnode_t *prev, void *data, bool alloc, bool append) {
  SYS_TRACE_OBJECT(GALE_TRACE_QUEUE_PUT, queue);
  IrqLock lock;
  if (HasWaiters(queue)) {
    (void)WakeFirst(&queue->wait_q, 0, data);
    Reschedule(lock);
    return 0;
  }
  sys_sfnode_t *node;
  if (alloc) {
    auto *container = static_cast<AllocNode *>(z_thread_malloc(sizeof(AllocNode)));
    if (container == nullptr) {
      return -ENOMEM;
    }
    container->data = data;
    node = &container->node;
    sys_sfnode_init(node, kAllocated);
  } else {
    node = static_cast<sys_sfnode_t *>(data);
    sys_sfnode_init(node, 0);
  }
  if (append) {
    sys_sflist_append(&queue->data_q, node);
  } else {
    sys_sflist_insert(&queue->data_q, prev, node);
  }
  Signal(queue);
#ifdef CONFIG_POLL
  Reschedule(lock);
#endif
  return 0;
}

// Append @p data (not allocated) with the lock held.
inline void AppendLocked(k_queue *queue, void *data, IrqLock &lock) {
  SYS_TRACE_OBJECT(GALE_TRACE_QUEUE_PUT, queue);
  if (unlikely(HasWaiters(queue))) {
    (void)WakeFirst(&queue->wait_q, 0, data);
    Reschedule(lock);
    return;
  }
  auto *node = static_cast<sys_sfnode_t *>(data);
  sys_sfnode_init(node, 0);
  sys_sflist_append(&queue->data_q, node);
  Signal(queue);
#ifdef CONFIG_POLL
  Reschedule(lock);
#endif
}

}  // namespace

extern "C" {

void k_queue_init(struct k_queue *queue) {
  sys_sflist_init(&queue->data_q);
  WaitQueueInit(&queue->wait_q);
#ifdef CONFIG_POLL
  sys_dlist_init(&queue->poll_events);
#endif
}

void k_queue_cancel_wait(struct k_queue *queue) {
  IrqLock lock;
  (void)WakeFirst(&queue->wait_q, 0, nullptr);
#ifdef CONFIG_POLL
  z_handle_obj_poll_events(&queue->poll_events, K_POLL_STATE_CANCELLED);
#endif
  Reschedule(lock);
}

void k_queue_append(struct k_queue *queue, void *data) {
  IrqLock lock;
  AppendLocked(queue, data, lock);
}

int32_t k_queue_alloc_append(struct k_queue *queue, void *data) {
  return Insert(queue, nullptr, data, true, true);
}

void k_queue_prepend(struct k_queue *queue, void *data) {
  (void)Insert(queue, nullptr, data, false, false);
}

int32_t k_queue_alloc_prepend(struct k_queue *queue, void *data) {
  return Insert(queue, nullptr, data, true, false);
}

void k_queue_insert(struct k_queue *queue, void *prev, void *data) {
  (void)Insert(queue, static_cast<sys_sfnode_t *>(prev), data, false, false);
}

int k_queue_append_list(struct k_queue *queue, void *head, void *tail) {
  if (head == nullptr || tail == nullptr) {
    return -EINVAL;
  }
  IrqLock lock;
  // The first items go to the waiting threads, highest priority first; the rest is queued.
  auto *node = static_cast<sys_sfnode_t *>(head);
  bool woke = false;
  while (node != nullptr && WakeFirst(&queue->wait_q, 0, node) != nullptr) {
    woke = true;
    node = node == tail ? nullptr : sys_sflist_peek_next_no_check(node);
  }
  if (node != nullptr) {
    sys_sfnode_init(static_cast<sys_sfnode_t *>(tail), 0);
    sys_sflist_append_list(&queue->data_q, node, tail);
    Signal(queue);
#ifdef CONFIG_POLL
    woke = true;
#endif
  }
  if (woke) {
    Reschedule(lock);
  }
  return 0;
}

int k_queue_merge_slist(struct k_queue *queue, sys_slist_t *list) {
  if (sys_slist_is_empty(list)) {
    return -EINVAL;
  }
  int rc = k_queue_append_list(queue, sys_slist_peek_head(list), sys_slist_peek_tail(list));
  if (rc == 0) {
    sys_slist_init(list);
  }
  return rc;
}

void *k_queue_get(struct k_queue *queue, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr() || K_TIMEOUT_EQ(timeout, K_NO_WAIT),
           "an interrupt handler cannot wait on a queue");
  SYS_TRACE_OBJECT(GALE_TRACE_QUEUE_GET, queue);
  sys_sfnode_t *node;
  {
    IrqLock lock;
    node = sys_sflist_peek_head(&queue->data_q);
    if (unlikely(node == nullptr)) {
      if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
        return nullptr;
      }
      // The waker hands the item itself over (never a container), or NULL on cancel.
      int rc = PendCurrent(&queue->wait_q, timeout, lock);
      return rc == 0 ? Current()->base.swap_data : nullptr;
    }
    (void)sys_sflist_get_not_empty(&queue->data_q);
  }
  if (unlikely((sys_sfnode_flags_get(node) & kAllocated) != 0U)) {
    void *data = reinterpret_cast<AllocNode *>(node)->data;
    k_free(node);  // outside the lock: freeing may wake a thread waiting for memory
    return data;
  }
  return node;
}

bool k_queue_remove(struct k_queue *queue, void *data) {
  IrqLock lock;
  return sys_sflist_find_and_remove(&queue->data_q, static_cast<sys_sfnode_t *>(data));
}

bool k_queue_unique_append(struct k_queue *queue, void *data) {
  IrqLock lock;
  sys_sfnode_t *node;
  SYS_SFLIST_FOR_EACH_NODE(&queue->data_q, node) {
    if (node == data) {
      return false;
    }
  }
  AppendLocked(queue, data, lock);
  return true;
}

int k_queue_is_empty(struct k_queue *queue) {
  return sys_sflist_is_empty(&queue->data_q) ? 1 : 0;
}

void *k_queue_peek_head(struct k_queue *queue) {
  IrqLock lock;
  sys_sfnode_t *node = sys_sflist_peek_head(&queue->data_q);
  return node != nullptr ? DataOf(node) : nullptr;
}

void *k_queue_peek_tail(struct k_queue *queue) {
  IrqLock lock;
  sys_sfnode_t *node = sys_sflist_peek_tail(&queue->data_q);
  return node != nullptr ? DataOf(node) : nullptr;
}

}  // extern "C"
