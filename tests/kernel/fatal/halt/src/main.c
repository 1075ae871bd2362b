/*
 * A thread raises a fatal error while another one prints: with the default
 * k_sys_fatal_error_handler() (and for a kernel panic, with any handler) the system halts. The
 * emulator must end with a nonzero status, and nothing may run after the report.
 *
 * FATAL_KIND_panic_handled: a handler that returns, as a test framework's does; a kernel panic
 * halts the system all the same.
 */
#include <zephyr/kernel.h>

#if defined(FATAL_KIND_panic_handled)
void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
{
	ARG_UNUSED(esf);
	printk("handler returns for reason %u\n", reason);
}
#endif

static void ticker(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	for (int n = 0;; n++) {
		printk("tick %d\n", n);
		k_msleep(2);
	}
}

static void raiser(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_msleep(10);
#if defined(FATAL_KIND_oops)
	printk("raising: oops\n");
	k_oops();
#elif defined(FATAL_KIND_panic_handled)
	printk("raising: panic_handled\n");
	k_panic();
#else
	printk("raising: panic\n");
	k_panic();
#endif
	printk("after the fatal error\n");
}

K_THREAD_DEFINE(ticker_thread, 1024, ticker, NULL, NULL, NULL, K_PRIO_PREEMPT(2), 0, 0);
K_THREAD_DEFINE(raiser_thread, 1024, raiser, NULL, NULL, NULL, K_PRIO_PREEMPT(1), 0, 0);

int main(void)
{
	k_msleep(1000);
	printk("main: still running after 1 s\n");
	return 0;
}
