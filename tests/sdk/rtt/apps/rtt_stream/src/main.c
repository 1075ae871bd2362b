/*
 * RTT_LINES numbered lines on up channel 0 in block mode ("line 000000 ..." padded to 64 bytes),
 * then "stream done", then every byte received on down channel 0 echoed back as "echo:<bytes>\n".
 * A host that reads must get every line, in order.
 */
#include <SEGGER_RTT.h>
#include <zephyr/kernel.h>
#include <zephyr/sys/printk.h>

#define RTT_LINES 16384 /* 1 MiB */

int main(void)
{
	char line[65];
	char in[32];

	for (int i = 0; i < RTT_LINES; i++) {
		int n = snprintk(line, sizeof(line), "line %06d %-51s\n", i, "of the rtt stream");

		SEGGER_RTT_Write(0, line, (unsigned int)n);
	}
	SEGGER_RTT_WriteString(0, "stream done\n");
	for (;;) {
		unsigned int got = SEGGER_RTT_Read(0, in, sizeof(in));

		if (got > 0U) {
			SEGGER_RTT_WriteString(0, "echo:");
			SEGGER_RTT_Write(0, in, got);
			SEGGER_RTT_WriteString(0, "\n");
		}
		k_msleep(1);
	}
	return 0;
}
