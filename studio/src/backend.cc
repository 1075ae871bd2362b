#include "backend.h"

#include <chrono>

#include "client.h"
#include "gale/v1/boards.grpc.pb.h"
#include "gale/v1/builds.grpc.pb.h"
#include "gale/v1/config.grpc.pb.h"
#include "gale/v1/console.grpc.pb.h"
#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/flash.grpc.pb.h"
#include "gale/v1/jobs.grpc.pb.h"
#include "gale/v1/rtt.grpc.pb.h"
#include "gale/v1/shell.grpc.pb.h"
#include "gale/v1/tests.grpc.pb.h"
#include "gale/v1/trace.grpc.pb.h"

namespace gale::studio {

namespace {

constexpr auto kRetryPeriod = std::chrono::seconds(2);

QString Q(const std::string &text) {
  return QString::fromStdString(text);
}

QString Summary(const gale::v1::JobResult &result) {
  if (result.has_build()) {
    const auto &b = result.build();
    return QStringLiteral("built %1 (flash %2 B, ram %3 B)%4")
        .arg(Q(b.elf()))
        .arg(b.flash_bytes())
        .arg(b.ram_bytes())
        .arg(b.up_to_date() ? QStringLiteral(", up to date") : QString());
  }
  if (result.has_flash()) {
    const auto &f = result.flash();
    return QStringLiteral("flashed %1 B to %2%3 in %4 s")
        .arg(f.bytes_written())
        .arg(Q(f.device_id()))
        .arg(f.verified() ? QStringLiteral(", verified") : QString())
        .arg(f.seconds(), 0, 'f', 2);
  }
  if (result.has_tests()) {
    const auto &t = result.tests();
    return QStringLiteral("tests: %1 passed, %2 failed, %3 skipped, %4 errors")
        .arg(t.passed())
        .arg(t.failed())
        .arg(t.skipped())
        .arg(t.errors());
  }
  return QStringLiteral("done");
}

}  // namespace

Backend::Backend(QString address, QObject *parent)
    : QObject(parent),
      address_(std::move(address)),
      client_(std::make_unique<gale::cli::Client>(address_.toStdString(), std::string())) {
  qRegisterMetaType<gale::v1::Board>();
  qRegisterMetaType<gale::v1::Device>();
  qRegisterMetaType<gale::v1::JobEvent>();
  qRegisterMetaType<QList<gale::v1::Board>>();
  qRegisterMetaType<QList<gale::v1::Device>>();
  qRegisterMetaType<gale::v1::ConfigSymbol>();
  qRegisterMetaType<gale::v1::Job>();
  qRegisterMetaType<QList<gale::v1::Job>>();
  qRegisterMetaType<QList<gale::v1::ConfigSymbol>>();
  qRegisterMetaType<gale::v1::DebugServer>();
  qRegisterMetaType<gale::v1::TestRun>();
}

Backend::~Backend() {
  stopping_ = true;
  {
    std::lock_guard lock(mutex_);
    for (const auto &context : contexts_) {
      context->TryCancel();
    }
  }
  for (auto &thread : threads_) {
    if (thread.joinable()) {
      thread.join();
    }
  }
}

void Backend::runThread(std::function<void()> body) {
  std::lock_guard lock(mutex_);
  threads_.emplace_back(std::move(body));
}

std::shared_ptr<grpc::ClientContext> Backend::newContext() {
  std::shared_ptr<grpc::ClientContext> context = client_->NewContext();
  std::lock_guard lock(mutex_);
  if (stopping_) {
    context->TryCancel();
  }
  contexts_.insert(context);
  return context;
}

void Backend::releaseContext(const std::shared_ptr<grpc::ClientContext> &context) {
  std::lock_guard lock(mutex_);
  contexts_.erase(context);
}

QString Backend::errorText(const grpc::Status &status) const {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ? Q(client_->UnavailableMessage())
                                                              : Q(gale::cli::StatusText(status));
}

// Every unary call goes through here: a registered (cancellable) context with a deadline and a
// stub of the method's service.
template <typename Stub, typename Request, typename Response>
grpc::Status Backend::call(grpc::Status (Stub::*method)(grpc::ClientContext *, const Request &,
                                                        Response *),
                           const Request &request, Response *response, int deadlineSeconds) {
  auto context = newContext();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(deadlineSeconds));
  Stub stub(client_->channel());
  const grpc::Status status = (stub.*method)(context.get(), request, response);
  releaseContext(context);
  return status;
}

