// Flash: put an image on a device, as a job with load/verify progress.
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "device_util.h"
#include "gale/build/driver.h"
#include "gale/daemon/status.h"
#include "gale/rtt/control_block.h"
#include "gale/runners/openocd_errors.h"
#include "gale/v1/flash.grpc.pb.h"
#include "job_stream.h"
#include "lease_guard.h"
#include "physical.h"
#include "run_job.h"
#include "services.h"

namespace gale::daemon {
namespace fs = std::filesystem;
namespace {

class FlashService final : public v1::Flash::Service {
 public:
  explicit FlashService(Context &context) : context_(context) {}

  grpc::Status Flash(grpc::ServerContext *server_context, const v1::FlashRequest *request,
                     grpc::ServerWriter<v1::JobEvent> *writer) override {
    if (!request->runner().empty() && request->runner() != "gdbremote" &&
        request->runner() != "native" && request->runner() != "openocd") {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          absl::StrCat("unknown runner '", request->runner(),
                                       "'; emulated devices are flashed with gdbremote, physical "
                                       "ones with openocd"));
    }
    // The build folder's board decides between emulated and physical devices when no device
    // is named: a hardware-only board (no emulator) needs one of its attached probes.
    std::string build_dir;
    std::string build_board;
    if (request->elf().empty()) {
      absl::StatusOr<std::string> dir = context_.paths.Check(request->build_dir(), "build folder");
      if (!dir.ok()) {
        return ToGrpc(dir.status());
      }
      build_dir = *dir;
      if (absl::StatusOr<build::BuildFolderInfo> folder = build::ReadBuildFolder(build_dir);
          folder.ok()) {
        build_board = folder->board;
      }
    }
    absl::StatusOr<std::shared_ptr<devices::Device>> device = FlashTarget(request, build_board);
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    devices::DeviceInfo info = (*device)->Info();
    if (absl::Status leased = CheckDeviceLease(context_, *server_context, info.id); !leased.ok()) {
      return ToGrpc(leased);
    }
    const bool physical = info.kind == devices::DeviceKind::kPhysical;
    std::string label = info.id;
    if (physical && !info.name.empty() && info.name != info.id) {
      label = absl::StrCat(info.name, " (", info.id, ")");
    }
    std::string image;
    if (!request->elf().empty()) {
      absl::StatusOr<std::string> path = context_.paths.Check(request->elf(), "image");
      if (!path.ok()) {
        return ToGrpc(path.status());
      }
      image = *path;
    } else {
      absl::StatusOr<boards::Board> board = context_.catalog.Find(info.board);
      image = devices::ImageInBuildDir(build_dir, board.ok() ? board->emulator : "");
    }
    std::error_code ec;
    if (!fs::is_regular_file(image, ec)) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          absl::StrCat("no image at ", image, "; build the app first"));
    }
    jobs::JobSpec spec;
    spec.kind = "flash";
    spec.summary = absl::StrCat("flash ", image, " to ", label);
    spec.device_id = info.id;
    spec.board = info.board;
    devices::FlashOptions options;
    options.verify = !request->no_verify();
    options.run = !request->no_run();
    return StreamJob(
        context_, server_context, writer, spec,
        [dev = *device, image, options, physical, label](jobs::JobContext &ctx) mutable {
          Events events(ctx);
          options.progress = [&events](const devices::FlashProgress &p) {
            double percent = p.total == 0 ? -1 : 100.0 * static_cast<double>(p.done) / p.total;
            events.Progress(p.phase, percent, "", p.done, p.total);
          };
          absl::StatusOr<devices::FlashResult> result = dev->Flash(image, options);
          if (!result.ok()) {
            // The one-line reason is the job's error; OpenOCD's whole output goes to its log.
            if (std::string output = runners::OpenOcdOutputOf(result.status()); !output.empty()) {
              events.Log("openocd", output, dev->id());
            }
            // A physical device's error names it: several boards may be attached.
            std::string message(result.status().message());
            return jobs::JobOutcome::Failed(
                physical && !absl::StrContains(message, dev->id())
                    ? absl::StrCat("flashing ", label, ": ", message)
                    : message);
          }
          v1::JobResult detail;
          v1::FlashSummary *summary = detail.mutable_flash();
          summary->set_device_id(dev->id());
          summary->set_bytes_written(result->bytes_written);
          summary->set_verified(result->verified);
          summary->set_entry(static_cast<uint32_t>(result->entry));
          summary->set_seconds(result->seconds);
          return jobs::JobOutcome::Succeeded(0, Detail(detail));
        });
  }

 private:
  // The device to flash: the one named (emulated, else physical by name or serial); with none
  // named, the one probe of a hardware-only build board, else the only emulated device.
  absl::StatusOr<std::shared_ptr<devices::Device>> FlashTarget(const v1::FlashRequest *request,
                                                               const std::string &build_board) {
    absl::StatusOr<boards::Board> board = absl::NotFoundError("no build board");
    if (!build_board.empty()) {
      board = context_.catalog.Find(build_board);
    }
    const std::string &id = request->device_id();
    if (!id.empty()) {
      absl::StatusOr<std::shared_ptr<devices::Device>> emulated = context_.devices->Get(id);
      if (emulated.ok() || !absl::IsNotFound(emulated.status())) {
        return emulated;
      }
      absl::StatusOr<std::shared_ptr<devices::Device>> physical =
          ResolvePhysicalByName(context_, id, board.ok() ? board->name : "");
      if (absl::IsNotFound(physical.status())) {
        return absl::NotFoundError(
            absl::StrCat(emulated.status().message(), "; ", physical.status().message()));
      }
      return physical;
    }
    if (board.ok() && board->emulator.empty()) {
      absl::StatusOr<PhysicalView> view = ViewPhysical(context_);
      if (!view.ok()) {
        return view.status();
      }
      absl::StatusOr<probes::Choice> choice = probes::ResolveForBoard(
          board->name, board->openocd.probe, view->attached, view->bindings);
      if (!choice.ok()) {
        return choice.status();
      }
      return PhysicalDevice(context_, *choice, *board);
    }
    return ResolveDevice(context_, id);
  }

  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeFlashService(Context &context) {
  return std::make_unique<FlashService>(context);
}

}  // namespace gale::daemon
