/*
 * Thread operations, as Zephyr's latency_measure measures them: a controlling thread creates
 * (without starting) a thread of higher priority, starts it (until it runs), lets it suspend
 * itself (until the controller runs again), resumes it (until it runs), and aborts it once it
 * has dropped below the controller (a ready thread, no switch).
 */
#include "bench.h"

static struct bench_stat create_stat, start_stat, suspend_stat, resume_stat, abort_stat;
static volatile uint32_t alt_sample;
static K_SEM_DEFINE(pause_sem, 0, 1);

static void Alt(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  alt_sample = bench_now(); /* end of "start" */
  k_sem_take(&pause_sem, K_FOREVER);
  alt_sample = bench_now(); /* start of "suspend" */
  k_thread_suspend(k_current_get());
  alt_sample = bench_now(); /* end of "resume" */
  k_thread_priority_set(k_current_get(), BENCH_PRIO_LOWER);
}

static void Controller(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  uint32_t iterations = (uint32_t)(uintptr_t)p1;

  for (uint32_t i = 0; i < iterations; i++) {
    uint32_t start = bench_now();
    k_thread_create(&bench_thread_b, bench_stack_b, K_THREAD_STACK_SIZEOF(bench_stack_b), Alt, NULL,
                    NULL, NULL, BENCH_PRIO_HIGH, 0, K_FOREVER);
    uint32_t end = bench_now();
    bench_add(&create_stat, start, end);
    bench_dither();

    start = bench_now();
    k_thread_start(&bench_thread_b);
    bench_add(&start_stat, start, alt_sample);
    bench_dither();

    k_sem_give(&pause_sem); /* Alt suspends itself */
    end = bench_now();
    bench_add(&suspend_stat, alt_sample, end);
    bench_dither();

    start = bench_now();
    k_thread_resume(&bench_thread_b);
    bench_add(&resume_stat, start, alt_sample);
    bench_dither();

    start = bench_now();
    k_thread_abort(&bench_thread_b);
    end = bench_now();
    bench_add(&abort_stat, start, end);
    bench_dither();
  }
}

void bench_thread(void) {
  bench_create(&bench_thread_a, Controller, BENCH_PRIO_LOW, (void *)BENCH_ITERATIONS);
  bench_run_thread();
  bench_report("thread.create", "k_thread_create(), not started", &create_stat);
  bench_report("thread.start", "k_thread_start() until the thread runs", &start_stat);
  bench_report("thread.suspend", "k_thread_suspend() of itself until the next runs", &suspend_stat);
  bench_report("thread.resume", "k_thread_resume() until the thread runs", &resume_stat);
  bench_report("thread.abort", "k_thread_abort() of a ready thread", &abort_stat);
}
