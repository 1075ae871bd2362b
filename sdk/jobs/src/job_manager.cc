#include "gale/jobs/job_manager.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <set>
#include <utility>

namespace gale::jobs {

namespace internal {

struct WatchQueue {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<store::Event> live;  // events emitted since registration, all with seq > store_until
  uint64_t store_until = 0;       // events up to this seq are read from the store
  bool ended = false;             // the job ended: nothing will be added
  bool closed = false;            // Subscription::Close
};

struct Channel {
  std::mutex mu;  // held while an event is appended and handed out, so both happen in seq order
  bool closed = false;  // the job ended; every event is in the store
  std::vector<std::shared_ptr<WatchQueue>> watchers;
};

struct ActiveJob {
  std::string id;
  JobSpec spec;
  WorkFn work;
  CancelToken token;
  std::vector<std::string> keys;  // resource keys held while running, sorted, unique
  std::shared_ptr<Channel> channel = std::make_shared<Channel>();
  // Guarded by JobManager::mu_.
  bool started = false;
  std::thread thread;
  // Completion.
  std::mutex done_mu;
  std::condition_variable done_cv;
  bool done = false;
  store::Job final_job;
};

}  // namespace internal

namespace {

using store::JobState;

constexpr uint32_t kStorePage = 1000;  // events a watcher reads from the store at a time
constexpr const char *kShutdownReason = "galed is shutting down";

std::string ResourceClass(const std::string &key) {
  return key.substr(0, key.find(':'));
}

std::vector<std::string> KeysOf(const JobSpec &spec) {
  std::set<std::string> keys(spec.resources.begin(), spec.resources.end());
  if (!spec.kind.empty()) {
    keys.insert(spec.kind);
  }
  if (!spec.device_id.empty()) {
    keys.insert("device:" + spec.device_id);
  }
  keys.erase("");
  return {keys.begin(), keys.end()};
}

}  // namespace

// --- Small types --------------------------------------------------------------------------------

Limits Limits::Default() {
  Limits limits;
  limits.slots["build"] = std::max(1u, std::thread::hardware_concurrency());
  limits.slots["device"] = 1;
  return limits;
}

JobOutcome JobOutcome::Succeeded(int32_t exit_code, std::string detail) {
  return {JobState::kSucceeded, "", exit_code, std::move(detail)};
}

JobOutcome JobOutcome::Failed(std::string error, int32_t exit_code, std::string detail) {
  return {JobState::kFailed, std::move(error), exit_code, std::move(detail)};
}

JobOutcome JobOutcome::Cancelled(std::string error) {
  return {JobState::kCancelled, std::move(error), 0, ""};
}

ResourceLease::ResourceLease(ResourceLease &&other) noexcept
    : manager_(std::exchange(other.manager_, nullptr)), key_(std::move(other.key_)) {}

ResourceLease &ResourceLease::operator=(ResourceLease &&other) noexcept {
  if (this != &other) {
    Release();
    manager_ = std::exchange(other.manager_, nullptr);
    key_ = std::move(other.key_);
  }
  return *this;
}

void ResourceLease::Release() {
  if (manager_ != nullptr) {
    std::exchange(manager_, nullptr)->ReleaseKey(key_);
  }
}

// --- JobContext ---------------------------------------------------------------------------------

const std::string &JobContext::job_id() const {
  return job_.id;
}
const JobSpec &JobContext::spec() const {
  return job_.spec;
}
const CancelToken &JobContext::token() const {
  return job_.token;
}
bool JobContext::cancelled() const {
  return job_.token.cancelled();
}

absl::StatusOr<uint64_t> JobContext::Emit(std::string_view kind, std::string_view payload) {
  return manager_.Emit(job_, kind, payload);
}

absl::StatusOr<ResourceLease> JobContext::Acquire(const std::string &key) {
  return manager_.Acquire(job_, key);
}

// --- Subscription -------------------------------------------------------------------------------

Subscription::Subscription(store::Store &store, std::string job_id, uint64_t after_seq,
                           std::shared_ptr<internal::WatchQueue> queue,
                           std::shared_ptr<internal::Channel> channel)
    : store_(store),
      job_id_(std::move(job_id)),
      delivered_(after_seq),
      queue_(std::move(queue)),
      channel_(std::move(channel)) {}

Subscription::~Subscription() {
  if (channel_ != nullptr) {
    std::lock_guard lock(channel_->mu);
    std::erase(channel_->watchers, queue_);
  }
}

void Subscription::Close() {
  {
    std::lock_guard lock(queue_->mu);
    queue_->closed = true;
  }
  queue_->cv.notify_all();
}

Subscription::Next Subscription::Wait(store::Event *event, std::chrono::milliseconds timeout) {
  for (;;) {
    if (page_pos_ < page_.size()) {
      *event = std::move(page_[page_pos_++]);
      delivered_ = event->seq;
      return Next::kEvent;
    }
    page_.clear();
    page_pos_ = 0;

    std::unique_lock lock(queue_->mu);
    if (queue_->closed) {
      return Next::kClosed;
    }
    if (delivered_ < queue_->store_until) {
      // Everything up to store_until is committed: read the next page of it without the lock,
      // so the job's emits never wait for the store on our behalf.
      uint64_t until = queue_->store_until;
      lock.unlock();
      auto count = static_cast<uint32_t>(std::min<uint64_t>(kStorePage, until - delivered_));
      absl::StatusOr<std::vector<store::Event>> events =
          store_.ListEvents(job_id_, delivered_, count);
      if (!events.ok()) {
        error_ = events.status();
        return Next::kError;
      }
      if (events->empty()) {
        error_ = absl::DataLossError("the event log of job " + job_id_ + " lost events after " +
                                     std::to_string(delivered_));
        return Next::kError;
      }
      page_ = std::move(*events);
      continue;
    }
    while (!queue_->live.empty() && queue_->live.front().seq <= delivered_) {
      queue_->live.pop_front();  // before after_seq
    }
    if (!queue_->live.empty()) {
      *event = std::move(queue_->live.front());
      queue_->live.pop_front();
      delivered_ = event->seq;
      return Next::kEvent;
    }
    if (queue_->ended) {
      return Next::kEnd;
    }
    auto ready = [this] {
      return queue_->closed || queue_->ended || !queue_->live.empty() ||
             delivered_ < queue_->store_until;
    };
    if (timeout == std::chrono::milliseconds::max()) {
      queue_->cv.wait(lock, ready);
    } else if (!queue_->cv.wait_for(lock, timeout, ready)) {
      return Next::kTimeout;
    }
  }
}

// --- JobManager ---------------------------------------------------------------------------------

JobManager::JobManager(store::Store &store, Options options)
    : store_(store), options_(std::move(options)) {}

JobManager::~JobManager() {
  Shutdown();
}

unsigned JobManager::SlotsFor(const std::string &key) const {
  auto it = options_.limits.slots.find(ResourceClass(key));
  if (it == options_.limits.slots.end()) {
    return std::numeric_limits<unsigned>::max();
  }
  return std::max(1u, it->second);
}

bool JobManager::Free(const std::vector<std::string> &keys) const {
  for (const std::string &key : keys) {
    auto it = in_use_.find(key);
    if (it != in_use_.end() && it->second >= SlotsFor(key)) {
      return false;
    }
  }
  return true;
}

void JobManager::Take(const std::vector<std::string> &keys) {
  for (const std::string &key : keys) {
    ++in_use_[key];
  }
}

void JobManager::Give(const std::vector<std::string> &keys) {
  for (const std::string &key : keys) {
    auto it = in_use_.find(key);
    if (it != in_use_.end() && --it->second == 0) {
      in_use_.erase(it);
    }
  }
}

void JobManager::Dispatch() {
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (!Free((*it)->keys)) {
      ++it;
      continue;
    }
    std::shared_ptr<ActiveJob> job = *it;
    it = queue_.erase(it);
    Take(job->keys);
    job->started = true;
    job->thread = std::thread(&JobManager::Run, this, job);
  }
}

