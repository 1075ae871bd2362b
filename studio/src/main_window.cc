#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextBlock>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "debug_panel.h"
#include "devicetree_view.h"
#include "kconfig_editor.h"
#include "terminal_widget.h"
#include "tests_view.h"
#include "timeline_view.h"

namespace gale::studio {

namespace {

// How much of a running trace the live timeline shows (target time).
constexpr double kLiveTraceWindowS = 5;

QString Q(const std::string &text) {
  return QString::fromStdString(text);
}

QString StateName(gale::v1::DeviceState state) {
  switch (state) {
    case gale::v1::DEVICE_STATE_HALTED:
      return QStringLiteral("halted");
    case gale::v1::DEVICE_STATE_FLASHING:
      return QStringLiteral("flashing");
    case gale::v1::DEVICE_STATE_RUNNING:
      return QStringLiteral("running");
    case gale::v1::DEVICE_STATE_EXITED:
      return QStringLiteral("exited");
    case gale::v1::DEVICE_STATE_OFFLINE:
      return QStringLiteral("offline");
    case gale::v1::DEVICE_STATE_ATTACHED:
      return QStringLiteral("attached");
    case gale::v1::DEVICE_STATE_ABSENT:
      return QStringLiteral("absent");
    default:
      return QStringLiteral("unknown");
  }
}

QString SeverityName(gale::v1::Severity severity) {
  switch (severity) {
    case gale::v1::SEVERITY_NOTE:
      return QStringLiteral("note");
    case gale::v1::SEVERITY_WARNING:
      return QStringLiteral("warning");
    case gale::v1::SEVERITY_ERROR:
      return QStringLiteral("error");
    case gale::v1::SEVERITY_FATAL:
      return QStringLiteral("fatal");
    default:
      return QStringLiteral("?");
  }
}

enum DiagnosticRole { kFileRole = Qt::UserRole, kLineRole, kColumnRole };

// The status bar's message: elided to the room it has (full text in the tool tip), so a long
// message never runs under the permanent widgets at the right.
class ElidedLabel : public QLabel {
 public:
  using QLabel::QLabel;
  void setFullText(const QString &text) {
    full_ = text;
    setToolTip(text);
    update();
  }
  QString fullText() const { return full_; }
  QSize minimumSizeHint() const override { return {0, QLabel::minimumSizeHint().height()}; }
  QSize sizeHint() const override {
    return {fontMetrics().horizontalAdvance(full_), QLabel::sizeHint().height()};
  }

 protected:
  void paintEvent(QPaintEvent *) override {
    QPainter painter(this);
    const QRect r = contentsRect();
    painter.drawText(r, Qt::AlignVCenter | Qt::AlignLeft,
                     fontMetrics().elidedText(full_, Qt::ElideRight, r.width()));
  }

