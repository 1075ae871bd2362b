// gale audit: the daemon's audit log (Audit.ListAudit, admin only).
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "exit_codes.h"
#include "format.h"
#include "gale/v1/audit.grpc.pb.h"
#include "json.h"

namespace gale::cli {

int RunAudit(Context &ctx) {
  gale::v1::ListAuditRequest request;
  request.set_limit(ctx.inv.audit.limit);
  request.set_caller(ctx.inv.audit.caller);
  auto stub = gale::v1::Audit::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::ListAuditResponse response;
  const grpc::Status status = stub->ListAudit(context.get(), request, &response);
  return ConcludeCall(ctx, status, response, [&] {
    Table table({"TIME", "CALLER", "ROLE", "FROM", "METHOD", "TARGET", "RESULT"});
    for (const gale::v1::AuditRecord &record : response.records()) {
      std::string method = record.method();
      if (method.rfind("/gale.v1.", 0) == 0) {
        method = method.substr(9);
      }
      std::string result = record.status();
      if (!record.message().empty()) {
        absl::StrAppend(&result, ": ", record.message());
      }
      table.AddRow({FormatTimeUs(record.time_us()), record.caller(), record.role(),
                    !record.remote()        ? std::string("local")
                    : record.peer().empty() ? std::string("remote")
                                            : record.peer(),
                    method, record.target(), result});
    }
    if (table.empty()) {
      ctx.err << "no audit records\n";
    } else {
      ctx.out << table.Render();
    }
  });
}

}  // namespace gale::cli
