#include "gale/store/store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <system_error>
#include <utility>

#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "schema.h"
#include "sqlite.h"
#include "store_internal.h"
#include "util.h"

namespace gale::store {

// --- Records ------------------------------------------------------------------------------------

std::string_view JobStateName(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kSucceeded:
      return "succeeded";
    case JobState::kFailed:
      return "failed";
    case JobState::kCancelled:
      return "cancelled";
    case JobState::kInterrupted:
      return "interrupted";
  }
  return "unknown";
}

std::optional<JobState> ParseJobState(std::string_view name) {
  for (JobState state : {JobState::kQueued, JobState::kRunning, JobState::kSucceeded,
                         JobState::kFailed, JobState::kCancelled, JobState::kInterrupted}) {
    if (JobStateName(state) == name) {
      return state;
    }
  }
  return std::nullopt;
}

bool IsTerminal(JobState state) {
  return state != JobState::kQueued && state != JobState::kRunning;
}

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view DeviceKindName(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::kEmulated:
      return "emulated";
    case DeviceKind::kPhysical:
      return "physical";
  }
  return "unknown";
}

std::optional<DeviceKind> ParseDeviceKind(std::string_view name) {
  if (name == "emulated") {
    return DeviceKind::kEmulated;
  }
  if (name == "physical") {
    return DeviceKind::kPhysical;
  }
  return std::nullopt;
}

// --- Store --------------------------------------------------------------------------------------

struct Store::Impl {
  std::mutex mu;
  std::unique_ptr<sqlite::Db> db;
  std::string instance_id;
  int64_t pid = 0;
};

namespace {

constexpr uint32_t kDefaultLimit = 100;
constexpr int kBusyTimeoutMs = 5000;

std::string RandomInstanceId() {
  std::random_device device;
  std::mt19937_64 generator((static_cast<uint64_t>(device()) << 32) ^ device());
  return absl::StrFormat("%016x", generator());
}

// Reads a single integer (PRAGMA user_version and the like).
absl::StatusOr<int64_t> QueryInt(sqlite::Db &db, const std::string &sql) {
  GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query query, db.Prepare(sql));
  GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) {
    return db.Error(SQLITE_ERROR, sql);
  }
  return query.Int64(0);
}

// The next value of a named sequence, formatted as PREFIX-000123. Call inside a transaction.
absl::StatusOr<std::string> NextId(sqlite::Db &db, std::string_view sequence, const char *prefix,
                                   int64_t *number) {
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query query,
      db.Prepare("UPDATE sequences SET value = value + 1 WHERE name = ?1 RETURNING value"));
  query.Bind(1, sequence);
  GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) {
    return absl::InternalError(Cat(db.path(), ": the id sequence '", sequence, "' is missing"));
  }
  *number = query.Int64(0);
  return absl::StrFormat("%s-%06d", prefix, *number);
}

// Every column of jobs, in the order ReadJob expects.
constexpr const char *kJobColumns =
    "id, kind, state, summary, device_id, board, created_us, started_us, finished_us, error, "
    "exit_code, daemon_pid, instance_id";

Job ReadJob(const sqlite::Query &query) {
  Job job;
  job.id = query.Text(0);
  job.kind = query.Text(1);
  job.state = ParseJobState(query.Text(2)).value_or(JobState::kFailed);
  job.summary = query.Text(3);
  job.device_id = query.Text(4);
  job.board = query.Text(5);
  job.created_us = query.Int64(6);
  job.started_us = query.Int64(7);
  job.finished_us = query.Int64(8);
  job.error = query.Text(9);
  job.exit_code = static_cast<int32_t>(query.Int64(10));
  job.daemon_pid = query.Int64(11);
  job.instance_id = query.Text(12);
  return job;
}

constexpr const char *kBuildColumns =
    "id, app_dir, board, build_dir, state, COALESCE(job_id, ''), started_us, finished_us, "
    "flash_bytes, ram_bytes";

Build ReadBuild(const sqlite::Query &query) {
  Build build;
  build.id = query.Text(0);
  build.app_dir = query.Text(1);
  build.board = query.Text(2);
  build.build_dir = query.Text(3);
  build.state = ParseJobState(query.Text(4)).value_or(JobState::kFailed);
  build.job_id = query.Text(5);
  build.started_us = query.Int64(6);
  build.finished_us = query.Int64(7);
  build.flash_bytes = static_cast<uint64_t>(query.Int64(8));
  build.ram_bytes = static_cast<uint64_t>(query.Int64(9));
  return build;
}

absl::Status ReadArtifacts(sqlite::Db &db, Build &build) {
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query query,
      db.Prepare("SELECT kind, path, size FROM artifacts WHERE build_id = ?1 ORDER BY rowid"));
  query.Bind(1, build.id);
  build.artifacts.clear();
  return query.ReadAll(&build.artifacts, [](const sqlite::Query &row) {
    return Artifact{row.Text(0), row.Text(1), static_cast<uint64_t>(row.Int64(2))};
  });
}

constexpr const char *kDeviceColumns =
    "id, name, board, kind, serial, created_us, last_seen_us, tags, extra, tty";

Device ReadDevice(const sqlite::Query &query) {
  Device device;
  device.id = query.Text(0);
  device.name = query.Text(1);
  device.board = query.Text(2);
  device.kind = ParseDeviceKind(query.Text(3)).value_or(DeviceKind::kPhysical);
  device.serial = query.Text(4);
  device.created_us = query.Int64(5);
  device.last_seen_us = query.Int64(6);
  device.tty = query.Text(9);
  nlohmann::json tags = nlohmann::json::parse(query.Text(7), nullptr, /*allow_exceptions=*/false);
  if (tags.is_array()) {
    for (const auto &tag : tags) {
      if (tag.is_string()) {
        device.tags.push_back(tag.get<std::string>());
      }
    }
  }
  device.extra_json = query.Text(8);
  return device;
}

std::string EncodeTags(const std::vector<std::string> &tags) {
  std::set<std::string> unique(tags.begin(), tags.end());
  unique.erase("");
  nlohmann::json array = nlohmann::json::array();
  for (const std::string &tag : unique) {
    array.push_back(tag);
  }
  return array.dump();
}

constexpr const char *kTestRunColumns =
    "id, COALESCE(job_id, ''), state, started_us, finished_us, passed, failed, skipped, errors, "
    "junit_path";

