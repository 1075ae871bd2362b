#include "gale/store/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "schema.h"
#include "store_internal.h"
#include "temp_dir.h"

namespace gale::store {
namespace {

using testing::TempDir;

// The first column of the first row of `sql` on a separate, plain connection to `path`.
std::string RawQuery(const std::string &path, const std::string &sql) {
  sqlite3 *db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
            SQLITE_OK);
  sqlite3_stmt *stmt = nullptr;
  std::string result;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    result = reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

std::unique_ptr<Store> OpenOrDie(const std::string &path) {
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

std::string ReadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenOrDie(path_);
    ASSERT_NE(store_, nullptr);
  }

  Job NewJobOrDie(const std::string &kind, const std::string &summary = "") {
    absl::StatusOr<Job> job = store_->CreateJob({kind, summary, "", ""});
    EXPECT_TRUE(job.ok()) << job.status();
    return job.ok() ? *job : Job{};
  }

  TempDir dir_;
  std::string path_ = dir_.File("state.db");
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, OpenCreatesAGaleDatabaseInWalMode) {
  EXPECT_EQ(store_->path(), path_);
  EXPECT_EQ(store_->instance_id().size(), 16u);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
  EXPECT_EQ(RawQuery(path_, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(RawQuery(path_, "PRAGMA user_version"), std::to_string(kSchemaVersion));
  EXPECT_EQ(RawQuery(path_, "PRAGMA application_id"), std::to_string(kGaleApplicationId));
  EXPECT_EQ(RawQuery(path_, "SELECT count(*) FROM sqlite_schema WHERE name = 'job_events'"), "1");
}

TEST_F(StoreTest, ReopeningKeepsDataAndIdsAreNeverReused) {
  EXPECT_EQ(NewJobOrDie("build").id, "j-000001");
  EXPECT_EQ(NewJobOrDie("flash").id, "j-000002");
  store_.reset();
  store_ = OpenOrDie(path_);
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(NewJobOrDie("test").id, "j-000003");
  absl::StatusOr<std::vector<Job>> jobs = store_->ListJobs();
  ASSERT_TRUE(jobs.ok()) << jobs.status();
  EXPECT_EQ(jobs->size(), 3u);
}

TEST_F(StoreTest, JobGoesThroughItsStates) {
  absl::StatusOr<Job> created =
      store_->CreateJob({"build", "build hello for qemu", "emu-1", "qemu_cortex_m3"});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->state, JobState::kQueued);
  EXPECT_GT(created->created_us, 0);
  EXPECT_EQ(created->daemon_pid, static_cast<int64_t>(getpid()));
  EXPECT_EQ(created->instance_id, store_->instance_id());

  absl::StatusOr<Job> got = store_->GetJob(created->id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->kind, "build");
  EXPECT_EQ(got->summary, "build hello for qemu");
  EXPECT_EQ(got->device_id, "emu-1");
  EXPECT_EQ(got->board, "qemu_cortex_m3");
  EXPECT_EQ(got->started_us, 0);
  EXPECT_EQ(got->finished_us, 0);

  ASSERT_TRUE(store_->UpdateJobState(created->id, JobState::kRunning).ok());
  got = store_->GetJob(created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state, JobState::kRunning);
  EXPECT_GE(got->started_us, got->created_us);
  EXPECT_EQ(got->finished_us, 0);

  ASSERT_TRUE(store_->UpdateJobState(created->id, JobState::kFailed, "boot timeout", 3).ok());
  got = store_->GetJob(created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state, JobState::kFailed);
  EXPECT_EQ(got->error, "boot timeout");
  EXPECT_EQ(got->exit_code, 3);
  EXPECT_GE(got->finished_us, got->started_us);

  absl::Status again = store_->UpdateJobState(created->id, JobState::kSucceeded);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition) << again;
  EXPECT_NE(again.message().find("already failed"), std::string::npos) << again;
  EXPECT_EQ(store_->UpdateJobState("j-999999", JobState::kRunning).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetJob("j-999999").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(StoreTest, JobCancelledWhileQueuedHasNoStartTime) {
  Job job = NewJobOrDie("flash");
  EXPECT_EQ(store_->UpdateJobState(job.id, JobState::kQueued).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->UpdateJobState(job.id, JobState::kCancelled, "cancelled by client").ok());
  absl::StatusOr<Job> got = store_->GetJob(job.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state, JobState::kCancelled);
  EXPECT_EQ(got->started_us, 0);
  EXPECT_GT(got->finished_us, 0);
}

TEST_F(StoreTest, ListJobsFiltersNewestFirst) {
  std::vector<std::string> ids;
  for (const char *kind : {"build", "flash", "build", "test", "build"}) {
    ids.push_back(NewJobOrDie(kind).id);
  }
  ASSERT_TRUE(store_->UpdateJobState(ids[2], JobState::kRunning).ok());

  absl::StatusOr<std::vector<Job>> all = store_->ListJobs();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[0].id, ids[4]);
  EXPECT_EQ((*all)[4].id, ids[0]);

  absl::StatusOr<std::vector<Job>> builds =
      store_->ListJobs({.kind = "build", .state = {}, .limit = 0});
  ASSERT_TRUE(builds.ok());
  ASSERT_EQ(builds->size(), 3u);
  EXPECT_EQ((*builds)[0].id, ids[4]);
  EXPECT_EQ((*builds)[1].id, ids[2]);

  absl::StatusOr<std::vector<Job>> running =
      store_->ListJobs({.kind = "", .state = JobState::kRunning, .limit = 0});
  ASSERT_TRUE(running.ok());
  ASSERT_EQ(running->size(), 1u);
  EXPECT_EQ((*running)[0].id, ids[2]);

  absl::StatusOr<std::vector<Job>> queued_builds =
      store_->ListJobs({.kind = "build", .state = JobState::kQueued, .limit = 1});
  ASSERT_TRUE(queued_builds.ok());
  ASSERT_EQ(queued_builds->size(), 1u);
  EXPECT_EQ((*queued_builds)[0].id, ids[4]);
}

TEST_F(StoreTest, JobStateNamesRoundTrip) {
  for (JobState state : {JobState::kQueued, JobState::kRunning, JobState::kSucceeded,
                         JobState::kFailed, JobState::kCancelled, JobState::kInterrupted}) {
    EXPECT_EQ(ParseJobState(JobStateName(state)), state);
  }
  EXPECT_EQ(ParseJobState("done"), std::nullopt);
  EXPECT_FALSE(IsTerminal(JobState::kRunning));
  EXPECT_TRUE(IsTerminal(JobState::kInterrupted));
}

TEST_F(StoreTest, EventsGetConsecutiveSeqsAndKeepTheirBytes) {
  Job job = NewJobOrDie("build");
  Job other = NewJobOrDie("build");
  const std::string binary("\0\x01\xff payload", 11);
  EXPECT_EQ(*store_->AppendEvent(job.id, "log", "first"), 1u);
  EXPECT_EQ(*store_->AppendEvent(other.id, "log", "other"), 1u);
  EXPECT_EQ(*store_->AppendEvent(job.id, "progress", binary, 42), 2u);
  EXPECT_EQ(*store_->AppendEvent(job.id, "result", ""), 3u);
  EXPECT_EQ(*store_->LastEventSeq(job.id), 3u);
  EXPECT_EQ(*store_->LastEventSeq("j-999999"), 0u);

  absl::StatusOr<std::vector<Event>> events = store_->ListEvents(job.id);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].job_id, job.id);
  EXPECT_EQ((*events)[0].kind, "log");
  EXPECT_EQ((*events)[0].payload, "first");
  EXPECT_GT((*events)[0].time_us, 0);
  EXPECT_EQ((*events)[1].seq, 2u);
  EXPECT_EQ((*events)[1].payload, binary);
  EXPECT_EQ((*events)[1].time_us, 42);
  EXPECT_EQ((*events)[2].payload, "");

