/*
 * The smallest Gale application: print a greeting that names the board.
 */
#include <zephyr/kernel.h>

int main(void)
{
	printk("Hello World! %s\n", CONFIG_BOARD);
	return 0;
}
