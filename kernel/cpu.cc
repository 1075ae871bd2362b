// CPU-level services: idling and busy-waiting.
#include <gale/arch.h>
#include <gale/kernel.h>

#include <ksched.h>

extern "C" {

void k_cpu_idle(void) {
  arch_cpu_idle();
}

void k_cpu_atomic_idle(unsigned int key) {
  arch_cpu_idle();
  arch_irq_unlock(key);
}

#ifndef ARCH_HAS_CUSTOM_BUSY_WAIT
void k_busy_wait(uint32_t usec_to_wait) {
  if (usec_to_wait == 0U) {
    return;
  }
  // Count cycles of the system clock; the 32-bit difference is right across a wrap.
  uint32_t start = k_cycle_get_32();
  uint32_t cycles = static_cast<uint32_t>(
      k_us_to_cyc_ceil64(static_cast<uint64_t>(usec_to_wait)));
  while (k_cycle_get_32() - start < cycles) {
  }
}
#endif

}  // extern "C"
