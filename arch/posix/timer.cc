// native_sim clock: simulated nanoseconds that advance only when every thread idles (to the
// next timer event) or busy-waits (by the time waited). It is the kernel's tickless system
// clock. With --rt, simulated time is paced against the host's monotonic clock.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gale/arch.h>
#include <gale/kernel.h>

#include <ksched.h>

#include "posix_internal.h"

namespace gale::posix {
namespace {

constexpr uint64_t kNsPerTick = 1000000000ULL / CONFIG_SYS_CLOCK_TICKS_PER_SEC;
static_assert(1000000000ULL % CONFIG_SYS_CLOCK_TICKS_PER_SEC == 0,
              "native_sim needs a tick rate that divides one second in whole nanoseconds");

uint64_t now_ns;
uint64_t announced_ticks;
uint64_t next_event_ns = UINT64_MAX;
bool real_time;
uint64_t host_start_ns;

uint64_t HostNow() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

uint64_t Now() {
  return now_ns;
}

uint64_t NextTimerEvent() {
  return next_event_ns;
}

void AdvanceTo(uint64_t ns) {
  if (ns <= now_ns) {
    return;
  }
  if (real_time) {
    uint64_t host = HostNow() - host_start_ns;
    if (ns > host) {
      uint64_t wait = ns - host;
      timespec ts{static_cast<time_t>(wait / 1000000000ULL),
                  static_cast<long>(wait % 1000000000ULL)};
      nanosleep(&ts, nullptr);
    }
  }
  now_ns = ns;
}

void TimerInterrupt() {
  if (now_ns < next_event_ns) {
    return;
  }
  next_event_ns = UINT64_MAX;
  uint64_t now_ticks = now_ns / kNsPerTick;
  auto ticks = static_cast<int32_t>(now_ticks - announced_ticks);
  announced_ticks = now_ticks;
  sys_clock_announce(ticks);
}

void ParseOptions(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--rt") == 0) {
      real_time = true;
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      printf("usage: %s [--rt]\n"
             "  --rt  pace simulated time against the host clock (default: run as fast as\n"
             "        possible; time advances only while every thread waits)\n",
             argv[0]);
      exit(0);
    }
  }
  host_start_ns = HostNow();
}

}  // namespace gale::posix

using namespace gale::posix;

extern "C" {

void sys_clock_driver_init(void) {}

void sys_clock_set_timeout(int32_t ticks, bool idle) {
  ARG_UNUSED(idle);
  if (ticks == K_TICKS_FOREVER) {
    next_event_ns = UINT64_MAX;
    return;
  }
  if (ticks < 1) {
    ticks = 1;
  }
  // Interrupt at the boundary of the tick that many ticks ahead of the current one.
  uint64_t now_ticks = now_ns / kNsPerTick;
  next_event_ns = (now_ticks + static_cast<uint64_t>(ticks)) * kNsPerTick;
}

uint32_t sys_clock_elapsed(void) {
  return static_cast<uint32_t>(now_ns / kNsPerTick - announced_ticks);
}

uint64_t sys_clock_cycle_get_64(void) {
  return now_ns * CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC / 1000000000ULL;
}

uint32_t sys_clock_cycle_get_32(void) {
  return static_cast<uint32_t>(sys_clock_cycle_get_64());
}

// Busy-waiting is where simulated time passes for a running thread: timer interrupts due
// meanwhile are taken (and may preempt the waiter) at their time.
void k_busy_wait(uint32_t usec_to_wait) {
  uint64_t end = now_ns + static_cast<uint64_t>(usec_to_wait) * 1000U;
  while (next_event_ns <= end) {
    AdvanceTo(next_event_ns);
    RaiseTimer();
    DeliverPending();
    if (next_event_ns <= now_ns) {
      break;  // interrupts are locked: the timer waits for the unlock
    }
  }
  AdvanceTo(end);
}

}  // extern "C"
