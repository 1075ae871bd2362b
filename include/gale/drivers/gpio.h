/*
 * GPIO driver class (Zephyr 3.7's GPIO API, documented subset).
 *
 * A GPIO controller is a device of up to 32 pins (a "port"). Every GPIO driver fills a
 * `struct gpio_driver_api` and starts its configuration struct with a
 * `struct gpio_driver_config` and its data struct with a `struct gpio_driver_data`: the
 * wrappers below use the first to check pin numbers and the second to remember which pins are
 * active low, so drivers only deal with raw (physical) levels.
 *
 * Logical versus raw: gpio_pin_set(dev, pin, 1) makes the pin *active*, which is a low level
 * for a pin configured with GPIO_ACTIVE_LOW; the *_raw variants always speak physical levels.
 */
#ifndef GALE_DRIVERS_GPIO_H_
#define GALE_DRIVERS_GPIO_H_

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gale/device.h>
#include <gale/dt-bindings/gpio/gpio.h>
#include <gale/sys/__assert.h>
#include <gale/sys/slist.h>
#include <gale/sys/util_macro.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Types -------------------------------------------------------------------------------- */

/** A pin number within a port (0..31). */
typedef uint8_t gpio_pin_t;
/** A set of pins of one port, one bit per pin. */
typedef uint32_t gpio_port_pins_t;
/** Levels of the pins of one port, one bit per pin. */
typedef uint32_t gpio_port_value_t;
/** Configuration flags: devicetree flags (dt-bindings/gpio/gpio.h) in the low 16 bits, the
 * GPIO_INPUT/GPIO_OUTPUT* and GPIO_INT_* flags above them. */
typedef uint32_t gpio_flags_t;
/** The devicetree part of gpio_flags_t (the flags cell of a `*-gpios` property). */
typedef uint16_t gpio_dt_flags_t;

/* ---- Configuration flags (values as in Zephyr 3.7) ----------------------------------------- */

/** Neither input nor output: the pin is disconnected (lowest power). */
#define GPIO_DISCONNECTED 0
/** Input buffer on. */
#define GPIO_INPUT (1U << 16)
/** Output driver on; the level is left as it was. */
#define GPIO_OUTPUT (1U << 17)
/* Initial output level, physical unless GPIO_OUTPUT_INIT_LOGICAL is also given. */
#define GPIO_OUTPUT_INIT_LOW (1U << 18)
#define GPIO_OUTPUT_INIT_HIGH (1U << 19)
#define GPIO_OUTPUT_INIT_LOGICAL (1U << 20)
/** Output, initially at a low level. */
#define GPIO_OUTPUT_LOW (GPIO_OUTPUT | GPIO_OUTPUT_INIT_LOW)
/** Output, initially at a high level. */
#define GPIO_OUTPUT_HIGH (GPIO_OUTPUT | GPIO_OUTPUT_INIT_HIGH)
/** Output, initially inactive (logical 0). */
#define GPIO_OUTPUT_INACTIVE (GPIO_OUTPUT | GPIO_OUTPUT_INIT_LOW | GPIO_OUTPUT_INIT_LOGICAL)
/** Output, initially active (logical 1). */
#define GPIO_OUTPUT_ACTIVE (GPIO_OUTPUT | GPIO_OUTPUT_INIT_HIGH | GPIO_OUTPUT_INIT_LOGICAL)

