// Pipes. A thread that has to wait describes its transfer in a record on its own stack,
// reachable from its thread's swap_data while it is pended; the other side copies straight
// into or out of it and wakes it once its request is met. Two invariants keep the byte order:
// readers only wait while the buffer is empty and no writer waits, writers only wait while the
// buffer is full (or absent) and no reader waits.
#include <string.h>

#include <gale/kernel.h>

#include <ksched.h>

#ifdef CONFIG_POLL
#include <kernel_poll.h>
#endif

using namespace gale::kernel;

// The heap, when the image has one.
extern "C" void *k_malloc(size_t size) __attribute__((__weak__));
extern "C" void k_free(void *ptr) __attribute__((__weak__));

namespace {

struct Transfer {
  // Where the next byte goes to (reader) or comes from (writer).
  unsigned char *data;
  size_t left;
  size_t done;
  size_t min_xfer;
};

// Whether a transfer may end: all done, or at least its minimum (a minimum of 0 asks for all).
inline bool Satisfied(const Transfer &t) {
  return t.left == 0U || (t.min_xfer > 0U && t.done >= t.min_xfer);
}

inline Transfer *TransferOf(k_thread *thread) {
  return static_cast<Transfer *>(thread->base.swap_data);
}

inline void Advance(Transfer &t, size_t n) {
  t.data += n;
  t.left -= n;
  t.done += n;
}

// Copy @p n bytes (at most the free space) into the ring buffer.
void BufferWrite(k_pipe *pipe, const unsigned char *src, size_t n) {
  size_t first = MIN(n, pipe->size - pipe->write_index);
  memcpy(pipe->buffer + pipe->write_index, src, first);
  memcpy(pipe->buffer, src + first, n - first);
  pipe->write_index += n;
  if (pipe->write_index >= pipe->size) {
    pipe->write_index -= pipe->size;
  }
  pipe->bytes_used += n;
}

// Copy @p n bytes (at most those in the buffer) out of the ring buffer; NULL discards them.
void BufferRead(k_pipe *pipe, unsigned char *dst, size_t n) {
  size_t first = MIN(n, pipe->size - pipe->read_index);
  if (dst != nullptr) {
    memcpy(dst, pipe->buffer + pipe->read_index, first);
    memcpy(dst + first, pipe->buffer, n - first);
  }
  pipe->read_index += n;
  if (pipe->read_index >= pipe->size) {
    pipe->read_index -= pipe->size;
  }
  pipe->bytes_used -= n;
}

// Bytes the waiters of @p wait_q still want to move.
size_t WaitingBytes(_wait_q_t *wait_q) {
  size_t total = 0;
  sys_dnode_t *node;
  SYS_DLIST_FOR_EACH_NODE(&wait_q->waitq, node) {
    total += TransferOf(CONTAINER_OF(node, k_thread, base.qnode_dlist))->left;
  }
  return total;
}

// Move what waiting writers still hold into the buffer's free space. Returns whether a thread
// was woken.
bool RefillFromWriters(k_pipe *pipe) {
  bool woke = false;
  k_thread *writer;
  while (pipe->bytes_used < pipe->size && (writer = WaitQueueHead(&pipe->wait_q.writers))) {
    Transfer *w = TransferOf(writer);
    size_t n = MIN(w->left, pipe->size - pipe->bytes_used);
    BufferWrite(pipe, w->data, n);
    Advance(*w, n);
    if (!Satisfied(*w)) {
      break;
    }
    (void)WakeFirst(&pipe->wait_q.writers, 0, nullptr);
    woke = true;
  }
  return woke;
}

// Data is there to read: tell a poller (it does not compete with waiting readers, who have
// already taken what they could).
inline bool NotifyPollers(k_pipe *pipe) {
#ifdef CONFIG_POLL
  if (!sys_dlist_is_empty(&pipe->poll_events)) {
    z_handle_obj_poll_events(&pipe->poll_events, K_POLL_STATE_PIPE_DATA_AVAILABLE);
    return true;
  }
#else
  ARG_UNUSED(pipe);
#endif
  return false;
}

}  // namespace

