#include "lease_guard.h"

#include "caller.h"

namespace gale::daemon {

absl::Status CheckDeviceLease(Context &context, const grpc::ServerContext &server_context,
                              const std::string &device_id) {
  if (context.leases == nullptr) {
    return absl::OkStatus();
  }
  return context.leases->CheckAccess(device_id, LeaseTokenOf(server_context));
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

}  // namespace gale::daemon