 private:
  QString full_;
};

}  // namespace

MainWindow::MainWindow(const QString &address, const QString &appDir, QWidget *parent)
    : QMainWindow(parent), backend_(new Backend(address, this)) {
  setWindowTitle(tr("Gale Studio"));
  buildUi();
  if (!appDir.isEmpty()) {
    setAppDir(appDir);
  }

  connect(backend_, &Backend::statusMessage, this,
          [this](const QString &text) { showStatus(text); });
  connect(backend_, &Backend::connected, this,
          [this](const QString &address, const QString &version, const QString &galeBase) {
            connection_->setText(tr("galed %1 at %2").arg(version, address));
            connection_->setStyleSheet(QString());
            addSamples(galeBase);
            backend_->listJobs();
          });
  connect(backend_, &Backend::connectionFailed, this, [this](const QString &message) {
    connection_->setText(tr("galed: not connected"));
    connection_->setStyleSheet(QStringLiteral("color: #b00020;"));
    report(message);
  });
  connect(backend_, &Backend::daemonLost, this, [this](const QString &message) {
    connection_->setText(tr("galed: lost, reconnecting"));
    connection_->setStyleSheet(QStringLiteral("color: #b00020;"));
    report(message);
  });
  connect(backend_, &Backend::boardsLoaded, this, [this](const QList<gale::v1::Board> &boards) {
    const QString selected = selectedBoard();
    boards_->clear();
    boardInfo_.clear();
    for (const auto &board : boards) {
      auto *item = new QTreeWidgetItem(
          boards_,
          {Q(board.name()), Q(board.arch()),
           board.emulator().empty() ? tr("hardware") : Q(board.emulator()), Q(board.vendor())});
      item->setToolTip(0, Q(board.full_name()));
      boardInfo_.insert(Q(board.name()), board);
    }
    boards_->sortItems(0, Qt::AscendingOrder);
    boardsLoaded_ = true;
    if (!selectBoard(selected)) {
      selectBoard(QStringLiteral("qemu_cortex_m3"));
    }
    if (boardsLoaded_ && devicesLoaded_ && !loadedOnce_) {
      loadedOnce_ = true;
      emit loaded();
    }
  });
  connect(backend_, &Backend::devicesLoaded, this, [this](const QList<gale::v1::Device> &list) {
    const QString selected = selectedDevice();
    devices_->clear();
    for (const auto &device : list) {
      upsertDevice(device);
    }
    selectDevice(selected);
    devicesLoaded_ = true;
    if (boardsLoaded_ && devicesLoaded_ && !loadedOnce_) {
      loadedOnce_ = true;
      emit loaded();
    }
  });
  connect(backend_, &Backend::deviceChanged, this,
          [this](int kind, const gale::v1::Device &device) {
            if (kind == gale::v1::DeviceEvent::KIND_REMOVED) {
              for (int i = 0; i < devices_->topLevelItemCount(); ++i) {
                if (devices_->topLevelItem(i)->text(0) == Q(device.id())) {
                  delete devices_->takeTopLevelItem(i);
                  break;
                }
              }
            } else {
              upsertDevice(device);
            }
          });
  connect(backend_, &Backend::deviceCreated, this, [this](const gale::v1::Device &device) {
    upsertDevice(device);
    selectDevice(Q(device.id()));
    report(tr("Created %1 (%2); select it and press Flash").arg(Q(device.id()), Q(device.board())));
  });
  connect(backend_, &Backend::callFailed, this,
          [this](const QString &what, const QString &message) {
            report(tr("%1 failed: %2").arg(what, message));
          });
  connect(backend_, &Backend::jobsLoaded, this, [this](const QList<gale::v1::Job> &jobs) {
    jobs_->clear();
    for (const auto &job : jobs) {
      static const char *const kStates[] = {"?",      "queued",    "running",    "succeeded",
                                            "failed", "cancelled", "interrupted"};
      const int state = job.state() >= 0 && job.state() <= 6 ? job.state() : 0;
      const QString time = job.finished_us() > 0 && job.started_us() > 0
                               ? QStringLiteral("%1 s").arg(
                                     double(job.finished_us() - job.started_us()) / 1e6, 0, 'f', 2)
                               : QString();
      auto *item = new QTreeWidgetItem(
          jobs_, {Q(job.id()), Q(job.kind()), QString::fromLatin1(kStates[state]),
                  QDateTime::fromMSecsSinceEpoch(job.created_us() / 1000)
                      .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss")),
                  time, Q(job.summary())});
      if (Q(job.id()) == watchedJob_) {
        QFont bold = item->font(0);
        bold.setBold(true);
        item->setFont(0, bold);
      }
      if (!job.error().empty()) {
        item->setToolTip(5, Q(job.error()));
        item->setToolTip(2, Q(job.error()));
      }
    }
    for (int c = 0; c < 5; ++c) {
      jobs_->resizeColumnToContents(c);
    }
  });
  connect(backend_, &Backend::traceLive, this, [this](const QString &, const QByteArray &json) {
    TraceModel model;
    QString error;
    if (LoadChromeTrace(json, &model, &error)) {
      timeline_->updateLive(model);
    }
  });
  connect(backend_, &Backend::traceProgress, this,
          [this](const QString &id, const QString &status, quint64 events, quint64 dropped) {
            showStatus(tr("Tracing %1: %2, %3 events, %4 dropped")
                           .arg(id, status)
                           .arg(events)
                           .arg(dropped));
          });
  connect(backend_, &Backend::traceFinished, this,
          [this](const QString &id, bool ok, const QString &message, const QByteArray &json) {
            tracing_ = false;
            traceAction_->setText(tr("Trace"));
            if (!ok) {
              report(tr("Trace of %1 failed: %2").arg(id, message));
              emit traceDone(false, message);
              return;
            }
            TraceModel model;
            QString error;
            if (!LoadChromeTrace(json, &model, &error)) {
              report(tr("Trace of %1: the daemon's export does not load: %2").arg(id, error));
              emit traceDone(false, error);
              return;
            }
            timeline_->setModel(model);
            report(tr("Trace of %1: %2; %3").arg(id, message, timeline_->summary()));
            emit traceDone(true, message);
          });
  connect(backend_, &Backend::jobEvent, this, &MainWindow::onJobEvent);
  connect(backend_, &Backend::jobFinished, this, &MainWindow::onJobFinished);
  connect(backend_, &Backend::consoleAttached, this, [this](const QString &id) {
    terminal_->setState(tr("Console of %1: output below, input line at the bottom").arg(id));
    terminal_->appendNote(tr("attached to %1").arg(id));
  });
  connect(backend_, &Backend::consoleData, this, [this](const QString &id, const QByteArray &data) {
    if (id == consoleDevice_) {
      terminal_->appendData(data);
    }
  });
  connect(backend_, &Backend::consoleClosed, this, [this](const QString &id, const QString &why) {
    if (id == consoleDevice_) {
      terminal_->appendNote(tr("console of %1 closed: %2").arg(id, why));
      terminal_->setState(tr("Not attached (%1). Pick a device and press Attach.").arg(why));
    }
  });
  connect(terminal_, &TerminalWidget::inputEntered, backend_, &Backend::sendConsoleInput);
  connect(backend_, &Backend::sessionAttached, this,
          [this](const QString &kind, const QString &id) {
            if (TerminalWidget *t = sessionTerminals_.value(kind);
                t != nullptr && sessionDevices_.value(kind) == id) {
              t->setState(tr("%1 of %2: output below, input line at the bottom").arg(kind, id));
              t->appendNote(tr("attached to %1").arg(id));
            }
          });
  connect(backend_, &Backend::sessionData, this,
          [this](const QString &kind, const QString &id, const QByteArray &data) {
            if (TerminalWidget *t = sessionTerminals_.value(kind);
                t != nullptr && sessionDevices_.value(kind) == id) {
              t->appendData(data);
            }
          });
  connect(backend_, &Backend::sessionStatus, this,
          [this](const QString &kind, const QString &id, const QString &status) {
            if (TerminalWidget *t = sessionTerminals_.value(kind);
                t != nullptr && sessionDevices_.value(kind) == id) {
              t->setState(tr("%1 of %2: %3").arg(kind, id, status));
            }
          });
  connect(backend_, &Backend::sessionClosed, this,
          [this](const QString &kind, const QString &id, const QString &why) {
            if (TerminalWidget *t = sessionTerminals_.value(kind);
                t != nullptr && sessionDevices_.value(kind) == id) {
              t->appendNote(tr("%1 of %2 closed: %3").arg(kind, id, why));
              t->setState(tr("Not attached (%1). Pick a device and press Attach.").arg(why));
            }
          });

  backend_->start();
}

MainWindow::~MainWindow() {
  // Cancel the calls and join their threads while the window is still whole.
  delete backend_;
}

void MainWindow::buildUi() {
  auto *toolbar = addToolBar(tr("Build"));
  toolbar->setObjectName(QStringLiteral("buildToolbar"));
  toolbar->setMovable(false);
  toolbar->addWidget(new QLabel(tr(" Application: "), toolbar));
  app_ = new QComboBox(toolbar);
  app_->setEditable(true);
  app_->setMinimumContentsLength(40);
  app_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  app_->setToolTip(tr("The application folder (it has a CMakeLists.txt that finds Gale)"));
  app_->lineEdit()->setPlaceholderText(tr("an application folder"));
  toolbar->addWidget(app_);
  toolbar->addAction(tr("Browse..."), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Application folder"), appDir());
    if (!dir.isEmpty()) {
      setAppDir(dir);
    }
  });
  toolbar->addSeparator();
  buildAction_ = toolbar->addAction(tr("Build"), this, &MainWindow::startBuild);
  buildAction_->setToolTip(tr("Build the application for the selected board (Builds.Build)"));
  pristine_ = new QCheckBox(tr("Pristine"), toolbar);
  pristine_->setToolTip(tr("Remove the build folder first"));
  toolbar->addWidget(pristine_);
  flashAction_ = toolbar->addAction(tr("Flash"), this, &MainWindow::startFlash);
  flashAction_->setToolTip(tr("Flash the last build to the selected device (Flash.Flash)"));
  debugAction_ = toolbar->addAction(tr("Debug"), this, &MainWindow::startDebug);
  debugAction_->setToolTip(
      tr("Open the selected device's GDB server and show how to connect gdb (Devices.Debug)"));
  traceAction_ = toolbar->addAction(tr("Trace"), this, &MainWindow::toggleTrace);
  traceAction_->setToolTip(
      tr("Trace the selected device live in the Trace tab; again to stop (Trace.Capture; the "
         "image needs CONFIG_TRACING=y)"));
  testAction_ = toolbar->addAction(tr("Test"), this, &MainWindow::startTests);
  testAction_->setToolTip(
      tr("Run the test scenarios of the Tests tab's folder on the selected board (Tests.Run)"));
  cancelAction_ = toolbar->addAction(tr("Cancel"), backend_, &Backend::cancelJob);
  cancelAction_->setEnabled(false);

