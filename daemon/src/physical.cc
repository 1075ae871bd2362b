#include "physical.h"

#include "absl/strings/str_cat.h"
#include "context.h"

namespace gale::daemon {

uint64_t ProbeEvents::Watch(Callback callback) {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t id = next_++;
  watchers_[id] = std::move(callback);
  return id;
}

void ProbeEvents::Unwatch(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  watchers_.erase(id);
}

void ProbeEvents::Send(const v1::DeviceEvent &event) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto &[id, callback] : watchers_) {
    callback(event);
  }
}

std::vector<probes::Binding> ToBindings(const std::vector<store::Device> &devices) {
  std::vector<probes::Binding> bindings;
  for (const store::Device &device : devices) {
    if (device.kind == store::DeviceKind::kPhysical) {
      bindings.push_back({device.serial, device.name, device.board, device.tty});
    }
  }
  return bindings;
}

void ProbeToProto(const probes::Probe &probe, const store::Device *binding, v1::Device *out) {
  out->set_id(probe.Key());
  out->set_kind(v1::DEVICE_KIND_PHYSICAL);
  out->set_state(v1::DEVICE_STATE_ATTACHED);
  out->set_serial(probe.Key());
  out->set_probe(probe.family);
  out->set_probe_version(probe.version);
  out->set_probe_description(probe.description);
  out->set_usb_id(probe.UsbId());
  out->set_usb_path(probe.usb_path);
  out->set_tty(probe.tty);
  out->set_permission_problem(probe.permission_problem);
  if (binding != nullptr) {
    out->set_bound(true);
    out->set_name(binding->name);
    out->set_board(binding->board);
    out->set_created_us(binding->created_us);
    out->set_last_seen_us(binding->last_seen_us);
    if (!binding->tty.empty()) {
      out->set_tty(binding->tty);
    }
  }
}

void AbsentToProto(const store::Device &binding, v1::Device *out) {
  out->set_id(binding.id);
  out->set_name(binding.name);
  out->set_board(binding.board);
  out->set_kind(v1::DEVICE_KIND_PHYSICAL);
  out->set_state(v1::DEVICE_STATE_ABSENT);
  out->set_serial(binding.serial);
  out->set_tty(binding.tty);
  out->set_created_us(binding.created_us);
  out->set_last_seen_us(binding.last_seen_us);
  out->set_bound(true);
}

absl::StatusOr<PhysicalView> ViewPhysical(Context &context) {
  PhysicalView view;
  absl::StatusOr<std::vector<probes::Probe>> attached = probes::ListProbes(context.probe_scan);
  if (!attached.ok()) {
    return attached.status();
  }
  view.attached = std::move(*attached);
  absl::StatusOr<std::vector<store::Device>> bound = context.store->ListPhysicalDevices();
  if (!bound.ok()) {
    return bound.status();
  }
  view.bound = std::move(*bound);
  view.bindings = ToBindings(view.bound);
  return view;
}

absl::StatusOr<std::vector<v1::Device>> ListPhysical(Context &context) {
  absl::StatusOr<PhysicalView> view = ViewPhysical(context);
  if (!view.ok()) {
    return view.status();
  }
  std::vector<v1::Device> out;
  std::map<std::string, const store::Device *> by_serial;
  for (const store::Device &device : view->bound) {
    by_serial[device.serial] = &device;
  }
  std::map<std::string, bool> seen;
  for (const probes::Probe &probe : view->attached) {
    auto it = by_serial.find(probe.Key());
    const store::Device *binding = it == by_serial.end() ? nullptr : it->second;
    if (binding != nullptr) {
      (void)context.store->TouchDevice(binding->id);
      seen[binding->serial] = true;
    }
    ProbeToProto(probe, binding, &out.emplace_back());
  }
  for (const store::Device &device : view->bound) {
    if (!seen[device.serial]) {
      AbsentToProto(device, &out.emplace_back());
    }
  }
  return out;
}

absl::StatusOr<std::shared_ptr<devices::Device>> PhysicalDevice(Context &context,
                                                                const probes::Choice &choice,
                                                                const boards::Board &board) {
  const std::string label = choice.Label();
  if (board.openocd.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(label, ": board ", board.name,
                     " has no `openocd:` settings in its board.yaml, so Gale cannot drive it "
                     "through a probe"));
  }
  if (!choice.probe.permission_problem.empty()) {
    return absl::PermissionDeniedError(absl::StrCat(label, ": ", choice.probe.permission_problem));
  }
  devices::PhysicalDeviceSpec spec;
  spec.name = choice.binding ? choice.binding->name : "";
  spec.serial = choice.probe.Key();
  spec.probe = choice.probe.family;
  spec.usb_path = choice.probe.usb_path;
  spec.tty = choice.Tty();
  spec.board = board;
  absl::StatusOr<std::shared_ptr<devices::Device>> device = context.devices->GetPhysical(spec);
  if (!device.ok()) {
    return absl::Status(device.status().code(),
                        absl::StrCat(label, ": ", device.status().message()));
  }
  return device;
}

absl::StatusOr<std::shared_ptr<devices::Device>> ResolvePhysicalByName(
    Context &context, const std::string &name_or_serial, const std::string &board_hint) {
  absl::StatusOr<PhysicalView> view = ViewPhysical(context);
  if (!view.ok()) {
    return view.status();
  }
  absl::StatusOr<probes::Choice> choice =
      probes::ResolveByName(name_or_serial, view->attached, view->bindings);
  if (!choice.ok()) {
    return choice.status();
  }
  std::string board_name = choice->binding ? choice->binding->board : board_hint;
  if (board_name.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("probe ", choice->probe.Key(),
                     " is not bound to a board; bind it with `gale devices "
                     "assign ",
                     choice->probe.Key(), " --board BOARD --name NAME`"));
  }
  if (choice->binding && !board_hint.empty() && board_hint != choice->binding->board) {
    return absl::FailedPreconditionError(absl::StrCat(
        choice->Label(), " is bound to ", choice->binding->board, ", not to ", board_hint,
        " (the build's board); pick the right device or "
        "rebind it with `gale devices assign`"));
  }
  absl::StatusOr<boards::Board> board = context.catalog.Find(board_name);
  if (!board.ok()) {
    return board.status();
  }
  return PhysicalDevice(context, *choice, *board);
}

}  // namespace gale::daemon
