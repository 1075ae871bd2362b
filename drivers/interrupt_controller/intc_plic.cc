// The RISC-V platform-level interrupt controller (SiFive PLIC layout, as in the FE310-G002
// manual, chapter "Platform-Level Interrupt Controller", and QEMU's virt and sifive_e machines):
// a priority word per source at +4*n, enable bits of context 0 (hart 0, machine mode) at
// +0x2000, its priority threshold at +0x200000 and its claim/complete register at +0x200004.
// Sources are the IRQ numbers of IRQ_CONNECT and arch_irq_enable(); source 0 does not exist.
#define DT_DRV_COMPAT sifive_plic_1_0_0

#include <gale/arch.h>
#include <gale/devicetree.h>
#include <gale/kernel.h>

namespace {

constexpr uintptr_t kBase = DT_INST_REG_ADDR(0);
constexpr uintptr_t kPriority = kBase;
constexpr uintptr_t kEnable = kBase + 0x2000;
constexpr uintptr_t kThreshold = kBase + 0x200000;
constexpr uintptr_t kClaim = kBase + 0x200004;
constexpr unsigned int kSources = DT_INST_PROP(0, riscv_ndev) + 1U;
constexpr uint32_t kMaxPriority = 7;

static_assert(kSources <= CONFIG_NUM_IRQS, "CONFIG_NUM_IRQS is below the PLIC's sources");

volatile uint32_t &Word(uintptr_t address) {
  return *reinterpret_cast<volatile uint32_t *>(address);
}

}  // namespace

extern "C" {

void z_riscv_plic_init(void) {
  for (unsigned int word = 0; word < (kSources + 31U) / 32U; word++) {
    Word(kEnable + 4U * word) = 0;
  }
  Word(kThreshold) = 0;
}

uint32_t z_riscv_plic_claim(void) {
  return Word(kClaim);
}

void z_riscv_plic_complete(uint32_t source) {
  Word(kClaim) = source;
}

void arch_irq_enable(unsigned int irq) {
  __ASSERT(irq > 0U && irq < kSources, "PLIC source %u out of range", irq);
  unsigned int key = arch_irq_lock();
  volatile uint32_t &enable = Word(kEnable + 4U * (irq / 32U));
  enable = enable | (1U << (irq % 32U));
  arch_irq_unlock(key);
}

void arch_irq_disable(unsigned int irq) {
  unsigned int key = arch_irq_lock();
  volatile uint32_t &enable = Word(kEnable + 4U * (irq / 32U));
  enable = enable & ~(1U << (irq % 32U));
  arch_irq_unlock(key);
}

int arch_irq_is_enabled(unsigned int irq) {
  return (Word(kEnable + 4U * (irq / 32U)) & (1U << (irq % 32U))) != 0U ? 1 : 0;
}

// IRQ_CONNECT priorities are Zephyr's: 0 most urgent. The PLIC's are the other way round, and 0
// means never: priority p becomes 7 - p (at least 1).
void z_riscv_irq_priority_set(unsigned int irq, unsigned int prio, uint32_t flags) {
  ARG_UNUSED(flags);
  uint32_t level = prio >= kMaxPriority ? 1U : kMaxPriority - prio;
  Word(kPriority + 4U * irq) = level;
}

}  // extern "C"
