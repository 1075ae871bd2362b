/*
 * Condition variables: a thread holding a mutex waits (until the lower-priority thread that
 * signals runs); the signal wakes it and it takes the mutex back (until it runs).
 */
#include "bench.h"

#ifdef K_CONDVAR_DEFINE

static K_CONDVAR_DEFINE(condvar);
static K_MUTEX_DEFINE(mutex);
static struct bench_stat wait_stat, signal_stat;
static volatile uint32_t mid;

static void Waiter(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  uint32_t iterations = (uint32_t)(uintptr_t)p1;

  k_mutex_lock(&mutex, K_FOREVER);
  for (uint32_t i = 0; i < iterations; i++) {
    uint32_t start = bench_now();
    (void)k_condvar_wait(&condvar, &mutex, K_FOREVER);
    uint32_t end = bench_now();
    bench_add(&wait_stat, start, mid);
    bench_add(&signal_stat, mid, end);
    bench_dither();
  }
  k_mutex_unlock(&mutex);
}

static void Signaller(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  uint32_t iterations = (uint32_t)(uintptr_t)p1;

  for (uint32_t i = 0; i < iterations; i++) {
    mid = bench_now();
    (void)k_condvar_signal(&condvar);
  }
}

void bench_condvar(void) {
  bench_create(&bench_thread_a, Waiter, BENCH_PRIO_HIGH, (void *)BENCH_ITERATIONS);
  bench_create(&bench_thread_b, Signaller, BENCH_PRIO_LOW, (void *)BENCH_ITERATIONS);
  bench_run_threads();
  bench_report("condvar.wait", "k_condvar_wait() blocking, until the next thread runs", &wait_stat);
  bench_report("condvar.signal", "k_condvar_signal() waking a thread, until it runs", &signal_stat);
}

#else

void bench_condvar(void) {
  bench_report_na("condvar.wait", "k_condvar_wait() blocking, until the next thread runs");
  bench_report_na("condvar.signal", "k_condvar_signal() waking a thread, until it runs");
}

#endif