absl::StatusOr<std::string> JobManager::Submit(JobSpec spec, WorkFn work) {
  if (!work) {
    return absl::InvalidArgumentError("a job needs a work function");
  }
  JoinFinishedThreads();
  {
    std::lock_guard lock(mu_);
    if (shutting_down_) {
      return absl::UnavailableError(std::string(kShutdownReason) + "; it takes no new jobs");
    }
  }
  absl::StatusOr<store::Job> record =
      store_.CreateJob({spec.kind, spec.summary, spec.device_id, spec.board});
  if (!record.ok()) {
    return record.status();
  }
  auto job = std::make_shared<ActiveJob>();
  job->id = record->id;
  job->keys = KeysOf(spec);
  job->spec = std::move(spec);
  job->work = std::move(work);
  {
    std::lock_guard lock(mu_);
    if (!shutting_down_) {
      active_[job->id] = job;
      queue_.push_back(job);
      Dispatch();
      return job->id;
    }
  }
  // Shutdown began while the job was being recorded: it ends here without running.
  job->token.Cancel(kShutdownReason);
  Finish(*job, JobOutcome::Cancelled(kShutdownReason));
  return absl::UnavailableError(std::string(kShutdownReason) + "; it takes no new jobs");
}

void JobManager::Run(std::shared_ptr<ActiveJob> job) {
  JobOutcome outcome;
  absl::Status running = store_.UpdateJobState(job->id, JobState::kRunning);
  if (!running.ok()) {
    outcome = JobOutcome::Failed("could not record the job as running: " +
                                 std::string(running.message()));
  } else if (job->token.cancelled()) {
    outcome = JobOutcome::Cancelled(job->token.reason());
  } else {
    JobContext context(*this, *job);
    try {
      outcome = job->work(context);
    } catch (const std::exception &e) {
      outcome = JobOutcome::Failed(std::string("internal error: ") + e.what());
    } catch (...) {
      outcome = JobOutcome::Failed("internal error: unknown exception");
    }
  }
  job->work = nullptr;  // let go of what the work captured before anyone waits on us
  Finish(*job, std::move(outcome));
  Retire(job);
}

