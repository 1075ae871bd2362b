// native_sim UART: the first instance is the process's standard input and output, so a
// native_sim image behaves like a board on a serial console. Further instances have no
// backing yet and refuse to initialise (-ENODEV), which device_is_ready() reports.
#define DT_DRV_COMPAT zephyr_native_pty_uart

#include <gale/device.h>
#include <gale/drivers/uart.h>

#include <poll.h>
#include <unistd.h>

namespace {

struct Config {
  int instance;
};

int Init(const device *dev) {
  auto *config = static_cast<const Config *>(dev->config);
  return config->instance == 0 ? 0 : -ENODEV;
}

int PollIn(const device *, unsigned char *c) {
  pollfd fd = {.fd = STDIN_FILENO, .events = POLLIN, .revents = 0};
  if (poll(&fd, 1, 0) <= 0 || (fd.revents & POLLIN) == 0) {
    return -1;
  }
  return read(STDIN_FILENO, c, 1) == 1 ? 0 : -1;
}

void PollOut(const device *, unsigned char c) {
  // A closed or full stdout loses the character, as a disconnected serial line would.
  (void)!write(STDOUT_FILENO, &c, 1);
}

const uart_driver_api kApi = {
    .poll_in = PollIn,
    .poll_out = PollOut,
    .err_check = nullptr,
    .configure = nullptr,
    .config_get = nullptr,
};

}  // namespace

#define UART_NATIVE_PTY_DEFINE(n)                                       \
  static const Config config_##n = {.instance = n};                     \
  DEVICE_DT_INST_DEFINE(n, Init, NULL, NULL, &config_##n, PRE_KERNEL_1, \
                        CONFIG_SERIAL_INIT_PRIORITY, &kApi);

DT_INST_FOREACH_STATUS_OKAY(UART_NATIVE_PTY_DEFINE)