  events = store_->ListEvents(job.id, 1);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].seq, 2u);
  events = store_->ListEvents(job.id, 0, 2);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].seq, 2u);
  events = store_->ListEvents("j-999999");
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());

  absl::StatusOr<uint64_t> orphan = store_->AppendEvent("j-999999", "log", "x");
  EXPECT_EQ(orphan.status().code(), absl::StatusCode::kNotFound) << orphan.status();
}

TEST_F(StoreTest, ConcurrentAppendsFromManyThreadsGetUniqueConsecutiveSeqs) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 300;
  std::array<std::string, 2> jobs = {NewJobOrDie("build").id, NewJobOrDie("test").id};
  std::vector<std::thread> threads;
  std::vector<std::vector<uint64_t>> seqs(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        absl::StatusOr<uint64_t> seq =
            store_->AppendEvent(jobs[t % 2], "log", std::to_string(t) + ":" + std::to_string(i));
        ASSERT_TRUE(seq.ok()) << seq.status();
        seqs[t].push_back(*seq);
      }
    });
  }
  // Readers at the same time must see consistent prefixes.
  std::thread reader([&] {
    for (int i = 0; i < 50; ++i) {
      absl::StatusOr<std::vector<Event>> events = store_->ListEvents(jobs[0]);
      ASSERT_TRUE(events.ok());
      for (size_t k = 0; k < events->size(); ++k) {
        ASSERT_EQ((*events)[k].seq, k + 1);
      }
    }
  });
  for (std::thread &thread : threads) {
    thread.join();
  }
  reader.join();

  for (const std::string &job : jobs) {
    absl::StatusOr<std::vector<Event>> events = store_->ListEvents(job);
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), static_cast<size_t>(kThreads / 2 * kPerThread));
    std::map<int, int> next_per_thread;  // each thread's events appear in its order
    for (size_t k = 0; k < events->size(); ++k) {
      const Event &event = (*events)[k];
      EXPECT_EQ(event.seq, k + 1);
      int thread = std::stoi(event.payload.substr(0, event.payload.find(':')));
      int index = std::stoi(event.payload.substr(event.payload.find(':') + 1));
      EXPECT_EQ(index, next_per_thread[thread]++);
    }
  }
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(std::is_sorted(seqs[t].begin(), seqs[t].end()));
  }
}

