/*
 * Blinky: toggles the board's led0 (a devicetree alias to a gpio-leds child) every 500 ms and
 * prints each state on the console, with the GPIO API (<zephyr/drivers/gpio.h>).
 */
#include <zephyr/drivers/gpio.h>
#include <zephyr/kernel.h>
#include <zephyr/sys/printk.h>

#if !DT_NODE_HAS_STATUS(DT_ALIAS(led0), okay)
#error "blinky needs a board whose devicetree has an okay led0 alias (e.g. nucleo_f401re)"
#endif

static const struct gpio_dt_spec led = GPIO_DT_SPEC_GET(DT_ALIAS(led0), gpios);

int main(void) {
  if (!gpio_is_ready_dt(&led)) {
    printk("LED port %s is not ready\n", led.port->name);
    return 0;
  }
  int ret = gpio_pin_configure_dt(&led, GPIO_OUTPUT_INACTIVE);
  if (ret != 0) {
    printk("configuring the LED pin failed: %d\n", ret);
    return 0;
  }
  for (int i = 0;; i++) {
    ret = gpio_pin_toggle_dt(&led);
    if (ret != 0) {
      printk("toggling the LED failed: %d\n", ret);
      return 0;
    }
    printk("LED %s\n", (i % 2) == 0 ? "on" : "off");
    k_msleep(500);
  }
  return 0;
}
