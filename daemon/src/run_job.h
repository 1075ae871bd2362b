// `gale run` inside a job: build, boot on a fresh emulated device, relay the console, and end
// with the image's exit status.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "build_job.h"
#include "gale/devices/transient_run.h"

namespace gale::daemon {

struct RunJobOptions {
  absl::Duration timeout = absl::InfiniteDuration();
  int icount_shift = 0;
};

jobs::JobOutcome RunInJob(Context &context, Events &events, const build::BuildOptions &options,
                          const RunJobOptions &run);

/// Splits a byte stream into lines ("\n", a trailing "\r" dropped); Flush() delivers a partial
/// last line.
class LineSplitter {
 public:
  explicit LineSplitter(std::function<void(std::string_view)> on_line)
      : on_line_(std::move(on_line)) {}
  void Feed(std::string_view bytes);
  void Flush();

 private:
  std::function<void(std::string_view)> on_line_;
  std::string partial_;
};

/// A flash progress report as a job event (bytes only for the load and verify phases).
void FlashProgressEvent(Events &events, const devices::FlashProgress &progress);

/// Runs the image of `build_dir` for `board` on a transient device, calling `on_line` per console
/// line (and `events` for flash progress, if given).
absl::StatusOr<devices::TransientRunResult> RunImage(
    Context &context, const boards::Board &board, const std::string &build_dir,
    absl::Duration timeout, int icount_shift, const std::atomic<bool> *cancel,
    const std::function<void(std::string_view)> &on_line, Events *events);

}  // namespace gale::daemon
