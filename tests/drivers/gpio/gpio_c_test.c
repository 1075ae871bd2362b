/* gpio.h compiled as C11: a devicetree spec and the logical/raw wrappers over the fake port. */
#include <zephyr/drivers/gpio.h>

#include "../../sys/c_check.h"
#include "fake_gpio.h"

static struct fake_gpio_data port_data;
static struct device_state port_state = {.init_res = 0, .initialized = true};
static const struct fake_gpio_config port_config = {
    .common = {.port_pin_mask = GPIO_PORT_PIN_MASK_FROM_DT_NODE(DT_NODELABEL(gpio0))}};
static const struct gpio_driver_api port_api = {
    .pin_configure = fake_pin_configure,
    .port_get_raw = fake_port_get_raw,
    .port_set_masked_raw = fake_port_set_masked_raw,
    .port_set_bits_raw = fake_port_set_bits_raw,
    .port_clear_bits_raw = fake_port_clear_bits_raw,
    .port_toggle_bits = fake_port_toggle_bits,
};

const struct device DEVICE_DT_NAME_GET(DT_NODELABEL(gpio0)) = {
    .name = "gpio@1000",
    .config = &port_config,
    .api = &port_api,
    .state = &port_state,
    .data = &port_data,
};

bool device_is_ready(const struct device *dev) {
  return dev != NULL && dev->state->initialized && dev->state->init_res == 0;
}

static const struct gpio_dt_spec led = GPIO_DT_SPEC_GET(DT_NODELABEL(led0), gpios);

int main(void) {
  CHECK(port_config.common.port_pin_mask == 0xFFU);
  CHECK(led.pin == 5 && led.dt_flags == GPIO_ACTIVE_LOW);
  CHECK(gpio_is_ready_dt(&led));
  CHECK(gpio_pin_configure_dt(&led, GPIO_OUTPUT_INACTIVE) == 0);
  CHECK(port_data.out == BIT(5));
  CHECK(gpio_pin_set_dt(&led, 1) == 0 && port_data.out == 0U);
  CHECK(gpio_pin_get_dt(&led) == 1 && gpio_pin_get_raw_dt(&led) == 0);
  CHECK(gpio_pin_toggle_dt(&led) == 0 && gpio_pin_get_dt(&led) == 0);
  CHECK(gpio_port_set_bits(led.port, BIT(5)) == 0 && port_data.out == 0U);
  CHECK(gpio_pin_interrupt_configure_dt(&led, GPIO_INT_EDGE_BOTH) == -ENOSYS);
  return CHECK_DONE();
}