TEST_F(StoreTest, MarkInterruptedEndsEverythingLeftRunning) {
  Job queued = NewJobOrDie("flash");
  Job running = NewJobOrDie("build");
  Job done = NewJobOrDie("build");
  ASSERT_TRUE(store_->UpdateJobState(running.id, JobState::kRunning).ok());
  ASSERT_TRUE(store_->UpdateJobState(done.id, JobState::kRunning).ok());
  ASSERT_TRUE(store_->UpdateJobState(done.id, JobState::kSucceeded).ok());
  absl::StatusOr<Build> build =
      store_->CreateBuild({"/app", "qemu_cortex_m3", "/app/build", running.id});
  ASSERT_TRUE(build.ok()) << build.status();
  absl::StatusOr<TestRun> run = store_->CreateTestRun(running.id);
  ASSERT_TRUE(run.ok()) << run.status();

  // As a restarted daemon would see it.
  store_.reset();
  store_ = OpenOrDie(path_);
  ASSERT_NE(store_, nullptr);
  absl::StatusOr<int> marked = store_->MarkInterrupted();
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(*marked, 2);

  for (const Job &job : {queued, running}) {
    absl::StatusOr<Job> got = store_->GetJob(job.id);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->state, JobState::kInterrupted);
    EXPECT_GT(got->finished_us, 0);
    EXPECT_NE(got->error.find("interrupted"), std::string::npos) << got->error;
    EXPECT_NE(got->error.find(std::to_string(getpid())), std::string::npos) << got->error;
  }
  EXPECT_EQ(store_->GetJob(done.id)->state, JobState::kSucceeded);
  EXPECT_EQ(store_->GetBuild(build->id)->state, JobState::kInterrupted);
  EXPECT_EQ(store_->GetTestRun(run->id)->state, JobState::kInterrupted);
  EXPECT_EQ(*store_->MarkInterrupted(), 0);
  EXPECT_EQ(store_->UpdateJobState(running.id, JobState::kSucceeded).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(StoreTest, BuildsKeepTheirArtifacts) {
  Job job = NewJobOrDie("build");
  absl::StatusOr<Build> first =
      store_->CreateBuild({"/apps/hello", "qemu_cortex_m3", "/apps/hello/build", job.id});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->id, "b-000001");
  EXPECT_EQ(first->state, JobState::kRunning);
  EXPECT_GT(first->started_us, 0);

  Build finished = *first;
  finished.state = JobState::kSucceeded;
  finished.flash_bytes = 12345;
  finished.ram_bytes = 2345;
  finished.artifacts = {{"elf", "/apps/hello/build/gale/gale.elf", 100000},
                        {"bin", "/apps/hello/build/gale/gale.bin", 12345}};
  ASSERT_TRUE(store_->UpdateBuild(finished).ok());

  absl::StatusOr<Build> got = store_->GetBuild(first->id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->state, JobState::kSucceeded);
  EXPECT_GT(got->finished_us, 0);
  EXPECT_EQ(got->job_id, job.id);
  EXPECT_EQ(got->flash_bytes, 12345u);
  EXPECT_EQ(got->ram_bytes, 2345u);
  ASSERT_EQ(got->artifacts.size(), 2u);
  EXPECT_EQ(got->artifacts[0].kind, "elf");
  EXPECT_EQ(got->artifacts[1].path, "/apps/hello/build/gale/gale.bin");
  EXPECT_EQ(got->artifacts[1].size, 12345u);

  // Artifacts are replaced, not added.
  finished.artifacts = {{"exe", "/apps/hello/build/gale/gale.exe", 5}};
  ASSERT_TRUE(store_->UpdateBuild(finished).ok());
  got = store_->GetBuild(first->id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->artifacts.size(), 1u);
  EXPECT_EQ(got->artifacts[0].kind, "exe");

  // A second build in the same folder, without a job; the folder finds the newest.
  absl::StatusOr<Build> second =
      store_->CreateBuild({"/apps/hello", "mps2_an385", "/apps/hello/build", ""});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->id, "b-000002");
  got = store_->GetBuild("/apps/hello/build");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, second->id);
  EXPECT_EQ(got->job_id, "");

  absl::StatusOr<std::vector<Build>> all = store_->ListBuilds();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, second->id);
  EXPECT_EQ((*all)[1].artifacts.size(), 1u);
  absl::StatusOr<std::vector<Build>> qemu =
      store_->ListBuilds({.board = "qemu_cortex_m3", .build_dir = "", .limit = 0});
  ASSERT_TRUE(qemu.ok());
  ASSERT_EQ(qemu->size(), 1u);
  EXPECT_EQ((*qemu)[0].id, first->id);

  EXPECT_EQ(store_->GetBuild("b-999999").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->CreateBuild({"/a", "b", "/a/build", "j-999999"}).status().code(),
            absl::StatusCode::kNotFound);
  Build missing = finished;
  missing.id = "b-999999";
  EXPECT_EQ(store_->UpdateBuild(missing).code(), absl::StatusCode::kNotFound);
}

