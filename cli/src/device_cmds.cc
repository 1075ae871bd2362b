// gale emu start|stop, gale devices, gale flash
#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "commands.h"
#include "exit_codes.h"
#include "format.h"
#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/flash.grpc.pb.h"
#include "interrupt.h"
#include "json.h"
#include "requests.h"

namespace gale::cli {
namespace {

std::string DeviceState(const gale::v1::Device &device) {
  std::string state = EnumValueNameOf(device.state());
  if (device.state() == gale::v1::DEVICE_STATE_EXITED) {
    absl::StrAppend(&state, " (", device.exit_code(), ")");
  }
  return state;
}

}  // namespace

int RunEmuStart(Context &ctx) {
  const gale::v1::CreateDeviceRequest request = MakeCreateDeviceRequest(ctx.inv.emu);
  auto stub = gale::v1::Devices::NewStub(ctx.client.channel());
  gale::v1::ListDevicesResponse created;
  for (int i = 0; i < ctx.inv.emu.count; ++i) {
    auto context = ctx.client.NewContext();
    gale::v1::Device device;
    const grpc::Status status = stub->Create(context.get(), request, &device);
    if (!status.ok()) {
      if (created.devices_size() > 0) {
        std::vector<std::string> ids;
        for (const auto &d : created.devices()) {
          ids.push_back(d.id());
        }
        ctx.err << "gale: " << ids.size() << " of " << ctx.inv.emu.count
                << " devices were started and keep running: " << absl::StrJoin(ids, ", ") << '\n';
        if (ctx.global().json) {
          ctx.out << ToJsonString(created) << '\n';
        }
      }
      return FailCall(ctx, status);
    }
    if (!ctx.global().json) {
      // Each id as soon as it exists: scripts read them line by line.
      ctx.out << device.id() << '\n' << std::flush;
    }
    *created.add_devices() = device;
  }
  if (ctx.global().json) {
    ctx.out << ToJsonString(created) << '\n';
  }
  return kExitOk;
}

int RunEmuStop(Context &ctx) {
  auto stub = gale::v1::Devices::NewStub(ctx.client.channel());
  int code = kExitOk;
  for (const std::string &id : ctx.inv.emu.devices) {
    auto context = ctx.client.NewContext();
    gale::v1::DeleteDeviceRequest request;
    request.set_id(id);
    gale::v1::DeleteDeviceResponse response;
    const grpc::Status status = stub->Delete(context.get(), request, &response);
    if (!status.ok()) {
      code = FailCall(ctx, status);
      continue;
    }
    ctx.err << "stopped " << id << '\n';
  }
  return code;
}

int RunDevices(Context &ctx) {
  auto stub = gale::v1::Devices::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::ListDevicesResponse response;
  const grpc::Status status =
      stub->ListDevices(context.get(), gale::v1::ListDevicesRequest(), &response);
  if (!status.ok()) {
    return FailCall(ctx, status);
  }
  if (ctx.global().json) {
    ctx.out << ToJsonString(response) << '\n';
    return kExitOk;
  }
  if (response.devices_size() == 0) {
    ctx.err << "no devices; start an emulated board with `gale emu start -b BOARD`, or attach a "
               "board with a debug probe\n";
    return kExitOk;
  }
  Table table({"ID", "NAME", "BOARD", "KIND", "STATE", "PROBE", "USB", "TTY", "IMAGE"});
  std::vector<std::string> problems;
  for (const gale::v1::Device &device : response.devices()) {
    std::string image = device.image().empty() ? "-" : device.image();
    if (device.state() == gale::v1::DEVICE_STATE_OFFLINE && !device.error().empty()) {
      image = device.error();
    }
    const bool unnamed = device.name().empty() || device.name() == device.id();
    const bool physical = device.kind() == gale::v1::DEVICE_KIND_PHYSICAL;
    std::string probe = "-";
    if (!device.probe().empty()) {
      probe = device.probe_description().empty() ? device.probe() : device.probe_description();
    }
    if (!device.permission_problem().empty()) {
      probe += " (no access)";
      problems.push_back(absl::StrCat(device.id(), ": ", device.permission_problem()));
    }
    table.AddRow({device.id(), unnamed ? "-" : device.name(),
                  device.board().empty() ? (physical ? "(unbound)" : "-") : device.board(),
                  EnumValueNameOf(device.kind()), DeviceState(device), probe,
                  device.usb_path().empty() ? "-" : device.usb_path(),
                  device.tty().empty() ? "-" : device.tty(), image});
  }
  ctx.out << table.Render();
  for (const std::string &problem : problems) {
    ctx.err << "gale: " << problem << '\n';
  }
  return kExitOk;
}

int RunDevicesAssign(Context &ctx) {
  auto devices = gale::v1::Devices::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::AssignDeviceRequest request;
  request.set_serial(ctx.inv.devices.serial);
  request.set_board(ctx.inv.devices.board);
  request.set_name(ctx.inv.devices.name);
  request.set_tty(ctx.inv.devices.tty);
  gale::v1::Device device;
  const grpc::Status status = devices->Assign(context.get(), request, &device);
  if (!status.ok()) {
    return FailCall(ctx, status);
  }
  if (ctx.global().json) {
    ctx.out << ToJsonString(device) << '\n';
    return kExitOk;
  }
  ctx.out << device.name() << ": probe " << device.serial() << " on " << device.board();
  if (!device.tty().empty()) {
    ctx.out << ", console " << device.tty();
  }
  if (device.state() == gale::v1::DEVICE_STATE_ABSENT) {
    ctx.out << " (not attached now)";
  }
  ctx.out << '\n';
  return kExitOk;
}

int RunDevicesUnassign(Context &ctx) {
  auto devices = gale::v1::Devices::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::UnassignDeviceRequest request;
  request.set_id(ctx.inv.devices.device);
  gale::v1::Device device;
  const grpc::Status status = devices->Unassign(context.get(), request, &device);
  if (!status.ok()) {
    return FailCall(ctx, status);
  }
  if (ctx.global().json) {
    ctx.out << ToJsonString(device) << '\n';
    return kExitOk;
  }
  ctx.out << "unassigned " << device.name() << " (probe " << device.serial() << ", was "
          << device.board() << ")\n";
  return kExitOk;
}

int RunFlash(Context &ctx) {
  const auto exists = [](const std::filesystem::path &p) {
    std::error_code ec;
    return std::filesystem::is_directory(p, ec);
  };
  absl::StatusOr<gale::v1::FlashRequest> request = MakeFlashRequest(ctx.inv.flash, ctx.cwd, exists);
  if (!request.ok()) {
    return FailStatus(ctx, request.status());
  }
  auto stub = gale::v1::Flash::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  CancelOnInterrupt cancel(context.get());
  PrinterOptions printer_options = ctx.printer_options();
  printer_options.failure_tail = false;
  EventPrinter printer(printer_options, ctx.out, ctx.err);
  auto reader = stub->Flash(context.get(), *request);
  const StreamOutcome outcome = DrainJobStream(*reader, printer);
  const int code = ConcludeJob(ctx, printer, outcome);
  if (code != kExitOk || ctx.global().json) {
    return code;
  }
  const gale::v1::FlashSummary &summary = outcome.result.flash();
  std::string line =
      absl::StrCat("flashed ", FormatBytes(summary.bytes_written()), " to ",
                   summary.device_id().empty() ? request->device_id() : summary.device_id());
  if (summary.verified()) {
    line += ", verified";
  }
  if (summary.seconds() > 0) {
    absl::StrAppend(&line, ", in ", FormatSeconds(summary.seconds()));
  }
  ctx.out << line << '\n';
  return kExitOk;
}

}  // namespace gale::cli