  auto *fileMenu = menuBar()->addMenu(tr("&File"));
  fileMenu->addAction(tr("Open &trace..."), this, [this] {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open a trace (Chrome Trace Event JSON, as `gale trace -o FILE` writes)"),
        appDir(), tr("Trace files (*.json);;All files (*)"));
    if (!file.isEmpty()) {
      openTrace(file);
    }
  });
  fileMenu->addSeparator();
  fileMenu->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  // Left: boards and devices.
  auto *boardsBox = new QGroupBox(tr("Boards"));
  auto *boardsLayout = new QVBoxLayout(boardsBox);
  boardFilter_ = new QLineEdit(boardsBox);
  boardFilter_->setPlaceholderText(tr("Filter boards"));
  boardFilter_->setClearButtonEnabled(true);
  boards_ = new QTreeWidget(boardsBox);
  boards_->setHeaderLabels({tr("Board"), tr("Arch"), tr("Emulator"), tr("Vendor")});
  boards_->setRootIsDecorated(false);
  boards_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  boardsLayout->addWidget(boardFilter_);
  boardsLayout->addWidget(boards_);
  connect(boardFilter_, &QLineEdit::textChanged, this, [this](const QString &text) {
    for (int i = 0; i < boards_->topLevelItemCount(); ++i) {
      QTreeWidgetItem *item = boards_->topLevelItem(i);
      bool match = text.isEmpty();
      for (int c = 0; c < item->columnCount() && !match; ++c) {
        match = item->text(c).contains(text, Qt::CaseInsensitive);
      }
      item->setHidden(!match);
    }
  });
  auto *placeholder = new QTreeWidgetItem(boards_, {tr("Loading boards from galed...")});
  placeholder->setFlags(Qt::NoItemFlags);

  auto *devicesBox = new QGroupBox(tr("Devices"));
  auto *devicesLayout = new QVBoxLayout(devicesBox);
  devices_ = new QTreeWidget(devicesBox);
  devices_->setHeaderLabels({tr("Device"), tr("Board"), tr("State"), tr("Image"), tr("Lease")});
  devices_->setRootIsDecorated(false);
  devices_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  auto *buttons = new QHBoxLayout();
  auto *newDevice = new QPushButton(tr("New emulated device"), devicesBox);
  newDevice->setToolTip(tr("Start an emulator for the selected board (Devices.Create)"));
  auto *removeDevice = new QPushButton(tr("Delete"), devicesBox);
  removeDevice->setToolTip(tr("Stop the selected emulated device (Devices.Delete)"));
  buttons->addWidget(newDevice);
  buttons->addWidget(removeDevice);
  buttons->addStretch();
  devicesLayout->addWidget(devices_);
  devicesLayout->addLayout(buttons);
  connect(newDevice, &QPushButton::clicked, this, &MainWindow::createDevice);
  connect(removeDevice, &QPushButton::clicked, this, &MainWindow::deleteDevice);

  auto *left = new QSplitter(Qt::Vertical);
  left->addWidget(boardsBox);
  left->addWidget(devicesBox);

  // Right: the tabs.
  tabs_ = new QTabWidget();
  const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  log_ = new QPlainTextEdit();
  log_->setReadOnly(true);
  log_->setFont(mono);
  log_->setMaximumBlockCount(20000);
  log_->setPlaceholderText(
      tr("Build and flash output appears here. Pick an application and a "
         "board, then press Build."));
  tabs_->addTab(log_, tr("Log"));

  problems_ = new QTreeWidget();
  problems_->setHeaderLabels({tr("Severity"), tr("Location"), tr("Message"), tr("Tool")});
  problems_->setRootIsDecorated(false);
  problems_->setWordWrap(true);
  problems_->header()->setStretchLastSection(false);
  problems_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  problems_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  problems_->header()->setSectionResizeMode(2, QHeaderView::Stretch);
  problems_->header()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
  connect(problems_, &QTreeWidget::itemActivated, this,
          [this](QTreeWidgetItem *item, int) { showProblem(item); });
  connect(problems_, &QTreeWidget::itemClicked, this,
          [this](QTreeWidgetItem *item, int) { showProblem(item); });
  tabs_->addTab(problems_, tr("Problems"));

  consoleTab_ = new QWidget();
  auto *consoleLayout = new QVBoxLayout(consoleTab_);
  auto *consoleBar = new QHBoxLayout();
  auto *attach = new QPushButton(tr("Attach to selected device"), consoleTab_);
  auto *detach = new QPushButton(tr("Detach"), consoleTab_);
  auto *clear = new QPushButton(tr("Clear"), consoleTab_);
  consoleBar->addWidget(attach);
  consoleBar->addWidget(detach);
  consoleBar->addWidget(clear);
  consoleBar->addStretch();
  terminal_ = new TerminalWidget(consoleTab_);
  consoleLayout->addLayout(consoleBar);
  consoleLayout->addWidget(terminal_, 1);
  connect(attach, &QPushButton::clicked, this, &MainWindow::attachConsole);
  connect(detach, &QPushButton::clicked, this, [this] { backend_->detachConsole(); });
  connect(clear, &QPushButton::clicked, terminal_, &TerminalWidget::clear);
  tabs_->addTab(consoleTab_, tr("Console"));

  tabs_->addTab(makeSessionTab(QStringLiteral("shell")), tr("Shell"));
  tabs_->addTab(makeSessionTab(QStringLiteral("rtt")), tr("RTT"));

  kconfig_ = new KconfigEditor(backend_);
  tabs_->addTab(kconfig_, tr("Kconfig"));
  devicetree_ = new DevicetreeView();
  tabs_->addTab(devicetree_, tr("Devicetree"));

  auto *jobsTab = new QWidget();
  auto *jobsLayout = new QVBoxLayout(jobsTab);
  jobsLayout->setContentsMargins(0, 0, 0, 0);
  auto *refreshJobs = new QPushButton(tr("Refresh"), jobsTab);
  auto *watchJobButton = new QPushButton(tr("Watch log"), jobsTab);
  watchJobButton->setToolTip(
      tr("Show the selected job's log so far, then live until it ends (Jobs.Watch); "
         "double-clicking a job does the same"));
  jobs_ = new QTreeWidget(jobsTab);
  jobs_->setHeaderLabels(
      {tr("Job"), tr("Kind"), tr("State"), tr("Created"), tr("Time"), tr("Summary")});
  jobs_->setRootIsDecorated(false);
  auto *jobsBar = new QHBoxLayout();
  jobsBar->addWidget(
      new QLabel(tr("Every build, flash, run, test and config job galed ran"), jobsTab));
  jobsBar->addStretch();
  jobsBar->addWidget(watchJobButton);
  jobsBar->addWidget(refreshJobs);
  jobsLayout->addLayout(jobsBar);
  jobsLayout->addWidget(jobs_, 1);
  connect(refreshJobs, &QPushButton::clicked, backend_, &Backend::listJobs);
  connect(watchJobButton, &QPushButton::clicked, this, [this] {
    if (jobs_->currentItem() == nullptr) {
      report(tr("Watch log: select a job in the list first"));
      return;
    }
    watchJob(jobs_->currentItem()->text(0));
  });
  connect(jobs_, &QTreeWidget::itemDoubleClicked, this,
          [this](QTreeWidgetItem *item, int) { watchJob(item->text(0)); });
  tabs_->addTab(jobsTab, tr("Jobs"));

  tests_ = new TestsView(backend_);
  connect(tests_, &TestsView::runRequested, this, &MainWindow::startTests);
  tabs_->addTab(tests_, tr("Tests"));
  debug_ = new DebugPanel(backend_);
  tabs_->addTab(debug_, tr("Debug"));
  timeline_ = new TimelineView();
  tabs_->addTab(timeline_, tr("Trace"));

  source_ = new QPlainTextEdit();
  source_->setReadOnly(true);
  source_->setFont(mono);
  source_->setPlaceholderText(tr("Click a problem to see its source here."));
  tabs_->addTab(source_, tr("Source"));

  auto *split = new QSplitter(Qt::Horizontal);
  split->addWidget(left);
  split->addWidget(tabs_);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  split->setSizes({440, 840});
  setCentralWidget(split);

  connection_ = new QLabel(tr("galed: connecting..."));
  jobState_ = new QLabel(tr("idle"));
  progress_ = new QProgressBar();
  progress_->setRange(0, 100);
  progress_->setValue(0);
  progress_->setMaximumWidth(220);
  progress_->setFormat(tr("idle"));
  progress_->setMinimumWidth(160);
  message_ = new ElidedLabel();
  message_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  statusBar()->addWidget(message_, 1);
  statusBar()->addPermanentWidget(jobState_);
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(connection_);
  resize(1280, 800);
}

