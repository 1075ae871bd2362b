// gale emu start|stop, gale devices, gale flash
#include <sys/stat.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "commands.h"
#include "exit_codes.h"
#include "format.h"
#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/farm.grpc.pb.h"
#include "gale/v1/flash.grpc.pb.h"
#include "interrupt.h"
#include "json.h"
#include "nlohmann/json.hpp"
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
  return ConcludeCall(ctx, status, response, [&] {
    if (response.devices_size() == 0) {
      ctx.err << "no devices; start an emulated board with `gale emu start -b BOARD`, or attach a "
                 "board with a debug probe\n";
      return;
    }
    Table table(
        {"ID", "NAME", "BOARD", "KIND", "STATE", "PROBE", "USB", "TTY", "TAGS", "LEASE", "IMAGE"});
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
                    device.tty().empty() ? "-" : device.tty(),
                    device.tags().empty() ? "-" : absl::StrJoin(device.tags(), ","),
                    device.lease_holder().empty()
                        ? "-"
                        : absl::StrCat(device.lease_holder(), " until ",
                                       FormatTimeUs(device.lease_expires_us())),
                    image});
    }
    ctx.out << table.Render();
    for (const std::string &problem : problems) {
      ctx.err << "gale: " << problem << '\n';
    }
  });
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
  return ConcludeCall(ctx, status, device, [&] {
    ctx.out << device.name() << ": probe " << device.serial() << " on " << device.board();
    if (!device.tty().empty()) {
      ctx.out << ", console " << device.tty();
    }
    if (device.state() == gale::v1::DEVICE_STATE_ABSENT) {
      ctx.out << " (not attached now)";
    }
    ctx.out << '\n';
  });
}

int RunDevicesUnassign(Context &ctx) {
  auto devices = gale::v1::Devices::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::UnassignDeviceRequest request;
  request.set_id(ctx.inv.devices.device);
  gale::v1::Device device;
  const grpc::Status status = devices->Unassign(context.get(), request, &device);
  return ConcludeCall(ctx, status, device, [&] {
    ctx.out << "unassigned " << device.name() << " (probe " << device.serial() << ", was "
            << device.board() << ")\n";
  });
}

int RunDevicesTag(Context &ctx) {
  gale::v1::SetTagsRequest request;
  request.set_device(ctx.inv.devices.device);
  for (const std::string &tag : ctx.inv.devices.tags) {
    request.add_tags(tag);
  }
  auto stub = gale::v1::Farm::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::SetTagsResponse response;
  const grpc::Status status = stub->SetTags(context.get(), request, &response);
  return ConcludeCall(ctx, status, response, [&] {
    ctx.err << ctx.inv.devices.device << ": "
            << (response.tags().empty() ? "no tags" : absl::StrJoin(response.tags(), " ")) << '\n';
  });
}

namespace {

struct BatchResult {
  std::string device;
  std::string state = "failed";  // succeeded, failed, cancelled
  double seconds = 0;
  std::string error;
};

// The devices of `board` for `flash --board B --all`: every listed device bound to it that is
// not absent.
absl::StatusOr<std::vector<std::string>> DevicesOfBoard(Context &ctx, const std::string &board) {
  auto stub = gale::v1::Devices::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::ListDevicesResponse response;
  const grpc::Status status =
      stub->ListDevices(context.get(), gale::v1::ListDevicesRequest(), &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), StatusText(status));
  }
  std::vector<std::string> ids;
  for (const gale::v1::Device &device : response.devices()) {
    if (device.board() == board && device.state() != gale::v1::DEVICE_STATE_ABSENT) {
      ids.push_back(device.id());
    }
  }
  if (ids.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no device of board ", board, " is there; `gale devices` lists them"));
  }
  return ids;
}

