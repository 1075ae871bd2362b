/*
 * Stacks: push and pop with nothing to switch to.
 */
#include "bench.h"

#ifdef K_STACK_DEFINE

static K_STACK_DEFINE(stack, 4);

void bench_stack(void) {
  struct bench_stat push_stat = {0};
  struct bench_stat pop_stat = {0};
  stack_data_t data;

  for (int i = 0; i < BENCH_ITERATIONS; i++) {
    uint32_t start = bench_now();
    (void)k_stack_push(&stack, (stack_data_t)i);
    uint32_t middle = bench_now();
    (void)k_stack_pop(&stack, &data, K_NO_WAIT);
    uint32_t end = bench_now();
    bench_add(&push_stat, start, middle);
    bench_add(&pop_stat, middle, end);
    bench_dither();
  }
  bench_report("stack.push", "k_stack_push(), no waiter", &push_stat);
  bench_report("stack.pop", "k_stack_pop(), data present", &pop_stat);
}

#else

void bench_stack(void) {
  bench_report_na("stack.push", "k_stack_push(), no waiter");
  bench_report_na("stack.pop", "k_stack_pop(), data present");
}

#endif
