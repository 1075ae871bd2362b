// From parsed options to API requests: paths made absolute against the client's folder (the
// daemon runs elsewhere), defaults filled in; and from results to exit codes. No I/O except
// the existence checks passed in.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "cli.h"
#include "gale/v1/builds.pb.h"
#include "gale/v1/common.pb.h"
#include "gale/v1/devices.pb.h"
#include "gale/v1/farm.pb.h"
#include "gale/v1/flash.pb.h"
#include "gale/v1/jobs.pb.h"
#include "gale/v1/tests.pb.h"

namespace gale::cli {

using ExistsFn = std::function<bool(const std::filesystem::path &)>;

/// `path` made absolute against `cwd` and normalized (no "." or "..", no trailing '/');
/// symbolic links are kept. Empty stays empty.
std::string AbsolutePath(const std::string &path, const std::filesystem::path &cwd);

/// APP_DIR defaults to `cwd`, the build folder to APP_DIR/build.
gale::v1::BuildRequest MakeBuildRequest(const BuildOptions &options,
                                        const std::filesystem::path &cwd);

gale::v1::RunRequest MakeRunRequest(const BuildOptions &build, const RunOptions &run,
                                    const std::filesystem::path &cwd);

gale::v1::CreateDeviceRequest MakeCreateDeviceRequest(const EmuOptions &options);

/// The image is --elf, else -d BUILD_DIR, else ./build when it exists (an error otherwise).
absl::StatusOr<gale::v1::FlashRequest> MakeFlashRequest(const FlashOptions &options,
                                                        const std::filesystem::path &cwd,
                                                        const ExistsFn &exists);

/// -d BUILD_DIR, else ./build when it exists (an error otherwise).
absl::StatusOr<std::string> ConfigBuildDir(const ConfigOptions &options,
                                           const std::filesystem::path &cwd,
                                           const ExistsFn &exists);

/// PATHs default to `cwd`; PATHs and --junit are made absolute.
gale::v1::RunTestsRequest MakeRunTestsRequest(const TestOptions &options,
                                              const std::filesystem::path &cwd);

/// --state is a job state's short name ("running", "failed", ...).
absl::StatusOr<gale::v1::ListJobsRequest> MakeListJobsRequest(const JobsOptions &options);

/// The exit code of `gale run` for a finished Run job (see exit_codes.h):
/// - the image exited: its exit code (SUCCEEDED: 0; FAILED with a non-zero exit_code: that);
/// - FAILED without an exit code: kExitRunBuildFailed when the build did not succeed
///   (`built` false), else kExitRunTimeout when the error says the image timed out, else
///   kExitRunNotRun;
/// - CANCELLED and other states: kExitFailure.
/// `built`: the result carries a BuildSummary, or a phase after the build was seen.
int RunExitCode(const gale::v1::JobResult &result, bool built);

/// A duration as users write it: "300s", "5m", "1h", "1500ms", "2d", or a bare number of
/// seconds; in milliseconds. `what` names the option in the error.
/// @retval InvalidArgument anything else (the message shows the accepted forms).
absl::StatusOr<int64_t> ParseDurationMs(const std::string &text, const std::string &what);

/// `gale lease acquire` options to a request (durations parsed).
absl::StatusOr<gale::v1::AcquireLeaseRequest> MakeAcquireLeaseRequest(const LeaseOptions &options);

/// True for phases that belong to building (configure, compile, link, ...).
bool IsBuildPhase(const std::string &phase);

}  // namespace gale::cli
