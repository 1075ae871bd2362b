/*
 * k_msgq: the documented behaviour of Zephyr's message queue API. The test thread is
 * cooperative (ztest's default priority -1): helper threads run only when it blocks.
 */
#include <string.h>

#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
#define MAX_MSGS 4
#define NUM_HELPERS 3

struct msg {
  uint32_t id;
  uint16_t tag;
  uint8_t bytes[6];
};

K_MSGQ_DEFINE(static_q, sizeof(struct msg), MAX_MSGS, 4);
K_MSGQ_DEFINE(aligned_q, 32, 2, 32);

static struct k_msgq q;
static char __aligned(4) q_buffer[MAX_MSGS * sizeof(struct msg)];

K_THREAD_STACK_ARRAY_DEFINE(helper_stacks, NUM_HELPERS, STACK_SIZE);
static struct k_thread helpers[NUM_HELPERS];

K_HEAP_DEFINE(small_heap, 256);

static struct msg make(uint32_t id) {
  struct msg m = {.id = id, .tag = (uint16_t)(id * 3)};

  memset(m.bytes, (int)id, sizeof(m.bytes));
  return m;
}

static void expect_msg(const struct msg *m, uint32_t id) {
  struct msg want = make(id);

  zassert_mem_equal(m, &want, sizeof(want), "expected message %u, got %u", (unsigned int)id,
                    (unsigned int)m->id);
}

static void fill(struct k_msgq *queue, uint32_t first, int count) {
  for (int i = 0; i < count; i++) {
    struct msg m = make(first + i);

    zassert_ok(k_msgq_put(queue, &m, K_NO_WAIT));
  }
}

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  k_msgq_init(&q, q_buffer, sizeof(struct msg), MAX_MSGS);
  k_msgq_purge(&static_q);
}

ZTEST(msgq, test_put_get_first_in_first_out) {
  struct msg m;

  zassert_equal(k_msgq_num_free_get(&q), MAX_MSGS);
  zassert_equal(k_msgq_num_used_get(&q), 0);
  fill(&q, 1, MAX_MSGS);
  zassert_equal(k_msgq_num_free_get(&q), 0);
  zassert_equal(k_msgq_num_used_get(&q), MAX_MSGS);
  m = make(99);
  zassert_equal(k_msgq_put(&q, &m, K_NO_WAIT), -ENOMSG, "full");
  for (uint32_t i = 1; i <= MAX_MSGS; i++) {
    memset(&m, 0, sizeof(m));
    zassert_ok(k_msgq_get(&q, &m, K_NO_WAIT));
    expect_msg(&m, i);
  }
  zassert_equal(k_msgq_get(&q, &m, K_NO_WAIT), -ENOMSG, "empty");
}

ZTEST(msgq, test_ring_wraps_around) {
  struct msg m;
  uint32_t next_put = 1;
  uint32_t next_get = 1;

  /* Uneven bursts walk the read and write positions all around the ring. */
  for (int round = 0; round < 20; round++) {
    int burst = 1 + round % MAX_MSGS;

    for (int i = 0; i < burst; i++) {
      m = make(next_put++);
      zassert_ok(k_msgq_put(&q, &m, K_NO_WAIT));
    }
    for (int i = 0; i < burst; i++) {
      zassert_ok(k_msgq_get(&q, &m, K_NO_WAIT));
      expect_msg(&m, next_get++);
    }
  }
  zassert_equal(k_msgq_num_used_get(&q), 0);
}

ZTEST(msgq, test_static_queues) {
  struct k_msgq_attrs attrs;
  struct msg m = make(5);
  char big[32] = "thirty-two bytes of message....";
  char out[32];

  k_msgq_get_attrs(&static_q, &attrs);
  zassert_equal(attrs.msg_size, sizeof(struct msg));
  zassert_equal(attrs.max_msgs, MAX_MSGS);
  zassert_equal(attrs.used_msgs, 0);
  zassert_ok(k_msgq_put(&static_q, &m, K_NO_WAIT));
  k_msgq_get_attrs(&static_q, &attrs);
  zassert_equal(attrs.used_msgs, 1);
  memset(&m, 0, sizeof(m));
  zassert_ok(k_msgq_get(&static_q, &m, K_NO_WAIT));
  expect_msg(&m, 5);

  zassert_equal((uintptr_t)aligned_q.buffer_start % 32, 0, "the buffer has the asked alignment");
  zassert_ok(k_msgq_put(&aligned_q, big, K_NO_WAIT));
  zassert_ok(k_msgq_get(&aligned_q, out, K_NO_WAIT));
  zassert_mem_equal(out, big, sizeof(big));
}

