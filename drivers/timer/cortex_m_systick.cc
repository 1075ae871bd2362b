// The Cortex-M SysTick as the system clock, tickless or ticked.
//
// SysTick is a 24-bit down-counter. Tickless, each reload is programmed to end at the next
// tick boundary on or after the kernel's next timeout (at most a full 24-bit period), so an
// idle system takes one interrupt per timeout instead of one per tick; ticked, every period is
// one tick. Either way the cycles of finished periods accumulate in cycle_count, and the
// counter's progress within the current period gives the cycle counter and the elapsed ticks.
#include <gale/arch.h>
#include <gale/kernel.h>

#include <ksched.h>

namespace {

constexpr uintptr_t kSystCsr = 0xE000E010;
constexpr uintptr_t kSystRvr = 0xE000E014;
constexpr uintptr_t kSystCvr = 0xE000E018;
constexpr uint32_t kCsrEnable = 1U << 0;
constexpr uint32_t kCsrTickInt = 1U << 1;
constexpr uint32_t kCsrClkSource = 1U << 2;  // the processor clock
constexpr uint32_t kCsrCountFlag = 1U << 16;

constexpr uint32_t kCyclesPerTick =
    CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC / CONFIG_SYS_CLOCK_TICKS_PER_SEC;
static_assert(kCyclesPerTick > 0 && kCyclesPerTick <= 0x1000000U,
              "SysTick cannot count one tick at this clock and tick rate");
constexpr uint32_t kCounterMax = 0x00FFFFFFU;
// The longest period that ends on a tick boundary.
constexpr uint32_t kMaxTicks = kCounterMax / kCyclesPerTick;
// A shorter period could end before the interrupt is even set up.
constexpr uint32_t kMinDelay = kCyclesPerTick < 64U ? kCyclesPerTick : 64U;

// Cycles of the periods that have ended (and been accounted for).
uint64_t cycle_count;
// Cycles already announced to the kernel as whole ticks.
uint64_t announced_cycles;
// Length of the current period in cycles (RVR + 1).
uint32_t period = kCyclesPerTick;
// Wraps of the current period seen before the interrupt handled them, in cycles.
uint32_t overflow_cycles;
// Cycles into the current iteration of the period at the previous reading (kNoReading: none
// since the period started).
constexpr uint32_t kNoReading = UINT32_MAX;
uint32_t last_position = kNoReading;
// A wrap counted because the position went back, whose COUNTFLAG has not been read yet.
bool wrap_unflagged;

inline uint32_t Read(uintptr_t reg) {
  return *reinterpret_cast<volatile uint32_t *>(reg);
}
inline void Write(uintptr_t reg, uint32_t value) {
  *reinterpret_cast<volatile uint32_t *>(reg) = value;
}

// Cycles since the current period started, wraps included. @pre interrupts locked
//
// The counter counts period - 1 down to 0, then reloads. 0 is read both at the end of an
// iteration (COUNTFLAG set) and after sys_clock_set_timeout() restarts the count (COUNTFLAG
// clear, until the reload a cycle later; QEMU keeps it longer): either way the next iteration
// starts there, so 0 is position 0, not period - 1.
//
// Each wrap counts once. COUNTFLAG (cleared when CSR is read) marks every wrap, but a wrap just
// after the CSR read shows only as a position that went back; and QEMU shows the reloaded
// counter before it sets COUNTFLAG. So a position lower than at the previous reading counts as
// a wrap too, and the COUNTFLAG of that same wrap is then not counted again.
uint32_t ElapsedInPeriod() {
  bool flagged = (Read(kSystCsr) & kCsrCountFlag) != 0U;
  uint32_t now = Read(kSystCvr);
  uint32_t position = now == 0U ? 0U : period - now;
  if (last_position != kNoReading && position < last_position) {
    overflow_cycles += period;
    wrap_unflagged = !flagged;
  } else if (flagged) {
    if (wrap_unflagged) {
      wrap_unflagged = false;  // the wrap already counted
    } else {
      overflow_cycles += period;
    }
  }
  last_position = position;
  return position + overflow_cycles;
}

void SysTickIsr(const void *) {
  unsigned int key = arch_irq_lock();
  (void)ElapsedInPeriod();
  cycle_count += overflow_cycles;
  overflow_cycles = 0;
  // The clock interrupts at least once per 24-bit period, so what is unannounced fits in 32
  // bits: a 32-bit division by a constant is a multiplication, a 64-bit one a library call.
  uint32_t ticks = static_cast<uint32_t>(cycle_count - announced_cycles) / kCyclesPerTick;
  announced_cycles += static_cast<uint64_t>(ticks) * kCyclesPerTick;
  arch_irq_unlock(key);
  // Tickless: the kernel asks for the next interrupt from here (sys_clock_set_timeout()).
  sys_clock_announce(static_cast<int32_t>(ticks));
}

}  // namespace

