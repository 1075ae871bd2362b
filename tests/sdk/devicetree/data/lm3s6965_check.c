/* Checks generated values for the LM3S6965 test board (lm3s6965_test.dts). */
#include <zephyr/devicetree.h>

#include "check.h"

#define UART0 DT_NODELABEL(uart0)

#if DT_REG_ADDR(UART0) != 0x4000c000 || DT_IRQN(UART0) != 5
#error uart0
#endif
#if !DT_NODE_HAS_STATUS(DT_NODELABEL(uart1), disabled) || DT_NODE_HAS_STATUS(DT_NODELABEL(uart2), okay)
#error uart status
#endif

CHECK_STATIC(DT_REG_SIZE(UART0) == 0x1000);
CHECK_STATIC(DT_IRQ(UART0, priority) == 3);
CHECK_STATIC(DT_IRQN(DT_NODELABEL(uart1)) == 6);
CHECK_STATIC(DT_IRQN(DT_NODELABEL(uart2)) == 33);
CHECK_STATIC(DT_NUM_INST_STATUS_OKAY(ti_stellaris_uart) == 1);
CHECK_STATIC(DT_REG_SIZE(DT_CHOSEN(zephyr_flash)) == 0x40000);
CHECK_STATIC(DT_REG_ADDR(DT_CHOSEN(zephyr_sram)) == 0x20000000);
CHECK_STATIC(DT_REG_SIZE(DT_CHOSEN(zephyr_sram)) == 0x10000);
CHECK_STATIC(DT_REG_ADDR(DT_NODELABEL(nvic)) == 0xe000e100);
CHECK_STATIC(DT_REG_ADDR(DT_NODELABEL(systick)) == 0xe000e010);
CHECK_STATIC(DT_NODE_HAS_COMPAT(DT_NODELABEL(cpu0), arm_cortex_m3));

/* DT_FOREACH_STATUS_OKAY_NODE visits every okay node once and no disabled one. */
#define IS_NODE(n, target) +DT_SAME_NODE(n, target)
#define IS_UART0(n) IS_NODE(n, UART0)
CHECK_STATIC((0 DT_FOREACH_STATUS_OKAY_NODE(IS_UART0)) == 1);
CHECK_STATIC((0 DT_FOREACH_STATUS_OKAY_NODE_VARGS(IS_NODE, DT_NODELABEL(cpu0))) == 1);
CHECK_STATIC((0 DT_FOREACH_STATUS_OKAY_NODE_VARGS(IS_NODE, DT_NODELABEL(uart1))) == 0);
CHECK_STATIC((0 DT_FOREACH_STATUS_OKAY_NODE_VARGS(IS_NODE, DT_NODELABEL(uart2))) == 0);

int main(void) {
  CHECK_STR(DT_NODE_PATH(DT_CHOSEN(zephyr_console)), "/soc/uart@4000c000");
  return check_failures != 0;
}
