// Tests: discover testcase.yaml scenarios, build and run them on emulated boards in parallel,
// stream case results, keep them, and write JUnit XML.
#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "build_job.h"
#include "device_util.h"
#include "gale/daemon/status.h"
#include "gale/testing/junit.h"
#include "gale/testing/runner.h"
#include "gale/testing/testcase.h"
#include "gale/v1/tests.grpc.pb.h"
#include "lease_guard.h"
#include "run_job.h"
#include "services.h"

namespace gale::daemon {
namespace fs = std::filesystem;
namespace {

void ScenarioToProto(const testing::Scenario &s, v1::Scenario *out) {
  out->set_name(s.name);
  out->set_app_dir(s.app_dir);
  for (const auto &t : s.tags)
    out->add_tags(t);
  for (const auto &p : s.platform_allow)
    out->add_platform_allow(p);
  for (const auto &c : s.extra_configs)
    out->add_extra_configs(c);
  out->set_timeout_s(s.timeout_s);
  out->set_build_only(s.build_only);
}

store::TestCase CaseToStore(const testing::TestCase &c) {
  store::TestCase out;
  out.suite = c.suite;
  out.name = c.name;
  out.status = std::string(testing::ToString(c.status));
  out.seconds = c.seconds;
  out.message = c.message;
  return out;
}

store::ScenarioResult ResultToStore(const testing::ScenarioResult &r) {
  store::ScenarioResult out;
  out.scenario = r.scenario;
  out.board = r.board;
  out.status = std::string(testing::ToString(r.status));
  out.reason = r.reason;
  out.seconds = r.seconds;
  for (const testing::TestCase &c : r.cases) {
    out.cases.push_back(CaseToStore(c));
  }
  out.build_dir = r.build_dir;
  out.log_path = r.log_path;
  return out;
}

void RunToProto(const store::TestRun &run, v1::TestRun *out) {
  out->set_id(run.id);
  out->set_job_id(run.job_id);
  out->set_state(ToProto(run.state));
  out->set_started_us(run.started_us);
  out->set_finished_us(run.finished_us);
  v1::TestRunSummary *summary = out->mutable_summary();
  summary->set_run_id(run.id);
  summary->set_passed(run.summary.passed);
  summary->set_failed(run.summary.failed);
  summary->set_skipped(run.summary.skipped);
  summary->set_errors(run.summary.errors);
  summary->set_junit(run.summary.junit_path);
  for (const store::ScenarioResult &r : run.scenarios) {
    v1::ScenarioResult *sr = out->add_scenarios();
    sr->set_scenario(r.scenario);
    sr->set_board(r.board);
    sr->set_status(r.status);
    sr->set_reason(r.reason);
    sr->set_seconds(r.seconds);
    sr->set_build_dir(r.build_dir);
    sr->set_log_path(r.log_path);
    for (const store::TestCase &c : r.cases) {
      v1::TestCase *tc = sr->add_cases();
      tc->set_suite(c.suite);
      tc->set_name(c.name);
      tc->set_status(c.status);
      tc->set_seconds(c.seconds);
      tc->set_message(c.message);
    }
  }
}

// Devices a test run was given (`gale test --devices`): each runs one scenario at a time.
class DevicePool {
 public:
  explicit DevicePool(std::vector<std::shared_ptr<devices::Device>> devices)
      : free_(std::move(devices)) {}

  /// A free device of `board`, waited for; nullptr once `stop` is requested.
  std::shared_ptr<devices::Device> Take(const std::string &board, std::stop_token stop) {
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
      for (auto it = free_.begin(); it != free_.end(); ++it) {
        if ((*it)->Info().board == board) {
          std::shared_ptr<devices::Device> device = *it;
          free_.erase(it);
          return device;
        }
      }
      given_back_.wait_for(lock, std::chrono::milliseconds(200));
    }
    return nullptr;
  }
  void Give(std::shared_ptr<devices::Device> device) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(std::move(device));
    }
    given_back_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable given_back_;
  std::vector<std::shared_ptr<devices::Device>> free_;
};

struct TestPlan {
  std::vector<testing::Instance> instances;
  std::vector<std::string> boards;
  std::string junit;
  std::string work_dir;
  unsigned parallel = 0;
  std::shared_ptr<DevicePool> pool;  ///< set: run on these devices, not fresh emulators
  size_t pool_size = 0;
};

