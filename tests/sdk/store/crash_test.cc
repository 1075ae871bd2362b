// kill -9 in the middle of writing: a child process writes jobs, events, builds and test results
// in a loop until the parent kills it; the parent then reopens the database and checks that
// every record is whole.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gale/store/store.h"
#include "gtest/gtest.h"
#include "temp_dir.h"

namespace gale::store {
namespace {

constexpr int kLogEvents = 20;  // per job, before its result event
constexpr int kArtifacts = 3;
constexpr int kCases = 4;

TestRunSummary Summary() {
  TestRunSummary summary;
  summary.passed = kCases;
  return summary;
}

JobFilter JobsIn(std::optional<JobState> state) {
  JobFilter filter;
  filter.state = state;
  filter.limit = 100000;
  return filter;
}

BuildFilter AllBuilds() {
  BuildFilter filter;
  filter.limit = 100000;
  return filter;
}

// What one iteration of the writer does, as a daemon would for a build-and-test job. Each step
// is one Store call (one transaction); the kill lands between or inside any of them.
[[noreturn]] void WriterChild(const std::string &path, int progress_fd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a test that died
  absl::StatusOr<std::unique_ptr<Store>> opened = Store::Open(path);
  if (!opened.ok()) {
    _exit(2);
  }
  Store &store = **opened;
  // A long job, running for the writer's whole life (like a console session): whenever the kill
  // lands, at least this job is running.
  absl::StatusOr<Job> session = store.CreateJob({"console", "crash test session", "", ""});
  if (!session.ok() || !store.UpdateJobState(session->id, JobState::kRunning).ok()) {
    _exit(3);
  }
  for (int i = 0; i < 100000; ++i) {
    if (!store.AppendEvent(session->id, "log", std::to_string(i)).ok()) {
      _exit(3);
    }
    absl::StatusOr<Job> job = store.CreateJob({"build", "crash test", "", "qemu_cortex_m3"});
    if (!job.ok() || !store.UpdateJobState(job->id, JobState::kRunning).ok()) {
      _exit(3);
    }
    absl::StatusOr<Build> build = store.CreateBuild({"/app", "qemu_cortex_m3", "/b", job->id});
    if (!build.ok()) {
      _exit(4);
    }
    for (int k = 1; k <= kLogEvents; ++k) {
      if (!store.AppendEvent(job->id, "log", std::string(200, static_cast<char>('a' + k % 26)))
               .ok()) {
        _exit(5);
      }
    }
    build->state = JobState::kSucceeded;
    for (int a = 0; a < kArtifacts; ++a) {
      build->artifacts.push_back({"elf", "/b/gale/gale" + std::to_string(a), 1000});
    }
    if (!store.UpdateBuild(*build).ok()) {
      _exit(6);
    }
    absl::StatusOr<TestRun> run = store.CreateTestRun(job->id);
    if (!run.ok()) {
      _exit(7);
    }
    ScenarioResult result{"kernel.sem", "qemu_cortex_m3", "passed", "", 1, {}, "/b", ""};
    for (int c = 0; c < kCases; ++c) {
      result.cases.push_back({"sem", "test_" + std::to_string(c), "passed", 0.1, ""});
    }
    if (!store.AddScenarioResult(run->id, result).ok() ||
        !store.AppendEvent(job->id, "result", "ok").ok() ||
        !store.UpdateJobState(job->id, JobState::kSucceeded).ok() ||
        !store.FinishTestRun(run->id, JobState::kSucceeded, Summary()).ok()) {
      _exit(8);
    }
    char mark = 'j';
    if (write(progress_fd, &mark, 1) != 1) {
      _exit(9);
    }
  }
  _exit(0);
}

// Starts a writer, lets it complete `iterations` jobs and part of the next, and kills it.
void RunAndKillWriter(const std::string &path, int iterations) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    WriterChild(path, fds[1]);
  }
  close(fds[1]);
  for (int seen = 0; seen < iterations;) {
    char mark;
    ssize_t n = read(fds[0], &mark, 1);
    ASSERT_EQ(n, 1) << "the writer stopped early";
    ++seen;
  }
  // Some odd number of microseconds into the next iteration, varying from round to round.
  usleep(static_cast<useconds_t>(137 * iterations % 900));
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "writer exited with " << WEXITSTATUS(status);
  close(fds[0]);
}

