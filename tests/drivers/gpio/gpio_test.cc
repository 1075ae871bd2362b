// The GPIO API wrappers (include/gale/drivers/gpio.h) over an in-memory controller: logical
// versus raw levels for active-low pins, initial output levels, flag checks, devicetree specs,
// interrupt flag translation and the callback list helpers.
#include <gale/drivers/gpio.h>

#include <gtest/gtest.h>

#include "fake_gpio.h"

#include <zephyr/drivers/gpio.h>  // the forwarding header names the same API

namespace {

fake_gpio_data port_data;
device_state port_state{0, true};
const fake_gpio_config port_config{{GPIO_PORT_PIN_MASK_FROM_DT_NODE(DT_NODELABEL(gpio0))}};
const gpio_driver_api port_api{fake_pin_configure,           fake_port_get_raw,
                               fake_port_set_masked_raw,     fake_port_set_bits_raw,
                               fake_port_clear_bits_raw,     fake_port_toggle_bits,
                               fake_pin_interrupt_configure, fake_manage_callback};

}  // namespace

// The device object of the gpio0 node, under the name DEVICE_DT_GET resolves to.
extern "C" const struct device DEVICE_DT_NAME_GET(DT_NODELABEL(gpio0));
const struct device DEVICE_DT_NAME_GET(DT_NODELABEL(gpio0)) = {"gpio@1000", &port_config, &port_api,
                                                               &port_state, &port_data};

extern "C" bool device_is_ready(const struct device *dev) {
  return dev != nullptr && dev->state->initialized && dev->state->init_res == 0;
}

