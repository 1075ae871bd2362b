/*
 * k_pipe: transfers through the ring buffer and straight between threads, min_xfer and its
 * return codes, timeouts, the order readers are served in, flushes, use from ISRs.
 */
#include <string.h>

#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
#define PIPE_SIZE 16
#define NUM_HELPERS 2

K_PIPE_DEFINE(bpipe, PIPE_SIZE, 4);
static struct k_pipe upipe; /* no buffer */

static unsigned char pattern[64];

static K_THREAD_STACK_ARRAY_DEFINE(stacks, NUM_HELPERS, STACK_SIZE);
static struct k_thread helpers[NUM_HELPERS];
static bool started[NUM_HELPERS];

/* What a helper does and what it got. */
struct transfer {
  struct k_pipe *pipe;
  bool put;
  size_t bytes;
  size_t min_xfer;
  k_timeout_t timeout;
  unsigned char data[64];
  size_t done;
  int rc;
  volatile bool finished;
};
static struct transfer transfers[NUM_HELPERS];
static volatile int finish_order[NUM_HELPERS];
static volatile int finished;

static void helper_entry(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  int index = (int)(intptr_t)p1;
  struct transfer *t = &transfers[index];
  t->rc = t->put ? k_pipe_put(t->pipe, pattern, t->bytes, &t->done, t->min_xfer, t->timeout)
                 : k_pipe_get(t->pipe, t->data, t->bytes, &t->done, t->min_xfer, t->timeout);
  finish_order[finished++] = index;
  t->finished = true;
}

/* Start helper @p index (more urgent than the test thread once it blocks) and let it run. */
static struct transfer *start(int index, int prio, struct k_pipe *pipe, bool put, size_t bytes,
                              size_t min_xfer) {
  struct transfer *t = &transfers[index];
  memset(t, 0, sizeof(*t));
  t->pipe = pipe;
  t->put = put;
  t->bytes = bytes;
  t->min_xfer = min_xfer;
  t->timeout = K_FOREVER;
  k_thread_create(&helpers[index], stacks[index], STACK_SIZE, helper_entry, (void *)(intptr_t)index,
                  NULL, NULL, prio, 0, K_NO_WAIT);
  started[index] = true;
  k_msleep(1);
  return t;
}

static void *setup(void) {
  for (size_t i = 0; i < sizeof(pattern); i++) {
    pattern[i] = (unsigned char)(i + 1);
  }
  return NULL;
}

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  k_pipe_init(&bpipe, bpipe.buffer, PIPE_SIZE);
  k_pipe_init(&upipe, NULL, 0);
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

ZTEST(pipe, test_put_get) {
  size_t done;
  unsigned char buf[PIPE_SIZE];
  zassert_equal(k_pipe_read_avail(&bpipe), 0U);
  zassert_equal(k_pipe_write_avail(&bpipe), PIPE_SIZE);
  zassert_equal(k_pipe_put(&bpipe, pattern, 10, &done, 10, K_NO_WAIT), 0);
  zassert_equal(done, 10U);
  zassert_equal(k_pipe_read_avail(&bpipe), 10U);
  zassert_equal(k_pipe_write_avail(&bpipe), PIPE_SIZE - 10);
  zassert_equal(k_pipe_get(&bpipe, buf, 4, &done, 4, K_NO_WAIT), 0);
  zassert_equal(done, 4U);
  zassert_mem_equal(buf, pattern, 4);
  /* Around the end of the ring. */
  zassert_equal(k_pipe_put(&bpipe, pattern + 10, 10, &done, 10, K_NO_WAIT), 0);
  zassert_equal(k_pipe_read_avail(&bpipe), PIPE_SIZE);
  zassert_equal(k_pipe_get(&bpipe, buf, PIPE_SIZE, &done, PIPE_SIZE, K_FOREVER), 0);
  zassert_equal(done, PIPE_SIZE);
  zassert_mem_equal(buf, pattern + 4, PIPE_SIZE);
  zassert_equal(k_pipe_read_avail(&bpipe), 0U);
}

