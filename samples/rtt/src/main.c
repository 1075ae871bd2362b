/* Counts on RTT channel 0 and echoes what the host sends on down channel 0. */
#include <zephyr/sys/printk.h>

#include <SEGGER_RTT.h>
#include <zephyr/kernel.h>

int main(void)
{
	char line[48];
	char in[16];

	SEGGER_RTT_WriteString(0, "rtt sample: counting\n");
	for (unsigned int count = 0;; count++) {
		int n = snprintk(line, sizeof(line), "count %u\n", count);

		SEGGER_RTT_Write(0, line, (unsigned int)n);
		unsigned int got = SEGGER_RTT_Read(0, in, sizeof(in));

		if (got > 0U) {
			SEGGER_RTT_WriteString(0, "echo: ");
			SEGGER_RTT_Write(0, in, got);
			SEGGER_RTT_WriteString(0, "\n");
		}
		k_msleep(100);
	}
	return 0;
}
