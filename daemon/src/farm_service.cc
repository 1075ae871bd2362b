// Farm: leases of devices and the tags that select them. The lease logic is sdk/farm's
// LeaseManager; this service translates and says which devices there are.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "caller.h"
#include "gale/daemon/status.h"
#include "gale/v1/farm.grpc.pb.h"
#include "lease_guard.h"
#include "services.h"

namespace gale::daemon {
namespace {

// Tags go on command lines and in selectors: keep them plain.
absl::Status CheckTag(const std::string &tag) {
  if (tag.empty()) {
    return absl::InvalidArgumentError("an empty tag; tags are words like rack-2 or usb3");
  }
  for (char c : tag) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' &&
        c != ':' && c != '=') {
      return absl::InvalidArgumentError(absl::StrCat(
          "tag '", tag, "' may only hold letters, digits, '-', '_', '.', ':' and '='"));
    }
  }
  return absl::OkStatus();
}

void LeaseToProto(const farm::Lease &lease, bool with_token, v1::Lease *out) {
  if (with_token) {
    out->set_token(lease.token);
  }
  out->set_id(lease.id);
  out->set_holder(lease.holder);
  for (const std::string &device : lease.devices) {
    out->add_devices(device);
  }
  out->set_acquired_us(absl::ToUnixMicros(lease.acquired));
  out->set_expires_us(absl::ToUnixMicros(lease.expires));
  out->set_note(lease.note);
}

class FarmService final : public v1::Farm::Service {
 public:
  explicit FarmService(Context &context) : context_(context) {}

  grpc::Status Acquire(grpc::ServerContext *server_context, const v1::AcquireLeaseRequest *request,
                       v1::Lease *reply) override {
    farm::AcquireRequest acquire;
    acquire.selector.devices.assign(request->selector().devices().begin(),
                                    request->selector().devices().end());
    acquire.selector.board = request->selector().board();
    acquire.selector.tags.assign(request->selector().tags().begin(),
                                 request->selector().tags().end());
    acquire.count = request->count();
    acquire.duration = absl::Milliseconds(request->duration_ms());
    acquire.wait = absl::Milliseconds(request->wait_ms());
    acquire.holder = CallerOf(*server_context).name;
    acquire.note = request->note();
    if (!acquire.selector.board.empty()) {
      if (absl::StatusOr<boards::Board> board = context_.catalog.Find(acquire.selector.board);
          !board.ok()) {
        return ToGrpc(board.status());
      }
    }
    absl::StatusOr<farm::Lease> lease = context_.leases->Acquire(
        acquire, [this] { return Candidates(); },
        [server_context] { return server_context->IsCancelled(); });
    if (!lease.ok()) {
      return ToGrpc(lease.status());
    }
    LeaseToProto(*lease, /*with_token=*/true, reply);
    return grpc::Status::OK;
  }

  grpc::Status Renew(grpc::ServerContext *server_context, const v1::RenewLeaseRequest *request,
                     v1::Lease *reply) override {
    absl::StatusOr<farm::Lease> lease = context_.leases->Renew(
        TokenOf(*server_context, request->token()), absl::Milliseconds(request->duration_ms()));
    if (!lease.ok()) {
      return ToGrpc(lease.status());
    }
    LeaseToProto(*lease, /*with_token=*/true, reply);
    return grpc::Status::OK;
  }

  grpc::Status Release(grpc::ServerContext *server_context, const v1::ReleaseLeaseRequest *request,
                       v1::ReleaseLeaseResponse *) override {
    return ToGrpc(context_.leases->Release(TokenOf(*server_context, request->token())));
  }

  grpc::Status ListLeases(grpc::ServerContext *server_context, const v1::ListLeasesRequest *,
                          v1::ListLeasesResponse *reply) override {
    const Caller caller = CallerOf(*server_context);
    for (const farm::Lease &lease : context_.leases->List()) {
      LeaseToProto(lease, caller.role == Role::kAdmin || caller.name == lease.holder,
                   reply->add_leases());
    }
    return grpc::Status::OK;
  }

  grpc::Status SetTags(grpc::ServerContext *, const v1::SetTagsRequest *request,
                       v1::SetTagsResponse *reply) override {
    if (request->device().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "no device given; `gale devices` lists them");
    }
    std::vector<std::string> tags(request->tags().begin(), request->tags().end());
    for (const std::string &tag : tags) {
      if (absl::Status s = CheckTag(tag); !s.ok()) {
        return ToGrpc(s);
      }
    }
    absl::StatusOr<std::string> id = DeviceId(request->device());
    if (!id.ok()) {
      return ToGrpc(id.status());
    }
    absl::StatusOr<store::Device> device = context_.store->SetDeviceTags(*id, tags);
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    for (const std::string &tag : device->tags) {
      reply->add_tags(tag);
    }
    PublishFarmChange(context_, {*id});
    return grpc::Status::OK;
  }

 private:
  // A lease token from the request, else from the call's `gale-lease` metadata (GALE_LEASE).
  static std::string TokenOf(const grpc::ServerContext &server_context, const std::string &token) {
    return token.empty() ? LeaseTokenOf(server_context) : token;
  }

  // The id of a device (emulated by id or name, physical by name or serial) with a store record.
  absl::StatusOr<std::string> DeviceId(const std::string &id_or_name) {
    if (absl::StatusOr<std::shared_ptr<devices::Device>> emulated =
            context_.devices->Get(id_or_name);
        emulated.ok()) {
      devices::DeviceInfo info = (*emulated)->Info();
      if (!context_.store->GetDevice(info.id).ok()) {
        store::Device record;
        record.id = info.id;
        record.name = info.name == info.id ? "" : info.name;
        record.board = info.board;
        record.kind = store::DeviceKind::kEmulated;
        if (absl::StatusOr<store::Device> put = context_.store->UpsertDevice(record); !put.ok()) {
          return put.status();
        }
      }
      return info.id;
    }
    absl::StatusOr<store::Device> stored = context_.store->GetDevice(id_or_name);
    if (!stored.ok() || stored->kind != store::DeviceKind::kPhysical) {
      return absl::NotFoundError(absl::StrCat(
          "no device ", id_or_name,
          " (an emulated device's id or name, or a bound physical device's name or serial); "
          "`gale devices` lists them"));
    }
    return stored->id;
  }

  // Devices a lease may take: the emulated ones running now and every bound physical device.
  std::vector<farm::Candidate> Candidates() {
    std::vector<farm::Candidate> out;
    std::map<std::string, std::vector<std::string>> tags;
    if (absl::StatusOr<std::vector<store::Device>> stored = context_.store->ListDevices();
        stored.ok()) {
      for (store::Device &device : *stored) {
        if (device.kind == store::DeviceKind::kPhysical) {
          out.push_back(farm::Candidate{
              .id = device.id, .name = device.name, .board = device.board, .tags = device.tags});
        } else {
          tags[device.id] = std::move(device.tags);
        }
      }
    }
    for (const devices::DeviceInfo &info : context_.devices->List()) {
      out.push_back(farm::Candidate{
          .id = info.id, .name = info.name, .board = info.board, .tags = tags[info.id]});
    }
    return out;
  }

  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeFarmService(Context &context) {
  return std::make_unique<FarmService>(context);
}

}  // namespace gale::daemon
