/*
 * The shell's RTT backend, with the test as the debug host: it writes a command line into down
 * channel 0 of the control block, as a probe would, and reads the answer from up channel 0.
 */
#include <string.h>

#include <zephyr/kernel.h>
#include <zephyr/shell/shell.h>
#include <zephyr/ztest.h>

#include <gale/rtt.h>

static int cmd_hi(const struct shell *sh, size_t argc, char **argv) {
  shell_print(sh, "hi-from-rtt argc=%u last=%s", (unsigned int)argc, argv[argc - 1]);
  return 0;
}

SHELL_CMD_ARG_REGISTER(hi, NULL, "Greet", cmd_hi, 1, 4);

/* Host side: write into a down ring, waiting while it is full. */
static void host_write(const char *s) {
  struct gale_rtt_buffer *down = &_SEGGER_RTT.aDown[0];
  while (*s != '\0') {
    unsigned wr = down->WrOff;
    unsigned next = (wr + 1U) % down->SizeOfBuffer;
    if (next == down->RdOff) {
      k_sleep(K_MSEC(5));
      continue;
    }
    down->pBuffer[wr] = *s++;
    down->WrOff = next;
  }
}

static char host_out[1024];
static size_t host_len;

/* Host side: read the up ring until its text ends with @p suffix (or time runs out). */
static bool host_read_until(const char *suffix) {
  struct gale_rtt_buffer *up = &_SEGGER_RTT.aUp[0];
  size_t n = strlen(suffix);
  for (int tries = 0; tries < 500; tries++) {
    while (up->RdOff != up->WrOff && host_len < sizeof(host_out) - 1) {
      host_out[host_len++] = up->pBuffer[up->RdOff];
      up->RdOff = (up->RdOff + 1U) % up->SizeOfBuffer;
    }
    host_out[host_len] = '\0';
    if (host_len >= n && strcmp(&host_out[host_len - n], suffix) == 0) {
      return true;
    }
    k_sleep(K_MSEC(10));
  }
  return false;
}

ZTEST(shell_rtt, test_command_over_rtt) {
  zassert_true(host_read_until("rtt:~$ "), "no prompt: '%s'", host_out);
  host_len = 0;
  host_write("hi there gale\r\n");
  zassert_true(host_read_until("\r\nrtt:~$ "), "no prompt after the command: '%s'", host_out);
  zassert_not_null(strstr(host_out, "hi there gale\r\nhi-from-rtt argc=3 last=gale\r\n"), "%s",
                   host_out);
  zassert_equal(shell_backend_rtt_get_ptr() != NULL, true);
}

ZTEST_SUITE(shell_rtt, NULL, NULL, NULL, NULL, NULL);
