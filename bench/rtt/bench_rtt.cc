// gale-bench-rtt ADDRESS LABEL=BUILD_DIR...: RTT throughput from an emulated board to a client
// of a running galed. For each build of bench/rtt/app: create a device of the build's board
// (its CMakeCache.txt's BOARD: qemu_cortex_m3, or native_sim, read in its own memory), open
// Rtt.Stream on channel 0 before flashing (the daemon waits for the control block), flash, and
// read until "stream done". Prints, per build, the bytes received, the rate (from the flash
// request to the last byte, so the flash itself is counted against it), and what was lost: lines
// missing from the numbering (skip mode drops whole lines), the target's own drop count and the
// host's. Asserts nothing.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/flash.grpc.pb.h"
#include "gale/v1/rtt.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kLines = 16384;
constexpr size_t kLineSize = 64;
const std::string kDone = "stream done\n";

struct Run {
  bool ok = false;
  std::string error;
  uint64_t bytes = 0;  // stream bytes received, without the end marker
  int lines = 0;       // whole, well-formed lines
  int missing = 0;     // numbers never seen
  int out_of_order = 0;
  uint64_t dropped_by_target = 0;
  uint64_t dropped_by_host = 0;
  double seconds = 0;        // flash request to end marker
  double first_byte_ms = 0;  // flash request to first byte
};

// Checks the numbering of the received lines.
void Count(const std::string &text, Run &run) {
  std::vector<bool> seen(kLines, false);
  int last = -1;
  size_t pos = 0;
  while (pos + kLineSize <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) {
      break;
    }
    std::string line = text.substr(pos, end - pos + 1);
    pos = end + 1;
    if (line.size() != kLineSize || line.compare(0, 4, "rtt ") != 0) {
      continue;
    }
    int n = std::atoi(line.c_str() + 4);
    if (n < 0 || n >= kLines) {
      continue;
    }
    if (n <= last) {
      run.out_of_order++;
    }
    last = n;
    seen[n] = true;
    run.lines++;
  }
  for (bool s : seen) {
    run.missing += s ? 0 : 1;
  }
}

// The BOARD a build folder was configured for.
std::string BoardOf(const std::string &build_dir) {
  std::ifstream cache(build_dir + "/CMakeCache.txt");
  std::string line;
  while (std::getline(cache, line)) {
    if (line.rfind("BOARD:", 0) == 0 && line.find('=') != std::string::npos) {
      return line.substr(line.find('=') + 1);
    }
  }
  return "";
}

Run Measure(const std::shared_ptr<grpc::Channel> &channel, const std::string &build_dir) {
  Run run;
  const std::string board = BoardOf(build_dir);
  if (board.empty()) {
    run.error = "no BOARD in " + build_dir + "/CMakeCache.txt";
    return run;
  }
  auto devices = gale::v1::Devices::NewStub(channel);
  auto flash = gale::v1::Flash::NewStub(channel);
  auto rtt = gale::v1::Rtt::NewStub(channel);
  gale::v1::Device device;
  {
    grpc::ClientContext ctx;
    gale::v1::CreateDeviceRequest req;
    req.set_board(board);
    if (grpc::Status s = devices->Create(&ctx, req, &device); !s.ok()) {
      run.error = "create: " + s.error_message();
      return run;
    }
  }
  grpc::ClientContext sctx;
  sctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(180));
  gale::v1::RttStreamRequest sreq;
  sreq.set_device_id(device.id());
  sreq.set_channel(0);
  auto stream = rtt->Stream(&sctx, sreq);
  Clock::time_point flash_start;
  Clock::time_point first, last;
  bool got_first = false;
  std::string text;
  std::thread reader([&] {
    gale::v1::RttOutput out;
    while (stream->Read(&out)) {
      run.dropped_by_target += out.dropped_by_target();
      run.dropped_by_host += out.dropped_by_host();
      if (out.data().empty()) {
        continue;
      }
      if (!got_first) {
        first = Clock::now();
        got_first = true;
      }
      text += out.data();
      if (text.size() >= kDone.size() &&
          text.compare(text.size() - kDone.size(), kDone.size(), kDone) == 0) {
        last = Clock::now();
        run.ok = true;
        break;
      }
    }
  });
  flash_start = Clock::now();
  {
    grpc::ClientContext ctx;
    gale::v1::FlashRequest req;
    req.set_device_id(device.id());
    req.set_build_dir(build_dir);
    auto events = flash->Flash(&ctx, req);
    gale::v1::JobEvent event;
    while (events->Read(&event)) {
      if (event.has_result() && event.result().state() != gale::v1::JOB_STATE_SUCCEEDED) {
        run.error = "flash: " + event.result().error();
      }
    }
    if (grpc::Status s = events->Finish(); !s.ok() && run.error.empty()) {
      run.error = "flash: " + s.error_message();
    }
  }
  if (!run.error.empty()) {
    sctx.TryCancel();
  }
  reader.join();
  sctx.TryCancel();
  stream->Finish();
  if (run.ok) {
    text.resize(text.size() - kDone.size());
    run.bytes = text.size();
    run.seconds = std::chrono::duration<double>(last - flash_start).count();
    run.first_byte_ms = std::chrono::duration<double, std::milli>(first - flash_start).count();
    Count(text, run);
  } else if (run.error.empty()) {
    run.error = "the stream ended before \"stream done\" (" + std::to_string(text.size()) +
                " bytes received)";
  }
  grpc::ClientContext dctx;
  gale::v1::DeleteDeviceRequest del;
  del.set_id(device.id());
  gale::v1::DeleteDeviceResponse deleted;
  devices->Delete(&dctx, del, &deleted);
  return run;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ADDRESS LABEL=BUILD_DIR...\n", argv[0]);
    return 2;
  }
  auto channel = grpc::CreateChannel(argv[1], grpc::InsecureChannelCredentials());
  std::printf(
      "| build | received | rate (flash request to last byte) | lines lost | target dropped | "
      "host dropped | flash to first byte |\n| --- | ---: | ---: | ---: | ---: | ---: | "
      "---: |\n");
  int failures = 0;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    size_t eq = arg.find('=');
    std::string label = eq == std::string::npos ? arg : arg.substr(0, eq);
    std::string dir = eq == std::string::npos ? arg : arg.substr(eq + 1);
    Run run = Measure(channel, dir);
    if (!run.ok) {
      std::printf("| %s | failed: %s | | | | | |\n", label.c_str(), run.error.c_str());
      failures++;
      continue;
    }
    std::printf("| %s | %llu B | %.2f MB/s | %d of %d (%llu B)%s | %llu B | %llu B | %.0f ms |\n",
                label.c_str(), static_cast<unsigned long long>(run.bytes),
                static_cast<double>(run.bytes) / run.seconds / 1e6, run.missing, kLines,
                static_cast<unsigned long long>(run.missing) * kLineSize,
                run.out_of_order ? " OUT OF ORDER" : "",
                static_cast<unsigned long long>(run.dropped_by_target),
                static_cast<unsigned long long>(run.dropped_by_host), run.first_byte_ms);
    std::fflush(stdout);
  }
  return failures == 0 ? 0 : 1;
}
