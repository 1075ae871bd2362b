/* The time unit conversions compiled as C11: static initializers need constant expressions. */
#include <stdint.h>

#include <zephyr/sys/time_units.h>

#include "c_check.h"

/* File-scope initializers: accepted only if the conversions fold to constants. */
static const uint32_t ticks_per_15ms = k_ms_to_ticks_ceil32(15);
static const uint64_t cycles_per_us = k_us_to_cyc_floor64(1);
static uint32_t table[] = {k_ms_to_ticks_floor32(10), k_ms_to_ticks_near32(10),
                           k_sec_to_ticks_floor32(1)};

static uint32_t (*const fn32)(uint64_t) = k_ms_to_ticks_ceil32; /* the function */

int main(void) {
  volatile uint64_t ms = 15;
  uint64_t n = 3;

  CHECK(ticks_per_15ms == k_ms_to_ticks_ceil32(ms));
  CHECK(fn32(ms) == ticks_per_15ms);
  CHECK(cycles_per_us == CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC / 1000000);
  CHECK(table[2] == CONFIG_SYS_CLOCK_TICKS_PER_SEC);
  /* 100 Hz ticks: 15 ms is 1.5 ticks. */
  CHECK(k_ms_to_ticks_floor32(ms) == 1);
  CHECK(k_ms_to_ticks_ceil32(ms) == 2);
  CHECK(k_ms_to_ticks_near32(ms) == 2);
  CHECK(k_ms_to_ticks_near64(14) == 1);
  CHECK(k_ticks_to_ms_floor64(3) == 30);
  CHECK(k_cyc_to_us_ceil32(13) == 2);
  CHECK(k_cyc_to_ns_near64(1) == 83); /* 83.33 ns at 12 MHz */
  CHECK(k_ns_to_cyc_ceil64(UINT64_MAX) == 221360928884514620ULL);
  CHECK(k_ms_to_cyc_floor32(n++) == 36000 && n == 4); /* argument evaluated once */
  CHECK(sys_clock_hw_cycles_per_sec() == 12000000);
  CHECK(SYS_FOREVER_MS == -1 && SYS_FOREVER_US == -1);
  return CHECK_DONE();
}
