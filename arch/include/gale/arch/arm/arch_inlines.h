/*
 * Cortex-M inline part of the port contract (see gale/arch.h).
 */
#ifndef GALE_ARCH_ARM_ARCH_INLINES_H_
#define GALE_ARCH_ARM_ARCH_INLINES_H_

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* PRIMASK masks every configurable-priority interrupt; the key is the previous PRIMASK. */
static ALWAYS_INLINE unsigned int arch_irq_lock(void) {
  unsigned int key;
  __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(key) : : "memory");
  return key;
}

static ALWAYS_INLINE void arch_irq_unlock(unsigned int key) {
  if (key != 0U) {
    return;
  }
  __asm__ volatile("cpsie i" : : : "memory");
}

static ALWAYS_INLINE bool arch_irq_unlocked(unsigned int key) {
  return key == 0U;
}

/* IPSR holds the active exception number: 0 in thread mode. */
static ALWAYS_INLINE bool arch_is_in_isr(void) {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  return ipsr != 0U;
}

/*
 * The jump from a vector thunk into the common interrupt path. Armv6-M's unconditional branch
 * reaches only +-2 KiB, too little across an image, so it goes through a register there (r0-r3
 * are stacked by the exception entry and free).
 */
#ifdef CONFIG_ARMV6_M
#define Z_ARM_JUMP_ISR_COMMON "ldr r2, =z_arm_isr_common\n\tbx r2\n\t"
#else
#define Z_ARM_JUMP_ISR_COMMON "b z_arm_isr_common\n\t"
#endif

void z_arm_irq_priority_set(unsigned int irq, unsigned int prio, uint32_t flags);

/*
 * IRQ_CONNECT: the vector table entry of each external interrupt is the symbol z_arm_irq_<n>,
 * weakly bound to the spurious-interrupt handler. Connecting defines it as a three-instruction
 * thunk that loads the argument and handler and enters the common interrupt path, so the
 * connection costs no RAM and no table lookup. The thunk is a COMDAT group: a call site the
 * compiler duplicates (inlining, cloning) still links once.
 */
#define ARCH_IRQ_CONNECT(irq_p, priority_p, isr_p, isr_param_p, flags_p)                        \
  ({                                                                                            \
    __asm__ volatile(".pushsection .text.z_arm_irq_%c0,\"axG\",%%progbits,z_arm_irq_%c0,comdat\n\t" \
                     ".global z_arm_irq_%c0\n\t"                                                 \
                     ".type z_arm_irq_%c0, %%function\n\t"                                       \
                     ".thumb_func\n\t"                                                          \
                     "z_arm_irq_%c0:\n\t"                                                       \
                     "ldr r0, =%c1\n\t"                                                         \
                     "ldr r1, =%c2\n\t"                                                         \
                     Z_ARM_JUMP_ISR_COMMON                                                      \
                     ".ltorg\n\t"                                                               \
                     ".popsection"                                                             \
                     :                                                                         \
                     : "i"(irq_p), "i"(isr_param_p), "i"(isr_p));                              \
    z_arm_irq_priority_set((irq_p), (priority_p), (flags_p));                                   \
    (irq_p);                                                                                    \
  })

#ifdef __cplusplus
}
#endif

#endif /* GALE_ARCH_ARM_ARCH_INLINES_H_ */