/* Interrupt flags for gpio_pin_interrupt_configure(). */
#define GPIO_INT_DISABLE (1U << 21)
#define GPIO_INT_ENABLE (1U << 22)
/** Trigger on levels rather than edges. */
#define GPIO_INT_LEVELS_LOGICAL (1U << 23)
#define GPIO_INT_EDGE (1U << 24)
#define GPIO_INT_LOW_0 (1U << 25)
#define GPIO_INT_HIGH_1 (1U << 26)
#define GPIO_INT_EDGE_RISING (GPIO_INT_ENABLE | GPIO_INT_EDGE | GPIO_INT_HIGH_1)
#define GPIO_INT_EDGE_FALLING (GPIO_INT_ENABLE | GPIO_INT_EDGE | GPIO_INT_LOW_0)
#define GPIO_INT_EDGE_BOTH (GPIO_INT_ENABLE | GPIO_INT_EDGE | GPIO_INT_LOW_0 | GPIO_INT_HIGH_1)
#define GPIO_INT_LEVEL_LOW (GPIO_INT_ENABLE | GPIO_INT_LOW_0)
#define GPIO_INT_LEVEL_HIGH (GPIO_INT_ENABLE | GPIO_INT_HIGH_1)
#define GPIO_INT_EDGE_TO_INACTIVE \
  (GPIO_INT_ENABLE | GPIO_INT_LEVELS_LOGICAL | GPIO_INT_EDGE | GPIO_INT_LOW_0)
#define GPIO_INT_EDGE_TO_ACTIVE \
  (GPIO_INT_ENABLE | GPIO_INT_LEVELS_LOGICAL | GPIO_INT_EDGE | GPIO_INT_HIGH_1)
#define GPIO_INT_LEVEL_INACTIVE (GPIO_INT_ENABLE | GPIO_INT_LEVELS_LOGICAL | GPIO_INT_LOW_0)
#define GPIO_INT_LEVEL_ACTIVE (GPIO_INT_ENABLE | GPIO_INT_LEVELS_LOGICAL | GPIO_INT_HIGH_1)

/** Mask of the pins 0..n-1 (n = 32 gives every pin). */
#define GPIO_PORT_PIN_MASK_FROM_NGPIOS(ngpios) ((gpio_port_pins_t)(((uint64_t)1 << (ngpios)) - 1U))

/** Pin mask of a controller node from its `ngpios` property (32 when absent). */
#define GPIO_PORT_PIN_MASK_FROM_DT_NODE(node_id) \
  GPIO_PORT_PIN_MASK_FROM_NGPIOS(DT_PROP_OR(node_id, ngpios, 32))

/** GPIO_PORT_PIN_MASK_FROM_DT_NODE for instance @p inst of the driver's DT_DRV_COMPAT. */
#define GPIO_PORT_PIN_MASK_FROM_DT_INST(inst) GPIO_PORT_PIN_MASK_FROM_DT_NODE(DT_DRV_INST(inst))

/* ---- Devicetree specs ---------------------------------------------------------------------- */

/** One pin as a `*-gpios` devicetree property names it: controller, pin and flags. */
struct gpio_dt_spec {
  const struct device *port;
  gpio_pin_t pin;
  gpio_dt_flags_t dt_flags;
};

/** The gpio_dt_spec of entry @p idx of property @p prop of node @p node_id. */
#define GPIO_DT_SPEC_GET_BY_IDX(node_id, prop, idx)                        \
  {                                                                        \
    .port = DEVICE_DT_GET(DT_GPIO_CTLR_BY_IDX(node_id, prop, idx)),        \
    .pin = (gpio_pin_t)DT_GPIO_PIN_BY_IDX(node_id, prop, idx),             \
    .dt_flags = (gpio_dt_flags_t)DT_GPIO_FLAGS_BY_IDX(node_id, prop, idx), \
  }

/** GPIO_DT_SPEC_GET_BY_IDX, or @p default_value when the entry does not exist. */
#define GPIO_DT_SPEC_GET_BY_IDX_OR(node_id, prop, idx, default_value)                             \
  COND_CODE_1(DT_PROP_HAS_IDX(node_id, prop, idx), (GPIO_DT_SPEC_GET_BY_IDX(node_id, prop, idx)), \
              (default_value))

/** The gpio_dt_spec of the first entry of @p prop. */
#define GPIO_DT_SPEC_GET(node_id, prop) GPIO_DT_SPEC_GET_BY_IDX(node_id, prop, 0)

