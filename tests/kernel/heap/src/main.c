/*
 * k_heap and the system heap: the documented behaviour of Zephyr's heap API. The test thread is
 * cooperative (ztest's default priority -1): helper threads run only when it blocks.
 */
#include <string.h>

#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
#define HEAP_SIZE 1024
#define NUM_HELPERS 2

K_HEAP_DEFINE(kheap, HEAP_SIZE);
K_HEAP_DEFINE(pool_heap, 512);

K_THREAD_STACK_ARRAY_DEFINE(helper_stacks, NUM_HELPERS, STACK_SIZE);
static struct k_thread helpers[NUM_HELPERS];

/* The largest block kheap can hand out while empty. */
static size_t largest_free(struct k_heap *h) {
  struct gale_sys_heap_info info;

  gale_sys_heap_info_get(&h->heap, &info);
  return info.largest_free_bytes;
}

static void after(void *fixture) {
  ARG_UNUSED(fixture);
  /* Every test gives back what it took. */
  struct gale_sys_heap_info info;

  gale_sys_heap_info_get(&kheap.heap, &info);
  zassert_equal(info.used_blocks, 0, "a test leaked heap memory");
  zassert_true(sys_heap_validate(&kheap.heap));
}

ZTEST(heap, test_alloc_and_free) {
  uint8_t *blocks[8];

  for (int i = 0; i < 8; i++) {
    blocks[i] = k_heap_alloc(&kheap, 50, K_NO_WAIT);
    zassert_not_null(blocks[i]);
    zassert_equal((uintptr_t)blocks[i] % sizeof(void *), 0);
    memset(blocks[i], i, 50);
  }
  for (int i = 0; i < 8; i++) {
    for (int b = 0; b < 50; b++) {
      zassert_equal(blocks[i][b], i, "blocks overlap");
    }
    k_heap_free(&kheap, blocks[i]);
  }
  k_heap_free(&kheap, NULL);
  zassert_is_null(k_heap_alloc(&kheap, HEAP_SIZE * 2, K_NO_WAIT));
  zassert_is_null(k_heap_alloc(&kheap, 0, K_NO_WAIT), "nothing to allocate");
}

ZTEST(heap, test_whole_heap_then_nothing) {
  size_t largest = largest_free(&kheap);
  void *all = k_heap_alloc(&kheap, largest, K_NO_WAIT);

  zassert_not_null(all);
  zassert_true(largest > HEAP_SIZE - 128, "bookkeeping takes %u bytes",
               (unsigned int)(HEAP_SIZE - largest));
  zassert_is_null(k_heap_alloc(&kheap, 1, K_NO_WAIT));
  k_heap_free(&kheap, all);
  /* Freed memory merges back: the whole again. */
  all = k_heap_alloc(&kheap, largest, K_NO_WAIT);
  zassert_not_null(all);
  k_heap_free(&kheap, all);
}

ZTEST(heap, test_aligned_alloc) {
  void *blocks[6];
  int n = 0;

  for (size_t align = 8; align <= 256; align <<= 1) {
    blocks[n] = k_heap_aligned_alloc(&kheap, align, 24, K_NO_WAIT);
    zassert_not_null(blocks[n], "align %u", (unsigned int)align);
    zassert_equal((uintptr_t)blocks[n] % align, 0, "align %u", (unsigned int)align);
    n++;
  }
  while (n > 0) {
    k_heap_free(&kheap, blocks[--n]);
  }
}

ZTEST(heap, test_calloc_zeroes) {
  uint8_t *p = k_heap_alloc(&kheap, 64, K_NO_WAIT);

  memset(p, 0xff, 64);
  k_heap_free(&kheap, p);
  p = k_heap_calloc(&kheap, 16, 4, K_NO_WAIT);
  zassert_not_null(p);
  for (int i = 0; i < 64; i++) {
    zassert_equal(p[i], 0);
  }
  k_heap_free(&kheap, p);
  zassert_is_null(k_heap_calloc(&kheap, SIZE_MAX / 2, 3, K_NO_WAIT), "size overflows");
}

ZTEST(heap, test_realloc) {
  uint8_t *p = k_heap_realloc(&kheap, NULL, 16, K_NO_WAIT);

  zassert_not_null(p, "NULL: a plain allocation");
  for (int i = 0; i < 16; i++) {
    p[i] = (uint8_t)i;
  }
  void *blocker = k_heap_alloc(&kheap, 16, K_NO_WAIT);
  p = k_heap_realloc(&kheap, p, 200, K_NO_WAIT);
  zassert_not_null(p);
  for (int i = 0; i < 16; i++) {
    zassert_equal(p[i], i, "contents kept");
  }
  uint8_t *same = k_heap_realloc(&kheap, p, 8, K_NO_WAIT);
  zassert_equal_ptr(same, p, "shrinking stays in place");
  zassert_is_null(k_heap_realloc(&kheap, p, HEAP_SIZE * 2, K_NO_WAIT));
  zassert_equal(p[3], 3, "a failed realloc leaves the block alone");
  zassert_is_null(k_heap_realloc(&kheap, p, 0, K_NO_WAIT), "0: freed");
  k_heap_free(&kheap, blocker);
}

