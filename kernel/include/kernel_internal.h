// Kernel-private declarations shared by the kernel's own files and the arch ports.
#ifndef GALE_KERNEL_INCLUDE_KERNEL_INTERNAL_H_
#define GALE_KERNEL_INCLUDE_KERNEL_INTERNAL_H_

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

#ifdef __cplusplus
}
#endif

#endif  // GALE_KERNEL_INCLUDE_KERNEL_INTERNAL_H_
