// The Cortex-M SysTick as the system clock: one interrupt per tick, and a cycle counter made
// of the ticks counted so far plus the down-counter's progress in the current tick.
#include <gale/arch.h>
#include <gale/kernel.h>

#include <ksched.h>

namespace {

constexpr uintptr_t kSystCsr = 0xE000E010;
constexpr uintptr_t kSystRvr = 0xE000E014;
constexpr uintptr_t kSystCvr = 0xE000E018;
constexpr uintptr_t kIcsr = 0xE000ED04;
constexpr uint32_t kCsrEnable = 1U << 0;
constexpr uint32_t kCsrTickInt = 1U << 1;
constexpr uint32_t kCsrClkSource = 1U << 2;  // the processor clock
constexpr uint32_t kIcsrPendStSet = 1U << 26;

constexpr uint32_t kCyclesPerTick =
    CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC / CONFIG_SYS_CLOCK_TICKS_PER_SEC;
static_assert(kCyclesPerTick > 0 && kCyclesPerTick <= 0x1000000U,
              "SysTick cannot count one tick at this clock and tick rate");

inline uint32_t Read(uintptr_t reg) {
  return *reinterpret_cast<volatile uint32_t *>(reg);
}
inline void Write(uintptr_t reg, uint32_t value) {
  *reinterpret_cast<volatile uint32_t *>(reg) = value;
}

// Cycles counted up to the start of the current tick (advanced by the tick interrupt).
uint64_t cycle_count;
// The counter at the last reading since the tick interrupt (kCyclesPerTick: none yet), and
// whether a reading saw the counter reload since that interrupt.
uint32_t last_cvr = kCyclesPerTick;
bool wrap_seen;

// Cycles since the start of the current tick, with interrupts locked. The counter counts down
// from kCyclesPerTick - 1; its interrupt is pended when it reaches 0, and it reloads on the next
// cycle. A reload not yet accounted for (interrupts locked) shows as a pending SysTick with a
// reloaded counter, or as a counter that went up since an earlier reading: QEMU makes the
// reloaded value visible before the pending bit, and the pending bit while the counter still
// reads 0, so both signs are needed, and the second is remembered until the interrupt runs.
uint32_t CyclesInTick() {
  uint32_t now = Read(kSystCvr);
  bool pending = (Read(kIcsr) & kIcsrPendStSet) != 0U;
  if (last_cvr != kCyclesPerTick && now > last_cvr) {
    wrap_seen = true;
  }
  last_cvr = now;
  uint32_t cycles = kCyclesPerTick - 1U - now;
  if (wrap_seen || (pending && now != 0U)) {
    cycles += kCyclesPerTick;
  }
  return cycles;
}

void SysTickIsr(const void *) {
  cycle_count += kCyclesPerTick;
  last_cvr = kCyclesPerTick;
  wrap_seen = false;
  sys_clock_announce(1);
}

}  // namespace

extern "C" {

// SysTick vector: into the common interrupt path like any connected interrupt.
__attribute__((naked)) void z_arm_systick(void) {
  __asm__ volatile(
      "mov r0, #0\n\t"
      "ldr r1, =%c0\n\t"
      "b z_arm_isr_common\n\t"
      ".ltorg\n\t"
      :
      : "i"(SysTickIsr));
}

void sys_clock_driver_init(void) {
  Write(kSystRvr, kCyclesPerTick - 1U);
  Write(kSystCvr, 0);
  Write(kSystCsr, kCsrEnable | kCsrTickInt | kCsrClkSource);
}

void sys_clock_set_timeout(int32_t ticks, bool idle) {
  ARG_UNUSED(ticks);
  ARG_UNUSED(idle);
}

uint32_t sys_clock_elapsed(void) {
  return 0;
}

uint32_t sys_clock_cycle_get_32(void) {
  return static_cast<uint32_t>(sys_clock_cycle_get_64());
}

uint64_t sys_clock_cycle_get_64(void) {
  unsigned int key = arch_irq_lock();
  uint64_t cycles = cycle_count + CyclesInTick();
  arch_irq_unlock(key);
  return cycles;
}

}  // extern "C"
