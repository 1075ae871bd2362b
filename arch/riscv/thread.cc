// RISC-V threads: the initial frame of a new thread, arch_swap() and the switch to the main
// thread. The switch itself is on the trap path (trap.S, irq.cc): arch_swap() traps with ecall.
#include <stddef.h>
#include <string.h>

#include <gale/arch.h>
#include <gale/kernel.h>

#include <ksched.h>

#include "riscv.h"

namespace rv = gale::arch::riscv;

extern "C" {

extern char z_interrupt_stacks[];

// What a thread's first mret loads into mstatus: machine mode, interrupts enabled after the
// mret (MPIE), and with the stack guard, MPRV so that the thread's loads and stores are checked
// against the PMP (mret leaves MPP at user, the least-privileged mode).
static constexpr uint32_t kThreadMstatus = rv::kMstatusMppMachine | rv::kMstatusMpie
#ifdef CONFIG_RISCV_PMP_STACK_GUARD
                                           | rv::kMstatusMprv
#endif
    ;

int arch_swap(unsigned int key) {
  // The ecall trap saves this thread's registers and resumes whichever thread the kernel chose
  // (the same one when nothing changed); interrupts stay locked across it (the trap saved
  // MIE = 0 with this thread's frame), then the caller's state returns.
  register uint32_t code __asm__("a7") = rv::kEcallSwap;
  __asm__ volatile("ecall" : : "r"(code) : "memory");
  int retval = _kernel.current->base.swap_retval;
  arch_irq_unlock(key);
  return retval;
}

#ifdef CONFIG_THREAD_LOCAL_STORAGE
extern char __tls_size[];
extern char __tls_align[];
void _init_tls(void *tls);

// Set up @p thread's TLS block below @p stack_ptr (the stack top). RISC-V's TLS is variant 1
// with no TCB: the thread pointer (tp) is the block's address. Returns the bytes it takes.
static ALWAYS_INLINE size_t TlsSetup(struct k_thread *thread, char *stack_ptr) {
  // The linker's symbols are absolute values posing as addresses; hide their origin so that
  // the compiler does not fold "address != 0" to true.
  uintptr_t size;
  __asm__("" : "=r"(size) : "0"(__tls_size));
  if (size == 0U) {
    thread->tls = 0;
    return 0;
  }
  uintptr_t align = MAX(reinterpret_cast<uintptr_t>(__tls_align), uintptr_t{ARCH_STACK_PTR_ALIGN});
  uintptr_t block = (reinterpret_cast<uintptr_t>(stack_ptr) - size) & ~(align - 1U);
  _init_tls(reinterpret_cast<void *>(block));
  thread->tls = block;
  return reinterpret_cast<uintptr_t>(stack_ptr) - block;
}
#endif

void arch_new_thread(struct k_thread *thread, struct z_thread_stack_element *stack, char *stack_ptr,
                     k_thread_entry_t entry, void *p1, void *p2, void *p3) {
  ARG_UNUSED(stack);
  uint32_t tp = 0;
#ifdef CONFIG_THREAD_LOCAL_STORAGE
  size_t tls = TlsSetup(thread, stack_ptr);
  stack_ptr -= tls;
  thread->stack_info.size -= tls;
  tp = static_cast<uint32_t>(thread->tls);
#endif
  // The frame the trap exit resumes: z_thread_entry(entry, p1, p2, p3). Only the registers
  // that mean something are written; the others start as whatever the stack held.
  stack_ptr = reinterpret_cast<char *>(reinterpret_cast<uintptr_t>(stack_ptr) &
                                       ~uintptr_t{ARCH_STACK_PTR_ALIGN - 1});
  auto *frame = reinterpret_cast<struct arch_esf *>(stack_ptr - sizeof(struct arch_esf));
  frame->ra = 0;
  frame->a0 = reinterpret_cast<uint32_t>(entry);
  frame->a1 = reinterpret_cast<uint32_t>(p1);
  frame->a2 = reinterpret_cast<uint32_t>(p2);
  frame->a3 = reinterpret_cast<uint32_t>(p3);
  frame->mepc = reinterpret_cast<uint32_t>(z_thread_entry);
  frame->mstatus = kThreadMstatus;
  frame->tp = tp;
  frame->s0 = 0;  // frame pointer: the end of the call chain for debuggers
  thread->arch.sp = reinterpret_cast<uint32_t>(frame);
}

FUNC_NORETURN void arch_switch_to_main_thread(struct k_thread *main_thread, char *stack_ptr,
                                              k_thread_entry_t entry) {
#ifdef CONFIG_THREAD_LOCAL_STORAGE
  uint32_t tp = static_cast<uint32_t>(main_thread->tls);
#else
  uint32_t tp = 0;
#endif
#ifdef CONFIG_RISCV_PMP_STACK_GUARD
  z_riscv_pmp_guard_init(main_thread);
#else
  ARG_UNUSED(main_thread);
#endif
  // Local interrupts on (the PLIC gates the external ones per source).
  GALE_CSR_SET(mie, (1U << rv::kIrqMachineTimer) | (1U << rv::kIrqMachineExternal));
  register uint32_t a0 __asm__("a0") = reinterpret_cast<uint32_t>(entry);
  __asm__ volatile(
      "mv sp, %[sp]\n\t"
      "mv tp, %[tp]\n\t"
#ifdef CONFIG_RISCV_PMP_STACK_GUARD
      // MPP = user first, then MPRV: from here on loads and stores are checked by the PMP.
      "li t0, %[mpp]\n\t"
      "csrc mstatus, t0\n\t"
      "li t0, %[mprv]\n\t"
      "csrs mstatus, t0\n\t"
#endif
      "li a1, 0\n\t"
      "li a2, 0\n\t"
      "li a3, 0\n\t"
      "mv s0, zero\n\t"
      "csrsi mstatus, 8\n\t"
      "call z_thread_entry\n\t"
      :
      : [sp] "r"(stack_ptr), [tp] "r"(tp),
        "r"(a0), [mpp] "i"(rv::kMstatusMppMask), [mprv] "i"(rv::kMstatusMprv)
      : "t0", "a1", "a2", "a3", "memory");
  __builtin_unreachable();
}

}  // extern "C"
