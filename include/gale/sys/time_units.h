/*
 * Time unit conversions: Zephyr 3.7's <zephyr/sys/time_units.h> API. Names, rounding modes and
 * result widths follow Zephyr's documented contract; the implementation is Gale's own.
 *
 * k_<from>_to_<to>_<round><bits>(t) converts the count t from one unit to another:
 *   units:  sec, ms, us, ns (fixed rates), cyc (hardware cycles at sys_clock_hw_cycles_per_sec()),
 *           ticks (kernel ticks at CONFIG_SYS_CLOCK_TICKS_PER_SEC);
 *   round:  floor (toward zero), ceil (away from zero), near (to nearest, halves round up);
 *   bits:   32 returns uint32_t (the exact result truncated modulo 2^32), 64 returns uint64_t.
 * Provided: sec/ms/us/ns -> cyc/ticks, cyc -> sec/ms/us/ns/ticks, ticks -> sec/ms/us/ns/cyc.
 *
 * The arithmetic is exact for every input as long as the result fits in 64 bits: t * to / from
 * is computed as (t / from) * to + ((t % from) * to + rounding) / from, so the product t * to
 * is never formed. When one rate divides the other (ms -> us-rate ticks, 12 MHz cycles -> 100 Hz
 * ticks) a single multiplication or division by the ratio is used instead.
 *
 * Each conversion is a static inline function; in C++ it is constexpr. C has no constexpr, so
 * in C each name is also a function-like macro that gives an integer constant expression when
 * t is a constant (so that K_MSEC(10) and friends can initialize static data) and otherwise
 * calls the function, evaluating t exactly once. The macro names t several times, so GCC's
 * -Wsequence-point may flag an argument such as i++ although it is evaluated once. Taking the
 * address of a conversion gives the function.
 *
 * Internal names start with gale_tu_ / GALE_TU_.
 */
#ifndef GALE_SYS_TIME_UNITS_H_
#define GALE_SYS_TIME_UNITS_H_

#include <stdint.h>

#include <gale/toolchain.h>

#ifndef CONFIG_SYS_CLOCK_TICKS_PER_SEC
#error "CONFIG_SYS_CLOCK_TICKS_PER_SEC is not defined: time conversions need the kernel tick rate"
#endif
#ifndef CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC
#error "CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC is not defined: time conversions need the cycle rate"
#endif

BUILD_ASSERT(CONFIG_SYS_CLOCK_TICKS_PER_SEC > 0 &&
                 (uint64_t)CONFIG_SYS_CLOCK_TICKS_PER_SEC < ((uint64_t)1 << 32),
             "CONFIG_SYS_CLOCK_TICKS_PER_SEC must be in 1..2^32-1");
BUILD_ASSERT(CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC > 0 &&
                 (uint64_t)CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC < ((uint64_t)1 << 32),
             "CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC must be in 1..2^32-1");

