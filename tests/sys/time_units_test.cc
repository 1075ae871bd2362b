// Time unit conversions, checked against a 128-bit reference for one pair of rates. CMake builds
// this file once per (CONFIG_SYS_CLOCK_TICKS_PER_SEC, CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC) pair.
#include <gale/sys/time_units.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <zephyr/sys/time_units.h>  // the forwarding header names the same API

namespace {

enum Round { kFloor = GALE_TU_floor, kCeil = GALE_TU_ceil, kNear = GALE_TU_near };

using u128 = unsigned __int128;

// The mathematically exact rounded t * to / from, reduced modulo 2^64 like the API's results.
constexpr uint64_t Reference(uint64_t t, uint64_t from, uint64_t to, Round round) {
  const u128 product = static_cast<u128>(t) * to;
  u128 q = product / from;
  const u128 r = product % from;
  if (round == kCeil && r != 0) {
    q += 1;
  }
  if (round == kNear && 2 * r >= from) {
    q += 1;
  }
  return static_cast<uint64_t>(q);
}

constexpr uint64_t kTicks = CONFIG_SYS_CLOCK_TICKS_PER_SEC;
constexpr uint64_t kCyc = CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC;

struct Conversion {
  const char *name;
  uint64_t from;
  uint64_t to;
  Round round;
  uint32_t (*fn32)(uint64_t);
  uint64_t (*fn64)(uint64_t);
};

#define HZ_sec 1
#define HZ_ms 1000
#define HZ_us 1000000
#define HZ_ns 1000000000
#define HZ_cyc kCyc
#define HZ_ticks kTicks

// Taking the name without a call gives the function, not the macro.
#define MODE_floor kFloor
#define MODE_ceil kCeil
#define MODE_near kNear
#define ENTRY(f, t, r)                                                             \
  Conversion {                                                                     \
    "k_" #f "_to_" #t "_" #r, HZ_##f, HZ_##t, MODE_##r, &k_##f##_to_##t##_##r##32, \
        &k_##f##_to_##t##_##r##64                                                  \
  }
#define PAIR(f, t) ENTRY(f, t, floor), ENTRY(f, t, ceil), ENTRY(f, t, near)

// Every conversion Gale provides, each followed by its ceil and near variants.
const Conversion kConversions[] = {
    PAIR(sec, cyc),  PAIR(sec, ticks), PAIR(ms, cyc),    PAIR(ms, ticks),  PAIR(us, cyc),
    PAIR(us, ticks), PAIR(ns, cyc),    PAIR(ns, ticks),  PAIR(cyc, sec),   PAIR(cyc, ms),
    PAIR(cyc, us),   PAIR(cyc, ns),    PAIR(cyc, ticks), PAIR(ticks, sec), PAIR(ticks, ms),
    PAIR(ticks, us), PAIR(ticks, ns),  PAIR(ticks, cyc),
};

std::vector<uint64_t> Inputs(const Conversion &c) {
  // Around zero, around each rate and its half (rounding boundaries), around 2^32, and where
  // t * to stops fitting in 64 bits.
  std::vector<uint64_t> v = {0, 1, 2, 3, 999, 1000, 1001};
  for (uint64_t base : {c.from, c.to, c.from / 2, c.from * 3 / 2, uint64_t{UINT32_MAX},
                        UINT64_MAX / c.to, uint64_t{1} << 40}) {
    v.insert(v.end(), {base - 1, base, base + 1});
  }
  v.insert(v.end(), {UINT64_MAX - c.from, UINT64_MAX - 1, UINT64_MAX});
  // A fixed xorshift sequence over every magnitude.
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 2000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    v.push_back(x >> (i % 64));
  }
  return v;
}

TEST(TimeUnits, EveryConversionMatchesExactArithmetic) {
  for (const Conversion &c : kConversions) {
    for (uint64_t t : Inputs(c)) {
      const uint64_t want = Reference(t, c.from, c.to, c.round);
      ASSERT_EQ(c.fn64(t), want) << c.name << "64(" << t << ")";
      ASSERT_EQ(c.fn32(t), static_cast<uint32_t>(want)) << c.name << "32(" << t << ")";
      // The constant-expression form behind C's macros, here evaluated at run time.
      ASSERT_EQ(GALE_TU_CONST(t, c.from, c.to, c.round), want) << c.name << " (C macro form)";
    }
  }
}

TEST(TimeUnits, RoundingModesDifferOnlyOnFractions) {
  for (const Conversion &c : kConversions) {
    if (c.round != kFloor) {
      continue;
    }
    const Conversion &ceil = (&c)[1];
    const Conversion &near = (&c)[2];
    for (uint64_t t : Inputs(c)) {
      if (t > UINT64_MAX / c.to) {
        continue;  // the product no longer fits: checked against the reference above
      }
      const bool exact = (t * c.to) % c.from == 0;
      const uint64_t lo = c.fn64(t);
      EXPECT_EQ(ceil.fn64(t), exact ? lo : lo + 1) << c.name << "(" << t << ")";
      EXPECT_TRUE(near.fn64(t) == lo || near.fn64(t) == lo + 1) << c.name << "(" << t << ")";
    }
  }
}

