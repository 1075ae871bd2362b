/*
 * Cost of the trace recorder in instructions (run under QEMU -icount shift=0: one instruction is
 * one virtual nanosecond, read through the system clock). The benchmark plays the host itself:
 * it writes the start command into the trace's down channel and empties the up channel between
 * batches (outside the timed windows), so it needs no debugger.
 *
 * Prints "BENCH <name> <instructions> <label>" lines and "BENCH end".
 */
#include <zephyr/kernel.h>

#include <gale/arch.h>
#include <gale/tracing/tracing.h>
#ifdef CONFIG_TRACING
#include <gale/rtt.h>
#endif

#define BATCH 2048
#define ROUNDS 8
#define SWITCHES 2048

static uint64_t per_op_milli(uint64_t cycles, uint32_t ops)
{
	/* instructions x 1000 per operation: cycles -> ns (= instructions under icount 0). */
	return cycles * 1000000000000ULL / CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC / ops;
}

static void report(const char *name, uint64_t milli, const char *label)
{
	printk("BENCH %s %u.%u  %s\n", name, (unsigned int)(milli / 1000),
	       (unsigned int)(milli % 1000 / 100), label);
}

#ifdef CONFIG_TRACING
static void host_send(char c)
{
	struct gale_rtt_buffer *d = &_SEGGER_RTT.aDown[CONFIG_TRACING_RTT_CHANNEL];

	d->pBuffer[d->WrOff] = c;
	d->WrOff = (d->WrOff + 1U) % d->SizeOfBuffer;
	k_msleep(2); /* the idle hook reads the command */
}

static void host_drain(void)
{
	struct gale_rtt_buffer *u = &_SEGGER_RTT.aUp[CONFIG_TRACING_RTT_CHANNEL];

	u->RdOff = u->WrOff;
}
#else
static void host_drain(void) {}
#endif

static uint64_t loop_cycles(void)
{
	uint64_t total = 0;

	for (int r = 0; r < ROUNDS; r++) {
		uint32_t t0 = k_cycle_get_32();

		for (volatile uint32_t i = 0; i < BATCH; i++) {
		}
		total += k_cycle_get_32() - t0;
	}
	return total;
}

static __attribute__((unused)) uint64_t mark_cycles(bool drain)
{
	uint64_t total = 0;

	for (int r = 0; r < ROUNDS; r++) {
		if (drain) {
			host_drain();
		}
		uint32_t t0 = k_cycle_get_32();

		for (volatile uint32_t i = 0; i < BATCH; i++) {
			gale_trace_mark(i);
		}
		total += k_cycle_get_32() - t0;
	}
	return total;
}

/* Two threads of equal priority yielding to each other: per switch. */
static volatile bool yield_run;
static void yielder(void *a, void *b, void *c)
{
	while (yield_run) {
		k_yield();
	}
}
K_THREAD_STACK_DEFINE(yield_stack, 1024);
static struct k_thread yield_thread;

static uint64_t yield_cycles(bool drain)
{
	uint64_t total = 0;

	k_thread_priority_set(k_current_get(), 5);
	yield_run = true;
	k_thread_create(&yield_thread, yield_stack, K_THREAD_STACK_SIZEOF(yield_stack), yielder,
			NULL, NULL, NULL, 5, 0, K_NO_WAIT);
	for (int r = 0; r < ROUNDS; r++) {
		if (drain) {
			host_drain();
		}
		uint32_t t0 = k_cycle_get_32();

		for (int i = 0; i < SWITCHES / 2; i++) {
			k_yield();
		}
		total += k_cycle_get_32() - t0;
	}
	yield_run = false;
	k_yield();
	k_thread_join(&yield_thread, K_FOREVER);
	return total;
}

K_SEM_DEFINE(bench_sem, 0, 1);
static uint64_t sem_cycles(bool drain)
{
	uint64_t total = 0;

	for (int r = 0; r < ROUNDS; r++) {
		if (drain) {
			host_drain();
		}
		uint32_t t0 = k_cycle_get_32();

		for (int i = 0; i < BATCH; i++) {
			k_sem_give(&bench_sem);
			k_sem_take(&bench_sem, K_NO_WAIT);
		}
		total += k_cycle_get_32() - t0;
	}
	return total;
}

int main(void)
{
	const uint32_t marks = BATCH * ROUNDS;
	const uint64_t loop = loop_cycles();

	(void)marks;
	(void)loop;

	host_drain();
#ifdef CONFIG_TRACING
	report("mark.idle", per_op_milli(mark_cycles(false) - loop, marks),
	       "gale_trace_mark(), no capture running");
	{
		uint64_t total = 0;

		for (int r = 0; r < ROUNDS; r++) {
			uint32_t t0 = k_cycle_get_32();

			for (volatile uint32_t i = 0; i < BATCH; i++) {
				(void)k_cycle_get_32();
			}
			total += k_cycle_get_32() - t0;
		}
		report("clock", per_op_milli(total - loop, marks), "k_cycle_get_32() (the recorder's clock)");
		total = 0;
		for (int r = 0; r < ROUNDS; r++) {
			host_drain();
			uint32_t t0 = k_cycle_get_32();

			for (volatile uint32_t i = 0; i < BATCH; i++) {
				(void)SEGGER_RTT_WriteNoLock(CONFIG_TRACING_RTT_CHANNEL, "abcd", 4);
			}
			total += k_cycle_get_32() - t0;
		}
		report("rtt.write4", per_op_milli(total - loop, marks), "SEGGER_RTT_WriteNoLock() of 4 bytes");
	}
	report("yield.idle", per_op_milli(yield_cycles(false), SWITCHES * ROUNDS),
	       "k_yield() switch, no capture running");
	report("sem.idle", per_op_milli(sem_cycles(false), BATCH * ROUNDS),
	       "k_sem_give() + k_sem_take(), no capture running");
	host_send('S');
	report("mark.on", per_op_milli(mark_cycles(true) - loop, marks),
	       "gale_trace_mark() recorded");
	report("yield.on", per_op_milli(yield_cycles(true), SWITCHES * ROUNDS),
	       "k_yield() switch, recorded (switch record)");
	report("sem.on", per_op_milli(sem_cycles(true), BATCH * ROUNDS),
	       "k_sem_give() + k_sem_take(), recorded (two object records)");
	/* Nobody drains: the ring fills and every record takes the drop path. */
	(void)mark_cycles(false);
	report("mark.drop", per_op_milli(mark_cycles(false) - loop, marks),
	       "gale_trace_mark() dropped (channel full)");
	host_send('P');
#else
	report("yield.none", per_op_milli(yield_cycles(false), SWITCHES * ROUNDS),
	       "k_yield() switch, CONFIG_TRACING=n");
	report("sem.none", per_op_milli(sem_cycles(false), BATCH * ROUNDS),
	       "k_sem_give() + k_sem_take(), CONFIG_TRACING=n");
#endif
	printk("BENCH end\n");
	arch_system_exit(0); /* QEMU ends through semihosting */
	return 0;
}
