/*
 * The architecture port contract: everything the kernel needs from a port, and nothing else.
 * A port (arch/<arch>/) implements these functions, and provides the inline ones in
 * arch/include/gale/arch/<arch>/arch_inlines.h, which this header includes.
 *
 * Ports: arm (Cortex-M), posix (native_sim).
 */
#ifndef GALE_ARCH_H_
#define GALE_ARCH_H_

#include <stdbool.h>
#include <stdint.h>

#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Lock interrupts on the current CPU.
 *
 * @pre any context
 * @returns a key for arch_irq_unlock(); locks nest: only the outermost unlock unlocks.
 */
static inline unsigned int arch_irq_lock(void);

/** Restore the interrupt state saved in @p key by arch_irq_lock(). @pre any context */
static inline void arch_irq_unlock(unsigned int key);

/** Whether @p key (from arch_irq_lock()) means interrupts were unlocked before. */
static inline bool arch_irq_unlocked(unsigned int key);

/** Whether the CPU is running an interrupt or exception handler. @pre any context */
static inline bool arch_is_in_isr(void);

/**
 * Wait for an interrupt with interrupts enabled; returns after one has been handled.
 * @pre thread context (the idle loop)
 */
void arch_cpu_idle(void);

/**
 * Run C++ static constructors (.init_array) of the image, where the port's start-up has not
 * already done so. Called once, from the main thread, after POST_KERNEL.
 */
void arch_static_init(void);

/**
 * Stop the system for good: on an emulator, end the emulation with @p status as its exit
 * code (semihosting, or the process's exit status on native_sim); on hardware, lock
 * interrupts and halt.
 *
 * @pre any context
 */
FUNC_NORETURN void arch_system_exit(int status);

#ifdef __cplusplus
}
#endif

#if defined(CONFIG_ARM)
#include <gale/arch/arm/arch_inlines.h>
#elif defined(CONFIG_ARCH_POSIX)
#include <gale/arch/posix/arch_inlines.h>
#else
#error "no Gale architecture port selected (CONFIG_ARM, CONFIG_ARCH_POSIX)"
#endif

#endif /* GALE_ARCH_H_ */