QWidget *MainWindow::makeSessionTab(const QString &kind) {
  auto *tab = new QWidget();
  auto *layout = new QVBoxLayout(tab);
  auto *bar = new QHBoxLayout();
  auto *attach = new QPushButton(tr("Attach to selected device"), tab);
  auto *detach = new QPushButton(tr("Detach"), tab);
  auto *clear = new QPushButton(tr("Clear"), tab);
  bar->addWidget(attach);
  if (kind == QStringLiteral("shell")) {
    shellBackend_ = new QComboBox(tab);
    shellBackend_->addItems({QStringLiteral("uart"), QStringLiteral("rtt")});
    shellBackend_->setToolTip(tr("Where the device's shell runs: its UART or RTT channel 0"));
    bar->addWidget(new QLabel(tr("over"), tab));
    bar->addWidget(shellBackend_);
  }
  bar->addWidget(detach);
  bar->addWidget(clear);
  bar->addStretch();
  auto *terminal = new TerminalWidget(tab);
  if (kind == QStringLiteral("shell")) {
    terminal->setLineEnding("\r");
  }
  terminal->setState(
      kind == QStringLiteral("shell")
          ? tr("Not attached: pick a device running a shell and press Attach.")
          : tr("Not attached: pick a device whose image uses RTT and press Attach."));
  layout->addLayout(bar);
  layout->addWidget(terminal, 1);
  sessionTerminals_.insert(kind, terminal);
  sessionTabs_.insert(kind, tab);
  connect(attach, &QPushButton::clicked, this, [this, kind] { attachSession(kind); });
  connect(detach, &QPushButton::clicked, this, [this, kind] { backend_->detachSession(kind); });
  connect(clear, &QPushButton::clicked, terminal, &TerminalWidget::clear);
  connect(terminal, &TerminalWidget::inputEntered, this,
          [this, kind](const QByteArray &data) { backend_->sendSessionInput(kind, data); });
  return tab;
}

