// SiFive GPIO controller (FE310-G002 manual, chapter "General Purpose Input/Output Controller"):
// 32 pins with input value, input enable, output enable, output value, pull-up enable and
// output XOR registers, one bit per pin. No pin interrupts (each pin is its own PLIC source,
// which this driver does not connect). QEMU's sifive_e models the same registers.
#define DT_DRV_COMPAT sifive_gpio0

#include <gale/device.h>
#include <gale/drivers/gpio.h>
#include <gale/irq.h>

namespace {

constexpr uintptr_t kInputVal = 0x00;
constexpr uintptr_t kInputEn = 0x04;
constexpr uintptr_t kOutputEn = 0x08;
constexpr uintptr_t kOutputVal = 0x0C;
constexpr uintptr_t kPue = 0x10;
constexpr uintptr_t kIofEn = 0x38;
constexpr uintptr_t kOutXor = 0x40;

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

void SetBit(const device *port, uintptr_t offset, gpio_pin_t pin, bool on) {
  uint32_t value = Reg(port, offset);
  Reg(port, offset) = on ? value | (1U << pin) : value & ~(1U << pin);
}

int PinConfigure(const device *port, gpio_pin_t pin, gpio_flags_t flags) {
  if ((flags & GPIO_SINGLE_ENDED) != 0U || (flags & GPIO_PULL_DOWN) != 0U) {
    return -ENOTSUP;  // push-pull outputs and pull-ups only
  }
  unsigned int key = irq_lock();
  // The pin leaves any I/O function (UART, PWM) for plain GPIO; the initial level goes in
  // before the output driver turns on.
  SetBit(port, kIofEn, pin, false);
  SetBit(port, kOutXor, pin, false);
  if ((flags & GPIO_OUTPUT_INIT_HIGH) != 0U) {
    SetBit(port, kOutputVal, pin, true);
  } else if ((flags & GPIO_OUTPUT_INIT_LOW) != 0U) {
    SetBit(port, kOutputVal, pin, false);
  }
  SetBit(port, kPue, pin, (flags & GPIO_PULL_UP) != 0U);
  SetBit(port, kInputEn, pin, (flags & GPIO_INPUT) != 0U);
  SetBit(port, kOutputEn, pin, (flags & GPIO_OUTPUT) != 0U);
  irq_unlock(key);
  return 0;
}

int PortGetRaw(const device *port, gpio_port_value_t *value) {
  *value = Reg(port, kInputVal);
  return 0;
}

int PortSetMaskedRaw(const device *port, gpio_port_pins_t mask, gpio_port_value_t value) {
  unsigned int key = irq_lock();
  Reg(port, kOutputVal) = (Reg(port, kOutputVal) & ~mask) | (value & mask);
  irq_unlock(key);
  return 0;
}

int PortSetBitsRaw(const device *port, gpio_port_pins_t pins) {
  return PortSetMaskedRaw(port, pins, pins);
}

int PortClearBitsRaw(const device *port, gpio_port_pins_t pins) {
  return PortSetMaskedRaw(port, pins, 0);
}

int PortToggleBits(const device *port, gpio_port_pins_t pins) {
  unsigned int key = irq_lock();
  Reg(port, kOutputVal) = Reg(port, kOutputVal) ^ pins;
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

#define GPIO_SIFIVE_DEFINE(n)                                                \
  static const Config config_##n = {                                         \
      .common = {.port_pin_mask = GPIO_PORT_PIN_MASK_FROM_DT_INST(n)},       \
      .base = DT_INST_REG_ADDR(n),                                           \
  };                                                                         \
  static Data data_##n;                                                      \
  DEVICE_DT_INST_DEFINE(n, NULL, NULL, &data_##n, &config_##n, PRE_KERNEL_1, \
                        CONFIG_GPIO_INIT_PRIORITY, &kApi);

DT_INST_FOREACH_STATUS_OKAY(GPIO_SIFIVE_DEFINE)