ZTEST(msgq, test_timeouts) {
  struct msg m = make(1);
  int64_t start = k_uptime_get();

  zassert_equal(k_msgq_get(&q, &m, K_MSEC(30)), -EAGAIN);
  zassert_true(k_uptime_get() - start >= 30);
  fill(&q, 1, MAX_MSGS);
  start = k_uptime_get();
  zassert_equal(k_msgq_put(&q, &m, K_MSEC(30)), -EAGAIN);
  zassert_true(k_uptime_get() - start >= 30);
  zassert_equal(k_msgq_num_used_get(&q), MAX_MSGS, "a timed-out put adds nothing");
}

static void get_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  struct msg m;

  k_msleep(20);
  zassert_ok(k_msgq_get(&q, &m, K_NO_WAIT));
  expect_msg(&m, (uint32_t)(uintptr_t)p1);
}

ZTEST(msgq, test_put_waits_for_room) {
  struct msg m = make(5);

  fill(&q, 1, MAX_MSGS);
  k_thread_create(&helpers[0], helper_stacks[0], STACK_SIZE, get_later, (void *)1, NULL, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  int64_t start = k_uptime_get();
  zassert_ok(k_msgq_put(&q, &m, K_SECONDS(2)));
  zassert_true(k_uptime_get() - start >= 20);
  zassert_ok(k_thread_join(&helpers[0], K_FOREVER));
  /* The waiting message went in behind the others. */
  for (uint32_t i = 2; i <= 5; i++) {
    zassert_ok(k_msgq_get(&q, &m, K_NO_WAIT));
    expect_msg(&m, i);
  }
}

static void put_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  struct msg m = make((uint32_t)(uintptr_t)p1);

  k_msleep(20);
  zassert_ok(k_msgq_put(&q, &m, K_NO_WAIT));
  /* Copied straight into the receiver's buffer: the queue stays empty. */
  zassert_equal(k_msgq_num_used_get(&q), 0);
}

ZTEST(msgq, test_get_waits_for_put) {
  struct msg m;

  k_thread_create(&helpers[0], helper_stacks[0], STACK_SIZE, put_later, (void *)42, NULL, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  int64_t start = k_uptime_get();
  zassert_ok(k_msgq_get(&q, &m, K_FOREVER));
  zassert_true(k_uptime_get() - start >= 20);
  expect_msg(&m, 42);
  zassert_ok(k_thread_join(&helpers[0], K_FOREVER));
}

static struct msg received[NUM_HELPERS];
static int results[NUM_HELPERS];
static int order[NUM_HELPERS];
static int done;

static void receiver(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  int id = (int)(intptr_t)p1;

  results[id] = k_msgq_get(&q, &received[id], K_FOREVER);
  order[done++] = id;
}

static void sender(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  int id = (int)(intptr_t)p1;
  struct msg m = make(100 + id);

  results[id] = k_msgq_put(&q, &m, K_FOREVER);
  order[done++] = id;
}

static void start_helpers(k_thread_entry_t entry, const int *prios) {
  done = 0;
  for (int i = 0; i < NUM_HELPERS; i++) {
    results[i] = 1;
    k_thread_create(&helpers[i], helper_stacks[i], STACK_SIZE, entry, (void *)(intptr_t)i, NULL,
                    NULL, prios[i], 0, K_NO_WAIT);
  }
  k_msleep(10);
  zassert_equal(done, 0, "the helpers did not block");
}

static void join_helpers(void) {
  for (int i = 0; i < NUM_HELPERS; i++) {
    zassert_ok(k_thread_join(&helpers[i], K_FOREVER));
  }
}

ZTEST(msgq, test_receivers_wake_in_priority_order) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(6), K_PRIO_PREEMPT(2), K_PRIO_PREEMPT(4)};

  start_helpers(receiver, prios);
  fill(&q, 1, NUM_HELPERS);
  zassert_equal(k_msgq_num_used_get(&q), 0, "every message went straight to a receiver");
  k_msleep(10);
  zassert_equal(done, NUM_HELPERS);
  expect_msg(&received[1], 1);
  expect_msg(&received[2], 2);
  expect_msg(&received[0], 3);
  zassert_equal(order[0], 1);
  zassert_equal(order[1], 2);
  zassert_equal(order[2], 0);
  join_helpers();
}