void JobManager::Finish(ActiveJob &job, JobOutcome outcome) {
  JobState state = outcome.state;
  std::string error = std::move(outcome.error);
  if (state != JobState::kSucceeded && state != JobState::kFailed &&
      state != JobState::kCancelled) {
    error = "internal error: the work ended in state " + std::string(store::JobStateName(state));
    state = JobState::kFailed;
  }
  if (job.token.cancelled() && state != JobState::kSucceeded) {
    // Whatever the work saw ("killed by signal 9"), the reason is what the user wants to read.
    state = JobState::kCancelled;
    error = job.token.reason();
  }
  if (state == JobState::kCancelled && error.empty()) {
    error = "cancelled";
  }

  store::Job final_job;
  {
    std::lock_guard lock(job.channel->mu);
    absl::StatusOr<store::Job> record = store_.GetJob(job.id);
    if (record.ok()) {
      final_job = *std::move(record);
    } else {
      final_job.id = job.id;
      final_job.kind = job.spec.kind;
    }
    final_job.state = state;
    final_job.error = error;
    final_job.exit_code = outcome.exit_code;
    final_job.finished_us = store::NowUs();
    if (options_.result_event) {
      std::string payload;
      try {
        payload = options_.result_event(final_job, outcome.detail);
      } catch (...) {
        payload.clear();
      }
      // The result is in the log before the job is marked ended: whoever sees it ended can
      // read its result. A store failure here leaves the log without one; watchers then end
      // without a result event and must fall back on the job record.
      const int64_t time_us = store::NowUs();
      absl::StatusOr<uint64_t> seq = store_.AppendEvent(job.id, "result", payload, time_us);
      if (seq.ok()) {
        store::Event event{job.id, *seq, time_us, "result", payload};
        for (const std::shared_ptr<internal::WatchQueue> &queue : job.channel->watchers) {
          std::lock_guard queue_lock(queue->mu);
          queue->live.push_back(event);
        }
      }
    }
    // Nothing more to do on failure: the record stays running and the next daemon start marks
    // it interrupted.
    (void)store_.UpdateJobState(job.id, state, error, outcome.exit_code);
    job.channel->closed = true;
    for (const std::shared_ptr<internal::WatchQueue> &queue : job.channel->watchers) {
      {
        std::lock_guard queue_lock(queue->mu);
        queue->ended = true;
      }
      queue->cv.notify_all();
    }
    job.channel->watchers.clear();
  }
  absl::StatusOr<store::Job> record = store_.GetJob(job.id);
  if (record.ok()) {
    final_job = *std::move(record);
  }
  {
    std::lock_guard lock(job.done_mu);
    job.final_job = std::move(final_job);
    job.done = true;
  }
  job.done_cv.notify_all();
}

