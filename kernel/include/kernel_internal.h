// Kernel-private declarations shared by the kernel's own files and the arch ports.
#ifndef GALE_KERNEL_INCLUDE_KERNEL_INTERNAL_H_
#define GALE_KERNEL_INCLUDE_KERNEL_INTERNAL_H_

#include <stddef.h>

#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The kernel's entry from the arch start-up code: .data and .bss are set up, interrupts are
 * locked, the CPU runs on the interrupt stack. Runs the init levels and main(); never returns.
 */
FUNC_NORETURN void z_cstart(void);

/** Call the application's main() (see main_call.c for why this is a C function). */
int z_main_call(void);

/**
 * Allocate @p size bytes aligned to @p align (0: 8) on behalf of the calling thread: from its
 * resource pool (k_thread_heap_assign()), or from the system heap in an interrupt handler.
 * Free with k_free(). Returns NULL when there is no pool or no room; never waits.
 */
void *z_thread_aligned_alloc(size_t align, size_t size);
/** z_thread_aligned_alloc() with the default alignment. */
void *z_thread_malloc(size_t size);

#ifdef __cplusplus
}

#include <gale/kernel.h>

namespace gale::kernel {
// Set up a thread without starting it (thread.cc).
void PrepareThread(k_thread *thread, k_thread_stack_t *stack, size_t stack_size,
                   k_thread_entry_t entry, void *p1, void *p2, void *p3, int prio,
                   uint32_t options);
// Start a prepared thread after @p delay (K_FOREVER: leave it for k_thread_start()).
// @pre interrupts locked
void StartThread(k_thread *thread, k_timeout_t delay);
// Start the K_THREAD_DEFINE threads.
void InitStaticThreads();
// Whether @p thread's stack sentinel is intact (always, without CONFIG_STACK_SENTINEL).
bool StackSentinelIntact(const k_thread *thread);
}  // namespace gale::kernel
#endif

#endif  // GALE_KERNEL_INCLUDE_KERNEL_INTERNAL_H_
