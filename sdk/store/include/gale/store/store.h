// galed's persistent state: one SQLite database (WAL) holding jobs with their event logs,
// builds and artifacts, devices, and test runs with their results.
//
// Threading: a Store owns one SQLite connection guarded by a mutex; every method may be called
// from any thread and runs alone. Statements are prepared once and reused.
//
// Crash safety: every multi-row change is one transaction and the database runs in WAL mode with
// synchronous=NORMAL, so killing the process at any point (kill -9) leaves a consistent database
// holding every change whose call returned. (A power loss may lose the last few transactions, in
// order: never a later change without an earlier one.)
//
// One process at a time should own a database: the daemon locks its state folder.
#ifndef GALE_STORE_STORE_H_
#define GALE_STORE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gale/store/records.h"

namespace gale::store {

namespace internal {
struct StoreOpener;
}  // namespace internal

/// The schema version this build of Gale writes (PRAGMA user_version).
inline constexpr int kSchemaVersion = 4;

class Store {
 public:
  /// Opens the database at `path`, creating it (not its folder) when missing, and brings its
  /// schema up to kSchemaVersion in one transaction.
  /// @retval NotFound the folder of `path` does not exist.
  /// @retval FailedPrecondition `path` is not an SQLite database, or is another program's, or
  ///         was written by a newer Gale (schema version above kSchemaVersion); the message names
  ///         the file and what to do.
  /// @retval Internal or Unavailable for other SQLite failures (message names the file).
  /// @pre any thread.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string &path);

  ~Store();
  Store(const Store &) = delete;
  Store &operator=(const Store &) = delete;

  const std::string &path() const;
  /// A random id of this open store, recorded in the jobs it creates.
  const std::string &instance_id() const;
  /// PRAGMA integrity_check and foreign_key_check; OK or DataLoss with what SQLite reported.
  absl::Status CheckIntegrity();

  // --- Jobs ---------------------------------------------------------------------------------

  /// Records a new queued job with the next id, created_us = now and this process's pid.
  absl::StatusOr<Job> CreateJob(const NewJob &job);
  /// Moves a job to `state`: running sets started_us, a terminal state sets finished_us (both to
  /// now), `error` and `exit_code`.
  /// @retval NotFound no job `id`.
  /// @retval FailedPrecondition the job is already in a terminal state (for example marked
  ///         interrupted), or `state` is queued.
  absl::Status UpdateJobState(std::string_view id, JobState state, std::string_view error = {},
                              int32_t exit_code = 0);
  /// @retval NotFound no job `id`.
  absl::StatusOr<Job> GetJob(std::string_view id);
  /// Newest first.
  absl::StatusOr<std::vector<Job>> ListJobs(const JobFilter &filter = {});
  /// At daemon start: every queued or running job (left by a daemon that died) becomes
  /// interrupted, with finished_us = now and an error saying so; so do builds and test runs in
  /// state queued or running. One transaction.
  /// @returns how many jobs were marked.
  absl::StatusOr<int> MarkInterrupted();

  // --- Job events ---------------------------------------------------------------------------

  /// Appends an event to the log of job `job_id` with the next seq (assigned atomically) and
  /// `time_us` (0: now), committed before returning.
  /// @returns the event's seq.
  /// @retval NotFound no job `job_id`.
  absl::StatusOr<uint64_t> AppendEvent(std::string_view job_id, std::string_view kind,
                                       std::string_view payload, int64_t time_us = 0);
  /// Events of `job_id` with seq > after_seq, in seq order; at most `limit` (0: all). An unknown
  /// job has no events (empty, not an error).
  absl::StatusOr<std::vector<Event>> ListEvents(std::string_view job_id, uint64_t after_seq = 0,
                                                uint32_t limit = 0);
  /// The highest seq of `job_id`'s log; 0 when empty.
  absl::StatusOr<uint64_t> LastEventSeq(std::string_view job_id);

  // --- Builds -------------------------------------------------------------------------------

  /// Records a running build with the next id and started_us = now.
  /// @retval NotFound `job_id` is set but names no job.
  absl::StatusOr<Build> CreateBuild(const NewBuild &build);
  /// Writes every field of `build` (found by id) and replaces its artifacts, in one transaction.
  /// A terminal state with finished_us 0 gets finished_us = now.
  /// @retval NotFound no build `build.id`.
  absl::Status UpdateBuild(const Build &build);
  /// With artifacts. `id_or_dir` is a build id or a build folder (then the newest build there).
  /// @retval NotFound neither.
  absl::StatusOr<Build> GetBuild(std::string_view id_or_dir);
  /// Newest first, with artifacts.
  absl::StatusOr<std::vector<Build>> ListBuilds(const BuildFilter &filter = {});

  // --- Devices ------------------------------------------------------------------------------

