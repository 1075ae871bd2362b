/*
 * Cortex-M per-thread state and stack layout (part of the port contract, see gale/arch.h).
 */
#ifndef GALE_ARCH_ARM_THREAD_H_
#define GALE_ARCH_ARM_THREAD_H_

#include <stdint.h>

/*
 * A switched-out thread keeps r4-r11 and its EXC_RETURN (and s16-s31 when it used the FPU) on
 * its own stack, below the exception frame; the thread object only holds where that is.
 */
struct _thread_arch {
  uint32_t psp;     /* process stack pointer when switched out */
  uint32_t irq_key; /* PRIMASK at arch_swap(), restored when the thread is switched back in */
};

#define ARCH_STACK_PTR_ALIGN 8

#ifdef CONFIG_MPU_STACK_GUARD
/* The lowest 32 bytes of every stack object are a no-access MPU region while the thread runs:
 * an overflow faults at once instead of corrupting what lies below. */
#define ARCH_THREAD_STACK_RESERVED 32
#define ARCH_STACK_OBJ_ALIGN 32
#else
#define ARCH_THREAD_STACK_RESERVED 0
#define ARCH_STACK_OBJ_ALIGN 8
#endif

#endif /* GALE_ARCH_ARM_THREAD_H_ */
