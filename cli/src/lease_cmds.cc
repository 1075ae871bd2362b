// gale lease acquire|renew|release|list
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "commands.h"
#include "exit_codes.h"
#include "format.h"
#include "gale/v1/farm.grpc.pb.h"
#include "interrupt.h"
#include "json.h"
#include "requests.h"

namespace gale::cli {
namespace {

// The lease a renew/release means: the TOKEN argument, else --lease, else $GALE_LEASE (both of
// which main() already folded into the client's lease metadata, which the daemon reads too).
std::string TokenArgument(const Context &ctx) {
  return ctx.inv.lease.token;
}

void PrintLeaseLine(Context &ctx, const gale::v1::Lease &lease, std::string_view verb) {
  ctx.err << verb << " lease " << lease.id() << ": " << absl::StrJoin(lease.devices(), ", ")
          << " until " << FormatTimeUs(lease.expires_us()) << '\n';
}

}  // namespace

int RunLeaseAcquire(Context &ctx) {
  absl::StatusOr<gale::v1::AcquireLeaseRequest> request = MakeAcquireLeaseRequest(ctx.inv.lease);
  if (!request.ok()) {
    return FailStatus(ctx, request.status());
  }
  auto stub = gale::v1::Farm::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  CancelOnInterrupt cancel(context.get());  // Ctrl-C ends a wait
  gale::v1::Lease lease;
  const grpc::Status status = stub->Acquire(context.get(), *request, &lease);
  return ConcludeCall(ctx, status, lease, [&] {
    // The token alone on stdout (`export GALE_LEASE=$(gale lease acquire ...)`), the rest
    // on stderr.
    ctx.out << lease.token() << '\n';
    PrintLeaseLine(ctx, lease, "acquired");
  });
}

int RunLeaseRenew(Context &ctx) {
  gale::v1::RenewLeaseRequest request;
  request.set_token(TokenArgument(ctx));
  if (!ctx.inv.lease.duration.empty()) {
    absl::StatusOr<int64_t> ms = ParseDurationMs(ctx.inv.lease.duration, "--for");
    if (!ms.ok()) {
      return FailStatus(ctx, ms.status());
    }
    request.set_duration_ms(*ms);
  }
  auto stub = gale::v1::Farm::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::Lease lease;
  const grpc::Status status = stub->Renew(context.get(), request, &lease);
  return ConcludeCall(ctx, status, lease, [&] { PrintLeaseLine(ctx, lease, "renewed"); });
}

int RunLeaseRelease(Context &ctx) {
  gale::v1::ReleaseLeaseRequest request;
  request.set_token(TokenArgument(ctx));
  auto stub = gale::v1::Farm::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::ReleaseLeaseResponse response;
  const grpc::Status status = stub->Release(context.get(), request, &response);
  if (!status.ok()) {
    return FailCall(ctx, status);
  }
  ctx.err << "released\n";
  return kExitOk;
}

int RunLeaseList(Context &ctx) {
  auto stub = gale::v1::Farm::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::ListLeasesResponse response;
  const grpc::Status status =
      stub->ListLeases(context.get(), gale::v1::ListLeasesRequest(), &response);
  return ConcludeCall(ctx, status, response, [&] {
    if (response.leases_size() == 0) {
      ctx.err << "no active leases\n";
      return;
    }
    Table table({"LEASE", "HOLDER", "DEVICES", "EXPIRES", "NOTE"});
    for (const gale::v1::Lease &lease : response.leases()) {
      table.AddRow({lease.id(), lease.holder(), absl::StrJoin(lease.devices(), ","),
                    FormatTimeUs(lease.expires_us()), lease.note().empty() ? "-" : lease.note()});
    }
    ctx.out << table.Render();
  });
}

}  // namespace gale::cli
