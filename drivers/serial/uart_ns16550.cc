// NS16550-compatible UART, polled (the 16550 register set: receive/transmit buffer at 0, line
// control at 3, line status at 5, divisor latch at 0/1 while LCR.DLAB is set). Registers are
// 1 << reg-shift bytes apart. QEMU's virt machine has one at 0x10000000 (reg-shift 0).
#define DT_DRV_COMPAT ns16550

#include <gale/device.h>
#include <gale/drivers/uart.h>

namespace {

constexpr unsigned kRbrThr = 0;  // receive buffer / transmit holding; DLL with DLAB
constexpr unsigned kIer = 1;     // interrupt enable; DLM with DLAB
constexpr unsigned kFcr = 2;     // FIFO control (write)
constexpr unsigned kLcr = 3;     // line control
constexpr unsigned kMcr = 4;     // modem control
constexpr unsigned kLsr = 5;     // line status

constexpr uint8_t kLcrDlab = 0x80;
constexpr uint8_t kLcr8N1 = 0x03;
constexpr uint8_t kFcrEnableReset = 0x07;  // FIFOs on, both cleared
constexpr uint8_t kMcrDtrRts = 0x03;
constexpr uint8_t kLsrDr = 0x01;    // data ready
constexpr uint8_t kLsrOe = 0x02;    // overrun
constexpr uint8_t kLsrPe = 0x04;    // parity error
constexpr uint8_t kLsrFe = 0x08;    // framing error
constexpr uint8_t kLsrBi = 0x10;    // break
constexpr uint8_t kLsrThre = 0x20;  // transmit holding register empty

struct Config {
  uintptr_t base;
  uint32_t shift;
  uint32_t baudrate;
  uint32_t clock_hz;
};

volatile uint8_t &Reg(const device *dev, unsigned reg) {
  auto *config = static_cast<const Config *>(dev->config);
  return *reinterpret_cast<volatile uint8_t *>(config->base + (reg << config->shift));
}

int Init(const device *dev) {
  auto *config = static_cast<const Config *>(dev->config);
  Reg(dev, kIer) = 0;
  // Divisor = clock / (16 * baud), rounded.
  uint32_t divisor = (config->clock_hz + 8U * config->baudrate) / (16U * config->baudrate);
  Reg(dev, kLcr) = kLcrDlab;
  Reg(dev, kRbrThr) = static_cast<uint8_t>(divisor);
  Reg(dev, kIer) = static_cast<uint8_t>(divisor >> 8);
  Reg(dev, kLcr) = kLcr8N1;
  Reg(dev, kFcr) = kFcrEnableReset;
  Reg(dev, kMcr) = kMcrDtrRts;
  return 0;
}

int PollIn(const device *dev, unsigned char *c) {
  if ((Reg(dev, kLsr) & kLsrDr) == 0U) {
    return -1;
  }
  *c = Reg(dev, kRbrThr);
  return 0;
}

void PollOut(const device *dev, unsigned char c) {
  while ((Reg(dev, kLsr) & kLsrThre) == 0U) {
  }
  Reg(dev, kRbrThr) = c;
}

int ErrCheck(const device *dev) {
  uint8_t lsr = Reg(dev, kLsr);  // reading clears the error bits
  int errors = 0;
  errors |= (lsr & kLsrOe) != 0U ? UART_ERROR_OVERRUN : 0;
  errors |= (lsr & kLsrPe) != 0U ? UART_ERROR_PARITY : 0;
  errors |= (lsr & kLsrFe) != 0U ? UART_ERROR_FRAMING : 0;
  errors |= (lsr & kLsrBi) != 0U ? UART_BREAK : 0;
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

#define UART_NS16550_DEFINE(n)                                          \
  static const Config config_##n = {                                    \
      .base = DT_INST_REG_ADDR(n),                                      \
      .shift = DT_INST_PROP(n, reg_shift),                              \
      .baudrate = DT_INST_PROP(n, current_speed),                       \
      .clock_hz = DT_INST_PROP(n, clock_frequency),                     \
  };                                                                    \
  DEVICE_DT_INST_DEFINE(n, Init, NULL, NULL, &config_##n, PRE_KERNEL_1, \
                        CONFIG_SERIAL_INIT_PRIORITY, &kApi);

DT_INST_FOREACH_STATUS_OKAY(UART_NS16550_DEFINE)
