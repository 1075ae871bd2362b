// Cortex-M context switch, interrupt entry and irq_offload.
//
// Threads run in thread mode on the process stack (PSP); exceptions run on the main stack.
// A switch happens in PendSV, the lowest-priority exception, so it always runs last, after
// every interrupt handler: arch_swap() and interrupt exits only pend it. PendSV pushes r4-r11
// and EXC_RETURN (plus s16-s31 when the thread has an FP context) on the outgoing thread's
// stack, keeps the stack pointer in the thread, and pops the incoming thread's the same way.
#include <stddef.h>

#include <gale/arch.h>
#include <gale/kernel.h>

#include <kernel_trace.h>
#include <ksched.h>

#include "cortex_m.h"

namespace {

constexpr uint32_t kIcsrPendSvSet = 1U << 28;
constexpr uintptr_t kMpuRbar = 0xE000ED9C;

}  // namespace

extern "C" {

// PendSV: the context switch. Interrupts are locked while the kernel's current pointer and
// the MPU guard change, so no handler sees them half-updated.
#ifdef CONFIG_ARMV6_M
// Thumb-1 has no store-multiple to a descending stack and moves r8-r11 only through low
// registers: the saved block gets the same layout as on Armv7-M (r4-r11 from the lowest
// address, EXC_RETURN last), written upwards from its start. Structure offsets go through a
// register, since an immediate offset reaches 124 bytes only.
__attribute__((naked)) void z_arm_pendsv(void) {
  __asm__ volatile(
      "cpsid i\n\t"
#ifdef CONFIG_TRACING
      // The trace records the switch before the current pointer moves. r0 keeps the stack
      // 8-byte aligned; lr (EXC_RETURN) must survive the call. Thumb-1 pops into low registers.
      "push {r0, lr}\n\t"
      "bl gale_trace_hook_switch\n\t"
      "pop {r0, r1}\n\t"
      "mov lr, r1\n\t"
#endif
      "ldr r3, =_kernel\n\t"
      "ldr r2, [r3, #0]\n\t"  // outgoing: _kernel.current
      "mrs r0, psp\n\t"
      "subs r0, #36\n\t"
      "ldr r1, =%c[psp]\n\t"
      "str r0, [r2, r1]\n\t"
      "stmia r0!, {r4-r7}\n\t"
      "mov r4, r8\n\t"
      "mov r5, r9\n\t"
      "mov r6, r10\n\t"
      "mov r7, r11\n\t"
      "stmia r0!, {r4-r7}\n\t"
      "mov r4, lr\n\t"
      "str r4, [r0]\n\t"
      "ldr r2, [r3, #4]\n\t"  // incoming: _kernel.ready_cache
      "str r2, [r3, #0]\n\t"
#ifdef CONFIG_THREAD_LOCAL_STORAGE
      "ldr r1, =%c[tls]\n\t"  // picolibc's thread pointer
      "ldr r1, [r2, r1]\n\t"
      "ldr r0, =__tls\n\t"
      "str r1, [r0]\n\t"
#endif
      "ldr r1, =%c[psp]\n\t"
      "ldr r0, [r2, r1]\n\t"
      "adds r0, #16\n\t"
      "ldmia r0!, {r4-r7}\n\t"  // r8-r11
      "mov r8, r4\n\t"
      "mov r9, r5\n\t"
      "mov r10, r6\n\t"
      "mov r11, r7\n\t"
      "ldr r4, [r0]\n\t"  // EXC_RETURN
      "mov lr, r4\n\t"
      "adds r0, #4\n\t"
      "msr psp, r0\n\t"
      "subs r0, #36\n\t"
      "ldmia r0!, {r4-r7}\n\t"
      "cpsie i\n\t"
      "bx lr\n\t"
      ".ltorg\n\t"
      :
      : [psp] "i"(offsetof(struct k_thread, arch.psp))
#ifdef CONFIG_THREAD_LOCAL_STORAGE
        , [tls] "i"(offsetof(struct k_thread, tls))
#endif
  );
}
#else
__attribute__((naked)) void z_arm_pendsv(void) {
  __asm__ volatile(
      "cpsid i\n\t"
#ifdef CONFIG_TRACING
      // The trace records the switch before the current pointer moves. r0 keeps the stack
      // 8-byte aligned; lr (EXC_RETURN) must survive the call. Thumb-1 pops into low registers.
      "push {r0, lr}\n\t"
      "bl gale_trace_hook_switch\n\t"
      "pop {r0, r1}\n\t"
      "mov lr, r1\n\t"
#endif
      "ldr r3, =_kernel\n\t"
      "ldr r2, [r3, #0]\n\t"  // outgoing: _kernel.current
      "mrs r0, psp\n\t"
#ifdef CONFIG_FPU
      "tst lr, #0x10\n\t"  // EXC_RETURN bit 4 clear: the frame has FP state
      "it eq\n\t"
      "vstmdbeq r0!, {s16-s31}\n\t"
#endif
      "stmdb r0!, {r4-r11, lr}\n\t"
      "str r0, [r2, %[psp]]\n\t"
      "ldr r2, [r3, #4]\n\t"  // incoming: _kernel.ready_cache
      "str r2, [r3, #0]\n\t"
#ifdef CONFIG_MPU_STACK_GUARD
      // Move MPU region 0 (the guard) below the incoming thread's stack.
      "ldr r1, [r2, %[stack_start]]\n\t"
      "sub r1, r1, #32\n\t"
      "orr r1, r1, #0x10\n\t"  // RBAR.VALID, region 0
      "ldr r0, =%c[rbar]\n\t"
      "str r1, [r0]\n\t"
#endif
#ifdef CONFIG_THREAD_LOCAL_STORAGE
      "ldr r1, [r2, %[tls]]\n\t"  // picolibc's thread pointer
      "ldr r0, =__tls\n\t"
      "str r1, [r0]\n\t"
#endif
      "ldr r0, [r2, %[psp]]\n\t"
      "ldmia r0!, {r4-r11, lr}\n\t"
#ifdef CONFIG_FPU
      "tst lr, #0x10\n\t"
      "it eq\n\t"
      "vldmiaeq r0!, {s16-s31}\n\t"
#endif
      "msr psp, r0\n\t"
      "cpsie i\n\t"
      "bx lr\n\t"
      ".ltorg\n\t"
      :
      : [psp] "i"(offsetof(struct k_thread, arch.psp)),
        [stack_start] "i"(offsetof(struct k_thread, stack_info.start)), [rbar] "i"(kMpuRbar)
#ifdef CONFIG_THREAD_LOCAL_STORAGE
        , [tls] "i"(offsetof(struct k_thread, tls))
#endif
  );
}
#endif  // CONFIG_ARMV6_M

// Common interrupt entry: the vector thunk of IRQ_CONNECT (and SysTick) loads the handler's
// argument in r0 and the handler in r1. After the handler, pend a switch if it readied a
// thread that should run.
__attribute__((naked)) void z_arm_isr_common(void) {
  __asm__ volatile(
      "push {r4, lr}\n\t"
#ifdef CONFIG_TRACING_ISR
      "push {r0, r1}\n\t"
      "mrs r0, ipsr\n\t"
      "bl gale_trace_hook_isr_enter\n\t"
      "pop {r0, r1}\n\t"
#endif
      "blx r1\n\t"
#ifdef CONFIG_TRACING_ISR
      "bl gale_trace_hook_isr_exit\n\t"
#endif
      "ldr r0, =_kernel\n\t"
      "ldr r1, [r0, #0]\n\t"
      "ldr r2, [r0, #4]\n\t"
      "cmp r1, r2\n\t"
      "beq 1f\n\t"
      "ldr r1, =%c[icsr]\n\t"
#ifdef CONFIG_ARMV6_M
      "ldr r2, =%c[pendsv]\n\t"  // Thumb-1 moves only 8-bit immediates
#else
      "mov r2, %[pendsv]\n\t"
#endif
      "str r2, [r1]\n\t"
      "1:\n\t"
      "pop {r4, pc}\n\t"
      ".ltorg\n\t"
      :
      : [icsr] "i"(gale::arch::cortex_m::scb::kIcsr), [pendsv] "i"(kIcsrPendSvSet));
}

int arch_swap(unsigned int key) {
  namespace scb = gale::arch::cortex_m::scb;
  scb::Write(scb::kIcsr, kIcsrPendSvSet);
  // PendSV is taken as soon as interrupts are unlocked; the thread resumes after the isb when
  // it is switched back in.
  __asm__ volatile("cpsie i\n\tisb" : : : "memory");
  if (key != 0U) {
    __asm__ volatile("cpsid i" : : : "memory");
  }
  return _kernel.current->base.swap_retval;
}

#ifdef CONFIG_THREAD_LOCAL_STORAGE
extern char __tls_size[];
extern char __tls_align[];
extern char __arm32_tls_tcb_offset[];
extern void *__tls;
void _init_tls(void *tls);

// Set up @p thread's TLS block below @p stack_ptr (the stack top) and its thread pointer.
// Returns the bytes of stack it takes. Inlined into arch_new_thread(): with no thread-local
// variable in the image (the usual case) it is a test of a constant.
static ALWAYS_INLINE size_t TlsSetup(struct k_thread *thread, char *stack_ptr) {
  // The linker's symbols are absolute values in the guise of addresses. C++ holds that no
  // object's address is null, so GCC folded a plain test of __tls_size against 0 away (and set
  // up an empty block, with two library calls, for every thread): the asm hides the origin.
  uintptr_t size;
  __asm__("" : "=r"(size) : "0"(__tls_size));
  if (size == 0U) {
    thread->tls = 0;
    return 0;
  }
  uintptr_t align = MAX(reinterpret_cast<uintptr_t>(__tls_align), uintptr_t{8});
  uintptr_t block = (reinterpret_cast<uintptr_t>(stack_ptr) - size) & ~(align - 1U);
  _init_tls(reinterpret_cast<void *>(block));
  // Arm's TLS variant 1: the thread pointer sits a TCB-sized gap below the block.
  thread->tls = block - reinterpret_cast<uintptr_t>(__arm32_tls_tcb_offset);
  return reinterpret_cast<uintptr_t>(stack_ptr) - block;
}
#endif

void arch_new_thread(struct k_thread *thread, struct z_thread_stack_element *stack,
                     char *stack_ptr, k_thread_entry_t entry, void *p1, void *p2, void *p3) {
  ARG_UNUSED(stack);
#ifdef CONFIG_THREAD_LOCAL_STORAGE
  // The TLS block takes the top of the stack.
  size_t tls = TlsSetup(thread, stack_ptr);
  stack_ptr -= tls;
  thread->stack_info.size -= tls;
#endif
  // The exception frame PendSV's return will unstack: the thread starts in z_thread_entry()
  // with its arguments in r0-r3.
  auto *frame = reinterpret_cast<uint32_t *>(stack_ptr) - 8;
  frame[0] = reinterpret_cast<uint32_t>(entry);
  frame[1] = reinterpret_cast<uint32_t>(p1);
  frame[2] = reinterpret_cast<uint32_t>(p2);
  frame[3] = reinterpret_cast<uint32_t>(p3);
  frame[4] = 0;                                                       // r12
  frame[5] = 0;                                                       // lr
  frame[6] = reinterpret_cast<uint32_t>(z_thread_entry) & ~1U;        // pc
  frame[7] = 1U << 24;                                                // xPSR: Thumb
  // Below it, what PendSV pops: r4-r11 and EXC_RETURN (thread mode, PSP, no FP frame). The
  // thread starts in a function, for which r4-r11 hold nothing: they are left as they are
  // (zeroing them took a byte-wise memset of 130 instructions, half of k_thread_create()).
  uint32_t *saved = frame - 9;
  saved[8] = 0xFFFFFFFDU;
  thread->arch.psp = reinterpret_cast<uint32_t>(saved);
  thread->arch.irq_key = 0;
}


extern char z_interrupt_stacks[];
void z_arm_mpu_guard_init(struct k_thread *thread);

FUNC_NORETURN void arch_switch_to_main_thread(struct k_thread *main_thread, char *stack_ptr,
                                              k_thread_entry_t entry) {
  namespace scb = gale::arch::cortex_m::scb;
  // PendSV and SysTick at the lowest priorities: a switch never interrupts a handler.
  scb::Write(scb::kShpr3, 0xFFU << 16 | 0xE0U << 24);
#ifdef CONFIG_MPU_STACK_GUARD
  z_arm_mpu_guard_init(main_thread);
#else
  ARG_UNUSED(main_thread);
#endif
#ifdef CONFIG_THREAD_LOCAL_STORAGE
  __tls = reinterpret_cast<void *>(main_thread->tls);
#endif
  char *msp_top = z_interrupt_stacks + CONFIG_ISR_STACK_SIZE;
  register uint32_t r0 __asm__("r0") = reinterpret_cast<uint32_t>(entry);
  __asm__ volatile(
      "msr psp, %[psp]\n\t"
      "movs r1, #2\n\t"  // CONTROL.SPSEL: thread mode uses the PSP
      "msr control, r1\n\t"
      "isb\n\t"
      "msr msp, %[msp]\n\t"  // the start-up stack becomes the interrupt stack again
      "movs r1, #0\n\t"
      "movs r2, #0\n\t"
      "movs r3, #0\n\t"
      "cpsie i\n\t"
      "bl z_thread_entry\n\t"
      :
      : [psp] "r"(stack_ptr), [msp] "r"(msp_top), "r"(r0)
      : "r1", "r2", "r3", "memory");
  __builtin_unreachable();
}

#ifdef CONFIG_IRQ_OFFLOAD
namespace {
void (*volatile offload_routine)(const void *);
const void *volatile offload_parameter;
}  // namespace

// SVC #1 runs the pending offload in handler mode (priority of SVCall), then takes the same
// exit path as interrupts.
void z_arm_svc_offload(void) {
  offload_routine(offload_parameter);
}

__attribute__((naked)) void z_arm_svc(void) {
  __asm__ volatile(
      "ldr r1, =z_arm_svc_offload\n\t"
      Z_ARM_JUMP_ISR_COMMON
      ".ltorg\n\t");
}

void arch_irq_offload(void (*routine)(const void *parameter), const void *parameter) {
  unsigned int key = arch_irq_lock();
  offload_routine = routine;
  offload_parameter = parameter;
  arch_irq_unlock(key);
  __asm__ volatile("svc #1" : : : "memory");
}
#endif

}  // extern "C"
