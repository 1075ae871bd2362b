/*
 * Timing for the kernel benchmark (see ../README.md for the method).
 *
 * Under QEMU with -icount shift=0 one guest instruction is one nanosecond of virtual time, and
 * the SysTick current-value register is a clock of that virtual time at the SoC's frequency
 * (12 MHz on lm3s6965, 25 MHz on mps2-an385). One read is too coarse for one operation (83 ns
 * and 40 ns), so every figure is the mean of many windows whose start is dithered by a
 * pseudo-random delay: the rounding error of each window then averages out.
 */
#ifndef BENCH_H_
#define BENCH_H_

#include <stdint.h>

#include <zephyr/kernel.h>

#ifndef BENCH_ITERATIONS
#define BENCH_ITERATIONS 40000
#endif

/* Priorities of the benchmark's threads: below main (0), which waits for them. */
#define BENCH_PRIO_HIGH K_PRIO_PREEMPT(5)
#define BENCH_PRIO_LOW K_PRIO_PREEMPT(6)
#define BENCH_PRIO_LOWER K_PRIO_PREEMPT(7)

#define BENCH_STACK_SIZE 1024

/* The sum of many measured windows. */
struct bench_stat {
  uint64_t ticks;
  uint32_t windows;
  uint32_t dropped; /* windows across a SysTick reload, left out */
};

#ifdef CONFIG_RISCV
/* The timer on RISC-V: the mcycle CSR, which QEMU derives from the instruction count under
 * -icount (one count per instruction), inverted so that it counts down like SysTick: a window
 * across its 32-bit wrap is left out like one across a SysTick reload. */
static inline uint32_t bench_now(void) {
  uint32_t value;

  __asm__ volatile("csrr %0, mcycle" : "=r"(value) : : "memory");
  return ~value;
}
#else
/* The timer: SysTick's current value, counting down from its reload value. */
static inline uint32_t bench_now(void) {
  uint32_t value;

  __asm__ volatile("ldr %0, [%1]" : "=r"(value) : "r"(0xE000E018UL) : "memory");
  return value;
}
#endif

/* Add the window from @p start to @p end (two bench_now() values) to @p stat. */
void bench_add(struct bench_stat *stat, uint32_t start, uint32_t end);

/* Wait a pseudo-random 0 to about 200 instructions, between windows. */
void bench_dither(void);

/* Print "BENCH <key> <ns>" for @p stat, less the timer's own overhead. */
void bench_report(const char *key, const char *what, const struct bench_stat *stat);

/* Print "BENCH <key> n/a" for an operation whose kernel object is not built. */
void bench_report_na(const char *key, const char *what);

/* Threads the measurements share (created, not started, by bench_create()); bench_run_threads()
 * starts both at once (the scheduler locked meanwhile) and waits for both to end. */
extern struct k_thread bench_thread_a;
extern struct k_thread bench_thread_b;
K_THREAD_STACK_DECLARE(bench_stack_a, BENCH_STACK_SIZE);
K_THREAD_STACK_DECLARE(bench_stack_b, BENCH_STACK_SIZE);
void bench_create(struct k_thread *thread, k_thread_entry_t entry, int prio, void *p1);
void bench_run_threads(void);
/* Start bench_thread_a alone and wait for it to end. */
void bench_run_thread(void);

void bench_calibrate(void);
void bench_yield(void);
void bench_thread(void);
void bench_sem(void);
void bench_mutex(void);
void bench_isr(void);
void bench_fifo(void);
void bench_stack(void);
void bench_events(void);
void bench_condvar(void);
void bench_heap(void);

#endif /* BENCH_H_ */