TestRun ReadTestRun(const sqlite::Query &query) {
  TestRun run;
  run.id = query.Text(0);
  run.job_id = query.Text(1);
  run.state = ParseJobState(query.Text(2)).value_or(JobState::kFailed);
  run.started_us = query.Int64(3);
  run.finished_us = query.Int64(4);
  run.summary.passed = static_cast<uint32_t>(query.Int64(5));
  run.summary.failed = static_cast<uint32_t>(query.Int64(6));
  run.summary.skipped = static_cast<uint32_t>(query.Int64(7));
  run.summary.errors = static_cast<uint32_t>(query.Int64(8));
  run.summary.junit_path = query.Text(9);
  return run;
}

uint32_t EffectiveLimit(uint32_t limit) {
  return limit == 0 ? kDefaultLimit : limit;
}

}  // namespace

// Reaches Store's private constructor for Open and the test hook.
struct internal::StoreOpener {
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string &path,
                                                     std::span<const char *const> migrations);
};

namespace {

// What to tell a user whose state database cannot be used.
constexpr const char *kMoveAway =
    "move the file away (galed then starts a new database) or choose another state folder "
    "(--state-dir)";

absl::Status Migrate(sqlite::Db &db, std::span<const char *const> migrations) {
  const int64_t target = static_cast<int64_t>(migrations.size());
  sqlite::Transaction transaction(db);
  GALE_STORE_RETURN_IF_ERROR(transaction.Begin());
  // Read again under the write lock: another process may have migrated in the meantime.
  GALE_STORE_ASSIGN_OR_RETURN(int64_t version, QueryInt(db, "PRAGMA user_version"));
  if (version >= target) {
    return absl::OkStatus();
  }
  for (int64_t i = version; i < target; ++i) {
    absl::Status status = db.Exec(migrations[static_cast<size_t>(i)]);
    if (!status.ok()) {
      return absl::InternalError(Cat(db.path(), ": migrating the schema to version ", i + 1,
                                     " failed, nothing was changed: ", status.message()));
    }
  }
  GALE_STORE_RETURN_IF_ERROR(db.Exec(Cat("PRAGMA user_version = ", target)));
  GALE_STORE_RETURN_IF_ERROR(db.Exec(Cat("PRAGMA application_id = ", kGaleApplicationId)));
  return transaction.Commit();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> internal::StoreOpener::Open(
    const std::string &path, std::span<const char *const> migrations) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path file(path);
  fs::path folder = file.parent_path();
  if (!folder.empty() && !fs::is_directory(folder, error)) {
    return absl::NotFoundError(Cat("cannot create the Gale state database ", path, ": folder ",
                                   folder.string(), " does not exist; create it first"));
  }
  if (fs::is_directory(file, error)) {
    return absl::FailedPreconditionError(Cat(path, " is a folder, not a Gale state database file"));
  }

  GALE_STORE_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> db, sqlite::Db::Open(path));
  sqlite3_busy_timeout(db->handle(), kBusyTimeoutMs);

  // The first read of the file: anything that is not an SQLite database fails here.
  absl::StatusOr<int64_t> tables =
      QueryInt(*db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'");
  if (!tables.ok()) {
    int rc = sqlite3_extended_errcode(db->handle());
    if ((rc & 0xff) == SQLITE_NOTADB) {
      return absl::FailedPreconditionError(
          Cat(path, " is not an SQLite database, so not a Gale state database; ", kMoveAway));
    }
    if ((rc & 0xff) == SQLITE_CORRUPT) {
      return absl::DataLossError(Cat(path, " is a damaged SQLite database (",
                                     tables.status().message(), "); ", kMoveAway));
    }
    return tables.status();
  }
  GALE_STORE_ASSIGN_OR_RETURN(int64_t version, QueryInt(*db, "PRAGMA user_version"));
  GALE_STORE_ASSIGN_OR_RETURN(int64_t application_id, QueryInt(*db, "PRAGMA application_id"));
  const int64_t known = static_cast<int64_t>(migrations.size());
  bool fresh = application_id == 0 && version == 0 && *tables == 0;
  if (!fresh && application_id != kGaleApplicationId) {
    return absl::FailedPreconditionError(
        Cat(path, " is an SQLite database of another program (application id ", application_id,
            ", ", *tables, " tables), not a Gale state database; ", kMoveAway));
  }
  if (version > known) {
    return absl::FailedPreconditionError(
        Cat(path, " was written by a newer Gale (schema version ", version,
            "; this Gale knows versions up to ", known,
            "); run the newer galed, or choose another state folder (--state-dir)"));
  }

  // WAL: readers never block the writer and a commit is one append to the log. With
  // synchronous=NORMAL a commit does not wait for fsync; a process crash still loses nothing
  // committed (the log is in the OS's hands), a power loss at most the last commits, in order.
  GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query journal, db->Prepare("PRAGMA journal_mode = WAL"));
  GALE_STORE_RETURN_IF_ERROR(journal.Run());
  GALE_STORE_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON"));
  if (version < known) {
    GALE_STORE_RETURN_IF_ERROR(Migrate(*db, migrations));
  }

  auto impl = std::make_unique<Store::Impl>();
  impl->db = std::move(db);
  impl->instance_id = RandomInstanceId();
  impl->pid = static_cast<int64_t>(getpid());
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

absl::StatusOr<std::unique_ptr<Store>> internal::OpenWithMigrations(
    const std::string &path, std::span<const char *const> migrations) {
  return StoreOpener::Open(path, migrations);
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string &path) {
  return internal::StoreOpener::Open(path, kMigrations);
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const std::string &Store::path() const {
  return impl_->db->path();
}
const std::string &Store::instance_id() const {
  return impl_->instance_id;
}

absl::Status Store::CheckIntegrity() {
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  {
    GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query query, db.Prepare("PRAGMA integrity_check"));
    std::string problems;
    for (;;) {
      GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) {
        break;
      }
      std::string line = query.Text(0);
      if (line != "ok") {
        problems += Cat(problems.empty() ? "" : "; ", line);
      }
    }
    if (!problems.empty()) {
      return absl::DataLossError(Cat(db.path(), ": integrity check: ", problems));
    }
  }
  GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query query, db.Prepare("PRAGMA foreign_key_check"));
  GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
  if (row) {
    return absl::DataLossError(Cat(db.path(), ": a row of table ", query.Text(0),
                                   " refers to a missing row of ", query.Text(2)));
  }
  return absl::OkStatus();
}

