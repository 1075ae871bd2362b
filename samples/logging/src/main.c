/*
 * Logging sample: two modules at different levels, a hexdump, strings, 64-bit and character
 * arguments, and a loop. The debug messages of `app` (level INF) are compiled out.
 */
#include <zephyr/kernel.h>
#include <zephyr/logging/log.h>
#include <zephyr/logging/log_ctrl.h>

#include "sensor.h"

LOG_MODULE_REGISTER(app, LOG_LEVEL_INF);

int main(void)
{
	static const unsigned char frame[20] = {0x47, 0x61, 0x6c, 0x65, 0x00, 0x01, 0x02, 0x03,
						0xde, 0xad, 0xbe, 0xef, 0x7f, 0x80, 0x20, 0x41,
						0x42, 0x43, 0x0a, 0xff};
	const char *board = CONFIG_BOARD;

	LOG_INF("logging sample on %s", board);
	LOG_DBG("this debug message is compiled out");
	LOG_HEXDUMP_INF(frame, sizeof(frame), "frame:");
	LOG_INF("char %c, long %ld, 64-bit %lld, hex %llx, width [%5d] [%-4u]", 'G', -123456L,
		(long long)-9000000000LL, 0x123456789abcULL, 42, 7U);
	for (int round = 0; round < 5; round++) {
		int value = sensor_read(round);

		LOG_INF("round %d: value %d", round, value);
		k_msleep(10);
	}
	LOG_ERR("an error with a string: %s", "disk full");
	log_panic();
	LOG_INF("logging sample done");
	return 0;
}