void MainWindow::attachSession(const QString &kind) {
  const QString device = selectedDevice();
  TerminalWidget *terminal = sessionTerminals_.value(kind);
  if (terminal == nullptr) {
    return;
  }
  if (device.isEmpty()) {
    report(tr("%1: select a device in the Devices list first").arg(kind));
    return;
  }
  sessionDevices_.insert(kind, device);
  terminal->setState(tr("Attaching to %1...").arg(device));
  tabs_->setCurrentWidget(sessionTabs_.value(kind));
  backend_->attachSession(
      kind, device, kind == QStringLiteral("shell") ? shellBackend_->currentText() : QString());
}

QString MainWindow::connectionText() const {
  return connection_->text();
}

QString MainWindow::statusText() const {
  return static_cast<ElidedLabel *>(message_)->fullText();
}

void MainWindow::showStatus(const QString &text) {
  static_cast<ElidedLabel *>(message_)->setFullText(text);
}

void MainWindow::report(const QString &text) {
  showStatus(text);
  log_->appendPlainText(QStringLiteral("[studio] ") + text);
}

void MainWindow::addSamples(const QString &galeBase) {
  if (galeBase.isEmpty()) {
    return;
  }
  const QDir samples(galeBase + QStringLiteral("/samples"));
  const bool chosen = !app_->currentText().trimmed().isEmpty();
  for (const QFileInfo &info :
       samples.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
    if (QFileInfo::exists(info.filePath() + QStringLiteral("/CMakeLists.txt")) &&
        app_->findText(info.filePath()) < 0) {
      app_->addItem(info.filePath());
    }
  }
  if (!chosen && app_->count() > 0) {
    const int hello = app_->findText(samples.filePath(QStringLiteral("hello_world")));
    app_->setCurrentIndex(hello >= 0 ? hello : 0);
  }
}

void MainWindow::setAppDir(const QString &dir) {
  const QString absolute = QDir(dir).absolutePath();
  int index = app_->findText(absolute);
  if (index < 0) {
    app_->insertItem(0, absolute);
    index = 0;
  }
  app_->setCurrentIndex(index);
}

QString MainWindow::appDir() const {
  return app_->currentText().trimmed();
}

bool MainWindow::selectBoard(const QString &name) {
  if (name.isEmpty()) {
    return false;
  }
  for (int i = 0; i < boards_->topLevelItemCount(); ++i) {
    if (boards_->topLevelItem(i)->text(0) == name) {
      boards_->setCurrentItem(boards_->topLevelItem(i));
      return true;
    }
  }
  return false;
}

