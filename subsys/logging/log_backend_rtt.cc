// The RTT backend: messages on an RTT up-channel (subsys/rtt). In block mode a message waits
// until the host has made room for all of it, whatever the channel's own mode (a skipped or
// trimmed write is retried with the rest); in drop mode one write is tried and what the channel
// does not take is lost (the channel counts it).
#include <gale/rtt.h>

#include "log_internal.h"

namespace gale::logging {

void RttBackendWrite(const uint8_t *data, size_t length) {
  size_t done = 0;
  while (done < length) {
    int n = gale_rtt_write(CONFIG_LOG_BACKEND_RTT_BUFFER, data + done, length - done);
    if (n < 0) {
      return;  // no such channel: nothing will ever fit
    }
    done += static_cast<size_t>(n);
#ifdef CONFIG_LOG_BACKEND_RTT_MODE_DROP
    return;
#endif
  }
}

}  // namespace gale::logging