// Large inputs whose product with the target rate overflows 64 bits while the result fits.
TEST(TimeUnits, NoIntermediateOverflow) {
  const uint64_t big = UINT64_MAX / 2;  // any "to" above 2 overflows big * to
  EXPECT_EQ(k_ns_to_ticks_floor64(big), Reference(big, 1000000000, kTicks, kFloor));
  EXPECT_EQ(k_ns_to_ticks_ceil64(big), Reference(big, 1000000000, kTicks, kCeil));
  EXPECT_EQ(k_ns_to_cyc_near64(big), Reference(big, 1000000000, kCyc, kNear));
  EXPECT_EQ(k_us_to_ticks_ceil64(UINT64_MAX), Reference(UINT64_MAX, 1000000, kTicks, kCeil));
  // Cycles to ns for a counter that has been running for about a century.
  const uint64_t century = kCyc * 3600ULL * 24 * 365 * 100;
  EXPECT_EQ(k_cyc_to_ns_floor64(century), 3600ULL * 24 * 365 * 100 * 1000000000ULL);
  EXPECT_EQ(k_cyc_to_ns_ceil64(century + 1), Reference(century + 1, kCyc, 1000000000, kCeil));
  EXPECT_EQ(k_ticks_to_us_near64(UINT64_MAX / 1000000 * kTicks),
            Reference(UINT64_MAX / 1000000 * kTicks, kTicks, 1000000, kNear));
}

TEST(TimeUnits, ThirtyTwoBitResultsWrap) {
  const uint64_t t = (uint64_t{1} << 33) + 12345;
  EXPECT_EQ(k_ms_to_cyc_floor32(t), static_cast<uint32_t>(k_ms_to_cyc_floor64(t)));
  EXPECT_EQ(k_ticks_to_ns_ceil32(t), static_cast<uint32_t>(k_ticks_to_ns_ceil64(t)));
  EXPECT_EQ(k_sec_to_ticks_near32(t), static_cast<uint32_t>(k_sec_to_ticks_near64(t)));
}

TEST(TimeUnits, HandComputedValues) {
  // 1.5 ticks worth of milliseconds: floor 1, ceil 2, near 2 (halves round up); exact when
  // the tick period is a whole number of milliseconds.
  if (1000 % kTicks == 0 && (1000 / kTicks) % 2 == 0) {
    const uint64_t ms = 1000 / kTicks * 3 / 2;
    EXPECT_EQ(k_ms_to_ticks_floor32(ms), 1U);
    EXPECT_EQ(k_ms_to_ticks_ceil32(ms), 2U);
    EXPECT_EQ(k_ms_to_ticks_near32(ms), 2U);
    EXPECT_EQ(k_ms_to_ticks_near32(ms - 1), 1U);
  }
  EXPECT_EQ(k_sec_to_ticks_floor64(1), kTicks);
  EXPECT_EQ(k_sec_to_cyc_floor64(2), 2 * kCyc);
  EXPECT_EQ(k_ticks_to_sec_floor64(kTicks - 1), 0U);
  EXPECT_EQ(k_ticks_to_sec_ceil64(kTicks + 1), 2U);
  EXPECT_EQ(k_ticks_to_ms_ceil64(0), 0U);
  EXPECT_EQ(k_cyc_to_ticks_floor64(kCyc), kTicks);
  EXPECT_EQ(k_ticks_to_cyc_floor64(kTicks), kCyc);
  EXPECT_EQ(k_ms_to_ticks_ceil32(1), (kTicks + 999) / 1000);
  EXPECT_EQ(k_us_to_cyc_ceil32(1), (kCyc + 999999) / 1000000);
  EXPECT_EQ(k_cyc_to_us_floor32(1), 1000000 / kCyc);
  EXPECT_EQ(sys_clock_hw_cycles_per_sec(), CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC);
}

// The conversions are constexpr in C++, as is the formula C's macros use for constants.
static_assert(k_ms_to_ticks_ceil64(12345) == Reference(12345, 1000, kTicks, kCeil));
static_assert(k_ms_to_ticks_ceil32(1) == Reference(1, 1000, kTicks, kCeil));
static_assert(k_ns_to_cyc_near64(UINT64_MAX) == Reference(UINT64_MAX, 1000000000, kCyc, kNear));
static_assert(k_cyc_to_ticks_floor64(UINT64_MAX - 7) ==
              Reference(UINT64_MAX - 7, kCyc, kTicks, kFloor));
static_assert(k_ticks_to_us_near32(777) ==
              static_cast<uint32_t>(Reference(777, kTicks, 1000000, kNear)));
static_assert(GALE_TU_CONST(UINT64_MAX - 3, GALE_TU_HZ_ticks, GALE_TU_HZ_ns, GALE_TU_near) ==
              Reference(UINT64_MAX - 3, kTicks, 1000000000, kNear));

TEST(TimeUnits, ArgumentEvaluatedOnce) {
  uint64_t u = 10;
  EXPECT_EQ(k_ms_to_cyc_floor64(u++), Reference(10, 1000, kCyc, kFloor));
  EXPECT_EQ(u, 11U);
}

TEST(TimeUnits, Forever) {
  EXPECT_EQ(SYS_FOREVER_MS, -1);
  EXPECT_EQ(SYS_FOREVER_US, -1);
}

}  // namespace