void JobManager::Retire(const std::shared_ptr<ActiveJob> &job) {
  std::lock_guard lock(mu_);
  if (job->started) {
    Give(job->keys);
    finished_threads_.push_back(std::move(job->thread));
  }
  active_.erase(job->id);
  Dispatch();
  changed_.notify_all();
}

void JobManager::JoinFinishedThreads() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    threads.swap(finished_threads_);
  }
  for (std::thread &thread : threads) {
    // The thread is past Retire: it only has to return.
    if (thread.get_id() == std::this_thread::get_id()) {
      thread.detach();
    } else if (thread.joinable()) {
      thread.join();
    }
  }
}

absl::StatusOr<uint64_t> JobManager::Emit(ActiveJob &job, std::string_view kind,
                                          std::string_view payload) {
  std::lock_guard lock(job.channel->mu);
  if (job.channel->closed) {
    return absl::FailedPreconditionError("job " + job.id + " has ended; its log is closed");
  }
  const int64_t time_us = store::NowUs();
  absl::StatusOr<uint64_t> seq = store_.AppendEvent(job.id, kind, payload, time_us);
  if (!seq.ok()) {
    return seq.status();
  }
  store::Event event{job.id, *seq, time_us, std::string(kind), std::string(payload)};
  for (const std::shared_ptr<internal::WatchQueue> &queue : job.channel->watchers) {
    {
      std::lock_guard queue_lock(queue->mu);
      if (queue->closed) {
        continue;
      }
      if (queue->live.size() >= options_.watcher_queue_limit) {
        // The watcher is far behind: drop what it has not read and let it read up to here
        // from the store, where all of it already is.
        queue->live.clear();
        queue->store_until = *seq;
      } else {
        queue->live.push_back(event);
      }
    }
    queue->cv.notify_all();
  }
  return *seq;
}

absl::StatusOr<ResourceLease> JobManager::Acquire(ActiveJob &job, const std::string &key) {
  if (std::binary_search(job.keys.begin(), job.keys.end(), key)) {
    return ResourceLease();
  }
  std::unique_lock lock(mu_);
  bool free = changed_.wait(lock, job.token.stop_token(), [&] {
    auto it = in_use_.find(key);
    return it == in_use_.end() || it->second < SlotsFor(key);
  });
  if (!free) {
    return absl::CancelledError("job " + job.id + " was cancelled while waiting for " + key);
  }
  ++in_use_[key];
  return ResourceLease(this, key);
}

