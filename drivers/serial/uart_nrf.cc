// Nordic nRF51 UART (and the legacy UART of the nRF52), polled (nRF51 Series Reference Manual,
// chapter "UART"). One byte at a time through TXD and RXD; each transfer is acknowledged by an
// event register (TXDRDY, RXDRDY) that software clears. QEMU's microbit machine emulates it.
#define DT_DRV_COMPAT nordic_nrf_uart

#include <gale/arch.h>
#include <gale/device.h>
#include <gale/drivers/uart.h>

#include "nrf_baudrate.h"

namespace {

constexpr uintptr_t kTasksStartRx = 0x000;
constexpr uintptr_t kTasksStartTx = 0x008;
constexpr uintptr_t kEventsRxdRdy = 0x108;
constexpr uintptr_t kEventsTxdRdy = 0x11C;
constexpr uintptr_t kEventsError = 0x124;
constexpr uintptr_t kErrorSrc = 0x480;
constexpr uintptr_t kEnable = 0x500;
constexpr uintptr_t kPselRts = 0x508;
constexpr uintptr_t kPselTxd = 0x50C;
constexpr uintptr_t kPselCts = 0x510;
constexpr uintptr_t kPselRxd = 0x514;
constexpr uintptr_t kRxd = 0x518;
constexpr uintptr_t kTxd = 0x51C;
constexpr uintptr_t kBaudrate = 0x524;
constexpr uintptr_t kConfig = 0x56C;

constexpr uint32_t kEnableUart = 4;
constexpr uint32_t kPselDisconnected = 0xFFFFFFFFU;
// The TXDRDY of a byte comes after about ten bit times; at 1200 bit/s that is 8 ms. A wait far
// beyond that means the peripheral is not transmitting (not clocked, or disabled by someone):
// drop the byte rather than hang the caller.
constexpr uint32_t kTxWaitLoops = 2000000;

struct Config {
  uintptr_t base;
  uint32_t baudrate;
  uint32_t tx_pin;
  uint32_t rx_pin;
};

volatile uint32_t &Reg(const device *dev, uintptr_t offset) {
  auto *config = static_cast<const Config *>(dev->config);
  return *reinterpret_cast<volatile uint32_t *>(config->base + offset);
}

int Init(const device *dev) {
  auto *config = static_cast<const Config *>(dev->config);
  Reg(dev, kEnable) = 0;
  Reg(dev, kPselTxd) = config->tx_pin;
  Reg(dev, kPselRxd) = config->rx_pin;
  Reg(dev, kPselRts) = kPselDisconnected;
  Reg(dev, kPselCts) = kPselDisconnected;
  Reg(dev, kBaudrate) = gale::drivers::nrf::BaudrateValue(config->baudrate);
  Reg(dev, kConfig) = 0;  // no parity, no flow control
  Reg(dev, kEnable) = kEnableUart;
  Reg(dev, kEventsTxdRdy) = 0;
  Reg(dev, kEventsRxdRdy) = 0;
  Reg(dev, kTasksStartTx) = 1;
  Reg(dev, kTasksStartRx) = 1;
  return 0;
}

int PollIn(const device *dev, unsigned char *c) {
  if (Reg(dev, kEventsRxdRdy) == 0U) {
    return -1;
  }
  // Clear the event before reading RXD: the read moves the next byte of the receive FIFO into
  // RXD and raises RXDRDY again.
  Reg(dev, kEventsRxdRdy) = 0;
  *c = static_cast<unsigned char>(Reg(dev, kRxd));
  return 0;
}

void PollOut(const device *dev, unsigned char c) {
  // One byte in flight: the lock keeps another thread's byte from overwriting TXD, or taking
  // this byte's TXDRDY, between the write and the event.
  unsigned int key = arch_irq_lock();
  Reg(dev, kEventsTxdRdy) = 0;
  Reg(dev, kTxd) = c;
  for (uint32_t i = 0; i < kTxWaitLoops && Reg(dev, kEventsTxdRdy) == 0U; i++) {
  }
  arch_irq_unlock(key);
}

int ErrCheck(const device *dev) {
  if (Reg(dev, kEventsError) == 0U) {
    return 0;
  }
  Reg(dev, kEventsError) = 0;
  uint32_t source = Reg(dev, kErrorSrc);
  Reg(dev, kErrorSrc) = source;  // write 1 to clear
  return gale::drivers::nrf::UartErrors(source);
}

const uart_driver_api kApi = {
    .poll_in = PollIn,
    .poll_out = PollOut,
    .err_check = ErrCheck,
    .configure = nullptr,
    .config_get = nullptr,
};

}  // namespace

#define UART_NRF_DEFINE(n)                                                                   \
  static_assert(gale::drivers::nrf::BaudrateValue(DT_INST_PROP(n, current_speed)) != 0,      \
                "nordic,nrf-uart: current-speed is not a rate the BAUDRATE register offers " \
                "(1200 ... 1000000, e.g. 9600, 115200)");                                    \
  static const Config config_##n = {                                                         \
      .base = DT_INST_REG_ADDR(n),                                                           \
      .baudrate = DT_INST_PROP(n, current_speed),                                            \
      .tx_pin = DT_INST_PROP(n, tx_pin),                                                     \
      .rx_pin = DT_INST_PROP(n, rx_pin),                                                     \
  };                                                                                         \
  DEVICE_DT_INST_DEFINE(n, Init, NULL, NULL, &config_##n, PRE_KERNEL_1,                      \
                        CONFIG_SERIAL_INIT_PRIORITY, &kApi);

DT_INST_FOREACH_STATUS_OKAY(UART_NRF_DEFINE)