ZTEST(pipe, test_no_wait) {
  size_t done = 99;
  unsigned char buf[32];
  zassert_equal(k_pipe_get(&bpipe, buf, 1, &done, 1, K_NO_WAIT), -EIO, "empty");
  zassert_equal(done, 0U);
  zassert_equal(k_pipe_put(&bpipe, pattern, 20, &done, 10, K_NO_WAIT), 0, "at least 10 fit");
  zassert_equal(done, PIPE_SIZE, "as much as fits");
  zassert_equal(k_pipe_put(&bpipe, pattern, 1, &done, 1, K_NO_WAIT), -EIO, "full");
  zassert_equal(done, 0U);
  zassert_equal(k_pipe_put(&bpipe, pattern, 1, &done, 0, K_NO_WAIT), 0, "nothing required");
  zassert_equal(done, 0U);
  zassert_equal(k_pipe_get(&bpipe, buf, 20, &done, 17, K_NO_WAIT), -EIO, "only 16 there");
  zassert_equal(done, 0U);
  zassert_equal(k_pipe_read_avail(&bpipe), PIPE_SIZE, "a failed get takes nothing");
  zassert_equal(k_pipe_get(&bpipe, buf, 20, &done, 0, K_NO_WAIT), 0);
  zassert_equal(done, PIPE_SIZE);
  zassert_mem_equal(buf, pattern, PIPE_SIZE);

  /* Without a buffer, only a waiting peer makes a transfer possible. */
  zassert_equal(k_pipe_put(&upipe, pattern, 4, &done, 1, K_NO_WAIT), -EIO);
  zassert_equal(k_pipe_get(&upipe, buf, 4, &done, 1, K_NO_WAIT), -EIO);
  zassert_equal(k_pipe_read_avail(&upipe), 0U);
  zassert_equal(k_pipe_write_avail(&upipe), 0U);
}

ZTEST(pipe, test_invalid) {
  size_t done;
  unsigned char buf[8];
  zassert_equal(k_pipe_put(&bpipe, pattern, 4, &done, 5, K_NO_WAIT), -EINVAL);
  zassert_equal(k_pipe_get(&bpipe, buf, 4, &done, 5, K_NO_WAIT), -EINVAL);
  zassert_equal(k_pipe_put(&bpipe, pattern, 4, NULL, 1, K_NO_WAIT), -EINVAL);
  zassert_equal(k_pipe_get(&bpipe, buf, 4, NULL, 1, K_NO_WAIT), -EINVAL);
  zassert_equal(k_pipe_read_avail(&bpipe), 0U);
}

ZTEST(pipe, test_timeouts) {
  size_t done = 99;
  unsigned char buf[32];
  int64_t start = k_uptime_ticks();
  zassert_equal(k_pipe_get(&bpipe, buf, 8, &done, 8, K_MSEC(20)), -EAGAIN);
  zassert_equal(done, 0U);
  zassert_true(k_uptime_ticks() - start >= (int64_t)k_ms_to_ticks_ceil64(20));

  zassert_equal(k_pipe_put(&bpipe, pattern, 3, &done, 3, K_NO_WAIT), 0);
  zassert_equal(k_pipe_get(&bpipe, buf, 8, &done, 4, K_MSEC(10)), -EAGAIN);
  zassert_equal(done, 3U, "the bytes there were read");
  zassert_mem_equal(buf, pattern, 3);

  /* min_xfer 0 with a timeout: wait for all, and report what came. */
  zassert_equal(k_pipe_put(&bpipe, pattern, 3, &done, 3, K_NO_WAIT), 0);
  zassert_equal(k_pipe_get(&bpipe, buf, 8, &done, 0, K_MSEC(10)), 0);
  zassert_equal(done, 3U);

  start = k_uptime_ticks();
  zassert_equal(k_pipe_put(&bpipe, pattern, 20, &done, 20, K_MSEC(20)), -EAGAIN);
  zassert_equal(done, PIPE_SIZE, "what fitted stays written");
  zassert_true(k_uptime_ticks() - start >= (int64_t)k_ms_to_ticks_ceil64(20));
  zassert_equal(k_pipe_get(&bpipe, buf, 32, &done, 0, K_NO_WAIT), 0);
  zassert_equal(done, PIPE_SIZE);
}

