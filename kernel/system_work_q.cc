// The system work queue, started at POST_KERNEL.
#include <gale/init.h>
#include <gale/kernel.h>

K_KERNEL_STACK_DEFINE(sys_work_q_stack, CONFIG_SYSTEM_WORKQUEUE_STACK_SIZE);

extern "C" {
struct k_work_q k_sys_work_q;
}

namespace {

int SysWorkQueueInit() {
  const k_work_queue_config cfg = {
      .name = "sysworkq",
      .no_yield = IS_ENABLED(CONFIG_SYSTEM_WORKQUEUE_NO_YIELD),
      .essential = true,
  };
  k_work_queue_start(&k_sys_work_q, sys_work_q_stack, K_KERNEL_STACK_SIZEOF(sys_work_q_stack),
                     CONFIG_SYSTEM_WORKQUEUE_PRIORITY, &cfg);
  return 0;
}

}  // namespace

SYS_INIT(SysWorkQueueInit, POST_KERNEL, CONFIG_KERNEL_INIT_PRIORITY_DEFAULT);
