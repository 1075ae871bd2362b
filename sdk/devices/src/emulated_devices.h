// The emulated device implementations, made by the DeviceManager.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "device_base.h"
#include "gale/boards/catalog.h"
#include "gale/runners/qemu.h"

namespace gale::devices {

/// A board emulated by QEMU. Starts the emulator (held at reset) before returning.
absl::StatusOr<std::shared_ptr<Device>> CreateQemuDevice(DeviceInfo info,
                                                         runners::QemuOptions options,
                                                         const DeviceTimeouts &timeouts,
                                                         size_t console_capacity);

/// native_sim: the image is a Linux program, run as a child process of this one. `run_dir` is
/// its working folder; `real_time` runs it with --rt.
absl::StatusOr<std::shared_ptr<Device>> CreateNativeDevice(DeviceInfo info, std::string run_dir,
                                                           size_t console_capacity, bool real_time);

/// Removes a device's run folder (the files the device layer and the emulator put there).
void RemoveRunDir(const std::string &run_dir);

}  // namespace gale::devices