TEST(StoreCrashTest, KillDuringWritesLeavesAConsistentDatabase) {
  testing::TempDir dir;
  const std::string path = dir.File("state.db");
  int total_interrupted = 0;
  for (int round = 1; round <= 4; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    RunAndKillWriter(path, 5 * round);

    absl::StatusOr<std::unique_ptr<Store>> opened = Store::Open(path);
    ASSERT_TRUE(opened.ok()) << opened.status();
    Store &store = **opened;
    ASSERT_TRUE(store.CheckIntegrity().ok()) << store.CheckIntegrity();

    absl::StatusOr<std::vector<Job>> jobs = store.ListJobs(JobsIn(std::nullopt));
    ASSERT_TRUE(jobs.ok()) << jobs.status();
    int unfinished = 0;
    for (const Job &job : *jobs) {
      absl::StatusOr<std::vector<Event>> events = store.ListEvents(job.id);
      ASSERT_TRUE(events.ok());
      for (size_t k = 0; k < events->size(); ++k) {
        ASSERT_EQ((*events)[k].seq, k + 1) << job.id;
        if (job.kind == "console") {
          ASSERT_EQ((*events)[k].payload, std::to_string(k)) << job.id;
        } else {
          ASSERT_EQ((*events)[k].payload.size(), k < kLogEvents ? 200u : 2u) << job.id;
        }
      }
      if (job.kind == "console") {
        if (job.state == JobState::kRunning) {  // this round's session
          EXPECT_GE(events->size(), static_cast<size_t>(5 * round)) << job.id;
        }
        continue;
      }
      switch (job.state) {
        case JobState::kSucceeded:
          EXPECT_EQ(events->size(), static_cast<size_t>(kLogEvents + 1)) << job.id;
          EXPECT_EQ(events->back().kind, "result") << job.id;
          EXPECT_GT(job.finished_us, 0);
          break;
        case JobState::kQueued:
        case JobState::kRunning:
          ++unfinished;  // the build job the kill interrupted
          EXPECT_LE(events->size(), static_cast<size_t>(kLogEvents + 1)) << job.id;
          break;
        case JobState::kInterrupted:  // left by an earlier round
          break;
        case JobState::kFailed:
        case JobState::kCancelled:
          ADD_FAILURE() << job.id << " is " << JobStateName(job.state);
          break;
      }
    }
    // The writer runs one build job at a time, beside its session.
    EXPECT_LE(unfinished, 1);
    absl::StatusOr<std::vector<Job>> running = store.ListJobs(JobsIn(JobState::kRunning));
    ASSERT_TRUE(running.ok());
    EXPECT_GE(running->size(), 1u);

    absl::StatusOr<std::vector<Build>> builds = store.ListBuilds(AllBuilds());
    ASSERT_TRUE(builds.ok());
    for (const Build &build : *builds) {
      if (build.state == JobState::kSucceeded) {
        EXPECT_EQ(build.artifacts.size(), static_cast<size_t>(kArtifacts)) << build.id;
      } else {
        EXPECT_TRUE(build.artifacts.empty()) << build.id;
      }
    }
    absl::StatusOr<std::vector<TestRun>> runs = store.ListTestRuns(100000);
    ASSERT_TRUE(runs.ok());
    for (const TestRun &listed : *runs) {
      absl::StatusOr<TestRun> run = store.GetTestRun(listed.id);
      ASSERT_TRUE(run.ok());
      ASSERT_LE(run->scenarios.size(), 1u);
      if (!run->scenarios.empty()) {
        EXPECT_EQ(run->scenarios[0].cases.size(), static_cast<size_t>(kCases)) << run->id;
      }
    }

    absl::StatusOr<int> marked = store.MarkInterrupted();
    ASSERT_TRUE(marked.ok()) << marked.status();
    EXPECT_EQ(*marked, unfinished + 1);  // the session, too
    total_interrupted += *marked;
    EXPECT_TRUE(store.ListJobs(JobsIn(JobState::kRunning))->empty());
    EXPECT_TRUE(store.ListJobs(JobsIn(JobState::kQueued))->empty());
    absl::StatusOr<std::vector<Build>> after = store.ListBuilds(AllBuilds());
    ASSERT_TRUE(after.ok());
    for (const Build &build : *after) {
      EXPECT_TRUE(IsTerminal(build.state)) << build.id;
    }
    EXPECT_EQ(store.ListJobs(JobsIn(JobState::kInterrupted))->size(),
              static_cast<size_t>(total_interrupted));
  }
}

}  // namespace
}  // namespace gale::store
