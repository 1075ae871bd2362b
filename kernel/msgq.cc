// Message queues. One wait queue serves both directions: threads wait to put only while the
// queue is full and to get only while it is empty, so the waiters are all of one kind. A waiting
// thread leaves the address of its message (a sender) or of its buffer (a receiver) in
// base.swap_data, and whoever wakes it does the copy, so a woken thread has nothing left to do.
#include <gale/kernel.h>

#include <string.h>

#include <kernel_internal.h>
#include <kernel_trace.h>
#include <ksched.h>

#ifdef CONFIG_POLL
#include <kernel_poll.h>
#endif

using namespace gale::kernel;

namespace {

inline void Signal(k_msgq *msgq, IrqLock &lock) {
#ifdef CONFIG_POLL
  z_handle_obj_poll_events(&msgq->poll_events, K_POLL_STATE_MSGQ_DATA_AVAILABLE);
  Reschedule(lock);
#else
  (void)msgq;
  (void)lock;
#endif
}

// Hand @p data to the first waiting receiver, if any. Only an empty queue has receivers.
inline bool HandToReceiver(k_msgq *msgq, const void *data, IrqLock &lock) {
  k_thread *receiver = UnpendFirst(&msgq->wait_q);
  if (receiver == nullptr) {
    return false;
  }
  memcpy(receiver->base.swap_data, data, msgq->msg_size);
  receiver->base.swap_retval = 0;
  ReadyThread(receiver);
  Reschedule(lock);
  return true;
}

}  // namespace

extern "C" {

void k_msgq_init(struct k_msgq *msgq, char *buffer, size_t msg_size, uint32_t max_msgs) {
  WaitQueueInit(&msgq->wait_q);
  msgq->msg_size = msg_size;
  msgq->max_msgs = max_msgs;
  msgq->buffer_start = buffer;
  msgq->buffer_end = buffer + msg_size * max_msgs;
  msgq->read_ptr = buffer;
  msgq->write_ptr = buffer;
  msgq->used_msgs = 0;
#ifdef CONFIG_POLL
  sys_dlist_init(&msgq->poll_events);
#endif
  msgq->flags = 0;
}

int k_msgq_alloc_init(struct k_msgq *msgq, size_t msg_size, uint32_t max_msgs) {
  size_t bytes;
  if (__builtin_mul_overflow(msg_size, static_cast<size_t>(max_msgs), &bytes)) {
    return -EINVAL;
  }
  auto *buffer = bytes != 0U ? static_cast<char *>(z_thread_malloc(bytes)) : nullptr;
  if (buffer == nullptr) {
    return -ENOMEM;
  }
  k_msgq_init(msgq, buffer, msg_size, max_msgs);
  msgq->flags = K_MSGQ_FLAG_ALLOC;
  return 0;
}

int k_msgq_cleanup(struct k_msgq *msgq) {
  {
    IrqLock lock;
    if (WaitQueueHead(&msgq->wait_q) != nullptr) {
      return -EBUSY;
    }
  }
  if ((msgq->flags & K_MSGQ_FLAG_ALLOC) != 0U) {
    k_free(msgq->buffer_start);
    msgq->flags &= static_cast<uint8_t>(~K_MSGQ_FLAG_ALLOC);
  }
  return 0;
}

int k_msgq_put(struct k_msgq *msgq, const void *data, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr() || K_TIMEOUT_EQ(timeout, K_NO_WAIT),
           "an interrupt handler cannot wait on a message queue");
  SYS_TRACE_OBJECT(GALE_TRACE_MSGQ_PUT, msgq);
  IrqLock lock;
  uint32_t used = msgq->used_msgs;
  if (likely(used < msgq->max_msgs)) {
    if (used == 0U && HandToReceiver(msgq, data, lock)) {
      return 0;
    }
    memcpy(msgq->write_ptr, data, msgq->msg_size);
    msgq->write_ptr += msgq->msg_size;
    if (msgq->write_ptr == msgq->buffer_end) {
      msgq->write_ptr = msgq->buffer_start;
    }
    msgq->used_msgs = used + 1U;
    Signal(msgq, lock);
    return 0;
  }
  if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
    return -ENOMSG;
  }
  Current()->base.swap_data = const_cast<void *>(data);
  return PendCurrent(&msgq->wait_q, timeout, lock);
}

