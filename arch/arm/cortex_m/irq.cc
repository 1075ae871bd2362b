// NVIC: enabling, disabling and prioritising external interrupt lines.
#include <gale/arch.h>
#include <gale/kernel.h>

namespace {

constexpr uintptr_t kNvicIser = 0xE000E100;
constexpr uintptr_t kNvicIcer = 0xE000E180;
constexpr uintptr_t kNvicIpr = 0xE000E400;

volatile uint32_t *Reg(uintptr_t base, unsigned int irq) {
  return reinterpret_cast<volatile uint32_t *>(base) + irq / 32U;
}

}  // namespace

extern "C" {

void arch_irq_enable(unsigned int irq) {
  *Reg(kNvicIser, irq) = 1U << (irq % 32U);
}

void arch_irq_disable(unsigned int irq) {
  *Reg(kNvicIcer, irq) = 1U << (irq % 32U);
  __asm__ volatile("dsb\n\tisb" : : : "memory");
}

int arch_irq_is_enabled(unsigned int irq) {
  return (*Reg(kNvicIser, irq) & (1U << (irq % 32U))) != 0U ? 1 : 0;
}

// Priority 0 is the most urgent; the hardware keeps the top CONFIG_NUM_IRQ_PRIO_BITS bits.
void z_arm_irq_priority_set(unsigned int irq, unsigned int prio, uint32_t flags) {
  ARG_UNUSED(flags);
  __ASSERT(prio < (1U << CONFIG_NUM_IRQ_PRIO_BITS) - 1U, "IRQ priority %u out of range", prio);
  uint32_t value = (prio << (8 - CONFIG_NUM_IRQ_PRIO_BITS)) & 0xFFU;
#ifdef CONFIG_ARMV6_M
  // Armv6-M allows only word accesses to the priority registers: read-modify-write the byte's
  // word, with interrupts locked so that no handler changes another line's byte in between.
  auto *ipr = reinterpret_cast<volatile uint32_t *>(kNvicIpr) + irq / 4U;
  unsigned int shift = (irq % 4U) * 8U;
  unsigned int key = arch_irq_lock();
  *ipr = (*ipr & ~(0xFFU << shift)) | (value << shift);
  arch_irq_unlock(key);
#else
  auto *ipr = reinterpret_cast<volatile uint8_t *>(kNvicIpr);
  ipr[irq] = static_cast<uint8_t>(value);
#endif
}

}  // extern "C"
