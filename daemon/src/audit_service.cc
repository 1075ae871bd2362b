// Audit: the audit log, newest first, for admins.
#include "audit.h"
#include "gale/daemon/status.h"
#include "gale/v1/audit.grpc.pb.h"
#include "services.h"

namespace gale::daemon {
namespace {

class AuditService final : public v1::Audit::Service {
 public:
  explicit AuditService(Context &context) : context_(context) {}

  grpc::Status ListAudit(grpc::ServerContext *, const v1::ListAuditRequest *request,
                         v1::ListAuditResponse *reply) override {
    store::AuditFilter filter{
        .caller = request->caller(), .method = request->method(), .limit = request->limit()};
    absl::StatusOr<std::vector<store::AuditRecord>> records = context_.store->ListAudit(filter);
    if (!records.ok()) {
      return ToGrpc(records.status());
    }
    for (const store::AuditRecord &record : *records) {
      v1::AuditRecord *out = reply->add_records();
      out->set_id(record.id);
      out->set_time_us(record.time_us);
      out->set_duration_us(record.duration_us);
      out->set_caller(record.caller);
      out->set_role(record.role);
      out->set_remote(record.remote);
      out->set_peer(record.peer);
      out->set_method(record.method);
      out->set_target(record.target);
      out->set_code(record.code);
      out->set_status(AuditStatusName(record.code));
      out->set_message(record.message);
    }
    return grpc::Status::OK;
  }

 private:
  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeAuditService(Context &context) {
  return std::make_unique<AuditService>(context);
}

}  // namespace gale::daemon
