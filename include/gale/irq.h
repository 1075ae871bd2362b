/*
 * Interrupts (Zephyr's irq.h): connecting handlers at build time, enabling lines, locking.
 */
#ifndef GALE_IRQ_H_
#define GALE_IRQ_H_

#include <stdbool.h>

#include <gale/arch.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Connect @p isr_p (called with @p isr_param_p) to interrupt line @p irq_p at @p priority_p.
 * The connection is made at build time (the line's vector); the call sets the priority.
 * @p irq_p, @p isr_p and @p isr_param_p must be constants; the line stays disabled until
 * irq_enable(). Connecting one line twice fails the link.
 *
 * @returns the interrupt line
 */
#define IRQ_CONNECT(irq_p, priority_p, isr_p, isr_param_p, flags_p) \
  ARCH_IRQ_CONNECT(irq_p, priority_p, isr_p, isr_param_p, flags_p)

/** Lock interrupts. @returns the key for irq_unlock(); locks nest. @pre any context */
static ALWAYS_INLINE unsigned int irq_lock(void) {
  return arch_irq_lock();
}

/** Undo the irq_lock() that returned @p key. */
static ALWAYS_INLINE void irq_unlock(unsigned int key) {
  arch_irq_unlock(key);
}

/** Enable interrupt line @p irq. */
#define irq_enable(irq) arch_irq_enable(irq)
/** Disable interrupt line @p irq. */
#define irq_disable(irq) arch_irq_disable(irq)
/** Whether interrupt line @p irq is enabled. */
#define irq_is_enabled(irq) arch_irq_is_enabled(irq)

#ifdef __cplusplus
}
#endif

#endif /* GALE_IRQ_H_ */
