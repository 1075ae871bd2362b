// Mailboxes. Senders wait in the mailbox's tx queue and receivers in its rx queue, each with
// its message descriptor in its thread's swap_data; whoever arrives second looks for a match in
// the other queue (in priority order). A synchronous sender then sleeps until the receiver
// disposes of the message, which may be later, when the receiver defers taking the data. An
// asynchronous message waits in the tx queue as a stand-in thread from a small pool.
#include <string.h>

#include <gale/kernel.h>

#include <kernel_objects.h>
#include <ksched.h>

using namespace gale::kernel;

namespace {

#if CONFIG_NUM_MBOX_ASYNC_MSGS > 0
// An asynchronous message. Its thread base stands in the tx queue for the sender (marked
// _THREAD_DUMMY, with the sender's priority): only the scheduler's wait-queue fields of a
// thread are used there, and they are all in the base, at the start of struct k_thread.
struct AsyncMsg {
  _thread_base base;
  k_mbox_msg tx_msg;
};
static_assert(offsetof(k_thread, base) == 0, "a thread base must start its thread");

// Free entries have a thread_state of 0; the semaphore counts them.
AsyncMsg async_msgs[CONFIG_NUM_MBOX_ASYNC_MSGS];
K_SEM_DEFINE(async_free, CONFIG_NUM_MBOX_ASYNC_MSGS, CONFIG_NUM_MBOX_ASYNC_MSGS);

inline k_thread *AsThread(AsyncMsg *msg) {
  return reinterpret_cast<k_thread *>(&msg->base);
}
#endif

inline bool IsAsync(const k_thread *sender) {
  return (sender->base.thread_state & _THREAD_DUMMY) != 0U;
}

inline k_mbox_msg *MessageOf(k_thread *thread) {
  return static_cast<k_mbox_msg *>(thread->base.swap_data);
}

// If the sender's @p tx and the receiver's @p rx accept each other, fill in each with what it
// learns from the other and return true.
bool Match(k_mbox_msg *tx, k_mbox_msg *rx) {
  if (tx->tx_target_thread != K_ANY && tx->tx_target_thread != rx->tx_target_thread) {
    return false;
  }
  if (rx->rx_source_thread != K_ANY && rx->rx_source_thread != tx->rx_source_thread) {
    return false;
  }
  rx->rx_source_thread = tx->rx_source_thread;
  tx->tx_target_thread = rx->tx_target_thread;
  uint32_t info = rx->info;
  rx->info = tx->info;
  tx->info = info;
  rx->size = MIN(rx->size, tx->size);
  rx->tx_data = tx->tx_data;
  rx->_syncing_thread = tx->_syncing_thread;
  return true;
}

// Offer @p tx to the waiting receivers; the one that takes it is readied.
bool OfferToReceivers(k_mbox *mbox, k_mbox_msg *tx) {
  sys_dnode_t *node;
  SYS_DLIST_FOR_EACH_NODE(&mbox->rx_msg_queue.waitq, node) {
    k_thread *receiver = CONTAINER_OF(node, k_thread, base.qnode_dlist);
    if (Match(tx, MessageOf(receiver))) {
      UnpendThread(receiver);
      (void)AbortTimeout(&receiver->base.timeout);
      receiver->base.swap_retval = 0;
      ReadyThread(receiver);
      return true;
    }
  }
  return false;
}

// The receiver is done with the message: report the size taken to the sender and let it go
// (a synchronous sender wakes; an asynchronous message's semaphore is given and its entry
// freed). Returns whether a thread may have been readied.
bool Dispose(k_mbox_msg *rx) {
  k_thread *sender = rx->_syncing_thread;
  if (sender == nullptr) {
    return false;
  }
  rx->_syncing_thread = nullptr;
  k_mbox_msg *tx = MessageOf(sender);
  tx->size = rx->size;
#if CONFIG_NUM_MBOX_ASYNC_MSGS > 0
  if (IsAsync(sender)) {
    if (tx->_async_sem != nullptr) {
      SemGiveLocked(tx->_async_sem);
    }
    sender->base.thread_state = 0;
    SemGiveLocked(&async_free);
    return true;
  }
#endif
  // Tells the sender, wherever it is woken from, that the message is done with.
  tx->_syncing_thread = nullptr;
  sender->base.thread_state &= ~_THREAD_SLEEPING;
  sender->base.swap_retval = 0;
  ReadyThread(sender);
  return true;
}

// After a match: take the data now, or leave the message for k_mbox_data_get().
int Consume(k_mbox_msg *rx, void *buffer) {
  if (buffer != nullptr) {
    k_mbox_data_get(rx, buffer);
  } else if (rx->size == 0U) {
    IrqLock lock;
    if (Dispose(rx)) {
      Reschedule(lock);
    }
  }
  return 0;
}

}  // namespace