// --- Jobs ---------------------------------------------------------------------------------------

absl::StatusOr<Job> Store::CreateJob(const NewJob &new_job) {
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  sqlite::Transaction transaction(db);
  GALE_STORE_RETURN_IF_ERROR(transaction.Begin());
  Job job;
  int64_t number = 0;
  GALE_STORE_ASSIGN_OR_RETURN(job.id, NextId(db, "job", "j", &number));
  job.kind = new_job.kind;
  job.state = JobState::kQueued;
  job.summary = new_job.summary;
  job.device_id = new_job.device_id;
  job.board = new_job.board;
  job.created_us = NowUs();
  job.daemon_pid = impl_->pid;
  job.instance_id = impl_->instance_id;
  {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query insert,
        db.Prepare("INSERT INTO jobs (id, n, kind, state, summary, device_id, board, created_us, "
                   "daemon_pid, instance_id) VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?6, ?7, ?8, "
                   "?9)"));
    insert.Bind(1, job.id)
        .Bind(2, number)
        .Bind(3, job.kind)
        .Bind(4, job.summary)
        .Bind(5, job.device_id)
        .Bind(6, job.board)
        .Bind(7, job.created_us)
        .Bind(8, job.daemon_pid)
        .Bind(9, job.instance_id);
    GALE_STORE_RETURN_IF_ERROR(insert.Run());
  }
  GALE_STORE_RETURN_IF_ERROR(transaction.Commit());
  return job;
}

absl::Status Store::UpdateJobState(std::string_view id, JobState state, std::string_view error,
                                   int32_t exit_code) {
  if (state == JobState::kQueued) {
    return absl::FailedPreconditionError(Cat("job ", id, " cannot go back to queued"));
  }
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  int64_t changes = 0;
  {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query update,
        db.Prepare("UPDATE jobs SET state = ?2, "
                   "started_us = CASE WHEN ?2 = 'running' AND started_us = 0 THEN ?3 "
                   "ELSE started_us END, "
                   "finished_us = CASE WHEN ?2 = 'running' THEN 0 ELSE ?3 END, "
                   "error = ?4, exit_code = ?5 "
                   "WHERE id = ?1 AND state IN ('queued', 'running')"));
    update.Bind(1, id)
        .Bind(2, JobStateName(state))
        .Bind(3, NowUs())
        .Bind(4, error)
        .Bind(5, static_cast<int64_t>(exit_code));
    GALE_STORE_RETURN_IF_ERROR(update.Run());
    changes = db.Changes();
  }
  if (changes == 1) {
    return absl::OkStatus();
  }
  GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query query,
                              db.Prepare("SELECT state FROM jobs WHERE id = ?1"));
  query.Bind(1, id);
  GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) {
    return absl::NotFoundError(Cat("no job ", id));
  }
  return absl::FailedPreconditionError(
      Cat("job ", id, " is already ", query.Text(0), "; it cannot become ", JobStateName(state)));
}

absl::StatusOr<Job> Store::GetJob(std::string_view id) {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query query,
      impl_->db->Prepare(Cat("SELECT ", kJobColumns, " FROM jobs WHERE id = ?1")));
  query.Bind(1, id);
  GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) {
    return absl::NotFoundError(Cat("no job ", id, "; `gale jobs` lists them"));
  }
  return ReadJob(query);
}

absl::StatusOr<std::vector<Job>> Store::ListJobs(const JobFilter &filter) {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query query,
      impl_->db->Prepare(Cat("SELECT ", kJobColumns,
                             " FROM jobs WHERE (?1 = '' OR kind = ?1) AND "
                             "(?2 = '' OR state = ?2) ORDER BY n DESC LIMIT ?3")));
  query.Bind(1, filter.kind)
      .Bind(2, filter.state ? JobStateName(*filter.state) : std::string_view())
      .Bind(3, static_cast<int64_t>(EffectiveLimit(filter.limit)));
  std::vector<Job> jobs;
  GALE_STORE_RETURN_IF_ERROR(query.ReadAll(&jobs, ReadJob));
  return jobs;
}

absl::StatusOr<int> Store::MarkInterrupted() {
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  sqlite::Transaction transaction(db);
  GALE_STORE_RETURN_IF_ERROR(transaction.Begin());
  const int64_t now = NowUs();
  int64_t jobs = 0;
  {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query update,
        db.Prepare("UPDATE jobs SET state = 'interrupted', finished_us = ?1, "
                   "error = 'interrupted: the daemon running it (pid ' || daemon_pid || "
                   "') stopped before it finished' "
                   "WHERE state IN ('queued', 'running')"));
    update.Bind(1, now);
    GALE_STORE_RETURN_IF_ERROR(update.Run());
    jobs = db.Changes();
  }
  for (const char *table : {"builds", "test_runs"}) {
    GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query update,
                                db.Prepare(Cat("UPDATE ", table,
                                               " SET state = 'interrupted', finished_us = ?1 "
                                               "WHERE state IN ('queued', 'running')")));
    update.Bind(1, now);
    GALE_STORE_RETURN_IF_ERROR(update.Run());
  }
  GALE_STORE_RETURN_IF_ERROR(transaction.Commit());
  return static_cast<int>(jobs);
}

// --- Job events ---------------------------------------------------------------------------------

absl::StatusOr<uint64_t> Store::AppendEvent(std::string_view job_id, std::string_view kind,
                                            std::string_view payload, int64_t time_us) {
  std::lock_guard lock(impl_->mu);
  // One statement, so the seq is assigned and used atomically; autocommit, so the event is
  // committed (durable against a crash of this process) when this returns. The (job_id, seq)
  // index makes MAX(seq) a single lookup.
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query insert,
      impl_->db->Prepare("INSERT INTO job_events (job_id, seq, time_us, kind, payload) "
                         "VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM job_events "
                         "WHERE job_id = ?1), ?2, ?3, ?4) RETURNING seq"));
  insert.Bind(1, job_id)
      .Bind(2, time_us != 0 ? time_us : NowUs())
      .Bind(3, kind)
      .BindBlob(4, payload);
  absl::StatusOr<bool> row = insert.Step();
  if (!row.ok()) {
    if (sqlite::IsForeignKey(insert.rc())) {
      return absl::NotFoundError(Cat("no job ", job_id, " to append an event to"));
    }
    return row.status();
  }
  return static_cast<uint64_t>(insert.Int64(0));
}

