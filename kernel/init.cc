// Boot sequence after the arch start-up: PRE_KERNEL_1 and PRE_KERNEL_2 init levels on the
// start-up stack, then the switch to the main thread, which runs POST_KERNEL, static
// constructors, the banner, APPLICATION, starts the K_THREAD_DEFINE threads and calls main().
#include <gale/arch.h>
#include <gale/device.h>
#include <gale/init.h>
#include <gale/kernel.h>
#include <gale/sys/printk.h>
#include <gale/version.h>

#include <kernel_internal.h>
#include <kernel_trace.h>
#include <ksched.h>

// Linker-script symbols bracketing each init level (kernel/linker/rom.ld).
extern "C" {
extern const struct init_entry __init_PRE_KERNEL_1_start[];
extern const struct init_entry __init_PRE_KERNEL_2_start[];
extern const struct init_entry __init_POST_KERNEL_start[];
extern const struct init_entry __init_APPLICATION_start[];
extern const struct init_entry __init_SMP_start[];
extern const struct init_entry __init_end[];
}

K_THREAD_STACK_DEFINE(z_main_stack, CONFIG_MAIN_STACK_SIZE);
K_THREAD_STACK_DEFINE(z_idle_stack, CONFIG_IDLE_STACK_SIZE);
extern "C" {
struct k_thread z_main_thread;
struct k_thread z_idle_thread;
}

namespace gale::kernel {
namespace {

enum class InitLevel { kPreKernel1, kPreKernel2, kPostKernel, kApplication };

void RunEntry(const init_entry &entry) {
  const device *dev = entry.dev;
  if (dev == nullptr) {
    // Zephyr ignores a SYS_INIT function's result; so does Gale, after running it.
    (void)entry.init_fn.sys();
    return;
  }
  int rc = entry.init_fn.dev != nullptr ? entry.init_fn.dev(dev) : 0;
  if (rc < 0) {
    rc = -rc;
  }
  // A device that failed stays unready (device_is_ready() false) with the errno kept.
  dev->state->init_res = static_cast<uint8_t>(rc > 255 ? 255 : rc);
  dev->state->initialized = true;
}

void RunInitLevel(InitLevel level) {
  static const init_entry *const kLevelStart[] = {
      __init_PRE_KERNEL_1_start, __init_PRE_KERNEL_2_start, __init_POST_KERNEL_start,
      __init_APPLICATION_start,  __init_SMP_start,
  };
  auto index = static_cast<unsigned>(level);
  for (const init_entry *entry = kLevelStart[index]; entry < kLevelStart[index + 1]; entry++) {
    RunEntry(*entry);
  }
}

void MainThreadEntry(void *, void *, void *) {
  RunInitLevel(InitLevel::kPostKernel);
  arch_static_init();
#ifdef CONFIG_BOOT_BANNER
  printk("*** " CONFIG_BOOT_BANNER_STRING " v" KERNEL_VERSION_STRING " ***\n");
#endif
  RunInitLevel(InitLevel::kApplication);
  InitStaticThreads();
  (void)z_main_call();
  // main() returned: as in Zephyr, the main thread ends and the other threads go on.
  z_main_thread.base.user_options &= ~K_ESSENTIAL;
}

void IdleThreadEntry(void *, void *, void *) {
  for (;;) {
    SYS_TRACE_IDLE();
    arch_cpu_idle();
  }
}

}  // namespace
}  // namespace gale::kernel

extern "C" uint32_t sys_kernel_version_get(void) {
  return KERNEL_VERSION_NUMBER;
}

extern "C" FUNC_NORETURN void z_cstart(void) {
  using namespace gale::kernel;
  // The start-up context is a dummy thread until the first switch, so that the kernel's
  // bookkeeping always has a current thread. The idle thread's object serves: it is set up
  // only once the start-up context is no longer needed.
  z_idle_thread.base.thread_state = _THREAD_DUMMY;
  _kernel.current = &z_idle_thread;
  _kernel.pre_kernel = true;
  InitScheduler();

  RunInitLevel(InitLevel::kPreKernel1);
  sys_clock_driver_init();
  RunInitLevel(InitLevel::kPreKernel2);
  _kernel.pre_kernel = false;

  PrepareThread(&z_idle_thread, z_idle_stack, K_THREAD_STACK_SIZEOF(z_idle_stack),
                IdleThreadEntry, nullptr, nullptr, nullptr, K_IDLE_PRIO, K_ESSENTIAL);
  z_idle_thread.base.thread_state = 0;  // runnable, but never queued: chosen when none is
  _kernel.idle_thread = &z_idle_thread;
  PrepareThread(&z_main_thread, z_main_stack, K_THREAD_STACK_SIZEOF(z_main_stack),
                MainThreadEntry, nullptr, nullptr, nullptr, CONFIG_MAIN_THREAD_PRIORITY,
                K_ESSENTIAL);
#ifdef CONFIG_THREAD_NAME
  k_thread_name_set(&z_idle_thread, "idle");
  k_thread_name_set(&z_main_thread, "main");
#endif
  z_main_thread.base.thread_state = 0;
  ReadyThread(&z_main_thread);
  _kernel.current = &z_main_thread;
  _kernel.ready_cache = &z_main_thread;
  arch_switch_to_main_thread(&z_main_thread,
                             reinterpret_cast<char *>(z_main_thread.stack_info.start +
                                                      z_main_thread.stack_info.size),
                             MainThreadEntry);
}
