#include "lease_guard.h"

#include <algorithm>
#include <optional>

#include "caller.h"
#include "device_util.h"
#include "physical.h"

namespace gale::daemon {

absl::Status CheckDeviceLease(Context &context, const grpc::ServerContext &server_context,
                              const std::string &device_id) {
  if (context.leases == nullptr) {
    return absl::OkStatus();
  }
  return context.leases->CheckAccess(device_id, LeaseTokenOf(server_context));
}

absl::StatusOr<std::shared_ptr<devices::Device>> ResolveDeviceToChange(
    Context &context, const grpc::ServerContext &server_context, const std::string &id_or_name) {
  absl::StatusOr<std::shared_ptr<devices::Device>> device = ResolveDevice(context, id_or_name);
  if (!device.ok()) {
    return device.status();
  }
  if (absl::Status leased = CheckDeviceLease(context, server_context, (*device)->id());
      !leased.ok()) {
    return leased;
  }
  return device;
}

void AddFarmFields(Context &context, v1::Device *device) {
  if (device->tags().empty()) {
    if (absl::StatusOr<store::Device> stored = context.store->GetDevice(device->id());
        stored.ok() && stored->id == device->id()) {
      for (const std::string &tag : stored->tags) {
        device->add_tags(tag);
      }
    }
  }
  if (context.leases == nullptr) {
    return;
  }
  if (std::optional<farm::Lease> lease = context.leases->LeaseOf(device->id()); lease) {
    device->set_lease_holder(lease->holder);
    device->set_lease_id(lease->id);
    device->set_lease_expires_us(absl::ToUnixMicros(lease->expires));
  }
}

void PublishFarmChange(Context &context, const std::vector<std::string> &device_ids) {
  if (context.probe_events == nullptr || context.devices == nullptr) {
    return;
  }
  std::optional<std::vector<v1::Device>> physical;  // listed once, when first needed
  for (const std::string &id : device_ids) {
    v1::DeviceEvent event;
    event.set_kind(v1::DeviceEvent::KIND_CHANGED);
    if (absl::StatusOr<std::shared_ptr<devices::Device>> emulated = context.devices->Get(id);
        emulated.ok()) {
      DeviceToProto((*emulated)->Info(), event.mutable_device());
    } else {
      if (!physical.has_value()) {
        absl::StatusOr<std::vector<v1::Device>> listed = ListPhysical(context);
        physical = listed.ok() ? std::move(*listed) : std::vector<v1::Device>{};
      }
      auto it = std::find_if(physical->begin(), physical->end(),
                             [&id](const v1::Device &device) { return device.id() == id; });
      if (it == physical->end()) {
        continue;  // deleted, or a probe no longer bound: nothing to show
      }
      *event.mutable_device() = *it;
    }
    // Devices.Watch adds the farm fields as it writes each event.
    context.probe_events->Send(event);
  }
}

}  // namespace gale::daemon
