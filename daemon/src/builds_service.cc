// Builds: build applications, and build-boot-watch them on an emulated board (`gale run`).
#include "absl/strings/str_cat.h"
#include "build_job.h"
#include "gale/daemon/status.h"
#include "gale/v1/builds.grpc.pb.h"
#include "run_job.h"
#include "services.h"

namespace gale::daemon {
namespace {

void BuildToProto(const store::Build &build, v1::BuildRecord *out) {
  out->set_id(build.id);
  out->set_app_dir(build.app_dir);
  out->set_board(build.board);
  out->set_build_dir(build.build_dir);
  out->set_state(ToProto(build.state));
  out->set_job_id(build.job_id);
  out->set_started_us(build.started_us);
  out->set_finished_us(build.finished_us);
  out->set_flash_bytes(build.flash_bytes);
  out->set_ram_bytes(build.ram_bytes);
  for (const store::Artifact &a : build.artifacts) {
    v1::Artifact *artifact = out->add_artifacts();
    artifact->set_kind(a.kind);
    artifact->set_path(a.path);
    artifact->set_size(a.size);
  }
}

class BuildsService final : public v1::Builds::Service {
 public:
  explicit BuildsService(Context &context) : context_(context) {}

  grpc::Status Build(grpc::ServerContext *server_context, const v1::BuildRequest *request,
                     grpc::ServerWriter<v1::JobEvent> *writer) override {
    absl::StatusOr<build::BuildOptions> options = CheckBuildRequest(context_, *request);
    if (!options.ok()) {
      return ToGrpc(options.status());
    }
    jobs::JobSpec spec;
    spec.kind = "build";
    spec.summary = absl::StrCat("build ", options->app_dir, " for ", options->board);
    spec.board = options->board;
    Context &context = context_;
    return StreamJob(context_, server_context, writer, spec,
                     [&context, opts = *options](jobs::JobContext &ctx) {
                       Events events(ctx);
                       return BuildOutcome(BuildInJob(context, events, opts));
                     });
  }

  grpc::Status Run(grpc::ServerContext *server_context, const v1::RunRequest *request,
                   grpc::ServerWriter<v1::JobEvent> *writer) override {
    absl::StatusOr<build::BuildOptions> options = CheckBuildRequest(context_, request->build());
    if (!options.ok()) {
      return ToGrpc(options.status());
    }
    absl::StatusOr<boards::Board> board = context_.catalog.Find(options->board);
    if (board->emulator.empty()) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          absl::StrCat("board ", board->name,
                                       " has no emulator; build it and use `gale flash` to a "
                                       "device instead"));
    }
    jobs::JobSpec spec;
    spec.kind = "run";
    spec.summary = absl::StrCat("run ", options->app_dir, " on ", options->board);
    spec.board = options->board;
    Context &context = context_;
    RunJobOptions run;
    run.timeout =
        request->timeout_s() == 0 ? absl::InfiniteDuration() : absl::Seconds(request->timeout_s());
    run.icount_shift = static_cast<int>(request->icount_shift());
    return StreamJob(context_, server_context, writer, spec,
                     [&context, opts = *options, run](jobs::JobContext &ctx) {
                       Events events(ctx);
                       return RunInJob(context, events, opts, run);
                     });
  }

  grpc::Status ListBuilds(grpc::ServerContext *, const v1::ListBuildsRequest *request,
                          v1::ListBuildsResponse *reply) override {
    store::BuildFilter filter;
    filter.board = request->board();
    filter.limit = request->limit();
    absl::StatusOr<std::vector<store::Build>> builds = context_.store->ListBuilds(filter);
    if (!builds.ok()) {
      return ToGrpc(builds.status());
    }
    for (const store::Build &build : *builds) {
      BuildToProto(build, reply->add_builds());
    }
    return grpc::Status::OK;
  }

  grpc::Status GetBuild(grpc::ServerContext *, const v1::GetBuildRequest *request,
                        v1::BuildRecord *reply) override {
    absl::StatusOr<store::Build> build = context_.store->GetBuild(request->id());
    if (!build.ok()) {
      return ToGrpc(build.status());
    }
    BuildToProto(*build, reply);
    return grpc::Status::OK;
  }

 private:
  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeBuildsService(Context &context) {
  return std::make_unique<BuildsService>(context);
}

}  // namespace gale::daemon