absl::StatusOr<std::vector<Event>> Store::ListEvents(std::string_view job_id, uint64_t after_seq,
                                                     uint32_t limit) {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query query,
      impl_->db->Prepare("SELECT seq, time_us, kind, payload FROM job_events "
                         "WHERE job_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"));
  query.Bind(1, job_id)
      .Bind(2, static_cast<int64_t>(after_seq))
      .Bind(3, limit == 0 ? int64_t{-1} : static_cast<int64_t>(limit));
  std::vector<Event> events;
  GALE_STORE_RETURN_IF_ERROR(query.ReadAll(&events, [job_id](const sqlite::Query &row) {
    return Event{std::string(job_id), static_cast<uint64_t>(row.Int64(0)), row.Int64(1),
                 row.Text(2), row.Blob(3)};
  }));
  return events;
}

absl::StatusOr<uint64_t> Store::LastEventSeq(std::string_view job_id) {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query query,
      impl_->db->Prepare("SELECT COALESCE(MAX(seq), 0) FROM job_events WHERE job_id = ?1"));
  query.Bind(1, job_id);
  GALE_STORE_RETURN_IF_ERROR(query.Step().status());
  return static_cast<uint64_t>(query.Int64(0));
}

// --- Builds -------------------------------------------------------------------------------------

absl::StatusOr<Build> Store::CreateBuild(const NewBuild &new_build) {
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  sqlite::Transaction transaction(db);
  GALE_STORE_RETURN_IF_ERROR(transaction.Begin());
  Build build;
  int64_t number = 0;
  GALE_STORE_ASSIGN_OR_RETURN(build.id, NextId(db, "build", "b", &number));
  build.app_dir = new_build.app_dir;
  build.board = new_build.board;
  build.build_dir = new_build.build_dir;
  build.state = JobState::kRunning;
  build.job_id = new_build.job_id;
  build.started_us = NowUs();
  {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query insert,
        db.Prepare("INSERT INTO builds (id, n, app_dir, board, build_dir, state, job_id, "
                   "started_us) VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6, ?7)"));
    insert.Bind(1, build.id)
        .Bind(2, number)
        .Bind(3, build.app_dir)
        .Bind(4, build.board)
        .Bind(5, build.build_dir)
        .BindOrNull(6, build.job_id)
        .Bind(7, build.started_us);
    absl::Status status = insert.Run();
    if (!status.ok()) {
      if (sqlite::IsForeignKey(insert.rc())) {
        return absl::NotFoundError(
            Cat("no job ", build.job_id, " to record build of ", build.app_dir, " for"));
      }
      return status;
    }
  }
  GALE_STORE_RETURN_IF_ERROR(transaction.Commit());
  return build;
}

absl::Status Store::UpdateBuild(const Build &build) {
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  sqlite::Transaction transaction(db);
  GALE_STORE_RETURN_IF_ERROR(transaction.Begin());
  {
    int64_t finished_us = build.finished_us;
    if (finished_us == 0 && IsTerminal(build.state)) {
      finished_us = NowUs();
    }
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query update,
        db.Prepare("UPDATE builds SET app_dir = ?2, board = ?3, build_dir = ?4, state = ?5, "
                   "job_id = ?6, started_us = ?7, finished_us = ?8, flash_bytes = ?9, "
                   "ram_bytes = ?10 WHERE id = ?1"));
    update.Bind(1, build.id)
        .Bind(2, build.app_dir)
        .Bind(3, build.board)
        .Bind(4, build.build_dir)
        .Bind(5, JobStateName(build.state))
        .BindOrNull(6, build.job_id)
        .Bind(7, build.started_us)
        .Bind(8, finished_us)
        .Bind(9, static_cast<int64_t>(build.flash_bytes))
        .Bind(10, static_cast<int64_t>(build.ram_bytes));
    absl::Status status = update.Run();
    if (!status.ok()) {
      if (sqlite::IsForeignKey(update.rc())) {
        return absl::NotFoundError(Cat("no job ", build.job_id, " for build ", build.id));
      }
      return status;
    }
    if (db.Changes() == 0) {
      return absl::NotFoundError(Cat("no build ", build.id));
    }
  }
  {
    GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query remove,
                                db.Prepare("DELETE FROM artifacts WHERE build_id = ?1"));
    remove.Bind(1, build.id);
    GALE_STORE_RETURN_IF_ERROR(remove.Run());
  }
  for (const Artifact &artifact : build.artifacts) {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query insert,
        db.Prepare("INSERT INTO artifacts (build_id, kind, path, size) VALUES (?1, ?2, ?3, ?4)"));
    insert.Bind(1, build.id)
        .Bind(2, artifact.kind)
        .Bind(3, artifact.path)
        .Bind(4, static_cast<int64_t>(artifact.size));
    GALE_STORE_RETURN_IF_ERROR(insert.Run());
  }
  return transaction.Commit();
}

absl::StatusOr<Build> Store::GetBuild(std::string_view id_or_dir) {
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  Build build;
  {
    // The id wins over a folder of the same name (ids look nothing like absolute paths anyway).
    GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query query,
                                db.Prepare(Cat("SELECT ", kBuildColumns,
                                               " FROM builds WHERE id = ?1 OR build_dir = ?1 "
                                               "ORDER BY id = ?1 DESC, n DESC LIMIT 1")));
    query.Bind(1, id_or_dir);
    GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) {
      return absl::NotFoundError(Cat("no build with id or build folder ", id_or_dir));
    }
    build = ReadBuild(query);
  }
  GALE_STORE_RETURN_IF_ERROR(ReadArtifacts(db, build));
  return build;
}

absl::StatusOr<std::vector<Build>> Store::ListBuilds(const BuildFilter &filter) {
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  std::vector<Build> builds;
  {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query query,
        db.Prepare(Cat("SELECT ", kBuildColumns,
                       " FROM builds WHERE (?1 = '' OR board = ?1) AND "
                       "(?2 = '' OR build_dir = ?2) ORDER BY n DESC LIMIT ?3")));
    query.Bind(1, filter.board)
        .Bind(2, filter.build_dir)
        .Bind(3, static_cast<int64_t>(EffectiveLimit(filter.limit)));
    GALE_STORE_RETURN_IF_ERROR(query.ReadAll(&builds, ReadBuild));
  }
  for (Build &build : builds) {
    GALE_STORE_RETURN_IF_ERROR(ReadArtifacts(db, build));
  }
  return builds;
}