/** GPIO_DT_SPEC_GET, or @p default_value when the node has no such property. */
#define GPIO_DT_SPEC_GET_OR(node_id, prop, default_value) \
  GPIO_DT_SPEC_GET_BY_IDX_OR(node_id, prop, 0, default_value)

#define GPIO_DT_SPEC_INST_GET_BY_IDX(inst, prop, idx) \
  GPIO_DT_SPEC_GET_BY_IDX(DT_DRV_INST(inst), prop, idx)
#define GPIO_DT_SPEC_INST_GET_BY_IDX_OR(inst, prop, idx, default_value) \
  GPIO_DT_SPEC_GET_BY_IDX_OR(DT_DRV_INST(inst), prop, idx, default_value)
#define GPIO_DT_SPEC_INST_GET(inst, prop) GPIO_DT_SPEC_INST_GET_BY_IDX(inst, prop, 0)
#define GPIO_DT_SPEC_INST_GET_OR(inst, prop, default_value) \
  GPIO_DT_SPEC_INST_GET_BY_IDX_OR(inst, prop, 0, default_value)

/* ---- Callbacks ----------------------------------------------------------------------------- */

struct gpio_callback;

/**
 * Called from the controller's interrupt with the pins that triggered.
 *
 * @pre ISR
 */
typedef void (*gpio_callback_handler_t)(const struct device *port, struct gpio_callback *cb,
                                        gpio_port_pins_t pins);

/** A registered interrupt callback; owned by the caller, kept in the driver's list. */
struct gpio_callback {
  sys_snode_t node;
  gpio_callback_handler_t handler;
  /** Pins this callback is for. */
  gpio_port_pins_t pin_mask;
};

/** Prepare @p callback for gpio_add_callback(). */
static inline void gpio_init_callback(struct gpio_callback *callback,
                                      gpio_callback_handler_t handler, gpio_port_pins_t pin_mask) {
  __ASSERT(callback != NULL && handler != NULL, "gpio_init_callback: NULL argument");
  callback->handler = handler;
  callback->pin_mask = pin_mask;
}

/* ---- What drivers implement ---------------------------------------------------------------- */

/** First member of every GPIO driver's configuration struct. */
struct gpio_driver_config {
  /** Pins that exist on this port. */
  gpio_port_pins_t port_pin_mask;
};

/** First member of every GPIO driver's data struct. */
struct gpio_driver_data {
  /** Pins configured GPIO_ACTIVE_LOW (maintained by gpio_pin_configure()). */
  gpio_port_pins_t invert;
};

/** Interrupt modes passed to the driver (from the GPIO_INT_* flags). */
enum gpio_int_mode {
  GPIO_INT_MODE_DISABLED = GPIO_INT_DISABLE,
  GPIO_INT_MODE_LEVEL = GPIO_INT_ENABLE,
  GPIO_INT_MODE_EDGE = GPIO_INT_ENABLE | GPIO_INT_EDGE,
};

/** Interrupt triggers passed to the driver (physical levels). */
enum gpio_int_trig {
  GPIO_INT_TRIG_LOW = GPIO_INT_LOW_0,
  GPIO_INT_TRIG_HIGH = GPIO_INT_HIGH_1,
  GPIO_INT_TRIG_BOTH = GPIO_INT_LOW_0 | GPIO_INT_HIGH_1,
};

/**
 * The GPIO driver class. All levels are raw. pin_configure, port_get_raw,
 * port_set_masked_raw, port_set_bits_raw, port_clear_bits_raw and port_toggle_bits are
 * required; pin_interrupt_configure and manage_callback may be NULL (-ENOSYS).
 */
