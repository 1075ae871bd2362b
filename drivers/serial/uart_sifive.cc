// SiFive UART, polled (FE310-G002 manual, chapter "Universal Asynchronous Receiver/Transmitter"):
// txdata at 0x00 (bit 31: FIFO full), rxdata at 0x04 (bit 31: FIFO empty), txctrl/rxctrl enable
// bits at 0x08/0x0C, baud divisor at 0x18 (baud = clock / (div + 1)). QEMU's sifive_e models
// the same registers.
#define DT_DRV_COMPAT sifive_uart0

#include <gale/device.h>
#include <gale/drivers/uart.h>

namespace {

constexpr uintptr_t kTxdata = 0x00;
constexpr uintptr_t kRxdata = 0x04;
constexpr uintptr_t kTxctrl = 0x08;
constexpr uintptr_t kRxctrl = 0x0C;
constexpr uintptr_t kIe = 0x10;
constexpr uintptr_t kDiv = 0x18;

constexpr uint32_t kFull = 1U << 31;
constexpr uint32_t kEmpty = 1U << 31;
constexpr uint32_t kEnable = 1U << 0;

struct Config {
  uintptr_t base;
  uint32_t baudrate;
  uint32_t clock_hz;
};

volatile uint32_t &Reg(const device *dev, uintptr_t offset) {
  auto *config = static_cast<const Config *>(dev->config);
  return *reinterpret_cast<volatile uint32_t *>(config->base + offset);
}

int Init(const device *dev) {
  auto *config = static_cast<const Config *>(dev->config);
  Reg(dev, kIe) = 0;
  Reg(dev, kDiv) = (config->clock_hz + config->baudrate / 2U) / config->baudrate - 1U;
  Reg(dev, kTxctrl) = kEnable;  // one stop bit, watermark 0
  Reg(dev, kRxctrl) = kEnable;
  return 0;
}

int PollIn(const device *dev, unsigned char *c) {
  uint32_t rx = Reg(dev, kRxdata);  // one read: it pops the FIFO
  if ((rx & kEmpty) != 0U) {
    return -1;
  }
  *c = static_cast<unsigned char>(rx);
  return 0;
}

void PollOut(const device *dev, unsigned char c) {
  while ((Reg(dev, kTxdata) & kFull) != 0U) {
  }
  Reg(dev, kTxdata) = c;
}

const uart_driver_api kApi = {
    .poll_in = PollIn,
    .poll_out = PollOut,
    .err_check = nullptr,
    .configure = nullptr,
    .config_get = nullptr,
};

}  // namespace

#define UART_SIFIVE_DEFINE(n)                                           \
  static const Config config_##n = {                                    \
      .base = DT_INST_REG_ADDR(n),                                      \
      .baudrate = DT_INST_PROP(n, current_speed),                       \
      .clock_hz = DT_INST_PROP(n, clock_frequency),                     \
  };                                                                    \
  DEVICE_DT_INST_DEFINE(n, Init, NULL, NULL, &config_##n, PRE_KERNEL_1, \
                        CONFIG_SERIAL_INIT_PRIORITY, &kApi);

DT_INST_FOREACH_STATUS_OKAY(UART_SIFIVE_DEFINE)
