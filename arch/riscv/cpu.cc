// RISC-V start-up (after start.S), idle, static constructors and system exit.
#include <string.h>

#include <gale/arch.h>
#include <gale/kernel.h>

#include <kernel_internal.h>

#include "riscv.h"

// Linker-script symbols (arch/riscv/linker.ld.in).
extern "C" {
extern char __data_region_start[];
extern char __data_region_end[];
extern char __data_region_load_start[];
extern char __bss_start[];
extern char __bss_end[];
extern char __tls_size[];
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);
void _init_tls(void *tls);
}

// The stack start.S boots on, and every trap handler's.
extern "C" char __aligned(16) __noinit z_interrupt_stacks[CONFIG_ISR_STACK_SIZE];
char __aligned(16) __noinit z_interrupt_stacks[CONFIG_ISR_STACK_SIZE];

extern "C" FUNC_NORETURN void z_riscv_reset(void) {
  memcpy(__data_region_start, __data_region_load_start,
         static_cast<size_t>(__data_region_end - __data_region_start));
  memset(__bss_start, 0, static_cast<size_t>(__bss_end - __bss_start));
  z_riscv_plic_init();
#ifdef CONFIG_THREAD_LOCAL_STORAGE
  // Start-up code (init levels) gets a TLS block too, so that errno works before threads.
  static char __aligned(16) boot_tls[16];
  if (reinterpret_cast<uintptr_t>(__tls_size) <= sizeof(boot_tls)) {
    _init_tls(boot_tls);
    __asm__ volatile("mv tp, %0" : : "r"(boot_tls));
  }
#endif
  z_cstart();
}

extern "C" void arch_cpu_idle(void) {
  // WFI wakes on a pending enabled interrupt even with MIE clear; it is then taken as soon as
  // MIE is set. Waiting with interrupts locked closes the window between the kernel's decision
  // to idle and the wait.
  __asm__ volatile("csrci mstatus, 8\n\twfi\n\tcsrsi mstatus, 8" : : : "memory");
}

// mtime is a bus access to the CLINT, and under QEMU's -icount an expensive one: the emulator
// ends the translation block at each device access and re-enters it, about a microsecond of host
// time per read. A loop that does nothing but read it runs the emulator at a few million
// instructions a second, so busy-waiting tests crawl. A pause of 32 register-only iterations
// between reads makes them an order of magnitude fewer, at the cost of overshooting the wait by
// at most one pause (about 100 instructions: 6 us at the FE310's 16 MHz, 0.1 us under QEMU).
extern "C" void k_busy_wait(uint32_t usec_to_wait) {
  if (usec_to_wait == 0U) {
    return;
  }
  uint32_t start = k_cycle_get_32();
  auto cycles = static_cast<uint32_t>(k_us_to_cyc_ceil64(static_cast<uint64_t>(usec_to_wait)));
  while (k_cycle_get_32() - start < cycles) {
    for (int i = 0; i < 32; i++) {
      __asm__ volatile("nop");
    }
  }
}

extern "C" void arch_static_init(void) {
  for (void (**ctor)(void) = __init_array_start; ctor < __init_array_end; ctor++) {
    (*ctor)();
  }
}

namespace {

// RISC-V semihosting: the Arm semihosting operations, requested by an ebreak between two
// marker instructions (slli x0, x0, 0x1f / srai x0, x0, 7), all uncompressed and in one page.
// SYS_EXIT_EXTENDED (0x20) with reason ADP_Stopped_ApplicationExit and the exit code; QEMU ends
// with that code when started with -semihosting-config enable=on.
[[maybe_unused]] void SemihostExit(int status) {
  static volatile uint32_t block[2];
  block[0] = 0x20026U;  // ADP_Stopped_ApplicationExit
  block[1] = static_cast<uint32_t>(status);
  register uint32_t op __asm__("a0") = 0x20U;
  register volatile uint32_t *arg __asm__("a1") = block;
  __asm__ volatile(
      ".option push\n\t"
      ".option norvc\n\t"
      ".balign 16\n\t"
      "slli x0, x0, 0x1f\n\t"
      "ebreak\n\t"
      "srai x0, x0, 7\n\t"
      ".option pop"
      : "+r"(op)
      : "r"(arg)
      : "memory");
}

}  // namespace

extern "C" FUNC_NORETURN void arch_system_exit(int status) {
  __asm__ volatile("csrci mstatus, 8" : : : "memory");
#ifdef CONFIG_QEMU_TARGET
  // On hardware without a debugger attached, the ebreak would trap; only emulated boards make
  // the call.
  SemihostExit(status);
#else
  (void)status;
#endif
  for (;;) {
    __asm__ volatile("wfi");
  }
}