// --- Devices ------------------------------------------------------------------------------------

absl::StatusOr<Device> Store::UpsertDevice(const Device &device) {
  if (device.id.empty()) {
    return absl::InvalidArgumentError("a device needs an id");
  }
  std::string extra = device.extra_json.empty() ? "{}" : device.extra_json;
  nlohmann::json parsed = nlohmann::json::parse(extra, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    return absl::InvalidArgumentError(
        Cat("extra data of device ", device.id, " is not a JSON object: ", extra));
  }
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query upsert,
        db.Prepare("INSERT INTO devices (id, name, board, kind, serial, created_us, "
                   "last_seen_us, tags, extra, tty) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                   "?10) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                   "board = excluded.board, kind = excluded.kind, serial = excluded.serial, "
                   "last_seen_us = excluded.last_seen_us, tags = excluded.tags, "
                   "extra = excluded.extra, tty = excluded.tty"));
    upsert.Bind(1, device.id)
        .Bind(2, device.name)
        .Bind(3, device.board)
        .Bind(4, DeviceKindName(device.kind))
        .Bind(5, device.serial)
        .Bind(6, device.created_us != 0 ? device.created_us : NowUs())
        .Bind(7, device.last_seen_us)
        .Bind(8, EncodeTags(device.tags))
        .Bind(9, extra)
        .Bind(10, device.tty);
    absl::Status status = upsert.Run();
    if (!status.ok()) {
      if (sqlite::IsUnique(upsert.rc())) {
        if (!device.serial.empty() && status.message().find("serial") != std::string::npos) {
          return absl::AlreadyExistsError(Cat("another device already has serial ", device.serial));
        }
        return absl::AlreadyExistsError(
            Cat("another device is already named ", device.name, "; choose another name"));
      }
      return status;
    }
  }
  GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query query, db.Prepare(Cat("SELECT ", kDeviceColumns,
                                                                  " FROM devices WHERE id = ?1")));
  query.Bind(1, device.id);
  GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) {
    return absl::InternalError(Cat("device ", device.id, " vanished after writing it"));
  }
  return ReadDevice(query);
}

absl::StatusOr<Device> Store::GetDevice(std::string_view id_or_name) {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query query,
      impl_->db->Prepare(Cat("SELECT ", kDeviceColumns,
                             " FROM devices WHERE id = ?1 OR (name <> '' AND name = ?1) "
                             "ORDER BY id = ?1 DESC LIMIT 1")));
  query.Bind(1, id_or_name);
  GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) {
    return absl::NotFoundError(
        Cat("no device with id or name ", id_or_name, "; `gale devices` lists them"));
  }
  return ReadDevice(query);
}

absl::StatusOr<std::vector<Device>> Store::ListDevices() {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query query,
      impl_->db->Prepare(Cat("SELECT ", kDeviceColumns, " FROM devices ORDER BY id")));
  std::vector<Device> devices;
  GALE_STORE_RETURN_IF_ERROR(query.ReadAll(&devices, ReadDevice));
  return devices;
}

absl::Status Store::TouchDevice(std::string_view id, int64_t last_seen_us) {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query update,
      impl_->db->Prepare("UPDATE devices SET last_seen_us = ?2 WHERE id = ?1"));
  update.Bind(1, id).Bind(2, last_seen_us != 0 ? last_seen_us : NowUs());
  GALE_STORE_RETURN_IF_ERROR(update.Run());
  if (impl_->db->Changes() == 0) {
    return absl::NotFoundError(Cat("no device ", id));
  }
  return absl::OkStatus();
}

absl::StatusOr<Device> Store::AddDeviceTags(std::string_view id,
                                            const std::vector<std::string> &tags) {
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  sqlite::Transaction transaction(db);
  GALE_STORE_RETURN_IF_ERROR(transaction.Begin());
  Device device;
  {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query query,
        db.Prepare(Cat("SELECT ", kDeviceColumns, " FROM devices WHERE id = ?1")));
    query.Bind(1, id);
    GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) {
      return absl::NotFoundError(Cat("no device ", id, "; `gale devices` lists them"));
    }
    device = ReadDevice(query);
  }
  device.tags.insert(device.tags.end(), tags.begin(), tags.end());
  std::string encoded = EncodeTags(device.tags);
  {
    GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query update,
                                db.Prepare("UPDATE devices SET tags = ?2 WHERE id = ?1"));
    update.Bind(1, id).Bind(2, encoded);
    GALE_STORE_RETURN_IF_ERROR(update.Run());
  }
  GALE_STORE_RETURN_IF_ERROR(transaction.Commit());
  std::set<std::string> unique(device.tags.begin(), device.tags.end());
  unique.erase("");
  device.tags.assign(unique.begin(), unique.end());
  return device;
}

absl::StatusOr<Device> Store::SetDeviceTags(std::string_view id,
                                            const std::vector<std::string> &tags) {
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  {
    GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query update,
                                db.Prepare("UPDATE devices SET tags = ?2 WHERE id = ?1"));
    update.Bind(1, id).Bind(2, EncodeTags(tags));
    GALE_STORE_RETURN_IF_ERROR(update.Run());
  }
  if (db.Changes() == 0) {
    return absl::NotFoundError(Cat("no device ", id, "; `gale devices` lists them"));
  }
  GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query query, db.Prepare(Cat("SELECT ", kDeviceColumns,
                                                                  " FROM devices WHERE id = ?1")));
  query.Bind(1, id);
  GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) {
    return absl::NotFoundError(Cat("no device ", id));
  }
  return ReadDevice(query);
}

absl::Status Store::DeleteDevice(std::string_view id) {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query remove,
                              impl_->db->Prepare("DELETE FROM devices WHERE id = ?1"));
  remove.Bind(1, id);
  GALE_STORE_RETURN_IF_ERROR(remove.Run());
  if (impl_->db->Changes() == 0) {
    return absl::NotFoundError(Cat("no device ", id));
  }
  return absl::OkStatus();
}

// --- Leases -------------------------------------------------------------------------------------