struct gpio_driver_api {
  /** @p flags has GPIO_OUTPUT_INIT_LOGICAL already resolved into a physical level. */
  int (*pin_configure)(const struct device *port, gpio_pin_t pin, gpio_flags_t flags);
  int (*port_get_raw)(const struct device *port, gpio_port_value_t *value);
  int (*port_set_masked_raw)(const struct device *port, gpio_port_pins_t mask,
                             gpio_port_value_t value);
  int (*port_set_bits_raw)(const struct device *port, gpio_port_pins_t pins);
  int (*port_clear_bits_raw)(const struct device *port, gpio_port_pins_t pins);
  int (*port_toggle_bits)(const struct device *port, gpio_port_pins_t pins);
  int (*pin_interrupt_configure)(const struct device *port, gpio_pin_t pin, enum gpio_int_mode mode,
                                 enum gpio_int_trig trig);
  int (*manage_callback)(const struct device *port, struct gpio_callback *cb, bool set);
};

static inline const struct gpio_driver_api *z_gpio_api(const struct device *port) {
  return (const struct gpio_driver_api *)port->api;
}

/* ---- Configuration ------------------------------------------------------------------------- */

/**
 * Configure one pin: direction, initial level, drive, pulls and polarity.
 *
 * @param port  the GPIO controller
 * @param pin   pin number within the port
 * @param flags GPIO_INPUT / GPIO_OUTPUT* / GPIO_DISCONNECTED, or'ed with devicetree flags
 *              (GPIO_ACTIVE_LOW, GPIO_PULL_UP, GPIO_OPEN_DRAIN, ...)
 * @pre thread
 * @retval 0 configured
 * @retval -ENOTSUP the hardware cannot do what @p flags ask (e.g. open source)
 * @retval -EINVAL conflicting flags (both pulls, both initial levels)
 * @retval -EIO the controller reported an error
 */
static inline int gpio_pin_configure(const struct device *port, gpio_pin_t pin,
                                     gpio_flags_t flags) {
  const struct gpio_driver_config *cfg = (const struct gpio_driver_config *)port->config;
  struct gpio_driver_data *data = (struct gpio_driver_data *)port->data;

  __ASSERT((cfg->port_pin_mask & BIT(pin)) != 0U, "gpio_pin_configure: no such pin on this port");
  if ((flags & (GPIO_PULL_UP | GPIO_PULL_DOWN)) == (GPIO_PULL_UP | GPIO_PULL_DOWN)) {
    return -EINVAL;
  }
  if ((flags & (GPIO_OUTPUT_INIT_LOW | GPIO_OUTPUT_INIT_HIGH)) ==
      (GPIO_OUTPUT_INIT_LOW | GPIO_OUTPUT_INIT_HIGH)) {
    return -EINVAL;
  }
  /* The driver sees physical levels only: a logical initial level of an active-low pin is the
   * opposite physical level. */
  if ((flags & GPIO_OUTPUT_INIT_LOGICAL) != 0U && (flags & GPIO_ACTIVE_LOW) != 0U &&
      (flags & (GPIO_OUTPUT_INIT_LOW | GPIO_OUTPUT_INIT_HIGH)) != 0U) {
    flags ^= GPIO_OUTPUT_INIT_LOW | GPIO_OUTPUT_INIT_HIGH;
  }
  flags &= ~GPIO_OUTPUT_INIT_LOGICAL;
  int ret = z_gpio_api(port)->pin_configure(port, pin, flags);
  if (ret != 0) {
    return ret;
  }
  if ((flags & GPIO_ACTIVE_LOW) != 0U) {
    data->invert |= (gpio_port_pins_t)BIT(pin);
  } else {
    data->invert &= ~(gpio_port_pins_t)BIT(pin);
  }
  return 0;
}

/** gpio_pin_configure() with the spec's pin and flags or'ed with @p extra_flags. */
static inline int gpio_pin_configure_dt(const struct gpio_dt_spec *spec, gpio_flags_t extra_flags) {
  return gpio_pin_configure(spec->port, spec->pin, (gpio_flags_t)spec->dt_flags | extra_flags);
}

