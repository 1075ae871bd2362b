// Devices as the API shows them.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "context.h"
#include "gale/devices/device.h"
#include "gale/v1/devices.pb.h"

namespace gale::daemon {

void DeviceToProto(const devices::DeviceInfo &info, v1::Device *out);

/// A device by id or name; an empty id means the only device there is (FailedPrecondition when
/// there are none or several, listing them).
absl::StatusOr<std::shared_ptr<devices::Device>> ResolveDevice(Context &context,
                                                               const std::string &id);

}  // namespace gale::daemon
