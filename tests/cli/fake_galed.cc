// A scripted stand-in for galed, for testing the gale binary at its edge: it speaks the real
// API over a real unix socket, with behaviour chosen by the request (the board name mostly):
//
//   Build:  board "fail" fails with a diagnostic and tool output; any other board succeeds.
//   Run:    "exit_N" boots, prints console lines, and the image exits with N; "fail" fails to
//           build; "timeout" fails after booting as a timed-out run; "hang" boots and waits to
//           be cancelled, then writes STATE_DIR/cancelled.
//   Console: replays "boot banner", echoes input lines as "echo: ...", and on input "exit" the
//           image exits with 7; streams until then, or until the client goes away.
//   Jobs:   lists an interrupted and a succeeded job.
//
// Every JobEvent stream echoes the "gale-lease" metadata as a daemon log line when present.
// It is not galed: it exists only for tests/cli.
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "gale/host/paths.h"
#include "gale/v1/boards.grpc.pb.h"
#include "gale/v1/builds.grpc.pb.h"
#include "gale/v1/console.grpc.pb.h"
#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/jobs.grpc.pb.h"
#include "gale/v1/sdk.grpc.pb.h"
#include "gale/v1/tests.grpc.pb.h"

namespace {

using grpc::ServerContext;
using grpc::Status;
using grpc::StatusCode;
using namespace gale::v1;

std::string g_listen;
const auto g_start = std::chrono::steady_clock::now();
std::atomic<int> g_job_counter{0};
grpc::Server *g_server = nullptr;

class Events {
 public:
  Events(ServerContext *context, grpc::ServerWriter<JobEvent> *writer)
      : writer_(writer), job_id_("job-" + std::to_string(++g_job_counter)) {
    auto lease = context->client_metadata().find("gale-lease");
    if (lease != context->client_metadata().end()) {
      Log("daemon", "lease: " + std::string(lease->second.data(), lease->second.size()));
    }
  }
  void Send(JobEvent event) {
    event.set_job_id(job_id_);
    event.set_seq(++seq_);
    writer_->Write(event);
  }
  void Progress(const std::string &phase, double percent, const std::string &message = "") {
    JobEvent event;
    event.mutable_progress()->set_phase(phase);
    event.mutable_progress()->set_percent(percent);
    event.mutable_progress()->set_message(message);
    Send(event);
  }
  void Log(const std::string &stream, const std::string &text) {
    JobEvent event;
    event.mutable_log()->set_stream(stream);
    event.mutable_log()->set_text(text);
    Send(event);
  }
  void Result(JobResult result) {
    JobEvent event;
    *event.mutable_result() = std::move(result);
    Send(event);
  }

 private:
  grpc::ServerWriter<JobEvent> *writer_;
  std::string job_id_;
  uint64_t seq_ = 0;
};

JobResult Failed(const std::string &error, int exit_code = 0) {
  JobResult result;
  result.set_state(JOB_STATE_FAILED);
  result.set_error(error);
  result.set_exit_code(exit_code);
  return result;
}

void FailedBuild(Events &events) {
  events.Progress("compile", 10, "[1/8] Building C object main.c.o");
  for (int i = 0; i < 30; ++i) {
    events.Log("stderr", "tool line " + std::to_string(i));
  }
  JobEvent diagnostic;
  diagnostic.mutable_diagnostic()->set_file("/app/src/main.c");
  diagnostic.mutable_diagnostic()->set_line(3);
  diagnostic.mutable_diagnostic()->set_column(7);
  diagnostic.mutable_diagnostic()->set_severity(SEVERITY_ERROR);
  diagnostic.mutable_diagnostic()->set_message("'x' undeclared");
  events.Send(diagnostic);
  events.Result(Failed("compile failed: 1 error in /app/src/main.c"));
}

BuildSummary GoodBuild(Events &events, const BuildRequest &request) {
  for (int i = 0; i <= 10; ++i) {
    events.Progress("compile", i * 10, "[" + std::to_string(i) + "/10] Building C object");
    events.Log("stdout", "[" + std::to_string(i) + "/10] Building C object");
  }
  BuildSummary summary;
  summary.set_build_dir(request.build_dir());
  summary.set_elf(request.build_dir() + "/gale/gale.elf");
  summary.set_flash_bytes(7832);
  summary.set_ram_bytes(4096);
  return summary;
}

class SdkService final : public Sdk::Service {
  Status GetStatus(ServerContext *, const GetStatusRequest *, DaemonStatus *status) override {
    status->set_version("fake");
    status->set_pid(getpid());
    status->set_uptime_s(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - g_start).count());
    status->add_listen(g_listen);
    status->set_state_dir(gale::host::DefaultStateDir());
    return Status::OK;
  }
  Status Shutdown(ServerContext *, const ShutdownRequest *, ShutdownResponse *) override {
    std::thread([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      g_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
    }).detach();
    return Status::OK;
  }
};

