// galed's job manager: runs long operations (builds, flashes, test runs) on worker threads within
// resource limits, records each as a job in the store with its event log, fans events out to
// live watchers, and cancels on request.
//
// Threading: every method may be called from any thread. Each running job has its own thread; a
// job waits in the queue until every resource it needs has a free slot (FIFO, but a job whose
// resources are busy does not hold back later jobs whose resources are free).
//
// Resources: a job needs one slot of each of these keys while it runs:
//   - its kind ("build", "flash", "test", ...);
//   - "device:<device_id>" when it names a device;
//   - the keys in JobSpec::resources.
// A key's class is the part before ':' (the whole key when there is none). Limits::slots gives
// each class's slots per key: {"build": 2} lets two build jobs run at once; {"device": 1} lets
// one job at a time use each device. Classes not listed are unlimited. A running job may also
// take slots for a while (JobContext::Acquire), e.g. a test job building its scenarios shares the
// "build" slots with build jobs.
#ifndef GALE_JOBS_JOB_MANAGER_H_
#define GALE_JOBS_JOB_MANAGER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gale/jobs/cancel.h"
#include "gale/store/records.h"
#include "gale/store/store.h"

namespace gale::jobs {

namespace internal {
struct ActiveJob;   // a queued or running job
struct Channel;     // a running job's live watchers
struct WatchQueue;  // one watcher's live events
}  // namespace internal

/// How many jobs may hold a slot of a resource at once, by resource class.
struct Limits {
  std::map<std::string, unsigned> slots;  ///< class -> slots per key (0 counts as 1)

  /// {"build": number of cores, "device": 1}.
  static Limits Default();
};

/// What to run, as recorded in the job (gale.v1.Job).
struct JobSpec {
  std::string kind;       ///< "build", "run", "flash", "test", "config"
  std::string summary;    ///< e.g. "build samples/hello_world for qemu_cortex_m3"
  std::string device_id;  ///< when set, the job needs "device:<device_id>"
  std::string board;
  std::vector<std::string> resources;  ///< more resource keys the job needs while it runs
};

/// How the work ended. The manager records it; see JobManager for the final state.
struct JobOutcome {
  store::JobState state = store::JobState::kSucceeded;  ///< succeeded, failed or cancelled
  std::string error;                                    ///< one line a user can act on
  int32_t exit_code = 0;                                ///< the target's exit code for runs
  std::string detail;  ///< opaque bytes for Options::result_event (e.g. a serialized summary)

  static JobOutcome Succeeded(int32_t exit_code = 0, std::string detail = {});
  static JobOutcome Failed(std::string error, int32_t exit_code = 0, std::string detail = {});
  static JobOutcome Cancelled(std::string error = "cancelled");
};

class JobManager;

/// Slots taken with JobContext::Acquire, given back on destruction (or Release()).
class ResourceLease {
 public:
  ResourceLease() = default;
  ~ResourceLease() { Release(); }
  ResourceLease(ResourceLease &&other) noexcept;
  ResourceLease &operator=(ResourceLease &&other) noexcept;
  ResourceLease(const ResourceLease &) = delete;
  ResourceLease &operator=(const ResourceLease &) = delete;

  void Release();

 private:
  friend class JobManager;
  ResourceLease(JobManager *manager, std::string key) : manager_(manager), key_(std::move(key)) {}
  JobManager *manager_ = nullptr;
  std::string key_;
};

/// What a running job's work sees. Valid while the work function runs.
class JobContext {
 public:
  const std::string &job_id() const;
  const JobSpec &spec() const;
  const CancelToken &token() const;
  bool cancelled() const;

  /// Appends an event to the job's log (store, committed) and hands it to every live watcher,
  /// in seq order. May be called from several threads of the job at once.
  /// @returns the event's seq.
  /// @retval FailedPrecondition the job has ended.
  /// @retval other the store's error (the event was not recorded).
  absl::StatusOr<uint64_t> Emit(std::string_view kind, std::string_view payload);

  /// Waits for a slot of resource `key` and holds it until the lease goes. Returns at once with
  /// an empty lease when the job already holds `key`.
  /// @retval Cancelled the job was cancelled while waiting.
  absl::StatusOr<ResourceLease> Acquire(const std::string &key);

 private:
  friend class JobManager;
  JobContext(JobManager &manager, internal::ActiveJob &job) : manager_(manager), job_(job) {}
  JobManager &manager_;
  internal::ActiveJob &job_;
};

/// The work of a job. It should poll ctx.cancelled() or register a CancelCallback, and return
/// soon after cancellation. Exceptions are caught and recorded as a failure.
using WorkFn = std::function<JobOutcome(JobContext &ctx)>;

/// A watcher of one job's events: first the stored ones after `after_seq`, then live ones as
/// they are emitted, each exactly once and in seq order, then the end. A watcher that reads
/// slowly never blocks the job: when it falls far behind, it catches up from the store.
class Subscription {
 public:
  enum class Next {
    kEvent,    ///< *event holds the next event
    kTimeout,  ///< nothing new within the timeout; the job still runs
    kEnd,      ///< the job has ended and every event was delivered
    kClosed,   ///< Close() was called
    kError,    ///< reading the store failed; see error()
  };

