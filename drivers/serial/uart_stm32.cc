// STM32F4 USART (RM0090 / RM0368, chapter "Universal synchronous asynchronous receiver
// transmitter"): 8N1 by default, 16x oversampling, transmit by polling, receive by interrupt
// into a ring buffer that uart_poll_in() drains.
//
// The USART holds one received character; at 115200 bit/s the next one arrives 87 us later,
// so a shell thread that polls every millisecond would lose characters. The RXNE interrupt
// moves each character into the ring at once. QEMU's netduinoplus2 models the same registers
// (it ignores BRR and transmits at once).
#define DT_DRV_COMPAT st_stm32_usart

#include <stm32f4_soc.h>

#include <gale/device.h>
#include <gale/drivers/uart.h>
#include <gale/irq.h>

namespace {

constexpr uintptr_t kSr = 0x00;
constexpr uintptr_t kDr = 0x04;
constexpr uintptr_t kBrr = 0x08;
constexpr uintptr_t kCr1 = 0x0C;
constexpr uintptr_t kCr2 = 0x10;
constexpr uintptr_t kCr3 = 0x14;

constexpr uint32_t kSrPe = 1U << 0;
constexpr uint32_t kSrFe = 1U << 1;
constexpr uint32_t kSrNf = 1U << 2;
constexpr uint32_t kSrOre = 1U << 3;
constexpr uint32_t kSrRxne = 1U << 5;
constexpr uint32_t kSrTc = 1U << 6;
constexpr uint32_t kSrTxe = 1U << 7;
constexpr uint32_t kCr1Re = 1U << 2;
constexpr uint32_t kCr1Te = 1U << 3;
constexpr uint32_t kCr1Rxneie = 1U << 5;
constexpr uint32_t kCr1Ps = 1U << 9;
constexpr uint32_t kCr1Pce = 1U << 10;
constexpr uint32_t kCr1M = 1U << 12;
constexpr uint32_t kCr1Ue = 1U << 13;
constexpr uint32_t kCr2StopShift = 12;
constexpr uint32_t kCr2StopMask = 3U << kCr2StopShift;

constexpr uint32_t kRingSize = CONFIG_UART_STM32_RX_BUFFER_SIZE;
static_assert((kRingSize & (kRingSize - 1U)) == 0U, "UART_STM32_RX_BUFFER_SIZE: a power of 2");

struct Config {
  uintptr_t base;
  uint32_t clock_hz;
  uint32_t bus;
  uint32_t bit;
  const uint32_t *pinmux;
  size_t pinmux_len;
  void (*irq_config)();
  uart_config line;
};

struct Data {
  uart_config line;
  volatile uint32_t head;  // written by the ISR
  volatile uint32_t tail;  // written by readers
  volatile int errors;     // enum uart_rx_stop_reason bits since the last uart_err_check()
  uint8_t ring[kRingSize];
};

const Config &Cfg(const device *dev) {
  return *static_cast<const Config *>(dev->config);
}
Data &Dat(const device *dev) {
  return *static_cast<Data *>(dev->data);
}
volatile uint32_t &Reg(const device *dev, uintptr_t offset) {
  return *reinterpret_cast<volatile uint32_t *>(Cfg(dev).base + offset);
}

int ErrorsOf(uint32_t sr) {
  int errors = 0;
  errors |= (sr & kSrOre) != 0U ? UART_ERROR_OVERRUN : 0;
  errors |= (sr & kSrPe) != 0U ? UART_ERROR_PARITY : 0;
  errors |= (sr & kSrFe) != 0U ? UART_ERROR_FRAMING : 0;
  errors |= (sr & kSrNf) != 0U ? UART_ERROR_NOISE : 0;
  return errors;
}

// Reading SR then DR takes the character and clears RXNE and the error flags. With parity the
// top data bit is the parity bit, which the caller does not want.
void TakeCharacter(const device *dev, uint32_t sr) {
  Data &data = Dat(dev);
  uint32_t c = Reg(dev, kDr);
  if ((sr & kSrRxne) == 0U) {
    data.errors |= ErrorsOf(sr);  // an overrun with nothing new to read
    return;
  }
  if (data.line.parity != UART_CFG_PARITY_NONE && data.line.data_bits == UART_CFG_DATA_BITS_7) {
    c &= 0x7FU;
  }
  data.errors |= ErrorsOf(sr);
  uint32_t head = data.head;
  if (head - data.tail == kRingSize) {
    data.errors |= UART_ERROR_OVERRUN;  // the reader is behind: drop the newest
    return;
  }
  data.ring[head % kRingSize] = static_cast<uint8_t>(c);
  data.head = head + 1U;
}

void Isr(const void *arg) {
  auto *dev = static_cast<const device *>(arg);
  uint32_t sr = Reg(dev, kSr);
  if ((sr & (kSrRxne | kSrOre)) != 0U) {
    TakeCharacter(dev, sr);
  }
}

int ApplyLine(const device *dev, const uart_config &line) {
  if (line.baudrate == 0U || line.flow_ctrl != UART_CFG_FLOW_CTRL_NONE) {
    return -ENOTSUP;
  }
  uint32_t cr1 = kCr1Ue | kCr1Te | kCr1Re | kCr1Rxneie;
  switch (line.parity) {
    case UART_CFG_PARITY_NONE:
      break;
    case UART_CFG_PARITY_EVEN:
      cr1 |= kCr1Pce;
      break;
    case UART_CFG_PARITY_ODD:
      cr1 |= kCr1Pce | kCr1Ps;
      break;
    default:
      return -ENOTSUP;
  }
  // The frame is 8 or 9 bits (M) including the parity bit.
  const bool parity = line.parity != UART_CFG_PARITY_NONE;
  if (line.data_bits == UART_CFG_DATA_BITS_8) {
    cr1 |= parity ? kCr1M : 0U;
  } else if (line.data_bits == UART_CFG_DATA_BITS_9 && !parity) {
    cr1 |= kCr1M;
  } else if (!(line.data_bits == UART_CFG_DATA_BITS_7 && parity)) {
    return -ENOTSUP;
  }
  uint32_t stop;
  switch (line.stop_bits) {
    case UART_CFG_STOP_BITS_1:
      stop = 0;
      break;
    case UART_CFG_STOP_BITS_0_5:
      stop = 1;
      break;
    case UART_CFG_STOP_BITS_2:
      stop = 2;
      break;
    case UART_CFG_STOP_BITS_1_5:
      stop = 3;
      break;
    default:
      return -ENOTSUP;
  }
  // 16x oversampling: BRR holds clock / baud as a 12.4 fixed-point divisor.
  const uint32_t brr = (Cfg(dev).clock_hz + line.baudrate / 2U) / line.baudrate;
  if (brr < 16U || brr > 0xFFFFU) {
    return -ENOTSUP;
  }
  // Let the last character leave the shift register before the frame format changes.
  while ((Reg(dev, kCr1) & (kCr1Ue | kCr1Te)) == (kCr1Ue | kCr1Te) &&
         (Reg(dev, kSr) & kSrTc) == 0U) {
  }
  unsigned int key = irq_lock();
  Reg(dev, kCr1) = 0;
  Reg(dev, kBrr) = brr;
  Reg(dev, kCr2) = (Reg(dev, kCr2) & ~kCr2StopMask) | (stop << kCr2StopShift);
  Reg(dev, kCr3) = 0;
  Reg(dev, kCr1) = cr1;
  Dat(dev).line = line;
  irq_unlock(key);
  return 0;
}

int Init(const device *dev) {
  const Config &config = Cfg(dev);
  int ret = stm32_clock_enable(config.bus, config.bit);
  if (ret != 0) {
    return ret;
  }
  if (config.pinmux_len > 0U) {
    ret = stm32_pinmux_configure(config.pinmux, config.pinmux_len);
    if (ret != 0) {
      return ret;
    }
  }
  ret = ApplyLine(dev, config.line);
  if (ret != 0) {
    return ret;
  }
  config.irq_config();
  return 0;
}

int PollIn(const device *dev, unsigned char *c) {
  Data &data = Dat(dev);
  unsigned int key = irq_lock();
  // With interrupts locked for long the ISR cannot run: take a waiting character directly.
  if (data.head == data.tail) {
    uint32_t sr = Reg(dev, kSr);
    if ((sr & (kSrRxne | kSrOre)) != 0U) {
      TakeCharacter(dev, sr);
    }
  }
  int ret = -1;
  if (data.head != data.tail) {
    *c = data.ring[data.tail % kRingSize];
    data.tail = data.tail + 1U;
    ret = 0;
  }
  irq_unlock(key);
  return ret;
}

void PollOut(const device *dev, unsigned char c) {
  while ((Reg(dev, kSr) & kSrTxe) == 0U) {
  }
  Reg(dev, kDr) = c;
}

int ErrCheck(const device *dev) {
  Data &data = Dat(dev);
  unsigned int key = irq_lock();
  int errors = data.errors;
  data.errors = 0;
  irq_unlock(key);
  return errors;
}

int Configure(const device *dev, const uart_config *cfg) {
  return ApplyLine(dev, *cfg);
}

int ConfigGet(const device *dev, uart_config *cfg) {
  *cfg = Dat(dev).line;
  return 0;
}

const uart_driver_api kApi = {
    .poll_in = PollIn,
    .poll_out = PollOut,
    .err_check = ErrCheck,
    .configure = Configure,
    .config_get = ConfigGet,
};

}  // namespace

