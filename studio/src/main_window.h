// Gale Studio's main window: boards and devices (live), the application picker, Build with its
// log and diagnostics, Flash with its progress, and the device console.
#pragma once

#include <QHash>
#include <QMainWindow>
#include <QString>

#include "backend.h"

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace gale::studio {

class DebugPanel;
class DevicetreeView;
class KconfigEditor;
class TerminalWidget;
class TestsView;
class TimelineView;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  /// `address`: the galed to use (resolved, see gale/host/paths.h); `appDir`: the application
  /// to preselect (may be empty).
  MainWindow(const QString &address, const QString &appDir, QWidget *parent = nullptr);
  ~MainWindow() override;

  Backend *backend() const { return backend_; }
  bool boardsLoaded() const { return boardsLoaded_; }
  bool devicesLoaded() const { return devicesLoaded_; }
  bool jobRunning() const { return jobRunning_; }
  QString lastJobMessage() const { return lastJobMessage_; }
  /// The connection state shown in the status bar.
  QString connectionText() const;
  /// The message at the left of the status bar (elided on screen; this is the full text).
  QString statusText() const;
  QLabel *statusLabel() const { return message_; }
  bool lastJobOk() const { return lastJobOk_; }

  // The views, for tests and screenshots.
  QTreeWidget *boardsView() const { return boards_; }
  QTreeWidget *devicesView() const { return devices_; }
  QTreeWidget *problemsView() const { return problems_; }
  QPlainTextEdit *buildLog() const { return log_; }
  QProgressBar *progressBar() const { return progress_; }
  TerminalWidget *terminal() const { return terminal_; }
  QTabWidget *tabs() const { return tabs_; }
  QWidget *consoleTab() const { return consoleTab_; }
  KconfigEditor *kconfigEditor() const { return kconfig_; }
  DevicetreeView *devicetreeView() const { return devicetree_; }
  QTreeWidget *jobsView() const { return jobs_; }
  DebugPanel *debugPanel() const { return debug_; }
  TestsView *testsView() const { return tests_; }
  TimelineView *timelineView() const { return timeline_; }
  QAction *debugAction() const { return debugAction_; }
  QAction *traceAction() const { return traceAction_; }
  bool tracing() const { return tracing_; }
  /// The terminals of the shell and RTT tabs (`kind` "shell" or "rtt").
  TerminalWidget *sessionTerminal(const QString &kind) const {
    return sessionTerminals_.value(kind);
  }
  QWidget *sessionTab(const QString &kind) const { return sessionTabs_.value(kind); }

  /// The selections the actions use.
  void setAppDir(const QString &dir);
  QString appDir() const;
  bool selectBoard(const QString &name);
  QString selectedBoard() const;
  bool selectDevice(const QString &id);
  QString selectedDevice() const;

 public slots:
  void startBuild();
  void startFlash();
  void createDevice();
  void deleteDevice();
  void attachConsole();
  /// Attaches the shell or RTT tab (`kind`) to the selected device.
  void attachSession(const QString &kind);
  /// Asks for the selected device's GDB server (Devices.Debug) and shows it in the Debug tab.
  void startDebug();
  /// Runs the scenarios of the Tests tab's folder on the selected board (Tests.Run).
  void startTests();
  /// Re-attaches to a job (Jobs.Watch): its log so far, then live, in the Log tab.
  void watchJob(const QString &jobId);
  /// Loads a Chrome Trace Event JSON file into the Trace tab; false with the reason reported.
  bool openTrace(const QString &file);
  /// Starts a live trace of the selected device in the Trace tab (Trace.Capture: the timeline
  /// follows the last seconds while it runs), or stops the running one (the whole capture then
  /// replaces the live view).
  void toggleTrace();

 signals:
  /// Boards and devices are loaded (the first time after connecting).
  void loaded();
  void jobDone(const QString &operation, bool ok, const QString &message);
  /// A live trace ended; `ok` when the whole capture is in the Trace tab.
  void traceDone(bool ok, const QString &message);

 private:
  void buildUi();
  QWidget *makeSessionTab(const QString &kind);
  void setBusy(bool busy, const QString &operation);
  void upsertDevice(const gale::v1::Device &device);
  void showProblem(QTreeWidgetItem *item);
  void addSamples(const QString &galeBase);
  void report(const QString &text);
  void showStatus(const QString &text);
  void onJobEvent(const QString &operation, const gale::v1::JobEvent &event);
  void onJobFinished(const QString &operation, bool ok, const QString &message);

  Backend *backend_;
  QComboBox *app_ = nullptr;
  QTreeWidget *boards_ = nullptr;
  QLineEdit *boardFilter_ = nullptr;
  QTreeWidget *devices_ = nullptr;
  QTreeWidget *problems_ = nullptr;
  QPlainTextEdit *log_ = nullptr;
  QPlainTextEdit *source_ = nullptr;
  QProgressBar *progress_ = nullptr;
  QLabel *connection_ = nullptr;
  QLabel *jobState_ = nullptr;
  QTabWidget *tabs_ = nullptr;
  QWidget *consoleTab_ = nullptr;
  TerminalWidget *terminal_ = nullptr;
  KconfigEditor *kconfig_ = nullptr;
  DevicetreeView *devicetree_ = nullptr;
  QTreeWidget *jobs_ = nullptr;
  DebugPanel *debug_ = nullptr;
  TestsView *tests_ = nullptr;
  TimelineView *timeline_ = nullptr;
  QLabel *message_ = nullptr;
  QAction *debugAction_ = nullptr;
  QAction *traceAction_ = nullptr;
  bool tracing_ = false;
  QAction *testAction_ = nullptr;
  QString watchedJob_;
  QHash<QString, TerminalWidget *> sessionTerminals_;
  QHash<QString, QWidget *> sessionTabs_;
  QHash<QString, QString> sessionDevices_;
  QComboBox *shellBackend_ = nullptr;
  QCheckBox *pristine_ = nullptr;
  QAction *buildAction_ = nullptr;
  QAction *flashAction_ = nullptr;
  QAction *cancelAction_ = nullptr;
  QHash<QString, gale::v1::Board> boardInfo_;
  QString lastBuildDir_;
  QString lastLogLine_;
  QString lastBuildBoard_;
  QString flashDevice_;
  QString consoleDevice_;
  QString lastJobMessage_;
  bool lastJobOk_ = false;
  bool boardsLoaded_ = false;
  bool devicesLoaded_ = false;
  bool loadedOnce_ = false;
  bool jobRunning_ = false;
};

}  // namespace gale::studio
