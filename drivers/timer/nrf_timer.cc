// A Nordic nRF TIMER as the system clock, tickless or ticked, for the nRF51, whose Cortex-M0 has
// no SysTick (nRF51 Series Reference Manual, chapter "Timer/counter").
//
// The TIMER counts the 16 MHz clock (PRESCALER 0) in 32-bit mode and never stops. The counter
// is not readable as such: the CAPTURE[1] task copies it into CC[1]. CC[0] is the compare that
// interrupts: ticked, at every tick boundary; tickless, at the boundary of the kernel's next
// timeout. A compare fires only when the counter equals CC[0], so a value written too late is
// noticed and moved ahead. Wraps of the 32-bit counter are counted by each reading, and the
// compare is never further than half a wrap away, so no wrap goes unseen.
#define DT_DRV_COMPAT nordic_nrf_timer

#include <gale/arch.h>
#include <gale/devicetree.h>
#include <gale/irq.h>
#include <gale/kernel.h>

#include <ksched.h>

namespace {

constexpr uintptr_t kBase = DT_INST_REG_ADDR(0);
constexpr unsigned int kIrq = DT_INST_IRQN(0);
static_assert(DT_INST_PROP(0, max_bit_width) == 32,
              "nordic,nrf-timer: the system clock needs a 32-bit TIMER (on the nRF51, TIMER0)");

constexpr uintptr_t kTasksStart = 0x000;
constexpr uintptr_t kTasksStop = 0x004;
constexpr uintptr_t kTasksClear = 0x00C;
constexpr uintptr_t kTasksCapture1 = 0x044;
constexpr uintptr_t kEventsCompare0 = 0x140;
constexpr uintptr_t kShorts = 0x200;
constexpr uintptr_t kIntenSet = 0x304;
constexpr uintptr_t kIntenClr = 0x308;
constexpr uintptr_t kMode = 0x504;
constexpr uintptr_t kBitmode = 0x508;
constexpr uintptr_t kPrescaler = 0x510;
constexpr uintptr_t kCc0 = 0x540;
constexpr uintptr_t kCc1 = 0x544;

constexpr uint32_t kBitmode32 = 3;
constexpr uint32_t kIntenCompare0 = 1U << 16;

static_assert(CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC == 16000000,
              "the nRF TIMER system clock runs at 16 MHz (PRESCALER 0)");
constexpr uint32_t kCyclesPerTick =
    CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC / CONFIG_SYS_CLOCK_TICKS_PER_SEC;
static_assert(kCyclesPerTick > 0, "tick rate above the TIMER's 16 MHz");
// The compare stays within half a wrap of the last reading.
constexpr uint32_t kMaxTicks = 0x80000000U / kCyclesPerTick;
// Nearer than this, the counter could pass the compare value before it is written.
constexpr uint32_t kMinDelay = 64;

// Counter wraps seen, as the high half of a 64-bit count.
uint64_t wraps;
uint32_t last_count;
// Cycles announced to the kernel, always a whole number of ticks.
uint64_t announced_cycles;

inline volatile uint32_t &Reg(uintptr_t offset) {
  return *reinterpret_cast<volatile uint32_t *>(kBase + offset);
}

// The 64-bit cycle count. @pre interrupts locked
uint64_t Now() {
  Reg(kTasksCapture1) = 1;
  uint32_t count = Reg(kCc1);
  if (count < last_count) {
    wraps += uint64_t{1} << 32;
  }
  last_count = count;
  return wraps + count;
}

// Sets the compare to @p target, or to the earliest safe point if that has passed.
// @pre interrupts locked
void SetCompare(uint64_t target) {
  for (;;) {
    uint64_t now = Now();
    if (target < now + kMinDelay) {
      target = now + kMinDelay;
    }
    Reg(kCc0) = static_cast<uint32_t>(target);
    // Still ahead after the write: the counter will reach it. Already fired: the pending
    // interrupt handles it.
    if (Now() < target || Reg(kEventsCompare0) != 0U) {
      return;
    }
  }
}

void TimerIsr(const void *) {
  unsigned int key = arch_irq_lock();
  Reg(kEventsCompare0) = 0;
  // Read back: the write reaches the peripheral before the interrupt returns, or the line would
  // still be high and the interrupt taken again.
  uint32_t flushed = Reg(kEventsCompare0);
  ARG_UNUSED(flushed);
  uint64_t now = Now();
  // Interrupts come at least every half wrap, so the unannounced cycles fit in 32 bits.
  uint32_t ticks = static_cast<uint32_t>(now - announced_cycles) / kCyclesPerTick;
  announced_cycles += static_cast<uint64_t>(ticks) * kCyclesPerTick;
  // The next interrupt: the next tick, ticked; tickless, the kernel sets it in
  // sys_clock_announce(), and until then the longest timeout keeps wraps counted.
  SetCompare(announced_cycles +
             (IS_ENABLED(CONFIG_TICKLESS_KERNEL) ? uint64_t{kMaxTicks} : 1U) * kCyclesPerTick);
  arch_irq_unlock(key);
  sys_clock_announce(static_cast<int32_t>(ticks));
}

}  // namespace

