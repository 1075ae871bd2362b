/*
 * k_mbox: synchronous messages (the sender waits until the receiver has the data),
 * asynchronous ones, target and source threads, deferred data retrieval, sizes and info
 * exchanged, return codes, a receiver in an ISR.
 */
#include <string.h>

#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
#define NUM_HELPERS 2

K_MBOX_DEFINE(mbox);
static char payload[] = "mailbox message";

static K_THREAD_STACK_ARRAY_DEFINE(stacks, NUM_HELPERS, STACK_SIZE);
static struct k_thread helpers[NUM_HELPERS];
static bool started[NUM_HELPERS];

/* A helper sends or receives one message. */
struct party {
  bool send;
  struct k_mbox_msg msg;
  char buffer[32];
  bool defer; /* receive with a NULL buffer */
  k_timeout_t timeout;
  int rc;
  volatile bool finished;
};
static struct party parties[NUM_HELPERS];
static volatile int finish_order[NUM_HELPERS];
static volatile int finished;

static void party_entry(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  int index = (int)(intptr_t)p1;
  struct party *p = &parties[index];
  p->rc = p->send ? k_mbox_put(&mbox, &p->msg, p->timeout)
                  : k_mbox_get(&mbox, &p->msg, p->defer ? NULL : p->buffer, p->timeout);
  finish_order[finished++] = index;
  p->finished = true;
}

static struct party *sender(int index, size_t size, uint32_t info, k_tid_t target) {
  struct party *p = &parties[index];
  memset(p, 0, sizeof(*p));
  p->send = true;
  p->timeout = K_FOREVER;
  p->msg.size = size;
  p->msg.info = info;
  p->msg.tx_data = payload;
  p->msg.tx_target_thread = target;
  return p;
}

static struct party *receiver(int index, size_t size, uint32_t info, k_tid_t source) {
  struct party *p = &parties[index];
  memset(p, 0, sizeof(*p));
  p->timeout = K_FOREVER;
  p->msg.size = size;
  p->msg.info = info;
  p->msg.rx_source_thread = source;
  return p;
}

static void run(int index, int prio) {
  k_thread_create(&helpers[index], stacks[index], STACK_SIZE, party_entry, (void *)(intptr_t)index,
                  NULL, NULL, prio, 0, K_NO_WAIT);
  started[index] = true;
  k_msleep(1);
}

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  k_mbox_init(&mbox);
  finished = 0;
}

static void after(void *fixture) {
  ARG_UNUSED(fixture);
  for (int i = 0; i < NUM_HELPERS; i++) {
    if (started[i]) {
      k_thread_abort(&helpers[i]);
      started[i] = false;
    }
  }
}

ZTEST(mbox, test_put_to_waiting_receiver) {
  struct party *rx = receiver(0, sizeof(rx->buffer), 0x55, K_ANY);
  run(0, K_PRIO_PREEMPT(1));
  zassert_false(rx->finished);
  struct k_mbox_msg msg = {
      .size = sizeof(payload), .info = 0x1234, .tx_data = payload, .tx_target_thread = K_ANY};
  zassert_equal(k_mbox_put(&mbox, &msg, K_FOREVER), 0);
  /* The receiver has the data; it finishes when the (cooperative) test thread sleeps. */
  zassert_str_equal(rx->buffer, payload, "put returns once the receiver has the data");
  zassert_false(rx->finished);
  k_msleep(1);
  zassert_true(rx->finished);
  zassert_equal(rx->rc, 0);
  zassert_equal(rx->msg.size, sizeof(payload));
  zassert_equal(rx->msg.info, 0x1234U);
  zassert_str_equal(rx->buffer, payload);
  zassert_equal_ptr(rx->msg.rx_source_thread, k_current_get());
  zassert_equal(msg.info, 0x55U, "the infos are exchanged");
  zassert_equal(msg.size, sizeof(payload));
  zassert_equal_ptr(msg.tx_target_thread, &helpers[0]);
}

ZTEST(mbox, test_get_from_waiting_sender) {
  struct party *tx = sender(0, sizeof(payload), 7, K_ANY);
  run(0, K_PRIO_PREEMPT(1));
  zassert_false(tx->finished);
  char buf[32];
  struct k_mbox_msg msg = {.size = sizeof(buf), .info = 8, .rx_source_thread = K_ANY};
  zassert_equal(k_mbox_get(&mbox, &msg, buf, K_NO_WAIT), 0);
  zassert_equal(msg.info, 7U);
  zassert_str_equal(buf, payload);
  zassert_equal_ptr(msg.rx_source_thread, &helpers[0]);
  k_msleep(1);
  zassert_true(tx->finished);
  zassert_equal(tx->rc, 0);
  zassert_equal(tx->msg.info, 8U);
}

