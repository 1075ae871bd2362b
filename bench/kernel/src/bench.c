/*
 * Timing helpers and the threads the measurements share.
 */
#include "bench.h"

struct k_thread bench_thread_a;
struct k_thread bench_thread_b;
K_THREAD_STACK_DEFINE(bench_stack_a, BENCH_STACK_SIZE);
K_THREAD_STACK_DEFINE(bench_stack_b, BENCH_STACK_SIZE);

/* The timer's own cost in tenths of a nanosecond: what a window with nothing in it reads. */
static uint32_t overhead_tenths;
static uint32_t dither_state = 12345U;

static uint32_t ReloadTicks(void) {
#ifdef CONFIG_RISCV
  return 0U;  /* mcycle: a free-running 32-bit count, no reload */
#else
  return *(volatile uint32_t *)0xE000E014UL + 1U;
#endif
}

void bench_add(struct bench_stat *stat, uint32_t start, uint32_t end) {
  /* The counter counts down and wraps to the reload value; the SysTick interrupt then runs
   * inside the window. Such windows (one in every 12,000-25,000 instructions) are left out. */
  if (end > start) {
    stat->dropped++;
    return;
  }
  stat->ticks += start - end;
  stat->windows++;
}

/* Runs the last 2,000 - @p skip nops of a sled of 2,000 and a return. */
#ifdef CONFIG_RISCV
__attribute__((naked, noinline)) static void NopSled(uint32_t skip) {
  __asm__ volatile(
      "la t0, 1f\n\t"
      "slli a0, a0, 1\n\t"
      "add t0, t0, a0\n\t"
      "jr t0\n\t"
      "1:\n\t"
      ".rept 2000\n\t"
      "c.nop\n\t"
      ".endr\n\t"
      "ret\n\t");
}
#else
__attribute__((naked, noinline)) static void NopSled(uint32_t skip) {
  __asm__ volatile(
      "adr r1, 1f\n\t"
      "add r1, r1, r0, lsl #1\n\t"
      "orr r1, r1, #1\n\t"
      "bx r1\n\t"
      ".balign 4\n"
      "1:\n\t"
      ".rept 2000\n\t"
      "nop.n\n\t"
      ".endr\n\t"
      "bx lr\n\t");
}
#endif

void bench_dither(void) {
  /* 2,000 instructions are a whole number of timer periods at 12, 12.5 and 25 MHz, so a delay
   * drawn uniformly from 1 to 2,000 instructions leaves the next window's start uniformly
   * spread over the period, whatever came before. */
  dither_state = dither_state * 1664525U + 1013904223U;
  NopSled((dither_state >> 8) % 2000U);
}

/* Mean of @p stat in thousandths of a timer tick. */
static uint64_t MeanMilliTicks(const struct bench_stat *stat) {
  if (stat->windows == 0U) {
    return 0;
  }
  return (stat->ticks * 1000ULL + stat->windows / 2U) / stat->windows;
}

/* The timer's rate, measured: a window around 1,900 nops more reads this many more milliticks. */
static uint64_t milliticks_per_1900;

/* Mean of @p stat in tenths of an instruction (a virtual nanosecond). */
static uint32_t MeanTenths(const struct bench_stat *stat) {
  return (uint32_t)((MeanMilliTicks(stat) * 19000ULL + milliticks_per_1900 / 2U) /
                    milliticks_per_1900);
}

void bench_report(const char *key, const char *what, const struct bench_stat *stat) {
  uint32_t tenths = MeanTenths(stat);
  tenths = tenths > overhead_tenths ? tenths - overhead_tenths : 0U;
  printk("BENCH %-24s %6u.%u  %s (%u windows)\n", key, (unsigned int)(tenths / 10U),
         (unsigned int)(tenths % 10U), what, (unsigned int)stat->windows);
}

void bench_report_na(const char *key, const char *what) {
  printk("BENCH %-24s    n/a  %s (not built)\n", key, what);
}

void bench_create(struct k_thread *thread, k_thread_entry_t entry, int prio, void *p1) {
  k_thread_stack_t *stack = thread == &bench_thread_a ? bench_stack_a : bench_stack_b;

  k_thread_create(thread, stack, K_THREAD_STACK_SIZEOF(bench_stack_a), entry, p1, NULL, NULL, prio,
                  0, K_FOREVER);
}

void bench_run_threads(void) {
  k_sched_lock();
  k_thread_start(&bench_thread_a);
  k_thread_start(&bench_thread_b);
  k_sched_unlock();
  k_thread_join(&bench_thread_a, K_FOREVER);
  k_thread_join(&bench_thread_b, K_FOREVER);
}

void bench_run_thread(void) {
  k_thread_start(&bench_thread_a);
  k_thread_join(&bench_thread_a, K_FOREVER);
}

__attribute__((noinline)) static void Nops100(void) {
  __asm__ volatile(".rept 100\n\tnop\n\t.endr");
}

void bench_calibrate(void) {
  struct bench_stat empty = {0};
  struct bench_stat sled_long = {0};
  struct bench_stat sled_short = {0};
  struct bench_stat nops = {0};

  /* The timer's rate in instructions: QEMU's lm3s6965 runs SysTick at 12.5 MHz (an 80 ns
   * period from its default RCC), not the 12 MHz of the board's crystal, so it is measured
   * rather than taken from CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC. */
  for (int i = 0; i < BENCH_ITERATIONS; i++) {
    uint32_t start = bench_now();
    NopSled(0);
    uint32_t end = bench_now();
    bench_add(&sled_long, start, end);
    bench_dither();
    start = bench_now();
    NopSled(1900);
    end = bench_now();
    bench_add(&sled_short, start, end);
    bench_dither();
  }
  milliticks_per_1900 = MeanMilliTicks(&sled_long) - MeanMilliTicks(&sled_short);
  uint32_t khz = (uint32_t)(milliticks_per_1900 * 1000000ULL / 1900000ULL);
  printk("BENCH timer %s, reload %u, %u.%03u MHz of virtual time\n",
         IS_ENABLED(CONFIG_RISCV) ? "mcycle" : "SysTick", (unsigned int)ReloadTicks(),
         (unsigned int)(khz / 1000U), (unsigned int)(khz % 1000U));

  for (int i = 0; i < BENCH_ITERATIONS; i++) {
    uint32_t start = bench_now();
    uint32_t end = bench_now();
    bench_add(&empty, start, end);
    bench_dither();
  }
  overhead_tenths = MeanTenths(&empty);
  printk("BENCH timer overhead %u.%u instructions\n", (unsigned int)(overhead_tenths / 10U),
         (unsigned int)(overhead_tenths % 10U));

  for (int i = 0; i < BENCH_ITERATIONS; i++) {
    uint32_t start = bench_now();
    Nops100();
    uint32_t end = bench_now();
    bench_add(&nops, start, end);
    bench_dither();
  }
  /* Self-check: the call, 100 nops and the return are 102 instructions. */
  bench_report("calibration.nop100", "call of a function of 100 nops (102 instructions)", &nops);
}