ZTEST(heap, test_runtime_heap) {
  static char __aligned(8) buffer[600];
  struct k_heap h;

  k_heap_init(&h, buffer, sizeof(buffer));
  void *p = k_heap_alloc(&h, 100, K_NO_WAIT);
  zassert_not_null(p);
  zassert_true((char *)p >= buffer && (char *)p + 100 <= buffer + sizeof(buffer));
  zassert_is_null(k_heap_alloc(&h, sizeof(buffer), K_NO_WAIT));
  k_heap_free(&h, p);
}

ZTEST(heap, test_alloc_times_out) {
  void *all = k_heap_alloc(&kheap, largest_free(&kheap), K_NO_WAIT);
  int64_t start = k_uptime_get();

  zassert_is_null(k_heap_alloc(&kheap, 32, K_MSEC(40)));
  zassert_true(k_uptime_get() - start >= 40);
  k_heap_free(&kheap, all);
}

static void free_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p3);
  k_msleep((int32_t)(intptr_t)p2);
  k_heap_free(&kheap, p1);
}

ZTEST(heap, test_alloc_waits_for_free) {
  void *all = k_heap_alloc(&kheap, largest_free(&kheap), K_NO_WAIT);

  k_thread_create(&helpers[0], helper_stacks[0], STACK_SIZE, free_later, all, (void *)20, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  int64_t start = k_uptime_get();
  void *p = k_heap_alloc(&kheap, 300, K_SECONDS(2));
  zassert_not_null(p);
  zassert_true(k_uptime_get() - start >= 20);
  zassert_ok(k_thread_join(&helpers[0], K_FOREVER));
  k_heap_free(&kheap, p);
}

ZTEST(heap, test_too_small_free_keeps_waiting_until_the_deadline) {
  size_t largest = largest_free(&kheap);
  void *small = k_heap_alloc(&kheap, 64, K_NO_WAIT);
  void *rest = k_heap_alloc(&kheap, largest_free(&kheap), K_NO_WAIT);

  zassert_not_null(rest);
  /* Freeing 64 bytes wakes the waiter, which needs more and waits on to its deadline. */
  k_thread_create(&helpers[0], helper_stacks[0], STACK_SIZE, free_later, small, (void *)10, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  int64_t start = k_uptime_get();
  zassert_is_null(k_heap_alloc(&kheap, largest / 2, K_MSEC(60)));
  int64_t waited = k_uptime_get() - start;
  zassert_true(waited >= 60 && waited < 200, "waited %d ms", (int)waited);
  zassert_ok(k_thread_join(&helpers[0], K_FOREVER));
  k_heap_free(&kheap, rest);
}

static void *got[NUM_HELPERS];
static int order[NUM_HELPERS];
static int done;

static void waiter(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p3);
  int id = (int)(intptr_t)p1;

  got[id] = k_heap_alloc(&kheap, (size_t)(uintptr_t)p2, K_MSEC(300));
  order[done++] = id;
  if (got[id] != NULL) {
    k_msleep(30);
    k_heap_free(&kheap, got[id]);
  }
}

ZTEST(heap, test_waiters_retry_in_priority_order) {
  size_t want = largest_free(&kheap) / 2 + 16; /* room for one of them at a time */
  void *all = k_heap_alloc(&kheap, largest_free(&kheap), K_NO_WAIT);

  done = 0;
  k_thread_create(&helpers[0], helper_stacks[0], STACK_SIZE, waiter, (void *)0,
                  (void *)(uintptr_t)want, NULL, K_PRIO_PREEMPT(6), 0, K_NO_WAIT);
  k_thread_create(&helpers[1], helper_stacks[1], STACK_SIZE, waiter, (void *)1,
                  (void *)(uintptr_t)want, NULL, K_PRIO_PREEMPT(2), 0, K_NO_WAIT);
  k_msleep(10);
  zassert_equal(done, 0);
  k_heap_free(&kheap, all);
  /* The more urgent waiter gets the memory; the other waits until it is freed again. */
  k_msleep(10);
  zassert_equal(done, 1);
  zassert_equal(order[0], 1);
  zassert_not_null(got[1]);
  k_msleep(100);
  zassert_equal(done, 2);
  zassert_not_null(got[0], "the second waiter got the memory once the first freed it");
  zassert_ok(k_thread_join(&helpers[0], K_FOREVER));
  zassert_ok(k_thread_join(&helpers[1], K_FOREVER));
}

ZTEST(heap, test_malloc_family) {
  uint8_t *p = k_malloc(100);

  zassert_not_null(p);
  zassert_equal((uintptr_t)p % 8, 0);
  memset(p, 0xa5, 100);
  k_free(p);
  k_free(NULL);
  zassert_is_null(k_malloc(CONFIG_HEAP_MEM_POOL_SIZE * 2));

  p = k_calloc(10, 10);
  zassert_not_null(p);
  for (int i = 0; i < 100; i++) {
    zassert_equal(p[i], 0);
  }
  zassert_is_null(k_calloc(SIZE_MAX / 4, 8), "size overflows");

  for (int i = 0; i < 100; i++) {
    p[i] = (uint8_t)i;
  }
  p = k_realloc(p, 1000);
  zassert_not_null(p);
  for (int i = 0; i < 100; i++) {
    zassert_equal(p[i], i);
  }
  zassert_is_null(k_realloc(p, CONFIG_HEAP_MEM_POOL_SIZE * 2));
  zassert_equal(p[99], 99, "a failed realloc leaves the block alone");
  zassert_is_null(k_realloc(p, 0), "0: freed");
  p = k_realloc(NULL, 20);
  zassert_not_null(p, "NULL: a plain allocation");
  k_free(p);

  for (size_t align = 8; align <= 512; align <<= 1) {
    void *a = k_aligned_alloc(align, 40);

    zassert_not_null(a, "align %u", (unsigned int)align);
    zassert_equal((uintptr_t)a % align, 0);
    k_free(a);
  }
}

ZTEST(heap, test_malloc_returns_memory) {
  /* Far more than the heap holds, allocated and freed in turn: nothing leaks. */
  for (int i = 0; i < 200; i++) {
    void *a = k_malloc(300);
    void *b = k_aligned_alloc(64, 200);

    zassert_not_null(a, "round %d", i);
    zassert_not_null(b, "round %d", i);
    k_free(a);
    k_free(b);
  }
}

struct isr_record {
  bool in_isr;
  void *malloced;
  void *heap_block;
  void *too_big;
};
static struct isr_record isr_record;

static void isr_alloc(const void *arg) {
  ARG_UNUSED(arg);
  isr_record.in_isr = k_is_in_isr();
  isr_record.malloced = k_malloc(32);
  isr_record.heap_block = k_heap_alloc(&kheap, 32, K_NO_WAIT);
  isr_record.too_big = k_heap_alloc(&kheap, HEAP_SIZE * 2, K_NO_WAIT);
}

static void isr_free(const void *arg) {
  ARG_UNUSED(arg);
  k_free(isr_record.malloced);
  k_heap_free(&kheap, isr_record.heap_block);
}

ZTEST(heap, test_isr_alloc_and_free) {
  irq_offload(isr_alloc, NULL);
  zassert_true(isr_record.in_isr);
  zassert_not_null(isr_record.malloced);
  zassert_not_null(isr_record.heap_block);
  zassert_is_null(isr_record.too_big);
  irq_offload(isr_free, NULL);
}

static void isr_free_all(const void *arg) {
  k_heap_free(&kheap, (void *)arg);
}

ZTEST(heap, test_isr_free_wakes_waiter) {
  void *all = k_heap_alloc(&kheap, largest_free(&kheap), K_NO_WAIT);

  done = 0;
  k_thread_create(&helpers[0], helper_stacks[0], STACK_SIZE, waiter, (void *)0, (void *)100, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  k_msleep(10);
  zassert_equal(done, 0);
  irq_offload(isr_free_all, all);
  k_msleep(5);
  zassert_equal(done, 1);
  zassert_not_null(got[0]);
  zassert_ok(k_thread_join(&helpers[0], K_FOREVER));
}

static int child_rc;

static void child(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  struct k_msgq q;

  child_rc = k_msgq_alloc_init(&q, 16, 4);
  if (child_rc == 0) {
    child_rc = k_msgq_cleanup(&q);
  }
}

ZTEST(heap, test_thread_pools) {
  struct k_msgq q;
  struct sys_memory_stats before, during;

  k_thread_heap_assign(k_current_get(), NULL);
  zassert_equal(k_msgq_alloc_init(&q, 16, 4), -ENOMEM, "no pool: no allocation");

  k_thread_heap_assign(k_current_get(), &pool_heap);
  zassert_ok(sys_heap_runtime_stats_get(&pool_heap.heap, &before));
  zassert_ok(k_msgq_alloc_init(&q, 16, 4));
  zassert_ok(sys_heap_runtime_stats_get(&pool_heap.heap, &during));
  zassert_true(during.allocated_bytes >= before.allocated_bytes + 64, "taken from the pool");
  zassert_ok(k_msgq_cleanup(&q));
  zassert_ok(sys_heap_runtime_stats_get(&pool_heap.heap, &during));
  zassert_equal(during.allocated_bytes, before.allocated_bytes, "k_free() found the pool");

  /* A thread inherits its creator's pool. */
  child_rc = 1;
  k_thread_create(&helpers[0], helper_stacks[0], STACK_SIZE, child, NULL, NULL, NULL,
                  K_PRIO_PREEMPT(1), 0, K_NO_WAIT);
  zassert_ok(k_thread_join(&helpers[0], K_FOREVER));
  zassert_ok(child_rc);

  k_thread_system_pool_assign(k_current_get());
  zassert_ok(k_msgq_alloc_init(&q, 16, 4));
  zassert_ok(k_msgq_cleanup(&q));
}

ZTEST_SUITE(heap, NULL, NULL, NULL, after, NULL);