ZTEST(msgq, test_senders_wake_in_priority_order) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(6), K_PRIO_PREEMPT(2), K_PRIO_PREEMPT(4)};
  static const uint32_t expected[] = {1, 2, 3, 4, 101, 102, 100};
  struct msg m;

  fill(&q, 1, MAX_MSGS);
  start_helpers(sender, prios);
  /* Each get frees a slot that the most urgent waiting sender's message takes at once. */
  for (size_t i = 0; i < ARRAY_SIZE(expected); i++) {
    zassert_ok(k_msgq_get(&q, &m, K_NO_WAIT), "message %u", (unsigned int)i);
    expect_msg(&m, expected[i]);
  }
  k_msleep(10);
  zassert_equal(done, NUM_HELPERS);
  for (int i = 0; i < NUM_HELPERS; i++) {
    zassert_ok(results[i]);
  }
  zassert_equal(order[0], 1);
  zassert_equal(order[1], 2);
  zassert_equal(order[2], 0);
  join_helpers();
}

ZTEST(msgq, test_put_front) {
  struct msg m;

  fill(&q, 1, 2);
  m = make(7);
  zassert_ok(k_msgq_put_front(&q, &m));
  m = make(8);
  zassert_ok(k_msgq_put_front(&q, &m));
  m = make(9);
  zassert_equal(k_msgq_put_front(&q, &m), -ENOMSG, "full");
  static const uint32_t expected[] = {8, 7, 1, 2};
  for (size_t i = 0; i < ARRAY_SIZE(expected); i++) {
    zassert_ok(k_msgq_get(&q, &m, K_NO_WAIT));
    expect_msg(&m, expected[i]);
  }
}

ZTEST(msgq, test_put_front_hands_to_waiting_receiver) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(3), K_PRIO_PREEMPT(1), K_PRIO_PREEMPT(2)};

  start_helpers(receiver, prios);
  for (int i = 0; i < NUM_HELPERS; i++) {
    struct msg m = make(60 + i);

    zassert_ok(k_msgq_put_front(&q, &m));
  }
  zassert_equal(k_msgq_num_used_get(&q), 0);
  k_msleep(10);
  expect_msg(&received[1], 60);
  expect_msg(&received[2], 61);
  expect_msg(&received[0], 62);
  join_helpers();
}

ZTEST(msgq, test_peek_and_peek_at) {
  struct msg m;

  zassert_equal(k_msgq_peek(&q, &m), -ENOMSG);
  zassert_equal(k_msgq_peek_at(&q, &m, 0), -ENOMSG);
  /* Move the ring's start so that peek_at has to wrap. */
  fill(&q, 1, 3);
  for (int i = 0; i < 3; i++) {
    zassert_ok(k_msgq_get(&q, &m, K_NO_WAIT));
  }
  fill(&q, 10, MAX_MSGS);
  zassert_ok(k_msgq_peek(&q, &m));
  expect_msg(&m, 10);
  for (uint32_t i = 0; i < MAX_MSGS; i++) {
    zassert_ok(k_msgq_peek_at(&q, &m, i));
    expect_msg(&m, 10 + i);
  }
  zassert_equal(k_msgq_peek_at(&q, &m, MAX_MSGS), -ENOMSG);
  zassert_equal(k_msgq_num_used_get(&q), MAX_MSGS, "peeking takes nothing");
  zassert_ok(k_msgq_get(&q, &m, K_NO_WAIT));
  expect_msg(&m, 10);
}

ZTEST(msgq, test_purge_releases_waiting_senders) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(3), K_PRIO_PREEMPT(1), K_PRIO_PREEMPT(2)};
  struct msg m;

  fill(&q, 1, MAX_MSGS);
  start_helpers(sender, prios);
  k_msgq_purge(&q);
  zassert_equal(k_msgq_num_used_get(&q), 0);
  zassert_equal(k_msgq_num_free_get(&q), MAX_MSGS);
  k_msleep(10);
  zassert_equal(done, NUM_HELPERS);
  for (int i = 0; i < NUM_HELPERS; i++) {
    zassert_equal(results[i], -ENOMSG, "a purged sender returns -ENOMSG");
  }
  zassert_equal(k_msgq_get(&q, &m, K_NO_WAIT), -ENOMSG);
  /* Still usable. */
  fill(&q, 20, 2);
  zassert_ok(k_msgq_get(&q, &m, K_NO_WAIT));
  expect_msg(&m, 20);
  join_helpers();
}