template <typename Stub, typename Request, typename Response, typename OnOk>
void Backend::unary(const QString &what,
                    grpc::Status (Stub::*method)(grpc::ClientContext *, const Request &,
                                                 Response *),
                    Request request, int deadlineSeconds, OnOk onOk) {
  runThread(
      [this, what, method, request = std::move(request), deadlineSeconds, onOk = std::move(onOk)] {
        Response response;
        const grpc::Status status = call(method, request, &response, deadlineSeconds);
        if (status.ok()) {
          onOk(response);
        } else if (!stopping_) {
          emit callFailed(what, errorText(status));
        }
      });
}

void Backend::start() {
  runThread([this] { watchLoop(); });
}

bool Backend::connectAndLoad() {
  emit statusMessage(
      QStringLiteral("Connecting to galed at %1 (starting it if none answers)...").arg(address_));
  bool started = false;
  gale::v1::DaemonStatus status;
  const absl::Status ensured = client_->EnsureDaemon(&started, &status);
  if (!ensured.ok()) {
    emit connectionFailed(QStringLiteral("%1. Retrying every %2 s.")
                              .arg(Q(std::string(ensured.message())))
                              .arg(kRetryPeriod.count()));
    return false;
  }
  connected_ = true;
  emit connected(address_, Q(status.version()), Q(status.gale_base()));
  emit statusMessage(
      started ? QStringLiteral("Started galed (pid %1); loading boards...").arg(status.pid())
              : QStringLiteral("Connected; loading boards..."));

  gale::v1::ListBoardsResponse boards;
  grpc::Status listed = call(&gale::v1::Boards::Stub::ListBoards, {}, &boards, 20);
  if (!listed.ok()) {
    emit connectionFailed(QStringLiteral("Listing the boards failed: %1").arg(errorText(listed)));
    return false;
  }
  emit boardsLoaded(QList<gale::v1::Board>(boards.boards().begin(), boards.boards().end()));

  gale::v1::ListDevicesResponse devices;
  listed = call(&gale::v1::Devices::Stub::ListDevices, {}, &devices, 20);
  if (!listed.ok()) {
    emit connectionFailed(QStringLiteral("Listing the devices failed: %1").arg(errorText(listed)));
    return false;
  }
  emit devicesLoaded(QList<gale::v1::Device>(devices.devices().begin(), devices.devices().end()));
  emit statusMessage(QStringLiteral("Connected to galed %1 at %2: %3 boards, %4 devices")
                         .arg(Q(status.version()), address_)
                         .arg(boards.boards_size())
                         .arg(devices.devices_size()));
  return true;
}

