/*
 * A test image for the QEMU runner: 200 numbered lines (about 14 KB) as fast as the UART takes
 * them, then exit with status 0. The host reads nothing until QEMU has ended, so every byte must
 * have waited somewhere: UART models that do not wait for their host end (sifive_e's) drop
 * what their chardev cannot take at once.
 */
#include <gale/arch.h>
#include <zephyr/kernel.h>

int main(void) {
  for (int i = 0; i < 200; i++) {
    printk("burst %03d 0123456789abcdefghijklmnopqrstuvwxyz0123456789\n", i);
  }
  printk("burst done on %s\n", CONFIG_BOARD);
  arch_system_exit(0);
  return 0;
}