absl::Status Store::PutLease(const LeaseRecord &lease) {
  if (lease.token.empty() || lease.id.empty()) {
    return absl::InvalidArgumentError("a lease needs a token and an id");
  }
  nlohmann::json devices = nlohmann::json::array();
  for (const std::string &device : lease.devices) {
    devices.push_back(device);
  }
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query put,
      impl_->db->Prepare("INSERT INTO leases (token, id, holder, devices, acquired_us, expires_us, "
                         "duration_ms, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                         "ON CONFLICT (token) DO UPDATE SET id = ?2, holder = ?3, devices = ?4, "
                         "acquired_us = ?5, expires_us = ?6, duration_ms = ?7, note = ?8"));
  put.Bind(1, lease.token)
      .Bind(2, lease.id)
      .Bind(3, lease.holder)
      .Bind(4, devices.dump())
      .Bind(5, lease.acquired_us)
      .Bind(6, lease.expires_us)
      .Bind(7, lease.duration_ms)
      .Bind(8, lease.note);
  absl::Status status = put.Run();
  if (!status.ok() && sqlite::IsUnique(put.rc())) {
    return absl::AlreadyExistsError(Cat("another lease has the id ", lease.id));
  }
  return status;
}

absl::Status Store::DeleteLease(std::string_view token) {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query remove,
                              impl_->db->Prepare("DELETE FROM leases WHERE token = ?1"));
  remove.Bind(1, token);
  GALE_STORE_RETURN_IF_ERROR(remove.Run());
  if (impl_->db->Changes() == 0) {
    return absl::NotFoundError("no lease with that token");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Store::DeleteExpiredLeases(int64_t now_us) {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query remove,
                              impl_->db->Prepare("DELETE FROM leases WHERE expires_us <= ?1"));
  remove.Bind(1, now_us);
  GALE_STORE_RETURN_IF_ERROR(remove.Run());
  return static_cast<int>(impl_->db->Changes());
}

absl::StatusOr<std::vector<LeaseRecord>> Store::ListLeases() {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query query,
      impl_->db->Prepare("SELECT token, id, holder, devices, acquired_us, expires_us, duration_ms, "
                         "note FROM leases ORDER BY acquired_us, id"));
  std::vector<LeaseRecord> leases;
  GALE_STORE_RETURN_IF_ERROR(query.ReadAll(&leases, [](const sqlite::Query &row) {
    LeaseRecord lease;
    lease.token = row.Text(0);
    lease.id = row.Text(1);
    lease.holder = row.Text(2);
    nlohmann::json devices =
        nlohmann::json::parse(row.Text(3), nullptr, /*allow_exceptions=*/false);
    if (devices.is_array()) {
      for (const auto &device : devices) {
        if (device.is_string()) {
          lease.devices.push_back(device.get<std::string>());
        }
      }
    }
    lease.acquired_us = row.Int64(4);
    lease.expires_us = row.Int64(5);
    lease.duration_ms = row.Int64(6);
    lease.note = row.Text(7);
    return lease;
  }));
  return leases;
}

// --- Physical devices ---------------------------------------------------------------------------

