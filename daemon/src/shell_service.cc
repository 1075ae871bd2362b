// Shell: a device's shell over its console UART or its RTT channel 0 (the RTT monitor's hub,
// whose input goes to down-channel 0). Exec sends one command line and returns what the shell
// printed before its next prompt; Session relays bytes both ways, with one owner of a device's
// input per backend at a time.
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "device_util.h"
#include "gale/daemon/status.h"
#include "gale/v1/shell.grpc.pb.h"
#include "lease_guard.h"
#include "services.h"

namespace gale::daemon {
namespace {

// The prompts of the shell backends (Zephyr's defaults, which Gale's shell keeps).
constexpr std::string_view kUartPrompt = "uart:~$ ";
constexpr std::string_view kRttPrompt = "rtt:~$ ";

// Removes VT100 control sequences (ESC [ ... final byte, ESC + one char) and carriage returns:
// the shell redraws its line with them, a script wants the text.
std::string PlainText(std::string_view raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\x1b') {
      if (i + 1 < raw.size() && raw[i + 1] == '[') {
        i += 2;
        while (i < raw.size() && !(raw[i] >= '@' && raw[i] <= '~')) {
          ++i;
        }
      } else {
        ++i;
      }
      continue;
    }
    if (c == '\r' || c == '\x07') {
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// The output of `command` in `text` (plain), once the shell has printed its next prompt: the
// lines after the one that echoes the command, up to the prompt. nullopt while incomplete.
std::optional<std::string> CommandOutput(const std::string &text, const std::string &command,
                                         std::string_view prompt_text) {
  size_t echo = text.find(command);
  if (echo == std::string::npos) {
    return std::nullopt;
  }
  size_t start = text.find('\n', echo + command.size());
  if (start == std::string::npos) {
    return std::nullopt;
  }
  ++start;
  size_t prompt = text.find(prompt_text, start);
  if (prompt == std::string::npos) {
    return std::nullopt;
  }
  return text.substr(start, prompt - start);
}

class ShellService final : public v1::Shell::Service {
 public:
  explicit ShellService(Context &context) : context_(context) {}

  grpc::Status Exec(grpc::ServerContext *server_context, const v1::ShellExecRequest *request,
                    v1::ShellExecResponse *reply) override {
    if (grpc::Status s = CheckBackend(request->backend()); !s.ok()) {
      return s;
    }
    const bool rtt = request->backend() == "rtt";
    std::string command(request->command());
    if (command.empty() || command.find_first_of("\r\n") != std::string::npos) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "give exactly one command line (no newlines)");
    }
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDevice(context_, request->device_id());
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    std::string id = (*device)->id();
    if (absl::Status leased = CheckDeviceLease(context_, *server_context, id); !leased.ok()) {
      return ToGrpc(leased);
    }
    // One writer of a device's input per backend.
    std::lock_guard<std::mutex> owner(InputLock(id + (rtt ? "/rtt" : "/uart")));
    devices::ConsoleHub &hub = Hub(*device, rtt);
    std::unique_ptr<devices::ConsoleReader> reader = hub.Attach(/*replay=*/false);
    // Ctrl-U clears whatever a previous client left on the line; then the command.
    if (absl::Status s = hub.SendInput("\x15" + command + "\r"); !s.ok()) {
      return ToGrpc(absl::FailedPreconditionError(
          absl::StrCat("cannot send to the shell of ", id, ": ", s.message())));
    }
    absl::Duration timeout =
        absl::Milliseconds(request->timeout_ms() == 0 ? 10000 : request->timeout_ms());
    absl::Time deadline = absl::Now() + timeout;
    std::string raw;
    while (absl::Now() < deadline && !server_context->IsCancelled()) {
      absl::StatusOr<devices::ConsoleChunk> chunk = reader->Read(absl::Milliseconds(100));
      if (absl::IsDeadlineExceeded(chunk.status())) {
        continue;
      }
      if (!chunk.ok()) {
        break;
      }
      if (chunk->exited || !chunk->stopped.empty()) {
        return grpc::Status(
            grpc::StatusCode::UNAVAILABLE,
            absl::StrCat("the image on ", id, " stopped while running '", command, "'"));
      }
      raw += chunk->data;
      if (std::optional<std::string> out =
              CommandOutput(PlainText(raw), command, rtt ? kRttPrompt : kUartPrompt)) {
        reply->set_output(*out);
        reply->set_error(absl::StrContains(*out, "command not found") ||
                         absl::StrContains(*out, "unknown parameter") ||
                         absl::StrContains(*out, "wrong parameter count") ||
                         absl::StrContains(*out, "Error"));
        return grpc::Status::OK;
      }
    }
    return grpc::Status(
        grpc::StatusCode::DEADLINE_EXCEEDED,
        absl::StrCat("no shell prompt from ", id, " within ", absl::FormatDuration(timeout),
                     " after '", command,
                     rtt ? "': is the image built with CONFIG_SHELL=y and "
                           "CONFIG_SHELL_BACKEND_RTT=y, and running? Output seen: "
                         : "': is the image built with CONFIG_SHELL=y and running? Output seen: ",
                     PlainText(raw).substr(0, 200)));
  }

