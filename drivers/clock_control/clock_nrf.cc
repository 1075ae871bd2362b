// Nordic nRF51/nRF52 CLOCK peripheral at boot (nRF51 Series Reference Manual and nRF52840
// Product Specification, chapter "CLOCK"): start the high-frequency crystal oscillator, which
// the UART baud rates and the radio need for their accuracy (the internal RC oscillator runs
// until then), and the 32.768 kHz low-frequency clock from the source the devicetree names.
//
// Each start is a task followed by an event. The waits are bounded: a board without the
// crystal, or one that does not start, leaves the SoC on its RC oscillators and the device
// reports -ETIMEDOUT (device_is_ready() is false) instead of hanging the boot.
#define DT_DRV_COMPAT nordic_nrf_clock

#include <errno.h>

#include <gale/device.h>
#include <gale/devicetree.h>

namespace {

constexpr uintptr_t kTasksHfclkStart = 0x000;
constexpr uintptr_t kTasksLfclkStart = 0x008;
constexpr uintptr_t kEventsHfclkStarted = 0x100;
constexpr uintptr_t kEventsLfclkStarted = 0x104;
constexpr uintptr_t kLfclkSrc = 0x518;

// The crystal oscillators start within about 1.5 ms (HFXO) and 0.5 s (LFXO) by the
// specifications; a loop iteration takes at least four cycles at up to 64 MHz, so these bounds
// are comfortably longer.
constexpr uint32_t kHfWaitLoops = 200000;
constexpr uint32_t kLfWaitLoops = 16000000;

struct Config {
  uintptr_t base;
  uint32_t lfclk_source;  // LFCLKSRC.SRC: 0 RC, 1 crystal, 2 synthesised from HFCLK
};

volatile uint32_t &Reg(const Config *config, uintptr_t offset) {
  return *reinterpret_cast<volatile uint32_t *>(config->base + offset);
}

bool Start(const Config *config, uintptr_t task, uintptr_t event, uint32_t loops) {
  Reg(config, event) = 0;
  Reg(config, task) = 1;
  for (uint32_t i = 0; i < loops; i++) {
    if (Reg(config, event) != 0U) {
      Reg(config, event) = 0;
      return true;
    }
  }
  return false;
}

int Init(const device *dev) {
  auto *config = static_cast<const Config *>(dev->config);
  bool hf = Start(config, kTasksHfclkStart, kEventsHfclkStarted, kHfWaitLoops);
  Reg(config, kLfclkSrc) = config->lfclk_source;
  bool lf = Start(config, kTasksLfclkStart, kEventsLfclkStarted, kLfWaitLoops);
  return hf && lf ? 0 : -ETIMEDOUT;
}

}  // namespace

// Before the drivers that depend on the clock's accuracy (serial, timers).
#define CLOCK_NRF_DEFINE(n)                                             \
  static const Config config_##n = {                                    \
      .base = DT_INST_REG_ADDR(n),                                      \
      .lfclk_source = DT_ENUM_IDX_OR(DT_DRV_INST(n), lfclk_source, 0),  \
  };                                                                    \
  DEVICE_DT_INST_DEFINE(n, Init, NULL, NULL, &config_##n, PRE_KERNEL_1, \
                        CONFIG_CLOCK_CONTROL_NRF_INIT_PRIORITY, NULL);

DT_INST_FOREACH_STATUS_OKAY(CLOCK_NRF_DEFINE)
