#include "gale/jobs/job_manager.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gale/jobs/cancel.h"
#include "gale/store/store.h"
#include "gtest/gtest.h"
#include "temp_dir.h"

namespace gale::jobs {
namespace {

using store::JobState;

// Holds jobs until the test opens it (or their job is cancelled).
class Gate {
 public:
  void Open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  /// @returns false when the token was cancelled first.
  bool Wait(const CancelToken &token) {
    std::unique_lock lock(mu_);
    return cv_.wait(lock, token.stop_token(), [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
  bool open_ = false;
};

// How many are inside at once, and the most ever.
class Gauge {
 public:
  void Enter() {
    std::lock_guard lock(mu_);
    ++now_;
    max_ = std::max(max_, now_);
    cv_.notify_all();
  }
  void Leave() {
    std::lock_guard lock(mu_);
    --now_;
    cv_.notify_all();
  }
  /// Blocks until `count` are inside. (The bound only stops a broken build from hanging.)
  bool WaitFor(int count) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::minutes(2), [&] { return now_ >= count; });
  }
  int max() {
    std::lock_guard lock(mu_);
    return max_;
  }
  int now() {
    std::lock_guard lock(mu_);
    return now_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int now_ = 0;
  int max_ = 0;
};

JobSpec Spec(const std::string &kind, const std::string &device = "") {
  JobSpec spec;
  spec.kind = kind;
  spec.summary = kind + " test job";
  spec.device_id = device;
  spec.board = "qemu_cortex_m3";
  return spec;
}

JobManager::Options WithSlots(std::map<std::string, unsigned> slots) {
  JobManager::Options options;
  options.limits.slots = std::move(slots);
  return options;
}

class JobManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<store::Store>> opened = store::Store::Open(dir_.File("db"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }

  std::string SubmitOrDie(JobManager &manager, JobSpec spec, WorkFn work) {
    absl::StatusOr<std::string> id = manager.Submit(std::move(spec), std::move(work));
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? *id : "";
  }

  store::Job WaitOrDie(JobManager &manager, const std::string &id) {
    absl::StatusOr<store::Job> job = manager.Wait(id);
    EXPECT_TRUE(job.ok()) << job.status();
    return job.ok() ? *job : store::Job{};
  }

  // Every event of a subscription until it ends.
  std::vector<store::Event> Drain(Subscription &subscription) {
    std::vector<store::Event> events;
    store::Event event;
    for (;;) {
      Subscription::Next next = subscription.Wait(&event);
      if (next != Subscription::Next::kEvent) {
        EXPECT_EQ(next, Subscription::Next::kEnd) << subscription.error();
        return events;
      }
      events.push_back(event);
    }
  }

  store::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(JobManagerTest, RecordsStatesEventsAndTheResult) {
  JobManager::Options options;
  options.result_event = [](const store::Job &job, const std::string &detail) {
    return std::string(store::JobStateName(job.state)) + ":" + detail;
  };
  JobManager manager(*store_, options);
  JobState state_while_running = JobState::kQueued;
  std::string id = SubmitOrDie(manager, Spec("build"), [&](JobContext &ctx) {
    state_while_running = store_->GetJob(ctx.job_id())->state;
    EXPECT_EQ(ctx.spec().kind, "build");
    EXPECT_FALSE(ctx.cancelled());
    for (int i = 1; i <= 3; ++i) {
      absl::StatusOr<uint64_t> seq = ctx.Emit("log", "line " + std::to_string(i));
      EXPECT_TRUE(seq.ok()) << seq.status();
      EXPECT_EQ(*seq, static_cast<uint64_t>(i));
    }
    return JobOutcome::Succeeded(0, "summary-bytes");
  });
  EXPECT_EQ(id.substr(0, 2), "j-");
  store::Job job = WaitOrDie(manager, id);
  EXPECT_EQ(state_while_running, JobState::kRunning);
  EXPECT_EQ(job.state, JobState::kSucceeded);
  EXPECT_EQ(job.kind, "build");
  EXPECT_EQ(job.summary, "build test job");
  EXPECT_EQ(job.board, "qemu_cortex_m3");
  EXPECT_GE(job.started_us, job.created_us);
  EXPECT_GE(job.finished_us, job.started_us);
  EXPECT_EQ(store_->GetJob(id)->state, JobState::kSucceeded);

  absl::StatusOr<std::vector<store::Event>> events = store_->ListEvents(id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 4u);
  EXPECT_EQ((*events)[2].payload, "line 3");
  EXPECT_EQ((*events)[3].kind, "result");
  EXPECT_EQ((*events)[3].payload, "succeeded:summary-bytes");
}

TEST_F(JobManagerTest, FailuresAndExceptionsAreRecorded) {
  JobManager manager(*store_);
  std::string failed = SubmitOrDie(manager, Spec("run"), [](JobContext &) {
    return JobOutcome::Failed("image exited with 3", 3);
  });
  std::string threw = SubmitOrDie(manager, Spec("run"), [](JobContext &) -> JobOutcome {
    throw std::runtime_error("out of sockets");
  });
  store::Job job = WaitOrDie(manager, failed);
  EXPECT_EQ(job.state, JobState::kFailed);
  EXPECT_EQ(job.error, "image exited with 3");
  EXPECT_EQ(job.exit_code, 3);
  job = WaitOrDie(manager, threw);
  EXPECT_EQ(job.state, JobState::kFailed);
  EXPECT_NE(job.error.find("out of sockets"), std::string::npos) << job.error;
  EXPECT_EQ(manager.Submit(Spec("build"), nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(JobManagerTest, BuildsRunAtMostAsManyAsTheirSlots) {
  JobManager manager(*store_, WithSlots({{"build", 2}}));
  Gauge gauge;
  Gate gate;
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) {
    ids.push_back(SubmitOrDie(manager, Spec("build"), [&](JobContext &ctx) {
      gauge.Enter();
      gate.Wait(ctx.token());
      gauge.Leave();
      return JobOutcome::Succeeded();
    }));
  }
  ASSERT_TRUE(gauge.WaitFor(2));
  // The other four wait in the queue.
  int queued = 0;
  for (const std::string &id : ids) {
    queued += store_->GetJob(id)->state == JobState::kQueued ? 1 : 0;
  }
  EXPECT_EQ(queued, 4);
  gate.Open();
  for (const std::string &id : ids) {
    EXPECT_EQ(WaitOrDie(manager, id).state, JobState::kSucceeded);
  }
  EXPECT_EQ(gauge.max(), 2);
}

TEST_F(JobManagerTest, OneJobAtATimePerDeviceButDevicesInParallel) {
  JobManager manager(*store_);  // default limits: one job per device
  std::map<std::string, Gauge> gauges;
  gauges["emu-a"];  // created before the jobs' threads look them up
  gauges["emu-b"];
  Gauge both;
  Gate gate;
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    for (const std::string device : {"emu-a", "emu-b"}) {
      ids.push_back(SubmitOrDie(manager, Spec("flash", device), [&, device](JobContext &ctx) {
        gauges.at(device).Enter();
        both.Enter();
        gate.Wait(ctx.token());
        both.Leave();
        gauges.at(device).Leave();
        return JobOutcome::Succeeded();
      }));
    }
  }
  ASSERT_TRUE(both.WaitFor(2));  // one per device, at the same time
  gate.Open();
  for (const std::string &id : ids) {
    EXPECT_EQ(WaitOrDie(manager, id).state, JobState::kSucceeded);
  }
  EXPECT_EQ(gauges["emu-a"].max(), 1);
  EXPECT_EQ(gauges["emu-b"].max(), 1);
  EXPECT_EQ(both.max(), 2);
}

TEST_F(JobManagerTest, AJobWaitingForABusyDeviceDoesNotHoldBackOthers) {
  JobManager manager(*store_);
  Gate gate;
  std::string first = SubmitOrDie(manager, Spec("flash", "emu-a"), [&](JobContext &ctx) {
    gate.Wait(ctx.token());
    return JobOutcome::Succeeded();
  });
  std::string second = SubmitOrDie(manager, Spec("flash", "emu-a"),
                                   [](JobContext &) { return JobOutcome::Succeeded(); });
  std::string build =
      SubmitOrDie(manager, Spec("build"), [](JobContext &) { return JobOutcome::Succeeded(); });
  EXPECT_EQ(WaitOrDie(manager, build).state, JobState::kSucceeded);
  EXPECT_EQ(store_->GetJob(second)->state, JobState::kQueued);
  gate.Open();
  EXPECT_EQ(WaitOrDie(manager, first).state, JobState::kSucceeded);
  EXPECT_EQ(WaitOrDie(manager, second).state, JobState::kSucceeded);
}

TEST_F(JobManagerTest, CancellingARunningJobRunsItsCallbacksAndRecordsTheReason) {
  JobManager manager(*store_);
  Gauge started;
  std::atomic<bool> killed = false;
  std::string id = SubmitOrDie(manager, Spec("run"), [&](JobContext &ctx) {
    // As a runner would: kill the child process group when cancelled.
    CancelCallback kill_child(ctx.token(), [&] { killed = true; });
    started.Enter();
    while (!ctx.token().WaitFor(std::chrono::seconds(10))) {
    }
    return JobOutcome::Failed("qemu was killed by signal 9");
  });
  ASSERT_TRUE(started.WaitFor(1));
  ASSERT_TRUE(manager.Cancel(id, "the client went away").ok());
  EXPECT_TRUE(killed);  // on the cancelling thread, before Cancel returned
  store::Job job = WaitOrDie(manager, id);
  EXPECT_EQ(job.state, JobState::kCancelled);
  EXPECT_EQ(job.error, "the client went away");
  EXPECT_GT(job.started_us, 0);
  EXPECT_TRUE(manager.Cancel(id).ok());  // ended: nothing to do
  EXPECT_EQ(store_->GetJob(id)->state, JobState::kCancelled);
  EXPECT_EQ(manager.Cancel("j-999999").code(), absl::StatusCode::kNotFound);
}

TEST_F(JobManagerTest, AJobThatSucceedsDespiteCancellationStaysSucceeded) {
  JobManager manager(*store_);
  Gauge started;
  Gate gate;
  std::string id = SubmitOrDie(manager, Spec("flash"), [&](JobContext &ctx) {
    started.Enter();
    gate.Wait(CancelToken());  // ignores its own token: the flash was already written
    EXPECT_TRUE(ctx.cancelled());
    return JobOutcome::Succeeded();
  });
  ASSERT_TRUE(started.WaitFor(1));
  ASSERT_TRUE(manager.Cancel(id).ok());
  gate.Open();
  EXPECT_EQ(WaitOrDie(manager, id).state, JobState::kSucceeded);
}

TEST_F(JobManagerTest, CancellingAQueuedJobEndsItWithoutRunning) {
  JobManager manager(*store_, WithSlots({{"build", 1}}));
  Gate gate;
  Gauge started;
  std::atomic<bool> second_ran = false;
  std::string first = SubmitOrDie(manager, Spec("build"), [&](JobContext &ctx) {
    started.Enter();
    gate.Wait(ctx.token());
    return JobOutcome::Succeeded();
  });
  std::string second = SubmitOrDie(manager, Spec("build"), [&](JobContext &) {
    second_ran = true;
    return JobOutcome::Succeeded();
  });
  ASSERT_TRUE(started.WaitFor(1));
  ASSERT_TRUE(manager.Cancel(second, "not needed").ok());
  store::Job job = WaitOrDie(manager, second);
  EXPECT_EQ(job.state, JobState::kCancelled);
  EXPECT_EQ(job.error, "not needed");
  EXPECT_EQ(job.started_us, 0);
  gate.Open();
  EXPECT_EQ(WaitOrDie(manager, first).state, JobState::kSucceeded);
  EXPECT_FALSE(second_ran);
}

TEST_F(JobManagerTest, WatchersAttachingAtAnyPointSeeEveryEventOnceInOrder) {
  JobManager::Options options;
  options.result_event = [](const store::Job &, const std::string &) { return "done"; };
  JobManager manager(*store_, options);
  constexpr int kEvents = 3000;
  constexpr int kWatchers = 6;
  std::atomic<int> emitted = 0;
  Gate start;
  std::string id = SubmitOrDie(manager, Spec("build"), [&](JobContext &ctx) {
    start.Wait(ctx.token());
    for (int i = 1; i <= kEvents; ++i) {
      EXPECT_TRUE(ctx.Emit("log", std::to_string(i)).ok());
      emitted = i;
    }
    return JobOutcome::Succeeded();
  });
  std::vector<std::vector<store::Event>> seen(kWatchers);
  std::vector<std::thread> watchers;
  for (int w = 0; w < kWatchers; ++w) {
    watchers.emplace_back([&, w] {
      // Watcher w attaches once the job has emitted w/kWatchers of its events.
      while (emitted < w * kEvents / kWatchers) {
        std::this_thread::yield();
      }
      absl::StatusOr<std::unique_ptr<Subscription>> subscription = manager.Subscribe(id);
      ASSERT_TRUE(subscription.ok()) << subscription.status();
      seen[w] = Drain(**subscription);
    });
  }
  start.Open();
  for (std::thread &watcher : watchers) {
    watcher.join();
  }
  ASSERT_EQ(WaitOrDie(manager, id).state, JobState::kSucceeded);
  // And one that attaches after the end.
  absl::StatusOr<std::unique_ptr<Subscription>> late = manager.Subscribe(id);
  ASSERT_TRUE(late.ok()) << late.status();
  seen.push_back(Drain(**late));

  for (size_t w = 0; w < seen.size(); ++w) {
    SCOPED_TRACE("watcher " + std::to_string(w));
    ASSERT_EQ(seen[w].size(), static_cast<size_t>(kEvents + 1));
    for (int i = 0; i < kEvents; ++i) {
      ASSERT_EQ(seen[w][i].seq, static_cast<uint64_t>(i + 1));
      ASSERT_EQ(seen[w][i].payload, std::to_string(i + 1));
      ASSERT_EQ(seen[w][i].job_id, id);
    }
    EXPECT_EQ(seen[w].back().kind, "result");
    EXPECT_EQ(seen[w].back().payload, "done");
  }
}

TEST_F(JobManagerTest, AWatcherFarBehindCatchesUpFromTheStore) {
  JobManager::Options options;
  options.watcher_queue_limit = 16;
  JobManager manager(*store_, options);
  Gate start;
  Gate finish;
  std::string id = SubmitOrDie(manager, Spec("build"), [&](JobContext &ctx) {
    start.Wait(ctx.token());
    for (int i = 1; i <= 500; ++i) {
      EXPECT_TRUE(ctx.Emit("log", std::to_string(i)).ok());
    }
    finish.Wait(ctx.token());
    return JobOutcome::Succeeded();
  });
  absl::StatusOr<std::unique_ptr<Subscription>> subscription = manager.Subscribe(id);
  ASSERT_TRUE(subscription.ok());
  start.Open();
  // Read nothing until the job has emitted far more than the watcher's queue holds.
  while (*store_->LastEventSeq(id) < 500) {
    std::this_thread::yield();
  }
  std::vector<store::Event> events;
  store::Event event;
  while (events.size() < 500) {
    ASSERT_EQ((*subscription)->Wait(&event), Subscription::Next::kEvent);
    events.push_back(event);
  }
  finish.Open();
  EXPECT_EQ((*subscription)->Wait(&event), Subscription::Next::kEnd);
  for (size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].seq, i + 1);
    ASSERT_EQ(events[i].payload, std::to_string(i + 1));
  }
}

TEST_F(JobManagerTest, SubscribeAfterASeqAndCloseAWaitingWatcher) {
  JobManager manager(*store_);
  Gate gate;
  Gauge emitted;
  std::string id = SubmitOrDie(manager, Spec("build"), [&](JobContext &ctx) {
    for (int i = 1; i <= 5; ++i) {
      EXPECT_TRUE(ctx.Emit("log", std::to_string(i)).ok());
    }
    emitted.Enter();
    gate.Wait(ctx.token());
    return JobOutcome::Succeeded();
  });
  ASSERT_TRUE(emitted.WaitFor(1));
  absl::StatusOr<std::unique_ptr<Subscription>> subscription = manager.Subscribe(id, 3);
  ASSERT_TRUE(subscription.ok());
  store::Event event;
  ASSERT_EQ((*subscription)->Wait(&event), Subscription::Next::kEvent);
  EXPECT_EQ(event.seq, 4u);
  ASSERT_EQ((*subscription)->Wait(&event), Subscription::Next::kEvent);
  EXPECT_EQ(event.seq, 5u);
  EXPECT_EQ((*subscription)->Wait(&event, std::chrono::milliseconds(1)),
            Subscription::Next::kTimeout);

  Subscription::Next next = Subscription::Next::kEvent;
  std::thread waiter([&] { next = (*subscription)->Wait(&event); });
  (*subscription)->Close();
  waiter.join();
  EXPECT_EQ(next, Subscription::Next::kClosed);
  gate.Open();
  EXPECT_EQ(WaitOrDie(manager, id).state, JobState::kSucceeded);
  EXPECT_EQ(manager.Subscribe("j-999999").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(JobManagerTest, EventsFromSeveralThreadsOfAJobKeepSeqOrder) {
  JobManager manager(*store_);
  Gate start;
  std::string id = SubmitOrDie(manager, Spec("build"), [&](JobContext &ctx) {
    start.Wait(ctx.token());
    std::vector<std::thread> streams;  // like stdout and stderr readers
    for (int t = 0; t < 4; ++t) {
      streams.emplace_back([&ctx, t] {
        for (int i = 0; i < 200; ++i) {
          EXPECT_TRUE(ctx.Emit("log", std::to_string(t)).ok());
        }
      });
    }
    for (std::thread &stream : streams) {
      stream.join();
    }
    return JobOutcome::Succeeded();
  });
  absl::StatusOr<std::unique_ptr<Subscription>> subscription = manager.Subscribe(id);
  ASSERT_TRUE(subscription.ok());
  start.Open();
  std::vector<store::Event> events = Drain(**subscription);
  ASSERT_EQ(events.size(), 800u);
  for (size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].seq, i + 1);
  }
}

TEST_F(JobManagerTest, AcquireSharesSlotsWithQueuedJobsAndStopsOnCancel) {
  JobManager manager(*store_, WithSlots({{"build", 1}}));
  Gate build_gate;
  Gauge building;
  std::string build = SubmitOrDie(manager, Spec("build"), [&](JobContext &ctx) {
    // Taking a slot of a resource the job already holds returns at once.
    absl::StatusOr<ResourceLease> again = ctx.Acquire("build");
    EXPECT_TRUE(again.ok()) << again.status();
    building.Enter();
    build_gate.Wait(ctx.token());
    return JobOutcome::Succeeded();
  });
  ASSERT_TRUE(building.WaitFor(1));

  // A test job building one of its scenarios needs the build slot the build job holds.
  Gauge waiting;
  std::atomic<bool> got_slot = false;
  std::string test = SubmitOrDie(manager, Spec("test"), [&](JobContext &ctx) {
    waiting.Enter();
    absl::StatusOr<ResourceLease> lease = ctx.Acquire("build");
    if (!lease.ok()) {
      return JobOutcome::Failed(std::string(lease.status().message()));
    }
    got_slot = true;
    return JobOutcome::Succeeded();
  });
  ASSERT_TRUE(waiting.WaitFor(1));
  build_gate.Open();
  EXPECT_EQ(WaitOrDie(manager, build).state, JobState::kSucceeded);
  EXPECT_EQ(WaitOrDie(manager, test).state, JobState::kSucceeded);
  EXPECT_TRUE(got_slot);

  // Cancelled while waiting for a slot.
  Gate hold_gate;
  Gauge holding;
  std::string holder = SubmitOrDie(manager, Spec("build"), [&](JobContext &ctx) {
    holding.Enter();
    hold_gate.Wait(ctx.token());
    return JobOutcome::Succeeded();
  });
  ASSERT_TRUE(holding.WaitFor(1));
  Gauge waiting_again;
  std::string status_message;
  std::string stuck = SubmitOrDie(manager, Spec("test"), [&](JobContext &ctx) {
    waiting_again.Enter();
    absl::StatusOr<ResourceLease> lease = ctx.Acquire("build");
    status_message = std::string(lease.status().message());
    return lease.ok() ? JobOutcome::Succeeded() : JobOutcome::Failed(status_message);
  });
  ASSERT_TRUE(waiting_again.WaitFor(1));
  ASSERT_TRUE(manager.Cancel(stuck).ok());
  EXPECT_EQ(WaitOrDie(manager, stuck).state, JobState::kCancelled);
  EXPECT_NE(status_message.find("cancelled while waiting for build"), std::string::npos)
      << status_message;
  hold_gate.Open();
  EXPECT_EQ(WaitOrDie(manager, holder).state, JobState::kSucceeded);
}

TEST_F(JobManagerTest, ShutdownCancelsEverythingAndRefusesNewJobs) {
  JobManager manager(*store_, WithSlots({{"build", 1}}));
  Gauge started;
  std::string running = SubmitOrDie(manager, Spec("build"), [&](JobContext &ctx) {
    started.Enter();
    while (!ctx.token().WaitFor(std::chrono::seconds(10))) {
    }
    return JobOutcome::Cancelled();
  });
  std::string queued =
      SubmitOrDie(manager, Spec("build"), [](JobContext &) { return JobOutcome::Succeeded(); });
  ASSERT_TRUE(started.WaitFor(1));
  manager.Shutdown();
  absl::StatusOr<store::Job> job = store_->GetJob(running);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->state, JobState::kCancelled);
  EXPECT_EQ(job->error, "galed is shutting down");
  job = store_->GetJob(queued);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->state, JobState::kCancelled);
  EXPECT_EQ(job->started_us, 0);
  EXPECT_EQ(manager.Submit(Spec("build"), [](JobContext &) { return JobOutcome::Succeeded(); })
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
  manager.Shutdown();                        // again: nothing to do
  EXPECT_EQ(*store_->MarkInterrupted(), 0);  // nothing left running in the store
}

}  // namespace
}  // namespace gale::jobs
