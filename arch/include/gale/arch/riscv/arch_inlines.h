/*
 * RISC-V (machine mode) inline part of the port contract (see gale/arch.h).
 */
#ifndef GALE_ARCH_RISCV_ARCH_INLINES_H_
#define GALE_ARCH_RISCV_ARCH_INLINES_H_

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* mstatus.MIE, the machine-mode global interrupt enable. */
#define Z_RISCV_MSTATUS_MIE 0x8U

/* Trap nesting depth: 0 in threads, 1 in a handler, more for a fault inside a handler. */
extern volatile uint32_t z_riscv_nested;

/*
 * Clearing mstatus.MIE is one atomic CSR instruction that also reads the previous state. The
 * key is 0 when interrupts were enabled (MIE was set), as a Cortex-M PRIMASK key is: kernel code
 * may unlock with a literal 0.
 */
static ALWAYS_INLINE unsigned int arch_irq_lock(void) {
  unsigned int mstatus;
  __asm__ volatile("csrrci %0, mstatus, 8" : "=r"(mstatus) : : "memory");
  return (mstatus & Z_RISCV_MSTATUS_MIE) ^ Z_RISCV_MSTATUS_MIE;
}

static ALWAYS_INLINE void arch_irq_unlock(unsigned int key) {
  if (key != 0U) {
    return;
  }
  __asm__ volatile("csrsi mstatus, 8" : : : "memory");
}

static ALWAYS_INLINE bool arch_irq_unlocked(unsigned int key) {
  return key == 0U;
}

static ALWAYS_INLINE bool arch_is_in_isr(void) {
  return z_riscv_nested != 0U;
}

/* k_busy_wait() is the port's (arch/riscv/cpu.cc): it spaces its reads of mtime out. */
#define ARCH_HAS_CUSTOM_BUSY_WAIT 1

void z_riscv_irq_priority_set(unsigned int irq, unsigned int prio, uint32_t flags);

/*
 * IRQ_CONNECT: IRQ numbers are PLIC interrupt sources (1..CONFIG_NUM_IRQS-1). The PLIC
 * dispatcher calls z_riscv_irq_<n> from a table in flash, each entry weakly bound to the
 * spurious-interrupt handler. Connecting defines it as a thunk that loads the argument into a0
 * and tail-calls the handler, so a connection costs no RAM and no lookup. The thunk is a COMDAT
 * group: a call site the compiler duplicates still links once.
 */
#define ARCH_IRQ_CONNECT(irq_p, priority_p, isr_p, isr_param_p, flags_p)                          \
  ({                                                                                              \
    __asm__ volatile(".pushsection .text.z_riscv_irq_%c0,\"axG\",@progbits,z_riscv_irq_%c0,comdat\n\t" \
                     ".global z_riscv_irq_%c0\n\t"                                                \
                     ".type z_riscv_irq_%c0, @function\n\t"                                       \
                     "z_riscv_irq_%c0:\n\t"                                                       \
                     "lui a0, %%hi(%c1)\n\t"                                                      \
                     "addi a0, a0, %%lo(%c1)\n\t"                                                 \
                     "tail %c2\n\t"                                                               \
                     ".popsection"                                                                \
                     :                                                                           \
                     : "i"(irq_p), "i"(isr_param_p), "i"(isr_p));                                 \
    z_riscv_irq_priority_set((irq_p), (priority_p), (flags_p));                                   \
    (irq_p);                                                                                      \
  })

#ifdef __cplusplus
}
#endif

#endif /* GALE_ARCH_RISCV_ARCH_INLINES_H_ */
