/* 2000 numbered log lines through RTT; the host must receive every one, in order. */
#include <zephyr/kernel.h>
#include <zephyr/logging/log.h>

LOG_MODULE_REGISTER(log_rtt, LOG_LEVEL_INF);

int main(void)
{
	k_msleep(200);
	for (int i = 0; i < 2000; i++) {
		LOG_INF("marker %d of 2000", i);
	}
	LOG_WRN("all markers sent");
	return 0;
}
