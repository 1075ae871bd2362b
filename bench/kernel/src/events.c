/*
 * Events: a thread blocking in k_event_wait() (until the lower-priority thread that sets the
 * event runs) and a k_event_set() that wakes it (until it runs).
 */
#include "bench.h"

#ifdef K_EVENT_DEFINE

#define EVENT_BITS 0x1234U

static K_EVENT_DEFINE(event);
static struct bench_stat wait_block_stat, set_wake_stat;
static volatile uint32_t mid;

static void Waiter(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  uint32_t iterations = (uint32_t)(uintptr_t)p1;

  for (uint32_t i = 0; i < iterations; i++) {
    uint32_t start = bench_now();
    (void)k_event_wait(&event, EVENT_BITS, true, K_FOREVER);
    uint32_t end = bench_now();
    bench_add(&wait_block_stat, start, mid);
    bench_add(&set_wake_stat, mid, end);
    bench_dither();
  }
}

static void Setter(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  uint32_t iterations = (uint32_t)(uintptr_t)p1;

  for (uint32_t i = 0; i < iterations; i++) {
    mid = bench_now();
    k_event_set(&event, EVENT_BITS);
  }
}

void bench_events(void) {
  bench_create(&bench_thread_a, Waiter, BENCH_PRIO_HIGH, (void *)BENCH_ITERATIONS);
  bench_create(&bench_thread_b, Setter, BENCH_PRIO_LOW, (void *)BENCH_ITERATIONS);
  bench_run_threads();
  bench_report("events.wait.blocking", "k_event_wait() blocking, until the next thread runs",
               &wait_block_stat);
  bench_report("events.set.wake", "k_event_set() waking a thread, until it runs", &set_wake_stat);
}

#else

void bench_events(void) {
  bench_report_na("events.wait.blocking", "k_event_wait() blocking, until the next thread runs");
  bench_report_na("events.set.wake", "k_event_set() waking a thread, until it runs");
}

#endif
