#include "device_util.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "physical.h"

namespace gale::daemon {

void DeviceToProto(const devices::DeviceInfo &info, v1::Device *out) {
  out->set_id(info.id);
  out->set_name(info.name);
  out->set_board(info.board);
  out->set_kind(info.kind == devices::DeviceKind::kEmulated ? v1::DEVICE_KIND_EMULATED
                                                            : v1::DEVICE_KIND_PHYSICAL);
  switch (info.state) {
    case devices::DeviceState::kHalted:
      out->set_state(v1::DEVICE_STATE_HALTED);
      break;
    case devices::DeviceState::kFlashing:
      out->set_state(v1::DEVICE_STATE_FLASHING);
      break;
    case devices::DeviceState::kRunning:
      out->set_state(v1::DEVICE_STATE_RUNNING);
      break;
    case devices::DeviceState::kExited:
      out->set_state(v1::DEVICE_STATE_EXITED);
      break;
    case devices::DeviceState::kOffline:
      out->set_state(v1::DEVICE_STATE_OFFLINE);
      break;
  }
  out->set_gdb_address(info.gdb_address);
  out->set_console_address(info.console_address);
  out->set_exit_code(info.exit_code);
  out->set_image(info.image);
  out->set_created_us(absl::ToUnixMicros(info.created));
  out->set_error(info.error);
}

absl::StatusOr<std::shared_ptr<devices::Device>> ResolveDevice(Context &context,
                                                               const std::string &id) {
  if (!id.empty()) {
    absl::StatusOr<std::shared_ptr<devices::Device>> emulated = context.devices->Get(id);
    if (emulated.ok() || !absl::IsNotFound(emulated.status())) {
      return emulated;
    }
    // Not an emulated device: a physical one by name or serial.
    absl::StatusOr<std::shared_ptr<devices::Device>> physical = ResolvePhysicalByName(context, id);
    if (absl::IsNotFound(physical.status())) {
      return absl::NotFoundError(
          absl::StrCat(emulated.status().message(), "; ", physical.status().message()));
    }
    return physical;
  }
  std::vector<devices::DeviceInfo> all = context.devices->List();
  if (all.size() == 1) {
    return context.devices->Get(all.front().id);
  }
  if (all.empty()) {
    // No emulated device: the one attached physical device, when exactly one is bound.
    absl::StatusOr<PhysicalView> view = ViewPhysical(context);
    if (view.ok()) {
      std::vector<const probes::Probe *> bound;
      for (const probes::Probe &probe : view->attached) {
        for (const probes::Binding &binding : view->bindings) {
          if (binding.serial == probe.Key()) {
            bound.push_back(&probe);
          }
        }
      }
      if (bound.size() == 1) {
        return ResolvePhysicalByName(context, bound.front()->Key());
      }
      if (bound.size() > 1) {
        std::vector<std::string> names;
        for (const probes::Probe *probe : bound) {
          absl::StatusOr<probes::Choice> choice =
              probes::ResolveByName(probe->Key(), view->attached, view->bindings);
          names.push_back(choice.ok() ? choice->Label() : probe->Key());
        }
        return absl::FailedPreconditionError(
            absl::StrCat("several physical devices are attached (", absl::StrJoin(names, ", "),
                         "); choose one with --device NAME|SERIAL"));
      }
    }
    return absl::FailedPreconditionError(
        "there are no devices; start an emulated one with `gale emu start -b BOARD`, or attach "
        "a board and bind its probe with `gale devices assign`");
  }
  std::vector<std::string> ids;
  for (const devices::DeviceInfo &info : all) {
    ids.push_back(info.id);
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "several devices are attached (", absl::StrJoin(ids, ", "), "); choose one with --device"));
}

}  // namespace gale::daemon
