// STM32F4 GPIO port (RM0090 / RM0368, chapter "General-purpose I/Os"): 16 pins, mode, output
// type, speed and pull per pin, input data, output data and an atomic bit set/reset register.
// No pin interrupts (they go through EXTI and SYSCFG, which this driver does not drive).
#define DT_DRV_COMPAT st_stm32_gpio

#include <stm32f4_soc.h>

#include <gale/device.h>
#include <gale/drivers/gpio.h>
#include <gale/irq.h>

namespace {

constexpr uintptr_t kModer = 0x00;
constexpr uintptr_t kOtyper = 0x04;
constexpr uintptr_t kOspeedr = 0x08;
constexpr uintptr_t kPupdr = 0x0C;
constexpr uintptr_t kIdr = 0x10;
constexpr uintptr_t kOdr = 0x14;
constexpr uintptr_t kBsrr = 0x18;

constexpr uint32_t kModeInput = 0;
constexpr uint32_t kModeOutput = 1;
constexpr uint32_t kModeAnalog = 3;
constexpr uint32_t kPullUp = 1;
constexpr uint32_t kPullDown = 2;
constexpr uint32_t kSpeedMedium = 1;

struct Config {
  gpio_driver_config common;  // first, as gpio.h requires
  uintptr_t base;
  uint32_t bus;
  uint32_t bit;
};

struct Data {
  gpio_driver_data common;  // first, as gpio.h requires
};

volatile uint32_t &Reg(const device *port, uintptr_t offset) {
  return *reinterpret_cast<volatile uint32_t *>(static_cast<const Config *>(port->config)->base +
                                                offset);
}

void SetField2(const device *port, uintptr_t offset, gpio_pin_t pin, uint32_t value) {
  const uint32_t shift = pin * 2U;
  Reg(port, offset) = (Reg(port, offset) & ~(3U << shift)) | (value << shift);
}

int PinConfigure(const device *port, gpio_pin_t pin, gpio_flags_t flags) {
  if ((flags & GPIO_SINGLE_ENDED) != 0U && (flags & GPIO_LINE_OPEN_DRAIN) == 0U) {
    return -ENOTSUP;  // open source: the output stage drives both rails or pulls low only
  }
  uint32_t mode;
  if ((flags & GPIO_OUTPUT) != 0U) {
    mode = kModeOutput;
  } else if ((flags & GPIO_INPUT) != 0U) {
    mode = kModeInput;
  } else {
    mode = kModeAnalog;  // disconnected: the input buffer off, lowest leakage
  }
  uint32_t pull = 0;
  if ((flags & GPIO_PULL_UP) != 0U) {
    pull = kPullUp;
  } else if ((flags & GPIO_PULL_DOWN) != 0U) {
    pull = kPullDown;
  }
  unsigned int key = irq_lock();
  // The initial level goes into ODR before the output driver turns on, so the pin never
  // glitches to the old level.
  if ((flags & GPIO_OUTPUT_INIT_HIGH) != 0U) {
    Reg(port, kBsrr) = 1U << pin;
  } else if ((flags & GPIO_OUTPUT_INIT_LOW) != 0U) {
    Reg(port, kBsrr) = 1U << (pin + 16U);
  }
  const bool open_drain = (flags & GPIO_SINGLE_ENDED) != 0U;
  Reg(port, kOtyper) = (Reg(port, kOtyper) & ~(1U << pin)) | (open_drain ? 1U << pin : 0U);
  SetField2(port, kOspeedr, pin, kSpeedMedium);
  SetField2(port, kPupdr, pin, pull);
  SetField2(port, kModer, pin, mode);
  irq_unlock(key);
  return 0;
}

int PortGetRaw(const device *port, gpio_port_value_t *value) {
  *value = Reg(port, kIdr) & 0xFFFFU;
  return 0;
}

int PortSetMaskedRaw(const device *port, gpio_port_pins_t mask, gpio_port_value_t value) {
  mask &= 0xFFFFU;
  // BSRR: set bits in the low half, reset bits in the high half, in one write.
  Reg(port, kBsrr) = (value & mask) | ((~value & mask) << 16U);
  return 0;
}

int PortSetBitsRaw(const device *port, gpio_port_pins_t pins) {
  Reg(port, kBsrr) = pins & 0xFFFFU;
  return 0;
}

int PortClearBitsRaw(const device *port, gpio_port_pins_t pins) {
  Reg(port, kBsrr) = (pins & 0xFFFFU) << 16U;
  return 0;
}

int PortToggleBits(const device *port, gpio_port_pins_t pins) {
  unsigned int key = irq_lock();
  const uint32_t odr = Reg(port, kOdr);
  pins &= 0xFFFFU;
  Reg(port, kBsrr) = (~odr & pins) | ((odr & pins) << 16U);
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

int Init(const device *port) {
  auto *config = static_cast<const Config *>(port->config);
  return stm32_clock_enable(config->bus, config->bit);
}

}  // namespace

#define GPIO_STM32_DEFINE(n)                                                 \
  static const Config config_##n = {                                         \
      .common = {.port_pin_mask = GPIO_PORT_PIN_MASK_FROM_DT_INST(n)},       \
      .base = DT_INST_REG_ADDR(n),                                           \
      .bus = DT_INST_PHA(n, clocks, bus),                                    \
      .bit = DT_INST_PHA(n, clocks, bits),                                   \
  };                                                                         \
  static Data data_##n;                                                      \
  DEVICE_DT_INST_DEFINE(n, Init, NULL, &data_##n, &config_##n, PRE_KERNEL_1, \
                        CONFIG_GPIO_INIT_PRIORITY, &kApi);

DT_INST_FOREACH_STATUS_OKAY(GPIO_STM32_DEFINE)
