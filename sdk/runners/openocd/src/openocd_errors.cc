#include "gale/runners/openocd_errors.h"

#include <cstdlib>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gale::runners {

namespace {

constexpr char kClassPayload[] = "gale.dev/openocd/error-class";
constexpr char kLogPayload[] = "gale.dev/openocd/log-path";
constexpr char kOutputPayload[] = "gale.dev/openocd/output";

constexpr OpenOcdErrorClass kAllClasses[] = {
    OpenOcdErrorClass::kNoProbe,          OpenOcdErrorClass::kNoPermission,
    OpenOcdErrorClass::kProbeBusy,        OpenOcdErrorClass::kTargetNotExamined,
    OpenOcdErrorClass::kFlashWriteFailed, OpenOcdErrorClass::kVerifyFailed,
    OpenOcdErrorClass::kTimeout,          OpenOcdErrorClass::kOther,
};

struct Rule {
  OpenOcdErrorClass error_class;
  std::vector<absl::string_view> patterns;  ///< lower case; any one matches
};

// Substrings of OpenOCD 0.12's messages (adapter drivers: ST-Link/HLA, CMSIS-DAP, J-Link, FTDI,
// Raspberry Pi probe; ADIv5/Cortex-M; flash drivers; the `program` and `verify_image`
// commands), checked in this order: a busy probe also says "open failed", a failed
// verification also says "Programming Failed".
const std::vector<Rule> &Rules() {
  static const auto *rules = new std::vector<Rule>{
      {OpenOcdErrorClass::kProbeBusy,
       {"libusb_error_busy", "already in use", "resource busy", "device or resource busy",
        "failed to claim interface"}},
      {OpenOcdErrorClass::kNoPermission,
       {"libusb_error_access", "permission denied", "insufficient permissions"}},
      {OpenOcdErrorClass::kNoProbe,
       {"no device matches the serial", "open failed", "no j-link device found",
        "unable to find a matching cmsis-dap device", "unable to find a cmsis-dap device",
        "unable to open ftdi device", "no device found", "can't find a picoprobe device",
        "read version failed", "libusb_error_no_device", "libusb_error_not_found",
        "failed to open or find the device", "unable to find cmsis-dap device",
        "couldn't find a matching device"}},
      {OpenOcdErrorClass::kTargetNotExamined,
       {"init mode failed", "unable to connect to the target", "error connecting dp",
        "examination failed", "target not examined", "target voltage may be too low",
        "could not find mem-ap", "jtag scan chain interrogation failed", "ir capture error",
        "invalid ack", "target is not powered"}},
      {OpenOcdErrorClass::kVerifyFailed,
       {"verify failed", "checksum mismatch", "verification failed", "contents differ",
        "instead of 0x"}},
      {OpenOcdErrorClass::kFlashWriteFailed,
       {"programming failed", "error writing to flash", "failed erasing sectors",
        "flash write failed", "no flash bank found", "error erasing flash", "flash erase error",
        "write protect", "flash program error", "couldn't write", "failed to erase",
        "device is protected", "rdp level"}},
      {OpenOcdErrorClass::kTimeout, {"timed out", "timeout waiting", "time out"}},
  };
  return *rules;
}

std::string Trimmed(absl::string_view line) {
  return std::string(absl::StripAsciiWhitespace(line));
}

std::string ProbeName(absl::string_view serial) {
  return serial.empty() ? std::string("the debug probe")
                        : absl::StrCat("the debug probe with serial ", std::string(serial));
}

// The target voltage an ST-Link reports ("Info : Target voltage: 0.003165"), or -1.
double TargetVoltage(absl::string_view output) {
  double volts = -1;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    size_t at = line.find("Target voltage: ");
    if (at != absl::string_view::npos) {
      std::string value(line.substr(at + 16));
      volts = std::strtod(value.c_str(), nullptr);
    }
  }
  return volts;
}

