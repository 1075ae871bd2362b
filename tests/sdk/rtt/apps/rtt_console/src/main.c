/* printk() goes to RTT up channel 0 (CONFIG_RTT_CONSOLE). */
#include <zephyr/kernel.h>
#include <zephyr/sys/printk.h>

int main(void)
{
	for (int i = 0;; i++) {
		printk("console over rtt %d\n", i);
		k_msleep(10);
	}
	return 0;
}