/**
 * Configure a pin's interrupt.
 *
 * @param flags GPIO_INT_DISABLE or one of GPIO_INT_EDGE_* / GPIO_INT_LEVEL_*
 * @retval 0 configured
 * @retval -ENOSYS the driver has no interrupt support
 * @retval -ENOTSUP the hardware cannot trigger that way
 * @retval -EINVAL invalid @p flags
 */
static inline int gpio_pin_interrupt_configure(const struct device *port, gpio_pin_t pin,
                                               gpio_flags_t flags) {
  const struct gpio_driver_api *api = z_gpio_api(port);
  const struct gpio_driver_data *data = (const struct gpio_driver_data *)port->data;
  if (api->pin_interrupt_configure == NULL) {
    return -ENOSYS;
  }
  if ((flags & GPIO_INT_DISABLE) != 0U) {
    return api->pin_interrupt_configure(port, pin, GPIO_INT_MODE_DISABLED, GPIO_INT_TRIG_BOTH);
  }
  if ((flags & GPIO_INT_ENABLE) == 0U || (flags & (GPIO_INT_LOW_0 | GPIO_INT_HIGH_1)) == 0U) {
    return -EINVAL;
  }
  gpio_flags_t trig = flags & (GPIO_INT_LOW_0 | GPIO_INT_HIGH_1);
  if ((flags & GPIO_INT_LEVELS_LOGICAL) != 0U && (data->invert & BIT(pin)) != 0U &&
      trig != (GPIO_INT_LOW_0 | GPIO_INT_HIGH_1)) {
    trig ^= GPIO_INT_LOW_0 | GPIO_INT_HIGH_1;
  }
  enum gpio_int_mode mode =
      (flags & GPIO_INT_EDGE) != 0U ? GPIO_INT_MODE_EDGE : GPIO_INT_MODE_LEVEL;
  return api->pin_interrupt_configure(port, pin, mode, (enum gpio_int_trig)trig);
}

/** gpio_pin_interrupt_configure() for the spec's pin. */
static inline int gpio_pin_interrupt_configure_dt(const struct gpio_dt_spec *spec,
                                                  gpio_flags_t flags) {
  return gpio_pin_interrupt_configure(spec->port, spec->pin, flags);
}

/**
 * Register @p callback to run on interrupts of its pins.
 *
 * @retval 0 added
 * @retval -ENOSYS the driver has no interrupt support
 */
static inline int gpio_add_callback(const struct device *port, struct gpio_callback *callback) {
  const struct gpio_driver_api *api = z_gpio_api(port);
  return api->manage_callback != NULL ? api->manage_callback(port, callback, true) : -ENOSYS;
}

/**
 * Unregister @p callback.
 *
 * @retval 0 removed
 * @retval -EINVAL it was not registered
 * @retval -ENOSYS the driver has no interrupt support
 */
static inline int gpio_remove_callback(const struct device *port, struct gpio_callback *callback) {
  const struct gpio_driver_api *api = z_gpio_api(port);
  return api->manage_callback != NULL ? api->manage_callback(port, callback, false) : -ENOSYS;
}

/* ---- Whole port ---------------------------------------------------------------------------- */

/**
 * Physical levels of all pins of @p port.
 *
 * @pre any context
 * @retval 0 stored in @p value
 * @retval -EIO the controller reported an error
 */
static inline int gpio_port_get_raw(const struct device *port, gpio_port_value_t *value) {
  return z_gpio_api(port)->port_get_raw(port, value);
}

/** Logical levels of all pins (active-low pins inverted). @retval 0 / -EIO as gpio_port_get_raw */
static inline int gpio_port_get(const struct device *port, gpio_port_value_t *value) {
  const struct gpio_driver_data *data = (const struct gpio_driver_data *)port->data;
  int ret = gpio_port_get_raw(port, value);
  if (ret == 0) {
    *value ^= data->invert;
  }
  return ret;
}