class BoardsService final : public Boards::Service {
  Status ListBoards(ServerContext *, const ListBoardsRequest *, ListBoardsResponse *out) override {
    Board *board = out->add_boards();
    board->set_name("qemu_cortex_m3");
    board->set_arch("arm");
    board->set_emulator("qemu");
    board = out->add_boards();
    board->set_name("native_sim");
    board->set_arch("posix");
    board->set_emulator("native");
    return Status::OK;
  }
};

class BuildsService final : public Builds::Service {
  Status Build(ServerContext *context, const BuildRequest *request,
               grpc::ServerWriter<JobEvent> *writer) override {
    if (request->board() == "no_such_board") {
      return Status(StatusCode::NOT_FOUND,
                    "unknown board 'no_such_board'; known boards: "
                    "native_sim, qemu_cortex_m3");
    }
    Events events(context, writer);
    if (request->board() == "fail") {
      FailedBuild(events);
      return Status::OK;
    }
    JobResult result;
    result.set_state(JOB_STATE_SUCCEEDED);
    *result.mutable_build() = GoodBuild(events, *request);
    events.Result(result);
    return Status::OK;
  }

  Status Run(ServerContext *context, const RunRequest *request,
             grpc::ServerWriter<JobEvent> *writer) override {
    Events events(context, writer);
    const std::string &board = request->build().board();
    if (board == "fail") {
      FailedBuild(events);
      return Status::OK;
    }
    GoodBuild(events, request->build());
    events.Progress("boot", -1, "booting");
    events.Log("console", "*** Booting Gale ***");
    if (board == "hang") {
      events.Log("console", "booted, hanging");
      while (!context->IsCancelled()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      std::ofstream(gale::host::DefaultStateDir() + "/cancelled") << "cancelled\n";
      return Status::CANCELLED;
    }
    if (board == "timeout") {
      events.Result(Failed("the image did not exit within 1 s"));
      return Status::OK;
    }
    const int code = board.rfind("exit_", 0) == 0 ? std::stoi(board.substr(5)) : 0;
    events.Log("console", code == 0 ? "PROJECT EXECUTION SUCCESSFUL" : "PROJECT EXECUTION FAILED");
    JobResult result;
    result.set_state(code == 0 ? JOB_STATE_SUCCEEDED : JOB_STATE_FAILED);
    result.set_exit_code(code);
    events.Result(result);
    return Status::OK;
  }
};

class DevicesService final : public Devices::Service {
  Status Create(ServerContext *, const CreateDeviceRequest *request, Device *device) override {
    if (request->board() == "no_such_board") {
      return Status(StatusCode::NOT_FOUND, "unknown board 'no_such_board'");
    }
    std::lock_guard lock(mutex_);
    device->set_id("emu-" + request->board() + "-" + std::to_string(++next_));
    device->set_board(request->board());
    device->set_kind(DEVICE_KIND_EMULATED);
    device->set_state(DEVICE_STATE_HALTED);
    devices_[device->id()] = *device;
    return Status::OK;
  }
  Status ListDevices(ServerContext *, const ListDevicesRequest *,
                     ListDevicesResponse *out) override {
    std::lock_guard lock(mutex_);
    for (const auto &[id, device] : devices_) {
      *out->add_devices() = device;
    }
    return Status::OK;
  }
  Status Delete(ServerContext *, const DeleteDeviceRequest *request,
                DeleteDeviceResponse *) override {
    std::lock_guard lock(mutex_);
    if (devices_.erase(request->id()) == 0) {
      return Status(StatusCode::NOT_FOUND, "no device '" + request->id() + "'");
    }
    return Status::OK;
  }

