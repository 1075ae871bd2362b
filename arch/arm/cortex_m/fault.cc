// Cortex-M faults: decode the fault status registers, recognise stack overflows (the MPU
// guard below the running thread's stack, or a stack pointer below the stack), report through
// the kernel's fatal error path and, when the handler lets the system go on, leave the
// faulting thread aborted.
#include <gale/arch.h>
#include <gale/fatal.h>
#include <gale/kernel.h>
#include <gale/sys/printk.h>

#include <ksched.h>

#include "cortex_m.h"

namespace {

namespace scb = gale::arch::cortex_m::scb;

// CFSR bits (Armv7-M ARM B3.2.15).
constexpr uint32_t kMmfsrIaccViol = 1U << 0;
constexpr uint32_t kMmfsrDaccViol = 1U << 1;
constexpr uint32_t kMmfsrMUnstkErr = 1U << 3;
constexpr uint32_t kMmfsrMStkErr = 1U << 4;
constexpr uint32_t kMmfsrMmarValid = 1U << 7;
constexpr uint32_t kBfsrStkErr = 1U << 12;
constexpr uint32_t kBfsrBfarValid = 1U << 15;
constexpr uint32_t kUfsrUndefInstr = 1U << 16;
constexpr uint32_t kUfsrInvState = 1U << 17;
constexpr uint32_t kUfsrNoCp = 1U << 19;
constexpr uint32_t kUfsrUnaligned = 1U << 24;
constexpr uint32_t kUfsrDivByZero = 1U << 25;
constexpr uint32_t kHfsrForced = 1U << 30;
constexpr uint32_t kIcsrPendSvSet = 1U << 28;

const char *ExceptionName(uint32_t number) {
  switch (number) {
    case 2:
      return "NMI";
    case 3:
      return "HardFault";
    case 4:
      return "MemManage fault";
    case 5:
      return "BusFault";
    case 6:
      return "UsageFault";
    default:
      return number >= 16 ? "unhandled interrupt" : "unhandled exception";
  }
}

void DescribeStatus(uint32_t cfsr) {
  if ((cfsr & kMmfsrIaccViol) != 0U) printk("  instruction access violation\n");
  if ((cfsr & kMmfsrDaccViol) != 0U) printk("  data access violation\n");
  if ((cfsr & (kMmfsrMStkErr | kBfsrStkErr)) != 0U) printk("  fault while stacking the exception frame\n");
  if ((cfsr & kMmfsrMUnstkErr) != 0U) printk("  fault while unstacking the exception frame\n");
  if ((cfsr & kUfsrUndefInstr) != 0U) printk("  undefined instruction\n");
  if ((cfsr & kUfsrInvState) != 0U) printk("  invalid state (Thumb bit clear)\n");
  if ((cfsr & kUfsrNoCp) != 0U) printk("  coprocessor access (FPU disabled?)\n");
  if ((cfsr & kUfsrUnaligned) != 0U) printk("  unaligned access\n");
  if ((cfsr & kUfsrDivByZero) != 0U) printk("  division by zero\n");
}

bool InGuardOrBelow(const k_thread *thread, uint32_t address) {
  uint32_t start = static_cast<uint32_t>(thread->stack_info.start);
  // The guard and a little below it: a push of a large frame can skip past the guard.
  return address < start && address + 4096U >= start;
}

}  // namespace

