// The connection of Gale Studio to galed: every gRPC call runs on a thread of its own, never on
// the UI thread; results come back as signals, which Qt queues to the receivers' (UI) thread.
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <grpcpp/client_context.h>
#include <grpcpp/support/sync_stream.h>

#include "gale/v1/boards.pb.h"
#include "gale/v1/common.pb.h"
#include "gale/v1/config.pb.h"
#include "gale/v1/console.pb.h"
#include "gale/v1/devices.pb.h"
#include "gale/v1/jobs.pb.h"
#include "gale/v1/tests.pb.h"

namespace gale::cli {
class Client;
}

namespace gale::studio {

class Backend : public QObject {
  Q_OBJECT

 public:
  /// `address` is a resolved gRPC target (gale/host/paths.h: ResolveSocketAddress).
  explicit Backend(QString address, QObject *parent = nullptr);
  ~Backend() override;

  QString address() const { return address_; }
  bool isConnected() const { return connected_; }

  /// Connects (starting galed when none answers on the unix socket, as `gale` does), loads the
  /// boards and the devices, then follows Devices.Watch; reconnects when the daemon goes away.
  void start();

  void build(const QString &appDir, const QString &board, bool pristine);
  void flash(const QString &deviceId, const QString &buildDir);
  void createDevice(const QString &board);
  void deleteDevice(const QString &deviceId);
  /// Attaches the console of `deviceId` (replacing any previous attachment).
  void attachConsole(const QString &deviceId);
  void detachConsole();
  void sendConsoleInput(const QByteArray &data);
  /// A device's shell (Shell.Session over `shellBackend`: "uart" or "rtt") or its RTT channel 0
  /// (Rtt.Stream, input through Rtt.Write): `kind` is "shell" or "rtt". Replaces any previous
  /// session of that kind.
  void attachSession(const QString &kind, const QString &deviceId,
                     const QString &shellBackend = QString());
  void detachSession(const QString &kind);
  void sendSessionInput(const QString &kind, const QByteArray &data);

  /// Config.List of a build folder (all symbols, visible or not): configLoaded or callFailed.
  void listConfig(const QString &buildDir);
  /// Config.Set (a job, "config"): writes the assignments to the app's fragment and reconfigures.
  void setConfig(const QString &buildDir, const QStringList &assignments);
  /// Jobs.ListJobs (newest first): jobsLoaded or callFailed.
  void listJobs();
  /// Cancels the running build or flash (the daemon cancels the job).
  void cancelJob();
  /// Devices.Debug: the device's GDB server (debugServerReady or callFailed).
  void debugServer(const QString &deviceId);
  /// Tests.Run of the scenarios under `paths` (testcase.yaml/sample.yaml) on `boards`: a job
  /// ("test") whose test_case events stream through jobEvent; TestRunLoaded follows the end when
  /// the run was stored.
  void runTests(const QStringList &paths, const QStringList &boards);
  /// Tests.GetRun: testRunLoaded or callFailed.
  void getTestRun(const QString &runId);
  /// Jobs.Watch of a job (its events so far, then live ones): jobEvent/jobFinished with the
  /// operation "watch". Replaces any previous watch; independent of the build/flash slot.
  void watchJob(const QString &jobId);
  void stopWatching();
  /// Trace.Capture of `deviceId` until stopTrace() (or `durationS` > 0 has passed), with live
  /// views of the last `windowS` seconds of target time: traceLive (Chrome JSON) about twice a
  /// second, traceProgress, then traceFinished with the whole capture. One capture at a time.
  void captureTrace(const QString &deviceId, double windowS, double durationS = 0);
  /// Trace.Stop of the running capture: its stream then ends with the whole trace.
  void stopTrace();

