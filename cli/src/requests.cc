#include "requests.h"

#include <algorithm>
#include <cctype>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "exit_codes.h"
#include "json.h"

namespace gale::cli {

namespace fs = std::filesystem;

std::string AbsolutePath(const std::string &path, const fs::path &cwd) {
  if (path.empty()) {
    return {};
  }
  fs::path p(path);
  if (p.is_relative()) {
    p = cwd / p;
  }
  std::string out = p.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') {
    out.pop_back();
  }
  return out;
}

gale::v1::BuildRequest MakeBuildRequest(const BuildOptions &options, const fs::path &cwd) {
  gale::v1::BuildRequest request;
  const std::string app_dir = options.app_dir.empty() ? AbsolutePath(cwd.string(), cwd)
                                                      : AbsolutePath(options.app_dir, cwd);
  request.set_app_dir(app_dir);
  request.set_board(options.board);
  request.set_build_dir(options.build_dir.empty() ? app_dir + "/build"
                                                  : AbsolutePath(options.build_dir, cwd));
  request.set_pristine(options.pristine);
  for (const std::string &arg : options.cmake_args) {
    request.add_cmake_args(arg);
  }
  return request;
}

gale::v1::RunRequest MakeRunRequest(const BuildOptions &build, const RunOptions &run,
                                    const fs::path &cwd) {
  gale::v1::RunRequest request;
  *request.mutable_build() = MakeBuildRequest(build, cwd);
  request.set_timeout_s(run.timeout_s);
  request.set_icount_shift(run.icount_shift.value_or(0) < 0 ? 0 : run.icount_shift.value_or(0));
  return request;
}

gale::v1::CreateDeviceRequest MakeCreateDeviceRequest(const EmuOptions &options) {
  gale::v1::CreateDeviceRequest request;
  request.set_board(options.board);
  request.set_name(options.name);
  if (options.no_icount) {
    request.set_no_icount(true);
    request.set_icount_shift(-1);
  } else {
    request.set_icount_shift(options.icount_shift.value_or(0));
  }
  return request;
}

namespace {

absl::StatusOr<std::string> DefaultBuildDir(const fs::path &cwd, const ExistsFn &exists) {
  const fs::path build = cwd / "build";
  if (!exists(build)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no build folder given and there is no ./build in ", cwd.string(), "; pass -d BUILD_DIR"));
  }
  return AbsolutePath(build.string(), cwd);
}

}  // namespace

absl::StatusOr<gale::v1::FlashRequest> MakeFlashRequest(const FlashOptions &options,
                                                        const fs::path &cwd,
                                                        const ExistsFn &exists) {
  gale::v1::FlashRequest request;
  request.set_device_id(options.device);
  request.set_runner(options.runner);
  request.set_no_verify(options.no_verify);
  request.set_no_run(options.no_run);
  if (!options.elf.empty()) {
    request.set_elf(AbsolutePath(options.elf, cwd));
  } else if (!options.build_dir.empty()) {
    request.set_build_dir(AbsolutePath(options.build_dir, cwd));
  } else {
    absl::StatusOr<std::string> build_dir = DefaultBuildDir(cwd, exists);
    if (!build_dir.ok()) {
      return build_dir.status();
    }
    request.set_build_dir(*build_dir);
  }
  return request;
}

absl::StatusOr<std::string> ConfigBuildDir(const ConfigOptions &options, const fs::path &cwd,
                                           const ExistsFn &exists) {
  if (!options.build_dir.empty()) {
    return AbsolutePath(options.build_dir, cwd);
  }
  return DefaultBuildDir(cwd, exists);
}

gale::v1::RunTestsRequest MakeRunTestsRequest(const TestOptions &options, const fs::path &cwd) {
  gale::v1::RunTestsRequest request;
  if (options.paths.empty()) {
    request.add_paths(AbsolutePath(cwd.string(), cwd));
  }
  for (const std::string &path : options.paths) {
    request.add_paths(AbsolutePath(path, cwd));
  }
  for (const std::string &board : options.boards) {
    request.add_boards(board);
  }
  for (const std::string &device : options.devices) {
    request.add_devices(device);
  }
  for (const std::string &tag : options.tags) {
    request.add_tags(tag);
  }
  request.set_junit_path(AbsolutePath(options.junit, cwd));
  request.set_parallel(options.parallel);
  request.set_work_dir(AbsolutePath(options.work_dir, cwd));
  return request;
}