#ifdef __cplusplus
extern "C" {
#endif

/** "Forever" for APIs that take a duration in milliseconds. */
#define SYS_FOREVER_MS (-1)
/** "Forever" for APIs that take a duration in microseconds. */
#define SYS_FOREVER_US (-1)

/** constexpr in C++ (the rates are compile-time constants), nothing in C. */
#ifdef __cplusplus
#define TIME_CONSTEXPR constexpr
#else
#define TIME_CONSTEXPR
#endif

/**
 * Frequency of the hardware cycle counter (k_cycle_get_32()), in Hz.
 *
 * @pre any context.
 */
#define sys_clock_hw_cycles_per_sec() CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC

/* Rates of the units, in counts per second. */
#define GALE_TU_HZ_sec 1U
#define GALE_TU_HZ_ms 1000U
#define GALE_TU_HZ_us 1000000U
#define GALE_TU_HZ_ns 1000000000U
#define GALE_TU_HZ_cyc ((uint32_t)sys_clock_hw_cycles_per_sec())
#define GALE_TU_HZ_ticks ((uint32_t)CONFIG_SYS_CLOCK_TICKS_PER_SEC)

/* Rounding modes. */
#define GALE_TU_floor 0
#define GALE_TU_ceil 1
#define GALE_TU_near 2

/* What to add to the dividend before dividing by d to get the rounding of the mode. */
#define GALE_TU_OFFSET(d, mode) \
  ((mode) == GALE_TU_ceil ? (uint64_t)((d)-1U) : (mode) == GALE_TU_near ? (uint64_t)(d) / 2U : 0U)

/*
 * Rounded t * num / den with t split as q * den + r: q * num is exact, and r * num + offset stays
 * below den * num < 2^64 because both rates are below 2^32.
 */
#define GALE_TU_FRAC(t, num, den, mode)                                              \
  ((uint64_t)(t) / (uint64_t)(den) * (uint64_t)(num) +                               \
   ((uint64_t)(t) % (uint64_t)(den) * (uint64_t)(num) + GALE_TU_OFFSET(den, mode)) / \
       (uint64_t)(den))

/*
 * Rounded t / d: the remainder and the offset are both below d, so rounding adds at most one and
 * needs no second division.
 */
#define GALE_TU_DIV(t, d, mode)    \
  ((uint64_t)(t) / (uint64_t)(d) + \
   ((uint64_t)(t) % (uint64_t)(d) + GALE_TU_OFFSET(d, mode) >= (uint64_t)(d) ? 1U : 0U))

/* from / to when from is the larger rate, else 1: unused branches must not divide by zero. */
#define GALE_TU_RATIO(from, to) ((from) > (to) ? (from) / (to) : 1U)

/* The conversion as an integer constant expression (t is evaluated more than once). */
#define GALE_TU_CONST(t, from, to, mode)                                 \
  ((from) == (to)        ? (uint64_t)(t)                                 \
   : (to) % (from) == 0U ? (uint64_t)(t) * (uint64_t)((to) / (from))     \
   : (from) % (to) == 0U ? GALE_TU_DIV(t, GALE_TU_RATIO(from, to), mode) \
                         : GALE_TU_FRAC(t, to, from, mode))

/* The same conversion as a function; the rates are constants, so the branches fold away. */
TIME_CONSTEXPR static inline uint64_t gale_tu_convert(uint64_t t, uint32_t from, uint32_t to,
                                                      int mode) {
  if (from == to) {
    return t;
  }
  if (to % from == 0U) {
    return t * (uint64_t)(to / from);
  }
  if (from % to == 0U) {
    return GALE_TU_DIV(t, from / to, mode);
  }
  return GALE_TU_FRAC(t, to, from, mode);
}

#define GALE_TU_DEFINE_FN(from, to, round)                                                    \
  TIME_CONSTEXPR static inline uint32_t k_##from##_to_##to##_##round##32(uint64_t t) {        \
    return (uint32_t)gale_tu_convert(t, GALE_TU_HZ_##from, GALE_TU_HZ_##to, GALE_TU_##round); \
  }                                                                                           \
  TIME_CONSTEXPR static inline uint64_t k_##from##_to_##to##_##round##64(uint64_t t) {        \
    return gale_tu_convert(t, GALE_TU_HZ_##from, GALE_TU_HZ_##to, GALE_TU_##round);           \
  }
#define GALE_TU_DEFINE_PAIR(from, to) \
  GALE_TU_DEFINE_FN(from, to, floor)  \
  GALE_TU_DEFINE_FN(from, to, ceil)   \
  GALE_TU_DEFINE_FN(from, to, near)

GALE_TU_DEFINE_PAIR(sec, cyc)
GALE_TU_DEFINE_PAIR(sec, ticks)
GALE_TU_DEFINE_PAIR(ms, cyc)
GALE_TU_DEFINE_PAIR(ms, ticks)
GALE_TU_DEFINE_PAIR(us, cyc)
GALE_TU_DEFINE_PAIR(us, ticks)
GALE_TU_DEFINE_PAIR(ns, cyc)
GALE_TU_DEFINE_PAIR(ns, ticks)
GALE_TU_DEFINE_PAIR(cyc, sec)
GALE_TU_DEFINE_PAIR(cyc, ms)
GALE_TU_DEFINE_PAIR(cyc, us)
GALE_TU_DEFINE_PAIR(cyc, ns)
GALE_TU_DEFINE_PAIR(cyc, ticks)
GALE_TU_DEFINE_PAIR(ticks, sec)
GALE_TU_DEFINE_PAIR(ticks, ms)
GALE_TU_DEFINE_PAIR(ticks, us)
GALE_TU_DEFINE_PAIR(ticks, ns)
GALE_TU_DEFINE_PAIR(ticks, cyc)

#ifndef __cplusplus
/*
 * The public names as macros: a constant expression for constant t, the function otherwise.
 * __builtin_constant_p does not evaluate t, and is false for any t with side effects.
 */
#define GALE_TU_CVT64(t, from, to, round)                                                 \
  ((uint64_t)(__builtin_constant_p(t)                                                     \
                  ? GALE_TU_CONST(t, GALE_TU_HZ_##from, GALE_TU_HZ_##to, GALE_TU_##round) \
                  : (k_##from##_to_##to##_##round##64)(t)))
#define GALE_TU_CVT32(t, from, to, round)                                                 \
  ((uint32_t)(__builtin_constant_p(t)                                                     \
                  ? GALE_TU_CONST(t, GALE_TU_HZ_##from, GALE_TU_HZ_##to, GALE_TU_##round) \
                  : (k_##from##_to_##to##_##round##32)(t)))

/** Seconds to hardware cycles. */
#define k_sec_to_cyc_floor32(t) GALE_TU_CVT32(t, sec, cyc, floor)
#define k_sec_to_cyc_floor64(t) GALE_TU_CVT64(t, sec, cyc, floor)
#define k_sec_to_cyc_ceil32(t) GALE_TU_CVT32(t, sec, cyc, ceil)
#define k_sec_to_cyc_ceil64(t) GALE_TU_CVT64(t, sec, cyc, ceil)
#define k_sec_to_cyc_near32(t) GALE_TU_CVT32(t, sec, cyc, near)
#define k_sec_to_cyc_near64(t) GALE_TU_CVT64(t, sec, cyc, near)

/** Seconds to ticks. */
#define k_sec_to_ticks_floor32(t) GALE_TU_CVT32(t, sec, ticks, floor)
#define k_sec_to_ticks_floor64(t) GALE_TU_CVT64(t, sec, ticks, floor)
#define k_sec_to_ticks_ceil32(t) GALE_TU_CVT32(t, sec, ticks, ceil)
#define k_sec_to_ticks_ceil64(t) GALE_TU_CVT64(t, sec, ticks, ceil)
#define k_sec_to_ticks_near32(t) GALE_TU_CVT32(t, sec, ticks, near)
#define k_sec_to_ticks_near64(t) GALE_TU_CVT64(t, sec, ticks, near)

/** Milliseconds to hardware cycles. */
#define k_ms_to_cyc_floor32(t) GALE_TU_CVT32(t, ms, cyc, floor)
#define k_ms_to_cyc_floor64(t) GALE_TU_CVT64(t, ms, cyc, floor)
#define k_ms_to_cyc_ceil32(t) GALE_TU_CVT32(t, ms, cyc, ceil)
#define k_ms_to_cyc_ceil64(t) GALE_TU_CVT64(t, ms, cyc, ceil)
#define k_ms_to_cyc_near32(t) GALE_TU_CVT32(t, ms, cyc, near)
#define k_ms_to_cyc_near64(t) GALE_TU_CVT64(t, ms, cyc, near)

/** Milliseconds to ticks. */
#define k_ms_to_ticks_floor32(t) GALE_TU_CVT32(t, ms, ticks, floor)
#define k_ms_to_ticks_floor64(t) GALE_TU_CVT64(t, ms, ticks, floor)
#define k_ms_to_ticks_ceil32(t) GALE_TU_CVT32(t, ms, ticks, ceil)
#define k_ms_to_ticks_ceil64(t) GALE_TU_CVT64(t, ms, ticks, ceil)
#define k_ms_to_ticks_near32(t) GALE_TU_CVT32(t, ms, ticks, near)
#define k_ms_to_ticks_near64(t) GALE_TU_CVT64(t, ms, ticks, near)

/** Microseconds to hardware cycles. */
#define k_us_to_cyc_floor32(t) GALE_TU_CVT32(t, us, cyc, floor)
#define k_us_to_cyc_floor64(t) GALE_TU_CVT64(t, us, cyc, floor)
#define k_us_to_cyc_ceil32(t) GALE_TU_CVT32(t, us, cyc, ceil)
#define k_us_to_cyc_ceil64(t) GALE_TU_CVT64(t, us, cyc, ceil)
#define k_us_to_cyc_near32(t) GALE_TU_CVT32(t, us, cyc, near)
#define k_us_to_cyc_near64(t) GALE_TU_CVT64(t, us, cyc, near)

/** Microseconds to ticks. */
#define k_us_to_ticks_floor32(t) GALE_TU_CVT32(t, us, ticks, floor)
#define k_us_to_ticks_floor64(t) GALE_TU_CVT64(t, us, ticks, floor)
#define k_us_to_ticks_ceil32(t) GALE_TU_CVT32(t, us, ticks, ceil)
#define k_us_to_ticks_ceil64(t) GALE_TU_CVT64(t, us, ticks, ceil)
#define k_us_to_ticks_near32(t) GALE_TU_CVT32(t, us, ticks, near)
#define k_us_to_ticks_near64(t) GALE_TU_CVT64(t, us, ticks, near)

/** Nanoseconds to hardware cycles. */
#define k_ns_to_cyc_floor32(t) GALE_TU_CVT32(t, ns, cyc, floor)
#define k_ns_to_cyc_floor64(t) GALE_TU_CVT64(t, ns, cyc, floor)
#define k_ns_to_cyc_ceil32(t) GALE_TU_CVT32(t, ns, cyc, ceil)
#define k_ns_to_cyc_ceil64(t) GALE_TU_CVT64(t, ns, cyc, ceil)
#define k_ns_to_cyc_near32(t) GALE_TU_CVT32(t, ns, cyc, near)
#define k_ns_to_cyc_near64(t) GALE_TU_CVT64(t, ns, cyc, near)

/** Nanoseconds to ticks. */
#define k_ns_to_ticks_floor32(t) GALE_TU_CVT32(t, ns, ticks, floor)
#define k_ns_to_ticks_floor64(t) GALE_TU_CVT64(t, ns, ticks, floor)
#define k_ns_to_ticks_ceil32(t) GALE_TU_CVT32(t, ns, ticks, ceil)
#define k_ns_to_ticks_ceil64(t) GALE_TU_CVT64(t, ns, ticks, ceil)
#define k_ns_to_ticks_near32(t) GALE_TU_CVT32(t, ns, ticks, near)
#define k_ns_to_ticks_near64(t) GALE_TU_CVT64(t, ns, ticks, near)

/** Hardware cycles to seconds. */
#define k_cyc_to_sec_floor32(t) GALE_TU_CVT32(t, cyc, sec, floor)
#define k_cyc_to_sec_floor64(t) GALE_TU_CVT64(t, cyc, sec, floor)
#define k_cyc_to_sec_ceil32(t) GALE_TU_CVT32(t, cyc, sec, ceil)
#define k_cyc_to_sec_ceil64(t) GALE_TU_CVT64(t, cyc, sec, ceil)
#define k_cyc_to_sec_near32(t) GALE_TU_CVT32(t, cyc, sec, near)
#define k_cyc_to_sec_near64(t) GALE_TU_CVT64(t, cyc, sec, near)

/** Hardware cycles to milliseconds. */
#define k_cyc_to_ms_floor32(t) GALE_TU_CVT32(t, cyc, ms, floor)
#define k_cyc_to_ms_floor64(t) GALE_TU_CVT64(t, cyc, ms, floor)
#define k_cyc_to_ms_ceil32(t) GALE_TU_CVT32(t, cyc, ms, ceil)
#define k_cyc_to_ms_ceil64(t) GALE_TU_CVT64(t, cyc, ms, ceil)
#define k_cyc_to_ms_near32(t) GALE_TU_CVT32(t, cyc, ms, near)
#define k_cyc_to_ms_near64(t) GALE_TU_CVT64(t, cyc, ms, near)

/** Hardware cycles to microseconds. */
#define k_cyc_to_us_floor32(t) GALE_TU_CVT32(t, cyc, us, floor)
#define k_cyc_to_us_floor64(t) GALE_TU_CVT64(t, cyc, us, floor)
#define k_cyc_to_us_ceil32(t) GALE_TU_CVT32(t, cyc, us, ceil)
#define k_cyc_to_us_ceil64(t) GALE_TU_CVT64(t, cyc, us, ceil)
#define k_cyc_to_us_near32(t) GALE_TU_CVT32(t, cyc, us, near)
#define k_cyc_to_us_near64(t) GALE_TU_CVT64(t, cyc, us, near)

/** Hardware cycles to nanoseconds. */
#define k_cyc_to_ns_floor32(t) GALE_TU_CVT32(t, cyc, ns, floor)
#define k_cyc_to_ns_floor64(t) GALE_TU_CVT64(t, cyc, ns, floor)
#define k_cyc_to_ns_ceil32(t) GALE_TU_CVT32(t, cyc, ns, ceil)
#define k_cyc_to_ns_ceil64(t) GALE_TU_CVT64(t, cyc, ns, ceil)
#define k_cyc_to_ns_near32(t) GALE_TU_CVT32(t, cyc, ns, near)
#define k_cyc_to_ns_near64(t) GALE_TU_CVT64(t, cyc, ns, near)

/** Hardware cycles to ticks. */
#define k_cyc_to_ticks_floor32(t) GALE_TU_CVT32(t, cyc, ticks, floor)
#define k_cyc_to_ticks_floor64(t) GALE_TU_CVT64(t, cyc, ticks, floor)
#define k_cyc_to_ticks_ceil32(t) GALE_TU_CVT32(t, cyc, ticks, ceil)
#define k_cyc_to_ticks_ceil64(t) GALE_TU_CVT64(t, cyc, ticks, ceil)
#define k_cyc_to_ticks_near32(t) GALE_TU_CVT32(t, cyc, ticks, near)
#define k_cyc_to_ticks_near64(t) GALE_TU_CVT64(t, cyc, ticks, near)

/** Ticks to seconds. */
#define k_ticks_to_sec_floor32(t) GALE_TU_CVT32(t, ticks, sec, floor)
#define k_ticks_to_sec_floor64(t) GALE_TU_CVT64(t, ticks, sec, floor)
#define k_ticks_to_sec_ceil32(t) GALE_TU_CVT32(t, ticks, sec, ceil)
#define k_ticks_to_sec_ceil64(t) GALE_TU_CVT64(t, ticks, sec, ceil)
#define k_ticks_to_sec_near32(t) GALE_TU_CVT32(t, ticks, sec, near)
#define k_ticks_to_sec_near64(t) GALE_TU_CVT64(t, ticks, sec, near)

/** Ticks to milliseconds. */
#define k_ticks_to_ms_floor32(t) GALE_TU_CVT32(t, ticks, ms, floor)
#define k_ticks_to_ms_floor64(t) GALE_TU_CVT64(t, ticks, ms, floor)
#define k_ticks_to_ms_ceil32(t) GALE_TU_CVT32(t, ticks, ms, ceil)
#define k_ticks_to_ms_ceil64(t) GALE_TU_CVT64(t, ticks, ms, ceil)
#define k_ticks_to_ms_near32(t) GALE_TU_CVT32(t, ticks, ms, near)
#define k_ticks_to_ms_near64(t) GALE_TU_CVT64(t, ticks, ms, near)

/** Ticks to microseconds. */
#define k_ticks_to_us_floor32(t) GALE_TU_CVT32(t, ticks, us, floor)
#define k_ticks_to_us_floor64(t) GALE_TU_CVT64(t, ticks, us, floor)
#define k_ticks_to_us_ceil32(t) GALE_TU_CVT32(t, ticks, us, ceil)
#define k_ticks_to_us_ceil64(t) GALE_TU_CVT64(t, ticks, us, ceil)
#define k_ticks_to_us_near32(t) GALE_TU_CVT32(t, ticks, us, near)
#define k_ticks_to_us_near64(t) GALE_TU_CVT64(t, ticks, us, near)

/** Ticks to nanoseconds. */
#define k_ticks_to_ns_floor32(t) GALE_TU_CVT32(t, ticks, ns, floor)
#define k_ticks_to_ns_floor64(t) GALE_TU_CVT64(t, ticks, ns, floor)
#define k_ticks_to_ns_ceil32(t) GALE_TU_CVT32(t, ticks, ns, ceil)
#define k_ticks_to_ns_ceil64(t) GALE_TU_CVT64(t, ticks, ns, ceil)
#define k_ticks_to_ns_near32(t) GALE_TU_CVT32(t, ticks, ns, near)
#define k_ticks_to_ns_near64(t) GALE_TU_CVT64(t, ticks, ns, near)

/** Ticks to hardware cycles. */
#define k_ticks_to_cyc_floor32(t) GALE_TU_CVT32(t, ticks, cyc, floor)
#define k_ticks_to_cyc_floor64(t) GALE_TU_CVT64(t, ticks, cyc, floor)
#define k_ticks_to_cyc_ceil32(t) GALE_TU_CVT32(t, ticks, cyc, ceil)
#define k_ticks_to_cyc_ceil64(t) GALE_TU_CVT64(t, ticks, cyc, ceil)
#define k_ticks_to_cyc_near32(t) GALE_TU_CVT32(t, ticks, cyc, near)
#define k_ticks_to_cyc_near64(t) GALE_TU_CVT64(t, ticks, cyc, near)

#endif /* !__cplusplus */

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS_TIME_UNITS_H_ */
