/*
 * Fatal errors (Zephyr's fatal.h): k_panic(), k_oops(), the overridable handler.
 */
#ifndef GALE_FATAL_H_
#define GALE_FATAL_H_

#include <gale/arch/cpu.h>
#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Why a fatal error was raised. */
enum k_fatal_error_reason {
  /** A CPU exception: bad memory access, illegal instruction, division by zero, ... */
  K_ERR_CPU_EXCEPTION,
  /** An interrupt with no handler connected. */
  K_ERR_SPURIOUS_IRQ,
  /** A thread overflowed its stack. */
  K_ERR_STACK_CHK_FAIL,
  /** k_oops(): the current thread cannot go on. */
  K_ERR_KERNEL_OOPS,
  /** k_panic(): the system cannot go on. */
  K_ERR_KERNEL_PANIC,
  /** First reason code left to architectures. */
  K_ERR_ARCH_START = 16
};

/**
 * Stop the system: lock interrupts and spin. On an emulator the emulation ends with a
 * failure status (QEMU semihosting exit, native_sim process exit) so runners need no timeout.
 */
FUNC_NORETURN void k_fatal_halt(unsigned int reason);

/**
 * Called after the kernel has reported a fatal error. The default halts the system
 * (k_fatal_halt()). An application or test framework may define its own: when it returns,
 * the faulting thread is aborted and the system goes on (except for K_ERR_KERNEL_PANIC and
 * errors in an interrupt handler, which always halt).
 *
 * @param reason a k_fatal_error_reason
 * @param esf the exception frame, or NULL when the error was raised by software
 */
void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf);

/** Report a fatal error of the current context (kernel-internal entry, see k_oops()). */
void z_fatal_error(unsigned int reason, const struct arch_esf *esf);

/** Raise a fatal error of @p reason from software. */
#define z_except_reason(reason) z_fatal_error((reason), (const struct arch_esf *)0)

/** Fatal error of the current thread: it is aborted (unless the handler halts). */
#define k_oops() z_except_reason(K_ERR_KERNEL_OOPS)

/** Fatal error of the system: it halts. */
#define k_panic() z_except_reason(K_ERR_KERNEL_PANIC)

#ifdef __cplusplus
}
#endif

#endif /* GALE_FATAL_H_ */