extern "C" {

void k_mbox_init(struct k_mbox *mbox) {
  WaitQueueInit(&mbox->tx_msg_queue);
  WaitQueueInit(&mbox->rx_msg_queue);
}

int k_mbox_put(struct k_mbox *mbox, struct k_mbox_msg *tx_msg, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr(), "k_mbox_put() from an interrupt handler");
  k_thread *current = Current();
  tx_msg->rx_source_thread = current;
  tx_msg->_syncing_thread = current;
  tx_msg->_async_sem = nullptr;
  {
    IrqLock lock;
    current->base.swap_data = tx_msg;
    if (!OfferToReceivers(mbox, tx_msg)) {
      if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
        return -ENOMSG;
      }
      int rc = PendCurrent(&mbox->tx_msg_queue, timeout, lock);
      if (rc != 0) {
        return rc;
      }
    }
  }
  // A receiver has the message: wait until it disposes of it (maybe done already).
  for (;;) {
    IrqLock lock;
    if (tx_msg->_syncing_thread == nullptr) {
      return 0;
    }
    (void)PendCurrent(nullptr, K_FOREVER, lock);
  }
}

void k_mbox_async_put(struct k_mbox *mbox, struct k_mbox_msg *tx_msg, struct k_sem *sem) {
#if CONFIG_NUM_MBOX_ASYNC_MSGS > 0
  __ASSERT(!arch_is_in_isr(), "k_mbox_async_put() from an interrupt handler");
  (void)k_sem_take(&async_free, K_FOREVER);
  IrqLock lock;
  AsyncMsg *msg = async_msgs;
  while (msg->base.thread_state != 0U) {
    msg++;
  }
  k_thread *current = Current();
  msg->base.thread_state = _THREAD_DUMMY;
  msg->base.prio = current->base.prio;
  msg->tx_msg = *tx_msg;
  msg->tx_msg.rx_source_thread = current;
  msg->tx_msg._syncing_thread = AsThread(msg);
  msg->tx_msg._async_sem = sem;
  msg->base.swap_data = &msg->tx_msg;
  if (OfferToReceivers(mbox, &msg->tx_msg)) {
    Reschedule(lock);
    return;
  }
  WaitQueueInsert(&mbox->tx_msg_queue, AsThread(msg));
#else
  ARG_UNUSED(mbox);
  ARG_UNUSED(tx_msg);
  ARG_UNUSED(sem);
  __ASSERT(false, "k_mbox_async_put() needs CONFIG_NUM_MBOX_ASYNC_MSGS > 0");
#endif
}

int k_mbox_get(struct k_mbox *mbox, struct k_mbox_msg *rx_msg, void *buffer, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr() || K_TIMEOUT_EQ(timeout, K_NO_WAIT),
           "an interrupt handler cannot wait on a mailbox");
  k_thread *current = Current();
  rx_msg->tx_target_thread = current;
  {
    IrqLock lock;
    bool matched = false;
    sys_dnode_t *node;
    SYS_DLIST_FOR_EACH_NODE(&mbox->tx_msg_queue.waitq, node) {
      k_thread *sender = CONTAINER_OF(node, k_thread, base.qnode_dlist);
      if (Match(MessageOf(sender), rx_msg)) {
        UnpendThread(sender);
        if (!IsAsync(sender)) {
          // It sleeps until the message is disposed of; woken early (k_wakeup()), it sleeps
          // again.
          (void)AbortTimeout(&sender->base.timeout);
          sender->base.swap_retval = 0;
          sender->base.thread_state |= _THREAD_SLEEPING;
        }
        matched = true;
        break;
      }
    }
    if (!matched) {
      if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
        return -ENOMSG;
      }
      current->base.swap_data = rx_msg;
      int rc = PendCurrent(&mbox->rx_msg_queue, timeout, lock);
      if (rc != 0) {
        return rc;
      }
    }
  }
  return Consume(rx_msg, buffer);
}

void k_mbox_data_get(struct k_mbox_msg *rx_msg, void *buffer) {
  if (buffer == nullptr) {
    rx_msg->size = 0;
  } else if (rx_msg->tx_data != nullptr && rx_msg->size > 0U) {
    // The sender waits until the disposal below: its data stays put.
    memcpy(buffer, rx_msg->tx_data, rx_msg->size);
  }
  IrqLock lock;
  if (Dispose(rx_msg)) {
    Reschedule(lock);
  }
}

}  // extern "C"
