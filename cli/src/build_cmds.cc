// gale build, gale run
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "exit_codes.h"
#include "format.h"
#include "gale/v1/builds.grpc.pb.h"
#include "interrupt.h"
#include "json.h"
#include "requests.h"

namespace gale::cli {

int RunBuild(Context &ctx) {
  const gale::v1::BuildRequest request = MakeBuildRequest(ctx.inv.build, ctx.cwd);
  auto stub = gale::v1::Builds::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  CancelOnInterrupt cancel(context.get());
  EventPrinter printer(ctx.printer_options(), ctx.out, ctx.err);
  auto reader = stub->Build(context.get(), request);
  const StreamOutcome outcome = DrainJobStream(*reader, printer);
  const int code = ConcludeJob(ctx, printer, outcome);
  if (code != kExitOk || ctx.global().json) {
    return code;
  }
  const gale::v1::BuildSummary &summary = outcome.result.build();
  std::string line = summary.up_to_date() ? "up to date: " : "built ";
  line += summary.elf().empty() ? request.build_dir() : summary.elf();
  if (summary.flash_bytes() > 0 || summary.ram_bytes() > 0) {
    absl::StrAppend(&line, " (flash ", FormatBytes(summary.flash_bytes()), ", ram ",
                    FormatBytes(summary.ram_bytes()), ")");
  }
  ctx.out << line << '\n';
  return kExitOk;
}

int RunRun(Context &ctx) {
  const gale::v1::RunRequest request = MakeRunRequest(ctx.inv.build, ctx.inv.run, ctx.cwd);
  auto stub = gale::v1::Builds::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  CancelOnInterrupt cancel(context.get());
  EventPrinter printer(ctx.printer_options(), ctx.out, ctx.err);
  auto reader = stub->Run(context.get(), request);
  const StreamOutcome outcome = DrainJobStream(*reader, printer);
  if (InterruptSignal() != 0 || !outcome.status.ok() || !outcome.has_result) {
    return ConcludeJob(ctx, printer, outcome);
  }
  const gale::v1::JobResult &result = outcome.result;
  bool built = result.has_build();
  for (const std::string &phase : printer.phases()) {
    built = built || !IsBuildPhase(phase);
  }
  const int code = RunExitCode(result, built);
  if (result.state() == gale::v1::JOB_STATE_SUCCEEDED && code == kExitOk) {
    return code;
  }
  const bool image_exited = (result.exit_code() & 0xff) != 0;
  if (!image_exited) {
    printer.PrintFailureTail();
  }
  std::string message = result.error();
  if (message.empty()) {
    message = image_exited
                  ? absl::StrCat("the image exited with code ", result.exit_code())
                  : absl::StrCat("job ", printer.job_id(), " ", EnumValueNameOf(result.state()));
  }
  Fail(ctx, message);
  return code;
}

}  // namespace gale::cli
