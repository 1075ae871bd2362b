/* Checks generated values for the MPS2 AN385 test board (mps2_an385_test.dts). */
#include <zephyr/devicetree.h>
#include <zephyr/dt-bindings/gpio/gpio.h>

#include "check.h"

#define UART0 DT_NODELABEL(uart0)
#define UART1 DT_NODELABEL(uart1)

#if DT_REG_ADDR(DT_CHOSEN(zephyr_flash)) != 0x0 || DT_REG_SIZE(DT_CHOSEN(zephyr_flash)) != 0x400000
#error flash
#endif
#if DT_REG_ADDR(DT_CHOSEN(zephyr_sram)) != 0x20000000 || DT_REG_SIZE(DT_CHOSEN(zephyr_sram)) != 0x400000
#error sram
#endif
#if !DT_NODE_HAS_STATUS(UART1, okay) || !DT_NODE_HAS_STATUS(DT_NODELABEL(uart2), disabled)
#error uart status
#endif

CHECK_STATIC(DT_SAME_NODE(DT_CHOSEN(zephyr_console), UART0));
CHECK_STATIC(DT_REG_ADDR(UART0) == 0x40004000);
CHECK_STATIC(DT_REG_ADDR(DT_NODELABEL(uart4)) == 0x40009000);
CHECK_STATIC(DT_NUM_IRQS(UART0) == 3);
CHECK_STATIC(DT_IRQ_BY_NAME(UART0, rx, irq) == 0 && DT_IRQ_BY_NAME(UART0, tx, irq) == 1);
CHECK_STATIC(DT_IRQ_BY_NAME(UART0, overflow, irq) == 12);
CHECK_STATIC(DT_IRQ_BY_NAME(DT_NODELABEL(uart2), overflow, irq) == 12);
CHECK_STATIC(DT_NUM_IRQS(DT_NODELABEL(uart4)) == 2);
CHECK_STATIC(DT_PROP(DT_NODELABEL(cpu0), clock_frequency) == 25000000);
CHECK_STATIC(DT_IRQ_BY_IDX(DT_NODELABEL(uart3), 1, irq) == 19);
CHECK_STATIC(DT_IRQ(UART0, priority) == 3);
CHECK_STATIC(DT_IRQN(DT_NODELABEL(timer1)) == 9);
CHECK_STATIC(DT_IRQN(DT_NODELABEL(dtimer0)) == 10);
CHECK_STATIC(DT_PROP(UART0, current_speed) == 115200);
CHECK_STATIC(DT_PROP(UART1, current_speed) == 9600);
CHECK_STATIC(DT_ENUM_IDX(UART1, parity) == 2);
CHECK_STATIC(DT_NUM_INST_STATUS_OKAY(arm_cmsdk_uart) == 2);
CHECK_STATIC(DT_PROP(DT_NODELABEL(nvic), arm_num_irq_priority_bits) == 3);
CHECK_STATIC(DT_PROP(DT_NODELABEL(gpio0), ngpios) == 16);

/* gpio-leds children through aliases. */
CHECK_STATIC(DT_SAME_NODE(DT_GPIO_CTLR(DT_ALIAS(led0), gpios), DT_NODELABEL(gpio0)));
CHECK_STATIC(DT_GPIO_PIN(DT_ALIAS(led0), gpios) == 5);
CHECK_STATIC(DT_GPIO_FLAGS(DT_ALIAS(led0), gpios) == GPIO_ACTIVE_HIGH);
CHECK_STATIC(DT_SAME_NODE(DT_GPIO_CTLR(DT_ALIAS(led1), gpios), DT_NODELABEL(gpio1)));
CHECK_STATIC(DT_GPIO_FLAGS(DT_ALIAS(led1), gpios) == (GPIO_ACTIVE_LOW | GPIO_PULL_UP));
#define LED_PIN(node_id) DT_GPIO_PIN(node_id, gpios),
static const int led_pins[] = {DT_FOREACH_CHILD(DT_PATH(leds), LED_PIN)};
CHECK_STATIC(sizeof(led_pins) / sizeof(led_pins[0]) == 2);

#define DT_DRV_COMPAT arm_cmsdk_uart
#define UART_BASE(inst) DT_INST_REG_ADDR(inst),
static const unsigned long uart_bases[] = {DT_INST_FOREACH_STATUS_OKAY(UART_BASE)};

int main(void) {
  CHECK_STR(DT_PROP(DT_ALIAS(led1), label), "USERLED1");
  CHECK_STR(DT_PROP(UART1, parity), "even");
  CHECK_TRUE(uart_bases[1] == 0x40005000UL && led_pins[1] == 6);
  if (check_failures != 0) {
    return 1;
  }
  printf("all checks passed\n");
  return 0;
}
