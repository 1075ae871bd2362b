/*
 * Mailboxes (Zephyr's k_mbox API): messages passed between threads, synchronously (the sender
 * waits until the receiver has taken the data) or asynchronously, optionally addressed to a
 * thread or accepted only from one.
 */
#ifndef GALE_KERNEL_MBOX_H_
#define GALE_KERNEL_MBOX_H_

#include <stddef.h>
#include <stdint.h>

#include <gale/kernel/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct k_thread;
struct k_sem;

/** Any thread, as a mailbox message's target or source. */
#define K_ANY NULL
/** No thread (Zephyr's K_NONE). */
#define K_NONE NULL

/** A mailbox message descriptor, of the sender or of the receiver. */
struct k_mbox_msg {
  /**
   * Sender: bytes to send; updated to the bytes the receiver took. Receiver: the most it
   * accepts; updated to the bytes sent (at most that).
   */
  size_t size;
  /** Exchanged: each side receives the other's value. */
  uint32_t info;
  /** Sender: the data (NULL for an empty message). */
  void *tx_data;
  /** Receiver: the sender to accept (K_ANY: any); updated to the sender. */
  struct k_thread *rx_source_thread;
  /** Sender: the receiver to send to (K_ANY: any); updated to the receiver. */
  struct k_thread *tx_target_thread;
  /** Private: the sender, until the receiver has disposed of the message. */
  struct k_thread *_syncing_thread;
  /** Private: what to give when an asynchronous message has been received. */
  struct k_sem *_async_sem;
};

/** A mailbox (kernel-private layout). */
struct k_mbox {
  /** Senders (and asynchronous messages) waiting for a receiver. */
  _wait_q_t tx_msg_queue;
  /** Receivers waiting for a sender. */
  _wait_q_t rx_msg_queue;
};

#define Z_MBOX_INITIALIZER(obj)                         \
  {                                                     \
    .tx_msg_queue = Z_WAIT_Q_INIT(&(obj).tx_msg_queue), \
    .rx_msg_queue = Z_WAIT_Q_INIT(&(obj).rx_msg_queue)  \
  }

/** Define and initialise mailbox @p name. */
#define K_MBOX_DEFINE(name) struct k_mbox name = Z_MBOX_INITIALIZER(name)

/** Initialise a mailbox. @pre any context */
void k_mbox_init(struct k_mbox *mbox);

/**
 * Send a message and wait until a receiver has taken (or discarded) its data.
 *
 * @param tx_msg the message: size, info, tx_data, tx_target_thread
 * @param timeout how long to wait for a receiver; once one has the message, the sender waits
 *        as long as it takes to dispose of it
 * @retval 0 sent
 * @retval -ENOMSG K_NO_WAIT and no receiver was waiting
 * @retval -EAGAIN the timeout expired
 * @pre thread context
 */
int k_mbox_put(struct k_mbox *mbox, struct k_mbox_msg *tx_msg, k_timeout_t timeout);

/**
 * Send a message without waiting. The message descriptor is copied; the data must stay valid
 * until @p sem (when not NULL) is given, once a receiver has disposed of the message. Waits
 * for a free descriptor when CONFIG_NUM_MBOX_ASYNC_MSGS are all in use.
 *
 * @pre thread context
 */
void k_mbox_async_put(struct k_mbox *mbox, struct k_mbox_msg *tx_msg, struct k_sem *sem);

/**
 * Receive a message.
 *
 * @param rx_msg the receiver's descriptor: size (the most to accept), info, rx_source_thread
 * @param buffer where to copy the data, or NULL to leave the message pending until
 *        k_mbox_data_get() (an empty message is disposed of at once)
 * @retval 0 received
 * @retval -ENOMSG K_NO_WAIT and no message was waiting
 * @retval -EAGAIN the timeout expired
 * @pre thread context, or any context with K_NO_WAIT
 */
int k_mbox_get(struct k_mbox *mbox, struct k_mbox_msg *rx_msg, void *buffer, k_timeout_t timeout);

/**
 * Take the data of a message received with a NULL buffer, and dispose of it (the sender
 * proceeds).
 *
 * @param buffer where to copy rx_msg->size bytes, or NULL to discard the data
 * @pre thread context
 */
void k_mbox_data_get(struct k_mbox_msg *rx_msg, void *buffer);

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_MBOX_H_ */
