// Devices: emulated (and later physical) boards, watched live, driven directly.
#include <condition_variable>
#include <deque>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "device_util.h"
#include "gale/daemon/status.h"
#include "gale/v1/devices.grpc.pb.h"
#include "lease_guard.h"
#include "physical.h"
#include "services.h"

namespace gale::daemon {
namespace {

constexpr uint32_t kMaxMemoryAccess = 1 << 20;

class DevicesService final : public v1::Devices::Service {
 public:
  explicit DevicesService(Context &context) : context_(context) {}

  grpc::Status ListDevices(grpc::ServerContext *, const v1::ListDevicesRequest *,
                           v1::ListDevicesResponse *reply) override {
    for (const devices::DeviceInfo &info : context_.devices->List()) {
      DeviceToProto(info, reply->add_devices());
    }
    absl::StatusOr<std::vector<v1::Device>> physical = ListPhysical(context_);
    if (!physical.ok()) {
      return ToGrpc(physical.status());
    }
    for (v1::Device &device : *physical) {
      *reply->add_devices() = std::move(device);
    }
    for (v1::Device &device : *reply->mutable_devices()) {
      AddFarmFields(context_, &device);
    }
    return grpc::Status::OK;
  }

  grpc::Status Assign(grpc::ServerContext *server_context, const v1::AssignDeviceRequest *request,
                      v1::Device *reply) override {
    const std::string &serial = request->serial();
    if (serial.empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "no probe serial given; `gale devices` lists the attached probes");
    }
    if (absl::Status leased = CheckDeviceLease(context_, *server_context, serial); !leased.ok()) {
      return ToGrpc(leased);
    }
    if (request->board().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          absl::StrCat("no board given for probe ", serial,
                                       " (--board BOARD); `gale boards` lists them"));
    }
    if (absl::Status s = CheckName(request->name()); !s.ok()) {
      return ToGrpc(s);
    }
    absl::StatusOr<boards::Board> board = context_.catalog.Find(request->board());
    if (!board.ok()) {
      return ToGrpc(board.status());
    }
    if (board->openocd.empty()) {
      return grpc::Status(
          grpc::StatusCode::FAILED_PRECONDITION,
          absl::StrCat("board ", board->name, " has no `openocd:` settings in its board.yaml",
                       board->emulator.empty() ? ""
                                               : " (it is an emulated board: use `gale emu "
                                                 "start`)",
                       "; a probe can only be bound to a board OpenOCD can flash"));
    }
    // The name must not be an emulated device's either.
    if (absl::StatusOr<std::shared_ptr<devices::Device>> taken =
            context_.devices->Get(request->name());
        taken.ok()) {
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                          absl::StrCat("device ", (*taken)->id(), " is already named ",
                                       request->name(), "; choose another name"));
    }
    absl::StatusOr<PhysicalView> view = ViewPhysical(context_);
    if (!view.ok()) {
      return ToGrpc(view.status());
    }
    const probes::Probe *probe = nullptr;
    for (const probes::Probe &p : view->attached) {
      if (p.Key() == serial) {
        probe = &p;
      }
    }
    bool known = false;
    for (const store::Device &d : view->bound) {
      known = known || d.serial == serial;
    }
    if (probe == nullptr && !known) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          absl::StrCat("no debug probe with serial ", serial, " is attached; ",
                                       probes::DescribeAttached(view->attached, view->bindings)));
    }
    if (probe != nullptr && !board->openocd.probe.empty() &&
        probe->family != board->openocd.probe) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          absl::StrCat("probe ", serial, " is a ", probe->description, " (",
                                       probe->family, ") but ", board->name,
                                       " is flashed through a ", board->openocd.probe, " probe"));
    }
    absl::StatusOr<store::Device> bound =
        context_.store->BindPhysicalDevice(serial, board->name, request->name(), request->tty());
    if (!bound.ok()) {
      return ToGrpc(bound.status());
    }
    if (probe != nullptr) {
      if (context_.store->TouchDevice(bound->id).ok()) {
        if (absl::StatusOr<store::Device> seen = context_.store->GetDevice(bound->id); seen.ok()) {
          bound = std::move(seen);
        }
      }
      ProbeToProto(*probe, &*bound, reply);
    } else {
      AbsentToProto(*bound, reply);
    }
    return grpc::Status::OK;
  }

  grpc::Status Unassign(grpc::ServerContext *server_context,
                        const v1::UnassignDeviceRequest *request, v1::Device *reply) override {
    if (request->id().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "no device given (NAME or SERIAL); `gale devices` lists them");
    }
    if (absl::StatusOr<store::Device> bound = context_.store->GetDevice(request->id());
        bound.ok()) {
      if (absl::Status leased = CheckDeviceLease(context_, *server_context, bound->id);
          !leased.ok()) {
        return ToGrpc(leased);
      }
    }
    absl::StatusOr<store::Device> gone = context_.store->UnbindDevice(request->id());
    if (!gone.ok()) {
      return ToGrpc(gone.status());
    }
    AbsentToProto(*gone, reply);
    reply->set_bound(false);
    return grpc::Status::OK;
  }

  grpc::Status GetDevice(grpc::ServerContext *, const v1::GetDeviceRequest *request,
                         v1::Device *reply) override {
    // A physical device is answered from the probe listing (looking it up must not start a
    // runner for it).
    if (!request->id().empty() && !context_.devices->Get(request->id()).ok()) {
      absl::StatusOr<std::vector<v1::Device>> physical = ListPhysical(context_);
      if (physical.ok()) {
        for (const v1::Device &device : *physical) {
          if (device.id() == request->id() || device.serial() == request->id() ||
              (!device.name().empty() && device.name() == request->id())) {
            *reply = device;
            AddFarmFields(context_, reply);
            return grpc::Status::OK;
          }
        }
      }
    }
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDevice(context_, request->id());
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    DeviceToProto((*device)->Info(), reply);
    AddFarmFields(context_, reply);
    return grpc::Status::OK;
  }

  grpc::Status Create(grpc::ServerContext *, const v1::CreateDeviceRequest *request,
                      v1::Device *reply) override {
    if (request->board().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "no board given (-b BOARD); `gale boards` lists them");
    }
    absl::StatusOr<boards::Board> board = context_.catalog.Find(request->board());
    if (!board.ok()) {
      return ToGrpc(board.status());
    }
    devices::CreateOptions options;
    options.name = request->name();
    // A device kept for a user (console, shell, RTT, trace) runs like a board; `gale run` and
    // `gale test` use transient devices that run as fast as they can.
    options.native_real_time = true;
    if (request->no_icount()) {
      options.icount_shift.reset();
    } else if (request->icount_shift() < 0 || request->icount_shift() > 10) {
      return grpc::Status(
          grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat("icount shift ", request->icount_shift(), " is out of range (0..10)"));
    } else {
      options.icount_shift = request->icount_shift();
    }
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        context_.devices->Create(*board, options);
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    context_.logs->WatchConsole(*device);
    devices::DeviceInfo info = (*device)->Info();
    store::Device record;
    record.id = info.id;
    record.name = info.name == info.id ? "" : info.name;
    record.board = info.board;
    record.kind = store::DeviceKind::kEmulated;
    (void)context_.store->UpsertDevice(record);
    DeviceToProto(info, reply);
    return grpc::Status::OK;
  }

  grpc::Status Delete(grpc::ServerContext *server_context, const v1::DeleteDeviceRequest *request,
                      v1::DeleteDeviceResponse *) override {
    if (!request->id().empty() && !context_.devices->Get(request->id()).ok()) {
      if (absl::StatusOr<std::vector<v1::Device>> physical = ListPhysical(context_);
          physical.ok()) {
        for (const v1::Device &device : *physical) {
          if (device.id() == request->id() ||
              (!device.name().empty() && device.name() == request->id())) {
            return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                absl::StrCat(request->id(),
                                             " is a physical device: it cannot be deleted; "
                                             "`gale devices unassign ",
                                             request->id(), "` forgets its binding"));
          }
        }
      }
    }
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDevice(context_, request->id());
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    std::string id = (*device)->id();
    if (absl::Status leased = CheckDeviceLease(context_, *server_context, id); !leased.ok()) {
      return ToGrpc(leased);
    }
    context_.gdb_proxies->Remove(id);
    if (absl::Status s = context_.devices->Delete(id); !s.ok()) {
      return ToGrpc(s);
    }
    (void)context_.store->DeleteDevice(id);
    return grpc::Status::OK;
  }

  grpc::Status Watch(grpc::ServerContext *server_context, const v1::WatchDevicesRequest *,
                     grpc::ServerWriter<v1::DeviceEvent> *writer) override {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<v1::DeviceEvent> pending;
    devices::DeviceManager::WatchId watch = context_.devices->Watch(
        [&](const devices::DeviceEvent &event) {
          v1::DeviceEvent out;
          switch (event.kind) {
            case devices::DeviceEvent::Kind::kAdded:
              out.set_kind(v1::DeviceEvent::KIND_ADDED);
              break;
            case devices::DeviceEvent::Kind::kChanged:
              out.set_kind(v1::DeviceEvent::KIND_CHANGED);
              break;
            case devices::DeviceEvent::Kind::kRemoved:
              out.set_kind(v1::DeviceEvent::KIND_REMOVED);
              break;
          }
          DeviceToProto(event.device, out.mutable_device());
          std::lock_guard<std::mutex> lock(mutex);
          pending.push_back(std::move(out));
          changed.notify_one();
        },
        /*send_current=*/true);
    uint64_t probe_watch = 0;
    {
      // Physical devices as they are now, then probes arriving and leaving.
      std::lock_guard<std::mutex> lock(mutex);
      probe_watch = context_.probe_events->Watch([&](const v1::DeviceEvent &event) {
        std::lock_guard<std::mutex> inner(mutex);
        pending.push_back(event);
        changed.notify_one();
      });
      if (absl::StatusOr<std::vector<v1::Device>> physical = ListPhysical(context_);
          physical.ok()) {
        for (v1::Device &device : *physical) {
          v1::DeviceEvent added;
          added.set_kind(v1::DeviceEvent::KIND_ADDED);
          *added.mutable_device() = std::move(device);
          pending.push_back(std::move(added));
        }
      }
    }
    grpc::Status result = grpc::Status::OK;
    for (;;) {
      std::deque<v1::DeviceEvent> batch;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait_for(lock, std::chrono::milliseconds(200), [&] { return !pending.empty(); });
        batch.swap(pending);
      }
      bool gone = server_context->IsCancelled() || context_.shutting_down;
      for (v1::DeviceEvent &event : batch) {
        if (event.kind() != v1::DeviceEvent::KIND_REMOVED) {
          AddFarmFields(context_, event.mutable_device());
        }
        if (gone || !writer->Write(event)) {
          gone = true;
          break;
        }
      }
      if (gone) {
        break;
      }
    }
    context_.probe_events->Unwatch(probe_watch);
    context_.devices->Unwatch(watch);
    return result;
  }

  grpc::Status Reset(grpc::ServerContext *server_context, const v1::DeviceRequest *request,
                     v1::Device *reply) override {
    return Act(*server_context, request->id(), reply,
               [](devices::Device &d) { return d.Reset(false); });
  }
  grpc::Status Halt(grpc::ServerContext *server_context, const v1::DeviceRequest *request,
                    v1::Device *reply) override {
    return Act(*server_context, request->id(), reply, [](devices::Device &d) { return d.Halt(); });
  }
  grpc::Status Resume(grpc::ServerContext *server_context, const v1::DeviceRequest *request,
                      v1::Device *reply) override {
    return Act(*server_context, request->id(), reply,
               [](devices::Device &d) { return d.Resume(); });
  }

  grpc::Status ReadMemory(grpc::ServerContext *, const v1::ReadMemoryRequest *request,
                          v1::ReadMemoryResponse *reply) override {
    if (request->length() > kMaxMemoryAccess) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          absl::StrCat("read of ", request->length(),
                                       " bytes is too large; at most 1 MiB per call"));
    }
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDevice(context_, request->id());
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    absl::StatusOr<std::vector<uint8_t>> data =
        (*device)->ReadMemory(request->address(), request->length());
    if (!data.ok()) {
      return ToGrpc(data.status());
    }
    reply->set_data(std::string(data->begin(), data->end()));
    return grpc::Status::OK;
  }

  grpc::Status WriteMemory(grpc::ServerContext *server_context,
                           const v1::WriteMemoryRequest *request,
                           v1::WriteMemoryResponse *) override {
    if (request->data().size() > kMaxMemoryAccess) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "write is too large; at most 1 MiB per call");
    }
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDeviceToChange(context_, *server_context, request->id());
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    const auto *bytes = reinterpret_cast<const uint8_t *>(request->data().data());
    return ToGrpc((*device)->WriteMemory(request->address(),
                                         std::span<const uint8_t>(bytes, request->data().size())));
  }

  grpc::Status Debug(grpc::ServerContext *server_context, const v1::DeviceRequest *request,
                     v1::DebugServer *reply) override {
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDeviceToChange(context_, *server_context, request->id());
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    devices::DeviceInfo info = (*device)->Info();
    if (info.gdb_address.empty()) {
      // No server yet (OpenOCD starts on demand) or none at all (native_sim: the error says so).
      absl::StatusOr<std::unique_ptr<devices::DebugLease>> lease = (*device)->LendDebugServer();
      if (!lease.ok()) {
        return ToGrpc(lease.status());
      }
    }
    absl::StatusOr<int> port = context_.gdb_proxies->Get(*device);
    if (!port.ok()) {
      return ToGrpc(port.status());
    }
    reply->set_address(absl::StrCat("127.0.0.1:", *port));
    reply->set_image(info.image);
    reply->set_gdb("gdb-multiarch");
    absl::StatusOr<boards::Board> board = context_.catalog.Find(info.board);
    reply->set_arch(board.ok() && board->arch == "riscv" ? "riscv:rv32" : "arm");
    return grpc::Status::OK;
  }

 private:
  // Names go on command lines and in messages: keep them plain.
  static absl::Status CheckName(const std::string &name) {
    if (name.empty()) {
      return absl::InvalidArgumentError("no name given (--name NAME)");
    }
    for (char c : name) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
        return absl::InvalidArgumentError(absl::StrCat(
            "device name '", name, "' may only hold letters, digits, '-', '_' and '.'"));
      }
    }
    if (name.rfind("emu-", 0) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("device name '", name, "' starts with emu-, which emulated devices use"));
    }
    return absl::OkStatus();
  }

  template <typename Fn>
  grpc::Status Act(const grpc::ServerContext &server_context, const std::string &id,
                   v1::Device *reply, Fn fn) {
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDeviceToChange(context_, server_context, id);
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    if (absl::Status s = fn(**device); !s.ok()) {
      return ToGrpc(s);
    }
    DeviceToProto((*device)->Info(), reply);
    return grpc::Status::OK;
  }

  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeDevicesService(Context &context) {
  return std::make_unique<DevicesService>(context);
}

}  // namespace gale::daemon