void Backend::watchLoop() {
  auto pause = [this] {
    const auto until = std::chrono::steady_clock::now() + kRetryPeriod;
    while (!stopping_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  };
  while (!stopping_) {
    if (!connectAndLoad()) {
      connected_ = false;
      pause();
      continue;
    }
    auto stub = gale::v1::Devices::NewStub(client_->channel());
    auto context = newContext();
    auto reader = stub->Watch(context.get(), {});
    gale::v1::DeviceEvent event;
    while (reader->Read(&event)) {
      emit deviceChanged(event.kind(), event.device());
    }
    const grpc::Status status = reader->Finish();
    releaseContext(context);
    if (stopping_) {
      break;
    }
    connected_ = false;
    emit daemonLost(QStringLiteral("Lost galed at %1 (%2); reconnecting every %3 s, starting it "
                                   "again if needed.")
                        .arg(address_, Q(gale::cli::StatusText(status)))
                        .arg(kRetryPeriod.count()));
    pause();
  }
}

void Backend::runJob(const QString &operation, JobCall call) {
  auto context = newContext();
  bool busy = false;
  {
    std::lock_guard lock(mutex_);
    busy = jobContext_ != nullptr;
    if (!busy) {
      jobContext_ = context;
    }
  }
  if (busy) {
    releaseContext(context);
    emit jobFinished(operation, false,
                     QStringLiteral("Another build, flash, test or config job is running: wait "
                                    "for it or cancel it."));
    return;
  }
  runThread([this, operation, context, call = std::move(call)] {
    drainJob(operation, context.get(), call);
    {
      std::lock_guard lock(mutex_);
      jobContext_.reset();
    }
    releaseContext(context);
  });
}

void Backend::drainJob(const QString &operation, grpc::ClientContext *context,
                       const JobCall &call) {
  auto reader = call(context);
  gale::v1::JobEvent event;
  bool haveResult = false;
  gale::v1::JobResult result;
  while (reader->Read(&event)) {
    if (event.has_result()) {
      haveResult = true;
      result = event.result();
    }
    emit jobEvent(operation, event);
  }
  const grpc::Status status = reader->Finish();
  if (stopping_) {
    return;
  }
  if (!status.ok()) {
    const QString text = status.error_code() == grpc::StatusCode::CANCELLED
                             ? QStringLiteral("cancelled")
                             : errorText(status);
    emit jobFinished(operation, false, QStringLiteral("%1 failed: %2").arg(operation, text));
  } else if (!haveResult) {
    emit jobFinished(
        operation, false,
        QStringLiteral("%1: galed ended the stream without a result; see its log").arg(operation));
  } else if (result.state() == gale::v1::JOB_STATE_SUCCEEDED) {
    emit jobFinished(operation, true, Summary(result));
  } else {
    // The daemon's error usually names the operation already ("build failed: ...").
    const QString error = Q(result.error());
    emit jobFinished(
        operation, false,
        error.startsWith(operation)
            ? error
            : QStringLiteral("%1 %2: %3")
                  .arg(operation,
                       result.state() == gale::v1::JOB_STATE_CANCELLED ? QStringLiteral("cancelled")
                                                                       : QStringLiteral("failed"),
                       error.isEmpty() ? QStringLiteral("no reason given; see the log") : error));
  }
}

void Backend::build(const QString &appDir, const QString &board, bool pristine) {
  gale::v1::BuildRequest request;
  request.set_app_dir(appDir.toStdString());
  request.set_board(board.toStdString());
  request.set_pristine(pristine);
  runJob(QStringLiteral("build"), [this, request](grpc::ClientContext *context) {
    return gale::v1::Builds::NewStub(client_->channel())->Build(context, request);
  });
}

void Backend::flash(const QString &deviceId, const QString &buildDir) {
  gale::v1::FlashRequest request;
  request.set_device_id(deviceId.toStdString());
  request.set_build_dir(buildDir.toStdString());
  runJob(QStringLiteral("flash"), [this, request](grpc::ClientContext *context) {
    return gale::v1::Flash::NewStub(client_->channel())->Flash(context, request);
  });
}

void Backend::listConfig(const QString &buildDir) {
  gale::v1::ListConfigRequest request;
  request.set_build_dir(buildDir.toStdString());
  request.set_all(true);
  unary(QStringLiteral("Loading the Kconfig symbols of %1").arg(buildDir),
        &gale::v1::Config::Stub::List, request, 60,
        [this, buildDir](const gale::v1::ListConfigResponse &response) {
          emit configLoaded(buildDir, QList<gale::v1::ConfigSymbol>(response.symbols().begin(),
                                                                    response.symbols().end()));
        });
}

void Backend::setConfig(const QString &buildDir, const QStringList &assignments) {
  gale::v1::SetConfigRequest request;
  request.set_build_dir(buildDir.toStdString());
  for (const QString &assignment : assignments) {
    request.add_assignments(assignment.toStdString());
  }
  runJob(QStringLiteral("config"), [this, request](grpc::ClientContext *context) {
    return gale::v1::Config::NewStub(client_->channel())->Set(context, request);
  });
}

void Backend::listJobs() {
  gale::v1::ListJobsRequest request;
  request.set_limit(200);
  unary(QStringLiteral("Listing the jobs"), &gale::v1::Jobs::Stub::ListJobs, request, 20,
        [this](const gale::v1::ListJobsResponse &response) {
          emit jobsLoaded(QList<gale::v1::Job>(response.jobs().begin(), response.jobs().end()));
        });
}

void Backend::cancelJob() {
  std::lock_guard lock(mutex_);
  if (jobContext_) {
    jobContext_->TryCancel();
  }
}

void Backend::createDevice(const QString &board) {
  gale::v1::CreateDeviceRequest request;
  request.set_board(board.toStdString());
  unary(QStringLiteral("Creating an emulated %1").arg(board), &gale::v1::Devices::Stub::Create,
        request, 30, [this](const gale::v1::Device &device) { emit deviceCreated(device); });
}

void Backend::deleteDevice(const QString &deviceId) {
  gale::v1::DeleteDeviceRequest request;
  request.set_id(deviceId.toStdString());
  unary(QStringLiteral("Deleting %1").arg(deviceId), &gale::v1::Devices::Stub::Delete, request, 30,
        [](const gale::v1::DeleteDeviceResponse &) {});
}

void Backend::debugServer(const QString &deviceId) {
  gale::v1::DeviceRequest request;
  request.set_id(deviceId.toStdString());
  unary(QStringLiteral("Debugging %1").arg(deviceId), &gale::v1::Devices::Stub::Debug, request, 60,
        [this, deviceId](const gale::v1::DebugServer &server) {
          emit debugServerReady(deviceId, server);
        });
}

void Backend::runTests(const QStringList &paths, const QStringList &boards) {
  gale::v1::RunTestsRequest request;
  for (const QString &path : paths) {
    request.add_paths(path.toStdString());
  }
  for (const QString &board : boards) {
    request.add_boards(board.toStdString());
  }
  runJob(QStringLiteral("test"), [this, request](grpc::ClientContext *context) {
    return gale::v1::Tests::NewStub(client_->channel())->Run(context, request);
  });
}

void Backend::getTestRun(const QString &runId) {
  gale::v1::GetTestRunRequest request;
  request.set_id(runId.toStdString());
  unary(QStringLiteral("Loading test run %1").arg(runId), &gale::v1::Tests::Stub::GetRun, request,
        20, [this](const gale::v1::TestRun &run) { emit testRunLoaded(run); });
}

void Backend::stopWatching() {
  std::lock_guard lock(mutex_);
  if (watchContext_) {
    watchContext_->TryCancel();
    watchContext_.reset();
  }
}

void Backend::watchJob(const QString &jobId) {
  stopWatching();
  auto context = newContext();
  {
    std::lock_guard lock(mutex_);
    watchContext_ = context;
  }
  gale::v1::WatchJobRequest request;
  request.set_id(jobId.toStdString());
  runThread([this, context, request] {
    drainJob(QStringLiteral("watch"), context.get(), [this, request](grpc::ClientContext *c) {
      return gale::v1::Jobs::NewStub(client_->channel())->Watch(c, request);
    });
    {
      std::lock_guard lock(mutex_);
      if (watchContext_ == context) {
        watchContext_.reset();
      }
    }
    releaseContext(context);
  });
}

void Backend::captureTrace(const QString &deviceId, double windowS, double durationS) {
  auto context = newContext();
  bool busy = false;
  {
    std::lock_guard lock(mutex_);
    busy = traceContext_ != nullptr;
    if (!busy) {
      traceContext_ = context;
      traceJob_.clear();
    }
  }
  if (busy) {
    releaseContext(context);
    emit callFailed(tr("Tracing %1").arg(deviceId),
                    tr("a trace capture is already running; stop it first"));
    return;
  }
  gale::v1::TraceCaptureRequest request;
  request.set_device_id(deviceId.toStdString());
  request.set_duration_s(durationS);
  request.set_live_window_s(windowS);
  runThread([this, context, request, deviceId] {
    auto stream = gale::v1::Trace::NewStub(client_->channel())->Capture(context.get(), request);
    gale::v1::TraceCaptureEvent event;
    std::string whole;
    bool finished = false;
    QString message;
    while (stream->Read(&event)) {
      if (!event.job_id().empty()) {
        std::lock_guard lock(mutex_);
        traceJob_ = event.job_id();
      }
      if (!event.live().empty()) {
        emit traceLive(deviceId, QByteArray::fromStdString(event.live()));
      }
      whole += event.export_chunk();
      if (event.has_result()) {
        finished = true;
        const gale::v1::TraceStats &stats = event.result().stats();
        message = tr("%1 s traced, %2 context switches, %3 records dropped")
                      .arg(stats.duration_s(), 0, 'f', 3)
                      .arg(stats.context_switches())
                      .arg(stats.dropped());
        if (!event.result().warning().empty()) {
          message += QStringLiteral(" (") + QString::fromStdString(event.result().warning()) +
                     QLatin1Char(')');
        }
      } else if (event.export_chunk().empty()) {
        emit traceProgress(deviceId, QString::fromStdString(event.status()),
                           event.events_total(), event.dropped());
      }
    }
    grpc::Status status = stream->Finish();
    {
      std::lock_guard lock(mutex_);
      if (traceContext_ == context) {
        traceContext_.reset();
        traceJob_.clear();
      }
    }
    releaseContext(context);
    if (status.ok() && finished) {
      emit traceFinished(deviceId, true, message, QByteArray::fromStdString(whole));
    } else {
      emit traceFinished(deviceId, false,
                         status.ok() ? tr("the capture ended without its result")
                                     : errorText(status),
                         QByteArray());
    }
  });
}

void Backend::stopTrace() {
  gale::v1::TraceStopRequest request;
  {
    std::lock_guard lock(mutex_);
    if (!traceContext_) {
      return;
    }
    if (traceJob_.empty()) {
      traceContext_->TryCancel();  // not started yet: nothing to keep
      return;
    }
    request.set_job_id(traceJob_);
  }
  unary(tr("Stopping the trace"), &gale::v1::Trace::Stub::Stop, request, 20,
        [](const gale::v1::TraceStopResponse &) {});
}

void Backend::detachConsole() {
  std::lock_guard lock(mutex_);
  if (consoleContext_) {
    consoleContext_->TryCancel();
    consoleContext_.reset();
  }
}

void Backend::attachConsole(const QString &deviceId) {
  detachConsole();
  auto context = newContext();
  {
    std::lock_guard lock(mutex_);
    consoleContext_ = context;
  }
  runThread([this, deviceId, context] {
    auto stream = gale::v1::Console::NewStub(client_->channel())->Attach(context.get());
    gale::v1::ConsoleInput open;
    open.mutable_open()->set_device_id(deviceId.toStdString());
    QString closing = QStringLiteral("detached");
    if (stream->Write(open)) {
      {
        std::lock_guard lock(consoleMutex_);
        consoleStream_ = stream.get();
      }
      emit consoleAttached(deviceId);
      gale::v1::ConsoleOutput output;
      while (stream->Read(&output)) {
        if (output.dropped() > 0) {
          emit consoleData(
              deviceId,
              QStringLiteral("\n[%1 bytes of output were lost]\n").arg(output.dropped()).toUtf8());
        }
        if (!output.data().empty()) {
          emit consoleData(deviceId,
                           QByteArray(output.data().data(), qsizetype(output.data().size())));
        }
        if (output.exited()) {
          closing = QStringLiteral("the image exited with status %1").arg(output.exit_code());
        }
      }
    }
    {
      std::lock_guard lock(consoleMutex_);
      if (consoleStream_ == stream.get()) {
        consoleStream_ = nullptr;
      }
    }
    const grpc::Status status = stream->Finish();
    releaseContext(context);
    if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
      closing = errorText(status);
    }
    if (!stopping_) {
      emit consoleClosed(deviceId, closing);
    }
  });
}

