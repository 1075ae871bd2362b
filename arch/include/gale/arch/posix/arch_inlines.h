/*
 * native_sim inline part of the port contract (see gale/arch.h). The simulated CPU runs one
 * Gale context at a time, so interrupt locking is a flag the port's interrupt emulation reads.
 */
#ifndef GALE_ARCH_POSIX_ARCH_INLINES_H_
#define GALE_ARCH_POSIX_ARCH_INLINES_H_

#include <stdbool.h>

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

#ifdef __cplusplus
}
#endif

#endif /* GALE_ARCH_POSIX_ARCH_INLINES_H_ */