// Runs `build_dir`'s image on a device of the pool: flash, then the console's lines until the
// image exits (emulators) or ztest's final "PROJECT EXECUTION ..." line (boards that never exit).
testing::RunOutcome RunOnDevice(Events &events, DevicePool &pool, const boards::Board &board,
                                const std::string &build_dir, const testing::LineFn &on_line,
                                std::chrono::milliseconds timeout, std::stop_token stop) {
  testing::RunOutcome outcome;
  std::shared_ptr<devices::Device> device = pool.Take(board.name, stop);
  if (device == nullptr) {
    outcome.flash_error = "cancelled";
    return outcome;
  }
  struct GiveBack {
    DevicePool &pool;
    std::shared_ptr<devices::Device> device;
    ~GiveBack() { pool.Give(device); }
  } give_back{pool, device};
  // The device's slot, as a flash job takes it: no other job uses it meanwhile.
  absl::StatusOr<jobs::ResourceLease> slot = events.ctx().Acquire("device:" + device->id());
  if (!slot.ok()) {
    outcome.flash_error = "cancelled";
    return outcome;
  }
  // Loaded halted, then the console attached, then started: the reader sees this run's output
  // only, not the end of the previous image's.
  devices::FlashOptions options;
  options.run = false;
  absl::StatusOr<devices::FlashResult> flashed =
      device->Flash(devices::ImageInBuildDir(build_dir, board.emulator), options);
  if (!flashed.ok()) {
    outcome.flash_error = absl::StrCat(device->id(), ": ", flashed.status().message());
    return outcome;
  }
  std::unique_ptr<devices::ConsoleReader> reader = device->console().Attach(/*replay=*/false);
  if (absl::Status started = device->Resume(); !started.ok()) {
    outcome.flash_error = absl::StrCat(device->id(), ": ", started.message());
    return outcome;
  }
  std::optional<int> verdict;  // from ztest's last line, for images that do not exit
  LineSplitter lines([&](std::string_view line) {
    on_line(line);
    if (line.find("PROJECT EXECUTION SUCCESSFUL") != std::string_view::npos) {
      verdict = 0;
    } else if (line.find("PROJECT EXECUTION FAILED") != std::string_view::npos) {
      verdict = 1;
    }
  });
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!stop.stop_requested()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      outcome.timed_out = true;
      break;
    }
    absl::StatusOr<devices::ConsoleChunk> chunk = reader->Read(absl::Milliseconds(100));
    if (absl::IsDeadlineExceeded(chunk.status())) {
      if (verdict.has_value() && board.emulator.empty()) {
        break;  // a board that never exits: its verdict line ends the run
      }
      continue;
    }
    if (!chunk.ok() || chunk->closed) {
      outcome.died_reason = absl::StrCat(device->id(), " went away");
      break;
    }
    lines.Feed(chunk->data);
    if (chunk->exited) {
      lines.Flush();
      outcome.exited = true;
      outcome.exit_code = chunk->exit_code;
      return outcome;
    }
    if (!chunk->stopped.empty()) {
      outcome.died_reason = absl::StrCat(device->id(), ": ", chunk->stopped);
      return outcome;
    }
  }
  lines.Flush();
  if (verdict.has_value() && !outcome.timed_out) {
    outcome.exited = true;
    outcome.exit_code = *verdict;
  }
  return outcome;
}

class TestsService final : public v1::Tests::Service {
 public:
  explicit TestsService(Context &context) : context_(context) {}

  grpc::Status Discover(grpc::ServerContext *, const v1::DiscoverTestsRequest *request,
                        v1::DiscoverTestsResponse *reply) override {
    absl::StatusOr<std::vector<testing::Scenario>> scenarios = DiscoverChecked(request->paths());
    if (!scenarios.ok()) {
      return ToGrpc(scenarios.status());
    }
    for (const testing::Scenario &s : *scenarios) {
      ScenarioToProto(s, reply->add_scenarios());
    }
    return grpc::Status::OK;
  }

