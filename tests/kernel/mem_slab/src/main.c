/*
 * k_mem_slab: the documented behaviour of Zephyr's memory slab API. The test thread is
 * cooperative (ztest's default priority -1): helper threads run only when it blocks.
 */
#include <string.h>

#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
#define BLOCK_SIZE 32
#define NUM_BLOCKS 4
#define NUM_HELPERS 3

K_MEM_SLAB_DEFINE(aligned_slab, BLOCK_SIZE, NUM_BLOCKS, 32);
K_MEM_SLAB_DEFINE_STATIC(odd_slab, 5, 3, 4);

static struct k_mem_slab slab;
static char __aligned(8) slab_buffer[BLOCK_SIZE * NUM_BLOCKS];

K_THREAD_STACK_ARRAY_DEFINE(helper_stacks, NUM_HELPERS, STACK_SIZE);
static struct k_thread helpers[NUM_HELPERS];

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  zassert_ok(k_mem_slab_init(&slab, slab_buffer, BLOCK_SIZE, NUM_BLOCKS));
}

/* Take every block of @p s, checking each is a distinct block of its buffer. */
static void take_all(struct k_mem_slab *s, void **blocks, uint32_t n, size_t block_size) {
  for (uint32_t i = 0; i < n; i++) {
    zassert_ok(k_mem_slab_alloc(s, &blocks[i], K_NO_WAIT), "block %u", (unsigned int)i);
    zassert_equal(k_mem_slab_num_used_get(s), i + 1);
    zassert_equal(k_mem_slab_num_free_get(s), n - i - 1);
    memset(blocks[i], 0xa0 + (int)i, block_size);
    for (uint32_t j = 0; j < i; j++) {
      zassert_not_equal(blocks[i], blocks[j], "block handed out twice");
    }
  }
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *bytes = blocks[i];

    for (size_t b = 0; b < block_size; b++) {
      zassert_equal(bytes[b], 0xa0 + i, "blocks overlap");
    }
  }
}

ZTEST(mem_slab, test_alloc_every_block_then_no_more) {
  void *blocks[NUM_BLOCKS];
  void *extra = (void *)1;

  take_all(&slab, blocks, NUM_BLOCKS, BLOCK_SIZE);
  for (int i = 0; i < NUM_BLOCKS; i++) {
    zassert_true((char *)blocks[i] >= slab_buffer &&
                 (char *)blocks[i] + BLOCK_SIZE <= slab_buffer + sizeof(slab_buffer));
    zassert_equal(((char *)blocks[i] - slab_buffer) % BLOCK_SIZE, 0);
  }
  zassert_equal(k_mem_slab_alloc(&slab, &extra, K_NO_WAIT), -ENOMEM);
  zassert_is_null(extra, "a failed allocation stores NULL");
  zassert_equal(k_mem_slab_max_used_get(&slab), NUM_BLOCKS);

  /* A freed block is handed out again. */
  k_mem_slab_free(&slab, blocks[2]);
  zassert_equal(k_mem_slab_num_free_get(&slab), 1);
  zassert_ok(k_mem_slab_alloc(&slab, &extra, K_NO_WAIT));
  zassert_equal_ptr(extra, blocks[2]);
  blocks[2] = extra;
  for (int i = 0; i < NUM_BLOCKS; i++) {
    k_mem_slab_free(&slab, blocks[i]);
  }
  zassert_equal(k_mem_slab_num_used_get(&slab), 0);
  zassert_equal(k_mem_slab_num_free_get(&slab), NUM_BLOCKS);
  zassert_equal(k_mem_slab_max_used_get(&slab), NUM_BLOCKS, "the maximum is kept");
}

ZTEST(mem_slab, test_init_checks_arguments) {
  struct k_mem_slab s;

  zassert_equal(k_mem_slab_init(&s, slab_buffer, sizeof(void *) + 1, 2), -EINVAL,
                "block size not a multiple of the pointer size");
  zassert_equal(k_mem_slab_init(&s, slab_buffer + 1, BLOCK_SIZE, 2), -EINVAL, "misaligned buffer");
  zassert_equal(k_mem_slab_init(&s, slab_buffer, 0, 2), -EINVAL, "empty blocks");
  zassert_ok(k_mem_slab_init(&s, slab_buffer, sizeof(void *), 2));
  zassert_equal(k_mem_slab_num_free_get(&s), 2);
}