ZTEST(mbox, test_no_wait_and_timeout) {
  char buf[8];
  struct k_mbox_msg tx = {.size = 4, .tx_data = payload, .tx_target_thread = K_ANY};
  struct k_mbox_msg rx = {.size = sizeof(buf), .rx_source_thread = K_ANY};
  zassert_equal(k_mbox_put(&mbox, &tx, K_NO_WAIT), -ENOMSG);
  zassert_equal(k_mbox_get(&mbox, &rx, buf, K_NO_WAIT), -ENOMSG);
  int64_t start = k_uptime_ticks();
  zassert_equal(k_mbox_put(&mbox, &tx, K_MSEC(20)), -EAGAIN);
  zassert_true(k_uptime_ticks() - start >= (int64_t)k_ms_to_ticks_ceil64(20));
  start = k_uptime_ticks();
  zassert_equal(k_mbox_get(&mbox, &rx, buf, K_MSEC(20)), -EAGAIN);
  zassert_true(k_uptime_ticks() - start >= (int64_t)k_ms_to_ticks_ceil64(20));
  zassert_equal(k_mbox_get(&mbox, &rx, buf, K_NO_WAIT), -ENOMSG, "the timed-out put is gone");
}

ZTEST(mbox, test_target_thread) {
  /* A message for helper 1 is not for the test thread. */
  struct party *tx = sender(0, sizeof(payload), 1, &helpers[1]);
  run(0, K_PRIO_PREEMPT(1));
  char buf[32];
  struct k_mbox_msg msg = {.size = sizeof(buf), .rx_source_thread = K_ANY};
  zassert_equal(k_mbox_get(&mbox, &msg, buf, K_NO_WAIT), -ENOMSG);
  struct party *rx = receiver(1, sizeof(rx->buffer), 0, K_ANY);
  run(1, K_PRIO_PREEMPT(1));
  zassert_true(rx->finished);
  zassert_true(tx->finished);
  zassert_equal(rx->rc, 0);
  zassert_str_equal(rx->buffer, payload);
}

ZTEST(mbox, test_source_thread) {
  struct party *tx0 = sender(0, 4, 100, K_ANY);
  run(0, K_PRIO_PREEMPT(1));
  struct party *tx1 = sender(1, 4, 101, K_ANY);
  run(1, K_PRIO_PREEMPT(1));
  char buf[8];
  struct k_mbox_msg msg = {.size = sizeof(buf), .rx_source_thread = &helpers[1]};
  zassert_equal(k_mbox_get(&mbox, &msg, buf, K_NO_WAIT), 0);
  zassert_equal(msg.info, 101U, "only helper 1's message");
  k_msleep(1);
  zassert_true(tx1->finished);
  zassert_false(tx0->finished);
  msg = (struct k_mbox_msg){.size = sizeof(buf), .rx_source_thread = K_ANY};
  zassert_equal(k_mbox_get(&mbox, &msg, buf, K_NO_WAIT), 0);
  zassert_equal(msg.info, 100U);
}

ZTEST(mbox, test_receivers_by_priority) {
  struct party *lo = receiver(0, 32, 0, K_ANY);
  run(0, K_PRIO_PREEMPT(6));
  struct party *hi = receiver(1, 32, 0, K_ANY);
  run(1, K_PRIO_PREEMPT(2));
  struct k_mbox_msg msg = {.size = 4, .tx_data = payload, .tx_target_thread = K_ANY};
  zassert_equal(k_mbox_put(&mbox, &msg, K_NO_WAIT), 0);
  k_msleep(1);
  zassert_true(hi->finished, "the more urgent receiver");
  zassert_false(lo->finished);
  zassert_equal_ptr(msg.tx_target_thread, &helpers[1]);
}

ZTEST(mbox, test_deferred_data) {
  struct party *tx = sender(0, sizeof(payload), 3, K_ANY);
  run(0, K_PRIO_PREEMPT(1));
  struct k_mbox_msg msg = {.size = 64, .rx_source_thread = K_ANY};
  zassert_equal(k_mbox_get(&mbox, &msg, NULL, K_NO_WAIT), 0);
  zassert_equal(msg.size, sizeof(payload), "the size to expect");
  k_msleep(1);
  zassert_false(tx->finished, "the sender waits until the data is taken");
  char buf[64];
  k_mbox_data_get(&msg, buf);
  zassert_str_equal(buf, payload);
  k_msleep(1);
  zassert_true(tx->finished);
  zassert_equal(tx->rc, 0);
  zassert_equal(tx->msg.size, sizeof(payload));

  /* Discarded data: the sender learns that none was taken. */
  tx = sender(0, sizeof(payload), 3, K_ANY);
  run(0, K_PRIO_PREEMPT(1));
  msg = (struct k_mbox_msg){.size = 64, .rx_source_thread = K_ANY};
  zassert_equal(k_mbox_get(&mbox, &msg, NULL, K_NO_WAIT), 0);
  k_mbox_data_get(&msg, NULL);
  k_msleep(1);
  zassert_true(tx->finished);
  zassert_equal(tx->msg.size, 0U);
}

