// gale-bench-farm ADDRESS BUILD_DIR DAEMON_PID [DEVICES]: a farm rehearsal against a running galed.
//   1. start DEVICES (default 32) emulated qemu_cortex_m3 boards (a pool, as `gale emu start
//      --count N` does);
//   2. lease all of them in one Farm.Acquire;
//   3. with the lease token, flash BUILD_DIR's hello_world to every device at once and wait for
//      each greeting on its console.
// Prints the wall time of each step and of the whole, and the daemon's CPU time (user+system,
// from /proc/PID/stat; its QEMU children are counted apart) and peak resident memory (VmHWM from
// /proc/PID/status). Asserts nothing: exit 1 only when a device did not boot.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gale/v1/console.grpc.pb.h"
#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/farm.grpc.pb.h"
#include "gale/v1/flash.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// utime + stime of a process, in seconds; its parent pid in `ppid`.
double CpuSeconds(int pid, int *ppid = nullptr) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  const size_t paren = line.rfind(')');
  if (paren == std::string::npos) {
    return 0;
  }
  std::istringstream fields(line.substr(paren + 2));
  std::string field;
  std::vector<std::string> f;
  while (fields >> field) {
    f.push_back(field);
  }
  // After the command: state(0) ppid(1) ... utime(11) stime(12).
  if (f.size() < 13) {
    return 0;
  }
  if (ppid != nullptr) {
    *ppid = std::stoi(f[1]);
  }
  return static_cast<double>(std::stoll(f[11]) + std::stoll(f[12])) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU seconds of the live children of `pid` (the emulators).
double ChildrenCpuSeconds(int pid) {
  double total = 0;
  std::error_code ec;
  for (const auto &entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    int ppid = 0;
    const double cpu = CpuSeconds(std::stoi(name), &ppid);
    if (ppid == pid) {
      total += cpu;
    }
  }
  return total;
}

// A /proc/PID/status field in kB (VmRSS, VmHWM).
long StatusKb(int pid, const std::string &key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      return std::stol(line.substr(key.size() + 1));
    }
  }
  return 0;
}

struct Boot {
  bool ok = false;
  double greeting_ms = 0;
  std::string error;
};

