/*
 * The SiFive GPIO driver through the GPIO API, on pins nothing outside drives (QEMU's sifive_e
 * model, or spare header pins of a real HiFive1: GPIO 9-11): with the input enabled, a pin reads
 * back what its output drives, and the configuration the controller cannot do is refused.
 */
#include <zephyr/devicetree.h>
#include <zephyr/drivers/gpio.h>
#include <zephyr/ztest.h>

#define PORT_NODE DT_NODELABEL(gpio0)

static const struct device *const port = DEVICE_DT_GET(PORT_NODE);

ZTEST_SUITE(gpio_sifive, NULL, NULL, NULL, NULL, NULL);

ZTEST(gpio_sifive, test_ready)
{
	zassert_true(device_is_ready(port), "gpio0 is not ready");
}

ZTEST(gpio_sifive, test_output_reads_back)
{
	zassert_ok(gpio_pin_configure(port, 9, GPIO_OUTPUT_LOW | GPIO_INPUT));
	zassert_equal(gpio_pin_get_raw(port, 9), 0, "initially low");
	zassert_ok(gpio_pin_set_raw(port, 9, 1));
	zassert_equal(gpio_pin_get_raw(port, 9), 1, "set high");
	zassert_ok(gpio_pin_toggle(port, 9));
	zassert_equal(gpio_pin_get_raw(port, 9), 0, "toggled low");
	zassert_ok(gpio_pin_toggle(port, 9));
	zassert_equal(gpio_pin_get_raw(port, 9), 1, "toggled high");
	zassert_ok(gpio_pin_configure(port, 9, GPIO_OUTPUT_LOW | GPIO_INPUT));
	zassert_equal(gpio_pin_get_raw(port, 9), 0, "reconfigured with an initial low level");
}

ZTEST(gpio_sifive, test_port_masked)
{
	zassert_ok(gpio_pin_configure(port, 10, GPIO_OUTPUT_LOW | GPIO_INPUT));
	zassert_ok(gpio_pin_configure(port, 11, GPIO_OUTPUT_LOW | GPIO_INPUT));
	zassert_ok(gpio_port_set_masked_raw(port, BIT(10) | BIT(11), BIT(11)));
	gpio_port_value_t value;

	zassert_ok(gpio_port_get_raw(port, &value));
	zassert_equal(value & (BIT(10) | BIT(11)), BIT(11), "port value 0x%x", value);
}

ZTEST(gpio_sifive, test_active_low)
{
	zassert_ok(gpio_pin_configure(port, 10, GPIO_OUTPUT_INACTIVE | GPIO_INPUT | GPIO_ACTIVE_LOW));
	zassert_equal(gpio_pin_get_raw(port, 10), 1, "inactive is high for an active-low pin");
	zassert_ok(gpio_pin_set(port, 10, 1));
	zassert_equal(gpio_pin_get_raw(port, 10), 0, "active is low");
}

ZTEST(gpio_sifive, test_unsupported)
{
	zassert_equal(gpio_pin_configure(port, 11, GPIO_INPUT | GPIO_PULL_DOWN), -ENOTSUP);
	zassert_equal(gpio_pin_configure(port, 11, GPIO_OUTPUT | GPIO_OPEN_DRAIN), -ENOTSUP);
}