void JobManager::ReleaseKey(const std::string &key) {
  std::lock_guard lock(mu_);
  Give({key});
  Dispatch();
  changed_.notify_all();
}

absl::Status JobManager::Cancel(std::string_view job_id, std::string reason) {
  std::shared_ptr<ActiveJob> job;
  bool was_queued = false;
  {
    std::lock_guard lock(mu_);
    auto it = active_.find(job_id);
    if (it != active_.end()) {
      job = it->second;
      // Only the one who takes a job out of the queue ends it (Shutdown may race us).
      was_queued = !job->started && std::erase(queue_, job) > 0;
    }
  }
  if (job == nullptr) {
    absl::StatusOr<store::Job> record = store_.GetJob(job_id);
    return record.ok() ? absl::OkStatus() : record.status();
  }
  job->token.Cancel(std::move(reason));
  if (was_queued) {
    Finish(*job, JobOutcome::Cancelled(job->token.reason()));
    Retire(job);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Subscription>> JobManager::Subscribe(std::string_view job_id,
                                                                    uint64_t after_seq) {
  std::shared_ptr<ActiveJob> job;
  {
    std::lock_guard lock(mu_);
    auto it = active_.find(job_id);
    if (it != active_.end()) {
      job = it->second;
    }
  }
  auto queue = std::make_shared<internal::WatchQueue>();
  if (job == nullptr) {
    absl::StatusOr<store::Job> record = store_.GetJob(job_id);
    if (!record.ok()) {
      return record.status();
    }
    absl::StatusOr<uint64_t> last = store_.LastEventSeq(job_id);
    if (!last.ok()) {
      return last.status();
    }
    queue->store_until = *last;
    queue->ended = true;
    return std::unique_ptr<Subscription>(
        new Subscription(store_, std::string(job_id), after_seq, queue, nullptr));
  }
  // Under the channel lock no event can be appended, so every event is either at or below
  // store_until (read from the store) or handed to the queue: no gap, no duplicate.
  std::lock_guard lock(job->channel->mu);
  absl::StatusOr<uint64_t> last = store_.LastEventSeq(job->id);
  if (!last.ok()) {
    return last.status();
  }
  queue->store_until = *last;
  if (job->channel->closed) {
    queue->ended = true;
    return std::unique_ptr<Subscription>(
        new Subscription(store_, job->id, after_seq, queue, nullptr));
  }
  job->channel->watchers.push_back(queue);
  return std::unique_ptr<Subscription>(
      new Subscription(store_, job->id, after_seq, queue, job->channel));
}

absl::StatusOr<store::Job> JobManager::Wait(std::string_view job_id) {
  std::shared_ptr<ActiveJob> job;
  {
    std::lock_guard lock(mu_);
    auto it = active_.find(job_id);
    if (it != active_.end()) {
      job = it->second;
    }
  }
  if (job == nullptr) {
    return store_.GetJob(job_id);
  }
  std::unique_lock lock(job->done_mu);
  job->done_cv.wait(lock, [&] { return job->done; });
  return job->final_job;
}

void JobManager::Shutdown() {
  std::vector<std::shared_ptr<ActiveJob>> queued;
  std::vector<std::shared_ptr<ActiveJob>> running;
  {
    std::lock_guard lock(mu_);
    shutting_down_ = true;
    queued.assign(queue_.begin(), queue_.end());
    queue_.clear();
    for (const auto &[id, job] : active_) {
      if (job->started) {
        running.push_back(job);
      }
    }
  }
  for (const std::shared_ptr<ActiveJob> &job : queued) {
    job->token.Cancel(kShutdownReason);
    Finish(*job, JobOutcome::Cancelled(kShutdownReason));
    Retire(job);
  }
  for (const std::shared_ptr<ActiveJob> &job : running) {
    job->token.Cancel(kShutdownReason);
  }
  {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return active_.empty(); });
  }
  JoinFinishedThreads();
}

}  // namespace gale::jobs
