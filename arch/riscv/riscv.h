// RISC-V machine-mode CSRs and bits the port uses (RISC-V Privileged Architecture, v1.12).
#ifndef GALE_ARCH_RISCV_RISCV_H_
#define GALE_ARCH_RISCV_RISCV_H_

#include <stdint.h>

#include <gale/arch/cpu.h>

#define GALE_CSR_READ(csr)                                      \
  ({                                                            \
    uint32_t v_;                                                \
    __asm__ volatile("csrr %0, " #csr : "=r"(v_) : : "memory"); \
    v_;                                                         \
  })
#define GALE_CSR_WRITE(csr, value) __asm__ volatile("csrw " #csr ", %0" : : "r"(value) : "memory")
#define GALE_CSR_SET(csr, bits) __asm__ volatile("csrs " #csr ", %0" : : "r"(bits) : "memory")
#define GALE_CSR_CLEAR(csr, bits) __asm__ volatile("csrc " #csr ", %0" : : "r"(bits) : "memory")

namespace gale::arch::riscv {

inline constexpr uint32_t kMstatusMie = 1U << 3;
inline constexpr uint32_t kMstatusMpie = 1U << 7;
inline constexpr uint32_t kMstatusMppMask = 3U << 11;
inline constexpr uint32_t kMstatusMppMachine = 3U << 11;
inline constexpr uint32_t kMstatusMprv = 1U << 17;

inline constexpr uint32_t kMcauseInterrupt = 1U << 31;
// Interrupt causes (mcause with the interrupt bit), also the bits of mie/mip.
inline constexpr uint32_t kIrqMachineSoftware = 3;
inline constexpr uint32_t kIrqMachineTimer = 7;
inline constexpr uint32_t kIrqMachineExternal = 11;
// Exception causes.
inline constexpr uint32_t kExcEcallMachine = 11;

// ecall function codes (a7) of the port's own traps.
inline constexpr uint32_t kEcallSwap = 0;
inline constexpr uint32_t kEcallOffload = 1;

}  // namespace gale::arch::riscv

extern "C" {
// Handlers of the local interrupts, defined by the drivers that own them (weak defaults report a
// spurious interrupt).
void z_riscv_mtimer_isr(void);
// The PLIC: claim the highest-priority pending source (0: none) and complete it.
uint32_t z_riscv_plic_claim(void);
void z_riscv_plic_complete(uint32_t source);
void z_riscv_plic_init(void);
// Fault decoding (fault.cc); returns only when the faulting thread was aborted.
void z_riscv_fault(struct arch_esf *esf, uint32_t mcause);
// The stack guard (pmp.cc).
void z_riscv_pmp_guard_init(struct k_thread *thread);
void z_riscv_pmp_guard_set(struct k_thread *thread);
}

#endif  // GALE_ARCH_RISCV_RISCV_H_
