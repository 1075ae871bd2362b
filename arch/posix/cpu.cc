// native_sim CPU: interrupt lock state, idle and exit. Until the POSIX port gains emulated
// interrupts and threads, nothing can interrupt the single context, so idling means waiting
// for a signal that ends the process.
#include <gale/arch.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

namespace {
bool irqs_locked = false;
}  // namespace

extern "C" unsigned int posix_irq_lock(void) {
  bool was_locked = irqs_locked;
  irqs_locked = true;
  return was_locked ? 1U : 0U;
}

extern "C" void posix_irq_unlock(unsigned int key) {
  if (key == 0U) {
    irqs_locked = false;
  }
}

extern "C" bool posix_is_in_isr(void) {
  return false;
}

extern "C" void arch_cpu_idle(void) {
  pause();
}

// The host C runtime has already run the constructors before main.
extern "C" void arch_static_init(void) {}

extern "C" FUNC_NORETURN void arch_system_exit(int status) {
  fflush(nullptr);
  exit(status);
}