namespace {

const device *const port = DEVICE_DT_GET(DT_NODELABEL(gpio0));

class Gpio : public ::testing::Test {
 protected:
  void SetUp() override {
    port_data = fake_gpio_data{};
    port_state = device_state{0, true};
  }
};

TEST_F(Gpio, PinMaskComesFromNgpios) {
  EXPECT_EQ(port_config.common.port_pin_mask, 0xFFu);
}

TEST_F(Gpio, RawLevelsAreWrittenAndReadBack) {
  ASSERT_EQ(gpio_pin_configure(port, 2, GPIO_OUTPUT_LOW), 0);
  EXPECT_EQ(gpio_pin_get_raw(port, 2), 0);
  ASSERT_EQ(gpio_pin_set_raw(port, 2, 7), 0);
  EXPECT_EQ(port_data.out, BIT(2));
  EXPECT_EQ(gpio_pin_get_raw(port, 2), 1);
  ASSERT_EQ(gpio_pin_toggle(port, 2), 0);
  EXPECT_EQ(gpio_pin_get_raw(port, 2), 0);
  port_data.external = BIT(6);
  EXPECT_EQ(gpio_pin_get_raw(port, 6), 1);
}

TEST_F(Gpio, ActiveLowPinsAreInvertedInLogicalCalls) {
  ASSERT_EQ(gpio_pin_configure(port, 3, GPIO_OUTPUT_INACTIVE | GPIO_ACTIVE_LOW), 0);
  // Inactive on an active-low pin is a high level.
  EXPECT_EQ(port_data.out, BIT(3));
  EXPECT_EQ(port_data.pin_flags[3] & GPIO_OUTPUT_INIT_LOGICAL, 0u);
  EXPECT_NE(port_data.pin_flags[3] & GPIO_OUTPUT_INIT_HIGH, 0u);
  EXPECT_EQ(gpio_pin_get(port, 3), 0);
  ASSERT_EQ(gpio_pin_set(port, 3, 1), 0);
  EXPECT_EQ(port_data.out, 0u);
  EXPECT_EQ(gpio_pin_get(port, 3), 1);
  EXPECT_EQ(gpio_pin_get_raw(port, 3), 0);
  // Reconfiguring active high forgets the inversion.
  ASSERT_EQ(gpio_pin_configure(port, 3, GPIO_OUTPUT_ACTIVE), 0);
  EXPECT_EQ(port_data.out, BIT(3));
  EXPECT_EQ(gpio_pin_get(port, 3), 1);
}

TEST_F(Gpio, PhysicalInitialLevelsIgnorePolarity) {
  ASSERT_EQ(gpio_pin_configure(port, 1, GPIO_OUTPUT_HIGH | GPIO_ACTIVE_LOW), 0);
  EXPECT_EQ(port_data.out, BIT(1));
  ASSERT_EQ(gpio_pin_configure(port, 1, GPIO_OUTPUT_LOW | GPIO_ACTIVE_LOW), 0);
  EXPECT_EQ(port_data.out, 0u);
}

TEST_F(Gpio, PortCallsMaskAndInvert) {
  ASSERT_EQ(gpio_pin_configure(port, 0, GPIO_OUTPUT_LOW | GPIO_ACTIVE_LOW), 0);
  ASSERT_EQ(gpio_pin_configure(port, 4, GPIO_OUTPUT_LOW), 0);
  ASSERT_EQ(gpio_port_set_bits(port, BIT(0) | BIT(4)), 0);
  EXPECT_EQ(port_data.out, BIT(4));  // pin 0 active = low
  ASSERT_EQ(gpio_port_clear_bits(port, BIT(0) | BIT(4)), 0);
  EXPECT_EQ(port_data.out, BIT(0));
  ASSERT_EQ(gpio_port_set_masked_raw(port, 0xF0, 0xFF), 0);
  EXPECT_EQ(port_data.out, 0xF1u);
  ASSERT_EQ(gpio_port_set_clr_bits_raw(port, BIT(1), BIT(7)), 0);
  EXPECT_EQ(port_data.out, 0x73u);
  ASSERT_EQ(gpio_port_clear_bits_raw(port, 0xFF), 0);
  ASSERT_EQ(gpio_port_set_bits_raw(port, BIT(5)), 0);
  ASSERT_EQ(gpio_port_toggle_bits(port, BIT(5) | BIT(6)), 0);
  EXPECT_EQ(port_data.out, BIT(6));
  gpio_port_value_t raw = 0;
  gpio_port_value_t logical = 0;
  ASSERT_EQ(gpio_port_get_raw(port, &raw), 0);
  ASSERT_EQ(gpio_port_get(port, &logical), 0);
  EXPECT_EQ(raw, BIT(6));
  EXPECT_EQ(logical, BIT(6) | BIT(0));
}

TEST_F(Gpio, ConflictingFlagsAreRejectedBeforeTheDriver) {
  EXPECT_EQ(gpio_pin_configure(port, 2, GPIO_INPUT | GPIO_PULL_UP | GPIO_PULL_DOWN), -EINVAL);
  EXPECT_EQ(gpio_pin_configure(port, 2, GPIO_OUTPUT | GPIO_OUTPUT_INIT_LOW | GPIO_OUTPUT_INIT_HIGH),
            -EINVAL);
  EXPECT_EQ(port_data.pin_flags[2], 0u);
}

TEST_F(Gpio, DriverErrorsPassThroughAndKeepPolarity) {
  ASSERT_EQ(gpio_pin_configure(port, 2, GPIO_OUTPUT_LOW), 0);
  EXPECT_EQ(gpio_pin_configure(port, 2, GPIO_OUTPUT | GPIO_OPEN_SOURCE | GPIO_ACTIVE_LOW),
            -ENOTSUP);
  EXPECT_EQ(port_data.common.invert, 0u);
}

TEST_F(Gpio, DevicetreeSpecs) {
  const gpio_dt_spec led = GPIO_DT_SPEC_GET(DT_NODELABEL(led0), gpios);
  EXPECT_EQ(led.port, port);
  EXPECT_EQ(led.pin, 5);
  EXPECT_EQ(led.dt_flags, GPIO_ACTIVE_LOW);
  const gpio_dt_spec none = GPIO_DT_SPEC_GET_BY_IDX_OR(DT_NODELABEL(led0), gpios, 1, {});
  EXPECT_EQ(none.port, nullptr);
  const gpio_dt_spec absent = GPIO_DT_SPEC_GET_OR(DT_NODELABEL(led0), reset_gpios, {});
  EXPECT_EQ(absent.port, nullptr);

  EXPECT_TRUE(gpio_is_ready_dt(&led));
  ASSERT_EQ(gpio_pin_configure_dt(&led, GPIO_OUTPUT_ACTIVE), 0);
  EXPECT_EQ(port_data.out, 0u);  // active low
  EXPECT_EQ(gpio_pin_get_dt(&led), 1);
  ASSERT_EQ(gpio_pin_set_dt(&led, 0), 0);
  EXPECT_EQ(gpio_pin_get_raw_dt(&led), 1);
  ASSERT_EQ(gpio_pin_toggle_dt(&led), 0);
  EXPECT_EQ(gpio_pin_get_dt(&led), 1);
  ASSERT_EQ(gpio_pin_set_raw_dt(&led, 1), 0);
  EXPECT_EQ(gpio_pin_get_dt(&led), 0);

  port_state.init_res = EIO;
  EXPECT_FALSE(gpio_is_ready_dt(&led));
}

TEST_F(Gpio, InterruptFlagsBecomePhysicalTriggers) {
  ASSERT_EQ(gpio_pin_configure(port, 1, GPIO_INPUT | GPIO_ACTIVE_LOW), 0);
  ASSERT_EQ(gpio_pin_interrupt_configure(port, 1, GPIO_INT_EDGE_TO_ACTIVE), 0);
  EXPECT_EQ(port_data.last_mode, GPIO_INT_MODE_EDGE);
  EXPECT_EQ(port_data.last_trig, GPIO_INT_TRIG_LOW);
  ASSERT_EQ(gpio_pin_interrupt_configure(port, 1, GPIO_INT_EDGE_RISING), 0);
  EXPECT_EQ(port_data.last_trig, GPIO_INT_TRIG_HIGH);
  ASSERT_EQ(gpio_pin_interrupt_configure(port, 1, GPIO_INT_LEVEL_HIGH), 0);
  EXPECT_EQ(port_data.last_mode, GPIO_INT_MODE_LEVEL);
  ASSERT_EQ(gpio_pin_interrupt_configure(port, 1, GPIO_INT_EDGE_BOTH), 0);
  EXPECT_EQ(port_data.last_trig, GPIO_INT_TRIG_BOTH);
  EXPECT_EQ(port_data.int_enabled, BIT(1));
  ASSERT_EQ(gpio_pin_interrupt_configure(port, 1, GPIO_INT_DISABLE), 0);
  EXPECT_EQ(port_data.int_enabled, 0u);
  EXPECT_EQ(gpio_pin_interrupt_configure(port, 1, GPIO_INT_EDGE), -EINVAL);
}

int fired_pins;
int fired_count;

void OnPins(const device *, gpio_callback *, gpio_port_pins_t pins) {
  fired_pins |= static_cast<int>(pins);
  fired_count++;
}

TEST_F(Gpio, CallbacksRunForTheirPinsOnly) {
  fired_pins = 0;
  fired_count = 0;
  gpio_callback a{};
  gpio_callback b{};
  gpio_init_callback(&a, OnPins, BIT(1) | BIT(2));
  gpio_init_callback(&b, OnPins, BIT(7));
  ASSERT_EQ(gpio_add_callback(port, &a), 0);
  ASSERT_EQ(gpio_add_callback(port, &b), 0);
  ASSERT_EQ(gpio_add_callback(port, &a), 0);  // adding twice keeps one entry
  gpio_fire_callbacks(&port_data.callbacks, port, BIT(2) | BIT(3));
  EXPECT_EQ(fired_count, 1);
  EXPECT_EQ(fired_pins, static_cast<int>(BIT(2)));
  ASSERT_EQ(gpio_remove_callback(port, &a), 0);
  EXPECT_EQ(gpio_remove_callback(port, &a), -EINVAL);
  gpio_fire_callbacks(&port_data.callbacks, port, 0xFF);
  EXPECT_EQ(fired_count, 2);
  EXPECT_EQ(fired_pins, static_cast<int>(BIT(2) | BIT(7)));
}

TEST_F(Gpio, MissingInterruptSupportIsENOSYS) {
  gpio_driver_api no_irq = port_api;
  no_irq.pin_interrupt_configure = nullptr;
  no_irq.manage_callback = nullptr;
  const device bare{"bare", &port_config, &no_irq, &port_state, &port_data};
  gpio_callback cb{};
  gpio_init_callback(&cb, OnPins, 1);
  EXPECT_EQ(gpio_pin_interrupt_configure(&bare, 0, GPIO_INT_EDGE_RISING), -ENOSYS);
  EXPECT_EQ(gpio_add_callback(&bare, &cb), -ENOSYS);
  EXPECT_EQ(gpio_remove_callback(&bare, &cb), -ENOSYS);
}

}  // namespace
