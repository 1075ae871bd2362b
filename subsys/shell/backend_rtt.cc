// The RTT backend: a thread polls an RTT down channel and feeds the shell; output goes to the
// up channel of the same number. Like the serial backend, it polls: RTT has no interrupt.
#include <gale/kernel.h>
#include <gale/rtt.h>
#include <gale/shell/shell.h>

namespace {

void RttWrite(const shell *, const char *data, size_t len) {
  // In block mode gale_rtt_write() waits for the host; in the skip and trim modes a host that
  // does not read loses output, as a disconnected terminal would.
  while (len > 0) {
    int n = gale_rtt_write(CONFIG_SHELL_BACKEND_RTT_BUFFER, data, len);
    if (n <= 0) {
      return;
    }
    data += n;
    len -= static_cast<size_t>(n);
  }
}

}  // namespace

extern "C" {
GALE_SHELL_DEFINE(z_shell_rtt, CONFIG_SHELL_PROMPT_RTT, RttWrite, nullptr);
}

namespace {

void ShellRttThread(void *, void *, void *) {
  gale_rtt_init();
  gale_shell_start(&z_shell_rtt);
  for (;;) {
    char buf[16];
    int n = gale_rtt_read(CONFIG_SHELL_BACKEND_RTT_BUFFER, buf, sizeof(buf));
    if (n > 0) {
      gale_shell_input(&z_shell_rtt, buf, static_cast<size_t>(n));
    } else {
      k_sleep(K_MSEC(CONFIG_SHELL_BACKEND_RTT_POLL_PERIOD));
    }
  }
}

}  // namespace

extern "C" {
K_THREAD_DEFINE(shell_rtt, CONFIG_SHELL_STACK_SIZE, ShellRttThread, nullptr, nullptr, nullptr,
                CONFIG_SHELL_THREAD_PRIORITY, 0, 0);

const struct shell *shell_backend_rtt_get_ptr(void) {
  return &z_shell_rtt;
}
}