ZTEST(pipe, test_reader_waits_for_writer) {
  size_t done;
  struct transfer *reader = start(0, K_PRIO_PREEMPT(1), &upipe, false, 8, 8);
  zassert_false(reader->finished);
  zassert_equal(k_pipe_put(&upipe, pattern, 8, &done, 8, K_NO_WAIT), 0,
                "straight to the waiting reader");
  zassert_equal(done, 8U);
  k_msleep(1);
  zassert_true(reader->finished);
  zassert_equal(reader->rc, 0);
  zassert_equal(reader->done, 8U);
  zassert_mem_equal(reader->data, pattern, 8);
}

ZTEST(pipe, test_reader_min_xfer) {
  size_t done;
  struct transfer *reader = start(0, K_PRIO_PREEMPT(1), &bpipe, false, 10, 4);
  zassert_equal(k_pipe_put(&bpipe, pattern, 2, &done, 2, K_NO_WAIT), 0);
  k_msleep(1);
  zassert_false(reader->finished, "2 bytes of the 4 it needs");
  zassert_equal(k_pipe_read_avail(&bpipe), 0U, "the reader has them");
  zassert_equal(k_pipe_put(&bpipe, pattern + 2, 3, &done, 3, K_NO_WAIT), 0);
  k_msleep(1);
  zassert_true(reader->finished);
  zassert_equal(reader->rc, 0);
  zassert_equal(reader->done, 5U);
  zassert_mem_equal(reader->data, pattern, 5);
}

ZTEST(pipe, test_writer_waits_for_reader) {
  size_t done;
  unsigned char buf[64];
  struct transfer *writer = start(0, K_PRIO_PREEMPT(1), &bpipe, true, 40, 40);
  zassert_false(writer->finished);
  zassert_equal(k_pipe_read_avail(&bpipe), PIPE_SIZE, "the writer filled the buffer");
  size_t total = 0;
  while (total < 40) {
    zassert_equal(k_pipe_get(&bpipe, buf + total, 7, &done, 1, K_NO_WAIT), 0);
    total += done;
  }
  k_msleep(1);
  zassert_true(writer->finished);
  zassert_equal(writer->rc, 0);
  zassert_equal(writer->done, 40U);
  zassert_mem_equal(buf, pattern, 40, "the bytes in order, through buffer and writer");
  zassert_equal(k_pipe_read_avail(&bpipe), 0U);
}

ZTEST(pipe, test_writer_min_xfer) {
  size_t done;
  unsigned char buf[8];
  struct transfer *writer = start(0, K_PRIO_PREEMPT(1), &upipe, true, 8, 6);
  /* Without a buffer, the writer waits with all its bytes; take 4 of them. */
  zassert_equal(k_pipe_get(&upipe, buf, 4, &done, 4, K_NO_WAIT), 0);
  zassert_mem_equal(buf, pattern, 4);
  k_msleep(1);
  zassert_false(writer->finished, "4 of the 6 bytes it must write");
  zassert_equal(k_pipe_get(&upipe, buf, 8, &done, 1, K_NO_WAIT), 0);
  zassert_equal(done, 4U);
  zassert_mem_equal(buf, pattern + 4, 4);
  k_msleep(1);
  zassert_true(writer->finished);
  zassert_equal(writer->rc, 0);
  zassert_equal(writer->done, 8U);
}

