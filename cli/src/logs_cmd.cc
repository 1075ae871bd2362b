// gale logs: decoded target log records kept by galed, filtered by device, level and module;
// --follow keeps printing new ones. Text like the target prints it, or --json.
#include <map>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "exit_codes.h"
#include "gale/v1/logs.grpc.pb.h"
#include "interrupt.h"
#include "json.h"

namespace gale::cli {
namespace {

std::string_view Tag(gale::v1::LogLevel level) {
  switch (level) {
    case gale::v1::LOG_LEVEL_ERR:
      return "err";
    case gale::v1::LOG_LEVEL_WRN:
      return "wrn";
    case gale::v1::LOG_LEVEL_INF:
      return "inf";
    case gale::v1::LOG_LEVEL_DBG:
      return "dbg";
    default:
      return "   ";
  }
}

std::string Text(const gale::v1::LogRecord &r) {
  return absl::StrCat(r.device_id(), " ",
                      r.target_time().empty() ? "" : "[" + r.target_time() + "] ", "<",
                      std::string(Tag(r.level())), "> ", r.module(), r.module().empty() ? "" : ": ",
                      r.message(), "\n");
}

}  // namespace

int RunLogs(Context &ctx) {
  const LogsOptions &opts = ctx.inv.logs;
  gale::v1::QueryLogsRequest request;
  request.set_device_id(opts.device);
  request.set_module(opts.module);
  request.set_limit(static_cast<uint32_t>(opts.limit));
  request.set_newest(true);
  if (!opts.level.empty()) {
    std::optional<int> level = ParseEnumValue(*gale::v1::LogLevel_descriptor(), opts.level);
    if (!level) {
      static const std::map<std::string, gale::v1::LogLevel> kShort = {
          {"err", gale::v1::LOG_LEVEL_ERR}, {"error", gale::v1::LOG_LEVEL_ERR},
          {"wrn", gale::v1::LOG_LEVEL_WRN}, {"warning", gale::v1::LOG_LEVEL_WRN},
          {"inf", gale::v1::LOG_LEVEL_INF}, {"info", gale::v1::LOG_LEVEL_INF},
          {"dbg", gale::v1::LOG_LEVEL_DBG}, {"debug", gale::v1::LOG_LEVEL_DBG}};
      auto it = kShort.find(opts.level);
      if (it == kShort.end()) {
        return Fail(ctx,
                    absl::StrCat("unknown log level '", opts.level, "'; use err, wrn, inf or dbg"));
      }
      level = it->second;
    }
    request.set_level(static_cast<gale::v1::LogLevel>(*level));
  }
  auto stub = gale::v1::Logs::NewStub(ctx.client.channel());
  if (!opts.follow) {
    gale::v1::QueryLogsResponse response;
    auto call = ctx.client.NewContext(std::chrono::seconds(30));
    grpc::Status status = stub->Query(call.get(), request, &response);
    return ConcludeCall(ctx, status, response, [&] {
      for (const gale::v1::LogRecord &r : response.records()) {
        ctx.out << Text(r);
      }
    });
  }
  auto call = ctx.client.NewContext();
  CancelOnInterrupt cancel(call.get());
  auto stream = stub->Follow(call.get(), request);
  gale::v1::LogRecord record;
  while (stream->Read(&record)) {
    ctx.out << (ctx.global().json ? ToJsonLine(record) + "\n" : Text(record));
    ctx.out.flush();
  }
  grpc::Status status = stream->Finish();
  if (InterruptSignal() != 0) {
    return kExitOk;
  }
  if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
    return FailCall(ctx, status);
  }
  return kExitOk;
}

}  // namespace gale::cli
