// gale-bench-daemon ADDRESS BUILD_DIR [DEVICES]: measures a running galed through its API.
//   1. latency of a unary call (Sdk.GetStatus) over the socket: median and p99 of 2000 calls;
//   2. time to flash BUILD_DIR's hello_world to a fresh emulated device and see its greeting on
//      the console (device creation excluded, then included);
//   3. wall time to do the same on DEVICES (default 16) devices at once.
// Prints the figures; asserts nothing.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "gale/v1/boards.grpc.pb.h"
#include "gale/v1/console.grpc.pb.h"
#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/flash.grpc.pb.h"
#include "gale/v1/sdk.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

struct BootTimes {
  bool ok = false;
  double create_ms = 0;
  double flash_ms = 0;
  double greeting_ms = 0;  // from the flash request to the greeting on the console
  std::string error;
};

BootTimes FlashAndBoot(const std::shared_ptr<grpc::Channel> &channel, const std::string &build_dir,
                       const std::string &board, const std::string &greeting) {
  BootTimes t;
  auto devices = gale::v1::Devices::NewStub(channel);
  auto flash = gale::v1::Flash::NewStub(channel);
  auto console = gale::v1::Console::NewStub(channel);
  Clock::time_point start = Clock::now();
  gale::v1::Device device;
  {
    grpc::ClientContext ctx;
    gale::v1::CreateDeviceRequest req;
    req.set_board(board);
    grpc::Status s = devices->Create(&ctx, req, &device);
    if (!s.ok()) {
      t.error = "create: " + s.error_message();
      return t;
    }
  }
  t.create_ms = Ms(Clock::now() - start);
  // Attach first (no replay): the greeting then arrives live, and its arrival time is measured.
  grpc::ClientContext cctx;
  auto stream = console->Attach(&cctx);
  gale::v1::ConsoleInput open;
  open.mutable_open()->set_device_id(device.id());
  stream->Write(open);
  Clock::time_point flash_start = Clock::now();
  {
    grpc::ClientContext ctx;
    gale::v1::FlashRequest req;
    req.set_device_id(device.id());
    req.set_build_dir(build_dir);
    auto events = flash->Flash(&ctx, req);
    gale::v1::JobEvent event;
    bool succeeded = false;
    while (events->Read(&event)) {
      if (event.has_result()) {
        succeeded = event.result().state() == gale::v1::JOB_STATE_SUCCEEDED;
        if (!succeeded) {
          t.error = "flash: " + event.result().error();
        }
      }
    }
    grpc::Status s = events->Finish();
    if (!s.ok() || !succeeded) {
      t.error = t.error.empty() ? "flash: " + s.error_message() : t.error;
      cctx.TryCancel();
      return t;
    }
  }
  t.flash_ms = Ms(Clock::now() - flash_start);
  std::string seen;
  gale::v1::ConsoleOutput out;
  while (seen.find(greeting) == std::string::npos && stream->Read(&out)) {
    seen += out.data();
  }
  t.greeting_ms = Ms(Clock::now() - flash_start);
  t.ok = seen.find(greeting) != std::string::npos;
  if (!t.ok) {
    t.error = "no greeting on the console";
  }
  cctx.TryCancel();
  stream->Finish();
  grpc::ClientContext dctx;
  gale::v1::DeleteDeviceRequest del;
  del.set_id(device.id());
  gale::v1::DeleteDeviceResponse done;
  devices->Delete(&dctx, del, &done);
  return t;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ADDRESS BUILD_DIR [DEVICES]\n", argv[0]);
    return 2;
  }
  std::string address = argv[1];
  std::string build_dir = argv[2];
  int count = argc > 3 ? std::stoi(argv[3]) : 16;
  const std::string board = "qemu_cortex_m3";
  const std::string greeting = "Hello World! qemu_cortex_m3";
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto sdk = gale::v1::Sdk::NewStub(channel);

  std::vector<double> latencies;
  for (int i = 0; i < 2200; ++i) {
    grpc::ClientContext ctx;
    gale::v1::DaemonStatus status;
    Clock::time_point t0 = Clock::now();
    grpc::Status s = sdk->GetStatus(&ctx, gale::v1::GetStatusRequest(), &status);
    double us = Ms(Clock::now() - t0) * 1000.0;
    if (!s.ok()) {
      std::fprintf(stderr, "GetStatus failed: %s\n", s.error_message().c_str());
      return 1;
    }
    if (i >= 200) {  // the first calls warm the connection up
      latencies.push_back(us);
    }
  }
  std::printf("unary Sdk.GetStatus over %s: median %.0f us, p99 %.0f us (%zu calls)\n",
              address.c_str(), Percentile(latencies, 0.5), Percentile(latencies, 0.99),
              latencies.size());

  BootTimes one = FlashAndBoot(channel, build_dir, board, greeting);
  if (!one.ok) {
    std::fprintf(stderr, "flash and boot failed: %s\n", one.error.c_str());
    return 1;
  }
  std::printf(
      "one device: create %.0f ms, flash (load+verify+start) %.0f ms, flash to greeting "
      "%.0f ms, total %.0f ms\n",
      one.create_ms, one.flash_ms, one.greeting_ms, one.create_ms + one.greeting_ms);

  std::vector<BootTimes> results(count);
  std::vector<std::thread> threads;
  Clock::time_point start = Clock::now();
  for (int i = 0; i < count; ++i) {
    threads.emplace_back(
        [&, i] { results[i] = FlashAndBoot(channel, build_dir, board, greeting); });
  }
  for (std::thread &t : threads) {
    t.join();
  }
  double wall = Ms(Clock::now() - start);
  int ok = 0;
  double worst = 0;
  for (const BootTimes &r : results) {
    ok += r.ok ? 1 : 0;
    worst = std::max(worst, r.create_ms + r.greeting_ms);
    if (!r.ok) {
      std::fprintf(stderr, "a device failed: %s\n", r.error.c_str());
    }
  }
  std::printf("%d devices at once: %d booted, wall %.0f ms (slowest device %.0f ms)\n", count, ok,
              wall, worst);
  return ok == count ? 0 : 1;
}
