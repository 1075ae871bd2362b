// Stack overflow detection with the MPU: region 0 is a 32-byte no-access window just below the
// running thread's stack; PendSV moves it at every switch. Everything else keeps the default
// memory map (PRIVDEFENA), so the guard is the MPU's only effect.
#include <gale/arch.h>
#include <gale/kernel.h>

namespace {

constexpr uintptr_t kMpuType = 0xE000ED90;
constexpr uintptr_t kMpuCtrl = 0xE000ED94;
constexpr uintptr_t kMpuRnr = 0xE000ED98;
constexpr uintptr_t kMpuRbar = 0xE000ED9C;
constexpr uintptr_t kMpuRasr = 0xE000EDA0;

constexpr uint32_t kCtrlEnable = 1U << 0;
constexpr uint32_t kCtrlPrivDefEna = 1U << 2;
// Execute-never, no access, 32 bytes (SIZE = log2(32) - 1), enabled.
constexpr uint32_t kGuardRasr = (1U << 28) | (0U << 24) | (4U << 1) | 1U;

void Write(uintptr_t reg, uint32_t value) {
  *reinterpret_cast<volatile uint32_t *>(reg) = value;
}

}  // namespace

extern "C" {

bool z_arm_mpu_guard_active;

void z_arm_mpu_guard_init(struct k_thread *thread) {
  uint32_t regions = (*reinterpret_cast<volatile uint32_t *>(kMpuType) >> 8) & 0xFFU;
  if (regions == 0U) {
    return;  // no MPU: overflows are found by the fault handler's stack-pointer check only
  }
  Write(kMpuRnr, 0);
  Write(kMpuRbar, static_cast<uint32_t>(thread->stack_info.start - ARCH_THREAD_STACK_RESERVED));
  Write(kMpuRasr, kGuardRasr);
  Write(kMpuCtrl, kCtrlEnable | kCtrlPrivDefEna);
  __asm__ volatile("dsb\n\tisb" : : : "memory");
  z_arm_mpu_guard_active = true;
}

}  // extern "C"
