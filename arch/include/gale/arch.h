/*
 * The architecture port contract: everything the kernel needs from a port, and nothing else.
 * A port (arch/<arch>/) implements these functions, and provides the inline ones in
 * arch/include/gale/arch/<arch>/arch_inlines.h, which this header includes.
 *
 * Ports: arm (Cortex-M), riscv (RV32 machine mode), posix (native_sim).
 */
#ifndef GALE_ARCH_H_
#define GALE_ARCH_H_

#include <stdbool.h>
#include <stddef.h>
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

struct k_thread;
struct z_thread_stack_element;
typedef void (*k_thread_entry_t)(void *p1, void *p2, void *p3);

/**
 * Prepare @p thread's initial context so that, when first switched in, it runs
 * z_thread_entry(@p entry, @p p1, @p p2, @p p3) on the stack whose top is @p stack_ptr.
 * With CONFIG_THREAD_LOCAL_STORAGE (ports that select ARCH_HAS_THREAD_LOCAL_STORAGE), the
 * port also sets up the thread's thread-local storage block at the top of the stack and its
 * thread pointer, and takes the block's size off thread->stack_info.size.
 */
void arch_new_thread(struct k_thread *thread, struct z_thread_stack_element *stack,
                     char *stack_ptr, k_thread_entry_t entry, void *p1, void *p2, void *p3);

/**
 * Switch from the current thread (_kernel.current) to _kernel.ready_cache, with interrupts
 * locked by @p key. The switch may happen later on ports that defer it to the lowest-priority
 * exception, never after the caller resumes. Returns, once the caller is switched back in,
 * the caller's base.swap_retval, with the interrupt state of @p key restored.
 *
 * @pre thread context, interrupts locked (@p key from arch_irq_lock())
 */
int arch_swap(unsigned int key);

/**
 * Leave the start-up context for good and run @p main_thread (already _kernel.current):
 * z_thread_entry(@p entry, NULL, NULL, NULL) on the stack whose top is @p stack_ptr, with
 * interrupts unlocked.
 */
FUNC_NORETURN void arch_switch_to_main_thread(struct k_thread *main_thread, char *stack_ptr,
                                              k_thread_entry_t entry);

/** Enable, disable, query interrupt line @p irq. */
void arch_irq_enable(unsigned int irq);
void arch_irq_disable(unsigned int irq);
int arch_irq_is_enabled(unsigned int irq);

/** Run @p routine(@p parameter) in interrupt context (see irq_offload()). */
void arch_irq_offload(void (*routine)(const void *parameter), const void *parameter);

/**
 * The kernel's thread entry, for arch_new_thread(): runs @p entry and aborts the thread when
 * it returns.
 */
FUNC_NORETURN void z_thread_entry(k_thread_entry_t entry, void *p1, void *p2, void *p3);

#ifdef __cplusplus
}
#endif

#if defined(CONFIG_ARM)
#include <gale/arch/arm/arch_inlines.h>
#elif defined(CONFIG_RISCV)
#include <gale/arch/riscv/arch_inlines.h>
#elif defined(CONFIG_ARCH_POSIX)
#include <gale/arch/posix/arch_inlines.h>
#else
#error "no Gale architecture port selected (CONFIG_ARM, CONFIG_RISCV, CONFIG_ARCH_POSIX)"
#endif

#endif /* GALE_ARCH_H_ */
