// Nordic nRF52 UARTE: the UART with EasyDMA (nRF52840 Product Specification, chapter "UARTE").
// The peripheral reads what it sends from RAM and writes what it receives to RAM, so the polled
// API goes through one-byte buffers: poll_out starts a one-byte transmission from tx_byte and
// waits for ENDTX; reception runs continuously into rx_byte, and poll_in takes the byte when
// ENDRX says it arrived and starts the next reception.
#define DT_DRV_COMPAT nordic_nrf_uarte

#include <gale/arch.h>
#include <gale/device.h>
#include <gale/drivers/uart.h>

#include "nrf_baudrate.h"

namespace {

constexpr uintptr_t kTasksStartRx = 0x000;
constexpr uintptr_t kTasksStartTx = 0x008;
constexpr uintptr_t kTasksStopTx = 0x00C;
constexpr uintptr_t kEventsEndRx = 0x110;
constexpr uintptr_t kEventsEndTx = 0x120;
constexpr uintptr_t kEventsError = 0x124;
constexpr uintptr_t kEventsTxStopped = 0x158;
constexpr uintptr_t kErrorSrc = 0x480;
constexpr uintptr_t kEnable = 0x500;
constexpr uintptr_t kPselRts = 0x508;
constexpr uintptr_t kPselTxd = 0x50C;
constexpr uintptr_t kPselCts = 0x510;
constexpr uintptr_t kPselRxd = 0x514;
constexpr uintptr_t kBaudrate = 0x524;
constexpr uintptr_t kRxdPtr = 0x534;
constexpr uintptr_t kRxdMaxCnt = 0x538;
constexpr uintptr_t kTxdPtr = 0x544;
constexpr uintptr_t kTxdMaxCnt = 0x548;
constexpr uintptr_t kConfig = 0x56C;

constexpr uint32_t kEnableUarte = 8;
// PSEL registers: bits 4:0 the pin, bit 5 the port, bit 31 set = disconnected. The devicetree
// gives pins as 32 * port + pin, which is exactly bits 5:0.
constexpr uint32_t kPselDisconnected = 0xFFFFFFFFU;
// ENDTX of one byte comes after about ten bit times (8 ms at 1200 bit/s); a wait far beyond
// that means the peripheral is not running: drop the byte rather than hang the caller.
constexpr uint32_t kTxWaitLoops = 8000000;

struct Config {
  uintptr_t base;
  uint32_t baudrate;
  uint32_t tx_pin;
  uint32_t rx_pin;
};

// EasyDMA can only reach RAM: the buffers live in the driver's data, never in flash.
struct Data {
  uint8_t tx_byte;
  uint8_t rx_byte;
};

volatile uint32_t &Reg(const device *dev, uintptr_t offset) {
  auto *config = static_cast<const Config *>(dev->config);
  return *reinterpret_cast<volatile uint32_t *>(config->base + offset);
}

void StartRx(const device *dev) {
  auto *data = static_cast<Data *>(dev->data);
  Reg(dev, kRxdPtr) = reinterpret_cast<uint32_t>(&data->rx_byte);
  Reg(dev, kRxdMaxCnt) = 1;
  Reg(dev, kTasksStartRx) = 1;
}

int Init(const device *dev) {
  auto *config = static_cast<const Config *>(dev->config);
  Reg(dev, kEnable) = 0;
  Reg(dev, kPselTxd) = config->tx_pin;
  Reg(dev, kPselRxd) = config->rx_pin;
  Reg(dev, kPselRts) = kPselDisconnected;
  Reg(dev, kPselCts) = kPselDisconnected;
  Reg(dev, kBaudrate) = gale::drivers::nrf::BaudrateValue(config->baudrate);
  Reg(dev, kConfig) = 0;  // no parity, one stop bit, no flow control
  Reg(dev, kEnable) = kEnableUarte;
  Reg(dev, kEventsEndRx) = 0;
  Reg(dev, kEventsEndTx) = 0;
  StartRx(dev);
  return 0;
}

int PollIn(const device *dev, unsigned char *c) {
  auto *data = static_cast<Data *>(dev->data);
  unsigned int key = arch_irq_lock();
  if (Reg(dev, kEventsEndRx) == 0U) {
    arch_irq_unlock(key);
    return -1;
  }
  Reg(dev, kEventsEndRx) = 0;
  *c = data->rx_byte;
  StartRx(dev);
  arch_irq_unlock(key);
  return 0;
}

void PollOut(const device *dev, unsigned char c) {
  auto *data = static_cast<Data *>(dev->data);
  // One transfer at a time: the buffer and the ENDTX event are shared by every caller.
  unsigned int key = arch_irq_lock();
  data->tx_byte = c;
  Reg(dev, kEventsEndTx) = 0;
  Reg(dev, kEventsTxStopped) = 0;
  Reg(dev, kTxdPtr) = reinterpret_cast<uint32_t>(&data->tx_byte);
  Reg(dev, kTxdMaxCnt) = 1;
  Reg(dev, kTasksStartTx) = 1;
  for (uint32_t i = 0; i < kTxWaitLoops && Reg(dev, kEventsEndTx) == 0U; i++) {
  }
  // Stopping the transmitter lets the high-frequency clock request go between bytes.
  Reg(dev, kTasksStopTx) = 1;
  for (uint32_t i = 0; i < kTxWaitLoops && Reg(dev, kEventsTxStopped) == 0U; i++) {
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

#define UARTE_NRF_DEFINE(n)                                                                   \
  static_assert(gale::drivers::nrf::BaudrateValue(DT_INST_PROP(n, current_speed)) != 0,       \
                "nordic,nrf-uarte: current-speed is not a rate the BAUDRATE register offers " \
                "(1200 ... 1000000, e.g. 9600, 115200)");                                     \
  static Data data_##n;                                                                       \
  static const Config config_##n = {                                                          \
      .base = DT_INST_REG_ADDR(n),                                                            \
      .baudrate = DT_INST_PROP(n, current_speed),                                             \
      .tx_pin = DT_INST_PROP(n, tx_pin),                                                      \
      .rx_pin = DT_INST_PROP(n, rx_pin),                                                      \
  };                                                                                          \
  DEVICE_DT_INST_DEFINE(n, Init, NULL, &data_##n, &config_##n, PRE_KERNEL_1,                  \
                        CONFIG_SERIAL_INIT_PRIORITY, &kApi);

DT_INST_FOREACH_STATUS_OKAY(UARTE_NRF_DEFINE)
