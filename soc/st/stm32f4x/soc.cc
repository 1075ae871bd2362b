// STM32F4 clock tree and pin functions (RM0090 / RM0368: "Reset and clock control", "Embedded
// flash memory interface", "General-purpose I/Os").
//
// At reset the core runs from the 16 MHz HSI with every prescaler at 1. When the rcc node has
// pll-m/n/p/q, boot switches SYSCLK to the PLL fed by the HSI: flash wait states first (they
// must cover the new frequency before it is reached), then the prescalers, then the PLL, then
// the switch. Every wait on a ready bit is bounded (CONFIG_STM32_RCC_READY_TIMEOUT) because
// QEMU's STM32F405 model reads the RCC as zeros.
#include <stm32f4_soc.h>

#include <errno.h>

#include <gale/init.h>
#include <gale/irq.h>

namespace {

#define RCC_NODE STM32_RCC_NODE

constexpr uintptr_t kRcc = DT_REG_ADDR(RCC_NODE);
constexpr uintptr_t kRccCr = kRcc + 0x00;
constexpr uintptr_t kRccPllcfgr = kRcc + 0x04;
constexpr uintptr_t kRccCfgr = kRcc + 0x08;
constexpr uintptr_t kRccAhb1enr = kRcc + 0x30;
constexpr uintptr_t kRccApb1enr = kRcc + 0x40;
constexpr uintptr_t kRccApb2enr = kRcc + 0x44;
constexpr uintptr_t kFlashAcr = 0x40023C00;
constexpr uintptr_t kGpioBase = 0x40020000;
constexpr uintptr_t kGpioStride = 0x400;

constexpr uint32_t kCrHsiOn = 1U << 0;
constexpr uint32_t kCrHsiRdy = 1U << 1;
constexpr uint32_t kCrPllOn = 1U << 24;
constexpr uint32_t kCrPllRdy = 1U << 25;
constexpr uint32_t kCfgrSwMask = 3U << 0;
constexpr uint32_t kCfgrSwPll = 2U << 0;
constexpr uint32_t kCfgrSwsMask = 3U << 2;
constexpr uint32_t kCfgrSwsPll = 2U << 2;
constexpr uint32_t kCfgrPrescalerMask = (0xFU << 4) | (0x7U << 10) | (0x7U << 13);
constexpr uint32_t kAcrPrften = 1U << 8;
constexpr uint32_t kAcrIcen = 1U << 9;
constexpr uint32_t kAcrDcen = 1U << 10;
constexpr uint32_t kAcrLatencyMask = 0xFU;
constexpr uint32_t kHsiHz = 16000000;

#if defined(CONFIG_SOC_STM32F401)
constexpr uint32_t kPortsPresent = 0x9F;  // A-E, H
#else
constexpr uint32_t kPortsPresent = 0x1FF;  // A-I
#endif

int clock_status;

inline volatile uint32_t &Reg(uintptr_t address) {
  return *reinterpret_cast<volatile uint32_t *>(address);
}

[[maybe_unused]] bool WaitFor(uintptr_t reg, uint32_t mask, uint32_t value) {
  for (int i = 0; i < CONFIG_STM32_RCC_READY_TIMEOUT; i++) {
    if ((Reg(reg) & mask) == value) {
      return true;
    }
  }
  return false;
}

// HPRE encoding: 0 for /1, 8..15 for /2, /4, /8, /16, /64, /128, /256, /512.
constexpr uint32_t HpreBits(uint32_t div) {
  switch (div) {
    case 1:
      return 0;
    case 2:
      return 8;
    case 4:
      return 9;
    case 8:
      return 10;
    case 16:
      return 11;
    case 64:
      return 12;
    case 128:
      return 13;
    case 256:
      return 14;
    case 512:
      return 15;
    default:
      return 0xFF;
  }
}

// PPRE1/PPRE2 encoding: 0 for /1, 4..7 for /2, /4, /8, /16.
constexpr uint32_t PpreBits(uint32_t div) {
  switch (div) {
    case 1:
      return 0;
    case 2:
      return 4;
    case 4:
      return 5;
    case 8:
      return 6;
    case 16:
      return 7;
    default:
      return 0xFF;
  }
}

constexpr uint32_t kAhbDiv = DT_PROP_OR(RCC_NODE, ahb_prescaler, 1);
constexpr uint32_t kApb1Div = DT_PROP_OR(RCC_NODE, apb1_prescaler, 1);
constexpr uint32_t kApb2Div = DT_PROP_OR(RCC_NODE, apb2_prescaler, 1);
static_assert(HpreBits(kAhbDiv) != 0xFF, "rcc ahb-prescaler must be 1, 2, 4, 8, 16, 64..512");
static_assert(PpreBits(kApb1Div) != 0xFF, "rcc apb1-prescaler must be 1, 2, 4, 8 or 16");
static_assert(PpreBits(kApb2Div) != 0xFF, "rcc apb2-prescaler must be 1, 2, 4, 8 or 16");
static_assert(CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC == STM32_HCLK_HZ,
              "SysTick counts HCLK: with an AHB prescaler, set CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC "
              "to clock-frequency / ahb-prescaler");
static_assert(STM32_PCLK1_HZ <= 42000000, "APB1 may not run above 42 MHz");
static_assert(STM32_PCLK2_HZ <= 84000000, "APB2 may not run above 84 MHz");

constexpr uint32_t kCfgrPrescalers =
    (HpreBits(kAhbDiv) << 4) | (PpreBits(kApb1Div) << 10) | (PpreBits(kApb2Div) << 13);

#if DT_NODE_HAS_PROP(RCC_NODE, pll_n)
constexpr uint32_t kPllM = DT_PROP(RCC_NODE, pll_m);
constexpr uint32_t kPllN = DT_PROP(RCC_NODE, pll_n);
constexpr uint32_t kPllP = DT_PROP(RCC_NODE, pll_p);
constexpr uint32_t kPllQ = DT_PROP(RCC_NODE, pll_q);
constexpr uint32_t kFlashLatency = DT_PROP(RCC_NODE, flash_latency);
static_assert(kPllM >= 2 && kPllM <= 63, "rcc pll-m must be 2..63");
static_assert(kHsiHz / kPllM >= 1000000 && kHsiHz / kPllM <= 2000000,
              "the PLL input (16 MHz / pll-m) must be 1..2 MHz");
static_assert(kPllN >= 50 && kPllN <= 432, "rcc pll-n must be 50..432");
static_assert(kHsiHz / kPllM * kPllN >= 100000000 && kHsiHz / kPllM * kPllN <= 432000000,
              "the PLL VCO must run at 100..432 MHz");
static_assert(kPllP == 2 || kPllP == 4 || kPllP == 6 || kPllP == 8, "rcc pll-p must be 2/4/6/8");
static_assert(kPllQ >= 2 && kPllQ <= 15, "rcc pll-q must be 2..15");
static_assert(kHsiHz / kPllM * kPllN / kPllP == STM32_SYSCLK_HZ,
              "rcc clock-frequency does not match 16 MHz / pll-m * pll-n / pll-p");
static_assert(kFlashLatency <= 7, "rcc flash-latency must be 0..7");

int ConfigurePll() {
  Reg(kRccCr) |= kCrHsiOn;
  if (!WaitFor(kRccCr, kCrHsiRdy, kCrHsiRdy)) {
    return -ETIMEDOUT;
  }
  // A debugger's reset-init script may have left SYSCLK on a PLL of its own, and the PLL
  // cannot be stopped while it clocks the system: run from the HSI while it is set up.
  Reg(kRccCfgr) &= ~kCfgrSwMask;
  if (!WaitFor(kRccCfgr, kCfgrSwsMask, 0)) {
    return -ETIMEDOUT;
  }
  // Wait states before the frequency rises; the read back makes sure the new latency is in
  // effect (RM0090 3.5.1).
  Reg(kFlashAcr) =
      (Reg(kFlashAcr) & ~kAcrLatencyMask) | kFlashLatency | kAcrPrften | kAcrIcen | kAcrDcen;
  if ((Reg(kFlashAcr) & kAcrLatencyMask) != kFlashLatency) {
    return -ETIMEDOUT;
  }
  Reg(kRccCfgr) = (Reg(kRccCfgr) & ~kCfgrPrescalerMask) | kCfgrPrescalers;
  // The PLL can only be reconfigured while off. PLLSRC = 0 selects the HSI.
  Reg(kRccCr) &= ~kCrPllOn;
  if (!WaitFor(kRccCr, kCrPllRdy, 0)) {
    return -ETIMEDOUT;
  }
  // Reserved bits keep their reset values (RM0090 6.3.2): only the fields change.
  constexpr uint32_t kFields = 0x3FU | (0x1FFU << 6) | (3U << 16) | (1U << 22) | (0xFU << 24);
  Reg(kRccPllcfgr) = (Reg(kRccPllcfgr) & ~kFields) | kPllM | (kPllN << 6) |
                     ((kPllP / 2U - 1U) << 16) | (kPllQ << 24);
  Reg(kRccCr) |= kCrPllOn;
  if (!WaitFor(kRccCr, kCrPllRdy, kCrPllRdy)) {
    return -ETIMEDOUT;
  }
  Reg(kRccCfgr) = (Reg(kRccCfgr) & ~kCfgrSwMask) | kCfgrSwPll;
  if (!WaitFor(kRccCfgr, kCfgrSwsMask, kCfgrSwsPll)) {
    return -ETIMEDOUT;
  }
  return 0;
}
#else
// No PLL in the devicetree: SYSCLK stays what reset or the emulator gives (clock-frequency).
static_assert(DT_PROP(RCC_NODE, clock_frequency) > 0, "rcc clock-frequency is required");
int ConfigurePll() {
  Reg(kRccCfgr) = (Reg(kRccCfgr) & ~kCfgrPrescalerMask) | kCfgrPrescalers;
  return 0;
}
#endif

int ClockInit() {
  clock_status = ConfigurePll();
  return 0;  // a clock fault must not stop the console: report it through stm32_clock_status
}

}  // namespace

