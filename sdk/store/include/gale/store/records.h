// The records galed keeps: jobs and their event logs, builds and artifacts, devices, test runs.
// Each maps field for field onto a message of proto/gale/v1 (named next to it); the store itself
// knows nothing of protobuf.
#ifndef GALE_STORE_RECORDS_H_
#define GALE_STORE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gale::store {

/// Lifecycle of a job (gale.v1.JobState). Also used for builds and test runs, whose state is
/// their job's. Terminal states: succeeded, failed, cancelled, interrupted.
enum class JobState { kQueued, kRunning, kSucceeded, kFailed, kCancelled, kInterrupted };

/// @returns "queued", "running", "succeeded", "failed", "cancelled" or "interrupted" (the
/// names of the CLI contract and of the database).
std::string_view JobStateName(JobState state);
/// Inverse of JobStateName; nullopt for any other string.
std::optional<JobState> ParseJobState(std::string_view name);
/// @returns true for succeeded, failed, cancelled and interrupted.
bool IsTerminal(JobState state);

/// Microseconds since the Unix epoch, now (the unit of every *_us field).
int64_t NowUs();

/// What a caller chooses about a new job; the store fills in the rest.
struct NewJob {
  std::string kind;     ///< "build", "run", "flash", "test", "config"
  std::string summary;  ///< e.g. "build samples/hello_world for qemu_cortex_m3"
  std::string device_id;
  std::string board;
};

/// gale.v1.Job, plus which daemon process ran it.
struct Job {
  std::string id;  ///< "j-000001", "j-000002", ...: increasing, never reused
  std::string kind;
  JobState state = JobState::kQueued;
  std::string summary;
  std::string device_id;
  std::string board;
  int64_t created_us = 0;
  int64_t started_us = 0;   ///< 0 until running
  int64_t finished_us = 0;  ///< 0 until terminal
  std::string error;  ///< one line a user can act on; empty unless failed/cancelled/interrupted
  int32_t exit_code = 0;
  int64_t daemon_pid = 0;   ///< process that created the job
  std::string instance_id;  ///< the Store::instance_id() of the store that created it
};

/// ListJobs filter (gale.v1.ListJobsRequest). Empty/unset fields do not filter.
struct JobFilter {
  std::string kind;
  std::optional<JobState> state;
  uint32_t limit = 0;  ///< 0: 100
};

/// One entry of a job's event log (gale.v1.JobEvent). The payload is opaque to the store: galed
/// keeps the serialized event body there and sets job_id, seq and time_us from this record.
struct Event {
  std::string job_id;
  uint64_t seq = 0;  ///< 1, 2, 3, ... per job, without gaps
  int64_t time_us = 0;
  std::string kind;     ///< "progress", "diagnostic", "log", "test_case", "result", ...
  std::string payload;  ///< bytes
};

/// gale.v1.Artifact.
struct Artifact {
  std::string kind;  ///< "elf", "bin", "hex", "map", "dts", "config", "exe"
  std::string path;
  uint64_t size = 0;
};

/// What a caller chooses about a new build.
struct NewBuild {
  std::string app_dir;
  std::string board;
  std::string build_dir;
  std::string job_id;  ///< may be empty (a build recorded without a job)
};

/// gale.v1.BuildRecord.
struct Build {
  std::string id;  ///< "b-000001", ...
  std::string app_dir;
  std::string board;
  std::string build_dir;
  JobState state = JobState::kRunning;
  std::string job_id;
  int64_t started_us = 0;
  int64_t finished_us = 0;
  std::vector<Artifact> artifacts;
  uint64_t flash_bytes = 0;
  uint64_t ram_bytes = 0;
};

/// ListBuilds filter (gale.v1.ListBuildsRequest).
struct BuildFilter {
  std::string board;      ///< empty: any
  std::string build_dir;  ///< empty: any
  uint32_t limit = 0;     ///< 0: 100
};

/// gale.v1.DeviceKind.
enum class DeviceKind { kEmulated, kPhysical };
/// @returns "emulated" or "physical".
std::string_view DeviceKindName(DeviceKind kind);
std::optional<DeviceKind> ParseDeviceKind(std::string_view name);

/// A device galed knows of. The stored part of gale.v1.Device; its live state (state, addresses,
/// exit code) belongs to sdk/devices.
struct Device {
  std::string id;    ///< emulated: "emu-<board>-<n>"; physical: the probe serial
  std::string name;  ///< unique when not empty
  std::string board;
  DeviceKind kind = DeviceKind::kPhysical;
  std::string serial;
  std::string tty;         ///< physical: overrides the probe's virtual COM port; empty: the probe's
  int64_t created_us = 0;  ///< set by the store on first insert when 0
  int64_t last_seen_us = 0;
  std::vector<std::string> tags;  ///< sorted, no duplicates
  std::string extra_json = "{}";  ///< a JSON object; anything else the daemon wants to keep
};

