/*
 * Markers at a steady rate (one per PERIOD_US of busy waiting; 0: back to back) for
 * bench/trace/run.sh.
 */
#include <zephyr/kernel.h>

#include <gale/tracing/tracing.h>

int main(void)
{
	for (uint32_t i = 0;; i++) {
		gale_trace_mark(i);
		if (PERIOD_US > 0) {
			k_busy_wait(PERIOD_US);
		}
	}
	return 0;
}
