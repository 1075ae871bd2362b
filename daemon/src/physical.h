// Physical devices as galed sees them: attached probes (from sysfs, through sdk/probes), the
// store's bindings (probe serial -> board and name), and the Device the manager builds for one
// through the runner's factory.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gale/boards/catalog.h"
#include "gale/devices/device.h"
#include "gale/probes/monitor.h"
#include "gale/probes/resolve.h"
#include "gale/store/records.h"
#include "gale/v1/devices.pb.h"

namespace gale::daemon {

struct Context;

/// Events for Devices.Watch that the device manager does not see, already in API form: probes
/// arriving and leaving, and farm changes (leases, tags; PublishFarmChange).
class ProbeEvents {
 public:
  using Callback = std::function<void(const v1::DeviceEvent &)>;
  uint64_t Watch(Callback callback);
  void Unwatch(uint64_t id);
  void Send(const v1::DeviceEvent &event);

 private:
  std::mutex mu_;
  std::map<uint64_t, Callback> watchers_;
  uint64_t next_ = 1;
};

/// The store's physical devices as probe bindings.
std::vector<probes::Binding> ToBindings(const std::vector<store::Device> &devices);

/// An attached probe, with its binding when it has one, as a gale.v1.Device (kind physical,
/// state attached); id = serial.
void ProbeToProto(const probes::Probe &probe, const store::Device *binding, v1::Device *out);
/// A bound device whose probe is not attached (state absent).
void AbsentToProto(const store::Device &binding, v1::Device *out);

/// Attached probes (each listing reads sysfs afresh) and the store's bindings.
struct PhysicalView {
  std::vector<probes::Probe> attached;
  std::vector<store::Device> bound;
  std::vector<probes::Binding> bindings;
};
absl::StatusOr<PhysicalView> ViewPhysical(Context &context);

/// Every physical device: attached probes (bound or not), then bound ones that are absent.
/// Bound devices seen attached get their last_seen time updated.
absl::StatusOr<std::vector<v1::Device>> ListPhysical(Context &context);

/// The Device for a resolved probe on `board` (the binding's board, or the build's for an
/// unbound probe), built by the manager's physical factory. Errors name the device ("bench-1
/// (0669FF...)") and say what to do.
absl::StatusOr<std::shared_ptr<devices::Device>> PhysicalDevice(Context &context,
                                                                const probes::Choice &choice,
                                                                const boards::Board &board);

/// A physical device by name or serial (`--device`), for any command. An unbound probe needs
/// `board_hint` (a build's board); NotFound when nothing physical has that name.
absl::StatusOr<std::shared_ptr<devices::Device>> ResolvePhysicalByName(
    Context &context, const std::string &name_or_serial, const std::string &board_hint = "");

}  // namespace gale::daemon
