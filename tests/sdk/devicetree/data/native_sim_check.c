/* Checks generated values for the native_sim test board (native_sim_test.dts). */
#include <zephyr/devicetree.h>

#include "check.h"

#if !DT_HAS_COMPAT_STATUS_OKAY(zephyr_native_pty_uart) || DT_HAS_CHOSEN(zephyr_flash)
#error native_sim
#endif

CHECK_STATIC(DT_SAME_NODE(DT_CHOSEN(zephyr_console), DT_PATH(uart)));
CHECK_STATIC(DT_NUM_REGS(DT_NODELABEL(uart0)) == 0);
CHECK_STATIC(DT_NUM_IRQS(DT_NODELABEL(uart0)) == 0);

int main(void) {
  CHECK_STR(DT_NODE_FULL_NAME(DT_NODELABEL(uart0)), "uart");
  return check_failures != 0;
}
