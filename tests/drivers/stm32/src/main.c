/*
 * STM32F4 SoC code and drivers, on an STM32F4 board (netduino_plus2 under QEMU in CI): the
 * clock set-up result, argument checks of the clock and pin services, the USART's baud-rate
 * divisor from the right bus clock, line settings accepted and refused, and GPIO pin
 * configuration. QEMU models the USART registers but neither the RCC nor the GPIO ports, so
 * levels are not read back here (gpio_api_test covers the logical/raw layer on the host).
 */
#include <stm32f4_soc.h>

#include <zephyr/device.h>
#include <zephyr/drivers/gpio.h>
#include <zephyr/drivers/uart.h>
#include <zephyr/ztest.h>

#define CONSOLE DT_CHOSEN(zephyr_console)

static const struct device *const console = DEVICE_DT_GET(CONSOLE);
static const struct device *const gpioa = DEVICE_DT_GET(DT_NODELABEL(gpioa));

ZTEST_SUITE(stm32, NULL, NULL, NULL, NULL, NULL);

ZTEST(stm32, test_clock_setup_result)
{
#if DT_NODE_HAS_PROP(DT_NODELABEL(rcc), pll_n)
	/* A PLL board on an emulator without an RCC times out, bounded, and keeps running. */
	int status = stm32_clock_status();

	zassert_true(status == 0 || status == -ETIMEDOUT, "status %d", status);
	TC_PRINT("clock set-up: %s\n", status == 0 ? "PLL running" : "timed out, on the HSI");
#else
	zassert_equal(stm32_clock_status(), 0, "no PLL: nothing to wait for");
#endif
	zassert_equal(CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC, STM32_HCLK_HZ,
		      "SysTick counts HCLK, which the rcc node defines");
}

ZTEST(stm32, test_clock_and_pin_arguments)
{
	const uint32_t no_such_port = STM32_PINMUX(9, 0, 7, 0);
	const uint32_t pa15 = STM32_PINMUX(STM32_PORT_A, 15, 0, 0);

	zassert_equal(stm32_clock_enable(3, 0), -EINVAL, "no bus 3");
	zassert_equal(stm32_clock_enable(STM32_CLOCK_BUS_APB1, 32), -EINVAL, "no bit 32");
	zassert_ok(stm32_clock_enable(STM32_CLOCK_BUS_AHB1, 0));
	zassert_equal(stm32_pinmux_configure(&no_such_port, 1), -EINVAL, "port 9 does not exist");
	zassert_ok(stm32_pinmux_configure(&pa15, 1));
	zassert_ok(stm32_pinmux_configure(NULL, 0));
}

ZTEST(stm32, test_console_divisor_uses_its_bus_clock)
{
	const uint32_t bus = DT_PHA(CONSOLE, clocks, bus);
	const uint32_t baud = DT_PROP(CONSOLE, current_speed);
	const uint32_t expected = (STM32_BUS_CLOCK_HZ(bus) + baud / 2U) / baud;
	volatile uint32_t *brr = (volatile uint32_t *)(DT_REG_ADDR(CONSOLE) + 0x08);

	zassert_true(STM32_BUS_CLOCK_HZ(bus) != 0U);
	zassert_equal(*brr, expected, "BRR %u, expected %u", *brr, expected);
}

ZTEST(stm32, test_line_settings)
{
	struct uart_config initial;
	struct uart_config cfg;

	zassert_true(device_is_ready(console));
	zassert_ok(uart_config_get(console, &initial));
	zassert_equal(initial.baudrate, DT_PROP(CONSOLE, current_speed));
	zassert_equal(initial.parity, UART_CFG_PARITY_NONE);
	zassert_equal(initial.data_bits, UART_CFG_DATA_BITS_8);
	zassert_equal(initial.stop_bits, UART_CFG_STOP_BITS_1);

	cfg = initial;
	cfg.baudrate = 9600;
	cfg.parity = UART_CFG_PARITY_EVEN;
	cfg.data_bits = UART_CFG_DATA_BITS_7;
	cfg.stop_bits = UART_CFG_STOP_BITS_2;
	zassert_ok(uart_configure(console, &cfg));
	struct uart_config now;

	zassert_ok(uart_config_get(console, &now));
	zassert_equal(now.baudrate, 9600);
	zassert_equal(now.parity, UART_CFG_PARITY_EVEN);
	zassert_equal(now.data_bits, UART_CFG_DATA_BITS_7);
	zassert_ok(uart_configure(console, &initial));

	cfg = initial;
	cfg.flow_ctrl = UART_CFG_FLOW_CTRL_RTS_CTS;
	zassert_equal(uart_configure(console, &cfg), -ENOTSUP, "no RTS/CTS pins are set up");
	cfg = initial;
	cfg.data_bits = UART_CFG_DATA_BITS_5;
	zassert_equal(uart_configure(console, &cfg), -ENOTSUP, "5 data bits");
	cfg = initial;
	cfg.parity = UART_CFG_PARITY_MARK;
	zassert_equal(uart_configure(console, &cfg), -ENOTSUP, "mark parity");
	cfg = initial;
	cfg.baudrate = 1;
	zassert_equal(uart_configure(console, &cfg), -ENOTSUP, "divisor above 16 bits");
	zassert_ok(uart_config_get(console, &now));
	zassert_equal(now.baudrate, initial.baudrate, "a refused setting changes nothing");
	zassert_equal(uart_err_check(console), 0);
}

ZTEST(stm32, test_gpio_configuration)
{
	zassert_true(device_is_ready(gpioa));
	zassert_ok(gpio_pin_configure(gpioa, 5, GPIO_OUTPUT_ACTIVE));
	zassert_ok(gpio_pin_configure(gpioa, 6, GPIO_INPUT | GPIO_PULL_UP));
	zassert_ok(gpio_pin_configure(gpioa, 7, GPIO_OUTPUT | GPIO_OPEN_DRAIN));
	zassert_ok(gpio_pin_configure(gpioa, 8, GPIO_DISCONNECTED));
	zassert_equal(gpio_pin_configure(gpioa, 5, GPIO_OUTPUT | GPIO_OPEN_SOURCE), -ENOTSUP);
	zassert_ok(gpio_pin_set(gpioa, 5, 0));
	zassert_ok(gpio_pin_toggle(gpioa, 5));
	zassert_ok(gpio_port_set_masked_raw(gpioa, 0x00F0, 0x0050));
	zassert_equal(gpio_pin_interrupt_configure(gpioa, 6, GPIO_INT_EDGE_RISING), -ENOSYS,
		      "EXTI is not driven");
	gpio_port_value_t value;

	zassert_ok(gpio_port_get_raw(gpioa, &value));
	zassert_equal(value & 0xFFFF0000U, 0, "a port has 16 pins");
}
