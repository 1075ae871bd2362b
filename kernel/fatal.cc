// Fatal errors: the report, the overridable handler, and what happens after it.
#include <gale/arch.h>
#include <gale/fatal.h>
#include <gale/kernel.h>
#include <gale/sys/printk.h>

#include <ksched.h>

namespace {

const char *ReasonText(unsigned int reason) {
  switch (reason) {
    case K_ERR_CPU_EXCEPTION:
      return "CPU exception";
    case K_ERR_SPURIOUS_IRQ:
      return "Unhandled interrupt";
    case K_ERR_STACK_CHK_FAIL:
      return "Stack overflow";
    case K_ERR_KERNEL_OOPS:
      return "Kernel oops";
    case K_ERR_KERNEL_PANIC:
      return "Kernel panic";
    default:
      return "Unknown error";
  }
}

}  // namespace

extern "C" {

__weak void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf) {
  ARG_UNUSED(esf);
  printk("Halting system\n");
  k_fatal_halt(reason);
}

FUNC_NORETURN void k_fatal_halt(unsigned int reason) {
  // Emulators end with a failure status, so that a runner sees the halt at once.
  arch_system_exit(static_cast<int>(reason) + 1 > 1 ? static_cast<int>(reason) + 1 : 1);
}

void z_fatal_error(unsigned int reason, const struct arch_esf *esf) {
  (void)arch_irq_lock();
  k_thread *thread = _kernel.current;
  printk(">>> GALE FATAL ERROR %u: %s on CPU 0\n", reason, ReasonText(reason));
  const char *name = k_thread_name_get(thread);
  printk("Current thread: %p (%s)\n", static_cast<void *>(thread),
         name != nullptr && name[0] != '\0' ? name : "unknown");
  k_sys_fatal_error_handler(reason, esf);
  // The handler returned: the system goes on without the faulting thread, unless it cannot.
  if (reason == K_ERR_KERNEL_PANIC) {
    k_fatal_halt(reason);
  }
  if (thread == _kernel.idle_thread || (thread->base.thread_state & _THREAD_DUMMY) != 0U) {
    printk("Fatal error outside any thread: halting\n");
    k_fatal_halt(reason);
  }
  // k_thread_abort() of the current thread from thread context does not return; from an
  // exception handler it switches away when the handler returns.
  thread->base.user_options &= ~K_ESSENTIAL;
  k_thread_abort(thread);
  arch_irq_unlock(0);
}

}  // extern "C"

extern "C" __weak void assert_post_action(const char *file, unsigned int line) {
  ARG_UNUSED(file);
  ARG_UNUSED(line);
  k_panic();
}
