// Building inside a job: the build driver's progress, diagnostics and output become job events,
// the job's cancellation stops cmake/ninja, and the build is recorded in the store.
#pragma once

#include <stop_token>

#include "absl/status/statusor.h"
#include "context.h"
#include "gale/build/driver.h"
#include "gale/v1/builds.pb.h"
#include "job_stream.h"

namespace gale::daemon {

/// Checks a BuildRequest against the catalog and the path policy and makes driver options:
/// NotFound for an unknown board or a missing app folder, InvalidArgument for paths outside
/// the roots or an app folder without CMakeLists.txt.
absl::StatusOr<build::BuildOptions> CheckBuildRequest(Context &context,
                                                      const v1::BuildRequest &request);

struct BuildJobOptions {
  bool log_output = true;  ///< send every cmake/ninja line as a log event
  std::stop_token stop;    ///< stops the build too (besides the job's cancellation)
};

/// Runs the build in the current job. Returns the driver's result (also when the build
/// failed), or an error when it could not be attempted.
absl::StatusOr<build::BuildResult> BuildInJob(Context &context, Events &events,
                                              const build::BuildOptions &options,
                                              const BuildJobOptions &job_options = {});

/// The JobOutcome of a build job.
jobs::JobOutcome BuildOutcome(const absl::StatusOr<build::BuildResult> &result);

v1::Diagnostic ToProto(const build::Diagnostic &diagnostic);

}  // namespace gale::daemon