ZTEST(mem_slab, test_static_slabs) {
  void *blocks[NUM_BLOCKS];
  void *small[3];

  take_all(&aligned_slab, blocks, NUM_BLOCKS, BLOCK_SIZE);
  for (int i = 0; i < NUM_BLOCKS; i++) {
    zassert_equal((uintptr_t)blocks[i] % 32, 0, "block %d is not 32-aligned", i);
    k_mem_slab_free(&aligned_slab, blocks[i]);
  }
  /* A block size that is not a multiple of the pointer size is rounded up. */
  zassert_equal(odd_slab.info.block_size % sizeof(void *), 0);
  zassert_true(odd_slab.info.block_size >= 5);
  take_all(&odd_slab, small, 3, 5);
  for (int i = 0; i < 3; i++) {
    k_mem_slab_free(&odd_slab, small[i]);
  }
}

ZTEST(mem_slab, test_alloc_times_out) {
  void *blocks[NUM_BLOCKS];
  void *extra;

  take_all(&slab, blocks, NUM_BLOCKS, BLOCK_SIZE);
  int64_t start = k_uptime_get();
  zassert_equal(k_mem_slab_alloc(&slab, &extra, K_MSEC(40)), -EAGAIN);
  zassert_true(k_uptime_get() - start >= 40);
  zassert_is_null(extra);
  for (int i = 0; i < NUM_BLOCKS; i++) {
    k_mem_slab_free(&slab, blocks[i]);
  }
}

static void free_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  k_msleep(20);
  k_mem_slab_free(&slab, p1);
  /* Handed to the waiter: still in use. */
  zassert_equal(k_mem_slab_num_free_get(&slab), 0);
}

ZTEST(mem_slab, test_alloc_waits_for_free) {
  void *blocks[NUM_BLOCKS];
  void *got = NULL;

  take_all(&slab, blocks, NUM_BLOCKS, BLOCK_SIZE);
  k_thread_create(&helpers[0], helper_stacks[0], STACK_SIZE, free_later, blocks[1], NULL, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  int64_t start = k_uptime_get();
  zassert_ok(k_mem_slab_alloc(&slab, &got, K_FOREVER));
  zassert_true(k_uptime_get() - start >= 20);
  zassert_equal_ptr(got, blocks[1], "the freed block itself is handed over");
  zassert_ok(k_thread_join(&helpers[0], K_FOREVER));
  zassert_equal(k_mem_slab_num_used_get(&slab), NUM_BLOCKS);
  for (int i = 0; i < NUM_BLOCKS; i++) {
    k_mem_slab_free(&slab, blocks[i]);
  }
}

static void *got[NUM_HELPERS];
static int results[NUM_HELPERS];
static int order[NUM_HELPERS];
static int done;

static void waiter(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  int id = (int)(intptr_t)p1;

  results[id] = k_mem_slab_alloc(&slab, &got[id], K_FOREVER);
  order[done++] = id;
}

static void start_waiters(const int *prios) {
  done = 0;
  for (int i = 0; i < NUM_HELPERS; i++) {
    got[i] = NULL;
    results[i] = 1;
    k_thread_create(&helpers[i], helper_stacks[i], STACK_SIZE, waiter, (void *)(intptr_t)i, NULL,
                    NULL, prios[i], 0, K_NO_WAIT);
  }
  k_msleep(10);
  zassert_equal(done, 0, "the waiters did not block");
}

static void join_waiters(void) {
  for (int i = 0; i < NUM_HELPERS; i++) {
    zassert_ok(k_thread_join(&helpers[i], K_FOREVER));
  }
}

ZTEST(mem_slab, test_waiters_get_blocks_in_priority_order) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(7), K_PRIO_PREEMPT(3), K_PRIO_PREEMPT(5)};
  void *blocks[NUM_BLOCKS];

  take_all(&slab, blocks, NUM_BLOCKS, BLOCK_SIZE);
  start_waiters(prios);
  for (int i = 0; i < NUM_HELPERS; i++) {
    k_mem_slab_free(&slab, blocks[i]);
  }
  k_msleep(10);
  zassert_equal(done, NUM_HELPERS);
  for (int i = 0; i < NUM_HELPERS; i++) {
    zassert_ok(results[i]);
  }
  zassert_equal_ptr(got[1], blocks[0]);
  zassert_equal_ptr(got[2], blocks[1]);
  zassert_equal_ptr(got[0], blocks[2]);
  zassert_equal(order[0], 1);
  zassert_equal(order[1], 2);
  zassert_equal(order[2], 0);
  join_waiters();
  for (int i = 0; i < NUM_BLOCKS; i++) {
    k_mem_slab_free(&slab, blocks[i]);
  }
}