  /// Inserts `device`, or updates every field of the device with its id except created_us.
  /// created_us 0 becomes now on insert. Tags are stored sorted and without duplicates.
  /// @retval AlreadyExists another device has the same non-empty name.
  /// @retval InvalidArgument empty id, or extra_json is not a JSON object.
  absl::StatusOr<Device> UpsertDevice(const Device &device);
  /// @retval NotFound no device with that id, nor with that name.
  absl::StatusOr<Device> GetDevice(std::string_view id_or_name);
  /// By id.
  absl::StatusOr<std::vector<Device>> ListDevices();
  /// Sets last_seen_us (0: now). @retval NotFound
  absl::Status TouchDevice(std::string_view id, int64_t last_seen_us = 0);
  /// Adds tags (keeping the existing ones). @retval NotFound
  absl::StatusOr<Device> AddDeviceTags(std::string_view id, const std::vector<std::string> &tags);
  /// Replaces a device's tags (stored sorted, without duplicates or empty ones).
  /// @retval NotFound no device `id`.
  absl::StatusOr<Device> SetDeviceTags(std::string_view id, const std::vector<std::string> &tags);
  /// @retval NotFound
  absl::Status DeleteDevice(std::string_view id);

  // --- Leases (Farm service) ----------------------------------------------------------------

  /// Inserts `lease`, or replaces the lease with its token.
  /// @retval InvalidArgument empty token or id. @retval AlreadyExists another token has its id.
  absl::Status PutLease(const LeaseRecord &lease);
  /// @retval NotFound no lease with that token.
  absl::Status DeleteLease(std::string_view token);
  /// Deletes leases with expires_us <= now_us. @returns how many.
  absl::StatusOr<int> DeleteExpiredLeases(int64_t now_us);
  /// Every stored lease (expired ones included until deleted), by acquired_us.
  absl::StatusOr<std::vector<LeaseRecord>> ListLeases();

  // --- Physical devices (probe serial bound to a board) -------------------------------------

  /// Binds the probe `serial` to `board` under `name` (and `tty`, empty: the probe's own), as a
  /// physical device whose id is the serial. Binding a serial again rebinds it (new board, name
  /// and tty; tags and created_us kept).
  /// @retval InvalidArgument empty serial, board or name.
  /// @retval AlreadyExists another device has that name or has `name` as its id; or the serial is
  ///         an emulated device's id.
  absl::StatusOr<Device> BindPhysicalDevice(std::string_view serial, std::string_view board,
                                            std::string_view name, std::string_view tty = {});
  /// Gives the device `id_or_name` a new (unique, non-empty) name.
  /// @retval NotFound, AlreadyExists, InvalidArgument as above.
  absl::StatusOr<Device> RenameDevice(std::string_view id_or_name, std::string_view name);
  /// Forgets the physical device `id_or_name` (by serial or name) and returns what it was.
  /// @retval NotFound no such device. @retval FailedPrecondition it is an emulated device.
  absl::StatusOr<Device> UnbindDevice(std::string_view id_or_name);
  /// The physical devices, by id (serial).
  absl::StatusOr<std::vector<Device>> ListPhysicalDevices();

  // --- Test runs ----------------------------------------------------------------------------

  /// Records a running test run with the next id and started_us = now.
  /// @retval NotFound `job_id` is set but names no job.
  absl::StatusOr<TestRun> CreateTestRun(std::string_view job_id);
  /// Adds one scenario's result with its cases, in one transaction. A scenario/board pair may be
  /// recorded once per run.
  /// @retval NotFound no run `run_id`. @retval AlreadyExists that scenario/board is recorded.
  absl::Status AddScenarioResult(std::string_view run_id, const ScenarioResult &result);
  /// Sets the run's final state, summary and finished_us (now).
  /// @retval NotFound no run `run_id`.
  absl::Status FinishTestRun(std::string_view run_id, JobState state,
                             const TestRunSummary &summary);
  /// With scenarios and their cases. @retval NotFound
  absl::StatusOr<TestRun> GetTestRun(std::string_view id);
  /// Newest first, without scenarios (gale.v1.ListTestRunsResponse). limit 0: 100.
  absl::StatusOr<std::vector<TestRun>> ListTestRuns(uint32_t limit = 0);

  // --- Logs ---------------------------------------------------------------------------------

  /// Appends decoded log records in one transaction, setting each record's id (increasing).
  /// time_us 0 becomes now.
  /// @retval InvalidArgument a record has a level outside LogLevel (nothing is written).
  absl::Status AppendLogs(std::vector<LogRecord> &records);
  /// Records matching `filter`, oldest first (ids increasing), at most filter.limit (0: 1000).
  absl::StatusOr<std::vector<LogRecord>> QueryLogs(const LogFilter &filter = {});

 private:
  friend struct internal::StoreOpener;
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gale::store

#endif  // GALE_STORE_STORE_H_
