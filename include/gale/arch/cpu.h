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