 signals:
  void statusMessage(const QString &text);
  void connected(const QString &address, const QString &version, const QString &galeBase);
  void connectionFailed(const QString &message);
  void daemonLost(const QString &message);
  void boardsLoaded(const QList<gale::v1::Board> &boards);
  void devicesLoaded(const QList<gale::v1::Device> &devices);
  void deviceChanged(int kind, const gale::v1::Device &device);
  /// `operation` is "build" or "flash".
  void jobEvent(const QString &operation, const gale::v1::JobEvent &event);
  /// The call ended: `ok` when the job succeeded; `message` says what happened in words.
  void jobFinished(const QString &operation, bool ok, const QString &message);
  void deviceCreated(const gale::v1::Device &device);
  void jobsLoaded(const QList<gale::v1::Job> &jobs);
  void configLoaded(const QString &buildDir, const QList<gale::v1::ConfigSymbol> &symbols);
  void callFailed(const QString &what, const QString &message);
  void debugServerReady(const QString &deviceId, const gale::v1::DebugServer &server);
  void testRunLoaded(const gale::v1::TestRun &run);
  void traceLive(const QString &deviceId, const QByteArray &json);
  void traceProgress(const QString &deviceId, const QString &status, quint64 events,
                     quint64 dropped);
  /// The capture ended: `json` is the whole trace (Chrome JSON) when `ok`, else `message` says
  /// why in words.
  void traceFinished(const QString &deviceId, bool ok, const QString &message,
                     const QByteArray &json);
  void consoleAttached(const QString &deviceId);
  void consoleData(const QString &deviceId, const QByteArray &data);
  void consoleClosed(const QString &deviceId, const QString &message);
  void sessionAttached(const QString &kind, const QString &deviceId);
  void sessionData(const QString &kind, const QString &deviceId, const QByteArray &data);
  /// A status line of the session ("waiting for the control block", input ownership...).
  void sessionStatus(const QString &kind, const QString &deviceId, const QString &status);
  void sessionClosed(const QString &kind, const QString &deviceId, const QString &message);

 private:
  void runThread(std::function<void()> body);
  /// A user-facing text for a failed call (UNAVAILABLE names the daemon's address).
  QString errorText(const grpc::Status &status) const;
  /// One unary call on the calling thread with a deadline (see backend.cc).
  template <typename Stub, typename Request, typename Response>
  grpc::Status call(grpc::Status (Stub::*method)(grpc::ClientContext *, const Request &,
                                                 Response *),
                    const Request &request, Response *response, int deadlineSeconds);
  /// The same on a thread of its own: `onOk(response)` on success, else callFailed(what, ...).
  template <typename Stub, typename Request, typename Response, typename OnOk>
  void unary(const QString &what,
             grpc::Status (Stub::*method)(grpc::ClientContext *, const Request &, Response *),
             Request request, int deadlineSeconds, OnOk onOk);
  std::shared_ptr<grpc::ClientContext> newContext();
  void releaseContext(const std::shared_ptr<grpc::ClientContext> &context);
  bool connectAndLoad();
  void watchLoop();
  using JobCall =
      std::function<std::unique_ptr<grpc::ClientReader<gale::v1::JobEvent>>(grpc::ClientContext *)>;
  void runJob(const QString &operation, JobCall call);
  /// Reads a job stream to its end on the calling thread and emits jobEvent/jobFinished.
  void drainJob(const QString &operation, grpc::ClientContext *context, const JobCall &call);

  QString address_;
  std::unique_ptr<gale::cli::Client> client_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> connected_{false};
  std::mutex mutex_;
  std::vector<std::thread> threads_;
  std::set<std::shared_ptr<grpc::ClientContext>> contexts_;
  std::shared_ptr<grpc::ClientContext> jobContext_;
  std::shared_ptr<grpc::ClientContext> consoleContext_;
  std::shared_ptr<grpc::ClientContext> watchContext_;
  std::shared_ptr<grpc::ClientContext> traceContext_;
  std::string traceJob_;  // the running capture's job, under mutex_
  struct Session {
    std::shared_ptr<grpc::ClientContext> context;
    QString deviceId;
    std::function<bool(const QByteArray &)> write;  // under sessionMutex_
  };
  std::mutex sessionMutex_;
  std::map<QString, Session> sessions_;
  // Guards writes to the console stream (reads run on the console's own thread).
  std::mutex consoleMutex_;
  grpc::ClientReaderWriter<gale::v1::ConsoleInput, gale::v1::ConsoleOutput> *consoleStream_ =
      nullptr;
};

}  // namespace gale::studio

Q_DECLARE_METATYPE(gale::v1::Board)
Q_DECLARE_METATYPE(gale::v1::Device)
Q_DECLARE_METATYPE(gale::v1::JobEvent)
Q_DECLARE_METATYPE(gale::v1::ConfigSymbol)
Q_DECLARE_METATYPE(gale::v1::Job)
Q_DECLARE_METATYPE(gale::v1::DebugServer)
Q_DECLARE_METATYPE(gale::v1::TestRun)
