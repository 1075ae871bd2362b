// Console on the UART chosen as zephyr,console: printk() and libc stdout go there.
#include <gale/device.h>
#include <gale/drivers/uart.h>
#include <gale/init.h>
#include <gale/sys/printk.h>

namespace {

const device *const console_dev = DEVICE_DT_GET(DT_CHOSEN(zephyr_console));

int ConsoleOut(int c) {
#ifdef CONFIG_UART_CONSOLE_CRLF
  // Terminals on a serial line expect CR LF; a host process (native_sim) writes plain LF.
  if (c == '\n') {
    uart_poll_out(console_dev, '\r');
  }
#endif
  uart_poll_out(console_dev, static_cast<unsigned char>(c));
  return c;
}

int ConsoleInit() {
  if (!device_is_ready(console_dev)) {
    return -ENODEV;
  }
  __printk_hook_install(ConsoleOut);
  return 0;
}

}  // namespace

SYS_INIT(ConsoleInit, PRE_KERNEL_1, CONFIG_UART_CONSOLE_INIT_PRIORITY);