extern "C" {

void sys_clock_driver_init(void) {
  Reg(kTasksStop) = 1;
  Reg(kIntenClr) = 0xFFFFFFFFU;
  Reg(kShorts) = 0;
  Reg(kMode) = 0;  // timer, not counter
  Reg(kBitmode) = kBitmode32;
  Reg(kPrescaler) = 0;
  Reg(kTasksClear) = 1;
  Reg(kEventsCompare0) = 0;
  wraps = 0;
  last_count = 0;
  announced_cycles = 0;
  Reg(kTasksStart) = 1;
  unsigned int key = arch_irq_lock();
  SetCompare(IS_ENABLED(CONFIG_TICKLESS_KERNEL) ? uint64_t{kMaxTicks} * kCyclesPerTick
                                                : kCyclesPerTick);
  arch_irq_unlock(key);
  Reg(kIntenSet) = kIntenCompare0;
  IRQ_CONNECT(kIrq, DT_INST_IRQ(0, priority), TimerIsr, NULL, 0);
  irq_enable(kIrq);
}

void sys_clock_set_timeout(int32_t ticks, bool idle) {
  ARG_UNUSED(idle);
#ifdef CONFIG_TICKLESS_KERNEL
  if (ticks == K_TICKS_FOREVER || ticks > static_cast<int32_t>(kMaxTicks)) {
    ticks = static_cast<int32_t>(kMaxTicks);
  }
  ticks = MAX(ticks, 1);
  unsigned int key = arch_irq_lock();
  auto unannounced = static_cast<uint32_t>(Now() - announced_cycles);
  // The tick boundary @p ticks ticks after the start of the current, partly elapsed, tick.
  uint64_t target = announced_cycles + static_cast<uint64_t>(unannounced / kCyclesPerTick +
                                                             static_cast<uint32_t>(ticks)) *
                                           kCyclesPerTick;
  SetCompare(target);
  arch_irq_unlock(key);
#else
  ARG_UNUSED(ticks);
#endif
}

uint32_t sys_clock_elapsed(void) {
  unsigned int key = arch_irq_lock();
  auto cycles = static_cast<uint32_t>(Now() - announced_cycles);
  arch_irq_unlock(key);
  return cycles / kCyclesPerTick;
}

uint32_t sys_clock_cycle_get_32(void) {
  return static_cast<uint32_t>(sys_clock_cycle_get_64());
}

uint64_t sys_clock_cycle_get_64(void) {
  unsigned int key = arch_irq_lock();
  uint64_t cycles = Now();
  arch_irq_unlock(key);
  return cycles;
}

}  // extern "C"