void Backend::detachSession(const QString &kind) {
  std::lock_guard lock(sessionMutex_);
  auto it = sessions_.find(kind);
  if (it != sessions_.end()) {
    it->second.context->TryCancel();
    sessions_.erase(it);
  }
}

void Backend::attachSession(const QString &kind, const QString &deviceId,
                            const QString &shellBackend) {
  detachSession(kind);
  auto context = newContext();
  {
    std::lock_guard lock(sessionMutex_);
    sessions_[kind] = Session{context, deviceId, nullptr};
  }
  // Only the session still registered under `kind` with this context may write or be cleared.
  auto setWriter = [this, kind, context](std::function<bool(const QByteArray &)> write) {
    std::lock_guard lock(sessionMutex_);
    auto it = sessions_.find(kind);
    if (it != sessions_.end() && it->second.context == context) {
      it->second.write = std::move(write);
    }
  };
  auto finish = [this, kind, deviceId, context](const grpc::Status &status, QString closing) {
    {
      std::lock_guard lock(sessionMutex_);
      auto it = sessions_.find(kind);
      if (it != sessions_.end() && it->second.context == context) {
        sessions_.erase(it);
      }
    }
    releaseContext(context);
    if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
      closing = errorText(status);
    }
    if (!stopping_) {
      emit sessionClosed(kind, deviceId, closing);
    }
  };

  if (kind == QStringLiteral("shell")) {
    runThread([this, kind, deviceId, shellBackend, context, setWriter, finish] {
      auto stream = gale::v1::Shell::NewStub(client_->channel())->Session(context.get());
      gale::v1::ShellInput open;
      open.mutable_open()->set_device_id(deviceId.toStdString());
      open.mutable_open()->set_backend(shellBackend.toStdString());
      if (stream->Write(open)) {
        auto *raw = stream.get();
        setWriter([raw](const QByteArray &data) {
          gale::v1::ShellInput input;
          input.set_data(data.toStdString());
          return raw->Write(input);
        });
        emit sessionAttached(kind, deviceId);
        gale::v1::ShellOutput output;
        while (stream->Read(&output)) {
          if (!output.status().empty()) {
            emit sessionStatus(kind, deviceId, Q(output.status()));
          }
          if (!output.data().empty()) {
            emit sessionData(kind, deviceId,
                             QByteArray(output.data().data(), qsizetype(output.data().size())));
          }
        }
      }
      setWriter(nullptr);
      finish(stream->Finish(), QStringLiteral("detached"));
    });
  } else if (kind == QStringLiteral("rtt")) {
    runThread([this, kind, deviceId, context, setWriter, finish] {
      gale::v1::RttStreamRequest request;
      request.set_device_id(deviceId.toStdString());
      request.set_channel(0);
      auto reader = gale::v1::Rtt::NewStub(client_->channel())->Stream(context.get(), request);
      setWriter([this, deviceId](const QByteArray &data) {
        gale::v1::RttWriteRequest write;
        write.set_device_id(deviceId.toStdString());
        write.set_channel(0);
        write.set_data(data.toStdString());
        unary(QStringLiteral("Writing to RTT of %1").arg(deviceId), &gale::v1::Rtt::Stub::Write,
              write, 10, [](const gale::v1::RttWriteResponse &) {});
        return true;
      });
      emit sessionAttached(kind, deviceId);
      gale::v1::RttOutput output;
      while (reader->Read(&output)) {
        if (!output.status().empty()) {
          emit sessionStatus(kind, deviceId, Q(output.status()));
        }
        const uint64_t dropped = output.dropped_by_target() + output.dropped_by_host();
        if (dropped > 0) {
          emit sessionData(kind, deviceId,
                           QStringLiteral("\n[%1 bytes were lost]\n").arg(dropped).toUtf8());
        }
        if (!output.data().empty()) {
          emit sessionData(kind, deviceId,
                           QByteArray(output.data().data(), qsizetype(output.data().size())));
        }
      }
      setWriter(nullptr);
      finish(reader->Finish(), QStringLiteral("detached"));
    });
  } else {
    finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "unknown session kind (want shell or rtt)"),
           QString());
  }
}

void Backend::sendSessionInput(const QString &kind, const QByteArray &data) {
  std::lock_guard lock(sessionMutex_);
  auto it = sessions_.find(kind);
  if (it == sessions_.end() || !it->second.write) {
    emit callFailed(QStringLiteral("Sending %1 input").arg(kind),
                    QStringLiteral("nothing is attached: pick a device and press Attach"));
    return;
  }
  if (!it->second.write(data)) {
    emit callFailed(QStringLiteral("Sending %1 input").arg(kind),
                    QStringLiteral("the session has ended"));
  }
}

void Backend::sendConsoleInput(const QByteArray &data) {
  std::lock_guard lock(consoleMutex_);
  if (consoleStream_ == nullptr) {
    emit callFailed(QStringLiteral("Sending console input"),
                    QStringLiteral("no console is attached: pick a device and press Attach"));
    return;
  }
  gale::v1::ConsoleInput input;
  input.set_data(data.toStdString());
  consoleStream_->Write(input);
}

}  // namespace gale::studio