TEST_F(StoreTest, DevicesAreUpsertedFoundByNameAndTagged) {
  Device device;
  device.id = "0669FF555";
  device.name = "bench-left";
  device.board = "nucleo_f401re";
  device.kind = DeviceKind::kPhysical;
  device.serial = "0669FF555";
  device.tags = {"lab", "arm", "lab"};
  device.extra_json = R"({"probe":"stlink"})";
  absl::StatusOr<Device> stored = store_->UpsertDevice(device);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_GT(stored->created_us, 0);
  EXPECT_EQ(stored->tags, (std::vector<std::string>{"arm", "lab"}));
  EXPECT_EQ(stored->extra_json, R"({"probe":"stlink"})");

  // An update keeps the creation time.
  Device update = *stored;
  update.created_us = 1;
  update.board = "nucleo_f411re";
  update.last_seen_us = 777;
  absl::StatusOr<Device> updated = store_->UpsertDevice(update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->created_us, stored->created_us);
  EXPECT_EQ(updated->board, "nucleo_f411re");
  EXPECT_EQ(updated->last_seen_us, 777);

  absl::StatusOr<Device> by_name = store_->GetDevice("bench-left");
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_EQ(by_name->id, device.id);

  Device emulated;
  emulated.id = "emu-qemu_cortex_m3-1";
  emulated.board = "qemu_cortex_m3";
  emulated.kind = DeviceKind::kEmulated;
  ASSERT_TRUE(store_->UpsertDevice(emulated).ok());
  Device clash = emulated;
  clash.id = "emu-qemu_cortex_m3-2";
  clash.name = "bench-left";
  EXPECT_EQ(store_->UpsertDevice(clash).status().code(), absl::StatusCode::kAlreadyExists);
  clash.name = "";
  clash.extra_json = "[1, 2]";
  EXPECT_EQ(store_->UpsertDevice(clash).status().code(), absl::StatusCode::kInvalidArgument);
  clash.id = "";
  EXPECT_EQ(store_->UpsertDevice(clash).status().code(), absl::StatusCode::kInvalidArgument);

  absl::StatusOr<Device> tagged = store_->AddDeviceTags(emulated.id, {"ci", "arm"});
  ASSERT_TRUE(tagged.ok()) << tagged.status();
  EXPECT_EQ(tagged->tags, (std::vector<std::string>{"arm", "ci"}));
  tagged = store_->AddDeviceTags(emulated.id, {"ci", "fast"});
  ASSERT_TRUE(tagged.ok());
  EXPECT_EQ(store_->GetDevice(emulated.id)->tags, (std::vector<std::string>{"arm", "ci", "fast"}));
  EXPECT_EQ(store_->GetDevice(emulated.id)->kind, DeviceKind::kEmulated);

  ASSERT_TRUE(store_->TouchDevice(emulated.id, 99).ok());
  EXPECT_EQ(store_->GetDevice(emulated.id)->last_seen_us, 99);

  absl::StatusOr<std::vector<Device>> devices = store_->ListDevices();
  ASSERT_TRUE(devices.ok());
  ASSERT_EQ(devices->size(), 2u);
  EXPECT_EQ((*devices)[0].id, "0669FF555");

  ASSERT_TRUE(store_->DeleteDevice(emulated.id).ok());
  EXPECT_EQ(store_->GetDevice(emulated.id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteDevice(emulated.id).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->TouchDevice(emulated.id).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->AddDeviceTags(emulated.id, {"x"}).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(StoreTest, TestRunsKeepScenariosAndCases) {
  Job job = NewJobOrDie("test");
  absl::StatusOr<TestRun> run = store_->CreateTestRun(job.id);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->id, "t-000001");

  ScenarioResult semaphore{
      "kernel.semaphore", "qemu_cortex_m3",      "failed", "1 case failed", 2.5, {},
      "/runs/t1/sem",     "/runs/t1/sem/run.log"};
  semaphore.cases = {{"semaphore", "test_take", "passed", 0.01, ""},
                     {"semaphore", "test_give", "failed", 0.02, "sem.c:10: count == 1"},
                     {"semaphore", "test_timeout", "skipped", 0, ""}};
  ASSERT_TRUE(store_->AddScenarioResult(run->id, semaphore).ok());
  ScenarioResult broken{"kernel.mutex",
                        "mps2_an385",
                        "build_error",
                        "undefined reference",
                        1.0,
                        {},
                        "/runs/t1/mutex",
                        ""};
  ASSERT_TRUE(store_->AddScenarioResult(run->id, broken).ok());
  EXPECT_EQ(store_->AddScenarioResult(run->id, broken).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->AddScenarioResult("t-999999", broken).code(), absl::StatusCode::kNotFound);

  ASSERT_TRUE(store_
                  ->FinishTestRun(run->id, JobState::kFailed,
                                  {.passed = 1,
                                   .failed = 1,
                                   .skipped = 1,
                                   .errors = 1,
                                   .junit_path = "/runs/t1/junit.xml"})
                  .ok());
  EXPECT_EQ(store_->FinishTestRun("t-999999", JobState::kFailed, {}).code(),
            absl::StatusCode::kNotFound);

  absl::StatusOr<TestRun> got = store_->GetTestRun(run->id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->job_id, job.id);
  EXPECT_EQ(got->state, JobState::kFailed);
  EXPECT_GT(got->finished_us, 0);
  EXPECT_EQ(got->summary.passed, 1u);
  EXPECT_EQ(got->summary.errors, 1u);
  EXPECT_EQ(got->summary.junit_path, "/runs/t1/junit.xml");
  ASSERT_EQ(got->scenarios.size(), 2u);
  const ScenarioResult &first = got->scenarios[0];
  EXPECT_EQ(first.scenario, "kernel.semaphore");
  EXPECT_EQ(first.status, "failed");
  EXPECT_DOUBLE_EQ(first.seconds, 2.5);
  EXPECT_EQ(first.log_path, "/runs/t1/sem/run.log");
  ASSERT_EQ(first.cases.size(), 3u);
  EXPECT_EQ(first.cases[1].name, "test_give");
  EXPECT_EQ(first.cases[1].message, "sem.c:10: count == 1");
  EXPECT_DOUBLE_EQ(first.cases[1].seconds, 0.02);
  EXPECT_EQ(got->scenarios[1].status, "build_error");
  EXPECT_TRUE(got->scenarios[1].cases.empty());

  absl::StatusOr<TestRun> second = store_->CreateTestRun("");
  ASSERT_TRUE(second.ok());
  absl::StatusOr<std::vector<TestRun>> runs = store_->ListTestRuns();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].id, second->id);
  EXPECT_EQ((*runs)[1].summary.failed, 1u);
  EXPECT_TRUE((*runs)[1].scenarios.empty());
  EXPECT_EQ(store_->CreateTestRun("j-999999").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetTestRun("t-999999").status().code(), absl::StatusCode::kNotFound);
}

