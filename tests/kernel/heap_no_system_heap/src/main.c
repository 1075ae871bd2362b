/*
 * Without a system heap (CONFIG_HEAP_MEM_POOL_SIZE=0, the default), the k_malloc() family
 * returns NULL, and neither threads given the system pool nor interrupt handlers can have the
 * kernel allocate for them. Kernel heaps still work.
 */
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

K_HEAP_DEFINE(own_heap, 256);

ZTEST(heap_no_system_heap, test_malloc_family_returns_null) {
  zassert_equal(K_HEAP_MEM_POOL_SIZE, 0);
  zassert_is_null(k_malloc(1));
  zassert_is_null(k_calloc(1, 1));
  zassert_is_null(k_aligned_alloc(16, 1));
  zassert_is_null(k_realloc(NULL, 8));
  k_free(NULL);
}

ZTEST(heap_no_system_heap, test_system_pool_gives_nothing) {
  struct k_stack stack;
  static struct k_fifo fifo;
  static uint32_t item;

  k_thread_system_pool_assign(k_current_get());
  zassert_equal(k_stack_alloc_init(&stack, 4), -ENOMEM);
  k_fifo_init(&fifo);
  zassert_equal(k_fifo_alloc_put(&fifo, &item), -ENOMEM);

  k_thread_heap_assign(k_current_get(), &own_heap);
  zassert_ok(k_stack_alloc_init(&stack, 4));
  zassert_ok(k_stack_cleanup(&stack));
}

static int isr_rc;

static void isr_alloc_put(const void *arg) {
  static uint32_t item;

  isr_rc = k_queue_alloc_append((struct k_queue *)arg, &item);
}

ZTEST(heap_no_system_heap, test_isr_has_no_pool) {
  static struct k_queue queue;

  k_queue_init(&queue);
  irq_offload(isr_alloc_put, &queue);
  zassert_equal(isr_rc, -ENOMEM);
  zassert_true(k_queue_is_empty(&queue));
}

ZTEST(heap_no_system_heap, test_kernel_heaps_work) {
  void *p = k_heap_alloc(&own_heap, 64, K_NO_WAIT);

  zassert_not_null(p);
  k_heap_free(&own_heap, p);
}

ZTEST_SUITE(heap_no_system_heap, NULL, NULL, NULL, NULL, NULL);