  grpc::Status Run(grpc::ServerContext *server_context, const v1::RunTestsRequest *request,
                   grpc::ServerWriter<v1::JobEvent> *writer) override {
    absl::StatusOr<TestPlan> plan = Plan(*server_context, *request);
    if (!plan.ok()) {
      return ToGrpc(plan.status());
    }
    jobs::JobSpec spec;
    spec.kind = "test";
    spec.summary =
        absl::StrCat("test ", plan->instances.size(), " scenario instance(s) on ",
                     absl::StrJoin(plan->boards, ", "),
                     plan->pool != nullptr ? absl::StrCat(" (", plan->pool_size, " devices)") : "");
    spec.board = plan->boards.size() == 1 ? plan->boards.front() : "";
    Context &context = context_;
    return StreamJob(context_, server_context, writer, spec,
                     [&context, p = *plan](jobs::JobContext &ctx) {
                       Events events(ctx);
                       return RunTests(context, events, p);
                     });
  }

  grpc::Status ListRuns(grpc::ServerContext *, const v1::ListTestRunsRequest *request,
                        v1::ListTestRunsResponse *reply) override {
    absl::StatusOr<std::vector<store::TestRun>> runs =
        context_.store->ListTestRuns(request->limit());
    if (!runs.ok()) {
      return ToGrpc(runs.status());
    }
    for (const store::TestRun &run : *runs) {
      RunToProto(run, reply->add_runs());
    }
    return grpc::Status::OK;
  }

  grpc::Status GetRun(grpc::ServerContext *, const v1::GetTestRunRequest *request,
                      v1::TestRun *reply) override {
    absl::StatusOr<store::TestRun> run = context_.store->GetTestRun(request->id());
    if (!run.ok()) {
      return ToGrpc(run.status());
    }
    RunToProto(*run, reply);
    return grpc::Status::OK;
  }

 private:
  absl::StatusOr<std::vector<testing::Scenario>> DiscoverChecked(
      const google::protobuf::RepeatedPtrField<std::string> &paths) {
    if (paths.empty()) {
      return absl::InvalidArgumentError("no test paths given");
    }
    std::vector<std::string> checked;
    for (const std::string &path : paths) {
      absl::StatusOr<std::string> p = context_.paths.Check(path, "test path");
      if (!p.ok()) {
        return p.status();
      }
      std::error_code ec;
      if (!fs::exists(*p, ec)) {
        return absl::NotFoundError(absl::StrCat("test path '", *p, "' does not exist"));
      }
      checked.push_back(*p);
    }
    absl::StatusOr<std::vector<testing::Scenario>> scenarios = testing::DiscoverScenarios(checked);
    if (scenarios.ok() && scenarios->empty()) {
      return absl::NotFoundError(
          absl::StrCat("no testcase.yaml or sample.yaml under ", absl::StrJoin(checked, ", ")));
    }
    return scenarios;
  }

