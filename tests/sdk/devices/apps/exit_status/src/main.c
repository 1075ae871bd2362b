/*
 * A test image for the device layer: print a line, then exit with status 3 (QEMU ends through
 * semihosting with that status; native_sim's program exits with it).
 */
#include <gale/arch.h>
#include <zephyr/kernel.h>

int main(void) {
  printk("exit_status: leaving with 3 on %s\n", CONFIG_BOARD);
  arch_system_exit(3);
  return 0;
}