/**
 * Set the physical levels of the pins in @p mask to the matching bits of @p value.
 *
 * @pre any context
 * @retval 0 done
 * @retval -EIO the controller reported an error
 */
static inline int gpio_port_set_masked_raw(const struct device *port, gpio_port_pins_t mask,
                                           gpio_port_value_t value) {
  return z_gpio_api(port)->port_set_masked_raw(port, mask, value);
}

/** Logical gpio_port_set_masked_raw(). @retval 0 / -EIO */
static inline int gpio_port_set_masked(const struct device *port, gpio_port_pins_t mask,
                                       gpio_port_value_t value) {
  const struct gpio_driver_data *data = (const struct gpio_driver_data *)port->data;
  return gpio_port_set_masked_raw(port, mask, value ^ data->invert);
}

/** Drive the pins in @p pins high. @retval 0 / -EIO */
static inline int gpio_port_set_bits_raw(const struct device *port, gpio_port_pins_t pins) {
  return z_gpio_api(port)->port_set_bits_raw(port, pins);
}

/** Make the pins in @p pins active. @retval 0 / -EIO */
static inline int gpio_port_set_bits(const struct device *port, gpio_port_pins_t pins) {
  return gpio_port_set_masked(port, pins, pins);
}

/** Drive the pins in @p pins low. @retval 0 / -EIO */
static inline int gpio_port_clear_bits_raw(const struct device *port, gpio_port_pins_t pins) {
  return z_gpio_api(port)->port_clear_bits_raw(port, pins);
}

/** Make the pins in @p pins inactive. @retval 0 / -EIO */
static inline int gpio_port_clear_bits(const struct device *port, gpio_port_pins_t pins) {
  return gpio_port_set_masked(port, pins, 0);
}

/** Invert the levels of the pins in @p pins. @retval 0 / -EIO */
static inline int gpio_port_toggle_bits(const struct device *port, gpio_port_pins_t pins) {
  return z_gpio_api(port)->port_toggle_bits(port, pins);
}

/** Drive @p set_pins high and @p clear_pins low at once. @retval 0 / -EIO */
static inline int gpio_port_set_clr_bits_raw(const struct device *port, gpio_port_pins_t set_pins,
                                             gpio_port_pins_t clear_pins) {
  __ASSERT((set_pins & clear_pins) == 0U, "gpio_port_set_clr_bits_raw: pin both set and cleared");
  return gpio_port_set_masked_raw(port, set_pins | clear_pins, set_pins);
}

/** Make @p set_pins active and @p clear_pins inactive at once. @retval 0 / -EIO */
static inline int gpio_port_set_clr_bits(const struct device *port, gpio_port_pins_t set_pins,
                                         gpio_port_pins_t clear_pins) {
  __ASSERT((set_pins & clear_pins) == 0U, "gpio_port_set_clr_bits: pin both set and cleared");
  return gpio_port_set_masked(port, set_pins | clear_pins, set_pins);
}

/* ---- One pin ------------------------------------------------------------------------------- */

/**
 * Physical level of one pin.
 *
 * @pre any context
 * @retval 1 high
 * @retval 0 low
 * @retval -EIO the controller reported an error
 */
static inline int gpio_pin_get_raw(const struct device *port, gpio_pin_t pin) {
  gpio_port_value_t value;
  int ret = gpio_port_get_raw(port, &value);
  return ret == 0 ? (int)((value & BIT(pin)) != 0U) : ret;
}

/** Logical level of one pin. @retval 1 active @retval 0 inactive @retval -EIO */
static inline int gpio_pin_get(const struct device *port, gpio_pin_t pin) {
  gpio_port_value_t value;
  int ret = gpio_port_get(port, &value);
  return ret == 0 ? (int)((value & BIT(pin)) != 0U) : ret;
}