  grpc::Status Session(grpc::ServerContext *server_context,
                       grpc::ServerReaderWriter<v1::ShellOutput, v1::ShellInput> *stream) override {
    v1::ShellInput first;
    if (!stream->Read(&first) || first.input_case() != v1::ShellInput::kOpen) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "the first Shell.Session message must be `open` naming a device");
    }
    if (grpc::Status s = CheckBackend(first.open().backend()); !s.ok()) {
      return s;
    }
    const bool rtt = first.open().backend() == "rtt";
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDevice(context_, first.open().device_id());
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    std::string id = (*device)->id();
    devices::ConsoleHub &hub = Hub(*device, rtt);
    std::unique_lock<std::mutex> owner(InputLock(id + (rtt ? "/rtt" : "/uart")), std::defer_lock);
    // A leased device's input belongs to its lease's holder; others may watch.
    const absl::Status leased = CheckDeviceLease(context_, *server_context, id);
    bool owns = !first.open().read_only() && leased.ok() && owner.try_lock();
    v1::ShellOutput hello;
    hello.set_input_owner(owns);
    hello.set_status(owns ? "this session owns the shell's input"
                     : !leased.ok() && !first.open().read_only()
                         ? absl::StrCat("read-only: ", leased.message())
                         : "read-only: another session owns the shell's input");
    stream->Write(hello);
    std::unique_ptr<devices::ConsoleReader> reader = hub.Attach(/*replay=*/false);
    std::atomic<bool> input_done{false};
    std::atomic<int64_t> input_done_ns{0};
    std::thread input([&] {
      v1::ShellInput in;
      while (stream->Read(&in)) {
        if (owns && in.input_case() == v1::ShellInput::kData) {
          (void)hub.SendInput(in.data());
        }
      }
      input_done_ns = absl::ToUnixNanos(absl::Now());
      input_done = true;
    });
    if (owns) {
      (void)hub.SendInput("\r");  // a fresh prompt for the new session
    }
    // After the client's input ends (a script piping commands in), the shell's answers to the
    // last of them still come: the session ends once output has been quiet for a second.
    absl::Time quiet_since = absl::Now();
    auto finished = [&] {
      if (!input_done) {
        return false;
      }
      absl::Time last = std::max(quiet_since, absl::FromUnixNanos(input_done_ns));
      return absl::Now() - last > absl::Seconds(1);
    };
    while (!server_context->IsCancelled() && !finished()) {
      absl::StatusOr<devices::ConsoleChunk> chunk = reader->Read(absl::Milliseconds(200));
      if (absl::IsDeadlineExceeded(chunk.status())) {
        continue;
      }
      quiet_since = absl::Now();
      if (!chunk.ok() || chunk->closed) {
        break;
      }
      v1::ShellOutput out;
      out.set_data(chunk->data);
      out.set_input_owner(owns);
      if (!chunk->stopped.empty()) {
        out.set_status(chunk->stopped);
      }
      if (!stream->Write(out)) {
        break;
      }
    }
    reader->Cancel();
    if (!input_done) {
      server_context->TryCancel();  // unblocks the input thread's Read
    }
    input.join();
    return grpc::Status::OK;
  }

 private:
  static grpc::Status CheckBackend(const std::string &backend) {
    if (backend.empty() || backend == "uart" || backend == "rtt") {
      return grpc::Status::OK;
    }
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat("unknown shell backend '", backend, "'; use uart or rtt"));
  }

  // The stream the shell talks over: the console, or RTT channel 0 (its monitor starts now if
  // it was not running, and waits for the image's control block).
  devices::ConsoleHub &Hub(const std::shared_ptr<devices::Device> &device, bool rtt) {
    return rtt ? context_.rtt->Get(device)->Channel(0) : device->console();
  }

  std::mutex &InputLock(const std::string &device_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    return input_locks_[device_id];
  }

  Context &context_;
  std::mutex mutex_;
  std::map<std::string, std::mutex> input_locks_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeShellService(Context &context) {
  return std::make_unique<ShellService>(context);
}

}  // namespace gale::daemon
