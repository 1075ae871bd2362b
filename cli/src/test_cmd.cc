// gale test
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "exit_codes.h"
#include "format.h"
#include "gale/v1/tests.grpc.pb.h"
#include "interrupt.h"
#include "json.h"
#include "requests.h"

namespace gale::cli {
namespace {

void PrintRunTable(Context &ctx, const gale::v1::TestRun &run) {
  Table table({"BOARD", "SCENARIO", "STATUS", "PASS", "FAIL", "SKIP", "TIME", "REASON"});
  for (const gale::v1::ScenarioResult &scenario : run.scenarios()) {
    int pass = 0;
    int fail = 0;
    int skip = 0;
    for (const gale::v1::TestCase &c : scenario.cases()) {
      if (c.status() == "passed") {
        ++pass;
      } else if (c.status() == "failed") {
        ++fail;
      } else {
        ++skip;
      }
    }
    table.AddRow({scenario.board(), scenario.scenario(), scenario.status(), std::to_string(pass),
                  std::to_string(fail), std::to_string(skip), FormatSeconds(scenario.seconds()),
                  scenario.reason()});
  }
  if (!table.empty()) {
    ctx.out << '\n' << table.Render();
  }
}

}  // namespace

int RunTest(Context &ctx) {
  const gale::v1::RunTestsRequest request = MakeRunTestsRequest(ctx.inv.test, ctx.cwd);
  auto stub = gale::v1::Tests::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  CancelOnInterrupt cancel(context.get());
  EventPrinter printer(ctx.printer_options(), ctx.out, ctx.err);
  auto reader = stub->Run(context.get(), request);
  const StreamOutcome outcome = DrainJobStream(*reader, printer);
  if (InterruptSignal() != 0 || !outcome.status.ok() || !outcome.has_result) {
    return ConcludeJob(ctx, printer, outcome);
  }
  const gale::v1::JobResult &result = outcome.result;
  const gale::v1::TestRunSummary &summary = result.tests();

  // The per-scenario table comes from the stored run; without it, the counts still tell.
  gale::v1::TestRun run;
  bool have_run = false;
  if (!summary.run_id().empty()) {
    auto get_context = ctx.client.NewContext(std::chrono::seconds(30));
    gale::v1::GetTestRunRequest get;
    get.set_id(summary.run_id());
    have_run = stub->GetRun(get_context.get(), get, &run).ok();
  }
  if (ctx.global().json) {
    if (have_run) {
      ctx.out << ToJsonLine(run) << '\n';
    }
  } else {
    if (have_run) {
      PrintRunTable(ctx, run);
    }
    std::string line = absl::StrCat(summary.passed(), " passed, ", summary.failed(), " failed, ",
                                    summary.skipped(), " skipped, ", summary.errors(),
                                    summary.errors() == 1 ? " error" : " errors");
    if (!summary.junit().empty()) {
      absl::StrAppend(&line, "; JUnit: ", summary.junit());
    }
    ctx.out << line << '\n' << std::flush;
  }
  const bool all_passed = result.state() == gale::v1::JOB_STATE_SUCCEEDED &&
                          summary.failed() == 0 && summary.errors() == 0;
  if (all_passed) {
    return kExitOk;
  }
  if (result.state() == gale::v1::JOB_STATE_SUCCEEDED) {
    return Fail(ctx, absl::StrCat(summary.failed(), " test cases failed, ", summary.errors(),
                                  " scenarios did not run"));
  }
  return ConcludeJob(ctx, printer, outcome);
}

}  // namespace gale::cli
