/*
 * The kernel's clocks, checked against Zephyr 3.7's documentation: the uptime (ticks,
 * milliseconds, 32-bit, deltas) never goes back, the hardware cycle counter advances at
 * sys_clock_hw_cycles_per_sec() during k_busy_wait() and agrees with the uptime, and the
 * k_<from>_to_<to>_<round><bits>() conversions round as their names say.
 */
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

ZTEST_SUITE(timing, NULL, NULL, NULL, NULL, NULL);

/* Odd busy-waits, so that readings fall everywhere within a tick. */
ZTEST(timing, test_uptime_monotonic)
{
	int64_t last_ticks = k_uptime_ticks();
	int64_t last_ms = k_uptime_get();
	uint64_t last_cyc = k_cycle_get_64();
	uint32_t last_cyc32 = k_cycle_get_32();
	int64_t start = last_ticks;

	for (int i = 0; i < 2000; i++) {
		k_busy_wait(37);
		int64_t ticks = k_uptime_ticks();
		int64_t ms = k_uptime_get();
		uint64_t cyc = k_cycle_get_64();
		uint32_t cyc32 = k_cycle_get_32();

		zassert_true(ticks >= last_ticks, "ticks went back: %lld after %lld",
			     (long long)ticks, (long long)last_ticks);
		zassert_true(ms >= last_ms, "ms went back: %lld after %lld", (long long)ms,
			     (long long)last_ms);
		zassert_true(cyc >= last_cyc, "cycles went back: %llu after %llu",
			     (unsigned long long)cyc, (unsigned long long)last_cyc);
		zassert_true(cyc32 - last_cyc32 < 0x80000000U, "32-bit cycles went back");
		last_ticks = ticks;
		last_ms = ms;
		last_cyc = cyc;
		last_cyc32 = cyc32;
	}
	zassert_true(last_ticks - start >= k_us_to_ticks_floor64(2000 * 37) - 1,
		     "only %d ticks in 74 ms of busy-waiting", (int)(last_ticks - start));
}

/* Readings with interrupts locked across a tick boundary: the clock interrupt waits, the
 * counters do not go back.
 */
ZTEST(timing, test_monotonic_with_interrupts_locked)
{
	for (int round = 0; round < 20; round++) {
		unsigned int key = irq_lock();
		uint64_t last = k_cycle_get_64();

		for (int i = 0; i < 40; i++) {
			k_busy_wait(20); /* 800 us in all: less than a tick at 1 kHz */
			uint64_t now = k_cycle_get_64();

			if (now < last) {
				irq_unlock(key);
				zassert_unreachable("cycles went back with interrupts locked: %llu "
						    "after %llu",
						    (unsigned long long)now,
						    (unsigned long long)last);
			}
			last = now;
		}
		irq_unlock(key);
		k_busy_wait(333);
	}
}

ZTEST(timing, test_uptime_forms)
{
	unsigned int key = irq_lock();
	int64_t ticks = k_uptime_ticks();
	int64_t ms = k_uptime_get();
	uint32_t ms32 = k_uptime_get_32();
	uint32_t secs = k_uptime_seconds();

	irq_unlock(key);
	zassert_equal(ms, (int64_t)k_ticks_to_ms_floor64(ticks));
	zassert_equal(ms32, (uint32_t)ms);
	zassert_equal(secs, (uint32_t)(ms / 1000));

	/* k_uptime_delta(): the time since the reference, which becomes now. */
	int64_t ref = k_uptime_get();
	int64_t before = ref;

	k_msleep(20);
	int64_t delta = k_uptime_delta(&ref);

	zassert_true(delta >= 20 && delta <= 22, "delta %lld after a 20 ms sleep", (long long)delta);
	zassert_equal(ref, before + delta, "the reference was not moved to now");
	zassert_true(k_uptime_delta(&ref) <= 1);
}

/* k_busy_wait(): the cycle counter advances by the time waited at its documented rate, and the
 * uptime with it.
 */
ZTEST(timing, test_cycles_during_busy_wait)
{
	static const uint32_t waits_us[] = {100, 1000, 2500, 10000, 50000};
	uint32_t hz = sys_clock_hw_cycles_per_sec();

	zassert_equal(hz, CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC);
	for (size_t i = 0; i < ARRAY_SIZE(waits_us); i++) {
		uint32_t us = waits_us[i];
		unsigned int key = irq_lock();
		uint32_t c32 = k_cycle_get_32();
		uint64_t c64 = k_cycle_get_64();
		int64_t t0 = k_uptime_ticks();

		irq_unlock(key);
		k_busy_wait(us);
		key = irq_lock();
		uint64_t cycles = k_cycle_get_64() - c64;
		uint32_t cycles32 = k_cycle_get_32() - c32;
		int64_t ticks = k_uptime_ticks() - t0;

		irq_unlock(key);
		uint64_t expected = (uint64_t)us * hz / 1000000U;

		/* At least the time asked for; the calls themselves add a little. */
		zassert_true(cycles >= expected && cycles <= expected + expected / 10 + hz / 10000,
			     "%u us: %llu cycles, expected %llu", us, (unsigned long long)cycles,
			     (unsigned long long)expected);
		zassert_true(cycles32 >= (uint32_t)cycles && cycles32 - (uint32_t)cycles < hz / 10000,
			     "the 32-bit counter disagrees: %u and %llu", cycles32,
			     (unsigned long long)cycles);
		int64_t expected_ticks = (int64_t)k_cyc_to_ticks_floor64(cycles);

		zassert_true(ticks >= expected_ticks - 1 && ticks <= expected_ticks + 1,
			     "%u us: %d ticks, the cycles make %d", us, (int)ticks,
			     (int)expected_ticks);
	}

	/* The low 32 bits of the 64-bit counter are the 32-bit counter. */
	unsigned int key = irq_lock();
	uint32_t c32 = k_cycle_get_32();
	uint64_t c64 = k_cycle_get_64();

	irq_unlock(key);
	zassert_true((uint32_t)c64 - c32 < hz / 10000, "k_cycle_get_64() %llu, k_cycle_get_32() %u",
		     (unsigned long long)c64, c32);
}

