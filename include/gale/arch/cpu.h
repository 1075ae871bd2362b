/*
 * The exception stack frame (struct arch_esf) of the selected architecture: what a fatal error
 * handler receives.
 */
#ifndef GALE_ARCH_CPU_H_
#define GALE_ARCH_CPU_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(CONFIG_ARM)
/** Registers the Cortex-M pushes on exception entry. */
struct arch_esf {
  struct {
    uint32_t a1, a2, a3, a4; /* r0-r3 */
    uint32_t ip;             /* r12 */
    uint32_t lr;             /* r14 */
    uint32_t pc;             /* return address */
    uint32_t xpsr;
  } basic;
};
#elif defined(CONFIG_RISCV)
/**
 * The RISC-V trap frame: every register the trap entry saves (arch/riscv/trap.S), 128 bytes.
 * A switched-out thread's context is this frame too.
 */
struct arch_esf {
  uint32_t ra;
  uint32_t t0, t1, t2;
  uint32_t a0, a1, a2, a3, a4, a5, a6, a7;
  uint32_t t3, t4, t5, t6;
  uint32_t mepc;    /* where the trap happened (the instruction to resume) */
  uint32_t mstatus; /* mstatus at the trap (MPIE: interrupts were enabled) */
  uint32_t tp;
  uint32_t s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
  uint32_t sp; /* the stack pointer before the trap (not restored from here) */
};
#else
/** native_sim has no exception frame: the host's signal context is not exposed. */
struct arch_esf {
  uintptr_t pc;
};
#endif

typedef struct arch_esf z_arch_esf_t;

#ifdef __cplusplus
}
#endif

#endif /* GALE_ARCH_CPU_H_ */
