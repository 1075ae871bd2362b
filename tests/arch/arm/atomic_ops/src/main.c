/*
 * Atomic operations: every read-modify-write returns the value before it and leaves the right
 * one (on Armv6-M these are the port's interrupt-locking library functions, whose "fetch" and
 * "op and fetch" forms differ only in what they return), and increments from a thread and from
 * a timer interrupt that keeps interrupting it all count.
 */
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/sys/atomic.h>
#include <zephyr/ztest.h>

ZTEST_SUITE(atomic_ops, NULL, NULL, NULL, NULL, NULL);

ZTEST(atomic_ops, test_values)
{
	atomic_t v = ATOMIC_INIT(10);

	zassert_equal(atomic_add(&v, 5), 10);
	zassert_equal(atomic_get(&v), 15);
	zassert_equal(atomic_sub(&v, 20), 15);
	zassert_equal(atomic_get(&v), -5);
	zassert_equal(atomic_inc(&v), -5);
	zassert_equal(atomic_dec(&v), -4);
	zassert_equal(atomic_set(&v, 0xF0), -5);
	zassert_equal(atomic_or(&v, 0x0F), 0xF0);
	zassert_equal(atomic_get(&v), 0xFF);
	zassert_equal(atomic_and(&v, 0x3C), 0xFF);
	zassert_equal(atomic_get(&v), 0x3C);
	zassert_equal(atomic_xor(&v, 0xFF), 0x3C);
	zassert_equal(atomic_get(&v), 0xC3);
	zassert_equal(atomic_nand(&v, 0x0F), 0xC3);
	zassert_equal(atomic_get(&v), ~0x03L);
	zassert_equal(atomic_clear(&v), ~0x03L);
	zassert_equal(atomic_get(&v), 0);
}

ZTEST(atomic_ops, test_cas)
{
	atomic_t v = ATOMIC_INIT(7);

	zassert_false(atomic_cas(&v, 8, 9), "a different value is not replaced");
	zassert_equal(atomic_get(&v), 7);
	zassert_true(atomic_cas(&v, 7, 9));
	zassert_equal(atomic_get(&v), 9);

	int a = 1;
	int b = 2;
	atomic_ptr_t p = ATOMIC_PTR_INIT(&a);

	zassert_false(atomic_ptr_cas(&p, &b, &b));
	zassert_true(atomic_ptr_cas(&p, &a, &b));
	zassert_equal_ptr(atomic_ptr_get(&p), &b);
	zassert_equal_ptr(atomic_ptr_set(&p, &a), &b);
	zassert_equal_ptr(atomic_ptr_clear(&p), &a);
	zassert_is_null(atomic_ptr_get(&p));
}

ZTEST(atomic_ops, test_bits)
{
	ATOMIC_DEFINE(bits, 40) = {0};

	zassert_false(atomic_test_and_set_bit(bits, 33));
	zassert_true(atomic_test_and_set_bit(bits, 33));
	zassert_true(atomic_test_bit(bits, 33));
	zassert_equal(atomic_get(&bits[1]), 1L << 1);
	atomic_set_bit(bits, 3);
	atomic_set_bit_to(bits, 4, true);
	zassert_equal(atomic_get(&bits[0]), 0x18);
	atomic_clear_bit(bits, 3);
	zassert_true(atomic_test_and_clear_bit(bits, 4));
	zassert_false(atomic_test_and_clear_bit(bits, 4));
	zassert_equal(atomic_get(&bits[0]), 0);
}

static atomic_t shared;
static atomic_t isr_adds;

static void timer_add(struct k_timer *timer)
{
	ARG_UNUSED(timer);
	atomic_add(&shared, 1000);
	atomic_inc(&isr_adds);
}

static K_TIMER_DEFINE(adder, timer_add, NULL);

static void offload_add(const void *param)
{
	atomic_add(&shared, (atomic_val_t)(uintptr_t)param);
}

/* A thread increments in a loop while a 1 ms timer adds from its interrupt: no update is lost. */
ZTEST(atomic_ops, test_thread_and_interrupt)
{
	const uint32_t duration_ms = 50;
	atomic_val_t thread_incs = 0;

	atomic_clear(&shared);
	atomic_clear(&isr_adds);
	k_timer_start(&adder, K_MSEC(1), K_MSEC(1));
	int64_t end = k_uptime_get() + duration_ms;

	while (k_uptime_get() < end) {
		atomic_inc(&shared);
		thread_incs++;
	}
	k_timer_stop(&adder);
	irq_offload(offload_add, (const void *)7);
	atomic_val_t adds = atomic_get(&isr_adds);

	zassert_true(adds > 10, "the timer interrupted the loop (%ld times)", (long)adds);
	zassert_equal(atomic_get(&shared), thread_incs + 1000 * adds + 7,
		      "thread %ld, interrupts %ld, total %ld", (long)thread_incs, (long)adds,
		      (long)atomic_get(&shared));
}