extern "C" int stm32_clock_status(void) {
  return clock_status;
}

extern "C" int stm32_clock_enable(uint32_t bus, uint32_t bit) {
  uintptr_t reg;
  switch (bus) {
    case STM32_CLOCK_BUS_AHB1:
      reg = kRccAhb1enr;
      break;
    case STM32_CLOCK_BUS_APB1:
      reg = kRccApb1enr;
      break;
    case STM32_CLOCK_BUS_APB2:
      reg = kRccApb2enr;
      break;
    default:
      return -EINVAL;
  }
  if (bit > 31U) {
    return -EINVAL;
  }
  unsigned int key = irq_lock();
  Reg(reg) |= 1U << bit;
  // The peripheral may be accessed two bus cycles after its clock is enabled (RM0090 6.3.x
  // note): reading the register back takes them.
  const uint32_t readback = Reg(reg);
  (void)readback;
  irq_unlock(key);
  return 0;
}

extern "C" int stm32_pinmux_configure(const uint32_t *cells, size_t count) {
  for (size_t i = 0; i < count; i++) {
    const uint32_t cell = cells[i];
    const uint32_t port = STM32_PINMUX_PORT(cell);
    const uint32_t pin = STM32_PINMUX_PIN(cell);
    if ((kPortsPresent & (1U << port)) == 0U) {
      return -EINVAL;
    }
    stm32_clock_enable(STM32_CLOCK_BUS_AHB1, port);
    const uintptr_t base = kGpioBase + port * kGpioStride;
    const uint32_t two_bits = 3U << (pin * 2U);
    const uint32_t afr_shift = (pin % 8U) * 4U;
    const uintptr_t afr = base + (pin < 8U ? 0x20 : 0x24);
    unsigned int key = irq_lock();
    Reg(afr) = (Reg(afr) & ~(0xFU << afr_shift)) | (STM32_PINMUX_AF(cell) << afr_shift);
    Reg(base + 0x04) = (Reg(base + 0x04) & ~(1U << pin)) |
                       ((cell & STM32_PINMUX_OPEN_DRAIN) != 0U ? 1U << pin : 0U);
    Reg(base + 0x08) = (Reg(base + 0x08) & ~two_bits) | (2U << (pin * 2U));  // fast speed
    Reg(base + 0x0C) = (Reg(base + 0x0C) & ~two_bits) | (STM32_PINMUX_PULL(cell) << (pin * 2U));
    Reg(base + 0x00) = (Reg(base + 0x00) & ~two_bits) | (2U << (pin * 2U));  // alternate function
    irq_unlock(key);
  }
  return 0;
}

SYS_INIT(ClockInit, PRE_KERNEL_1, 0);