  std::mutex mutex_;
  std::map<std::string, Device> devices_;
  int next_ = 0;
};

class ConsoleService final : public Console::Service {
  // Like galed: input is read on a thread of its own, output goes on until the image exits or
  // the client goes away, and after the exit the call ends once the client half-closes.
  Status Attach(ServerContext *context,
                grpc::ServerReaderWriter<ConsoleOutput, ConsoleInput> *stream) override {
    ConsoleInput first;
    if (!stream->Read(&first) || !first.has_open()) {
      return Status(StatusCode::INVALID_ARGUMENT, "the first message must be `open`");
    }
    if (first.open().device_id() == "no-such-device") {
      return Status(StatusCode::NOT_FOUND, "no device 'no-such-device'");
    }
    ConsoleOutput banner;
    banner.set_data("boot banner\n");
    banner.set_replayed(true);
    stream->Write(banner);

    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::string> lines;
    bool input_done = false;
    std::thread input([&] {
      ConsoleInput in;
      std::string pending;
      while (stream->Read(&in)) {
        pending += in.data();
        size_t newline;
        while ((newline = pending.find('\n')) != std::string::npos) {
          std::lock_guard lock(mutex);
          lines.push_back(pending.substr(0, newline));
          pending.erase(0, newline + 1);
          changed.notify_all();
        }
      }
      std::lock_guard lock(mutex);
      input_done = true;
      changed.notify_all();
    });

    bool exited = false;
    std::unique_lock lock(mutex);
    while (!exited && !context->IsCancelled()) {
      changed.wait_for(lock, std::chrono::milliseconds(20));
      while (!lines.empty() && !exited) {
        const std::string line = lines.front();
        lines.pop_front();
        ConsoleOutput echo;
        echo.set_data("echo: " + line + "\n");
        stream->Write(echo);
        if (line == "exit") {
          ConsoleOutput end;
          end.set_exited(true);
          end.set_exit_code(7);
          stream->Write(end);
          exited = true;
        }
      }
    }
    changed.wait_for(lock, std::chrono::seconds(2), [&] { return input_done; });
    if (!input_done) {
      context->TryCancel();
    } else if (exited) {
      // For tests: the client half-closed after the exit, as galed expects.
      std::ofstream(gale::host::DefaultStateDir() + "/console-half-closed") << "yes\n";
    }
    lock.unlock();
    input.join();
    return exited ? Status::OK : Status::CANCELLED;
  }
};

class JobsService final : public Jobs::Service {
  Status ListJobs(ServerContext *, const ListJobsRequest *, ListJobsResponse *out) override {
    Job *job = out->add_jobs();
    job->set_id("job-a");
    job->set_kind("test");
    job->set_state(JOB_STATE_INTERRUPTED);
    job->set_error("galed stopped while the job ran");
    job = out->add_jobs();
    job->set_id("job-b");
    job->set_kind("build");
    job->set_state(JOB_STATE_SUCCEEDED);
    job->set_summary("build hello_world for qemu_cortex_m3");
    return Status::OK;
  }
};

}  // namespace

int main(int argc, char **argv) {
  g_listen = gale::host::DefaultSocketAddress();
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--listen") {
      g_listen = gale::host::NormalizeAddress(argv[i + 1]);
    }
  }
  const std::string path = *gale::host::UnixSocketPath(g_listen);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::filesystem::create_directories(gale::host::DefaultStateDir());
  unlink(path.c_str());

  SdkService sdk;
  BoardsService boards;
  BuildsService builds;
  DevicesService devices;
  ConsoleService console;
  JobsService jobs;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(g_listen, grpc::InsecureServerCredentials());
  for (grpc::Service *service :
       std::initializer_list<grpc::Service *>{&sdk, &boards, &builds, &devices, &console, &jobs}) {
    builder.RegisterService(service);
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) {
    std::fprintf(stderr, "fake_galed: cannot listen on %s\n", g_listen.c_str());
    return 1;
  }
  chmod(path.c_str(), 0600);
  std::fprintf(stderr, "fake_galed: listening on %s\n", g_listen.c_str());
  g_server = server.get();
  server->Wait();
  return 0;
}
