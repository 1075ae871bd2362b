#include "build_job.h"

#include <filesystem>

#include "absl/strings/str_cat.h"

namespace gale::daemon {
namespace fs = std::filesystem;

absl::StatusOr<build::BuildOptions> CheckBuildRequest(Context &context,
                                                      const v1::BuildRequest &request) {
  if (request.board().empty()) {
    return absl::InvalidArgumentError("no board given (-b BOARD); `gale boards` lists them");
  }
  if (absl::StatusOr<boards::Board> board = context.catalog.Find(request.board()); !board.ok()) {
    return board.status();
  }
  absl::StatusOr<std::string> app = context.paths.Check(request.app_dir(), "app folder");
  if (!app.ok()) {
    return app.status();
  }
  std::error_code ec;
  if (!fs::is_directory(*app, ec)) {
    return absl::NotFoundError(absl::StrCat("app folder '", *app, "' does not exist"));
  }
  if (!fs::exists(fs::path(*app) / "CMakeLists.txt", ec)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", *app, "' is not an application: it has no CMakeLists.txt (see docs for the layout)"));
  }
  build::BuildOptions options;
  options.app_dir = *app;
  options.board = request.board();
  if (request.build_dir().empty()) {
    options.build_dir = (fs::path(*app) / "build").string();
  } else {
    absl::StatusOr<std::string> dir = context.paths.Check(request.build_dir(), "build folder");
    if (!dir.ok()) {
      return dir.status();
    }
    options.build_dir = *dir;
  }
  options.pristine = request.pristine();
  options.cmake_args.assign(request.cmake_args().begin(), request.cmake_args().end());
  return options;
}

v1::Diagnostic ToProto(const build::Diagnostic &d) {
  v1::Diagnostic out;
  out.set_file(d.file);
  out.set_line(d.line);
  out.set_column(d.column);
  out.set_severity(static_cast<v1::Severity>(static_cast<int>(d.severity)));
  out.set_message(d.context.empty() ? d.message : absl::StrCat(d.message, " (", d.context, ")"));
  out.set_tool(d.tool);
  return out;
}

absl::StatusOr<build::BuildResult> BuildInJob(Context &context, Events &events,
                                              const build::BuildOptions &options,
                                              const BuildJobOptions &job_options) {
  store::NewBuild record;
  record.app_dir = options.app_dir;
  record.board = options.board;
  record.build_dir = options.build_dir;
  record.job_id = events.ctx().job_id();
  absl::StatusOr<store::Build> stored = context.store->CreateBuild(record);

  build::CancelToken cancel;
  jobs::CancelCallback on_cancel(events.ctx().token(), [&cancel] { cancel.Cancel(); });
  std::stop_callback on_stop(job_options.stop, [&cancel] { cancel.Cancel(); });
  build::BuildEvents build_events;
  std::string last_phase;
  int last_percent = -100;
  build_events.on_progress = [&](const build::Progress &p) {
    // Ninja reports every edge; clients need a few updates, not thousands of events.
    int percent = static_cast<int>(p.percent);
    if (p.phase == last_phase && percent < last_percent + 2 && percent != 100) {
      return;
    }
    last_phase = p.phase;
    last_percent = percent;
    events.Progress(p.phase, p.percent, p.message, p.bytes_done, p.bytes_total);
  };
  build_events.on_diagnostic = [&](const build::Diagnostic &d) { events.Diagnostic(ToProto(d)); };
  if (job_options.log_output) {
    build_events.on_output = [&](build::OutputStream stream, std::string_view line) {
      events.Log(build::StreamName(stream), line);
    };
  }
  absl::StatusOr<build::BuildResult> result =
      context.builder->Build(options, build_events, &cancel);

  if (stored.ok()) {
    store::Build done = *stored;
    if (!result.ok()) {
      done.state = store::JobState::kFailed;
    } else {
      done.state = result->state == build::BuildState::kSucceeded   ? store::JobState::kSucceeded
                   : result->state == build::BuildState::kCancelled ? store::JobState::kCancelled
                                                                    : store::JobState::kFailed;
      done.flash_bytes = result->flash_bytes;
      done.ram_bytes = result->ram_bytes;
      for (const build::Artifact &a : result->artifacts) {
        store::Artifact artifact;
        artifact.kind = a.kind;
        artifact.path = a.path;
        artifact.size = a.size;
        done.artifacts.push_back(artifact);
      }
    }
    (void)context.store->UpdateBuild(done);
  }
  return result;
}

jobs::JobOutcome BuildOutcome(const absl::StatusOr<build::BuildResult> &result) {
  if (!result.ok()) {
    return jobs::JobOutcome::Failed(std::string(result.status().message()));
  }
  v1::JobResult detail;
  v1::BuildSummary *summary = detail.mutable_build();
  summary->set_build_dir(result->build_dir);
  summary->set_elf(result->elf);
  summary->set_flash_bytes(result->flash_bytes);
  summary->set_ram_bytes(result->ram_bytes);
  summary->set_up_to_date(result->up_to_date);
  switch (result->state) {
    case build::BuildState::kSucceeded:
      return jobs::JobOutcome::Succeeded(0, Detail(detail));
    case build::BuildState::kCancelled:
      return jobs::JobOutcome::Cancelled(result->error.empty() ? "cancelled" : result->error);
    case build::BuildState::kFailed:
      break;
  }
  return jobs::JobOutcome::Failed(result->error, 0, Detail(detail));
}

}  // namespace gale::daemon
