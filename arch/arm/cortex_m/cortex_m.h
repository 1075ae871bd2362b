// Cortex-M system control registers the port uses (Armv7-M Architecture Reference Manual, B3.2).
#ifndef GALE_ARCH_ARM_CORTEX_M_CORTEX_M_H_
#define GALE_ARCH_ARM_CORTEX_M_CORTEX_M_H_

#include <stdint.h>

namespace gale::arch::cortex_m::scb {

inline constexpr uintptr_t kIcsr = 0xE000ED04;
inline constexpr uintptr_t kVtor = 0xE000ED08;
inline constexpr uintptr_t kAircr = 0xE000ED0C;
inline constexpr uintptr_t kCcr = 0xE000ED14;
inline constexpr uintptr_t kShpr2 = 0xE000ED1C;
inline constexpr uintptr_t kShpr3 = 0xE000ED20;
inline constexpr uintptr_t kShcsr = 0xE000ED24;
inline constexpr uintptr_t kCfsr = 0xE000ED28;
inline constexpr uintptr_t kHfsr = 0xE000ED2C;
inline constexpr uintptr_t kMmfar = 0xE000ED34;
inline constexpr uintptr_t kBfar = 0xE000ED38;
inline constexpr uintptr_t kCpacr = 0xE000ED88;
// Floating-Point Context Control Register, present when the CPU has the FP extension.
inline constexpr uintptr_t kFpccr = 0xE000EF34;

inline constexpr uint32_t kShcsrMemFaultEna = 1U << 16;
inline constexpr uint32_t kShcsrBusFaultEna = 1U << 17;
inline constexpr uint32_t kShcsrUsgFaultEna = 1U << 18;
inline constexpr uint32_t kCcrDiv0Trp = 1U << 4;
inline constexpr uint32_t kAircrVectKey = 0x05FAU << 16;
inline constexpr uint32_t kAircrSysResetReq = 1U << 2;
// CPACR: full access (0b11) to coprocessors 10 and 11, which together are the FPU.
inline constexpr uint32_t kCpacrCp10Cp11Full = 0xFU << 20;
// FPCCR: ASPEN sets CONTROL.FPCA whenever an FP instruction runs, so the next exception entry
// stacks an extended frame with room for s0-s15 and FPSCR; LSPEN defers writing them until the
// handler itself uses the FPU (lazy state preservation).
inline constexpr uint32_t kFpccrAspen = 1U << 31;
inline constexpr uint32_t kFpccrLspen = 1U << 30;

inline uint32_t Read(uintptr_t reg) {
  return *reinterpret_cast<volatile uint32_t *>(reg);
}
inline void Write(uintptr_t reg, uint32_t value) {
  *reinterpret_cast<volatile uint32_t *>(reg) = value;
}

}  // namespace gale::arch::cortex_m::scb

#endif  // GALE_ARCH_ARM_CORTEX_M_CORTEX_M_H_
