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

#ifdef __cplusplus
}
#endif

#endif /* GALE_ARCH_ARM_ARCH_INLINES_H_ */
