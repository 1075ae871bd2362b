// Nordic nRF51/nRF52 GPIO port (nRF51 Series Reference Manual and nRF52840 Product
// Specification, chapter "GPIO"): up to 32 pins, one PIN_CNF register per pin (direction, input
// buffer, pull, drive), and OUTSET/OUTCLR registers that change pins without a read-modify-write.
// No pin interrupts (they go through GPIOTE, which this driver does not drive).
#define DT_DRV_COMPAT nordic_nrf_gpio

#include <gale/device.h>
#include <gale/drivers/gpio.h>
#include <gale/irq.h>

namespace {

constexpr uintptr_t kOut = 0x504;
constexpr uintptr_t kOutSet = 0x508;
constexpr uintptr_t kOutClr = 0x50C;
constexpr uintptr_t kIn = 0x510;
constexpr uintptr_t kPinCnf = 0x700;

// PIN_CNF fields.
constexpr uint32_t kDirOutput = 1U << 0;
constexpr uint32_t kInputDisconnect = 1U << 1;
constexpr uint32_t kPullDown = 1U << 2;
constexpr uint32_t kPullUp = 3U << 2;
constexpr uint32_t kDriveS0S1 = 0U << 8;  // standard drive for 0 and 1
constexpr uint32_t kDriveD0S1 = 4U << 8;  // disconnect 0, standard 1: open source
constexpr uint32_t kDriveS0D1 = 6U << 8;  // standard 0, disconnect 1: open drain

struct Config {
  gpio_driver_config common;  // first, as gpio.h requires
  uintptr_t base;
};

struct Data {
  gpio_driver_data common;  // first, as gpio.h requires
};

volatile uint32_t &Reg(const device *port, uintptr_t offset) {
  return *reinterpret_cast<volatile uint32_t *>(static_cast<const Config *>(port->config)->base +
                                                offset);
}

int PinConfigure(const device *port, gpio_pin_t pin, gpio_flags_t flags) {
  uint32_t cnf = 0;
  if ((flags & GPIO_OUTPUT) != 0U) {
    cnf |= kDirOutput;
  }
  if ((flags & GPIO_INPUT) == 0U) {
    cnf |= kInputDisconnect;  // the input buffer off: no leakage through a floating input
  }
  if ((flags & GPIO_PULL_UP) != 0U) {
    cnf |= kPullUp;
  } else if ((flags & GPIO_PULL_DOWN) != 0U) {
    cnf |= kPullDown;
  }
  if ((flags & GPIO_SINGLE_ENDED) != 0U) {
    cnf |= (flags & GPIO_LINE_OPEN_DRAIN) != 0U ? kDriveS0D1 : kDriveD0S1;
  } else {
    cnf |= kDriveS0S1;
  }
  // The initial level goes into OUT before the output driver turns on, so the pin never
  // glitches to the old level.
  if ((flags & GPIO_OUTPUT_INIT_HIGH) != 0U) {
    Reg(port, kOutSet) = 1U << pin;
  } else if ((flags & GPIO_OUTPUT_INIT_LOW) != 0U) {
    Reg(port, kOutClr) = 1U << pin;
  }
  Reg(port, kPinCnf + 4U * pin) = cnf;
  return 0;
}

int PortGetRaw(const device *port, gpio_port_value_t *value) {
  *value = Reg(port, kIn);
  return 0;
}

int PortSetMaskedRaw(const device *port, gpio_port_pins_t mask, gpio_port_value_t value) {
  // Two writes: in between, the set pins already have their new level and the cleared ones
  // not yet, which no caller of a masked write can tell from a slower port.
  Reg(port, kOutSet) = value & mask;
  Reg(port, kOutClr) = ~value & mask;
  return 0;
}

int PortSetBitsRaw(const device *port, gpio_port_pins_t pins) {
  Reg(port, kOutSet) = pins;
  return 0;
}

int PortClearBitsRaw(const device *port, gpio_port_pins_t pins) {
  Reg(port, kOutClr) = pins;
  return 0;
}

int PortToggleBits(const device *port, gpio_port_pins_t pins) {
  unsigned int key = irq_lock();
  const uint32_t out = Reg(port, kOut);
  Reg(port, kOutSet) = ~out & pins;
  Reg(port, kOutClr) = out & pins;
  irq_unlock(key);
  return 0;
}

const gpio_driver_api kApi = {
    .pin_configure = PinConfigure,
    .port_get_raw = PortGetRaw,
    .port_set_masked_raw = PortSetMaskedRaw,
    .port_set_bits_raw = PortSetBitsRaw,
    .port_clear_bits_raw = PortClearBitsRaw,
    .port_toggle_bits = PortToggleBits,
    .pin_interrupt_configure = nullptr,
    .manage_callback = nullptr,
};

}  // namespace

#define GPIO_NRF_DEFINE(n)                                                   \
  static const Config config_##n = {                                         \
      .common = {.port_pin_mask = GPIO_PORT_PIN_MASK_FROM_DT_INST(n)},       \
      .base = DT_INST_REG_ADDR(n),                                           \
  };                                                                         \
  static Data data_##n;                                                      \
  DEVICE_DT_INST_DEFINE(n, NULL, NULL, &data_##n, &config_##n, PRE_KERNEL_1, \
                        CONFIG_GPIO_INIT_PRIORITY, &kApi);

DT_INST_FOREACH_STATUS_OKAY(GPIO_NRF_DEFINE)
