/*
 * A GPIO "controller" in memory for the host tests of the GPIO API wrappers: it records the
 * last configuration per pin and keeps an output register; inputs read back the outputs
 * xor'ed with an externally driven mask.
 */
#ifndef GALE_TESTS_DRIVERS_GPIO_FAKE_GPIO_H_
#define GALE_TESTS_DRIVERS_GPIO_FAKE_GPIO_H_

#include <stdbool.h>

#include <zephyr/device.h>
#include <zephyr/drivers/gpio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fake_gpio_config {
  struct gpio_driver_config common;
};

struct fake_gpio_data {
  struct gpio_driver_data common;
  gpio_flags_t pin_flags[32];
  gpio_port_value_t out;
  gpio_port_value_t external; /* levels forced on the pins from outside */
  gpio_port_pins_t int_enabled;
  enum gpio_int_trig last_trig;
  enum gpio_int_mode last_mode;
  sys_slist_t callbacks;
};

static inline int fake_pin_configure(const struct device *port, gpio_pin_t pin,
                                     gpio_flags_t flags) {
  struct fake_gpio_data *data = (struct fake_gpio_data *)port->data;
  if ((flags & GPIO_SINGLE_ENDED) != 0U && (flags & GPIO_LINE_OPEN_DRAIN) == 0U) {
    return -ENOTSUP; /* open source */
  }
  data->pin_flags[pin] = flags;
  if ((flags & GPIO_OUTPUT_INIT_HIGH) != 0U) {
    data->out |= BIT(pin);
  } else if ((flags & GPIO_OUTPUT_INIT_LOW) != 0U) {
    data->out &= ~BIT(pin);
  }
  return 0;
}

static inline int fake_port_get_raw(const struct device *port, gpio_port_value_t *value) {
  const struct fake_gpio_data *data = (const struct fake_gpio_data *)port->data;
  *value = data->out ^ data->external;
  return 0;
}

static inline int fake_port_set_masked_raw(const struct device *port, gpio_port_pins_t mask,
                                           gpio_port_value_t value) {
  struct fake_gpio_data *data = (struct fake_gpio_data *)port->data;
  data->out = (data->out & ~mask) | (value & mask);
  return 0;
}

static inline int fake_port_set_bits_raw(const struct device *port, gpio_port_pins_t pins) {
  ((struct fake_gpio_data *)port->data)->out |= pins;
  return 0;
}

static inline int fake_port_clear_bits_raw(const struct device *port, gpio_port_pins_t pins) {
  ((struct fake_gpio_data *)port->data)->out &= ~pins;
  return 0;
}

static inline int fake_port_toggle_bits(const struct device *port, gpio_port_pins_t pins) {
  ((struct fake_gpio_data *)port->data)->out ^= pins;
  return 0;
}

static inline int fake_pin_interrupt_configure(const struct device *port, gpio_pin_t pin,
                                               enum gpio_int_mode mode, enum gpio_int_trig trig) {
  struct fake_gpio_data *data = (struct fake_gpio_data *)port->data;
  data->last_mode = mode;
  data->last_trig = trig;
  if (mode == GPIO_INT_MODE_DISABLED) {
    data->int_enabled &= ~BIT(pin);
  } else {
    data->int_enabled |= BIT(pin);
  }
  return 0;
}

static inline int fake_manage_callback(const struct device *port, struct gpio_callback *cb,
                                       bool set) {
  return gpio_manage_callback(&((struct fake_gpio_data *)port->data)->callbacks, cb, set);
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_TESTS_DRIVERS_GPIO_FAKE_GPIO_H_ */
