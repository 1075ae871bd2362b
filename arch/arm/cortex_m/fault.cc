// Cortex-M fault handlers: say which fault happened and where, then stop the system. The
// kernel's fatal error handling (issue 3) extends this with the faulting thread.
#include <gale/arch.h>
#include <gale/sys/printk.h>

#include "cortex_m.h"

namespace {

// The registers the CPU stacked on exception entry.
struct ExceptionFrame {
  uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr;
};

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

}  // namespace

extern "C" FUNC_NORETURN void z_arm_fault_report(const ExceptionFrame *frame, uint32_t ipsr) {
  namespace scb = gale::arch::cortex_m::scb;
  uint32_t number = ipsr & 0x1FFU;
  printk("*** FATAL: %s (exception %u", ExceptionName(number), static_cast<unsigned>(number));
  if (number >= 16) {
    printk(", IRQ %u", static_cast<unsigned>(number - 16));
  }
  printk(") ***\n");
  printk("  pc 0x%08x  lr 0x%08x  xpsr 0x%08x\n", static_cast<unsigned>(frame->pc),
         static_cast<unsigned>(frame->lr), static_cast<unsigned>(frame->xpsr));
  printk("  r0 0x%08x  r1 0x%08x  r2 0x%08x  r3 0x%08x  r12 0x%08x\n",
         static_cast<unsigned>(frame->r0), static_cast<unsigned>(frame->r1),
         static_cast<unsigned>(frame->r2), static_cast<unsigned>(frame->r3),
         static_cast<unsigned>(frame->r12));
  printk("  CFSR 0x%08x  HFSR 0x%08x  MMFAR 0x%08x  BFAR 0x%08x\n",
         static_cast<unsigned>(scb::Read(scb::kCfsr)), static_cast<unsigned>(scb::Read(scb::kHfsr)),
         static_cast<unsigned>(scb::Read(scb::kMmfar)),
         static_cast<unsigned>(scb::Read(scb::kBfar)));
  arch_system_exit(1);
}
