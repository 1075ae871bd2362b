// RISC-V exceptions: decode mcause/mepc/mtval, recognise stack overflows (an access in the PMP
// guard below the running thread's stack, or a stack pointer below the stack), report through
// the kernel's fatal error path and, when the handler lets the system go on, leave the faulting
// thread aborted (the trap exit then switches away from it).
#include <gale/arch.h>
#include <gale/fatal.h>
#include <gale/kernel.h>
#include <gale/sys/printk.h>

#include <ksched.h>

#include "riscv.h"

namespace {

const char *CauseName(uint32_t mcause) {
  if ((mcause & gale::arch::riscv::kMcauseInterrupt) != 0U) {
    return "unhandled interrupt";
  }
  switch (mcause) {
    case 0:
      return "Instruction address misaligned";
    case 1:
      return "Instruction access fault";
    case 2:
      return "Illegal instruction";
    case 3:
      return "Breakpoint";
    case 4:
      return "Load address misaligned";
    case 5:
      return "Load access fault";
    case 6:
      return "Store/AMO address misaligned";
    case 7:
      return "Store/AMO access fault";
    case 8:
      return "Environment call from U-mode";
    case 11:
      return "Environment call from M-mode";
    default:
      return "unhandled exception";
  }
}

// Whether @p address is in the guard below @p thread's stack, or a little below it: a push of a
// large frame can skip past the guard.
bool InGuardOrBelow(const k_thread *thread, uint32_t address) {
  uint32_t start = static_cast<uint32_t>(thread->stack_info.start);
  return address < start && address + ARCH_THREAD_STACK_RESERVED + 4096U >= start;
}

}  // namespace

extern "C" void z_riscv_fault(struct arch_esf *esf, uint32_t mcause) {
  uint32_t mtval = GALE_CSR_READ(mtval);
  bool from_thread = z_riscv_nested == 1U;
  k_thread *thread = _kernel.current;
  bool interrupt = (mcause & gale::arch::riscv::kMcauseInterrupt) != 0U;
  unsigned int reason = interrupt ? K_ERR_SPURIOUS_IRQ : K_ERR_CPU_EXCEPTION;

  bool overflow = false;
  if (from_thread && !interrupt && (thread->base.thread_state & _THREAD_DUMMY) == 0U) {
    bool access_fault = mcause == 5U || mcause == 7U;
    overflow =
        (access_fault && InGuardOrBelow(thread, mtval)) || esf->sp < thread->stack_info.start;
  }
  if (overflow) {
    reason = K_ERR_STACK_CHK_FAIL;
  }

  printk("***** %s (exception %u", CauseName(mcause),
         static_cast<unsigned>(mcause & ~gale::arch::riscv::kMcauseInterrupt));
  if (interrupt) {
    printk(", interrupt");
  }
  printk(") *****\n");
  if (overflow) {
    printk("  Stack overflow: thread stack %08x..%08x, access at %08x\n",
           static_cast<unsigned>(thread->stack_info.start),
           static_cast<unsigned>(thread->stack_info.start + thread->stack_info.size),
           static_cast<unsigned>(mcause == 5U || mcause == 7U ? mtval : esf->sp));
  }
  printk("  mcause 0x%08x  mepc 0x%08x  mtval 0x%08x  mstatus 0x%08x\n",
         static_cast<unsigned>(mcause), static_cast<unsigned>(esf->mepc),
         static_cast<unsigned>(mtval), static_cast<unsigned>(esf->mstatus));
  printk("  ra 0x%08x  sp 0x%08x  tp 0x%08x  s0 0x%08x\n", static_cast<unsigned>(esf->ra),
         static_cast<unsigned>(esf->sp), static_cast<unsigned>(esf->tp),
         static_cast<unsigned>(esf->s0));
  printk("  a0 0x%08x  a1 0x%08x  a2 0x%08x  a3 0x%08x\n", static_cast<unsigned>(esf->a0),
         static_cast<unsigned>(esf->a1), static_cast<unsigned>(esf->a2),
         static_cast<unsigned>(esf->a3));
  printk("  a4 0x%08x  a5 0x%08x  a6 0x%08x  a7 0x%08x\n", static_cast<unsigned>(esf->a4),
         static_cast<unsigned>(esf->a5), static_cast<unsigned>(esf->a6),
         static_cast<unsigned>(esf->a7));
  printk("  t0 0x%08x  t1 0x%08x  t2 0x%08x  s1 0x%08x\n", static_cast<unsigned>(esf->t0),
         static_cast<unsigned>(esf->t1), static_cast<unsigned>(esf->t2),
         static_cast<unsigned>(esf->s1));

  if (!from_thread) {
    printk("Fault in an interrupt handler: halting\n");
    z_fatal_error(K_ERR_KERNEL_PANIC, esf);
    k_fatal_halt(K_ERR_KERNEL_PANIC);
  }
  z_fatal_error(reason, esf);
  // The handler let the system go on: k_thread_abort() in a trap only chose the next thread;
  // the trap exit switches to it, and the aborted thread's frame is never resumed.
  if (_kernel.ready_cache == _kernel.current) {
    printk("Faulting thread still scheduled: halting\n");
    k_fatal_halt(reason);
  }
}