  absl::StatusOr<TestPlan> Plan(const grpc::ServerContext &server_context,
                                const v1::RunTestsRequest &request) {
    absl::StatusOr<std::vector<testing::Scenario>> scenarios = DiscoverChecked(request.paths());
    if (!scenarios.ok()) {
      return scenarios.status();
    }
    TestPlan plan;
    std::vector<testing::BoardInfo> boards;
    std::vector<std::string> names(request.boards().begin(), request.boards().end());
    // On given devices: their boards (a -b must be one of them), their leases checked now.
    std::vector<std::string> device_boards;
    if (!request.devices().empty()) {
      std::vector<std::shared_ptr<devices::Device>> pool;
      for (const std::string &id : request.devices()) {
        absl::StatusOr<std::shared_ptr<devices::Device>> device =
            ResolveDeviceToChange(context_, server_context, id);
        if (!device.ok()) {
          return device.status();
        }
        const std::string board = (*device)->Info().board;
        if (std::find(device_boards.begin(), device_boards.end(), board) == device_boards.end()) {
          device_boards.push_back(board);
        }
        if (std::find(pool.begin(), pool.end(), *device) == pool.end()) {
          pool.push_back(*device);
        }
      }
      for (const std::string &name : names) {
        if (std::find(device_boards.begin(), device_boards.end(), name) == device_boards.end()) {
          return absl::InvalidArgumentError(absl::StrCat("board ", name,
                                                         " is none of the given devices' (",
                                                         absl::StrJoin(device_boards, ", "), ")"));
        }
      }
      if (names.empty()) {
        names = device_boards;
      }
      plan.pool_size = pool.size();
      plan.pool = std::make_shared<DevicePool>(std::move(pool));
    }
    if (names.empty()) {
      for (const boards::Board &b : context_.catalog.boards()) {
        if (!b.emulator.empty()) {
          names.push_back(b.name);
        }
      }
    }
    for (const std::string &name : names) {
      absl::StatusOr<boards::Board> board = context_.catalog.Find(name);
      if (!board.ok()) {
        return board.status();
      }
      if (board->emulator.empty() && plan.pool == nullptr) {
        return absl::FailedPreconditionError(absl::StrCat(
            "board ", name,
            " has no emulator; run tests on its boards with --devices ID,... (`gale devices`)"));
      }
      testing::BoardInfo info;
      info.name = board->name;
      info.arch = board->arch;
      info.ram_kb = board->ram_kb;
      boards.push_back(info);
      plan.boards.push_back(name);
    }
    testing::SelectOptions select;
    select.tags.assign(request.tags().begin(), request.tags().end());
    plan.instances = testing::SelectInstances(*scenarios, boards, select);
    if (!request.junit_path().empty()) {
      absl::StatusOr<std::string> junit = context_.paths.Check(request.junit_path(), "JUnit file");
      if (!junit.ok()) {
        return junit.status();
      }
      plan.junit = *junit;
    }
    if (!request.work_dir().empty()) {
      absl::StatusOr<std::string> work = context_.paths.Check(request.work_dir(), "work folder");
      if (!work.ok()) {
        return work.status();
      }
      plan.work_dir = *work;
    }
    plan.parallel = request.parallel();
    if (plan.pool != nullptr && (plan.parallel == 0 || plan.parallel > plan.pool_size)) {
      plan.parallel = static_cast<unsigned>(plan.pool_size);  // one scenario per device at once
    }
    return plan;
  }

