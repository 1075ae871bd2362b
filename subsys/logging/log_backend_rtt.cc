// The RTT backend: messages on an RTT up-channel (subsys/rtt). In block mode a message waits
// for the host to make room; in drop mode what does not fit is lost.
#include <gale/rtt.h>

#include "log_internal.h"

namespace gale::logging {

void RttBackendWrite(const uint8_t *data, size_t length) {
  size_t done = 0;
  while (done < length) {
    unsigned n = gale_rtt_write(CONFIG_LOG_BACKEND_RTT_BUFFER, data + done,
                                static_cast<unsigned>(length - done));
    done += n;
#ifdef CONFIG_LOG_BACKEND_RTT_MODE_DROP
    break;
#endif
  }
}

}  // namespace gale::logging
