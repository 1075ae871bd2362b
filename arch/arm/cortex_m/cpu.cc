// Cortex-M idle, static constructors and system exit.
#include <gale/arch.h>

// Linker-script symbols bracketing .init_array.
extern "C" {
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);
}

extern "C" void arch_cpu_idle(void) {
  // WFI with interrupts enabled: the pending interrupt is taken before the next instruction.
  __asm__ volatile("dsb\n\twfi\n\tcpsie i\n\tisb" : : : "memory");
}

extern "C" void arch_static_init(void) {
  for (void (**ctor)(void) = __init_array_start; ctor < __init_array_end; ctor++) {
    (*ctor)();
  }
}

namespace {

// Arm semihosting SYS_EXIT_EXTENDED (0x20): reason ADP_Stopped_ApplicationExit with the exit
// code. QEMU ends with that code when started with -semihosting-config enable=on.
[[maybe_unused]] void SemihostExit(int status) {
  static volatile uint32_t block[2];
  block[0] = 0x20026U;  // ADP_Stopped_ApplicationExit
  block[1] = static_cast<uint32_t>(status);
  register uint32_t op __asm__("r0") = 0x20U;
  register volatile uint32_t *arg __asm__("r1") = block;
  __asm__ volatile("bkpt 0xab" : "+r"(op) : "r"(arg) : "memory");
}

}  // namespace

extern "C" FUNC_NORETURN void arch_system_exit(int status) {
  __asm__ volatile("cpsid i" : : : "memory");
#ifdef CONFIG_QEMU_TARGET
  // On hardware without a debugger attached, a semihosting call faults; only emulated boards
  // make it.
  SemihostExit(status);
#else
  (void)status;
#endif
  for (;;) {
    __asm__ volatile("wfi");
  }
}
