/*
 * Kernel benchmark: the mean cost of kernel operations in virtual nanoseconds, which under
 * QEMU -icount shift=0 are guest instructions. The operations and where each measurement starts
 * and ends follow Zephyr's tests/benchmarks/latency_measure (see ../README.md), so that the
 * figures compare with Zephyr's.
 */
#include <gale/arch.h>

#include "bench.h"

int main(void) {
  printk("BENCH start %s, %u windows per figure\n", CONFIG_BOARD, BENCH_ITERATIONS);
  bench_calibrate();
  bench_yield();
  bench_isr();
  bench_thread();
  bench_sem();
  bench_mutex();
  bench_fifo();
  bench_events();
  bench_condvar();
  bench_stack();
  bench_heap();
  printk("BENCH end\n");
  arch_system_exit(0); /* QEMU exits: run.sh needs no timeout */
  return 0;
}