  static jobs::JobOutcome RunTests(Context &context, Events &events, const TestPlan &plan) {
    jobs::JobContext &ctx = events.ctx();
    absl::StatusOr<store::TestRun> run = context.store->CreateTestRun(ctx.job_id());
    if (!run.ok()) {
      return jobs::JobOutcome::Failed(std::string(run.status().message()));
    }
    testing::RunnerOptions options;
    options.parallel =
        plan.parallel != 0 ? plan.parallel : std::max(1u, std::thread::hardware_concurrency());
    options.work_dir = plan.work_dir.empty()
                           ? absl::StrCat(context.options.state_dir, "/tests/", run->id)
                           : plan.work_dir;

    testing::BuildFn build_fn = [&context, &events](const testing::Instance &instance,
                                                    const testing::BuildSpec &spec,
                                                    std::stop_token stop) -> absl::Status {
      absl::StatusOr<jobs::ResourceLease> slot = events.ctx().Acquire("build");
      if (!slot.ok()) {
        return absl::CancelledError("cancelled");
      }
      build::BuildOptions options;
      options.app_dir = spec.app_dir;
      options.board = spec.board;
      options.build_dir = spec.build_dir;
      options.cmake_args = spec.cmake_args;
      BuildJobOptions job_options;
      job_options.log_output = false;  // thousands of lines per scenario; the result keeps errors
      job_options.stop = stop;
      absl::StatusOr<build::BuildResult> result = BuildInJob(context, events, options, job_options);
      if (!result.ok()) {
        return result.status();
      }
      switch (result->state) {
        case build::BuildState::kSucceeded:
          return absl::OkStatus();
        case build::BuildState::kCancelled:
          return absl::CancelledError("cancelled");
        case build::BuildState::kFailed:
          break;
      }
      (void)instance;
      return absl::InternalError(result->error);
    };

    testing::RunFn run_fn = [&context, &events, &plan](
                                const testing::Instance &instance, const std::string &build_dir,
                                const testing::LineFn &on_line, std::chrono::milliseconds timeout,
                                std::stop_token stop) -> testing::RunOutcome {
      testing::RunOutcome outcome;
      absl::StatusOr<boards::Board> board = context.catalog.Find(instance.board.name);
      if (!board.ok()) {
        outcome.flash_error = std::string(board.status().message());
        return outcome;
      }
      if (plan.pool != nullptr) {
        return RunOnDevice(events, *plan.pool, *board, build_dir, on_line, timeout, stop);
      }
      std::atomic<bool> cancel{false};
      std::stop_callback on_stop(stop, [&cancel] { cancel = true; });
      absl::StatusOr<devices::TransientRunResult> result = RunImage(
          context, *board, build_dir, absl::FromChrono(timeout), 0, &cancel,
          [&on_line](std::string_view line) { on_line(line); }, nullptr);
      if (!result.ok()) {
        outcome.flash_error = std::string(result.status().message());
        return outcome;
      }
      switch (result->outcome) {
        case devices::TransientRunResult::Outcome::kExited:
          outcome.exited = true;
          outcome.exit_code = result->exit_code;
          break;
        case devices::TransientRunResult::Outcome::kTimedOut:
          outcome.timed_out = true;
          break;
        case devices::TransientRunResult::Outcome::kCancelled:
          break;
        case devices::TransientRunResult::Outcome::kDied:
          outcome.died_reason = result->error;
          break;
      }
      return outcome;
    };

    std::mutex mutex;
    size_t done = 0;
    const size_t total = plan.instances.size();
    testing::RunnerCallbacks callbacks;
    callbacks.on_case = [&events](const testing::Instance &instance, const testing::TestCase &c) {
      v1::JobEvent event;
      v1::TestCaseEvent *tc = event.mutable_test_case();
      tc->set_scenario(instance.scenario.name);
      tc->set_board(instance.board.name);
      tc->set_suite(c.suite);
      tc->set_name(c.name);
      tc->set_status(std::string(testing::ToString(c.status)));
      tc->set_seconds(c.seconds);
      tc->set_message(c.message);
      events.Emit(event);
    };
    callbacks.on_result = [&](const testing::ScenarioResult &r) {
      (void)context.store->AddScenarioResult(run->id, ResultToStore(r));
      std::lock_guard<std::mutex> lock(mutex);
      ++done;
      events.Progress(
          "test", 100.0 * static_cast<double>(done) / static_cast<double>(total),
          absl::StrCat(r.board, " ", r.scenario, ": ", std::string(testing::ToString(r.status)),
                       r.reason.empty() ? "" : absl::StrCat(" (", r.reason, ")")));
    };
    callbacks.on_phase = [&events](const testing::Instance &instance, std::string_view phase) {
      if (phase != "done") {
        events.Progress(phase, -1, absl::StrCat(instance.board.name, " ", instance.scenario.name));
      }
    };

    testing::TestRunner runner(build_fn, run_fn, options, callbacks);
    testing::RunReport report = runner.Run(plan.instances, ctx.token().stop_token());

    store::TestRunSummary summary;
    summary.passed = report.summary.passed;
    summary.failed = report.summary.failed;
    summary.skipped = report.summary.skipped;
    summary.errors = report.summary.errors;
    std::string junit_error;
    if (!plan.junit.empty()) {
      absl::Status written = testing::WriteJUnit(plan.junit, report.results);
      if (written.ok()) {
        summary.junit_path = plan.junit;
      } else {
        junit_error = std::string(written.message());
      }
    }
    bool failed = summary.failed > 0 || summary.errors > 0 || !junit_error.empty();
    store::JobState state = report.cancelled ? store::JobState::kCancelled
                            : failed         ? store::JobState::kFailed
                                             : store::JobState::kSucceeded;
    (void)context.store->FinishTestRun(run->id, state, summary);

    v1::JobResult detail;
    v1::TestRunSummary *s = detail.mutable_tests();
    s->set_run_id(run->id);
    s->set_passed(summary.passed);
    s->set_failed(summary.failed);
    s->set_skipped(summary.skipped);
    s->set_errors(summary.errors);
    s->set_junit(summary.junit_path);
    if (report.cancelled) {
      return jobs::JobOutcome::Cancelled();
    }
    if (!junit_error.empty()) {
      return jobs::JobOutcome::Failed(junit_error, 0, Detail(detail));
    }
    if (failed) {
      return jobs::JobOutcome::Failed(
          absl::StrCat(summary.failed, " test case(s) failed, ", summary.errors,
                       " scenario(s) did not complete (build, flash, timeout or crash)"),
          0, Detail(detail));
    }
    return jobs::JobOutcome::Succeeded(0, Detail(detail));
  }

  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeTestsService(Context &context) {
  return std::make_unique<TestsService>(context);
}

}  // namespace gale::daemon
