/* A second module, at debug level, in its own file. */
#include <zephyr/logging/log.h>

#include "sensor.h"

LOG_MODULE_REGISTER(sensor, LOG_LEVEL_DBG);

int sensor_read(int round)
{
	int value = 20 + (round * 7) % 11;

	LOG_DBG("raw sample %d (0x%08x)", value, (unsigned int)value * 1000U);
	if (value > 28) {
		LOG_WRN("value %d above threshold %d", value, 28);
	}
	return value;
}