absl::StatusOr<gale::v1::ListJobsRequest> MakeListJobsRequest(const JobsOptions &options) {
  gale::v1::ListJobsRequest request;
  request.set_limit(options.limit);
  request.set_kind(options.kind);
  if (!options.state.empty()) {
    const auto *type = gale::v1::JobState_descriptor();
    const std::optional<int> state = ParseEnumValue(*type, options.state);
    if (!state || *state == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown job state '", options.state, "'; states: ", EnumValueNames(*type)));
    }
    request.set_state(static_cast<gale::v1::JobState>(*state));
  }
  return request;
}

bool IsBuildPhase(const std::string &phase) {
  return phase == "configure" || phase == "compile" || phase == "link" || phase == "build" ||
         phase == "generate";
}

int RunExitCode(const gale::v1::JobResult &result, bool built) {
  const int code = result.exit_code() & 0xff;
  switch (result.state()) {
    case gale::v1::JOB_STATE_SUCCEEDED:
      return code;
    case gale::v1::JOB_STATE_FAILED: {
      if (code != 0) {
        return code;
      }
      if (!built && !result.has_build()) {
        return kExitRunBuildFailed;
      }
      std::string error = result.error();
      std::transform(error.begin(), error.end(), error.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (error.find("timed out") != std::string::npos ||
          error.find("timeout") != std::string::npos ||
          error.find("did not exit within") != std::string::npos) {
        return kExitRunTimeout;
      }
      return kExitRunNotRun;
    }
    case gale::v1::JOB_STATE_UNSPECIFIED:
    case gale::v1::JOB_STATE_QUEUED:
    case gale::v1::JOB_STATE_RUNNING:
    case gale::v1::JOB_STATE_CANCELLED:
    case gale::v1::JOB_STATE_INTERRUPTED:
    case gale::v1::JobState_INT_MIN_SENTINEL_DO_NOT_USE_:
    case gale::v1::JobState_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return kExitFailure;
}

absl::StatusOr<int64_t> ParseDurationMs(const std::string &text, const std::string &what) {
  const auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " '", text, "' is not a duration; write it like 300s, 5m, 1h or 1500ms"));
  };
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
    ++digits;
  }
  if (digits == 0 || digits > 12) {
    return bad();
  }
  const int64_t value = std::stoll(text.substr(0, digits));
  const std::string unit = text.substr(digits);
  int64_t scale = 0;
  if (unit.empty() || unit == "s") {
    scale = 1000;
  } else if (unit == "ms") {
    scale = 1;
  } else if (unit == "m" || unit == "min") {
    scale = 60 * 1000;
  } else if (unit == "h") {
    scale = 3600 * 1000;
  } else if (unit == "d") {
    scale = 24 * 3600 * 1000;
  } else {
    return bad();
  }
  return value * scale;
}

absl::StatusOr<gale::v1::AcquireLeaseRequest> MakeAcquireLeaseRequest(const LeaseOptions &options) {
  gale::v1::AcquireLeaseRequest request;
  for (const std::string &device : options.devices) {
    request.mutable_selector()->add_devices(device);
  }
  request.mutable_selector()->set_board(options.board);
  for (const std::string &tag : options.tags) {
    request.mutable_selector()->add_tags(tag);
  }
  if (options.devices.empty() && options.board.empty() && options.tags.empty()) {
    return absl::InvalidArgumentError(
        "say which devices to lease: --device ID (repeatable), --board BOARD or --tag TAG");
  }
  request.set_count(options.count);
  if (!options.duration.empty()) {
    absl::StatusOr<int64_t> ms = ParseDurationMs(options.duration, "--for");
    if (!ms.ok()) {
      return ms.status();
    }
    if (*ms == 0) {
      return absl::InvalidArgumentError("--for 0: a lease must last a while (e.g. --for 30m)");
    }
    request.set_duration_ms(*ms);
  }
  if (!options.wait.empty()) {
    absl::StatusOr<int64_t> ms = ParseDurationMs(options.wait, "--wait");
    if (!ms.ok()) {
      return ms.status();
    }
    request.set_wait_ms(*ms);
  }
  request.set_note(options.note);
  return request;
}

}  // namespace gale::cli