// One Flash call per device, all at once; each prints its progress as lines prefixed with the
// device, and a table at the end says how each went. One device failing never stops the others.
int RunBatchFlash(Context &ctx, const gale::v1::FlashRequest &base) {
  std::vector<std::string> ids;
  if (ctx.inv.flash.all) {
    absl::StatusOr<std::vector<std::string>> of_board = DevicesOfBoard(ctx, ctx.inv.flash.board);
    if (!of_board.ok()) {
      return FailStatus(ctx, of_board.status());
    }
    ids = std::move(*of_board);
  } else {
    for (const std::string &id : ctx.inv.flash.devices) {
      if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) {
        ids.push_back(id);
      }
    }
    if (ids.empty()) {
      return Fail(ctx, "--devices names no device; give ids or names separated by commas");
    }
  }
  size_t width = 0;
  for (const std::string &id : ids) {
    width = std::max(width, id.size());
  }
  std::mutex print_mutex;
  const auto say = [&](const std::string &id, const std::string &text) {
    std::lock_guard lock(print_mutex);
    ctx.err << id << std::string(width - id.size() + 2, ' ') << text << '\n' << std::flush;
  };
  std::vector<BatchResult> results(ids.size());
  std::vector<std::thread> threads;
  auto stub = gale::v1::Flash::NewStub(ctx.client.channel());
  for (size_t i = 0; i < ids.size(); ++i) {
    threads.emplace_back([&, i] {
      BatchResult &result = results[i];
      result.device = ids[i];
      gale::v1::FlashRequest request = base;
      request.set_device_id(ids[i]);
      auto context = ctx.client.NewContext();
      CancelOnInterrupt cancel(context.get());
      const auto start = std::chrono::steady_clock::now();
      auto reader = stub->Flash(context.get(), request);
      gale::v1::JobEvent event;
      std::string phase;
      int quarter = -1;
      while (reader->Read(&event)) {
        if (ctx.global().json) {
          nlohmann::json line = nlohmann::json::parse(ToJsonString(event), nullptr, false);
          line["device"] = ids[i];
          std::lock_guard lock(print_mutex);
          ctx.out << line.dump() << '\n' << std::flush;
        }
        if (event.has_progress() && !ctx.global().json) {
          const gale::v1::Progress &p = event.progress();
          const int q = p.percent() < 0 ? -1 : static_cast<int>(p.percent()) / 25;
          if (p.phase() != phase || q > quarter) {
            phase = p.phase();
            quarter = q;
            say(ids[i], p.percent() < 0
                            ? phase
                            : absl::StrCat(phase, " ", static_cast<int>(p.percent()), "%"));
          }
        }
        if (event.has_result()) {
          const gale::v1::JobResult &r = event.result();
          result.state = EnumValueNameOf(r.state());
          result.error = r.error();
          if (r.has_flash() && r.flash().seconds() > 0) {
            result.seconds = r.flash().seconds();
          }
        }
      }
      const grpc::Status status = reader->Finish();
      if (result.seconds == 0) {
        result.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }
      if (!status.ok()) {
        result.state = status.error_code() == grpc::StatusCode::CANCELLED ? "cancelled" : "failed";
        result.error = StatusText(status);
      }
      if (!ctx.global().json) {
        say(ids[i],
            result.state == "succeeded" ? "done" : absl::StrCat(result.state, ": ", result.error));
      }
    });
  }
  for (std::thread &thread : threads) {
    thread.join();
  }
  size_t failed = 0;
  Table table({"DEVICE", "RESULT", "TIME", "ERROR"});
  nlohmann::json summary = nlohmann::json::array();
  for (const BatchResult &result : results) {
    failed += result.state == "succeeded" ? 0 : 1;
    table.AddRow({result.device, result.state, FormatSeconds(result.seconds),
                  result.error.empty() ? "-" : result.error});
    summary.push_back({{"device", result.device},
                       {"state", result.state},
                       {"seconds", result.seconds},
                       {"error", result.error}});
  }
  if (ctx.global().json) {
    ctx.out << nlohmann::json{{"batch", summary}}.dump() << '\n';
  } else {
    ctx.out << table.Render();
  }
  if (InterruptSignal() != 0) {
    return 128 + InterruptSignal();
  }
  if (failed > 0) {
    return Fail(ctx, absl::StrCat(failed, " of ", results.size(), " devices failed"));
  }
  return kExitOk;
}

}  // namespace

int RunFlash(Context &ctx) {
  const auto exists = [](const std::filesystem::path &p) {
    std::error_code ec;
    return std::filesystem::is_directory(p, ec);
  };
  absl::StatusOr<gale::v1::FlashRequest> request = MakeFlashRequest(ctx.inv.flash, ctx.cwd, exists);
  if (!request.ok()) {
    return FailStatus(ctx, request.status());
  }
  if (!ctx.inv.flash.devices.empty() || ctx.inv.flash.all) {
    return RunBatchFlash(ctx, *request);
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
