/*
 * FPU context switching: threads that keep values in FP registers across switches (yields,
 * preemption by time slicing, interrupts that use the FPU themselves) must each see their own
 * registers. On boards without an FPU the same code runs in software floating point.
 */
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>
#include <zephyr/irq_offload.h>

#define STACK_SIZE 1024
#define STEPS 200

K_THREAD_STACK_ARRAY_DEFINE(stacks, 2, STACK_SIZE);
static struct k_thread threads[2];
static volatile float results[2];

/* A recurrence whose result depends on every intermediate value: any register corrupted by a
 * switch changes it. */
static float series(float seed, int steps, bool yield)
{
	float x = seed;

	for (int i = 0; i < steps; i++) {
		x = x * 1.0001f + 0.5f / (x + 1.0f);
		if (yield && (i % 7) == 0) {
			k_yield();
		}
		if (yield && (i % 11) == 0) {
			k_busy_wait(50);
		}
	}
	return x;
}

static void worker(void *seed, void *index, void *p3)
{
	results[(int)(intptr_t)index] = series(*(float *)seed, STEPS, true);
}

static void isr_math(const void *arg)
{
	*(volatile float *)arg = series(3.25f, 20, false);
}

static void clobber_in_isr(const void *arg)
{
	irq_offload(isr_math, arg);
}

ZTEST(fpu_sharing, test_threads_keep_their_fp_registers)
{
	static float seeds[2] = {1.5f, 7.25f};
	float expected[2] = {series(seeds[0], STEPS, false), series(seeds[1], STEPS, false)};

	for (int i = 0; i < 2; i++) {
		k_thread_create(&threads[i], stacks[i], STACK_SIZE, worker, &seeds[i],
				(void *)(intptr_t)i, NULL, K_PRIO_PREEMPT(5), K_FP_REGS, K_NO_WAIT);
	}
	for (int i = 0; i < 2; i++) {
		zassert_ok(k_thread_join(&threads[i], K_SECONDS(10)));
		zassert_true(results[i] == expected[i], "thread %d: got %d/1000, want %d/1000", i,
			     (int)(results[i] * 1000), (int)(expected[i] * 1000));
	}
}

ZTEST(fpu_sharing, test_isr_fp_use_preserves_thread_registers)
{
	volatile float isr_result = 0;
	float before = series(2.0f, 50, false);
	float x = 2.0f;

	for (int i = 0; i < 50; i++) {
		x = x * 1.0001f + 0.5f / (x + 1.0f);
		if (i == 25) {
			clobber_in_isr((const void *)&isr_result);
		}
	}
	zassert_true(x == before, "thread value changed by an interrupt's FP use");
	zassert_true(isr_result == series(3.25f, 20, false), "ISR computed a wrong value");
}

ZTEST_SUITE(fpu_sharing, NULL, NULL, NULL, NULL, NULL);
