// gale shell: with -c, one command line through Shell.Exec (output to stdout; exit 1 when the
// shell reported an error); without, an interactive session on the device's console in raw
// terminal mode (the shell echoes and edits the line itself).
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "exit_codes.h"
#include "gale/v1/shell.grpc.pb.h"

namespace gale::cli {

int RunShell(Context &ctx) {
  const ShellOptions &opts = ctx.inv.shell;
  if (opts.command.empty()) {
    // The shell lives on the console UART: a console session without the replayed history
    // (an old prompt would confuse) that outlives an image restart.
    Invocation inv = ctx.inv;
    inv.console.device = opts.device;
    inv.console.no_replay = true;
    inv.console.follow = true;
    Context console{inv,     ctx.client,        ctx.out,           ctx.err,
                    ctx.cwd, ctx.stderr_is_tty, ctx.terminal_width};
    return RunConsole(console);
  }
  auto stub = gale::v1::Shell::NewStub(ctx.client.channel());
  gale::v1::ShellExecRequest request;
  request.set_device_id(opts.device);
  request.set_command(opts.command);
  request.set_timeout_ms(static_cast<uint32_t>(opts.timeout_s) * 1000);
  gale::v1::ShellExecResponse reply;
  auto call = ctx.client.NewContext(std::chrono::seconds(opts.timeout_s + 10));
  grpc::Status status = stub->Exec(call.get(), request, &reply);
  if (!status.ok()) {
    return FailCall(ctx, status);
  }
  ctx.out << reply.output();
  if (!reply.output().empty() && reply.output().back() != '\n') {
    ctx.out << '\n';
  }
  ctx.out.flush();
  return reply.error() ? kExitFailure : kExitOk;
}

}  // namespace gale::cli