QString MainWindow::selectedBoard() const {
  const QTreeWidgetItem *item = boards_->currentItem();
  return item != nullptr && boardInfo_.contains(item->text(0)) ? item->text(0) : QString();
}

bool MainWindow::selectDevice(const QString &id) {
  if (id.isEmpty()) {
    return false;
  }
  for (int i = 0; i < devices_->topLevelItemCount(); ++i) {
    if (devices_->topLevelItem(i)->text(0) == id) {
      devices_->setCurrentItem(devices_->topLevelItem(i));
      return true;
    }
  }
  return false;
}

QString MainWindow::selectedDevice() const {
  const QTreeWidgetItem *item = devices_->currentItem();
  return item != nullptr ? item->text(0) : QString();
}

void MainWindow::upsertDevice(const gale::v1::Device &device) {
  const QString id = Q(device.id());
  QTreeWidgetItem *item = nullptr;
  for (int i = 0; i < devices_->topLevelItemCount() && item == nullptr; ++i) {
    if (devices_->topLevelItem(i)->text(0) == id) {
      item = devices_->topLevelItem(i);
    }
  }
  if (item == nullptr) {
    item = new QTreeWidgetItem(devices_);
  }
  QString state = StateName(device.state());
  if (device.state() == gale::v1::DEVICE_STATE_EXITED) {
    state += QStringLiteral(" (%1)").arg(device.exit_code());
  }
  item->setText(0, id);
  item->setText(1, device.board().empty() ? tr("(unbound probe)") : Q(device.board()));
  item->setText(2, state);
  item->setText(3, QFileInfo(Q(device.image())).fileName());
  // Farm leases (Devices.Watch carries them): who holds the device, until when.
  QString lease;
  if (!device.lease_holder().empty()) {
    lease = tr("%1 until %2")
                .arg(Q(device.lease_holder()),
                     QDateTime::fromMSecsSinceEpoch(device.lease_expires_us() / 1000)
                         .toString(QStringLiteral("HH:mm")));
  }
  item->setText(4, lease);
  QString tip = device.name().empty() ? id : Q(device.name());
  if (!device.lease_id().empty()) {
    tip += tr("\nleased to %1 (lease %2) until %3")
               .arg(Q(device.lease_holder()), Q(device.lease_id()),
                    QDateTime::fromMSecsSinceEpoch(device.lease_expires_us() / 1000)
                        .toString(Qt::ISODate));
  }
  if (device.tags_size() > 0) {
    QStringList tags;
    for (const std::string &tag : device.tags()) {
      tags << Q(tag);
    }
    tip += tr("\ntags: %1").arg(tags.join(QStringLiteral(", ")));
  }
  if (!device.error().empty()) {
    tip += QStringLiteral("\n") + Q(device.error());
  }
  if (!device.permission_problem().empty()) {
    tip += QStringLiteral("\n") + Q(device.permission_problem());
  }
  if (!device.probe_description().empty()) {
    tip += QStringLiteral("\n") + Q(device.probe_description());
  }
  for (int c = 0; c < devices_->columnCount(); ++c) {
    item->setToolTip(c, tip);
  }
}

void MainWindow::setBusy(bool busy, const QString &operation) {
  jobRunning_ = busy;
  buildAction_->setEnabled(!busy);
  flashAction_->setEnabled(!busy);
  testAction_->setEnabled(!busy);
  cancelAction_->setEnabled(busy);
  if (busy) {
    jobState_->setText(tr("%1: running").arg(operation));
    progress_->setRange(0, 0);  // busy until the first progress with a percentage
    progress_->setFormat(operation);
  }
}

void MainWindow::startBuild() {
  const QString app = appDir();
  if (app.isEmpty()) {
    report(tr("Build: pick an application folder first (Application, or Browse...)"));
    return;
  }
  if (!QFileInfo::exists(app + QStringLiteral("/CMakeLists.txt"))) {
    report(tr("Build: %1 is not an application folder (no CMakeLists.txt); pick another").arg(app));
    return;
  }
  const QString board = selectedBoard();
  if (board.isEmpty()) {
    report(tr("Build: select a board in the Boards list first"));
    return;
  }
  log_->clear();
  problems_->clear();
  tabs_->setTabText(tabs_->indexOf(problems_), tr("Problems"));
  tabs_->setCurrentWidget(log_);
  log_->appendPlainText(tr("Building %1 for %2...").arg(app, board));
  lastBuildBoard_ = board;
  setBusy(true, QStringLiteral("build"));
  backend_->build(QDir(app).absolutePath(), board, pristine_->isChecked());
}

void MainWindow::startFlash() {
  const QString device = selectedDevice();
  if (device.isEmpty()) {
    report(
        tr("Flash: select a device in the Devices list (or create one with New emulated device)"));
    return;
  }
  QString buildDir = lastBuildDir_;
  if (buildDir.isEmpty()) {
    if (appDir().isEmpty()) {
      report(tr("Flash: build an application first"));
      return;
    }
    buildDir = QDir(appDir()).absoluteFilePath(QStringLiteral("build"));
  }
  tabs_->setCurrentWidget(log_);
  log_->appendPlainText(tr("Flashing %1 to %2...").arg(buildDir, device));
  flashDevice_ = device;
  setBusy(true, QStringLiteral("flash"));
  backend_->flash(device, buildDir);
}