// --- Opening: refusals and migrations ------------------------------------------------------------

TEST(StoreOpenTest, RefusesAFileThatIsNotADatabaseAndLeavesItAlone) {
  TempDir dir;
  std::string path = dir.File("notes.txt");
  const std::string content = "these are my notes, not a database\n" + std::string(600, 'x');
  std::ofstream(path) << content;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition) << store.status();
  EXPECT_NE(store.status().message().find(path), std::string::npos) << store.status();
  EXPECT_NE(store.status().message().find("not an SQLite database"), std::string::npos)
      << store.status();
  EXPECT_EQ(ReadFile(path), content);
}

TEST(StoreOpenTest, RefusesAnotherProgramsDatabase) {
  TempDir dir;
  std::string path = dir.File("other.db");
  RawQuery(path, "CREATE TABLE contacts (name TEXT)");
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition) << store.status();
  EXPECT_NE(store.status().message().find("another program"), std::string::npos) << store.status();
}

TEST(StoreOpenTest, RefusesAFolderAndAMissingFolder) {
  TempDir dir;
  EXPECT_EQ(Store::Open(dir.path()).status().code(), absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(dir.File("missing/state.db"));
  EXPECT_EQ(store.status().code(), absl::StatusCode::kNotFound) << store.status();
  EXPECT_NE(store.status().message().find("does not exist"), std::string::npos);
}

TEST_F(StoreTest, PhysicalDevicesAreBoundRenamedAndUnbound) {
  absl::StatusOr<Device> bound = store_->BindPhysicalDevice("0669FF01", "nucleo_f401re", "bench-1");
  ASSERT_TRUE(bound.ok()) << bound.status();
  EXPECT_EQ(bound->id, "0669FF01");
  EXPECT_EQ(bound->serial, "0669FF01");
  EXPECT_EQ(bound->kind, DeviceKind::kPhysical);
  EXPECT_EQ(bound->tty, "");
  EXPECT_GT(bound->created_us, 0);
  EXPECT_EQ(store_->GetDevice("bench-1")->serial, "0669FF01");

  // Names are unique among every device, emulated ones too.
  Device emulated;
  emulated.id = "emu-qemu_cortex_m3-1";
  emulated.name = "sim";
  emulated.kind = DeviceKind::kEmulated;
  ASSERT_TRUE(store_->UpsertDevice(emulated).ok());
  absl::StatusOr<Device> clash = store_->BindPhysicalDevice("0669FF02", "nucleo_f401re", "sim");
  EXPECT_EQ(clash.status().code(), absl::StatusCode::kAlreadyExists) << clash.status();
  clash = store_->BindPhysicalDevice("0669FF02", "nucleo_f401re", "bench-1");
  EXPECT_EQ(clash.status().code(), absl::StatusCode::kAlreadyExists) << clash.status();
  clash = store_->BindPhysicalDevice("emu-qemu_cortex_m3-1", "nucleo_f401re", "x");
  EXPECT_EQ(clash.status().code(), absl::StatusCode::kAlreadyExists) << clash.status();
  EXPECT_EQ(store_->BindPhysicalDevice("", "b", "n").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->BindPhysicalDevice("s", "", "n").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->BindPhysicalDevice("s", "b", "").status().code(),
            absl::StatusCode::kInvalidArgument);

  // Binding the serial again rebinds it, keeping its creation time and tags.
  ASSERT_TRUE(store_->AddDeviceTags("0669FF01", {"lab"}).ok());
  absl::StatusOr<Device> rebound =
      store_->BindPhysicalDevice("0669FF01", "nrf52840dk", "bench-2", "/dev/ttyUSB3");
  ASSERT_TRUE(rebound.ok()) << rebound.status();
  EXPECT_EQ(rebound->board, "nrf52840dk");
  EXPECT_EQ(rebound->name, "bench-2");
  EXPECT_EQ(rebound->tty, "/dev/ttyUSB3");
  EXPECT_EQ(rebound->created_us, bound->created_us);
  EXPECT_EQ(rebound->tags, std::vector<std::string>{"lab"});

  absl::StatusOr<Device> renamed = store_->RenameDevice("bench-2", "left");
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(store_->GetDevice("left")->id, "0669FF01");
  EXPECT_EQ(store_->RenameDevice("left", "sim").status().code(), absl::StatusCode::kAlreadyExists);

  absl::StatusOr<std::vector<Device>> physical = store_->ListPhysicalDevices();
  ASSERT_TRUE(physical.ok());
  ASSERT_EQ(physical->size(), 1u);
  EXPECT_EQ(physical->at(0).tty, "/dev/ttyUSB3");

  EXPECT_EQ(store_->UnbindDevice("sim").status().code(), absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<Device> unbound = store_->UnbindDevice("left");
  ASSERT_TRUE(unbound.ok()) << unbound.status();
  EXPECT_EQ(unbound->serial, "0669FF01");
  EXPECT_EQ(store_->GetDevice("0669FF01").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->UnbindDevice("left").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(StoreTest, LeasesArePutReplacedListedExpiredAndKeptAcrossReopen) {
  LeaseRecord lease{.token = "tok-1",
                    .id = "l-1",
                    .holder = "ci",
                    .devices = {"b", "a"},
                    .acquired_us = 10,
                    .expires_us = 1000,
                    .duration_ms = 1,
                    .note = "job 7"};
  ASSERT_TRUE(store_->PutLease(lease).ok());
  LeaseRecord other{.token = "tok-2",
                    .id = "l-2",
                    .holder = "me",
                    .devices = {"c"},
                    .acquired_us = 20,
                    .expires_us = 50,
                    .duration_ms = 0,
                    .note = ""};
  ASSERT_TRUE(store_->PutLease(other).ok());
  LeaseRecord clash = other;
  clash.token = "tok-3";
  EXPECT_EQ(store_->PutLease(clash).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->PutLease(LeaseRecord{}).code(), absl::StatusCode::kInvalidArgument);
  lease.expires_us = 2000;  // a renewal replaces the row
  ASSERT_TRUE(store_->PutLease(lease).ok());
  absl::StatusOr<int> expired = store_->DeleteExpiredLeases(50);
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(*expired, 1);
  store_.reset();
  store_ = OpenOrDie(path_);
  absl::StatusOr<std::vector<LeaseRecord>> leases = store_->ListLeases();
  ASSERT_TRUE(leases.ok()) << leases.status();
  ASSERT_EQ(leases->size(), 1u);
  EXPECT_EQ((*leases)[0].token, "tok-1");
  EXPECT_EQ((*leases)[0].holder, "ci");
  EXPECT_EQ((*leases)[0].devices, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ((*leases)[0].expires_us, 2000);
  EXPECT_EQ((*leases)[0].note, "job 7");
  EXPECT_TRUE(store_->DeleteLease("tok-1").ok());
  EXPECT_EQ(store_->DeleteLease("tok-1").code(), absl::StatusCode::kNotFound);
}

TEST_F(StoreTest, SetDeviceTagsReplacesThem) {
  ASSERT_TRUE(store_->BindPhysicalDevice("0669FF01", "nucleo_f401re", "bench-1").ok());
  ASSERT_TRUE(store_->AddDeviceTags("0669FF01", {"old"}).ok());
  absl::StatusOr<Device> device = store_->SetDeviceTags("0669FF01", {"rack-2", "usb3", "rack-2"});
  ASSERT_TRUE(device.ok()) << device.status();
  EXPECT_EQ(device->tags, (std::vector<std::string>{"rack-2", "usb3"}));
  EXPECT_EQ(store_->SetDeviceTags("nope", {"x"}).status().code(), absl::StatusCode::kNotFound);
}

TEST(StoreOpenTest, SchemaTwoDevicesGainAnEmptyTty) {
  TempDir dir;
  std::string path = dir.File("state.db");
  {
    std::vector<const char *> v2(kMigrations.begin(), kMigrations.begin() + 2);
    absl::StatusOr<std::unique_ptr<Store>> old = internal::OpenWithMigrations(path, v2);
    ASSERT_TRUE(old.ok()) << old.status();
  }
  RawQuery(path,
           "INSERT INTO devices (id, name, board, kind, serial, created_us) VALUES "
           "('0669FF09', 'old-bench', 'nucleo_f401re', 'physical', '0669FF09', 5)");
  ASSERT_EQ(RawQuery(path, "PRAGMA user_version"), "2");
  std::unique_ptr<Store> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), std::to_string(kSchemaVersion));
  absl::StatusOr<Device> device = store->GetDevice("old-bench");
  ASSERT_TRUE(device.ok()) << device.status();
  EXPECT_EQ(device->serial, "0669FF09");
  EXPECT_EQ(device->tty, "");
  EXPECT_EQ(device->created_us, 5);
}

// A Gale of the next schema version: today's migrations plus one.
constexpr const char *kNextMigration =
    "CREATE TABLE future_things (id TEXT PRIMARY KEY, device_id TEXT NOT NULL);"
    "ALTER TABLE jobs ADD COLUMN lease_id TEXT NOT NULL DEFAULT '';";

std::vector<const char *> NextMigrations(const char *next) {
  std::vector<const char *> migrations(kMigrations.begin(), kMigrations.end());
  migrations.push_back(next);
  return migrations;
}

TEST(StoreOpenTest, RefusesADatabaseFromANewerGale) {
  TempDir dir;
  std::string path = dir.File("state.db");
  {
    std::vector<const char *> migrations = NextMigrations(kNextMigration);
    absl::StatusOr<std::unique_ptr<Store>> newer = internal::OpenWithMigrations(path, migrations);
    ASSERT_TRUE(newer.ok()) << newer.status();
    ASSERT_TRUE((*newer)->CreateJob({"build", "", "", ""}).ok());
  }
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition) << store.status();
  EXPECT_NE(store.status().message().find(path), std::string::npos) << store.status();
  EXPECT_NE(store.status().message().find("newer Gale"), std::string::npos) << store.status();
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), std::to_string(kSchemaVersion + 1));
}