// Flashes `device` with the lease and waits for the greeting on its console.
Boot FlashAndBoot(const std::shared_ptr<grpc::Channel> &channel, const std::string &device,
                  const std::string &build_dir, const std::string &token,
                  const std::string &greeting) {
  Boot boot;
  auto flash = gale::v1::Flash::NewStub(channel);
  auto console = gale::v1::Console::NewStub(channel);
  const Clock::time_point start = Clock::now();
  grpc::ClientContext cctx;
  auto stream = console->Attach(&cctx);
  gale::v1::ConsoleInput open;
  open.mutable_open()->set_device_id(device);
  stream->Write(open);
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("gale-lease", token);
    gale::v1::FlashRequest req;
    req.set_device_id(device);
    req.set_build_dir(build_dir);
    auto events = flash->Flash(&ctx, req);
    gale::v1::JobEvent event;
    bool succeeded = false;
    while (events->Read(&event)) {
      if (event.has_result()) {
        succeeded = event.result().state() == gale::v1::JOB_STATE_SUCCEEDED;
        boot.error = event.result().error();
      }
    }
    grpc::Status s = events->Finish();
    if (!s.ok() || !succeeded) {
      boot.error = "flash " + device + ": " + (s.ok() ? boot.error : s.error_message());
      cctx.TryCancel();
      stream->Finish();
      return boot;
    }
  }
  std::string seen;
  gale::v1::ConsoleOutput out;
  while (seen.find(greeting) == std::string::npos && stream->Read(&out)) {
    seen += out.data();
  }
  boot.greeting_ms = Ms(Clock::now() - start);
  boot.ok = seen.find(greeting) != std::string::npos;
  if (!boot.ok) {
    boot.error = "no greeting from " + device;
  }
  cctx.TryCancel();
  stream->Finish();
  return boot;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s ADDRESS BUILD_DIR DAEMON_PID [DEVICES]\n", argv[0]);
    return 2;
  }
  const std::string address = argv[1];
  const std::string build_dir = argv[2];
  const int pid = std::stoi(argv[3]);
  const int count = argc > 4 ? std::stoi(argv[4]) : 32;
  const std::string board = "qemu_cortex_m3";
  const std::string greeting = "Hello World! qemu_cortex_m3";
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto devices = gale::v1::Devices::NewStub(channel);
  auto farm = gale::v1::Farm::NewStub(channel);

  const double cpu_before = CpuSeconds(pid);
  const long rss_before = StatusKb(pid, "VmRSS");
  const Clock::time_point start = Clock::now();

  // 1. The pool, one Create after another as `gale emu start --count N` does.
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    grpc::ClientContext ctx;
    gale::v1::CreateDeviceRequest req;
    req.set_board(board);
    gale::v1::Device device;
    grpc::Status s = devices->Create(&ctx, req, &device);
    if (!s.ok()) {
      std::fprintf(stderr, "create device %d: %s\n", i + 1, s.error_message().c_str());
      return 1;
    }
    ids.push_back(device.id());
  }
  const Clock::time_point pooled = Clock::now();

  // 2. One lease for all of them.
  gale::v1::Lease lease;
  {
    grpc::ClientContext ctx;
    gale::v1::AcquireLeaseRequest req;
    for (const std::string &id : ids) {
      req.mutable_selector()->add_devices(id);
    }
    req.set_duration_ms(10 * 60 * 1000);
    req.set_note("bench/farm");
    grpc::Status s = farm->Acquire(&ctx, req, &lease);
    if (!s.ok()) {
      std::fprintf(stderr, "lease: %s\n", s.error_message().c_str());
      return 1;
    }
  }
  const Clock::time_point leased = Clock::now();

  // 3. Flash and boot every device at once.
  std::vector<Boot> boots(ids.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < ids.size(); ++i) {
    threads.emplace_back(
        [&, i] { boots[i] = FlashAndBoot(channel, ids[i], build_dir, lease.token(), greeting); });
  }
  for (std::thread &t : threads) {
    t.join();
  }
  const Clock::time_point booted = Clock::now();
  const double cpu_after = CpuSeconds(pid);
  const double qemu_cpu = ChildrenCpuSeconds(pid);
  const long hwm = StatusKb(pid, "VmHWM");
  const long rss_after = StatusKb(pid, "VmRSS");

  int ok = 0;
  double slowest = 0;
  for (const Boot &b : boots) {
    ok += b.ok ? 1 : 0;
    slowest = std::max(slowest, b.greeting_ms);
    if (!b.ok) {
      std::fprintf(stderr, "%s\n", b.error.c_str());
    }
  }
  std::printf(
      "%d emulated %s boards: start the pool %.0f ms, lease %.1f ms, flash and boot all "
      "at once %.0f ms (slowest device %.0f ms); %d booted\n",
      count, board.c_str(), Ms(pooled - start), Ms(leased - pooled), Ms(booted - leased), slowest,
      ok);
  std::printf(
      "lease, flash and boot (lease + flash + boot): %.0f ms; with the pool start: %.0f ms\n",
      Ms(booted - pooled), Ms(booted - start));
  std::printf(
      "galed: CPU %.2f s (user+system) over the run; RSS %ld KiB before, %ld KiB after, "
      "peak %ld KiB; its %d QEMU children: CPU %.2f s\n",
      cpu_after - cpu_before, rss_before, rss_after, hwm, count, qemu_cpu);

  // Leave the daemon as it was: release the lease, stop the pool.
  {
    grpc::ClientContext ctx;
    gale::v1::ReleaseLeaseRequest req;
    req.set_token(lease.token());
    gale::v1::ReleaseLeaseResponse out;
    farm->Release(&ctx, req, &out);
  }
  for (const std::string &id : ids) {
    grpc::ClientContext ctx;
    gale::v1::DeleteDeviceRequest req;
    req.set_id(id);
    gale::v1::DeleteDeviceResponse out;
    devices->Delete(&ctx, req, &out);
  }
  return ok == count ? 0 : 1;
}
