/*
 * A test image for the device layer: counts in a RAM variable forever, so a test can tell from
 * memory whether the CPU ran.
 */
#include <zephyr/kernel.h>

volatile unsigned int forever_count;

int main(void) {
  printk("forever: counting on %s\n", CONFIG_BOARD);
  for (;;) {
    forever_count++;
    k_busy_wait(10);
  }
  return 0;
}
