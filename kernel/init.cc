// Boot sequence after the arch start-up: PRE_KERNEL_1 and PRE_KERNEL_2 init levels, then the
// main thread's part: POST_KERNEL, static constructors, the banner, APPLICATION and main().
// The scheduler is not in yet, so the "main thread" is the start-up context itself; once
// threads exist, z_cstart() switches to a real main thread at the marked point.
#include <gale/arch.h>
#include <gale/device.h>
#include <gale/init.h>
#include <gale/sys/printk.h>
#include <gale/version.h>

#include <kernel_internal.h>

// Linker-script symbols bracketing each init level (kernel/linker/rom.ld).
extern "C" {
extern const struct init_entry __init_PRE_KERNEL_1_start[];
extern const struct init_entry __init_PRE_KERNEL_2_start[];
extern const struct init_entry __init_POST_KERNEL_start[];
extern const struct init_entry __init_APPLICATION_start[];
extern const struct init_entry __init_SMP_start[];
extern const struct init_entry __init_end[];
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

FUNC_NORETURN void MainThread() {
  RunInitLevel(InitLevel::kPostKernel);
  arch_static_init();
#ifdef CONFIG_BOOT_BANNER
  printk("*** " CONFIG_BOOT_BANNER_STRING " v" KERNEL_VERSION_STRING " ***\n");
#endif
  RunInitLevel(InitLevel::kApplication);
  (void)z_main_call();
  // main() returned: as in Zephyr, the system goes on without it (idle until a reset).
  for (;;) {
    arch_cpu_idle();
  }
}

}  // namespace
}  // namespace gale::kernel

extern "C" uint32_t sys_kernel_version_get(void) {
  return KERNEL_VERSION_NUMBER;
}

extern "C" FUNC_NORETURN void z_cstart(void) {
  using gale::kernel::InitLevel;
  gale::kernel::RunInitLevel(InitLevel::kPreKernel1);
  gale::kernel::RunInitLevel(InitLevel::kPreKernel2);
  gale::kernel::MainThread();
}
