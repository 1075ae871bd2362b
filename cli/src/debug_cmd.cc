// gale debug: asks the daemon for the device's GDB server (Devices.Debug: a loopback TCP port
// relaying to QEMU's gdbstub or OpenOCD's gdb port, one debugger at a time) and runs
// gdb-multiarch on the image's ELF connected to it; with --server-only, prints HOST:PORT for an
// IDE and exits. While the debugger is connected the daemon's own use of the device waits its
// turn (flash and RTT fail with "a debugger is attached"); on detach the image runs again.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "exit_codes.h"
#include "gale/v1/devices.grpc.pb.h"

namespace gale::cli {

int RunDebug(Context &ctx) {
  namespace fs = std::filesystem;
  const DebugOptions &opts = ctx.inv.debug;
  std::string device = opts.device;
  if (device.empty()) {
    absl::StatusOr<std::string> only = DefaultDevice(ctx);
    if (!only.ok()) {
      return FailStatus(ctx, only.status());
    }
    device = *only;
  }
  auto devices = gale::v1::Devices::NewStub(ctx.client.channel());
  gale::v1::DeviceRequest request;
  request.set_id(device);
  gale::v1::DebugServer server;
  auto call = ctx.client.NewContext(std::chrono::seconds(30));
  if (grpc::Status status = devices->Debug(call.get(), request, &server); !status.ok()) {
    return FailCall(ctx, status);
  }
  std::string elf = server.image();
  if (!opts.elf.empty()) {
    elf = (ctx.cwd / opts.elf).lexically_normal().string();
  } else if (!opts.build_dir.empty()) {
    elf = (ctx.cwd / opts.build_dir / "gale" / "gale.elf").lexically_normal().string();
  }
  if (opts.server_only) {
    ctx.out << server.address() << '\n';
    ctx.out.flush();
    ctx.err << "gale: GDB server of " << device << " at " << server.address()
            << " (one debugger at a time); e.g. " << server.gdb() << ' '
            << (elf.empty() ? "ELF" : elf) << " -ex 'target remote " << server.address()
            << "'\n";
    return kExitOk;
  }
  if (elf.empty()) {
    return Fail(ctx, absl::StrCat("nothing was flashed to ", device,
                                  " yet, so there are no symbols: flash it, or give -d or --elf"));
  }
  std::error_code ec;
  if (!fs::is_regular_file(elf, ec)) {
    return Fail(ctx, absl::StrCat("no ELF at ", elf, ": build it first, or give --elf"));
  }
  // `target remote`, not `extended-remote`: quitting gdb then detaches and the image runs on.
  std::vector<std::string> args = {server.gdb(), "-q", elf, "-ex",
                                   absl::StrCat("target remote ", server.address())};
  std::vector<char *> argv;
  for (std::string &arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  ctx.out.flush();
  ctx.err.flush();
  execvp(argv[0], argv.data());
  return Fail(ctx, absl::StrCat("cannot run ", server.gdb(), ": ", strerror(errno),
                                " (Debian: apt install gdb-multiarch); the GDB server is at ",
                                server.address()));
}

}  // namespace gale::cli
