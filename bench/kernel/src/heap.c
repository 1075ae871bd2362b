/*
 * The system heap: k_malloc() of 10 bytes and k_free() of them, as Zephyr's latency_measure.
 */
#include "bench.h"

#if defined(CONFIG_HEAP_MEM_POOL_SIZE) && CONFIG_HEAP_MEM_POOL_SIZE > 0

void bench_heap(void) {
  struct bench_stat malloc_stat = {0};
  struct bench_stat free_stat = {0};

  for (int i = 0; i < BENCH_ITERATIONS; i++) {
    uint32_t start = bench_now();
    void *block = k_malloc(10);
    uint32_t middle = bench_now();
    k_free(block);
    uint32_t end = bench_now();
    bench_add(&malloc_stat, start, middle);
    bench_add(&free_stat, middle, end);
    bench_dither();
  }
  bench_report("heap.malloc", "k_malloc(10)", &malloc_stat);
  bench_report("heap.free", "k_free()", &free_stat);
}

#else

void bench_heap(void) {
  bench_report_na("heap.malloc", "k_malloc(10)");
  bench_report_na("heap.free", "k_free()");
}

#endif
