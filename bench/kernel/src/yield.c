/*
 * k_yield() between two threads of equal priority: from the call in one thread to the return
 * from k_yield() in the other.
 */
#include "bench.h"

static volatile uint32_t sample;
static struct k_thread *volatile sampler;
static struct bench_stat stat;

static void Yielder(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  uint32_t iterations = (uint32_t)(uintptr_t)p1;

  for (uint32_t i = 0; i < iterations; i++) {
    sampler = k_current_get();
    sample = bench_now();
    k_yield();
    uint32_t end = bench_now();
    /* The peer yielded to us (the last yield of the run finds no peer). */
    if (sampler != k_current_get()) {
      bench_add(&stat, sample, end);
    }
    bench_dither();
  }
}

static void Run(int prio, const char *key, const char *what) {
  stat = (struct bench_stat){0};
  bench_create(&bench_thread_a, Yielder, prio, (void *)BENCH_ITERATIONS);
  bench_create(&bench_thread_b, Yielder, prio, (void *)BENCH_ITERATIONS);
  bench_run_threads();
  bench_report(key, what, &stat);
}

void bench_yield(void) {
  Run(BENCH_PRIO_HIGH, "yield.preempt", "k_yield() switch, preemptible threads");
  Run(K_PRIO_COOP(5), "yield.coop", "k_yield() switch, cooperative threads");
}
