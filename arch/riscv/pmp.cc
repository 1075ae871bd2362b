// Stack overflow detection with the PMP (RISC-V Privileged Architecture, 3.7).
//
// Machine-mode accesses are checked against unlocked PMP entries only when mstatus.MPRV is set
// and mstatus.MPP is below machine: then loads and stores use MPP's privilege. Threads run that
// way (thread.cc: after a thread's mret, MPP is user), while a trap sets MPP to machine, so
// handlers, the trap entry's own stores included, are not checked. Entries:
//   0: OFF, the bottom of the guard (the base of entry 1's TOR range)
//   1: TOR up to the running thread's stack start, no access: the guard
//   2: NAPOT over the whole address space, read/write/execute: everything else
// The trap exit moves entries 0 and 1 under the incoming thread's stack (irq.cc).
#include <gale/arch.h>
#include <gale/kernel.h>

#include "riscv.h"

namespace {

constexpr uint32_t kPmpR = 1U << 0;
constexpr uint32_t kPmpW = 1U << 1;
constexpr uint32_t kPmpX = 1U << 2;
constexpr uint32_t kPmpTor = 1U << 3;
constexpr uint32_t kPmpNapot = 3U << 3;
constexpr uint32_t kMisaU = 1U << ('U' - 'A');

bool guard_active;

}  // namespace

extern "C" {

void z_riscv_pmp_guard_set(struct k_thread *thread) {
  if (!guard_active) {
    return;
  }
  uint32_t start = static_cast<uint32_t>(thread->stack_info.start);
  GALE_CSR_WRITE(pmpaddr0, (start - ARCH_THREAD_STACK_RESERVED) >> 2);
  GALE_CSR_WRITE(pmpaddr1, start >> 2);
}

void z_riscv_pmp_guard_init(struct k_thread *thread) {
  // Without user mode MPP cannot leave machine mode and MPRV changes nothing; without PMP the
  // address register reads back as 0. Either way the fault handler's stack-pointer check is
  // all that is left.
  if ((GALE_CSR_READ(misa) & kMisaU) == 0U) {
    return;
  }
  GALE_CSR_WRITE(pmpaddr2, 0xFFFFFFFFU);
  if (GALE_CSR_READ(pmpaddr2) == 0U) {
    return;
  }
  guard_active = true;
  z_riscv_pmp_guard_set(thread);
  uint32_t cfg = (0U << 0) | (kPmpTor << 8) | ((kPmpNapot | kPmpR | kPmpW | kPmpX) << 16);
  GALE_CSR_WRITE(pmpcfg0, cfg);
}

}  // extern "C"
