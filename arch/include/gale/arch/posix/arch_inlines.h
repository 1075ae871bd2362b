/*
 * native_sim inline part of the port contract (see gale/arch.h). The simulated CPU runs one
 * Gale context at a time, so interrupt locking is a flag the port's interrupt emulation reads.
 */
#ifndef GALE_ARCH_POSIX_ARCH_INLINES_H_
#define GALE_ARCH_POSIX_ARCH_INLINES_H_

#include <stdbool.h>
#include <stdint.h>

#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

unsigned int posix_irq_lock(void);
void posix_irq_unlock(unsigned int key);
bool posix_is_in_isr(void);

static inline unsigned int arch_irq_lock(void) {
  return posix_irq_lock();
}
static inline void arch_irq_unlock(unsigned int key) {
  posix_irq_unlock(key);
}
static inline bool arch_irq_unlocked(unsigned int key) {
  return key == 0U;
}
static inline bool arch_is_in_isr(void) {
  return posix_is_in_isr();
}

/* k_busy_wait() advances the simulated time (arch/posix/timer.cc). */
#define ARCH_HAS_CUSTOM_BUSY_WAIT 1

/** An emulated interrupt line's handler (kernel-private layout). */
struct posix_isr_entry {
  unsigned int irq;
  void (*isr)(const void *arg);
  const void *arg;
};

void posix_irq_priority_set(unsigned int irq, unsigned int prio, uint32_t flags);

/** Raise emulated interrupt line @p irq (for simulated devices): its handler runs at once
 * unless interrupts are locked or the line is disabled, then when that ends. */
void posix_irq_raise(unsigned int irq);

#define ARCH_IRQ_CONNECT(irq_p, priority_p, isr_p, isr_param_p, flags_p)                       \
  ({                                                                                           \
    static const struct posix_isr_entry __used                                                 \
        __attribute__((__section__("._posix_isr_entry.static." STRINGIFY(irq_p)))) _isr_entry = \
            {(irq_p), (void (*)(const void *))(isr_p), (const void *)(isr_param_p)};           \
    posix_irq_priority_set((irq_p), (priority_p), (flags_p));                                  \
    (irq_p);                                                                                   \
  })

#ifdef __cplusplus
}
#endif

#endif /* GALE_ARCH_POSIX_ARCH_INLINES_H_ */
