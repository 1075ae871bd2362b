#include "run_job.h"

#include "absl/strings/str_cat.h"

namespace gale::daemon {

void LineSplitter::Feed(std::string_view bytes) {
  for (char c : bytes) {
    if (c == '\n') {
      if (!partial_.empty() && partial_.back() == '\r') {
        partial_.pop_back();
      }
      on_line_(partial_);
      partial_.clear();
    } else {
      partial_.push_back(c);
    }
  }
}

void LineSplitter::Flush() {
  if (!partial_.empty()) {
    on_line_(partial_);
    partial_.clear();
  }
}

void FlashProgressEvent(Events &events, const devices::FlashProgress &p) {
  double percent = p.total == 0 ? -1 : 100.0 * static_cast<double>(p.done) / p.total;
  // halt and start count steps, not bytes.
  bool bytes = p.phase == "load" || p.phase == "verify";
  events.Progress(p.phase, percent, "", bytes ? p.done : 0, bytes ? p.total : 0);
}

absl::StatusOr<devices::TransientRunResult> RunImage(
    Context &context, const boards::Board &board, const std::string &build_dir,
    absl::Duration timeout, int icount_shift, const std::atomic<bool> *cancel,
    const std::function<void(std::string_view)> &on_line, Events *events) {
  devices::TransientRunOptions options;
  options.board = board;
  options.image = devices::ImageInBuildDir(build_dir, board.emulator);
  options.create.icount_shift = icount_shift;
  options.timeout = timeout;
  options.cancel = cancel;
  LineSplitter lines(on_line);
  options.on_output = [&lines](std::string_view bytes) { lines.Feed(bytes); };
  if (events != nullptr) {
    options.on_progress = [events](const devices::FlashProgress &p) {
      double percent = p.total == 0 ? -1 : 100.0 * static_cast<double>(p.done) / p.total;
      events->Progress(p.phase, percent, "", p.done, p.total);
    };
  }
  absl::StatusOr<devices::TransientRunResult> result =
      devices::TransientRun(*context.devices, options);
  lines.Flush();
  return result;
}

jobs::JobOutcome RunInJob(Context &context, Events &events, const build::BuildOptions &options,
                          const RunJobOptions &run) {
  absl::StatusOr<build::BuildResult> built;
  {
    // The build shares the daemon's build slots with build jobs.
    absl::StatusOr<jobs::ResourceLease> slot = events.ctx().Acquire("build");
    if (!slot.ok()) {
      return jobs::JobOutcome::Cancelled(std::string(slot.status().message()));
    }
    built = BuildInJob(context, events, options);
  }
  if (!built.ok() || built->state != build::BuildState::kSucceeded) {
    return BuildOutcome(built);
  }
  absl::StatusOr<boards::Board> board = context.catalog.Find(options.board);
  if (!board.ok()) {
    return jobs::JobOutcome::Failed(std::string(board.status().message()));
  }
  std::atomic<bool> cancel{false};
  jobs::CancelCallback on_cancel(events.ctx().token(), [&cancel] { cancel = true; });
  events.Progress("boot", -1, absl::StrCat("booting on ", board->name));
  absl::StatusOr<devices::TransientRunResult> result = RunImage(
      context, *board, built->build_dir, run.timeout, run.icount_shift, &cancel,
      [&events](std::string_view line) { events.Log("console", line); }, &events);
  if (!result.ok()) {
    return jobs::JobOutcome::Failed(std::string(result.status().message()));
  }
  switch (result->outcome) {
    case devices::TransientRunResult::Outcome::kExited:
      if (result->exit_code == 0) {
        return jobs::JobOutcome::Succeeded(0);
      }
      return jobs::JobOutcome::Failed(
          absl::StrCat("the image exited with status ", result->exit_code), result->exit_code);
    case devices::TransientRunResult::Outcome::kTimedOut:
      return jobs::JobOutcome::Failed(absl::StrCat(
          "timed out: the image was still running after ", absl::FormatDuration(run.timeout),
          "; stopped it (raise --timeout, or make the image exit)"));
    case devices::TransientRunResult::Outcome::kCancelled:
      return jobs::JobOutcome::Cancelled(result->error);
    case devices::TransientRunResult::Outcome::kDied:
      return jobs::JobOutcome::Failed(result->error);
  }
  return jobs::JobOutcome::Failed("unknown run outcome");
}

}  // namespace gale::daemon