extern "C" {

// @p esf: the stacked frame (on the MSP or PSP per EXC_RETURN); @p exc_return: LR on entry.
void z_arm_fault_handler(struct arch_esf *esf, uint32_t exc_return) {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  uint32_t number = ipsr & 0x1FFU;
#ifdef CONFIG_ARMV7_M_ARMV8_M_MAINLINE
  uint32_t cfsr = scb::Read(scb::kCfsr);
  uint32_t hfsr = scb::Read(scb::kHfsr);
  uint32_t mmfar = scb::Read(scb::kMmfar);
  uint32_t bfar = scb::Read(scb::kBfar);
#else
  // Armv6-M has no fault status registers (reading their addresses is itself a fault): a
  // HardFault reports the stacked frame only.
  uint32_t cfsr = 0;
  uint32_t hfsr = 0;
  uint32_t mmfar = 0;
  uint32_t bfar = 0;
  ARG_UNUSED(kHfsrForced);
#endif
  bool from_thread = (exc_return & 0x4U) != 0U;
  k_thread *thread = _kernel.current;
  unsigned int reason = number >= 16 ? K_ERR_SPURIOUS_IRQ : K_ERR_CPU_EXCEPTION;

  bool overflow = false;
  if (from_thread && number < 16 && (thread->base.thread_state & _THREAD_DUMMY) == 0U) {
    uint32_t psp = reinterpret_cast<uint32_t>(esf);
    overflow = ((cfsr & kMmfsrMmarValid) != 0U && InGuardOrBelow(thread, mmfar)) ||
               ((cfsr & kBfsrBfarValid) != 0U && InGuardOrBelow(thread, bfar)) ||
               psp < thread->stack_info.start;
  }
  if (overflow) {
    reason = K_ERR_STACK_CHK_FAIL;
  }
  // A frame that could not be stacked is not readable.
  bool frame_valid = !overflow && (cfsr & (kMmfsrMStkErr | kBfsrStkErr)) == 0U;

  printk("***** %s (exception %u", ExceptionName(number), static_cast<unsigned>(number));
  if (number >= 16) {
    printk(", IRQ %u", static_cast<unsigned>(number - 16));
  }
  printk(") *****\n");
  if (overflow) {
    printk("  Stack overflow: thread stack %08x..%08x, access at %08x\n",
           static_cast<unsigned>(thread->stack_info.start),
           static_cast<unsigned>(thread->stack_info.start + thread->stack_info.size),
           static_cast<unsigned>((cfsr & kMmfsrMmarValid) != 0U ? mmfar
                                                                : reinterpret_cast<uint32_t>(esf)));
  }
  DescribeStatus(cfsr);
  if ((hfsr & kHfsrForced) != 0U) printk("  escalated to HardFault\n");
  if ((cfsr & kMmfsrMmarValid) != 0U && !overflow) printk("  MMFAR 0x%08x\n", static_cast<unsigned>(mmfar));
  if ((cfsr & kBfsrBfarValid) != 0U && !overflow) printk("  BFAR 0x%08x\n", static_cast<unsigned>(bfar));
  if (frame_valid) {
    printk("  r0/a1 0x%08x  r1/a2 0x%08x  r2/a3 0x%08x  r3/a4 0x%08x\n",
           static_cast<unsigned>(esf->basic.a1), static_cast<unsigned>(esf->basic.a2),
           static_cast<unsigned>(esf->basic.a3), static_cast<unsigned>(esf->basic.a4));
    printk("  r12/ip 0x%08x  r14/lr 0x%08x  r15/pc 0x%08x  xpsr 0x%08x\n",
           static_cast<unsigned>(esf->basic.ip), static_cast<unsigned>(esf->basic.lr),
           static_cast<unsigned>(esf->basic.pc), static_cast<unsigned>(esf->basic.xpsr));
  }
#ifdef CONFIG_ARMV7_M_ARMV8_M_MAINLINE
  printk("  CFSR 0x%08x  HFSR 0x%08x  EXC_RETURN 0x%08x\n", static_cast<unsigned>(cfsr),
         static_cast<unsigned>(hfsr), static_cast<unsigned>(exc_return));
  // The status bits are sticky: clear them for the next fault.
  scb::Write(scb::kCfsr, cfsr);
  scb::Write(scb::kHfsr, hfsr);
#else
  printk("  EXC_RETURN 0x%08x\n", static_cast<unsigned>(exc_return));
#endif

  if (!from_thread) {
    printk("Fault in an interrupt handler: halting\n");
    z_fatal_error(K_ERR_KERNEL_PANIC, frame_valid ? esf : nullptr);
    k_fatal_halt(K_ERR_KERNEL_PANIC);
  }
  z_fatal_error(reason, frame_valid ? esf : nullptr);
  // The handler let the system go on: the thread is aborted. Point the PSP at the top of its
  // stack so that the switch away saves its registers somewhere valid, and pend that switch:
  // k_thread_abort() in an exception only chose the next thread. PendSV then tail-chains to this
  // handler's return, so the aborted thread's frame is never unstacked.
  uint32_t top = static_cast<uint32_t>(thread->stack_info.start + thread->stack_info.size) - 64U;
  __asm__ volatile("msr psp, %0" : : "r"(top) : "memory");
  if (_kernel.ready_cache != _kernel.current) {
    scb::Write(scb::kIcsr, kIcsrPendSvSet);
  }
}

}  // extern "C"