namespace {

absl::Status CheckDeviceName(std::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError("a device name must not be empty");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Device> Store::BindPhysicalDevice(std::string_view serial, std::string_view board,
                                                 std::string_view name, std::string_view tty) {
  if (serial.empty()) {
    return absl::InvalidArgumentError("binding a device needs the probe's serial number");
  }
  if (board.empty()) {
    return absl::InvalidArgumentError(Cat("binding probe ", serial, " needs a board"));
  }
  GALE_STORE_RETURN_IF_ERROR(CheckDeviceName(name));
  Device device;
  absl::StatusOr<Device> existing = GetDevice(serial);
  if (existing.ok() && existing->id == serial) {
    if (existing->kind != DeviceKind::kPhysical) {
      return absl::AlreadyExistsError(Cat(serial, " is an emulated device's id, not a probe"));
    }
    device = *existing;
  } else if (!existing.ok() && !absl::IsNotFound(existing.status())) {
    return existing.status();
  }
  if (absl::StatusOr<Device> named = GetDevice(name);
      named.ok() && named->id != std::string(serial)) {
    return absl::AlreadyExistsError(
        Cat("another device (", named->id, ") is already named ", name, "; choose another name"));
  }
  device.id = std::string(serial);
  device.serial = std::string(serial);
  device.kind = DeviceKind::kPhysical;
  device.board = std::string(board);
  device.name = std::string(name);
  device.tty = std::string(tty);
  return UpsertDevice(device);
}

absl::StatusOr<Device> Store::RenameDevice(std::string_view id_or_name, std::string_view name) {
  GALE_STORE_RETURN_IF_ERROR(CheckDeviceName(name));
  GALE_STORE_ASSIGN_OR_RETURN(Device device, GetDevice(id_or_name));
  if (absl::StatusOr<Device> named = GetDevice(name); named.ok() && named->id != device.id) {
    return absl::AlreadyExistsError(
        Cat("another device (", named->id, ") is already named ", name, "; choose another name"));
  }
  device.name = std::string(name);
  return UpsertDevice(device);
}

absl::StatusOr<Device> Store::UnbindDevice(std::string_view id_or_name) {
  GALE_STORE_ASSIGN_OR_RETURN(Device device, GetDevice(id_or_name));
  if (device.kind != DeviceKind::kPhysical) {
    return absl::FailedPreconditionError(
        Cat(device.id, " is an emulated device; stop it with `gale emu stop ", device.id, "`"));
  }
  GALE_STORE_RETURN_IF_ERROR(DeleteDevice(device.id));
  return device;
}

absl::StatusOr<std::vector<Device>> Store::ListPhysicalDevices() {
  GALE_STORE_ASSIGN_OR_RETURN(std::vector<Device> all, ListDevices());
  std::vector<Device> physical;
  for (Device &device : all) {
    if (device.kind == DeviceKind::kPhysical) {
      physical.push_back(std::move(device));
    }
  }
  return physical;
}

// --- Test runs ----------------------------------------------------------------------------------

absl::StatusOr<TestRun> Store::CreateTestRun(std::string_view job_id) {
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  sqlite::Transaction transaction(db);
  GALE_STORE_RETURN_IF_ERROR(transaction.Begin());
  TestRun run;
  int64_t number = 0;
  GALE_STORE_ASSIGN_OR_RETURN(run.id, NextId(db, "test_run", "t", &number));
  run.job_id = std::string(job_id);
  run.state = JobState::kRunning;
  run.started_us = NowUs();
  {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query insert, db.Prepare("INSERT INTO test_runs (id, n, job_id, state, started_us) "
                                         "VALUES (?1, ?2, ?3, 'running', ?4)"));
    insert.Bind(1, run.id).Bind(2, number).BindOrNull(3, run.job_id).Bind(4, run.started_us);
    absl::Status status = insert.Run();
    if (!status.ok()) {
      if (sqlite::IsForeignKey(insert.rc())) {
        return absl::NotFoundError(Cat("no job ", job_id, " for a test run"));
      }
      return status;
    }
  }
  GALE_STORE_RETURN_IF_ERROR(transaction.Commit());
  return run;
}

absl::Status Store::AddScenarioResult(std::string_view run_id, const ScenarioResult &result) {
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  sqlite::Transaction transaction(db);
  GALE_STORE_RETURN_IF_ERROR(transaction.Begin());
  {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query insert,
        db.Prepare("INSERT INTO test_results (run_id, scenario, board, status, reason, seconds, "
                   "build_dir, log_path) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    insert.Bind(1, run_id)
        .Bind(2, result.scenario)
        .Bind(3, result.board)
        .Bind(4, result.status)
        .Bind(5, result.reason)
        .Bind(6, result.seconds)
        .Bind(7, result.build_dir)
        .Bind(8, result.log_path);
    absl::Status status = insert.Run();
    if (!status.ok()) {
      if (sqlite::IsForeignKey(insert.rc())) {
        return absl::NotFoundError(Cat("no test run ", run_id));
      }
      if (sqlite::IsUnique(insert.rc())) {
        return absl::AlreadyExistsError(Cat("test run ", run_id, " already has a result for ",
                                            result.scenario, " on ", result.board));
      }
      return status;
    }
  }
  for (const TestCase &test_case : result.cases) {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query insert,
        db.Prepare("INSERT INTO test_cases (run_id, scenario, board, suite, name, status, "
                   "seconds, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    insert.Bind(1, run_id)
        .Bind(2, result.scenario)
        .Bind(3, result.board)
        .Bind(4, test_case.suite)
        .Bind(5, test_case.name)
        .Bind(6, test_case.status)
        .Bind(7, test_case.seconds)
        .Bind(8, test_case.message);
    GALE_STORE_RETURN_IF_ERROR(insert.Run());
  }
  return transaction.Commit();
}

absl::Status Store::FinishTestRun(std::string_view run_id, JobState state,
                                  const TestRunSummary &summary) {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query update,
      impl_->db->Prepare("UPDATE test_runs SET state = ?2, finished_us = ?3, passed = ?4, "
                         "failed = ?5, skipped = ?6, errors = ?7, junit_path = ?8 "
                         "WHERE id = ?1"));
  update.Bind(1, run_id)
      .Bind(2, JobStateName(state))
      .Bind(3, IsTerminal(state) ? NowUs() : int64_t{0})
      .Bind(4, static_cast<int64_t>(summary.passed))
      .Bind(5, static_cast<int64_t>(summary.failed))
      .Bind(6, static_cast<int64_t>(summary.skipped))
      .Bind(7, static_cast<int64_t>(summary.errors))
      .Bind(8, summary.junit_path);
  GALE_STORE_RETURN_IF_ERROR(update.Run());
  if (impl_->db->Changes() == 0) {
    return absl::NotFoundError(Cat("no test run ", run_id));
  }
  return absl::OkStatus();
}

absl::StatusOr<TestRun> Store::GetTestRun(std::string_view id) {
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  TestRun run;
  {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query query,
        db.Prepare(Cat("SELECT ", kTestRunColumns, " FROM test_runs WHERE id = ?1")));
    query.Bind(1, id);
    GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) {
      return absl::NotFoundError(Cat("no test run ", id));
    }
    run = ReadTestRun(query);
  }
  std::map<std::pair<std::string, std::string>, size_t> index;
  {
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query query,
        db.Prepare("SELECT scenario, board, status, reason, seconds, build_dir, log_path "
                   "FROM test_results WHERE run_id = ?1 ORDER BY rowid"));
    query.Bind(1, id);
    for (;;) {
      GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) {
        break;
      }
      ScenarioResult result;
      result.scenario = query.Text(0);
      result.board = query.Text(1);
      result.status = query.Text(2);
      result.reason = query.Text(3);
      result.seconds = query.Double(4);
      result.build_dir = query.Text(5);
      result.log_path = query.Text(6);
      index[{result.scenario, result.board}] = run.scenarios.size();
      run.scenarios.push_back(std::move(result));
    }
  }
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query query,
      db.Prepare("SELECT scenario, board, suite, name, status, seconds, message "
                 "FROM test_cases WHERE run_id = ?1 ORDER BY rowid"));
  query.Bind(1, id);
  for (;;) {
    GALE_STORE_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) {
      break;
    }
    auto it = index.find({query.Text(0), query.Text(1)});
    if (it == index.end()) {
      continue;  // the foreign key makes this impossible
    }
    run.scenarios[it->second].cases.push_back(
        {query.Text(2), query.Text(3), query.Text(4), query.Double(5), query.Text(6)});
  }
  return run;
}

absl::StatusOr<std::vector<TestRun>> Store::ListTestRuns(uint32_t limit) {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query query,
                              impl_->db->Prepare(Cat("SELECT ", kTestRunColumns,
                                                     " FROM test_runs ORDER BY n DESC LIMIT ?1")));
  query.Bind(1, static_cast<int64_t>(EffectiveLimit(limit)));
  std::vector<TestRun> runs;
  GALE_STORE_RETURN_IF_ERROR(query.ReadAll(&runs, ReadTestRun));
  return runs;
}

// --- Logs -------------------------------------------------------------------------------------

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kNone:
      return "none";
    case LogLevel::kError:
      return "err";
    case LogLevel::kWarning:
      return "wrn";
    case LogLevel::kInfo:
      return "inf";
    case LogLevel::kDebug:
      return "dbg";
  }
  return "none";
}

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  static constexpr std::pair<std::string_view, LogLevel> kNames[] = {
      {"none", LogLevel::kNone},    {"err", LogLevel::kError},   {"error", LogLevel::kError},
      {"wrn", LogLevel::kWarning},  {"warning", LogLevel::kWarning},
      {"warn", LogLevel::kWarning}, {"inf", LogLevel::kInfo},    {"info", LogLevel::kInfo},
      {"dbg", LogLevel::kDebug},    {"debug", LogLevel::kDebug},
  };
  for (const auto &[text, level] : kNames) {
    if (text == name) {
      return level;
    }
  }
  return std::nullopt;
}