int k_msgq_put_front(struct k_msgq *msgq, const void *data) {
  IrqLock lock;
  uint32_t used = msgq->used_msgs;
  if (used >= msgq->max_msgs) {
    return -ENOMSG;
  }
  if (used == 0U && HandToReceiver(msgq, data, lock)) {
    return 0;
  }
  if (msgq->read_ptr == msgq->buffer_start) {
    msgq->read_ptr = msgq->buffer_end;
  }
  msgq->read_ptr -= msgq->msg_size;
  memcpy(msgq->read_ptr, data, msgq->msg_size);
  msgq->used_msgs = used + 1U;
  Signal(msgq, lock);
  return 0;
}

int k_msgq_get(struct k_msgq *msgq, void *data, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr() || K_TIMEOUT_EQ(timeout, K_NO_WAIT),
           "an interrupt handler cannot wait on a message queue");
  SYS_TRACE_OBJECT(GALE_TRACE_MSGQ_GET, msgq);
  IrqLock lock;
  uint32_t used = msgq->used_msgs;
  if (likely(used > 0U)) {
    size_t size = msgq->msg_size;
    memcpy(data, msgq->read_ptr, size);
    msgq->read_ptr += size;
    if (msgq->read_ptr == msgq->buffer_end) {
      msgq->read_ptr = msgq->buffer_start;
    }
    used--;
    // A full queue may have senders waiting: the first one's message takes the freed slot.
    k_thread *sender = used + 1U == msgq->max_msgs ? UnpendFirst(&msgq->wait_q) : nullptr;
    if (sender != nullptr) {
      memcpy(msgq->write_ptr, sender->base.swap_data, size);
      msgq->write_ptr += size;
      if (msgq->write_ptr == msgq->buffer_end) {
        msgq->write_ptr = msgq->buffer_start;
      }
      used++;
      sender->base.swap_retval = 0;
      ReadyThread(sender);
      msgq->used_msgs = used;
      Reschedule(lock);
      return 0;
    }
    msgq->used_msgs = used;
    return 0;
  }
  if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
    return -ENOMSG;
  }
  Current()->base.swap_data = data;
  return PendCurrent(&msgq->wait_q, timeout, lock);
}

int k_msgq_peek(struct k_msgq *msgq, void *data) {
  return k_msgq_peek_at(msgq, data, 0);
}

int k_msgq_peek_at(struct k_msgq *msgq, void *data, uint32_t idx) {
  IrqLock lock;
  if (idx >= msgq->used_msgs) {
    return -ENOMSG;
  }
  size_t span = static_cast<size_t>(msgq->buffer_end - msgq->buffer_start);
  size_t offset = static_cast<size_t>(msgq->read_ptr - msgq->buffer_start) + idx * msgq->msg_size;
  if (offset >= span) {
    offset -= span;
  }
  memcpy(data, msgq->buffer_start + offset, msgq->msg_size);
  return 0;
}

void k_msgq_purge(struct k_msgq *msgq) {
  IrqLock lock;
  msgq->read_ptr = msgq->write_ptr;
  msgq->used_msgs = 0;
  if (WakeAll(&msgq->wait_q, -ENOMSG)) {
    Reschedule(lock);
  }
}

uint32_t k_msgq_num_free_get(struct k_msgq *msgq) {
  return msgq->max_msgs - msgq->used_msgs;
}

void k_msgq_get_attrs(struct k_msgq *msgq, struct k_msgq_attrs *attrs) {
  IrqLock lock;
  attrs->msg_size = msgq->msg_size;
  attrs->max_msgs = msgq->max_msgs;
  attrs->used_msgs = msgq->used_msgs;
}

}  // extern "C"
