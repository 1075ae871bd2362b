// The one check every state-changing call on a device makes: a leased device may only be changed
// by a call carrying its lease's token (`gale-lease` metadata). Leases bind everyone, the local
// admin on the unix socket included; read-only use (listing, watching, output) is not checked.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "context.h"
#include "gale/devices/device.h"
#include "gale/v1/devices.pb.h"

namespace gale::daemon {

/// OK when `device_id` (a device's id, not its name) is not leased or `server_context` carries
/// its lease's token.
/// @retval FailedPrecondition naming the device, the holder, the lease and its expiry.
absl::Status CheckDeviceLease(Context &context, const grpc::ServerContext &server_context,
                              const std::string &device_id);

/// The device `id_or_name` names, when the call may change it: ResolveDevice's errors, then
/// CheckDeviceLease's.
absl::StatusOr<std::shared_ptr<devices::Device>> ResolveDeviceToChange(
    Context &context, const grpc::ServerContext &server_context, const std::string &id_or_name);

/// Fills a listed device's tags (from the store) and lease fields (holder, id, expiry).
void AddFarmFields(Context &context, v1::Device *device);

/// Tells Devices.Watch watchers that these devices' farm fields changed (a lease began, was
/// renewed or ended; tags were set): one KIND_CHANGED event each, for devices that still exist.
void PublishFarmChange(Context &context, const std::vector<std::string> &device_ids);

}  // namespace gale::daemon