/** gpio_pin_get_raw() for the spec's pin. */
static inline int gpio_pin_get_raw_dt(const struct gpio_dt_spec *spec) {
  return gpio_pin_get_raw(spec->port, spec->pin);
}

/** gpio_pin_get() for the spec's pin. */
static inline int gpio_pin_get_dt(const struct gpio_dt_spec *spec) {
  return gpio_pin_get(spec->port, spec->pin);
}

/** Drive one pin high (@p value != 0) or low. @pre any context @retval 0 / -EIO */
static inline int gpio_pin_set_raw(const struct device *port, gpio_pin_t pin, int value) {
  const gpio_port_pins_t pins = (gpio_port_pins_t)BIT(pin);
  return value != 0 ? gpio_port_set_bits_raw(port, pins) : gpio_port_clear_bits_raw(port, pins);
}

/** Make one pin active (@p value != 0) or inactive. @pre any context @retval 0 / -EIO */
static inline int gpio_pin_set(const struct device *port, gpio_pin_t pin, int value) {
  const struct gpio_driver_data *data = (const struct gpio_driver_data *)port->data;
  if ((data->invert & BIT(pin)) != 0U) {
    value = value != 0 ? 0 : 1;
  }
  return gpio_pin_set_raw(port, pin, value);
}

/** gpio_pin_set_raw() for the spec's pin. */
static inline int gpio_pin_set_raw_dt(const struct gpio_dt_spec *spec, int value) {
  return gpio_pin_set_raw(spec->port, spec->pin, value);
}

/** gpio_pin_set() for the spec's pin. */
static inline int gpio_pin_set_dt(const struct gpio_dt_spec *spec, int value) {
  return gpio_pin_set(spec->port, spec->pin, value);
}

/** Invert one pin's level. @pre any context @retval 0 / -EIO */
static inline int gpio_pin_toggle(const struct device *port, gpio_pin_t pin) {
  return gpio_port_toggle_bits(port, (gpio_port_pins_t)BIT(pin));
}

/** gpio_pin_toggle() for the spec's pin. */
static inline int gpio_pin_toggle_dt(const struct gpio_dt_spec *spec) {
  return gpio_pin_toggle(spec->port, spec->pin);
}

/**
 * Whether the spec's controller is ready.
 *
 * @retval true ready to use
 * @retval false not initialized or failed
 */
static inline bool gpio_is_ready_dt(const struct gpio_dt_spec *spec) {
  return device_is_ready(spec->port);
}

/* ---- Helpers for drivers with interrupts ---------------------------------------------------- */

/**
 * Add (@p set) or remove @p callback in a driver's callback list; a driver's manage_callback
 * can be just this.
 *
 * @retval 0 done
 * @retval -EINVAL removing a callback that is not in the list
 */
static inline int gpio_manage_callback(sys_slist_t *callbacks, struct gpio_callback *callback,
                                       bool set) {
  __ASSERT(callback != NULL && callback->handler != NULL, "gpio_manage_callback: uninitialized");
  bool found = sys_slist_find_and_remove(callbacks, &callback->node);
  if (set) {
    sys_slist_prepend(callbacks, &callback->node);
    return 0;
  }
  return found ? 0 : -EINVAL;
}

/** Run the callbacks of @p callbacks that want any of @p pins. @pre ISR of the controller */
static inline void gpio_fire_callbacks(sys_slist_t *callbacks, const struct device *port,
                                       gpio_port_pins_t pins) {
  sys_snode_t *node = sys_slist_peek_head(callbacks);
  while (node != NULL) {
    /* The handler may remove its own callback: step before calling it. */
    sys_snode_t *next = sys_slist_peek_next(node);
    struct gpio_callback *cb = CONTAINER_OF(node, struct gpio_callback, node);
    if ((cb->pin_mask & pins) != 0U) {
      cb->handler(port, cb, cb->pin_mask & pins);
    }
    node = next;
  }
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_DRIVERS_GPIO_H_ */
