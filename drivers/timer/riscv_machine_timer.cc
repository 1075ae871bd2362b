// The RISC-V machine timer (mtime/mtimecmp, memory-mapped in the CLINT) as the system clock,
// tickless or ticked (RISC-V Privileged Architecture, 3.2.1; SiFive CLINT layout: mtimecmp of
// hart 0 at +0x4000, mtime at +0xBFF8).
//
// mtime is a 64-bit counter that never wraps in practice, and the interrupt is pending while
// mtime >= mtimecmp, so the driver is simple: the cycle counter is mtime itself; an interrupt
// announces the whole ticks since the last announcement; tickless, mtimecmp is set to the tick
// boundary of the kernel's next timeout, ticked, to the next tick.
#define DT_DRV_COMPAT sifive_clint0

#include <gale/arch.h>
#include <gale/devicetree.h>
#include <gale/kernel.h>

#include <ksched.h>

namespace {

constexpr uintptr_t kClintBase = DT_INST_REG_ADDR(0);
constexpr uintptr_t kMtimecmp = kClintBase + 0x4000;
constexpr uintptr_t kMtime = kClintBase + 0xBFF8;

constexpr uint32_t kCyclesPerTick =
    CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC / CONFIG_SYS_CLOCK_TICKS_PER_SEC;
static_assert(kCyclesPerTick > 0, "the machine timer is slower than the tick rate");
// The longest timeout programmed at once: unannounced cycles stay below 2^31.
constexpr uint32_t kMaxTicks = 0x7FFFFFFFU / kCyclesPerTick - 1U;
// A closer deadline could pass before mtimecmp is even written.
constexpr uint32_t kMinDelay = kCyclesPerTick < 16U ? kCyclesPerTick : 16U;

// mtime at the last tick boundary announced to the kernel.
uint64_t announced;

volatile uint32_t &Word(uintptr_t address) {
  return *reinterpret_cast<volatile uint32_t *>(address);
}

// A 64-bit read of mtime on a 32-bit bus: the high word again until it did not change.
uint64_t Mtime() {
  uint32_t hi;
  uint32_t lo;
  do {
    hi = Word(kMtime + 4);
    lo = Word(kMtime);
  } while (Word(kMtime + 4) != hi);
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

// A 64-bit write of mtimecmp that never passes through an earlier value: high word to the
// maximum first, then the low word, then the real high word.
void SetMtimecmp(uint64_t value) {
  Word(kMtimecmp + 4) = 0xFFFFFFFFU;
  Word(kMtimecmp) = static_cast<uint32_t>(value);
  Word(kMtimecmp + 4) = static_cast<uint32_t>(value >> 32);
}

// Ticks since the last announcement, and the mtime of the boundary they end on.
uint32_t Unannounced(uint64_t now) {
  return static_cast<uint32_t>(now - announced) / kCyclesPerTick;
}

}  // namespace

extern "C" {

// Called by the port's trap dispatch for the machine timer interrupt.
void z_riscv_mtimer_isr(void) {
  unsigned int key = arch_irq_lock();
  uint32_t ticks = Unannounced(Mtime());
  announced += static_cast<uint64_t>(ticks) * kCyclesPerTick;
  if (IS_ENABLED(CONFIG_TICKLESS_KERNEL)) {
    // Quiet until the kernel asks for the next one (sys_clock_set_timeout() below).
    SetMtimecmp(UINT64_MAX);
  } else {
    SetMtimecmp(announced + kCyclesPerTick);
  }
  arch_irq_unlock(key);
  sys_clock_announce(static_cast<int32_t>(ticks));
}

void sys_clock_driver_init(void) {
  announced = Mtime();
  SetMtimecmp(announced + kCyclesPerTick);
  // mie.MTIE is set with the other local interrupt enables when the main thread starts.
}

void sys_clock_set_timeout(int32_t ticks, bool idle) {
  ARG_UNUSED(idle);
#ifdef CONFIG_TICKLESS_KERNEL
  if (ticks == K_TICKS_FOREVER || ticks > static_cast<int32_t>(kMaxTicks)) {
    ticks = static_cast<int32_t>(kMaxTicks);
  }
  ticks = MAX(ticks, 1);
  unsigned int key = arch_irq_lock();
  uint64_t now = Mtime();
  // The boundary @p ticks ticks after the start of the current (partly elapsed) tick.
  uint64_t target =
      announced +
      (static_cast<uint64_t>(Unannounced(now)) + static_cast<uint32_t>(ticks)) * kCyclesPerTick;
  if (target < now + kMinDelay) {
    target += kCyclesPerTick;
  }
  SetMtimecmp(target);
  arch_irq_unlock(key);
#else
  ARG_UNUSED(ticks);
#endif
}

uint32_t sys_clock_elapsed(void) {
  unsigned int key = arch_irq_lock();
  uint32_t ticks = Unannounced(Mtime());
  arch_irq_unlock(key);
  return ticks;
}

uint32_t sys_clock_cycle_get_32(void) {
  return Word(kMtime);
}

uint64_t sys_clock_cycle_get_64(void) {
  return Mtime();
}

}  // extern "C"
