// What went wrong, read from OpenOCD's output: a class a program can act on and a one-line
// reason a user can act on. The full output stays in the log file (see openocd.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace gale::runners {

enum class OpenOcdErrorClass {
  kNoProbe,            ///< no probe found, it could not be opened, or it does not answer
  kNoPermission,       ///< the probe's USB device may not be opened by this user (udev rules)
  kProbeBusy,          ///< another program holds the probe
  kTargetNotExamined,  ///< the probe works but cannot reach the MCU (power, cable, voltage)
  kFlashWriteFailed,   ///< erasing or writing the flash failed
  kVerifyFailed,       ///< the flash holds something else than the image after writing
  kTimeout,            ///< OpenOCD (or the target) did not answer in time
  kOther,              ///< anything else: the reason quotes OpenOCD's own error
};

/// "no-probe", "no-permission", "probe-busy", "target-not-examined", "flash-write-failed",
/// "verify-failed", "timeout", "other".
std::string_view OpenOcdErrorClassName(OpenOcdErrorClass error_class);

struct OpenOcdDiagnosis {
  OpenOcdErrorClass error_class = OpenOcdErrorClass::kOther;
  /// One line, says what to do: "no debug probe with serial 0669FF... could be opened: ...".
  std::string reason;
  /// The line of OpenOCD's output the class was read from ("Error: open failed"); may be
  /// empty.
  std::string evidence;
};

/// Reads OpenOCD's output (its log, or the part of it one command produced). `serial` (may be
/// empty) is the probe asked for, named in the reason. Rules are tried in the order of the enum
/// above, so a busy probe that also reports "open failed" is classed busy. With no known
/// pattern: kOther with the first "Error:" line (or `fallback` when there is none).
OpenOcdDiagnosis ClassifyOpenOcdOutput(std::string_view output, std::string_view serial = {},
                                       std::string_view fallback = {});

/// The absl code for a class: no-probe and probe-busy Unavailable, no-permission
/// PermissionDenied, target-not-examined FailedPrecondition, flash-write-failed Aborted,
/// verify-failed DataLoss, timeout DeadlineExceeded, other Unknown.
absl::StatusCode OpenOcdErrorCode(OpenOcdErrorClass error_class);

/// A status carrying the class, the log file's path and the output (as payloads, for a job to
/// keep the full log while the message stays one line). The code is the class's unless `code`
/// says otherwise (OpenOCD died of a cause its output does not tell: Unavailable, class other).
absl::Status MakeOpenOcdError(OpenOcdErrorClass error_class, std::string message,
                              std::string_view log_path, std::string_view output,
                              std::optional<absl::StatusCode> code = std::nullopt);

/// The class a status from this runner carries; nullopt for other statuses.
std::optional<OpenOcdErrorClass> OpenOcdErrorClassOf(const absl::Status &status);
/// The OpenOCD log file and the output a status carries (empty when none).
std::string OpenOcdLogPathOf(const absl::Status &status);
std::string OpenOcdOutputOf(const absl::Status &status);

}  // namespace gale::runners