TEST(StoreOpenTest, MigratesAnOlderDatabaseKeepingItsData) {
  TempDir dir;
  std::string path = dir.File("state.db");
  std::string job_id;
  {
    std::unique_ptr<Store> store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    absl::StatusOr<Job> job = store->CreateJob({"build", "old", "", ""});
    ASSERT_TRUE(job.ok());
    job_id = job->id;
    ASSERT_TRUE(store->AppendEvent(job_id, "log", "kept").ok());
  }
  std::vector<const char *> migrations = NextMigrations(kNextMigration);
  absl::StatusOr<std::unique_ptr<Store>> newer = internal::OpenWithMigrations(path, migrations);
  ASSERT_TRUE(newer.ok()) << newer.status();
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), std::to_string(kSchemaVersion + 1));
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'future_things'"), "1");
  EXPECT_EQ((*newer)->GetJob(job_id)->summary, "old");
  EXPECT_EQ((*newer)->ListEvents(job_id)->at(0).payload, "kept");
  EXPECT_TRUE((*newer)->CheckIntegrity().ok());
}

TEST(StoreOpenTest, AFailedMigrationChangesNothing) {
  TempDir dir;
  std::string path = dir.File("state.db");
  ASSERT_NE(OpenOrDie(path), nullptr);
  // The first statement succeeds, the second fails: the first must be rolled back.
  std::vector<const char *> migrations =
      NextMigrations("CREATE TABLE future_things (id TEXT); ALTER TABLE no_such_table ADD COLUMN x;");
  absl::StatusOr<std::unique_ptr<Store>> newer = internal::OpenWithMigrations(path, migrations);
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.status().message().find("version " + std::to_string(kSchemaVersion + 1)),
            std::string::npos)
      << newer.status();
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), std::to_string(kSchemaVersion));
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'future_things'"), "0");
  EXPECT_NE(OpenOrDie(path), nullptr);
}

}  // namespace
}  // namespace gale::store