ZTEST(mbox, test_receiver_takes_less) {
  struct party *rx = receiver(0, 4, 0, K_ANY);
  run(0, K_PRIO_PREEMPT(1));
  struct k_mbox_msg msg = {.size = sizeof(payload), .tx_data = payload, .tx_target_thread = K_ANY};
  zassert_equal(k_mbox_put(&mbox, &msg, K_FOREVER), 0);
  zassert_equal(rx->msg.size, 4U);
  zassert_mem_equal(rx->buffer, payload, 4);
  zassert_equal(msg.size, 4U, "the sender learns how much was taken");
}

ZTEST(mbox, test_empty_message) {
  struct party *tx = sender(0, 0, 9, K_ANY);
  tx->msg.tx_data = NULL;
  run(0, K_PRIO_PREEMPT(1));
  struct k_mbox_msg msg = {.size = 16, .rx_source_thread = K_ANY};
  zassert_equal(k_mbox_get(&mbox, &msg, NULL, K_NO_WAIT), 0);
  zassert_equal(msg.size, 0U);
  zassert_equal(msg.info, 9U);
  k_msleep(1);
  zassert_true(tx->finished, "an empty message is disposed of at once");
}

ZTEST(mbox, test_async) {
  static K_SEM_DEFINE(done, 0, 10);
  char bufs[3][8];
  for (int i = 0; i < 3; i++) {
    struct k_mbox_msg msg = {
        .size = 4, .info = (uint32_t)i, .tx_data = payload + i, .tx_target_thread = K_ANY};
    k_mbox_async_put(&mbox, &msg, i == 1 ? NULL : &done);
  }
  zassert_equal(k_sem_count_get(&done), 0U, "nobody received yet");
  for (int i = 0; i < 3; i++) {
    struct k_mbox_msg msg = {.size = 8, .rx_source_thread = K_ANY};
    zassert_equal(k_mbox_get(&mbox, &msg, bufs[i], K_NO_WAIT), 0);
    zassert_equal(msg.info, (uint32_t)i, "in the order sent");
    zassert_equal(msg.size, 4U);
    zassert_mem_equal(bufs[i], payload + i, 4);
    zassert_equal_ptr(msg.rx_source_thread, k_current_get());
  }
  zassert_equal(k_sem_count_get(&done), 2U, "given once each message was received");

  /* To a waiting receiver, and deferred: the semaphore comes with the data. */
  struct party *rx = receiver(0, 32, 0, K_ANY);
  rx->defer = true;
  run(0, K_PRIO_PREEMPT(1));
  struct k_mbox_msg msg = {.size = 4, .tx_data = payload, .tx_target_thread = K_ANY};
  k_sem_reset(&done);
  k_mbox_async_put(&mbox, &msg, &done);
  k_msleep(1);
  zassert_true(rx->finished);
  zassert_equal(k_sem_count_get(&done), 0U);
  k_mbox_data_get(&rx->msg, rx->buffer);
  zassert_equal(k_sem_count_get(&done), 1U);
}

ZTEST(mbox, test_async_descriptors_recycled) {
  /* More messages than descriptors, one at a time. */
  for (int i = 0; i < 3 * CONFIG_NUM_MBOX_ASYNC_MSGS; i++) {
    struct k_mbox_msg msg = {.size = 1, .tx_data = payload, .tx_target_thread = K_ANY};
    k_mbox_async_put(&mbox, &msg, NULL);
    char c;
    struct k_mbox_msg rx = {.size = 1, .rx_source_thread = K_ANY};
    zassert_equal(k_mbox_get(&mbox, &rx, &c, K_NO_WAIT), 0);
  }
}

static void isr_get(const void *arg) {
  struct k_mbox_msg msg = {.size = 8, .rx_source_thread = K_ANY};
  *(int *)arg = k_mbox_get(&mbox, &msg, (char[8]){0}, K_NO_WAIT);
}

ZTEST(mbox, test_isr) {
  int rc = 99;
  irq_offload(isr_get, &rc);
  zassert_equal(rc, -ENOMSG);
  struct party *tx = sender(0, 4, 0, K_ANY);
  run(0, K_PRIO_PREEMPT(1));
  irq_offload(isr_get, &rc);
  zassert_equal(rc, 0, "received in an ISR");
  k_msleep(1);
  zassert_true(tx->finished);
  zassert_equal(tx->rc, 0);
}

ZTEST_SUITE(mbox, NULL, NULL, before, after, NULL);
