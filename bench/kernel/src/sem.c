/*
 * Semaphores: give and take with nothing to switch to; then a thread blocking in k_sem_take()
 * (until the lower-priority thread that gives runs) and a give that wakes it (until it runs).
 */
#include "bench.h"

static K_SEM_DEFINE(sem, 0, 1);
static struct bench_stat give_stat, take_stat, take_block_stat, give_wake_stat;
static volatile uint32_t mid;

static void Taker(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  uint32_t iterations = (uint32_t)(uintptr_t)p1;

  for (uint32_t i = 0; i < iterations; i++) {
    uint32_t start = bench_now();
    k_sem_take(&sem, K_FOREVER);
    uint32_t end = bench_now();
    bench_add(&take_block_stat, start, mid);
    bench_add(&give_wake_stat, mid, end);
    bench_dither();
  }
}

static void Giver(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  uint32_t iterations = (uint32_t)(uintptr_t)p1;

  for (uint32_t i = 0; i < iterations; i++) {
    mid = bench_now();
    k_sem_give(&sem);
  }
}

void bench_sem(void) {
  for (int i = 0; i < BENCH_ITERATIONS; i++) {
    uint32_t start = bench_now();
    k_sem_give(&sem);
    uint32_t middle = bench_now();
    k_sem_take(&sem, K_FOREVER);
    uint32_t end = bench_now();
    bench_add(&give_stat, start, middle);
    bench_add(&take_stat, middle, end);
    bench_dither();
  }
  bench_report("sem.give", "k_sem_give(), no waiter", &give_stat);
  bench_report("sem.take", "k_sem_take(), available", &take_stat);

  bench_create(&bench_thread_a, Taker, BENCH_PRIO_HIGH, (void *)BENCH_ITERATIONS);
  bench_create(&bench_thread_b, Giver, BENCH_PRIO_LOW, (void *)BENCH_ITERATIONS);
  bench_run_threads();
  bench_report("sem.take.blocking", "k_sem_take() blocking, until the next thread runs",
               &take_block_stat);
  bench_report("sem.give.wake", "k_sem_give() waking a thread, until it runs", &give_wake_stat);
}
