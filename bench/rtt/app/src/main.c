/*
 * 16384 lines of 64 bytes ("rtt 000000 ...", the number counting up) on up-channel 0 as fast as
 * the channel's mode lets the CPU write them, then "stream done" once there is room for it. In
 * block mode nothing may be lost; in skip mode, a line that does not fit is dropped whole, and
 * the host counts the gaps in the numbering.
 */
#include <SEGGER_RTT.h>
#include <zephyr/kernel.h>

#define LINES 16384

int main(void)
{
	char line[] = "rtt 000000 of the bench stream, 64 bytes a line, numbered      \n";
	static const char done[] = "stream done\n";

	for (int i = 0; i < LINES; i++) {
		for (int d = 9, v = i; d >= 4; d--, v /= 10) {
			line[d] = (char)('0' + v % 10);
		}
		SEGGER_RTT_Write(0, line, sizeof(line) - 1);
	}
	/* In skip mode the marker itself could be dropped: retry until it is stored. */
	while (SEGGER_RTT_Write(0, done, sizeof(done) - 1) == 0U) {
		k_busy_wait(100);
	}
	for (;;) {
		k_msleep(1000);
	}
	return 0;
}
