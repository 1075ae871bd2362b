// RISC-V trap dispatch and interrupt lines.
//
// Local interrupts (machine timer, software) are the port's and its timer driver's own; the
// lines IRQ_CONNECT and arch_irq_enable() speak of are the sources of the platform-level
// interrupt controller (PLIC, drivers/interrupt_controller/intc_plic.cc), all of which arrive as
// the machine external interrupt.
#include <gale/arch.h>
#include <gale/fatal.h>
#include <gale/kernel.h>
#include <gale/sys/printk.h>

#include <kernel_trace.h>
#include <ksched.h>

#include "riscv.h"

namespace rv = gale::arch::riscv;

extern "C" {

volatile uint32_t z_riscv_nested;

extern void (*const z_riscv_irq_table[])(uint32_t source);

// IRQ_CONNECT's default: a source nobody connected fired.
void z_riscv_irq_spurious(uint32_t source) {
  printk("***** Spurious interrupt (PLIC source %u) *****\n", static_cast<unsigned>(source));
  z_fatal_error(K_ERR_SPURIOUS_IRQ, nullptr);
}

__attribute__((weak)) void z_riscv_mtimer_isr(void) {
  printk("***** Spurious interrupt (machine timer, no timer driver) *****\n");
  z_fatal_error(K_ERR_SPURIOUS_IRQ, nullptr);
}

#ifdef CONFIG_IRQ_OFFLOAD
namespace {
void (*volatile offload_routine)(const void *);
const void *volatile offload_parameter;
}  // namespace

void arch_irq_offload(void (*routine)(const void *parameter), const void *parameter) {
  unsigned int key = arch_irq_lock();
  offload_routine = routine;
  offload_parameter = parameter;
  // The ecall trap runs the routine on the interrupt stack, in interrupt context, then takes
  // the same exit as an interrupt (a switch if the routine readied a thread).
  register uint32_t code __asm__("a7") = rv::kEcallOffload;
  __asm__ volatile("ecall" : : "r"(code) : "memory");
  arch_irq_unlock(key);
}
#endif

// Called by trap.S with the trap frame; returns the frame to resume.
struct arch_esf *z_riscv_trap_handler(struct arch_esf *esf) {
  uint32_t mcause = GALE_CSR_READ(mcause);
  if ((mcause & rv::kMcauseInterrupt) != 0U) {
    // Trace numbers follow Cortex-M's exception numbers: local interrupts keep their mcause
    // code (7: machine timer), PLIC source n is 16 + n (docs/tracing.md).
    switch (mcause & ~rv::kMcauseInterrupt) {
      case rv::kIrqMachineTimer:
#ifdef CONFIG_TRACING_ISR
        gale_trace_hook_isr_enter(rv::kIrqMachineTimer);
#endif
        z_riscv_mtimer_isr();
#ifdef CONFIG_TRACING_ISR
        gale_trace_hook_isr_exit();
#endif
        break;
      case rv::kIrqMachineExternal:
        for (uint32_t source = z_riscv_plic_claim(); source != 0U; source = z_riscv_plic_claim()) {
#ifdef CONFIG_TRACING_ISR
          gale_trace_hook_isr_enter(16U + source);
#endif
          if (source < CONFIG_NUM_IRQS) {
            z_riscv_irq_table[source](source);
          } else {
            z_riscv_irq_spurious(source);
          }
#ifdef CONFIG_TRACING_ISR
          gale_trace_hook_isr_exit();
#endif
          z_riscv_plic_complete(source);
        }
        break;
      default:
        z_riscv_fault(esf, mcause);
        break;
    }
  } else if (mcause == rv::kExcEcallMachine) {
    esf->mepc += 4;  // resume after the ecall (never compressed)
#ifdef CONFIG_IRQ_OFFLOAD
    if (esf->a7 == rv::kEcallOffload) {
      offload_routine(offload_parameter);
    }
#endif
  } else {
    z_riscv_fault(esf, mcause);
  }

  // The outermost trap leaves the thread the kernel chose: save the outgoing thread's frame,
  // point the stack guard at the incoming thread's stack, resume the incoming thread's frame.
  if (z_riscv_nested == 1U && _kernel.current != _kernel.ready_cache) {
    k_thread *outgoing = _kernel.current;
    k_thread *incoming = _kernel.ready_cache;
    outgoing->arch.sp = reinterpret_cast<uint32_t>(esf);
#ifdef CONFIG_TRACING
    gale_trace_hook_switch();  // before the current pointer moves, as the hook expects
#endif
    _kernel.current = incoming;
#ifdef CONFIG_RISCV_PMP_STACK_GUARD
    z_riscv_pmp_guard_set(incoming);
#endif
    esf = reinterpret_cast<struct arch_esf *>(incoming->arch.sp);
  }
  return esf;
}

}  // extern "C"
