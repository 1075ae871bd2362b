/*
 * RISC-V per-thread state and stack layout (part of the port contract, see gale/arch.h).
 */
#ifndef GALE_ARCH_RISCV_THREAD_H_
#define GALE_ARCH_RISCV_THREAD_H_

#include <stdint.h>

/*
 * A switched-out thread keeps every register, mepc and mstatus in one 128-byte frame (struct
 * arch_esf) on its own stack; the thread object only holds where that is.
 */
struct _thread_arch {
  uint32_t sp; /* the saved frame when switched out */
};

#define ARCH_STACK_PTR_ALIGN 16

#ifdef CONFIG_RISCV_PMP_STACK_GUARD
/* The lowest CONFIG_RISCV_PMP_GUARD_SIZE bytes of every stack object are a no-access PMP region
 * while the thread runs (a TOR region: 4-byte granularity, no alignment to its size). */
#define ARCH_THREAD_STACK_RESERVED CONFIG_RISCV_PMP_GUARD_SIZE
#else
#define ARCH_THREAD_STACK_RESERVED 0
#endif
#define ARCH_STACK_OBJ_ALIGN 16

#endif /* GALE_ARCH_RISCV_THREAD_H_ */
