/*
 * Interrupt exit, with irq_offload() as the interrupt: from the end of the handler back to the
 * interrupted thread; and from the end of a handler that gave a semaphore to the (other,
 * higher-priority) thread it woke.
 */
#include <zephyr/irq_offload.h>

#include "bench.h"

static volatile uint32_t isr_sample;
static K_SEM_DEFINE(isr_sem, 0, 1);
static struct bench_stat resume_stat, switch_stat;

static void Sample(const void *arg) {
  ARG_UNUSED(arg);
  isr_sample = bench_now();
}

static void GiveAndSample(const void *arg) {
  ARG_UNUSED(arg);
  k_sem_give(&isr_sem);
  isr_sample = bench_now();
}

static void Waiter(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  uint32_t iterations = (uint32_t)(uintptr_t)p1;

  for (uint32_t i = 0; i < iterations; i++) {
    k_sem_take(&isr_sem, K_FOREVER);
    uint32_t end = bench_now();
    bench_add(&switch_stat, isr_sample, end);
    bench_dither();
  }
}

static void Interrupter(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  uint32_t iterations = (uint32_t)(uintptr_t)p1;

  for (uint32_t i = 0; i < iterations; i++) {
    irq_offload(GiveAndSample, NULL);
  }
}

void bench_isr(void) {
  for (int i = 0; i < BENCH_ITERATIONS; i++) {
    irq_offload(Sample, NULL);
    uint32_t end = bench_now();
    bench_add(&resume_stat, isr_sample, end);
    bench_dither();
  }
  bench_report("isr.resume", "interrupt exit to the interrupted thread", &resume_stat);

  bench_create(&bench_thread_a, Waiter, BENCH_PRIO_HIGH, (void *)BENCH_ITERATIONS);
  bench_create(&bench_thread_b, Interrupter, BENCH_PRIO_LOW, (void *)BENCH_ITERATIONS);
  bench_run_threads();
  bench_report("isr.switch", "interrupt exit to a thread it woke", &switch_stat);
}
