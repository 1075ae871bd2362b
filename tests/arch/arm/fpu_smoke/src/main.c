/*
 * FPU smoke test: code built for the hard-float ABI runs, so the FPU was enabled at reset.
 *
 * It computes sqrt(2) with Newton's method in single precision (VDIV, VADD, VMUL), passing
 * floats through a function call in s-registers, and prints the results with integer
 * conversions only. It also checks what reset set up: CPACR gives full access to CP10/CP11,
 * FPCCR has automatic and lazy state preservation, and CONTROL.FPCA is set once the thread has
 * used the FPU. The last line is "fpu_smoke result: PASS" or "fpu_smoke result: FAIL".
 */
#include <stdint.h>

#include <zephyr/kernel.h>

#if !defined(CONFIG_FPU)
#error "fpu_smoke needs CONFIG_FPU: build it for a board whose CPU has an FPU (mps2_an386)"
#elif !defined(__ARM_PCS_VFP) || !defined(__ARM_FP)
#error "CONFIG_FPU is set, but the compiler is not generating hard-float code"
#endif

#define CPACR (*(volatile uint32_t *)0xE000ED88)
#define FPCCR (*(volatile uint32_t *)0xE000EF34)
#define CPACR_CP10_CP11_FULL (0xFU << 20)
#define FPCCR_ASPEN_LSPEN (3U << 30)
#define CONTROL_FPCA (1U << 2)

/* Volatile, so the compiler cannot fold the arithmetic at build time: the FPU must do it. */
static volatile float input = 2.0f;
static volatile int32_t iterations = 6;

/* Not inlined, so its arguments and result travel in s0/s1 (the hard-float calling convention). */
__attribute__((noinline)) static float newton_step(float x, float a)
{
	return 0.5f * (x + a / x);
}

static uint32_t read_control(void)
{
	uint32_t control;

	__asm__ volatile("mrs %0, control" : "=r"(control));
	return control;
}

static int check(int ok, const char *what)
{
	printk("fpu_smoke: %s: %s\n", what, ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}

int main(void)
{
	int failures = 0;
	float a = input;
	float x = 1.0f;

	for (int32_t i = 0; i < iterations; i++) {
		x = newton_step(x, a);
	}
	float error = x * x - a;
	int32_t micro = (int32_t)(x * 1000000.0f + 0.5f);

	printk("fpu_smoke: sqrt(%d) = %d.%06d\n", (int)a, (int)(micro / 1000000),
	       (int)(micro % 1000000));
	failures += check(micro >= 1414213 && micro <= 1414214, "sqrt(2) to 6 decimals");
	failures += check(error < 1e-6f && error > -1e-6f, "x * x - 2 within 1e-6");
	failures += check((CPACR & CPACR_CP10_CP11_FULL) == CPACR_CP10_CP11_FULL,
			  "CPACR grants CP10/CP11 full access");
	failures += check((FPCCR & FPCCR_ASPEN_LSPEN) == FPCCR_ASPEN_LSPEN,
			  "FPCCR has ASPEN and LSPEN");
	failures += check((read_control() & CONTROL_FPCA) != 0U, "CONTROL.FPCA set after FP use");

	printk("fpu_smoke result: %s\n", failures == 0 ? "PASS" : "FAIL");
	return failures == 0 ? 0 : 1;
}