void MainWindow::createDevice() {
  const QString board = selectedBoard();
  if (board.isEmpty()) {
    report(tr("New emulated device: select a board in the Boards list first"));
    return;
  }
  if (boardInfo_.value(board).emulator().empty()) {
    report(tr("New emulated device: %1 has no emulator; connect the board through its debug "
              "probe instead")
               .arg(board));
    return;
  }
  report(tr("Starting an emulated %1...").arg(board));
  backend_->createDevice(board);
}

void MainWindow::deleteDevice() {
  const QString device = selectedDevice();
  if (device.isEmpty()) {
    report(tr("Delete: select a device first"));
    return;
  }
  report(tr("Deleting %1...").arg(device));
  backend_->deleteDevice(device);
}

void MainWindow::attachConsole() {
  const QString device = selectedDevice();
  if (device.isEmpty()) {
    report(tr("Console: select a device in the Devices list first"));
    return;
  }
  consoleDevice_ = device;
  terminal_->setState(tr("Attaching to %1...").arg(device));
  tabs_->setCurrentWidget(consoleTab_);
  backend_->attachConsole(device);
}

void MainWindow::onJobEvent(const QString &operation, const gale::v1::JobEvent &event) {
  if (event.event_case() == gale::v1::JobEvent::EVENT_NOT_SET && !event.job_id().empty()) {
    jobState_->setText(tr("%1: job %2").arg(operation, Q(event.job_id())));
    return;
  }
  if (event.has_progress()) {
    const auto &p = event.progress();
    // The bar belongs to Studio's own job while one runs; a watched job only gets it otherwise.
    const bool ownsBar = operation != QStringLiteral("watch") || !jobRunning_;
    if (p.percent() >= 0 && ownsBar) {
      progress_->setRange(0, 100);
      progress_->setValue(int(p.percent()));
      progress_->setFormat(QStringLiteral("%1 %p%").arg(Q(p.phase())));
    }
    // Build progress repeats the tool's line that the log event carries: shown once.
    if (!p.message().empty() && Q(p.message()) != lastLogLine_) {
      log_->appendPlainText(QStringLiteral("[%1] %2").arg(Q(p.phase()), Q(p.message())));
    }
  } else if (event.has_log()) {
    lastLogLine_ = Q(event.log().text());
    log_->appendPlainText(lastLogLine_);
  } else if (event.has_diagnostic()) {
    const auto &d = event.diagnostic();
    QString location = Q(d.file());
    if (d.line() > 0) {
      location += QStringLiteral(":%1").arg(d.line());
      if (d.column() > 0) {
        location += QStringLiteral(":%1").arg(d.column());
      }
    }
    QString shortLocation = location;
    shortLocation.replace(QFileInfo(Q(d.file())).path() + QLatin1Char('/'), QString());
    auto *item = new QTreeWidgetItem(
        problems_, {SeverityName(d.severity()), shortLocation, Q(d.message()), Q(d.tool())});
    item->setToolTip(1, location);
    item->setData(0, kFileRole, Q(d.file()));
    item->setData(0, kLineRole, d.line());
    item->setData(0, kColumnRole, d.column());
    item->setToolTip(2, Q(d.message()));
    if (d.severity() >= gale::v1::SEVERITY_ERROR) {
      item->setForeground(0, QColor(0xb0, 0x00, 0x20));
    }
    tabs_->setTabText(tabs_->indexOf(problems_),
                      tr("Problems (%1)").arg(problems_->topLevelItemCount()));
  } else if (event.has_result()) {
    const auto &r = event.result();
    if (r.has_build() && r.state() == gale::v1::JOB_STATE_SUCCEEDED) {
      lastBuildDir_ = Q(r.build().build_dir());
    }
  }
}

void MainWindow::onJobFinished(const QString &operation, bool ok, const QString &message) {
  if (operation == QStringLiteral("watch")) {
    // A watched job is someone else's (or an earlier one): it does not hold the job slot.
    log_->appendPlainText(tr("[studio] job %1 ended: %2").arg(watchedJob_, message));
    // The progress bar followed the watched job's events: say whose it was.
    if (!jobRunning_) {
      jobState_->setText(ok ? tr("job %1: succeeded").arg(watchedJob_)
                            : tr("job %1: failed").arg(watchedJob_));
      progress_->setRange(0, 100);
      progress_->setValue(ok ? 100 : 0);
      progress_->setFormat(ok ? tr("job %1 done").arg(watchedJob_)
                              : tr("job %1 failed").arg(watchedJob_));
    }
    showStatus(tr("Job %1: %2").arg(watchedJob_, message));
    lastJobOk_ = ok;
    lastJobMessage_ = message;
    backend_->listJobs();
    emit jobDone(operation, ok, message);
    return;
  }
  setBusy(false, operation);
  progress_->setRange(0, 100);
  progress_->setValue(ok ? 100 : 0);
  progress_->setFormat(ok ? tr("%1 done").arg(operation) : tr("%1 failed").arg(operation));
  jobState_->setText(ok ? tr("%1: succeeded").arg(operation) : tr("%1: failed").arg(operation));
  lastJobOk_ = ok;
  lastJobMessage_ = message;
  report(message);
  if (operation == QStringLiteral("test")) {
    tabs_->setCurrentWidget(tests_);
  }
  if (!ok && operation == QStringLiteral("build") && problems_->topLevelItemCount() > 0) {
    tabs_->setCurrentWidget(problems_);
  }
  if (ok && operation == QStringLiteral("build") && !lastBuildDir_.isEmpty()) {
    kconfig_->load(lastBuildDir_);
    devicetree_->load(lastBuildDir_);
  }
  if (ok && operation == QStringLiteral("flash") && !flashDevice_.isEmpty()) {
    // Show what the image prints: the console replays the output retained since the flash.
    if (consoleDevice_ != flashDevice_) {
      selectDevice(flashDevice_);
      attachConsole();
    } else {
      tabs_->setCurrentWidget(consoleTab_);
    }
  }
  backend_->listJobs();
  emit jobDone(operation, ok, message);
}