/// gale.v1.TestCase, with the scenario and board it belongs to.
struct TestCase {
  std::string suite;
  std::string name;
  std::string status;  ///< "passed", "failed", "skipped", "blocked"
  double seconds = 0;
  std::string message;
};

/// gale.v1.ScenarioResult.
struct ScenarioResult {
  std::string scenario;
  std::string board;
  /// "passed", "failed", "build_error", "flash_error", "boot_timeout", "timeout", "crash",
  /// "skipped"
  std::string status;
  std::string reason;
  double seconds = 0;
  std::vector<TestCase> cases;  ///< in the order given
  std::string build_dir;
  std::string log_path;
};

/// gale.v1.TestRunSummary (run_id is TestRun::id).
struct TestRunSummary {
  uint32_t passed = 0;
  uint32_t failed = 0;
  uint32_t skipped = 0;
  uint32_t errors = 0;
  std::string junit_path;
};

/// gale.v1.TestRun.
struct TestRun {
  std::string id;  ///< "t-000001", ...
  std::string job_id;
  JobState state = JobState::kRunning;
  int64_t started_us = 0;
  int64_t finished_us = 0;
  std::vector<ScenarioResult> scenarios;  ///< in the order recorded
  TestRunSummary summary;
};

/// Severity of a target log record, as Zephyr numbers them (LOG_LEVEL_ERR = 1 ...).
enum class LogLevel { kNone = 0, kError = 1, kWarning = 2, kInfo = 3, kDebug = 4 };
/// "none", "err", "wrn", "inf", "dbg" (the abbreviations targets print).
std::string_view LogLevelName(LogLevel level);
/// Accepts the abbreviations and "error", "warning", "info", "debug"; nullopt otherwise.
std::optional<LogLevel> ParseLogLevel(std::string_view name);

/// One decoded log message of a target (gale.v1.LogRecord).
struct LogRecord {
  uint64_t id = 0;  ///< set by the store
  int64_t time_us = 0;  ///< when the host received it
  std::string target_time;  ///< the target's timestamp as printed ("00:00:01.234,567"), if any
  LogLevel level = LogLevel::kInfo;
  std::string module;
  std::string message;
  std::string device_id;
  std::string source;  ///< "uart", "rtt:0", ...
  std::string build;  ///< the image it came from (ELF path)
  std::string job_id;  ///< the job that ran the image, if one did
};

/// QueryLogs filter (gale.v1.QueryLogsRequest). Empty/zero fields do not filter.
struct LogFilter {
  std::string device_id;
  /// Records at this level or more severe (kError is the most severe); kNone: all.
  LogLevel max_level = LogLevel::kNone;
  std::string module;
  std::string job_id;
  int64_t since_us = 0;  ///< time_us >= since_us
  int64_t until_us = 0;  ///< time_us < until_us
  uint64_t after_id = 0;  ///< id > after_id (to follow)
  uint32_t limit = 0;  ///< 0: 1000
  bool newest = false;  ///< the `limit` newest matches (still returned oldest first)
};

/// A lease of devices (gale.v1.Lease) as stored.
struct LeaseRecord {
  std::string token;  ///< secret, unique
  std::string id;     ///< public, unique
  std::string holder;
  std::vector<std::string> devices;  ///< device ids, in the order leased
  int64_t acquired_us = 0;
  int64_t expires_us = 0;
  int64_t duration_ms = 0;  ///< what Renew extends by when not told
  std::string note;
};

/// One audited call: a state-changing gRPC call (or one refused for its role), who made it and
/// how it ended (gale.v1.AuditRecord).
struct AuditRecord {
  uint64_t id = 0;  ///< set by the store
  int64_t time_us = 0;  ///< when the call started; 0 on append: now
  int64_t duration_us = 0;
  std::string caller;  ///< token name (TCP) or local user (unix socket)
  std::string role;  ///< "read-only", "developer", "admin"
  bool remote = false;  ///< came through a TCP listener
  std::string peer;  ///< gRPC peer address ("ipv4:10.0.0.5:51234", "unix:...")
  std::string method;  ///< full method, "/gale.v1.Flash/Flash"
  std::string target;  ///< the device, board, job or folder the call was about, if any
  int32_t code = 0;  ///< gRPC status code of the result (0: OK)
  std::string message;  ///< the status message when not OK
};

/// ListAudit filter. Empty/zero fields do not filter.
struct AuditFilter {
  std::string caller;
  std::string method;  ///< exact full method
  uint32_t limit = 0;  ///< the newest `limit` records (0: 100), returned newest first
};

}  // namespace gale::store

#endif  // GALE_STORE_RECORDS_H_
