// Sdk: the daemon's identity and health, and a graceful shutdown on request.
#include "services.h"

#include "gale/v1/sdk.grpc.pb.h"

namespace gale::daemon {
namespace {

class SdkService final : public v1::Sdk::Service {
 public:
  explicit SdkService(Context &context) : context_(context) {}

  grpc::Status GetStatus(grpc::ServerContext *, const v1::GetStatusRequest *,
                         v1::DaemonStatus *reply) override {
    reply->set_version(context_.version);
    reply->set_pid(context_.pid);
    reply->set_uptime_s(absl::ToDoubleSeconds(absl::Now() - context_.started));
    for (const std::string &address : context_.options.listen) {
      reply->add_listen(address);
    }
    reply->set_state_dir(context_.options.state_dir);
    reply->set_gale_base(context_.options.gale_base);
    for (const std::string &root : context_.paths.roots()) {
      reply->add_roots(root);
    }
    FillStatusCounters(context_, reply);
    return grpc::Status::OK;
  }

  grpc::Status Shutdown(grpc::ServerContext *, const v1::ShutdownRequest *,
                        v1::ShutdownResponse *) override {
    context_.request_shutdown();
    return grpc::Status::OK;
  }

 private:
  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeSdkService(Context &context) {
  return std::make_unique<SdkService>(context);
}

}  // namespace gale::daemon
