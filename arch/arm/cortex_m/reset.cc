// Cortex-M reset: the CPU starts here on the interrupt stack (vector 0) with interrupts
// enabled and nothing initialised. Turn the FPU on (CONFIG_FPU), set up memory and the fault
// configuration, then hand over to the kernel.
#include <string.h>

#include <gale/arch.h>

#include <kernel_internal.h>

#include "cortex_m.h"

// Linker-script symbols (arch/arm/cortex_m/linker.ld.in).
extern "C" {
extern char __data_region_start[];
extern char __data_region_end[];
extern char __data_region_load_start[];
extern char __bss_start[];
extern char __bss_end[];
extern const char _vector_table[];
extern char __tls_size[];
extern char __arm32_tls_tcb_offset[];
extern void *__tls;
void _init_tls(void *tls);
}

// The stack the CPU boots on and every exception handler uses (MSP).
extern "C" char __aligned(8) __noinit z_interrupt_stacks[CONFIG_ISR_STACK_SIZE];
char __aligned(8) __noinit z_interrupt_stacks[CONFIG_ISR_STACK_SIZE];

// general-regs-only: this function runs before the FPU is on, so the compiler must not use FP
// registers in it, not even to spill (an FP instruction now would be a UsageFault, NOCP).
extern "C" FUNC_NORETURN __attribute__((target("general-regs-only"))) void z_arm_reset(void) {
  // Nothing may be interrupted before the kernel has set up its state.
  __asm__ volatile("cpsid i" : : : "memory");

  namespace scb = gale::arch::cortex_m::scb;
#ifdef CONFIG_FPU
  // First of all, since every function compiled for the hard-float ABI (memcpy() below
  // included) may use FP registers. The DSB completes the CPACR write and the ISB makes the
  // instructions after it see the FPU enabled.
  scb::Write(scb::kCpacr, scb::Read(scb::kCpacr) | scb::kCpacrCp10Cp11Full);
  __asm__ volatile("dsb\n\tisb" : : : "memory");
  // Both bits reset to 1 on Armv7-M; set them anyway in case a bootloader cleared them. With
  // them, the hardware stacks s0-s15 lazily, and the context switch saves s16-s31 only for
  // threads that used the FPU (EXC_RETURN bit 4 clear).
  scb::Write(scb::kFpccr, scb::Read(scb::kFpccr) | scb::kFpccrAspen | scb::kFpccrLspen);
#endif

  memcpy(__data_region_start, __data_region_load_start,
         static_cast<size_t>(__data_region_end - __data_region_start));
  memset(__bss_start, 0, static_cast<size_t>(__bss_end - __bss_start));

#ifdef CONFIG_ARMV7_M_ARMV8_M_MAINLINE
  // The table is linked at the start of flash, where the reset vector already is; setting VTOR
  // keeps that true for images linked elsewhere (behind a bootloader).
  scb::Write(scb::kVtor, reinterpret_cast<uintptr_t>(_vector_table));
  // Report faults as what they are rather than escalating all to HardFault, and trap integer
  // division by zero instead of silently returning 0.
  scb::Write(scb::kShcsr, scb::Read(scb::kShcsr) | scb::kShcsrMemFaultEna | scb::kShcsrBusFaultEna |
                              scb::kShcsrUsgFaultEna);
  scb::Write(scb::kCcr, scb::Read(scb::kCcr) | scb::kCcrDiv0Trp);
  __asm__ volatile("dsb\n\tisb" : : : "memory");
#else
  // Armv6-M: the vector table is fixed at address 0 (no VTOR on the Cortex-M0), every fault is
  // a HardFault, and division is done in software.
  ARG_UNUSED(_vector_table);
#endif

#ifdef CONFIG_THREAD_LOCAL_STORAGE
  // Start-up code (init levels) gets a TLS block too, so that errno works before threads.
  static char __aligned(8) boot_tls[16];
  if (reinterpret_cast<uintptr_t>(__tls_size) <= sizeof(boot_tls)) {
    _init_tls(boot_tls);
    __tls = boot_tls - reinterpret_cast<uintptr_t>(__arm32_tls_tcb_offset);
  }
#endif
  z_cstart();
}
