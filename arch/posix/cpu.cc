// native_sim CPU: the interrupt lock, interrupt delivery, idle, irq_offload and exit.
//
// Interrupts are simulated: a line raised while interrupts are locked stays pending and is
// handled when the lock is released, exactly where real hardware would take it. Time only
// passes when every thread is idle or busy-waiting, so a program runs as fast as the host
// allows and the same way every time.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <gale/arch.h>
#include <gale/kernel.h>
#include <gale/sys/iterable_sections.h>

#include <kernel_trace.h>
#include <ksched.h>

#include "posix_internal.h"

// At global scope: the linker's section symbols have C linkage.
static const posix_isr_entry *FindIsr(unsigned int irq) {
  STRUCT_SECTION_FOREACH(posix_isr_entry, entry) {
    if (entry->irq == irq) {
      return entry;
    }
  }
  return nullptr;
}

namespace gale::posix {
namespace {

bool irqs_locked = true;  // locked from boot until the first thread runs
int isr_depth = 0;
bool timer_pending = false;
uint32_t pending_lines[8];
uint32_t enabled_lines[8];
bool delivering = false;

// `trace_irq`: the number the trace records, in Cortex-M's sense as on the other ports (11 for
// irq_offload, as SVCall; 15 for the system timer; 16 + n for line n).
template <typename Fn>
void RunAsIsr(uint32_t trace_irq, Fn fn) {
  bool was_locked = irqs_locked;
  irqs_locked = true;
  isr_depth++;
#ifdef CONFIG_TRACING
  gale_trace_hook_isr_enter(trace_irq);
#else
  (void)trace_irq;
#endif
  fn();
#ifdef CONFIG_TRACING
  gale_trace_hook_isr_exit();
#endif
  isr_depth--;
  irqs_locked = was_locked;
}

}  // namespace

void RaiseTimer() {
  timer_pending = true;
}

void DeliverPending() {
  if (irqs_locked || isr_depth > 0 || delivering) {
    return;
  }
  delivering = true;
  bool again = true;
  while (again) {
    again = false;
    if (timer_pending) {
      timer_pending = false;
      RunAsIsr(15U, [] { TimerInterrupt(); });
      again = true;
    }
    for (unsigned int word = 0; word < 8; word++) {
      uint32_t ready = pending_lines[word] & enabled_lines[word];
      while (ready != 0U) {
        unsigned int bit = static_cast<unsigned int>(__builtin_ctz(ready));
        ready &= ready - 1U;
        pending_lines[word] &= ~(1U << bit);
        const posix_isr_entry *entry = FindIsr(word * 32U + bit);
        if (entry != nullptr) {
          RunAsIsr(16U + word * 32U + bit, [entry] { entry->isr(entry->arg); });
        }
        again = true;
      }
    }
  }
  delivering = false;
  // The interrupt exit: switch if a handler readied a thread that should run now.
  if (_kernel.ready_cache != _kernel.current) {
    (void)arch_swap(posix_irq_lock());
  }
}

}  // namespace gale::posix

using namespace gale::posix;

extern "C" {

unsigned int posix_irq_lock(void) {
  bool was_locked = irqs_locked;
  irqs_locked = true;
  return was_locked ? 1U : 0U;
}

void posix_irq_unlock(unsigned int key) {
  if (key != 0U) {
    return;
  }
  irqs_locked = false;
  DeliverPending();
}

// Used by the thread switch to restore a thread's own lock state without delivering yet.
void posix_irq_set_locked(bool locked) {
  irqs_locked = locked;
}

bool posix_is_in_isr(void) {
  return isr_depth > 0;
}

void posix_irq_priority_set(unsigned int irq, unsigned int prio, uint32_t flags) {
  ARG_UNUSED(irq);
  ARG_UNUSED(prio);
  ARG_UNUSED(flags);
}

void posix_irq_raise(unsigned int irq) {
  if (irq >= 256U) {
    return;
  }
  pending_lines[irq / 32U] |= 1U << (irq % 32U);
  DeliverPending();
}

void arch_irq_enable(unsigned int irq) {
  if (irq < 256U) {
    enabled_lines[irq / 32U] |= 1U << (irq % 32U);
    DeliverPending();
  }
}

void arch_irq_disable(unsigned int irq) {
  if (irq < 256U) {
    enabled_lines[irq / 32U] &= ~(1U << (irq % 32U));
  }
}

int arch_irq_is_enabled(unsigned int irq) {
  return irq < 256U && (enabled_lines[irq / 32U] & (1U << (irq % 32U))) != 0U ? 1 : 0;
}

void arch_irq_offload(void (*routine)(const void *parameter), const void *parameter) {
  RunAsIsr(11U, [routine, parameter] { routine(parameter); });
  if (!irqs_locked && _kernel.ready_cache != _kernel.current) {
    (void)arch_swap(posix_irq_lock());
  }
}

void arch_cpu_idle(void) {
  // Every thread is waiting: jump to the next timer event. With nothing scheduled, nothing
  // can ever happen again (native_sim has no other event source yet).
  uint64_t next = NextTimerEvent();
  if (next == UINT64_MAX) {
    fflush(nullptr);
    pause();
    return;
  }
  AdvanceTo(next);
  RaiseTimer();
  posix_irq_unlock(0);
}

// The host C runtime has already run the constructors before main.
void arch_static_init(void) {}

FUNC_NORETURN void arch_system_exit(int status) {
  fflush(nullptr);
  exit(status);
}

}  // extern "C"
