/*
 * Fatal errors in a thread end that thread only, and the system goes on (ztest's fatal hook,
 * CONFIG_ZTEST_FATAL_HOOK, lets k_sys_fatal_error_handler() return). Each error is checked for
 * its reason: k_oops() is K_ERR_KERNEL_OOPS, a stack overflow K_ERR_STACK_CHK_FAIL on every port,
 * an access to an invalid address or an undefined instruction K_ERR_CPU_EXCEPTION.
 */
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>
#include <zephyr/ztest_error_hook.h>

#include "ktest.h"

/* The Cortex-M memory map's vendor system region: never executable (Thumb bit set). */
#define NOT_EXECUTABLE 0xE0100001U

static volatile int fault_reason = -1;
static volatile int faults;
static volatile k_tid_t fault_thread;

void ztest_post_fatal_error_hook(unsigned int reason, const struct arch_esf *esf)
{
	ARG_UNUSED(esf);
	fault_reason = (int)reason;
	fault_thread = k_current_get();
	faults++;
}

static void fatal_before(void *fixture)
{
	ARG_UNUSED(fixture);
	fault_reason = -1;
	fault_thread = NULL;
	faults = 0;
}

static void fatal_after(void *fixture)
{
	ARG_UNUSED(fixture);
	ktest_reap();
}

ZTEST_SUITE(fatal, NULL, NULL, fatal_before, fatal_after, NULL);

static volatile bool went_past;
static volatile uint32_t bystander_count;

/* Another thread, to show the system goes on. */
static void bystander(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	for (;;) {
		bystander_count++;
		k_msleep(1);
	}
}

/* Run @p entry in a helper thread that is expected to die of a fatal error with @p reason. */
static void expect_fatal(k_thread_entry_t entry, unsigned int reason)
{
	went_past = false;
	bystander_count = 0;
	ktest_spawn(1, bystander, NULL, NULL, K_PRIO_PREEMPT(2), K_NO_WAIT);
	k_msleep(5);

	ztest_set_fault_valid(true);
	k_tid_t t = ktest_spawn(0, entry, NULL, NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);

	zassert_ok(k_thread_join(t, K_MSEC(1000)), "the faulting thread was not ended");
	zassert_equal(faults, 1, "%d fatal errors", faults);
	zassert_equal(fault_reason, reason, "reason %d, expected %u", fault_reason, reason);
	zassert_equal_ptr(fault_thread, t, "the error was not the helper's");
	zassert_false(went_past, "the thread went on after its fatal error");

	/* The rest of the system goes on. */
	uint32_t count = bystander_count;

	k_msleep(10);
	zassert_true(bystander_count > count, "the other thread stopped");
	zassert_ok(k_thread_join(t, K_NO_WAIT));
}

static void oops_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_oops();
	went_past = true;
}

/* k_oops() ends the calling thread only. */
ZTEST(fatal, test_oops_in_thread)
{
	expect_fatal(oops_entry, K_ERR_KERNEL_OOPS);
}

/* Never equal to a depth reached: the compiler cannot tell the recursion has no end. */
static volatile int stop_depth = -1;

/* Small frames, each written as it is pushed: the first write past the stack hits the guard
 * below it (the Cortex-M MPU guard is 32 bytes; a big frame could jump over it).
 */
static __noinline int recurse(int depth)
{
	volatile int local = depth;

	if (depth == stop_depth) {
		return 0;
	}
	return recurse(depth + 1) + local;
}

static void overflow_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	(void)recurse(0);
	went_past = true;
}

/* A thread that overflows its stack is reported as such, on every port that can see it: not on
 * Armv6-M (Cortex-M0), which has no MPU for a guard region. There the overflowing push runs past
 * the bottom of RAM, the HardFault cannot stack its frame on that stack either, and the core
 * locks up: nothing is left to report.
 */
ZTEST(fatal, test_stack_overflow)
{
	if (IS_ENABLED(CONFIG_ARMV6_M)) {
		TC_PRINT("skipped: Armv6-M has no MPU; an overflow locks the core up\n");
		ztest_test_skip();
		return;
	}
	expect_fatal(overflow_entry, K_ERR_STACK_CHK_FAIL);
}

static void bad_access_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
#ifdef CONFIG_ARCH_POSIX
	/* Page 0 is never mapped in a Linux process. */
	*(volatile uint32_t *)NULL = 0xdead;
#else
	/* Address 0 is memory on these boards (flash or code RAM), and QEMU's lm3s6965 reads
	 * unassigned addresses as 0: jump to an address the architecture never executes.
	 */
	((void (*)(void))NOT_EXECUTABLE)();
#endif
	went_past = true;
}

/* An access to an invalid address: a CPU exception (SIGSEGV on native_sim, a MemManage fault on
 * Cortex-M).
 */
ZTEST(fatal, test_invalid_access)
{
	expect_fatal(bad_access_entry, K_ERR_CPU_EXCEPTION);
}

static void undefined_instruction_entry(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
#ifdef CONFIG_ARM
	__asm__ volatile("udf #0");
#else
	__builtin_trap();
#endif
	went_past = true;
}

/* An undefined instruction: a CPU exception (SIGILL on native_sim). */
ZTEST(fatal, test_undefined_instruction)
{
	expect_fatal(undefined_instruction_entry, K_ERR_CPU_EXCEPTION);
}

/* After all that, threads are created and run as before. */
ZTEST(fatal, test_system_goes_on)
{
	ztest_set_fault_valid(true);
	k_tid_t t = ktest_spawn(0, oops_entry, NULL, NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);

	zassert_ok(k_thread_join(t, K_MSEC(100)));
	t = ktest_spawn(0, bystander, NULL, NULL, K_PRIO_PREEMPT(1), K_NO_WAIT);
	k_msleep(5);
	zassert_true(bystander_count > 0);
	zassert_equal(faults, 1);
}