absl::Status Store::AppendLogs(std::vector<LogRecord> &records) {
  for (const LogRecord &record : records) {
    int level = static_cast<int>(record.level);
    if (level < 0 || level > 4) {
      return absl::InvalidArgumentError(Cat("log record with level ", level, " (0..4)"));
    }
  }
  std::lock_guard lock(impl_->mu);
  sqlite::Db &db = *impl_->db;
  sqlite::Transaction transaction(db);
  GALE_STORE_RETURN_IF_ERROR(transaction.Begin());
  for (LogRecord &record : records) {
    if (record.time_us == 0) {
      record.time_us = NowUs();
    }
    GALE_STORE_ASSIGN_OR_RETURN(
        sqlite::Query insert,
        db.Prepare("INSERT INTO logs (time_us, target_time, level, module, message, device_id, "
                   "source, build, job_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                   "RETURNING id"));
    insert.Bind(1, record.time_us)
        .Bind(2, record.target_time)
        .Bind(3, static_cast<int64_t>(record.level))
        .Bind(4, record.module)
        .Bind(5, record.message)
        .Bind(6, record.device_id)
        .Bind(7, record.source)
        .Bind(8, record.build)
        .Bind(9, record.job_id);
    GALE_STORE_ASSIGN_OR_RETURN(bool row, insert.Step());
    if (row) {
      record.id = static_cast<uint64_t>(insert.Int64(0));
    }
    GALE_STORE_RETURN_IF_ERROR(insert.Run());
  }
  return transaction.Commit();
}

absl::StatusOr<std::vector<LogRecord>> Store::QueryLogs(const LogFilter &filter) {
  std::lock_guard lock(impl_->mu);
  std::string sql =
      "SELECT id, time_us, target_time, level, module, message, device_id, source, build, "
      "job_id FROM logs WHERE id > ?1 AND (?2 = '' OR device_id = ?2) AND (?3 = 0 OR level <= ?3) "
      "AND (?4 = '' OR module = ?4) AND (?5 = '' OR job_id = ?5) AND time_us >= ?6 "
      "AND (?7 = 0 OR time_us < ?7)";
  sql += filter.newest ? " ORDER BY id DESC LIMIT ?8" : " ORDER BY id LIMIT ?8";
  GALE_STORE_ASSIGN_OR_RETURN(sqlite::Query query, impl_->db->Prepare(sql));
  query.Bind(1, static_cast<int64_t>(filter.after_id))
      .Bind(2, filter.device_id)
      .Bind(3, static_cast<int64_t>(filter.max_level))
      .Bind(4, filter.module)
      .Bind(5, filter.job_id)
      .Bind(6, filter.since_us)
      .Bind(7, filter.until_us)
      .Bind(8, static_cast<int64_t>(filter.limit == 0 ? 1000 : filter.limit));
  std::vector<LogRecord> records;
  GALE_STORE_RETURN_IF_ERROR(query.ReadAll(&records, [](const sqlite::Query &row) {
    LogRecord record;
    record.id = static_cast<uint64_t>(row.Int64(0));
    record.time_us = row.Int64(1);
    record.target_time = row.Text(2);
    record.level = static_cast<LogLevel>(row.Int64(3));
    record.module = row.Text(4);
    record.message = row.Text(5);
    record.device_id = row.Text(6);
    record.source = row.Text(7);
    record.build = row.Text(8);
    record.job_id = row.Text(9);
    return record;
  }));
  if (filter.newest) {
    std::reverse(records.begin(), records.end());
  }
  return records;
}

absl::Status Store::AppendAudit(AuditRecord &record) {
  if (record.time_us == 0) {
    record.time_us = NowUs();
  }
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query insert,
      impl_->db->Prepare("INSERT INTO audit (time_us, duration_us, caller, role, remote, peer, "
                         "method, target, code, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                         "?9, ?10) RETURNING id"));
  insert.Bind(1, record.time_us)
      .Bind(2, record.duration_us)
      .Bind(3, record.caller)
      .Bind(4, record.role)
      .Bind(5, static_cast<int64_t>(record.remote ? 1 : 0))
      .Bind(6, record.peer)
      .Bind(7, record.method)
      .Bind(8, record.target)
      .Bind(9, static_cast<int64_t>(record.code))
      .Bind(10, record.message);
  GALE_STORE_ASSIGN_OR_RETURN(bool row, insert.Step());
  if (row) {
    record.id = static_cast<uint64_t>(insert.Int64(0));
  }
  return insert.Run();
}

absl::StatusOr<std::vector<AuditRecord>> Store::ListAudit(const AuditFilter &filter) {
  std::lock_guard lock(impl_->mu);
  GALE_STORE_ASSIGN_OR_RETURN(
      sqlite::Query query,
      impl_->db->Prepare("SELECT id, time_us, duration_us, caller, role, remote, peer, method, "
                         "target, code, message FROM audit WHERE (?1 = '' OR caller = ?1) AND "
                         "(?2 = '' OR method = ?2) ORDER BY id DESC LIMIT ?3"));
  query.Bind(1, filter.caller)
      .Bind(2, filter.method)
      .Bind(3, static_cast<int64_t>(filter.limit == 0 ? kDefaultLimit : filter.limit));
  std::vector<AuditRecord> records;
  GALE_STORE_RETURN_IF_ERROR(query.ReadAll(&records, [](const sqlite::Query &row) {
    AuditRecord record;
    record.id = static_cast<uint64_t>(row.Int64(0));
    record.time_us = row.Int64(1);
    record.duration_us = row.Int64(2);
    record.caller = row.Text(3);
    record.role = row.Text(4);
    record.remote = row.Int64(5) != 0;
    record.peer = row.Text(6);
    record.method = row.Text(7);
    record.target = row.Text(8);
    record.code = static_cast<int32_t>(row.Int64(9));
    record.message = row.Text(10);
    return record;
  }));
  return records;
}

}  // namespace gale::store
