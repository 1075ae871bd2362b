// The audit log: every state-changing call (the audited methods of the role table in auth.h),
// written to the store when the call ends, with who made it, the device or target it named, and
// its result. Calls refused for their role are recorded by the authentication (auth.h).
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <string>

#include "gale/store/store.h"

namespace google::protobuf {
class Message;
}

namespace gale::daemon {

/// The device, board, job or folder a request names: the first set field among device_id,
/// device, devices, serial, id, job_id, build_dir, app_dir, elf, board, looked for in the message
/// and in its message fields one level down (ConsoleInput.open, AcquireLeaseRequest.selector).
/// Never a token.
std::string AuditTargetOf(const google::protobuf::Message &request);

/// Records the audited methods' calls in `store` (which must outlive the server).
class AuditInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit AuditInterceptorFactory(store::Store &store) : store_(store) {}
  grpc::experimental::Interceptor *CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo *info) override;

 private:
  store::Store &store_;
};

/// "OK", "PERMISSION_DENIED", ... for a gRPC status code.
std::string AuditStatusName(int code);

/// Writes `record` to the store; a failure is reported on stderr (the call itself goes on).
void WriteAudit(store::Store &store, store::AuditRecord &record);

}  // namespace gale::daemon