namespace gale::store {
namespace {

LogRecord Log(std::string device, LogLevel level, std::string module, std::string message,
              int64_t time_us) {
  LogRecord r;
  r.device_id = std::move(device);
  r.level = level;
  r.module = std::move(module);
  r.message = std::move(message);
  r.time_us = time_us;
  r.source = "uart";
  return r;
}

TEST_F(StoreTest, LogsAreAppendedInOrderAndFiltered) {
  std::vector<LogRecord> batch = {
      Log("emu-a-1", LogLevel::kInfo, "app", "marker 0", 100),
      Log("emu-a-1", LogLevel::kWarning, "app", "all markers sent", 200),
      Log("emu-b-1", LogLevel::kError, "net", "link down", 300),
      Log("emu-a-1", LogLevel::kDebug, "net", "rx 12 bytes", 400),
  };
  ASSERT_TRUE(store_->AppendLogs(batch).ok());
  EXPECT_LT(batch[0].id, batch[1].id);
  EXPECT_LT(batch[2].id, batch[3].id);

  auto all = store_->QueryLogs();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[1].message, "all markers sent");
  EXPECT_EQ((*all)[1].level, LogLevel::kWarning);
  EXPECT_EQ((*all)[1].source, "uart");

  LogFilter by_device;
  by_device.device_id = "emu-a-1";
  by_device.max_level = LogLevel::kWarning;  // errors and warnings only
  auto warnings = store_->QueryLogs(by_device);
  ASSERT_TRUE(warnings.ok());
  ASSERT_EQ(warnings->size(), 1u);
  EXPECT_EQ(warnings->front().message, "all markers sent");