ZTEST(pipe, test_readers_by_priority) {
  size_t done;
  struct transfer *lo = start(0, K_PRIO_PREEMPT(6), &upipe, false, 4, 4);
  struct transfer *hi = start(1, K_PRIO_PREEMPT(2), &upipe, false, 4, 4);
  zassert_equal(k_pipe_put(&upipe, pattern, 4, &done, 4, K_NO_WAIT), 0);
  k_msleep(1);
  zassert_true(hi->finished, "the more urgent reader first");
  zassert_false(lo->finished);
  zassert_equal(k_pipe_put(&upipe, pattern + 4, 4, &done, 4, K_NO_WAIT), 0);
  k_msleep(1);
  zassert_true(lo->finished);
  zassert_mem_equal(hi->data, pattern, 4);
  zassert_mem_equal(lo->data, pattern + 4, 4);
}

ZTEST(pipe, test_flush) {
  struct transfer *writer = start(0, K_PRIO_PREEMPT(1), &bpipe, true, 24, 24);
  zassert_false(writer->finished);
  k_pipe_flush(&bpipe);
  k_msleep(1);
  zassert_true(writer->finished, "flushed writers go on");
  zassert_equal(writer->rc, 0);
  zassert_equal(writer->done, 24U, "their data counts as read");
  zassert_equal(k_pipe_read_avail(&bpipe), 0U);
}

ZTEST(pipe, test_buffer_flush) {
  size_t done;
  unsigned char buf[32];
  struct transfer *writer = start(0, K_PRIO_PREEMPT(1), &bpipe, true, 24, 24);
  k_pipe_buffer_flush(&bpipe);
  k_msleep(1);
  zassert_true(writer->finished, "the writer refilled the buffer with the rest");
  zassert_equal(writer->done, 24U);
  zassert_equal(k_pipe_read_avail(&bpipe), 8U);
  zassert_equal(k_pipe_get(&bpipe, buf, 32, &done, 0, K_NO_WAIT), 0);
  zassert_equal(done, 8U);
  zassert_mem_equal(buf, pattern + PIPE_SIZE, 8);
  k_pipe_buffer_flush(&bpipe);
  zassert_equal(k_pipe_read_avail(&bpipe), 0U);
}

ZTEST(pipe, test_alloc_and_cleanup) {
  static struct k_pipe apipe;
  zassert_equal(k_pipe_alloc_init(&apipe, 0), 0, "no buffer needs no memory");
  zassert_equal(k_pipe_cleanup(&apipe), 0);
  int rc = k_pipe_alloc_init(&apipe, 32);
#if defined(CONFIG_HEAP_MEM_POOL_SIZE) && CONFIG_HEAP_MEM_POOL_SIZE >= 256
  zassert_equal(rc, 0);
  zassert_equal(k_pipe_write_avail(&apipe), 32U);
  zassert_equal(k_pipe_cleanup(&apipe), 0);
  zassert_equal(k_pipe_write_avail(&apipe), 0U, "the buffer is gone");
#else
  zassert_equal(rc, -ENOMEM, "no heap");
#endif
  /* Not while threads wait on the pipe. */
  struct transfer *reader = start(0, K_PRIO_PREEMPT(1), &bpipe, false, 4, 4);
  zassert_equal(k_pipe_cleanup(&bpipe), -EAGAIN);
  k_thread_abort(&helpers[0]);
  started[0] = false;
  ARG_UNUSED(reader);
}

static void isr_transfers(const void *arg) {
  int *rc = (int *)arg;
  size_t done;
  unsigned char buf[4];
  rc[0] = k_pipe_put(&bpipe, pattern, 4, &done, 4, K_NO_WAIT);
  rc[1] = k_pipe_get(&bpipe, buf, 4, &done, 4, K_NO_WAIT);
  rc[2] = memcmp(buf, pattern, 4);
  rc[3] = k_pipe_get(&bpipe, buf, 4, &done, 4, K_NO_WAIT);
}

ZTEST(pipe, test_isr) {
  int rc[4] = {99, 99, 99, 99};
  irq_offload(isr_transfers, rc);
  zassert_equal(rc[0], 0);
  zassert_equal(rc[1], 0);
  zassert_equal(rc[2], 0);
  zassert_equal(rc[3], -EIO);
}

ZTEST_SUITE(pipe, NULL, setup, before, after, NULL);