struct isr_record {
  bool in_isr;
  int alloc_rc[NUM_BLOCKS + 1];
  void *blocks[NUM_BLOCKS + 1];
  uint32_t used_after;
};
static struct isr_record isr_record;

static void isr_alloc_all(const void *arg) {
  ARG_UNUSED(arg);
  isr_record.in_isr = k_is_in_isr();
  for (int i = 0; i <= NUM_BLOCKS; i++) {
    isr_record.alloc_rc[i] = k_mem_slab_alloc(&slab, &isr_record.blocks[i], K_NO_WAIT);
  }
  for (int i = 0; i < NUM_BLOCKS; i++) {
    k_mem_slab_free(&slab, isr_record.blocks[i]);
  }
  isr_record.used_after = k_mem_slab_num_used_get(&slab);
}

ZTEST(mem_slab, test_isr_alloc_and_free) {
  irq_offload(isr_alloc_all, NULL);
  zassert_true(isr_record.in_isr);
  for (int i = 0; i < NUM_BLOCKS; i++) {
    zassert_ok(isr_record.alloc_rc[i]);
  }
  zassert_equal(isr_record.alloc_rc[NUM_BLOCKS], -ENOMEM);
  zassert_equal(isr_record.used_after, 0);
}

static void isr_free(const void *arg) {
  k_mem_slab_free(&slab, (void *)arg);
}

ZTEST(mem_slab, test_isr_free_wakes_waiter) {
  static const int prios[NUM_HELPERS] = {K_PRIO_PREEMPT(3), K_PRIO_PREEMPT(1), K_PRIO_PREEMPT(2)};
  void *blocks[NUM_BLOCKS];

  take_all(&slab, blocks, NUM_BLOCKS, BLOCK_SIZE);
  start_waiters(prios);
  irq_offload(isr_free, blocks[3]);
  irq_offload(isr_free, blocks[0]);
  irq_offload(isr_free, blocks[2]);
  k_msleep(10);
  zassert_equal_ptr(got[1], blocks[3]);
  zassert_equal_ptr(got[2], blocks[0]);
  zassert_equal_ptr(got[0], blocks[2]);
  join_waiters();
  for (int i = 0; i < NUM_BLOCKS; i++) {
    k_mem_slab_free(&slab, blocks[i]);
  }
  zassert_equal(k_mem_slab_num_used_get(&slab), 0);
}

ZTEST(mem_slab, test_runtime_stats) {
  struct sys_memory_stats stats;
  void *a, *b;

  zassert_ok(k_mem_slab_runtime_stats_get(&slab, &stats));
  zassert_equal(stats.allocated_bytes, 0);
  zassert_equal(stats.free_bytes, BLOCK_SIZE * NUM_BLOCKS);
  zassert_equal(stats.max_allocated_bytes, 0);
  zassert_ok(k_mem_slab_alloc(&slab, &a, K_NO_WAIT));
  zassert_ok(k_mem_slab_alloc(&slab, &b, K_NO_WAIT));
  k_mem_slab_free(&slab, b);
  zassert_ok(k_mem_slab_runtime_stats_get(&slab, &stats));
  zassert_equal(stats.allocated_bytes, BLOCK_SIZE);
  zassert_equal(stats.free_bytes, BLOCK_SIZE * (NUM_BLOCKS - 1));
  zassert_equal(stats.max_allocated_bytes, 2 * BLOCK_SIZE);
  zassert_ok(k_mem_slab_runtime_stats_reset_max(&slab));
  zassert_ok(k_mem_slab_runtime_stats_get(&slab, &stats));
  zassert_equal(stats.max_allocated_bytes, BLOCK_SIZE);
  zassert_equal(k_mem_slab_max_used_get(&slab), 1);
  k_mem_slab_free(&slab, a);

  zassert_equal(k_mem_slab_runtime_stats_get(NULL, &stats), -EINVAL);
  zassert_equal(k_mem_slab_runtime_stats_get(&slab, NULL), -EINVAL);
  zassert_equal(k_mem_slab_runtime_stats_reset_max(NULL), -EINVAL);
}

ZTEST_SUITE(mem_slab, NULL, NULL, before, NULL, NULL);
