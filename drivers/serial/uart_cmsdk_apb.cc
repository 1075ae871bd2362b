// Arm CMSDK APB UART, polled (Cortex-M System Design Kit Technical Reference Manual, "APB
// UART"), as on the MPS2 FPGA images and QEMU's mps2-an385.
#define DT_DRV_COMPAT arm_cmsdk_uart

#include <gale/device.h>
#include <gale/drivers/uart.h>

namespace {

constexpr uintptr_t kData = 0x00;
constexpr uintptr_t kState = 0x04;
constexpr uintptr_t kCtrl = 0x08;
constexpr uintptr_t kBauddiv = 0x10;

constexpr uint32_t kStateTxFull = 1U << 0;
constexpr uint32_t kStateRxFull = 1U << 1;
constexpr uint32_t kStateTxOverrun = 1U << 2;
constexpr uint32_t kStateRxOverrun = 1U << 3;
constexpr uint32_t kCtrlTxEn = 1U << 0;
constexpr uint32_t kCtrlRxEn = 1U << 1;

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
  uint32_t divisor = config->clock_hz / config->baudrate;
  // The hardware needs a divisor of at least 16.
  Reg(dev, kBauddiv) = divisor < 16U ? 16U : divisor;
  Reg(dev, kCtrl) = kCtrlTxEn | kCtrlRxEn;
  return 0;
}

int PollIn(const device *dev, unsigned char *c) {
  if ((Reg(dev, kState) & kStateRxFull) == 0U) {
    return -1;
  }
  *c = static_cast<unsigned char>(Reg(dev, kData));
  return 0;
}

void PollOut(const device *dev, unsigned char c) {
  while ((Reg(dev, kState) & kStateTxFull) != 0U) {
  }
  Reg(dev, kData) = c;
}

int ErrCheck(const device *dev) {
  uint32_t state = Reg(dev, kState);
  if ((state & (kStateTxOverrun | kStateRxOverrun)) == 0U) {
    return 0;
  }
  Reg(dev, kState) = state & (kStateTxOverrun | kStateRxOverrun);  // write 1 to clear
  return UART_ERROR_OVERRUN;
}

const uart_driver_api kApi = {
    .poll_in = PollIn,
    .poll_out = PollOut,
    .err_check = ErrCheck,
    .configure = nullptr,
    .config_get = nullptr,
};

}  // namespace

#define UART_CMSDK_APB_DEFINE(n)                                        \
  static const Config config_##n = {                                    \
      .base = DT_INST_REG_ADDR(n),                                      \
      .baudrate = DT_INST_PROP(n, current_speed),                       \
      .clock_hz = CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC,                   \
  };                                                                    \
  DEVICE_DT_INST_DEFINE(n, Init, NULL, NULL, &config_##n, PRE_KERNEL_1, \
                        CONFIG_SERIAL_INIT_PRIORITY, &kApi);

DT_INST_FOREACH_STATUS_OKAY(UART_CMSDK_APB_DEFINE)
