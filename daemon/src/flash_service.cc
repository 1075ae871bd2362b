// Flash: put an image on a device, as a job with load/verify progress.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "device_util.h"
#include "gale/daemon/status.h"
#include "gale/rtt/control_block.h"
#include "gale/v1/flash.grpc.pb.h"
#include "job_stream.h"
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
        request->runner() != "native") {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          absl::StrCat("unknown runner '", request->runner(),
                                       "'; emulated devices are flashed with gdbremote"));
    }
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDevice(context_, request->device_id());
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    devices::DeviceInfo info = (*device)->Info();
    std::string image;
    if (!request->elf().empty()) {
      absl::StatusOr<std::string> path = context_.paths.Check(request->elf(), "image");
      if (!path.ok()) {
        return ToGrpc(path.status());
      }
      image = *path;
    } else {
      absl::StatusOr<std::string> dir = context_.paths.Check(request->build_dir(), "build folder");
      if (!dir.ok()) {
        return ToGrpc(dir.status());
      }
      absl::StatusOr<boards::Board> board = context_.catalog.Find(info.board);
      image = devices::ImageInBuildDir(*dir, board.ok() ? board->emulator : "");
    }
    std::error_code ec;
    if (!fs::is_regular_file(image, ec)) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          absl::StrCat("no image at ", image, "; build the app first"));
    }
    jobs::JobSpec spec;
    spec.kind = "flash";
    spec.summary = absl::StrCat("flash ", image, " to ", info.id);
    spec.device_id = info.id;
    spec.board = info.board;
    devices::FlashOptions options;
    options.verify = !request->no_verify();
    options.run = !request->no_run();
    return StreamJob(
        context_, server_context, writer, spec,
        [context = &context_, dev = *device, image, options](jobs::JobContext &ctx) mutable {
          Events events(ctx);
          options.progress = [&events](const devices::FlashProgress &p) {
            double percent = p.total == 0 ? -1 : 100.0 * static_cast<double>(p.done) / p.total;
            events.Progress(p.phase, percent, "", p.done, p.total);
          };
          absl::StatusOr<devices::FlashResult> result = dev->Flash(image, options);
          if (!result.ok()) {
            return jobs::JobOutcome::Failed(std::string(result.status().message()));
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
  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeFlashService(Context &context) {
  return std::make_unique<FlashService>(context);
}

}  // namespace gale::daemon
