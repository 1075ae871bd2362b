// native_sim internals shared by the port's files: the emulated interrupt controller and
// the simulated clock.
#ifndef GALE_ARCH_POSIX_POSIX_INTERNAL_H_
#define GALE_ARCH_POSIX_POSIX_INTERNAL_H_

#include <stdint.h>

namespace gale::posix {

// The line the simulated system clock interrupts on (above any device's).
constexpr unsigned int kTimerIrq = 0xFFFFU;

// Simulated time in nanoseconds since boot.
uint64_t Now();
// Simulated time of the next timer interrupt, or UINT64_MAX when none is programmed.
uint64_t NextTimerEvent();
// Move simulated time to @p ns (not backwards), pacing against the host clock with --rt.
void AdvanceTo(uint64_t ns);
// Handle the timer interrupt if it is due (called with the time just advanced).
void TimerInterrupt();
// Mark the timer line pending; it is handled as soon as interrupts allow.
void RaiseTimer();
// Deliver pending interrupts if interrupts are unlocked, then switch if a handler readied a
// thread that should run.
void DeliverPending();
// Parse the runner's options (--rt, --stop-at).
void ParseOptions(int argc, char **argv);

}  // namespace gale::posix

#endif  // GALE_ARCH_POSIX_POSIX_INTERNAL_H_
