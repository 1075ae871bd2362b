// Between the logging core and its backends.
#ifndef GALE_SUBSYS_LOGGING_LOG_INTERNAL_H_
#define GALE_SUBSYS_LOGGING_LOG_INTERNAL_H_

#include <stddef.h>
#include <stdint.h>

namespace gale::logging {

// Each backend takes a whole message (a text line ending in '\n', or a dictionary record).
void UartBackendWrite(const uint8_t *data, size_t length);
void RttBackendWrite(const uint8_t *data, size_t length);

}  // namespace gale::logging

#endif  // GALE_SUBSYS_LOGGING_LOG_INTERNAL_H_
