/*
 * The nRF GPIO driver through the GPIO API, on a port whose pins nothing outside drives (QEMU's
 * nRF51 model, or spare pins of a real board): with the input buffer connected, a pin reads
 * back what its output drives, the pull resistor of an undriven pin sets its level, and an
 * open-drain output that lets go is pulled up. Pins 0-2 are the micro:bit's edge-connector
 * rings, unused by the board itself.
 */
#include <zephyr/devicetree.h>
#include <zephyr/drivers/gpio.h>
#include <zephyr/ztest.h>

#define PORT_NODE DT_NODELABEL(gpio0)

static const struct device *const port = DEVICE_DT_GET(PORT_NODE);

ZTEST_SUITE(gpio_nrf, NULL, NULL, NULL, NULL, NULL);

ZTEST(gpio_nrf, test_ready)
{
	zassert_true(device_is_ready(port), "gpio0 is not ready");
}

ZTEST(gpio_nrf, test_output_reads_back)
{
	zassert_ok(gpio_pin_configure(port, 0, GPIO_OUTPUT_LOW | GPIO_INPUT));
	zassert_equal(gpio_pin_get_raw(port, 0), 0, "initially low");
	zassert_ok(gpio_pin_set_raw(port, 0, 1));
	zassert_equal(gpio_pin_get_raw(port, 0), 1, "set high");
	zassert_ok(gpio_pin_toggle(port, 0));
	zassert_equal(gpio_pin_get_raw(port, 0), 0, "toggled low");
	zassert_ok(gpio_pin_toggle(port, 0));
	zassert_equal(gpio_pin_get_raw(port, 0), 1, "toggled high");
	zassert_ok(gpio_pin_configure(port, 0, GPIO_OUTPUT_LOW | GPIO_INPUT));
	zassert_equal(gpio_pin_get_raw(port, 0), 0, "reconfigured with an initial low level");
}

ZTEST(gpio_nrf, test_pulls)
{
	zassert_ok(gpio_pin_configure(port, 1, GPIO_INPUT | GPIO_PULL_UP));
	zassert_equal(gpio_pin_get_raw(port, 1), 1, "pull-up");
	zassert_ok(gpio_pin_configure(port, 1, GPIO_INPUT | GPIO_PULL_DOWN));
	zassert_equal(gpio_pin_get_raw(port, 1), 0, "pull-down");
}

ZTEST(gpio_nrf, test_active_low)
{
	zassert_ok(gpio_pin_configure(port, 2, GPIO_OUTPUT_INACTIVE | GPIO_INPUT | GPIO_ACTIVE_LOW));
	zassert_equal(gpio_pin_get_raw(port, 2), 1, "inactive is high for an active-low pin");
	zassert_equal(gpio_pin_get(port, 2), 0, "reads back inactive");
	zassert_ok(gpio_pin_set(port, 2, 1));
	zassert_equal(gpio_pin_get_raw(port, 2), 0, "active is low");
	zassert_equal(gpio_pin_get(port, 2), 1, "reads back active");
}

ZTEST(gpio_nrf, test_open_drain)
{
	zassert_ok(gpio_pin_configure(port, 1,
				      GPIO_OUTPUT_LOW | GPIO_INPUT | GPIO_OPEN_DRAIN | GPIO_PULL_UP));
	zassert_equal(gpio_pin_get_raw(port, 1), 0, "driven low");
	zassert_ok(gpio_pin_set_raw(port, 1, 1));
	zassert_equal(gpio_pin_get_raw(port, 1), 1, "released: the pull-up wins");
}

ZTEST(gpio_nrf, test_port_masked)
{
	for (gpio_pin_t pin = 0; pin < 3; pin++) {
		zassert_ok(gpio_pin_configure(port, pin, GPIO_OUTPUT_LOW | GPIO_INPUT));
	}
	zassert_ok(gpio_port_set_masked_raw(port, 0x7, 0x5));
	gpio_port_value_t value;

	zassert_ok(gpio_port_get_raw(port, &value));
	zassert_equal(value & 0x7, 0x5, "pins 0 and 2 high, 1 low: 0x%x", value & 0x7);
	zassert_ok(gpio_port_set_masked_raw(port, 0x3, 0x2));
	zassert_ok(gpio_port_get_raw(port, &value));
	zassert_equal(value & 0x7, 0x6, "pin 2 untouched by the mask: 0x%x", value & 0x7);
	zassert_ok(gpio_port_clear_bits_raw(port, 0x7));
	zassert_ok(gpio_port_get_raw(port, &value));
	zassert_equal(value & 0x7, 0, "all cleared");
}

ZTEST(gpio_nrf, test_button_spec)
{
	/* Button A from the devicetree: active low, and not pressed (nothing drives it). */
	const struct gpio_dt_spec button = GPIO_DT_SPEC_GET(DT_ALIAS(sw0), gpios);

	zassert_true(gpio_is_ready_dt(&button));
	zassert_equal(button.pin, 17);
	zassert_ok(gpio_pin_configure_dt(&button, GPIO_INPUT | GPIO_PULL_UP));
	zassert_equal(gpio_pin_get_dt(&button), 0, "button A reads as not pressed");
}
