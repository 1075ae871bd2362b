// The serial backend: a thread polls the shell UART (chosen "zephyr,shell-uart", else the
// console) and feeds the shell; output goes out with uart_poll_out(). The UART drivers have no
// interrupt API yet, so the thread sleeps between polls; the receive FIFO (and on an emulator
// the host side, which stops sending while the FIFO is full) keeps what arrives meanwhile.
#include <gale/device.h>
#include <gale/drivers/uart.h>
#include <gale/kernel.h>
#include <gale/shell/shell.h>

namespace {

#if DT_HAS_CHOSEN(zephyr_shell_uart)
const device *const shell_uart_dev = DEVICE_DT_GET(DT_CHOSEN(zephyr_shell_uart));
#else
const device *const shell_uart_dev = DEVICE_DT_GET(DT_CHOSEN(zephyr_console));
#endif

void UartWrite(const shell *, const char *data, size_t len) {
  for (size_t i = 0; i < len; i++) {
    uart_poll_out(shell_uart_dev, static_cast<unsigned char>(data[i]));
  }
}

}  // namespace

extern "C" {
GALE_SHELL_DEFINE(z_shell_uart, CONFIG_SHELL_PROMPT_UART, UartWrite, nullptr);
}

namespace {

void ShellUartThread(void *, void *, void *) {
  if (!device_is_ready(shell_uart_dev)) {
    return;
  }
  gale_shell_start(&z_shell_uart);
  // After input, poll every millisecond for a while: the rest of a line or a burst often comes
  // one character at a time (a 1-byte receive register, an emulator that feeds the UART from
  // its main loop), and waiting a full period between characters would make it crawl.
  constexpr int kFastPolls = 100;
  int quiet_polls = kFastPolls;
  for (;;) {
    char buf[16];
    size_t n = 0;
    unsigned char c;
    while (n < sizeof(buf) && uart_poll_in(shell_uart_dev, &c) == 0) {
      buf[n++] = static_cast<char>(c);
    }
    if (n > 0) {
      gale_shell_input(&z_shell_uart, buf, n);
      quiet_polls = 0;
    } else if (quiet_polls < kFastPolls) {
      quiet_polls++;
      k_sleep(K_MSEC(1));
    } else {
      k_sleep(K_MSEC(CONFIG_SHELL_BACKEND_SERIAL_POLL_PERIOD));
    }
  }
}

}  // namespace

extern "C" {
K_THREAD_DEFINE(shell_uart, CONFIG_SHELL_STACK_SIZE, ShellUartThread, nullptr, nullptr, nullptr,
                CONFIG_SHELL_THREAD_PRIORITY, 0, 0);

const struct shell *shell_backend_uart_get_ptr(void) {
  return &z_shell_uart;
}
}
