// gale jobs [show ID | cancel ID | watch ID]
#include <chrono>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "exit_codes.h"
#include "format.h"
#include "gale/v1/jobs.grpc.pb.h"
#include "interrupt.h"
#include "json.h"
#include "requests.h"

namespace gale::cli {
namespace {

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string JobDuration(const gale::v1::Job &job) {
  if (job.started_us() <= 0) {
    return "-";
  }
  const int64_t end = job.finished_us() > 0 ? job.finished_us() : NowUs();
  return FormatSeconds(static_cast<double>(end - job.started_us()) / 1e6);
}

std::string Describe(const gale::v1::Job &job) {
  std::string out;
  auto field = [&out](const char *label, const std::string &value) {
    if (!value.empty()) {
      absl::StrAppend(&out, label, ": ", value, "\n");
    }
  };
  field("job", job.id());
  field("kind", job.kind());
  field("state", EnumValueNameOf(job.state()));
  field("summary", job.summary());
  field("board", job.board());
  field("device", job.device_id());
  field("created", FormatTimeUs(job.created_us()));
  field("started", FormatTimeUs(job.started_us()));
  field("finished", FormatTimeUs(job.finished_us()));
  field("duration", JobDuration(job));
  if (job.kind() == "run" && job.finished_us() > 0) {
    field("exit code", std::to_string(job.exit_code()));
  }
  field("error", job.error());
  return out;
}

}  // namespace

int RunJobs(Context &ctx) {
  const absl::StatusOr<gale::v1::ListJobsRequest> request = MakeListJobsRequest(ctx.inv.jobs);
  if (!request.ok()) {
    return FailStatus(ctx, request.status());
  }
  auto stub = gale::v1::Jobs::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::ListJobsResponse response;
  const grpc::Status status = stub->ListJobs(context.get(), *request, &response);
  return ConcludeCall(ctx, status, response, [&] {
    Table table({"JOB", "KIND", "STATE", "CREATED", "TIME", "SUMMARY"});
    for (const gale::v1::Job &job : response.jobs()) {
      std::string summary = job.summary();
      if (!job.error().empty()) {
        absl::StrAppend(&summary, summary.empty() ? "" : ": ", job.error());
      }
      table.AddRow({job.id(), job.kind(), EnumValueNameOf(job.state()),
                    FormatTimeUs(job.created_us()), JobDuration(job), summary});
    }
    ctx.out << table.Render();
  });
}

int RunJobsShow(Context &ctx) {
  auto stub = gale::v1::Jobs::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::GetJobRequest request;
  request.set_id(ctx.inv.jobs.id);
  gale::v1::Job job;
  const grpc::Status status = stub->GetJob(context.get(), request, &job);
  return ConcludeCall(ctx, status, job, [&] { ctx.out << Describe(job); });
}

int RunJobsCancel(Context &ctx) {
  auto stub = gale::v1::Jobs::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::CancelJobRequest request;
  request.set_id(ctx.inv.jobs.id);
  gale::v1::Job job;
  const grpc::Status status = stub->Cancel(context.get(), request, &job);
  return ConcludeCall(ctx, status, job, [&] {
    ctx.out << "job " << job.id() << ": " << EnumValueNameOf(job.state()) << '\n';
  });
}

int RunJobsWatch(Context &ctx) {
  auto stub = gale::v1::Jobs::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  CancelOnInterrupt cancel(context.get());
  gale::v1::WatchJobRequest request;
  request.set_id(ctx.inv.jobs.id);
  EventPrinter printer(ctx.printer_options(), ctx.out, ctx.err);
  auto reader = stub->Watch(context.get(), request);
  const StreamOutcome outcome = DrainJobStream(*reader, printer);
  return ConcludeJob(ctx, printer, outcome, /*owns_job=*/false);
}

}  // namespace gale::cli