std::string Reason(OpenOcdErrorClass error_class, absl::string_view output,
                   absl::string_view serial, absl::string_view evidence) {
  std::string lower = absl::AsciiStrToLower(evidence);
  std::string probe = ProbeName(serial);
  switch (error_class) {
    case OpenOcdErrorClass::kNoProbe:
      if (absl::StrContains(lower, "read version failed")) {
        return absl::StrCat(probe, " is on USB but does not answer (OpenOCD: \"", evidence,
                            "\"): unplug and replug it, or update its firmware");
      }
      if (absl::StrContains(absl::AsciiStrToLower(output), "libusb_get_string_descriptor")) {
        return absl::StrCat(probe,
                            " could not be opened: it is listed on USB but does not "
                            "answer requests (OpenOCD could not read its serial number); "
                            "unplug and replug it");
      }
      // OpenOCD 0.12's ST-Link driver reports a probe held by another program only as "open
      // failed" (the claim error is a debug message), hence the second possibility.
      return absl::StrCat("no probe found: ", probe,
                          " is not attached or another program holds it; plug it in, close "
                          "other debuggers and check `gale devices`");
    case OpenOcdErrorClass::kNoPermission:
      return absl::StrCat("no permission to open ", probe,
                          ": install the udev rules for debug probes and replug it");
    case OpenOcdErrorClass::kProbeBusy:
      return absl::StrCat(probe,
                          " is in use by another program (another OpenOCD, a debugger "
                          "or an IDE): close it and retry");
    case OpenOcdErrorClass::kTargetNotExamined: {
      double volts = TargetVoltage(output);
      if (volts >= 0 && volts < 1.5) {
        return absl::StrCat("the target MCU reports ", absl::StrFormat("%.2f", volts),
                            " V: the board is not powered or the probe is not wired to it; "
                            "power it and check the debug connection");
      }
      return absl::StrCat(probe, " cannot reach the target MCU (OpenOCD: \"", evidence,
                          "\"): check that the board is powered, the debug cable or jumpers, "
                          "and that it is the board this device is bound to");
    }
    case OpenOcdErrorClass::kFlashWriteFailed:
      return absl::StrCat("writing the flash failed (OpenOCD: \"", evidence,
                          "\"): the flash may be write- or read-protected (unlock or "
                          "mass-erase it), or the image does not fit this MCU");
    case OpenOcdErrorClass::kVerifyFailed:
      return absl::StrCat("the flash does not hold the image after writing (OpenOCD: \"", evidence,
                          "\"): erase the device and flash again; if it persists "
                          "the flash may be protected or worn");
    case OpenOcdErrorClass::kTimeout:
      return absl::StrCat("OpenOCD timed out (\"", evidence,
                          "\"): the target may be held in reset or asleep; reset the board "
                          "or replug the probe and retry");
    case OpenOcdErrorClass::kOther:
      break;
  }
  return evidence.empty() ? std::string("OpenOCD failed")
                          : absl::StrCat("OpenOCD: ", std::string(evidence));
}

}  // namespace

std::string_view OpenOcdErrorClassName(OpenOcdErrorClass error_class) {
  switch (error_class) {
    case OpenOcdErrorClass::kNoProbe:
      return "no-probe";
    case OpenOcdErrorClass::kNoPermission:
      return "no-permission";
    case OpenOcdErrorClass::kProbeBusy:
      return "probe-busy";
    case OpenOcdErrorClass::kTargetNotExamined:
      return "target-not-examined";
    case OpenOcdErrorClass::kFlashWriteFailed:
      return "flash-write-failed";
    case OpenOcdErrorClass::kVerifyFailed:
      return "verify-failed";
    case OpenOcdErrorClass::kTimeout:
      return "timeout";
    case OpenOcdErrorClass::kOther:
      return "other";
  }
  return "other";
}

