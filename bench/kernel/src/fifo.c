/*
 * FIFOs: put and get with nothing to switch to; then a thread blocking in k_fifo_get() (until
 * the lower-priority thread that puts runs) and a put that wakes it (until it runs).
 */
#include "bench.h"

#ifdef K_FIFO_DEFINE

struct item {
  void *fifo_reserved;
  uint32_t value;
};

static K_FIFO_DEFINE(fifo);
static struct item items[2];
static struct bench_stat put_stat, get_stat, get_block_stat, put_wake_stat;
static volatile uint32_t mid;

static void Getter(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  uint32_t iterations = (uint32_t)(uintptr_t)p1;

  for (uint32_t i = 0; i < iterations; i++) {
    uint32_t start = bench_now();
    (void)k_fifo_get(&fifo, K_FOREVER);
    uint32_t end = bench_now();
    bench_add(&get_block_stat, start, mid);
    bench_add(&put_wake_stat, mid, end);
    bench_dither();
  }
}

static void Putter(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  uint32_t iterations = (uint32_t)(uintptr_t)p1;

  for (uint32_t i = 0; i < iterations; i++) {
    mid = bench_now();
    k_fifo_put(&fifo, &items[1]);
  }
}

void bench_fifo(void) {
  for (int i = 0; i < BENCH_ITERATIONS; i++) {
    uint32_t start = bench_now();
    k_fifo_put(&fifo, &items[0]);
    uint32_t middle = bench_now();
    (void)k_fifo_get(&fifo, K_NO_WAIT);
    uint32_t end = bench_now();
    bench_add(&put_stat, start, middle);
    bench_add(&get_stat, middle, end);
    bench_dither();
  }
  bench_report("fifo.put", "k_fifo_put(), no waiter", &put_stat);
  bench_report("fifo.get", "k_fifo_get(), data present", &get_stat);

  bench_create(&bench_thread_a, Getter, BENCH_PRIO_HIGH, (void *)BENCH_ITERATIONS);
  bench_create(&bench_thread_b, Putter, BENCH_PRIO_LOW, (void *)BENCH_ITERATIONS);
  bench_run_threads();
  bench_report("fifo.get.blocking", "k_fifo_get() blocking, until the next thread runs",
               &get_block_stat);
  bench_report("fifo.put.wake", "k_fifo_put() waking a thread, until it runs", &put_wake_stat);
}

#else

void bench_fifo(void) {
  bench_report_na("fifo.put", "k_fifo_put(), no waiter");
  bench_report_na("fifo.get", "k_fifo_get(), data present");
  bench_report_na("fifo.get.blocking", "k_fifo_get() blocking, until the next thread runs");
  bench_report_na("fifo.put.wake", "k_fifo_put() waking a thread, until it runs");
}

#endif