extern "C" {

void k_pipe_init(struct k_pipe *pipe, unsigned char *buffer, size_t size) {
  pipe->buffer = buffer;
  pipe->size = buffer != nullptr ? size : 0U;
  pipe->bytes_used = 0;
  pipe->read_index = 0;
  pipe->write_index = 0;
  WaitQueueInit(&pipe->wait_q.readers);
  WaitQueueInit(&pipe->wait_q.writers);
#ifdef CONFIG_POLL
  sys_dlist_init(&pipe->poll_events);
#endif
  pipe->flags = 0;
}

int k_pipe_alloc_init(struct k_pipe *pipe, size_t size) {
  unsigned char *buffer = nullptr;
  if (size > 0U) {
    if (k_malloc == nullptr) {
      return -ENOMEM;
    }
    buffer = static_cast<unsigned char *>(k_malloc(size));
    if (buffer == nullptr) {
      return -ENOMEM;
    }
  }
  k_pipe_init(pipe, buffer, size);
  if (buffer != nullptr) {
    pipe->flags = K_PIPE_FLAG_ALLOC;
  }
  return 0;
}

int k_pipe_cleanup(struct k_pipe *pipe) {
  unsigned char *buffer;
  {
    IrqLock lock;
    if (WaitQueueHead(&pipe->wait_q.readers) != nullptr ||
        WaitQueueHead(&pipe->wait_q.writers) != nullptr) {
      return -EAGAIN;
    }
    if ((pipe->flags & K_PIPE_FLAG_ALLOC) == 0U) {
      return 0;
    }
    buffer = pipe->buffer;
    pipe->buffer = nullptr;
    pipe->size = 0;
    pipe->bytes_used = 0;
    pipe->read_index = 0;
    pipe->write_index = 0;
    pipe->flags &= ~K_PIPE_FLAG_ALLOC;
  }
  k_free(buffer);
  return 0;
}

int k_pipe_put(struct k_pipe *pipe, const void *data, size_t bytes_to_write, size_t *bytes_written,
               size_t min_xfer, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr() || K_TIMEOUT_EQ(timeout, K_NO_WAIT),
           "an interrupt handler cannot wait on a pipe");
  if (bytes_written == nullptr || min_xfer > bytes_to_write) {
    return -EINVAL;
  }
  *bytes_written = 0;
  IrqLock lock;
  bool no_wait = K_TIMEOUT_EQ(timeout, K_NO_WAIT);
  if (no_wait && min_xfer > 0U &&
      pipe->size - pipe->bytes_used + WaitingBytes(&pipe->wait_q.readers) < min_xfer) {
    return -EIO;
  }
  // The pipe's copies only read through the writer's pointer.
  Transfer me{const_cast<unsigned char *>(static_cast<const unsigned char *>(data)), bytes_to_write,
              0, min_xfer};
  bool woke = false;
  k_thread *reader;
  while (me.left > 0U && (reader = WaitQueueHead(&pipe->wait_q.readers)) != nullptr) {
    Transfer *r = TransferOf(reader);
    size_t n = MIN(me.left, r->left);
    memcpy(r->data, me.data, n);
    Advance(*r, n);
    Advance(me, n);
    if (Satisfied(*r)) {
      (void)WakeFirst(&pipe->wait_q.readers, 0, nullptr);
      woke = true;
    }
  }
  if (me.left > 0U && pipe->bytes_used < pipe->size) {
    size_t n = MIN(me.left, pipe->size - pipe->bytes_used);
    BufferWrite(pipe, me.data, n);
    Advance(me, n);
    woke |= NotifyPollers(pipe);
  }
  if (Satisfied(me) || no_wait) {
    *bytes_written = me.done;
    if (woke) {
      Reschedule(lock);
    }
    return 0;
  }
  // The rest goes to readers as they come; a poller may take it too.
  (void)NotifyPollers(pipe);
  Current()->base.swap_data = &me;
  (void)PendCurrent(&pipe->wait_q.writers, timeout, lock);
  *bytes_written = me.done;
  return me.done >= min_xfer ? 0 : -EAGAIN;
}

int k_pipe_get(struct k_pipe *pipe, void *data, size_t bytes_to_read, size_t *bytes_read,
               size_t min_xfer, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr() || K_TIMEOUT_EQ(timeout, K_NO_WAIT),
           "an interrupt handler cannot wait on a pipe");
  if (bytes_read == nullptr || min_xfer > bytes_to_read) {
    return -EINVAL;
  }
  *bytes_read = 0;
  IrqLock lock;
  bool no_wait = K_TIMEOUT_EQ(timeout, K_NO_WAIT);
  if (no_wait && min_xfer > 0U &&
      pipe->bytes_used + WaitingBytes(&pipe->wait_q.writers) < min_xfer) {
    return -EIO;
  }
  Transfer me{static_cast<unsigned char *>(data), bytes_to_read, 0, min_xfer};
  if (pipe->bytes_used > 0U) {
    size_t n = MIN(me.left, pipe->bytes_used);
    BufferRead(pipe, me.data, n);
    Advance(me, n);
  }
  bool woke = false;
  k_thread *writer;
  // The buffer is empty if bytes are still wanted: the waiting writers' data comes next.
  while (me.left > 0U && (writer = WaitQueueHead(&pipe->wait_q.writers)) != nullptr) {
    Transfer *w = TransferOf(writer);
    size_t n = MIN(me.left, w->left);
    memcpy(me.data, w->data, n);
    Advance(*w, n);
    Advance(me, n);
    if (Satisfied(*w)) {
      (void)WakeFirst(&pipe->wait_q.writers, 0, nullptr);
      woke = true;
    }
  }
  woke |= RefillFromWriters(pipe);
  if (Satisfied(me) || no_wait) {
    *bytes_read = me.done;
    if (woke) {
      Reschedule(lock);
    }
    return 0;
  }
  Current()->base.swap_data = &me;
  (void)PendCurrent(&pipe->wait_q.readers, timeout, lock);
  *bytes_read = me.done;
  return me.done >= min_xfer ? 0 : -EAGAIN;
}

size_t k_pipe_read_avail(struct k_pipe *pipe) {
  IrqLock lock;
  return pipe->bytes_used;
}

size_t k_pipe_write_avail(struct k_pipe *pipe) {
  IrqLock lock;
  return pipe->size - pipe->bytes_used;
}

void k_pipe_flush(struct k_pipe *pipe) {
  IrqLock lock;
  pipe->bytes_used = 0;
  pipe->read_index = 0;
  pipe->write_index = 0;
  bool woke = false;
  k_thread *writer;
  while ((writer = WaitQueueHead(&pipe->wait_q.writers)) != nullptr) {
    Transfer *w = TransferOf(writer);
    Advance(*w, w->left);
    (void)WakeFirst(&pipe->wait_q.writers, 0, nullptr);
    woke = true;
  }
  if (woke) {
    Reschedule(lock);
  }
}

void k_pipe_buffer_flush(struct k_pipe *pipe) {
  IrqLock lock;
  pipe->bytes_used = 0;
  pipe->read_index = 0;
  pipe->write_index = 0;
  if (RefillFromWriters(pipe)) {
    Reschedule(lock);
  }
}

}  // extern "C"