extern "C" {

// SysTick vector: into the common interrupt path like any connected interrupt.
__attribute__((naked)) void z_arm_systick(void) {
  __asm__ volatile(
      "movs r0, #0\n\t"
      "ldr r1, =%c0\n\t"
      Z_ARM_JUMP_ISR_COMMON
      ".ltorg\n\t"
      :
      : "i"(SysTickIsr));
}

void sys_clock_driver_init(void) {
  period = IS_ENABLED(CONFIG_TICKLESS_KERNEL) ? kMaxTicks * kCyclesPerTick : kCyclesPerTick;
  Write(kSystRvr, period - 1U);
  Write(kSystCvr, 0);
  Write(kSystCsr, kCsrEnable | kCsrTickInt | kCsrClkSource);
}

void sys_clock_set_timeout(int32_t ticks, bool idle) {
  ARG_UNUSED(idle);
#ifdef CONFIG_TICKLESS_KERNEL
  if (ticks == K_TICKS_FOREVER || ticks > static_cast<int32_t>(kMaxTicks)) {
    ticks = static_cast<int32_t>(kMaxTicks);
  }
  ticks = MAX(ticks, 1);
  unsigned int key = arch_irq_lock();
  // Fold the current period into cycle_count and start a new one that ends on the tick
  // boundary @p ticks ticks after the current (partly elapsed) tick's start.
  cycle_count += ElapsedInPeriod();
  overflow_cycles = 0;
  // Writing CVR below clears COUNTFLAG and starts a new period.
  wrap_unflagged = false;
  last_position = kNoReading;
  auto unannounced = static_cast<uint32_t>(cycle_count - announced_cycles);
  uint32_t target = (unannounced / kCyclesPerTick + static_cast<uint32_t>(ticks)) * kCyclesPerTick;
  uint32_t delay = target - unannounced;
  if (delay < kMinDelay) {
    delay += kCyclesPerTick;  // already due: the next boundary, never a zero-length period
  }
  if (delay > kCounterMax) {
    delay = kCounterMax;
  }
  period = static_cast<uint32_t>(delay);
  Write(kSystRvr, period - 1U);
  Write(kSystCvr, 0);  // restart the count from the new reload value
  arch_irq_unlock(key);
#else
  ARG_UNUSED(ticks);
#endif
}

uint32_t sys_clock_elapsed(void) {
  unsigned int key = arch_irq_lock();
  auto cycles = static_cast<uint32_t>(cycle_count + ElapsedInPeriod() - announced_cycles);
  arch_irq_unlock(key);
  return cycles / kCyclesPerTick;
}

uint32_t sys_clock_cycle_get_32(void) {
  return static_cast<uint32_t>(sys_clock_cycle_get_64());
}

uint64_t sys_clock_cycle_get_64(void) {
  unsigned int key = arch_irq_lock();
  uint64_t cycles = cycle_count + ElapsedInPeriod();
  arch_irq_unlock(key);
  return cycles;
}

}  // extern "C"