void MainWindow::showProblem(QTreeWidgetItem *item) {
  const QString file = item->data(0, kFileRole).toString();
  const int line = item->data(0, kLineRole).toInt();
  if (file.isEmpty()) {
    report(tr("This problem names no file"));
    return;
  }
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly)) {
    report(tr("Cannot open %1: %2").arg(file, f.errorString()));
    return;
  }
  source_->setPlainText(QString::fromUtf8(f.read(4 * 1024 * 1024)));
  tabs_->setTabText(tabs_->indexOf(source_), QFileInfo(file).fileName());
  tabs_->setCurrentWidget(source_);
  if (line > 0) {
    const QTextBlock block = source_->document()->findBlockByNumber(line - 1);
    QTextCursor cursor(block);
    source_->setTextCursor(cursor);
    QTextEdit::ExtraSelection selection;
    selection.cursor = cursor;
    selection.format.setBackground(QColor(0xff, 0xe0, 0xe0));
    selection.format.setProperty(QTextFormat::FullWidthSelection, true);
    source_->setExtraSelections({selection});
    source_->centerCursor();
  }
  showStatus(tr("%1:%2: %3").arg(file).arg(line).arg(item->text(2)));
}

}  // namespace gale::studio

namespace gale::studio {

void MainWindow::startDebug() {
  const QString device = selectedDevice();
  if (device.isEmpty()) {
    report(tr("Debug: select a device in the Devices list first"));
    return;
  }
  // The last build's ELF carries the symbols when it was built for this device's board.
  QString elf;
  for (int i = 0; i < devices_->topLevelItemCount(); ++i) {
    QTreeWidgetItem *row = devices_->topLevelItem(i);
    if (row->text(0) == device && !lastBuildDir_.isEmpty() && row->text(1) == lastBuildBoard_ &&
        QFileInfo::exists(lastBuildDir_ + QStringLiteral("/gale/gale.elf")) &&
        row->text(3).isEmpty()) {
      elf = lastBuildDir_ + QStringLiteral("/gale/gale.elf");
    }
  }
  tabs_->setCurrentWidget(debug_);
  showStatus(tr("Debug: asking galed for the GDB server of %1...").arg(device));
  debug_->request(device, elf);
}

void MainWindow::toggleTrace() {
  if (tracing_) {
    showStatus(tr("Stopping the trace; the whole capture follows..."));
    backend_->stopTrace();
    return;
  }
  const QString device = selectedDevice();
  if (device.isEmpty()) {
    report(tr("Trace: select a device in the Devices list first"));
    return;
  }
  tracing_ = true;
  traceAction_->setText(tr("Stop trace"));
  timeline_->setModel(TraceModel());
  tabs_->setCurrentWidget(timeline_);
  showStatus(tr("Tracing %1: starting (the last %2 s are shown while it runs)...")
                 .arg(device)
                 .arg(kLiveTraceWindowS));
  backend_->captureTrace(device, kLiveTraceWindowS);
}

void MainWindow::startTests() {
  QString path = tests_->path();
  if (path.isEmpty()) {
    path = appDir();
    tests_->setPath(path);
  }
  if (path.isEmpty()) {
    report(tr("Test: enter a folder with a testcase.yaml in the Tests tab"));
    return;
  }
  if (!QFileInfo(path).isDir()) {
    report(tr("Test: %1 is not a folder; pick a folder with a testcase.yaml").arg(path));
    return;
  }
  const QString board = selectedBoard();
  if (board.isEmpty()) {
    report(tr("Test: select a board in the Boards list first"));
    return;
  }
  if (boardInfo_.value(board).emulator().empty()) {
    report(tr("Test: %1 has no emulator; galed runs tests on emulated boards (pick a qemu_ or "
              "native_ board)")
               .arg(board));
    return;
  }
  if (jobRunning_) {
    report(tr("Test: another job is running; wait for it or press Cancel"));
    return;
  }
  tabs_->setCurrentWidget(tests_);
  log_->clear();
  log_->appendPlainText(tr("Testing %1 on %2...").arg(path, board));
  tests_->begin(QDir(path).absolutePath(), board);
  setBusy(true, QStringLiteral("test"));
  backend_->runTests({QDir(path).absolutePath()}, {board});
}

void MainWindow::watchJob(const QString &jobId) {
  if (jobId.isEmpty()) {
    return;
  }
  watchedJob_ = jobId;
  log_->clear();
  log_->appendPlainText(tr("[studio] watching job %1: its log so far, then live").arg(jobId));
  tabs_->setCurrentWidget(log_);
  showStatus(tr("Watching job %1...").arg(jobId));
  backend_->watchJob(jobId);
}

bool MainWindow::openTrace(const QString &file) {
  QString error;
  if (!timeline_->loadFile(file, &error)) {
    report(tr("Cannot open the trace %1: %2").arg(file, error));
    return false;
  }
  tabs_->setCurrentWidget(timeline_);
  report(tr("Trace %1: %2").arg(file, timeline_->summary()));
  return true;
}

}  // namespace gale::studio
