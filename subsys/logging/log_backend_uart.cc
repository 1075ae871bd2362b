// The UART backend: messages on the console UART (zephyr,console), polled.
#include <gale/device.h>
#include <gale/drivers/uart.h>

#include "log_internal.h"

namespace gale::logging {

namespace {
const device *const uart_dev = DEVICE_DT_GET(DT_CHOSEN(zephyr_console));
}  // namespace

void UartBackendWrite(const uint8_t *data, size_t length) {
  if (!device_is_ready(uart_dev)) {
    return;
  }
  for (size_t i = 0; i < length; i++) {
#if defined(CONFIG_UART_CONSOLE_CRLF) && !defined(CONFIG_LOG_DICTIONARY_SUPPORT)
    // Serial terminals expect CR LF, as the console gives printk; records are binary.
    if (data[i] == '\n') {
      uart_poll_out(uart_dev, '\r');
    }
#endif
    uart_poll_out(uart_dev, data[i]);
  }
}

}  // namespace gale::logging