  ~Subscription();
  Subscription(const Subscription &) = delete;
  Subscription &operator=(const Subscription &) = delete;

  /// Waits up to `timeout` for the next event.
  /// @pre one thread at a time (the watcher's).
  Next Wait(store::Event *event,
            std::chrono::milliseconds timeout = std::chrono::milliseconds::max());
  /// Ends the subscription and wakes Wait (for instance when the client went away).
  /// @pre any thread.
  void Close();
  absl::Status error() const { return error_; }
  const std::string &job_id() const { return job_id_; }

 private:
  friend class JobManager;
  Subscription(store::Store &store, std::string job_id, uint64_t after_seq,
               std::shared_ptr<internal::WatchQueue> queue,
               std::shared_ptr<internal::Channel> channel);

  store::Store &store_;
  std::string job_id_;
  uint64_t delivered_ = 0;          // seq of the last event handed out
  std::vector<store::Event> page_;  // read from the store, not yet handed out
  size_t page_pos_ = 0;
  std::shared_ptr<internal::WatchQueue> queue_;
  std::shared_ptr<internal::Channel> channel_;  // null for a job that had ended
  absl::Status error_;
};

class JobManager {
 public:
  struct Options {
    Limits limits = Limits::Default();
    /// When set, called once as each job ends with its final record (terminal state, error,
    /// exit code, finished time) and JobOutcome::detail; what it returns is appended as the
    /// job's last event, of kind "result", before the final state is stored. (galed encodes a
    /// JobEvent with a JobResult there.) It must not call into the manager.
    std::function<std::string(const store::Job &final_job, const std::string &detail)> result_event;
    /// Live events a watcher may fall behind by before it reads from the store instead.
    size_t watcher_queue_limit = 10000;
  };

  /// `store` must outlive the manager.
  JobManager(store::Store &store, Options options);
  explicit JobManager(store::Store &store) : JobManager(store, Options()) {}
  /// Shutdown().
  ~JobManager();
  JobManager(const JobManager &) = delete;
  JobManager &operator=(const JobManager &) = delete;

  /// Records a queued job and runs `work` on its own thread when its resources are free: the job
  /// becomes running, then ends in the state the outcome gives, except that a job cancelled
  /// (its token) ends cancelled with the cancel reason as its error unless the work succeeded
  /// anyway, and a job whose work throws ends failed.
  /// @pre not from inside Options::result_event.
  /// @returns the job id.
  /// @retval Unavailable after Shutdown().
  /// @retval other the store's error.
  absl::StatusOr<std::string> Submit(JobSpec spec, WorkFn work);

  /// Cancels a job: a queued one ends cancelled at once without running; a running one has its
  /// token cancelled (its callbacks run on this thread) and ends when its work returns.
  /// Cancelling an ended job does nothing.
  /// @retval NotFound no such job.
  absl::Status Cancel(std::string_view job_id, std::string reason = "cancelled by request");

  /// Watches a job's events with seq > after_seq (see Subscription). Works for ended jobs too
  /// (stored events, then the end).
  /// @retval NotFound no such job.
  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(std::string_view job_id,
                                                          uint64_t after_seq = 0);

  /// Waits until the job has ended. @returns its final record.
  /// @retval NotFound no such job.
  absl::StatusOr<store::Job> Wait(std::string_view job_id);

  /// Refuses new jobs, cancels every queued and running job (reason "galed is shutting down")
  /// and waits for the running ones to return (a work function that ignores its token blocks
  /// this). Idempotent.
  /// @pre not from a job's work function.
  void Shutdown();

  store::Store &store() { return store_; }

 private:
  friend class JobContext;
  friend class ResourceLease;
  using ActiveJob = internal::ActiveJob;

  unsigned SlotsFor(const std::string &key) const;
  bool Free(const std::vector<std::string> &keys) const;  // mu_ held
  void Take(const std::vector<std::string> &keys);        // mu_ held
  void Give(const std::vector<std::string> &keys);        // mu_ held
  void Dispatch();  // mu_ held: starts every queued job whose resources are free
  void Run(std::shared_ptr<ActiveJob> job);
  void Finish(ActiveJob &job, JobOutcome outcome);
  void Retire(const std::shared_ptr<ActiveJob> &job);
  absl::StatusOr<uint64_t> Emit(ActiveJob &job, std::string_view kind, std::string_view payload);
  absl::StatusOr<ResourceLease> Acquire(ActiveJob &job, const std::string &key);
  void ReleaseKey(const std::string &key);
  void JoinFinishedThreads();

  store::Store &store_;
  Options options_;

  std::mutex mu_;
  std::condition_variable_any changed_;  // a slot was given back, or a job ended
  bool shutting_down_ = false;
  std::deque<std::shared_ptr<ActiveJob>> queue_;  // waiting for resources, in submit order
  std::map<std::string, std::shared_ptr<ActiveJob>, std::less<>> active_;  // queued or running
  std::map<std::string, unsigned> in_use_;     // resource key -> slots taken
  std::vector<std::thread> finished_threads_;  // threads of ended jobs, to be joined
};

}  // namespace gale::jobs

#endif  // GALE_JOBS_JOB_MANAGER_H_
