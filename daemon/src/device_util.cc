#include "device_util.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

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
    return context.devices->Get(id);
  }
  std::vector<devices::DeviceInfo> all = context.devices->List();
  if (all.size() == 1) {
    return context.devices->Get(all.front().id);
  }
  if (all.empty()) {
    return absl::FailedPreconditionError(
        "there are no devices; start an emulated one with `gale emu start -b BOARD`");
  }
  std::vector<std::string> ids;
  for (const devices::DeviceInfo &info : all) {
    ids.push_back(info.id);
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "several devices are attached (", absl::StrJoin(ids, ", "), "); choose one with --device"));
}

}  // namespace gale::daemon