OpenOcdDiagnosis ClassifyOpenOcdOutput(std::string_view output_in, std::string_view serial_in,
                                       std::string_view fallback) {
  absl::string_view output(output_in.data(), output_in.size());
  absl::string_view serial(serial_in.data(), serial_in.size());
  std::vector<absl::string_view> lines = absl::StrSplit(output, '\n', absl::SkipWhitespace());
  std::vector<std::string> lower;
  lower.reserve(lines.size());
  for (absl::string_view line : lines) {
    lower.push_back(absl::AsciiStrToLower(line));
  }
  OpenOcdDiagnosis diagnosis;
  for (const Rule &rule : Rules()) {
    for (size_t i = 0; i < lines.size(); ++i) {
      // Only OpenOCD's complaints count ("Error:", "Warn :", "** ... **" and the Tcl error
      // text), not an Info line that happens to contain a word like "timeout".
      bool complaint =
          absl::StartsWith(lower[i], "error") || absl::StartsWith(lower[i], "warn") ||
          absl::StartsWith(lower[i], "**") ||
          (!absl::StartsWith(lower[i], "info") && !absl::StartsWith(lower[i], "debug"));
      bool serial_note = absl::StrContains(lower[i], "no device matches the serial");
      if (!complaint && !serial_note) {
        continue;
      }
      for (absl::string_view pattern : rule.patterns) {
        if (absl::StrContains(lower[i], pattern)) {
          diagnosis.error_class = rule.error_class;
          diagnosis.evidence = Trimmed(lines[i]);
          diagnosis.reason = Reason(rule.error_class, output, serial, diagnosis.evidence);
          return diagnosis;
        }
      }
    }
  }
  // The first "Error: ..." of the log, or a Tcl error ("embedded:startup.tcl:28: Error: Can't
  // find"): OpenOCD states the cause first and its consequences ("... failed") after it.
  for (absl::string_view line : lines) {
    if (absl::StrContains(line, "Error:")) {
      diagnosis.evidence = Trimmed(line);
      break;
    }
  }
  if (diagnosis.evidence.empty()) {
    diagnosis.evidence = std::string(fallback);
  }
  diagnosis.error_class = OpenOcdErrorClass::kOther;
  diagnosis.reason = Reason(OpenOcdErrorClass::kOther, output, serial, diagnosis.evidence);
  return diagnosis;
}

absl::StatusCode OpenOcdErrorCode(OpenOcdErrorClass error_class) {
  switch (error_class) {
    case OpenOcdErrorClass::kNoProbe:
    case OpenOcdErrorClass::kProbeBusy:
      return absl::StatusCode::kUnavailable;
    case OpenOcdErrorClass::kNoPermission:
      return absl::StatusCode::kPermissionDenied;
    case OpenOcdErrorClass::kTargetNotExamined:
      return absl::StatusCode::kFailedPrecondition;
    case OpenOcdErrorClass::kFlashWriteFailed:
      return absl::StatusCode::kAborted;
    case OpenOcdErrorClass::kVerifyFailed:
      return absl::StatusCode::kDataLoss;
    case OpenOcdErrorClass::kTimeout:
      return absl::StatusCode::kDeadlineExceeded;
    case OpenOcdErrorClass::kOther:
      break;
  }
  return absl::StatusCode::kUnknown;
}

absl::Status MakeOpenOcdError(OpenOcdErrorClass error_class, std::string message,
                              std::string_view log_path, std::string_view output,
                              std::optional<absl::StatusCode> code) {
  absl::Status status(code.value_or(OpenOcdErrorCode(error_class)), message);
  status.SetPayload(kClassPayload, absl::Cord(std::string(OpenOcdErrorClassName(error_class))));
  if (!log_path.empty()) {
    status.SetPayload(kLogPayload, absl::Cord(std::string(log_path)));
  }
  if (!output.empty()) {
    status.SetPayload(kOutputPayload, absl::Cord(std::string(output)));
  }
  return status;
}

std::optional<OpenOcdErrorClass> OpenOcdErrorClassOf(const absl::Status &status) {
  auto name = status.GetPayload(kClassPayload);
  if (!name.has_value()) {
    return std::nullopt;
  }
  for (OpenOcdErrorClass error_class : kAllClasses) {
    if (*name == std::string(OpenOcdErrorClassName(error_class))) {
      return error_class;
    }
  }
  return std::nullopt;
}

std::string OpenOcdLogPathOf(const absl::Status &status) {
  auto path = status.GetPayload(kLogPayload);
  return path.has_value() ? std::string(*path) : std::string();
}

std::string OpenOcdOutputOf(const absl::Status &status) {
  auto output = status.GetPayload(kOutputPayload);
  return output.has_value() ? std::string(*output) : std::string();
}

}  // namespace gale::runners
