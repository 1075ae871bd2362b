// The `kernel` command: threads, stacks, uptime, version, reboot.
#include <gale/kernel.h>
#include <gale/shell/shell.h>
#include <gale/version.h>

namespace {

// A thread's name, or its address when names are off (CONFIG_THREAD_NAME) or it has none.
const char *ThreadLabel(const k_thread *thread, char *buf, size_t size) {
  const char *name = k_thread_name_get(const_cast<k_tid_t>(thread));
  if (name != nullptr && name[0] != '\0') {
    return name;
  }
  // Formatted into the caller's buffer through shell-independent code: "0x" and 8 digits.
  static const char kHex[] = "0123456789abcdef";
  uintptr_t addr = reinterpret_cast<uintptr_t>(thread);
  size_t digits = sizeof(uintptr_t) * 2;
  if (size < digits + 3) {
    return "?";
  }
  buf[0] = '0';
  buf[1] = 'x';
  for (size_t i = 0; i < digits; i++) {
    buf[2 + i] = kHex[(addr >> (4 * (digits - 1 - i))) & 0xF];
  }
  buf[2 + digits] = '\0';
  return buf;
}

void PrintThread(const k_thread *thread, void *user_data) {
  auto *sh = static_cast<const shell *>(user_data);
  char label[2 + 2 * sizeof(uintptr_t) + 1];
  char state[32];
  const char *marker = thread == k_current_get() ? "*" : " ";
  shell_print(sh, "%s%-20s %p prio %3d  %s", marker, ThreadLabel(thread, label, sizeof(label)),
              static_cast<const void *>(thread), thread->base.prio,
              k_thread_state_str(const_cast<k_tid_t>(thread), state, sizeof(state)));
  size_t unused;
  if (k_thread_stack_space_get(thread, &unused) == 0) {
    size_t size = thread->stack_info.size;
    shell_print(sh, "   stack size %u, used %u", static_cast<unsigned>(size),
                static_cast<unsigned>(size - unused));
  } else {
    shell_print(sh, "   stack size %u, used unknown",
                static_cast<unsigned>(thread->stack_info.size));
  }
}

int CmdThreads(const shell *sh, size_t, char **) {
  shell_print(sh, "Threads (* current):");
  k_thread_foreach(PrintThread, const_cast<shell *>(sh));
  return 0;
}

void PrintStack(const k_thread *thread, void *user_data) {
  auto *sh = static_cast<const shell *>(user_data);
  char label[2 + 2 * sizeof(uintptr_t) + 1];
  size_t size = thread->stack_info.size;
  size_t unused;
  if (k_thread_stack_space_get(thread, &unused) == 0) {
    size_t used = size - unused;
    shell_print(sh, "%-20s (%p): size %5u unused %5u usage %5u / %5u (%u %%)",
                ThreadLabel(thread, label, sizeof(label)), static_cast<const void *>(thread),
                static_cast<unsigned>(size), static_cast<unsigned>(unused),
                static_cast<unsigned>(used), static_cast<unsigned>(size),
                size > 0 ? static_cast<unsigned>(used * 100U / size) : 0U);
  } else {
    shell_print(sh, "%-20s (%p): size %5u usage unknown (needs CONFIG_INIT_STACKS)",
                ThreadLabel(thread, label, sizeof(label)), static_cast<const void *>(thread),
                static_cast<unsigned>(size));
  }
}

int CmdStacks(const shell *sh, size_t, char **) {
  k_thread_foreach(PrintStack, const_cast<shell *>(sh));
  return 0;
}

int CmdUptime(const shell *sh, size_t, char **) {
  shell_print(sh, "Uptime: %u ms", static_cast<unsigned>(k_uptime_get()));
  return 0;
}

int CmdVersion(const shell *sh, size_t, char **) {
  uint32_t ver = sys_kernel_version_get();
  shell_print(sh, "Gale version %u.%u.%u", static_cast<unsigned>(SYS_KERNEL_VER_MAJOR(ver)),
              static_cast<unsigned>(SYS_KERNEL_VER_MINOR(ver)),
              static_cast<unsigned>(SYS_KERNEL_VER_PATCHLEVEL(ver)));
  return 0;
}

int CmdReboot(const shell *sh, size_t, char **) {
  // No port implements sys_reboot() yet.
  shell_error(sh, "kernel reboot: not supported on this port (no sys_reboot())");
  return -ENOSYS;
}

}  // namespace

SHELL_STATIC_SUBCMD_SET_CREATE(sub_kernel,
                               SHELL_CMD(threads, NULL, "List the threads.", CmdThreads),
                               SHELL_CMD(stacks, NULL, "Stack use of each thread.", CmdStacks),
                               SHELL_CMD(uptime, NULL, "Time since boot.", CmdUptime),
                               SHELL_CMD(version, NULL, "Kernel version.", CmdVersion),
                               SHELL_CMD(reboot, NULL, "Reboot (where the port can).", CmdReboot),
                               SHELL_SUBCMD_SET_END);
SHELL_CMD_REGISTER(kernel, &sub_kernel, "Kernel commands", NULL);
