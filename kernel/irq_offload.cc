// irq_offload(): one offload at a time, run by the port in interrupt context.
#include <gale/arch.h>
#include <gale/irq_offload.h>
#include <gale/kernel.h>

extern "C" void irq_offload(irq_offload_routine_t routine, const void *parameter) {
  __ASSERT(!arch_is_in_isr(), "irq_offload() from an interrupt handler");
  arch_irq_offload(routine, parameter);
}