#define UART_STM32_PARITY(n)                                                       \
  COND_CODE_1(DT_INST_NODE_HAS_PROP(n, parity),                                    \
              (UTIL_CAT(UART_CFG_PARITY_, DT_INST_STRING_UPPER_TOKEN(n, parity))), \
              (UART_CFG_PARITY_NONE))

#define UART_STM32_PINMUX(n)                                                   \
  COND_CODE_1(DT_INST_NODE_HAS_PROP(n, pinmux),                                \
              (static const uint32_t pinmux_##n[] = DT_INST_PROP(n, pinmux);), \
              (static const uint32_t *const pinmux_##n = nullptr;))

#define UART_STM32_PINMUX_LEN(n) DT_INST_PROP_LEN_OR(n, pinmux, 0)

#define UART_STM32_DEFINE(n)                                                               \
  UART_STM32_PINMUX(n)                                                                     \
  static void irq_config_##n() {                                                           \
    IRQ_CONNECT(DT_INST_IRQN(n), DT_INST_IRQ(n, priority), Isr, DEVICE_DT_INST_GET(n), 0); \
    irq_enable(DT_INST_IRQN(n));                                                           \
  }                                                                                        \
  static const Config config_##n = {                                                       \
      .base = DT_INST_REG_ADDR(n),                                                         \
      .clock_hz = STM32_BUS_CLOCK_HZ(DT_INST_PHA(n, clocks, bus)),                         \
      .bus = DT_INST_PHA(n, clocks, bus),                                                  \
      .bit = DT_INST_PHA(n, clocks, bits),                                                 \
      .pinmux = pinmux_##n,                                                                \
      .pinmux_len = UART_STM32_PINMUX_LEN(n),                                              \
      .irq_config = irq_config_##n,                                                        \
      .line = {.baudrate = DT_INST_PROP(n, current_speed),                                 \
               .parity = UART_STM32_PARITY(n),                                             \
               .stop_bits = UART_CFG_STOP_BITS_1,                                          \
               .data_bits = UART_CFG_DATA_BITS_8,                                          \
               .flow_ctrl = UART_CFG_FLOW_CTRL_NONE},                                      \
  };                                                                                       \
  static Data data_##n;                                                                    \
  DEVICE_DT_INST_DEFINE(n, Init, NULL, &data_##n, &config_##n, PRE_KERNEL_1,               \
                        CONFIG_SERIAL_INIT_PRIORITY, &kApi);

DT_INST_FOREACH_STATUS_OKAY(UART_STM32_DEFINE)