  LogFilter by_module;
  by_module.module = "net";
  by_module.since_us = 350;
  auto net = store_->QueryLogs(by_module);
  ASSERT_TRUE(net.ok());
  ASSERT_EQ(net->size(), 1u);
  EXPECT_EQ(net->front().message, "rx 12 bytes");

  // Following: what came after the last id seen; the newest N, still oldest first.
  LogFilter follow;
  follow.after_id = batch[1].id;
  auto later = store_->QueryLogs(follow);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->size(), 2u);
  LogFilter newest;
  newest.limit = 2;
  newest.newest = true;
  auto last_two = store_->QueryLogs(newest);
  ASSERT_TRUE(last_two.ok());
  ASSERT_EQ(last_two->size(), 2u);
  EXPECT_EQ((*last_two)[0].message, "link down");
  EXPECT_EQ((*last_two)[1].message, "rx 12 bytes");
}

TEST_F(StoreTest, ABadLogLevelWritesNothing) {
  std::vector<LogRecord> batch = {Log("d", LogLevel::kInfo, "m", "kept?", 1),
                                  Log("d", static_cast<LogLevel>(9), "m", "bad", 2)};
  absl::Status status = store_->AppendLogs(batch);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  auto all = store_->QueryLogs();
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST(LogLevelNames, RoundTrip) {
  for (LogLevel level : {LogLevel::kNone, LogLevel::kError, LogLevel::kWarning, LogLevel::kInfo,
                         LogLevel::kDebug}) {
    EXPECT_EQ(ParseLogLevel(LogLevelName(level)), level);
  }
  EXPECT_EQ(ParseLogLevel("warning"), LogLevel::kWarning);
  EXPECT_EQ(ParseLogLevel("loud"), std::nullopt);
}

TEST_F(StoreTest, AuditRecordsNewestFirstWithFilters) {
  AuditRecord flash;
  flash.caller = "ci-dev";
  flash.role = "developer";
  flash.remote = true;
  flash.peer = "ipv4:127.0.0.1:5000";
  flash.method = "/gale.v1.Flash/Flash";
  flash.target = "emu-qemu_cortex_m3-1";
  ASSERT_TRUE(store_->AppendAudit(flash).ok());
  EXPECT_GT(flash.id, 0u);
  EXPECT_GT(flash.time_us, 0);
  AuditRecord denied;
  denied.time_us = flash.time_us + 1;
  denied.caller = "viewer";
  denied.role = "read-only";
  denied.remote = true;
  denied.method = "/gale.v1.Devices/Create";
  denied.target = "qemu_cortex_m3";
  denied.code = 7;
  denied.message = "Devices.Create needs the developer role";
  ASSERT_TRUE(store_->AppendAudit(denied).ok());
  EXPECT_GT(denied.id, flash.id);

  absl::StatusOr<std::vector<AuditRecord>> all = store_->ListAudit();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(0).caller, "viewer");
  EXPECT_EQ(all->at(0).code, 7);
  EXPECT_EQ(all->at(0).message, "Devices.Create needs the developer role");
  EXPECT_EQ(all->at(1).method, "/gale.v1.Flash/Flash");
  EXPECT_EQ(all->at(1).target, "emu-qemu_cortex_m3-1");
  EXPECT_TRUE(all->at(1).remote);
  EXPECT_EQ(all->at(1).peer, "ipv4:127.0.0.1:5000");

  AuditFilter by_name;
  by_name.caller = "ci-dev";
  absl::StatusOr<std::vector<AuditRecord>> by_caller = store_->ListAudit(by_name);
  ASSERT_TRUE(by_caller.ok());
  ASSERT_EQ(by_caller->size(), 1u);
  EXPECT_EQ(by_caller->at(0).role, "developer");
  AuditFilter one;
  one.limit = 1;
  absl::StatusOr<std::vector<AuditRecord>> limited = store_->ListAudit(one);
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ(limited->at(0).id, denied.id);

  // Audit records outlive the store that wrote them.
  store_.reset();
  store_ = OpenOrDie(path_);
  ASSERT_NE(store_, nullptr);
  AuditFilter flashes;
  flashes.method = "/gale.v1.Flash/Flash";
  absl::StatusOr<std::vector<AuditRecord>> reopened = store_->ListAudit(flashes);
  ASSERT_TRUE(reopened.ok());
  ASSERT_EQ(reopened->size(), 1u);
  EXPECT_EQ(reopened->at(0).id, flash.id);
}

}  // namespace
}  // namespace gale::store
