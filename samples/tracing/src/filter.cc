// The filter's work, in C++: the scope guard records a "filter_step" span around it.
#include <zephyr/kernel.h>

#include <gale/tracing/tracing.h>

extern "C" void filter_step(int32_t sample) {
  GALE_TRACE_SCOPE("filter_step");
  k_busy_wait(200 + static_cast<uint32_t>(sample % 100));
}
