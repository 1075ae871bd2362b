// TI Stellaris (LM3S) UART, polled (LM3S6965 datasheet, chapter "Universal Asynchronous
// Receivers/Transmitters"). QEMU's lm3s6965evb emulates the same register set.
#define DT_DRV_COMPAT ti_stellaris_uart

#include <gale/device.h>
#include <gale/drivers/uart.h>

namespace {

constexpr uintptr_t kDr = 0x000;    // data
constexpr uintptr_t kRsr = 0x004;   // receive status / error clear
constexpr uintptr_t kFr = 0x018;    // flags
constexpr uintptr_t kIbrd = 0x024;  // integer baud-rate divisor
constexpr uintptr_t kFbrd = 0x028;  // fractional baud-rate divisor (1/64)
constexpr uintptr_t kLcrh = 0x02C;  // line control
constexpr uintptr_t kCtl = 0x030;   // control

constexpr uint32_t kFrRxfe = 1U << 4;  // receive FIFO empty
constexpr uint32_t kFrTxff = 1U << 5;  // transmit FIFO full
constexpr uint32_t kLcrhFen = 1U << 4;
constexpr uint32_t kLcrhWlen8 = 3U << 5;
constexpr uint32_t kCtlUarten = 1U << 0;
constexpr uint32_t kCtlTxe = 1U << 8;
constexpr uint32_t kCtlRxe = 1U << 9;
constexpr uint32_t kRsrErrors = 0xF;  // framing, parity, break, overrun

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
  Reg(dev, kCtl) = 0;
  // Divisor = clock / (16 * baud) in 16.6 fixed point, rounded: clock * 4 / baud.
  uint32_t divisor = (config->clock_hz * 4U + config->baudrate / 2U) / config->baudrate;
  Reg(dev, kIbrd) = divisor >> 6;
  Reg(dev, kFbrd) = divisor & 0x3FU;
  Reg(dev, kLcrh) = kLcrhWlen8 | kLcrhFen;  // 8N1, FIFOs on
  Reg(dev, kCtl) = kCtlUarten | kCtlTxe | kCtlRxe;
  return 0;
}

int PollIn(const device *dev, unsigned char *c) {
  if ((Reg(dev, kFr) & kFrRxfe) != 0U) {
    return -1;
  }
  *c = static_cast<unsigned char>(Reg(dev, kDr));
  return 0;
}

void PollOut(const device *dev, unsigned char c) {
  while ((Reg(dev, kFr) & kFrTxff) != 0U) {
  }
  Reg(dev, kDr) = c;
}

int ErrCheck(const device *dev) {
  uint32_t rsr = Reg(dev, kRsr) & kRsrErrors;
  Reg(dev, kRsr) = 0;  // any write clears the error bits
  int errors = 0;
  errors |= (rsr & (1U << 0)) != 0U ? UART_ERROR_FRAMING : 0;
  errors |= (rsr & (1U << 1)) != 0U ? UART_ERROR_PARITY : 0;
  errors |= (rsr & (1U << 2)) != 0U ? UART_BREAK : 0;
  errors |= (rsr & (1U << 3)) != 0U ? UART_ERROR_OVERRUN : 0;
  return errors;
}

const uart_driver_api kApi = {
    .poll_in = PollIn,
    .poll_out = PollOut,
    .err_check = ErrCheck,
    .configure = nullptr,
    .config_get = nullptr,
};

}  // namespace

#define UART_STELLARIS_DEFINE(n)                                        \
  static const Config config_##n = {                                    \
      .base = DT_INST_REG_ADDR(n),                                      \
      .baudrate = DT_INST_PROP(n, current_speed),                       \
      .clock_hz = CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC,                   \
  };                                                                    \
  DEVICE_DT_INST_DEFINE(n, Init, NULL, NULL, &config_##n, PRE_KERNEL_1, \
                        CONFIG_SERIAL_INIT_PRIORITY, &kApi);

DT_INST_FOREACH_STATUS_OKAY(UART_STELLARIS_DEFINE)
