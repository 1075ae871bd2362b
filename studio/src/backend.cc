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

  auto boardsStub = gale::v1::Boards::NewStub(client_->channel());
  auto context = newContext();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  gale::v1::ListBoardsResponse boards;
  grpc::Status call = boardsStub->ListBoards(context.get(), {}, &boards);
  releaseContext(context);
  if (!call.ok()) {
    emit connectionFailed(
        QStringLiteral("Listing the boards failed: %1").arg(Q(gale::cli::StatusText(call))));
    return false;
  }
  emit boardsLoaded(QList<gale::v1::Board>(boards.boards().begin(), boards.boards().end()));

  auto devicesStub = gale::v1::Devices::NewStub(client_->channel());
  context = newContext();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  gale::v1::ListDevicesResponse devices;
  call = devicesStub->ListDevices(context.get(), {}, &devices);
  releaseContext(context);
  if (!call.ok()) {
    emit connectionFailed(
        QStringLiteral("Listing the devices failed: %1").arg(Q(gale::cli::StatusText(call))));
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

void Backend::runJob(
    const QString &operation,
    std::function<std::unique_ptr<grpc::ClientReader<gale::v1::JobEvent>>(grpc::ClientContext *)>
        call) {
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
    emit jobFinished(
        operation, false,
        QStringLiteral("Another build or flash is running: wait for it or cancel it."));
    return;
  }
  runThread([this, operation, context, call = std::move(call)] {
    auto reader = call(context.get());
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
    {
      std::lock_guard lock(mutex_);
      jobContext_.reset();
    }
    releaseContext(context);
    if (!status.ok()) {
      QString text = status.error_code() == grpc::StatusCode::UNAVAILABLE
                         ? Q(client_->UnavailableMessage())
                         : Q(gale::cli::StatusText(status));
      if (status.error_code() == grpc::StatusCode::CANCELLED) {
        text = QStringLiteral("cancelled");
      }
      emit jobFinished(operation, false, QStringLiteral("%1 failed: %2").arg(operation, text));
    } else if (!haveResult) {
      emit jobFinished(operation, false,
                       QStringLiteral("%1: galed ended the stream without a result; see its log")
                           .arg(operation));
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
                         result.state() == gale::v1::JOB_STATE_CANCELLED
                             ? QStringLiteral("cancelled")
                             : QStringLiteral("failed"),
                         error.isEmpty() ? QStringLiteral("no reason given; see the log") : error));
    }
  });
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
  runThread([this, buildDir] {
    gale::v1::ListConfigRequest request;
    request.set_build_dir(buildDir.toStdString());
    request.set_all(true);
    auto context = newContext();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    gale::v1::ListConfigResponse response;
    const grpc::Status status =
        gale::v1::Config::NewStub(client_->channel())->List(context.get(), request, &response);
    releaseContext(context);
    if (status.ok()) {
      emit configLoaded(buildDir, QList<gale::v1::ConfigSymbol>(response.symbols().begin(),
                                                                response.symbols().end()));
    } else {
      emit callFailed(QStringLiteral("Loading the Kconfig symbols of %1").arg(buildDir),
                      Q(gale::cli::StatusText(status)));
    }
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
  runThread([this] {
    gale::v1::ListJobsRequest request;
    request.set_limit(200);
    auto context = newContext();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    gale::v1::ListJobsResponse response;
    const grpc::Status status =
        gale::v1::Jobs::NewStub(client_->channel())->ListJobs(context.get(), request, &response);
    releaseContext(context);
    if (status.ok()) {
      emit jobsLoaded(QList<gale::v1::Job>(response.jobs().begin(), response.jobs().end()));
    } else {
      emit callFailed(QStringLiteral("Listing the jobs"), Q(gale::cli::StatusText(status)));
    }
  });
}

void Backend::cancelJob() {
  std::lock_guard lock(mutex_);
  if (jobContext_) {
    jobContext_->TryCancel();
  }
}

void Backend::createDevice(const QString &board) {
  runThread([this, board] {
    gale::v1::CreateDeviceRequest request;
    request.set_board(board.toStdString());
    auto context = newContext();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    gale::v1::Device device;
    const grpc::Status status =
        gale::v1::Devices::NewStub(client_->channel())->Create(context.get(), request, &device);
    releaseContext(context);
    if (status.ok()) {
      emit deviceCreated(device);
    } else {
      emit callFailed(QStringLiteral("Creating an emulated %1").arg(board),
                      Q(gale::cli::StatusText(status)));
    }
  });
}

void Backend::deleteDevice(const QString &deviceId) {
  runThread([this, deviceId] {
    gale::v1::DeleteDeviceRequest request;
    request.set_id(deviceId.toStdString());
    auto context = newContext();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    gale::v1::DeleteDeviceResponse response;
    const grpc::Status status =
        gale::v1::Devices::NewStub(client_->channel())->Delete(context.get(), request, &response);
    releaseContext(context);
    if (!status.ok()) {
      emit callFailed(QStringLiteral("Deleting %1").arg(deviceId),
                      Q(gale::cli::StatusText(status)));
    }
  });
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
      closing = status.error_code() == grpc::StatusCode::UNAVAILABLE
                    ? Q(client_->UnavailableMessage())
                    : Q(gale::cli::StatusText(status));
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
      closing = status.error_code() == grpc::StatusCode::UNAVAILABLE
                    ? Q(client_->UnavailableMessage())
                    : Q(gale::cli::StatusText(status));
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
        // Rtt.Write is a unary call: sent from a thread of its own.
        runThread([this, deviceId, data] {
          gale::v1::RttWriteRequest write;
          write.set_device_id(deviceId.toStdString());
          write.set_channel(0);
          write.set_data(data.toStdString());
          auto writeContext = newContext();
          writeContext->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
          gale::v1::RttWriteResponse response;
          const grpc::Status status = gale::v1::Rtt::NewStub(client_->channel())
                                          ->Write(writeContext.get(), write, &response);
          releaseContext(writeContext);
          if (!status.ok()) {
            emit callFailed(QStringLiteral("Writing to RTT of %1").arg(deviceId),
                            Q(gale::cli::StatusText(status)));
          }
        });
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
