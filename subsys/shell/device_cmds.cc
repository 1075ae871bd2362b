// The `device` command: list the devices and whether they are ready.
#include <gale/device.h>
#include <gale/shell/shell.h>

namespace {

int CmdList(const shell *sh, size_t, char **) {
  const device *devices;
  size_t count = z_device_get_all_static(&devices);
  shell_print(sh, "devices:");
  for (size_t i = 0; i < count; i++) {
    const device *dev = &devices[i];
    shell_print(sh, "- %s (%s)", dev->name != nullptr ? dev->name : "(unnamed)",
                device_is_ready(dev) ? "READY" : "DISABLED");
  }
  return 0;
}

}  // namespace

SHELL_STATIC_SUBCMD_SET_CREATE(sub_device, SHELL_CMD(list, NULL, "List devices.", CmdList),
                               SHELL_SUBCMD_SET_END);
SHELL_CMD_REGISTER(device, &sub_device, "Device commands", NULL);