struct isr_record {
  bool in_isr;
  int put_rc[MAX_MSGS + 1];
  int get_rc[MAX_MSGS + 1];
  struct msg got[MAX_MSGS + 1];
  int peek_rc;
};
static struct isr_record isr_record;

static void isr_fill_and_drain(const void *arg) {
  ARG_UNUSED(arg);
  isr_record.in_isr = k_is_in_isr();
  for (int i = 0; i <= MAX_MSGS; i++) {
    struct msg m = make(30 + i);

    isr_record.put_rc[i] = k_msgq_put(&q, &m, K_NO_WAIT);
  }
  isr_record.peek_rc = k_msgq_peek(&q, &isr_record.got[0]);
  for (int i = 0; i <= MAX_MSGS; i++) {
    isr_record.get_rc[i] = k_msgq_get(&q, &isr_record.got[i], K_NO_WAIT);
  }
}

ZTEST(msgq, test_isr_put_and_get) {
  irq_offload(isr_fill_and_drain, NULL);
  zassert_true(isr_record.in_isr);
  zassert_ok(isr_record.peek_rc);
  for (int i = 0; i < MAX_MSGS; i++) {
    zassert_ok(isr_record.put_rc[i]);
    zassert_ok(isr_record.get_rc[i]);
    expect_msg(&isr_record.got[i], 30 + i);
  }
  zassert_equal(isr_record.put_rc[MAX_MSGS], -ENOMSG);
  zassert_equal(isr_record.get_rc[MAX_MSGS], -ENOMSG);
}

static void isr_put(const void *arg) {
  struct msg m = make((uint32_t)(uintptr_t)arg);

  isr_record.put_rc[0] = k_msgq_put(&q, &m, K_NO_WAIT);
}

ZTEST(msgq, test_isr_put_wakes_receiver) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(3), K_PRIO_PREEMPT(1), K_PRIO_PREEMPT(2)};

  start_helpers(receiver, prios);
  for (int i = 0; i < NUM_HELPERS; i++) {
    irq_offload(isr_put, (const void *)(uintptr_t)(70 + i));
    zassert_ok(isr_record.put_rc[0]);
  }
  k_msleep(10);
  expect_msg(&received[1], 70);
  expect_msg(&received[2], 71);
  expect_msg(&received[0], 72);
  join_helpers();
}

ZTEST(msgq, test_alloc_init_and_cleanup) {
  struct k_msgq allocated;
  struct msg m = make(3);

  k_thread_heap_assign(k_current_get(), NULL);
  zassert_equal(k_msgq_alloc_init(&allocated, sizeof(struct msg), 4), -ENOMEM, "no pool");
  k_thread_heap_assign(k_current_get(), &small_heap);
  zassert_equal(k_msgq_alloc_init(&allocated, sizeof(struct msg), 100), -ENOMEM, "too big");
  zassert_equal(k_msgq_alloc_init(&allocated, SIZE_MAX / 2, 4), -EINVAL, "size overflows");
  for (int round = 0; round < 20; round++) {
    zassert_ok(k_msgq_alloc_init(&allocated, sizeof(struct msg), 8), "round %d", round);
    zassert_ok(k_msgq_put(&allocated, &m, K_NO_WAIT));
    zassert_ok(k_msgq_get(&allocated, &m, K_NO_WAIT));
    expect_msg(&m, 3);
    zassert_ok(k_msgq_cleanup(&allocated));
  }
  zassert_ok(k_msgq_cleanup(&allocated), "nothing left to free");
}

static void get_forever(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  struct msg m;

  zassert_ok(k_msgq_get((struct k_msgq *)p1, &m, K_FOREVER));
}

ZTEST(msgq, test_cleanup_refuses_while_threads_wait) {
  struct k_msgq allocated;
  struct msg m = make(1);

  k_thread_system_pool_assign(k_current_get());
  zassert_ok(k_msgq_alloc_init(&allocated, sizeof(struct msg), 2));
  k_thread_create(&helpers[0], helper_stacks[0], STACK_SIZE, get_forever, &allocated, NULL, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  k_msleep(5);
  zassert_equal(k_msgq_cleanup(&allocated), -EBUSY);
  zassert_ok(k_msgq_put(&allocated, &m, K_NO_WAIT));
  zassert_ok(k_thread_join(&helpers[0], K_FOREVER));
  zassert_ok(k_msgq_cleanup(&allocated));
}

ZTEST_SUITE(msgq, NULL, NULL, before, NULL, NULL);
