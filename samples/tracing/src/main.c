/*
 * Tracing sample: a sensor thread samples every 5 ms and hands readings to a filter thread
 * through a message queue; a timer wakes main every 20 ms. The trace (gale trace) shows the
 * threads taking turns, the timer interrupt, the queue operations, a "sample" counter, "tick"
 * markers and "filter_step" spans (a C++ scope guard, src/filter.cc).
 */
#include <zephyr/kernel.h>

#include <gale/tracing/tracing.h>

void filter_step(int32_t sample);

K_MSGQ_DEFINE(readings, sizeof(int32_t), 8, 4);
K_SEM_DEFINE(tick, 0, 1);

static void sensor(void *p1, void *p2, void *p3)
{
	int32_t value = 0;

	for (;;) {
		k_msleep(5);
		value = (value * 7 + 13) % 1000;
		gale_trace_counter_named("sample", value);
		(void)k_msgq_put(&readings, &value, K_NO_WAIT);
	}
}

static void filter(void *p1, void *p2, void *p3)
{
	for (;;) {
		int32_t value;

		k_msgq_get(&readings, &value, K_FOREVER);
		filter_step(value);
	}
}

K_THREAD_DEFINE(sensor_thread, 1024, sensor, NULL, NULL, NULL, 5, 0, 0);
K_THREAD_DEFINE(filter_thread, 1024, filter, NULL, NULL, NULL, 6, 0, 0);

static void on_timer(struct k_timer *timer)
{
	k_sem_give(&tick);
}

K_TIMER_DEFINE(ticker, on_timer, NULL);

int main(void)
{
	unsigned int n = 0;

	k_timer_start(&ticker, K_MSEC(20), K_MSEC(20));
	printk("tracing sample: run `gale trace --device DEV --duration 2 -o trace.json`\n");
	for (;;) {
		k_sem_take(&tick, K_FOREVER);
		gale_trace_mark_named("tick");
		gale_trace_mark(++n);
	}
	return 0;
}