/* The reference: exact 64-bit arithmetic (inputs are kept small enough not to overflow). */
static uint64_t ref_floor(uint64_t t, uint64_t from, uint64_t to)
{
	return t * to / from;
}

static uint64_t ref_ceil(uint64_t t, uint64_t from, uint64_t to)
{
	return (t * to + from - 1) / from;
}

static uint64_t ref_near(uint64_t t, uint64_t from, uint64_t to)
{
	return (t * to + from / 2) / from;
}

#define HZ_sec 1ULL
#define HZ_ms 1000ULL
#define HZ_us 1000000ULL
#define HZ_ns 1000000000ULL
#define HZ_cyc ((uint64_t)sys_clock_hw_cycles_per_sec())
#define HZ_ticks ((uint64_t)CONFIG_SYS_CLOCK_TICKS_PER_SEC)

/* Check the six conversions from unit a to unit b of t against the reference. */
#define CHECK_CONVERSIONS(a, b, t)                                                                 \
	do {                                                                                       \
		uint64_t t_ = (t);                                                                 \
		uint64_t f_ = ref_floor(t_, HZ_##a, HZ_##b);                                       \
		uint64_t c_ = ref_ceil(t_, HZ_##a, HZ_##b);                                        \
		uint64_t n_ = ref_near(t_, HZ_##a, HZ_##b);                                        \
		zassert_equal(k_##a##_to_##b##_floor64(t_), f_, #a "->" #b " floor64(%llu)",       \
			      (unsigned long long)t_);                                             \
		zassert_equal(k_##a##_to_##b##_ceil64(t_), c_, #a "->" #b " ceil64(%llu)",         \
			      (unsigned long long)t_);                                             \
		zassert_equal(k_##a##_to_##b##_near64(t_), n_, #a "->" #b " near64(%llu)",         \
			      (unsigned long long)t_);                                             \
		zassert_equal(k_##a##_to_##b##_floor32(t_), (uint32_t)f_,                          \
			      #a "->" #b " floor32(%llu)", (unsigned long long)t_);                \
		zassert_equal(k_##a##_to_##b##_ceil32(t_), (uint32_t)c_,                           \
			      #a "->" #b " ceil32(%llu)", (unsigned long long)t_);                 \
		zassert_equal(k_##a##_to_##b##_near32(t_), (uint32_t)n_,                           \
			      #a "->" #b " near32(%llu)", (unsigned long long)t_);                 \
	} while (0)

/* Inputs at and around unit boundaries, and large ones (results past 32 bits truncate). */
static const uint64_t inputs[] = {
	0,	 1,	   2,	     3,		7,	   9,	       10,	  11,
	99,	 100,	   101,	     499,	500,	   501,	       999,	  1000,
	1001,	 1499,	   1500,     1501,	4095,	   65536,      123457,	  999999,
	1000000, 1000001, 4000003,  98765432, 1000000007};

ZTEST(timing, test_conversions_round_as_named)
{
	for (size_t i = 0; i < ARRAY_SIZE(inputs); i++) {
		uint64_t t = inputs[i];

		CHECK_CONVERSIONS(ms, ticks, t);
		CHECK_CONVERSIONS(us, ticks, t);
		CHECK_CONVERSIONS(ns, ticks, t);
		CHECK_CONVERSIONS(ms, cyc, t);
		CHECK_CONVERSIONS(us, cyc, t);
		CHECK_CONVERSIONS(ns, cyc, t);
		CHECK_CONVERSIONS(ticks, ms, t);
		CHECK_CONVERSIONS(ticks, us, t);
		CHECK_CONVERSIONS(ticks, ns, t);
		CHECK_CONVERSIONS(ticks, cyc, t);
		CHECK_CONVERSIONS(cyc, ms, t);
		CHECK_CONVERSIONS(cyc, us, t);
		CHECK_CONVERSIONS(cyc, ns, t);
		CHECK_CONVERSIONS(cyc, ticks, t);
		if (t < 1000000) {
			CHECK_CONVERSIONS(sec, ticks, t);
			CHECK_CONVERSIONS(sec, cyc, t);
			CHECK_CONVERSIONS(ticks, sec, t);
			CHECK_CONVERSIONS(cyc, sec, t);
		}
	}
}

/* Timeouts round durations up to whole ticks: a wait is never shorter than asked. */
ZTEST(timing, test_timeout_rounding)
{
	zassert_equal(K_MSEC(1).ticks, (k_ticks_t)k_ms_to_ticks_ceil64(1));
	zassert_equal(K_USEC(1).ticks, 1, "1 us waits one tick");
	zassert_equal(K_NSEC(1).ticks, 1);
	zassert_equal(K_USEC(0).ticks, 0);
	zassert_equal(K_MSEC(-5).ticks, 0, "a negative duration is no wait");
	zassert_equal(K_SECONDS(2).ticks, 2 * CONFIG_SYS_CLOCK_TICKS_PER_SEC);
	zassert_equal(K_TICKS(7).ticks, 7);
	zassert_true(K_TIMEOUT_EQ(K_MSEC(0), K_NO_WAIT));
	zassert_true(K_TIMEOUT_EQ(SYS_TIMEOUT_MS(SYS_FOREVER_MS), K_FOREVER));
	zassert_true(K_TIMEOUT_EQ(SYS_TIMEOUT_MS(10), K_MSEC(10)));
}
