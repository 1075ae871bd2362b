/*
 * RTT_LINES numbered lines on up channel 0 in block mode ("line 000000 ..." padded to 64 bytes),
 * then "stream done", then every byte received on down channel 0 echoed back as "echo:<bytes>\n".
 * A host that reads must get every line, in order.
 */
#include <SEGGER_RTT.h>
#include <zephyr/kernel.h>

#define RTT_LINES 16384 /* 1 MiB */

int main(void)
{
	/* 64 bytes; only the six digits change, so the target spends its time in RTT, not in
	 * formatting: the host side sets the pace. */
	char line[] = "line 000000 of the rtt stream                                  \n";
	char in[32];

	for (int i = 0; i < RTT_LINES; i++) {
		for (int d = 10, v = i; d >= 5; d--, v /= 10) {
			line[d] = (char)('0' + v % 10);
		}
		SEGGER_RTT_Write(0, line, sizeof(line) - 1);
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
