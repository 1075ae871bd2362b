/* A module at debug level, and a file that declares the test module at another level. */
#include <zephyr/logging/log.h>

#include "logging_test.h"

LOG_MODULE_REGISTER(beta, LOG_LEVEL_DBG);

void beta_log_all(int n)
{
	LOG_ERR("beta err %d", n);
	LOG_WRN("beta wrn %d", n);
	LOG_INF("beta inf %d", n);
	LOG_DBG("beta dbg %d", n);
}
