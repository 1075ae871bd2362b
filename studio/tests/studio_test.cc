// Gale Studio against the real galed (started by the window itself, as a user's Studio would,
// on a private runtime and state folder) and QEMU, on the offscreen platform.
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTreeWidget>

#include <chrono>
#include <memory>

#include "client.h"
#include "debug_panel.h"
#include "devicetree_view.h"
#include "gale/host/paths.h"
#include "gale/v1/farm.grpc.pb.h"
#include "gale/v1/sdk.grpc.pb.h"
#include "kconfig_editor.h"
#include "main_window.h"
#include "terminal_widget.h"
#include "tests_view.h"
#include "timeline_view.h"

using gale::studio::MainWindow;

namespace {

bool CopyTree(const QString &from, const QString &to) {
  QDir().mkpath(to);
  const QDir source(from);
  for (const QFileInfo &info : source.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot)) {
    const QString target = to + QLatin1Char('/') + info.fileName();
    if (info.isDir()) {
      if (info.fileName() == QStringLiteral("build") || !CopyTree(info.filePath(), target)) {
        continue;
      }
    } else if (!QFile::copy(info.filePath(), target)) {
      return false;
    }
  }
  return true;
}

void Screenshot(QWidget *widget, const QString &name) {
  QDir().mkpath(QStringLiteral(STUDIO_OUTPUT_DIR));
  const QString file = QStringLiteral(STUDIO_OUTPUT_DIR "/") + name;
  QVERIFY2(widget->grab().save(file, "PNG"), qPrintable(QStringLiteral("cannot write ") + file));
  QVERIFY2(QFileInfo(file).size() > 10000, qPrintable(file + QStringLiteral(" is too small")));
  qInfo("screenshot: %s", qPrintable(file));
}

// The rows of emulated devices (a machine may also have debug probes attached).
QList<QTreeWidgetItem *> EmulatedDevices(MainWindow *window) {
  QList<QTreeWidgetItem *> rows;
  for (int i = 0; i < window->devicesView()->topLevelItemCount(); ++i) {
    if (window->devicesView()->topLevelItem(i)->text(0).startsWith(QStringLiteral("emu-"))) {
      rows.append(window->devicesView()->topLevelItem(i));
    }
  }
  return rows;
}

}  // namespace

class StudioTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void loadsBoardsAndDevices();
  void buildFlashAndConsole();
  void debugShowsTheGdbServer();
  void leaseShowsInTheDevicesList();
  void jobsWatchReplaysAJob();
  void kconfigEditorShowsAndSets();
  void kconfigTypedEditors();
  void devicetreeViewShowsTheBuildsTree();
  void buildErrorIsListedAndOpens();
  void testsViewRunsAZtestApp();
  void traceOpensInTheTimeline();
  void shellAndRttTabs();
  void liveTraceFollowsTheDevice();
  void lostDaemonIsShownAndReconnected();
  void cleanupTestCase();

 private:
  QTemporaryDir work_{QStringLiteral("/tmp/gale-studio-ui.XXXXXX")};
  QString address_;
  QString app_;
  QString device_;
  std::unique_ptr<MainWindow> window_;
};

void StudioTest::initTestCase() {
  QVERIFY(work_.isValid());
  QDir().mkpath(work_.filePath(QStringLiteral("run")));
  QFile::setPermissions(work_.filePath(QStringLiteral("run")),
                        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
  qputenv("XDG_RUNTIME_DIR", work_.filePath(QStringLiteral("run")).toUtf8());
  qputenv("XDG_STATE_HOME", work_.filePath(QStringLiteral("state")).toUtf8());
  qputenv("GALE_GALED", GALED_PATH);
  qunsetenv("GALE_SOCKET");
  address_ = QString::fromStdString(gale::host::ResolveSocketAddress(""));
  app_ = work_.filePath(QStringLiteral("hello_world"));
  QVERIFY(CopyTree(QStringLiteral(GALE_SOURCE_DIR "/samples/hello_world"), app_));

  window_ = std::make_unique<MainWindow>(address_, app_);
  window_->show();
}

void StudioTest::loadsBoardsAndDevices() {
  QSignalSpy loaded(window_.get(), &MainWindow::loaded);
  // Studio starts galed (none answers on the private socket), then lists boards and devices.
  QTRY_VERIFY_WITH_TIMEOUT(window_->boardsLoaded() && window_->devicesLoaded(), 60000);
  QCOMPARE(loaded.count(), 1);
  QVERIFY(window_->boardsView()->topLevelItemCount() > 3);
  QVERIFY(window_->selectBoard(QStringLiteral("qemu_cortex_m3")));
  QCOMPARE(window_->selectedBoard(), QStringLiteral("qemu_cortex_m3"));
  QCOMPARE(EmulatedDevices(window_.get()).size(), 0);
  QCOMPARE(window_->appDir(), app_);
  // A long message is elided beside the permanent widgets, never drawn under the progress bar.
  const QString longText = QStringLiteral("a long status message ").repeated(20);
  emit window_->backend()->statusMessage(longText);
  QCOMPARE(window_->statusText(), longText);
  QTest::qWait(50);
  QVERIFY(window_->statusLabel()->isVisible());
  QVERIFY(window_->progressBar()->isVisible());
  QVERIFY(!window_->statusLabel()->geometry().intersects(window_->progressBar()->geometry()));
  QVERIFY(window_->statusLabel()->geometry().right() < window_->progressBar()->geometry().left());
  QCOMPARE(window_->statusLabel()->toolTip(), longText);
  Screenshot(window_.get(), QStringLiteral("studio_main.png"));
}

void StudioTest::buildFlashAndConsole() {
  QSignalSpy done(window_.get(), &MainWindow::jobDone);
  QVERIFY(window_->selectBoard(QStringLiteral("qemu_cortex_m3")));
  window_->startBuild();
  QVERIFY(window_->jobRunning());
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 600000);
  QVERIFY2(window_->lastJobOk(), qPrintable(window_->lastJobMessage()));
  QVERIFY(window_->lastJobMessage().contains(QStringLiteral("gale.elf")));
  QVERIFY(!window_->buildLog()->toPlainText().isEmpty());
  QCOMPARE(window_->progressBar()->value(), 100);
  Screenshot(window_.get(), QStringLiteral("studio_build.png"));

  // A new emulated board appears through Devices.Watch (and the Create answer).
  window_->createDevice();
  QTRY_VERIFY_WITH_TIMEOUT(EmulatedDevices(window_.get()).size() == 1, 60000);
  QTreeWidgetItem *row = EmulatedDevices(window_.get()).first();
  const QString device = row->text(0);
  device_ = device;
  QVERIFY(device.startsWith(QStringLiteral("emu-qemu_cortex_m3")));
  QVERIFY(window_->selectDevice(device));

  window_->startFlash();
  QVERIFY(window_->jobRunning());
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, 120000);
  QCOMPARE(done.at(1).at(0).toString(), QStringLiteral("flash"));
  QVERIFY2(window_->lastJobOk(), qPrintable(window_->lastJobMessage()));
  QVERIFY(window_->lastJobMessage().contains(device));

  // After the flash, Studio attaches the console of the device and shows its output.
  QCOMPARE(window_->tabs()->currentWidget(), window_->consoleTab());
  QTRY_VERIFY_WITH_TIMEOUT(
      window_->terminal()->text().contains(QStringLiteral("Hello World! qemu_cortex_m3")), 60000);
  // The device's state follows through Devices.Watch (running, or exited once main returns).
  QTRY_VERIFY_WITH_TIMEOUT(
      EmulatedDevices(window_.get()).first()->text(2) != QStringLiteral("halted") &&
          EmulatedDevices(window_.get()).first()->text(2) != QStringLiteral("flashing"),
      30000);
  QTest::qWait(200);
  Screenshot(window_.get(), QStringLiteral("studio_terminal.png"));

  // The job history lists the build and the flash.
  auto kinds = [this] {
    QStringList rows;
    for (int i = 0; i < window_->jobsView()->topLevelItemCount(); ++i) {
      rows << window_->jobsView()->topLevelItem(i)->text(1) + QLatin1Char(' ') +
                  window_->jobsView()->topLevelItem(i)->text(2);
    }
    return rows;
  };
  QTRY_VERIFY_WITH_TIMEOUT(kinds().contains(QStringLiteral("build succeeded")) &&
                               kinds().contains(QStringLiteral("flash succeeded")),
                           20000);
}

// A lease taken by someone else (a lab script through the Farm service) shows in the devices
// list as it happens (Devices.Watch carries the lease), and goes when it is released.
void StudioTest::leaseShowsInTheDevicesList() {
  QVERIFY(!device_.isEmpty());
  auto row = [this]() -> QTreeWidgetItem * {
    for (QTreeWidgetItem *item : EmulatedDevices(window_.get())) {
      if (item->text(0) == device_) {
        return item;
      }
    }
    return nullptr;
  };
  QVERIFY(row() != nullptr);
  QCOMPARE(row()->text(4), QString());
  gale::cli::Client client(address_.toStdString(), std::string());
  auto farm = gale::v1::Farm::NewStub(client.channel());
  gale::v1::AcquireLeaseRequest request;
  request.mutable_selector()->add_devices(device_.toStdString());
  request.set_note(std::string("studio test"));
  gale::v1::Lease lease;
  {
    auto context = client.NewContext(std::chrono::seconds(10));
    const grpc::Status status = farm->Acquire(context.get(), request, &lease);
    QVERIFY2(status.ok(), status.error_message().c_str());
  }
  const QString holder = QString::fromStdString(lease.holder());
  QVERIFY(!holder.isEmpty());
  QTRY_VERIFY_WITH_TIMEOUT(row() != nullptr && row()->text(4).startsWith(holder + QStringLiteral(" until ")),
                           10000);
  QVERIFY(row()->toolTip(0).contains(QString::fromStdString(lease.id())));
  {
    auto context = client.NewContext(std::chrono::seconds(10));
    gale::v1::ReleaseLeaseRequest release;
    release.set_token(lease.token());
    gale::v1::ReleaseLeaseResponse released;
    const grpc::Status status = farm->Release(context.get(), release, &released);
    QVERIFY2(status.ok(), status.error_message().c_str());
  }
  QTRY_VERIFY_WITH_TIMEOUT(row() != nullptr && row()->text(4).isEmpty(), 10000);
}

void StudioTest::debugShowsTheGdbServer() {
  QVERIFY(!device_.isEmpty());
  QVERIFY(window_->selectDevice(device_));
  gale::studio::DebugPanel *panel = window_->debugPanel();
  QSignalSpy finished(panel, &gale::studio::DebugPanel::finished);
  window_->debugAction()->trigger();
  QCOMPARE(window_->tabs()->currentWidget(), panel);
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
  QVERIFY2(finished.first().first().toBool(), qPrintable(panel->stateLabel()->text()));
  static const QRegularExpression kAddress(QStringLiteral("^127\\.0\\.0\\.1:[0-9]+$"));
  QVERIFY2(kAddress.match(panel->address()).hasMatch(), qPrintable(panel->address()));
  QVERIFY(panel->stateLabel()->text().contains(panel->address()));
  // The command line names the debugger, the flashed ELF and the server.
  QVERIFY2(panel->commandLine().startsWith(QStringLiteral("gdb-multiarch ")),
           qPrintable(panel->commandLine()));
  QVERIFY(panel->commandLine().contains(QStringLiteral("gale.elf")));
  QVERIFY(panel->commandLine().contains(QStringLiteral("target remote ") + panel->address()));
  Screenshot(window_.get(), QStringLiteral("studio_debug.png"));

  // Without a device selected the action says what to do.
  window_->devicesView()->setCurrentItem(nullptr);
  window_->startDebug();
  QVERIFY2(window_->statusText().contains(QStringLiteral("select a device")),
           qPrintable(window_->statusText()));
  QVERIFY(window_->selectDevice(device_));
}

void StudioTest::jobsWatchReplaysAJob() {
  // The finished build's log comes back through Jobs.Watch into the Log tab.
  QTreeWidgetItem *build = nullptr;
  QTRY_VERIFY_WITH_TIMEOUT(window_->jobsView()->topLevelItemCount() >= 2, 20000);
  for (int i = window_->jobsView()->topLevelItemCount() - 1; i >= 0 && build == nullptr; --i) {
    if (window_->jobsView()->topLevelItem(i)->text(1) == QStringLiteral("build")) {
      build = window_->jobsView()->topLevelItem(i);
    }
  }
  QVERIFY(build != nullptr);
  // The list is reloaded when the watch ends (the item goes away): keep its id.
  const QString buildId = build->text(0);
  QSignalSpy done(window_.get(), &MainWindow::jobDone);
  emit window_->jobsView()->itemDoubleClicked(build, 0);
  QCOMPARE(window_->tabs()->currentWidget(), window_->buildLog());
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 30000);
  QCOMPARE(done.first().at(0).toString(), QStringLiteral("watch"));
  QVERIFY2(done.first().at(1).toBool(), qPrintable(done.first().at(2).toString()));
  QVERIFY2(done.first().at(2).toString().contains(QStringLiteral("gale.elf")),
           qPrintable(done.first().at(2).toString()));
  const QString log = window_->buildLog()->toPlainText();
  QVERIFY(log.contains(QStringLiteral("watching job ") + buildId));
  QVERIFY2(log.count(QLatin1Char('\n')) > 3, qPrintable(log));
  QVERIFY(log.contains(QStringLiteral("ended")));
}

void StudioTest::kconfigEditorShowsAndSets() {
  // The successful build loaded the build's symbols into the Kconfig tab.
  gale::studio::KconfigEditor *editor = window_->kconfigEditor();
  QCOMPARE(editor->buildDir(), app_ + QStringLiteral("/build"));
  QTRY_VERIFY_WITH_TIMEOUT(editor->symbolCount() > 20, 60000);
  QCOMPARE(editor->valueOf(QStringLiteral("PRINTK")), QStringLiteral("y"));
  window_->tabs()->setCurrentWidget(editor);
  editor->search()->setText(QStringLiteral("MAIN_STACK"));
  QVERIFY(editor->selectSymbol(QStringLiteral("MAIN_STACK_SIZE")));
  QVERIFY(editor->details()->toPlainText().contains(QStringLiteral("CONFIG_MAIN_STACK_SIZE")));
  QVERIFY(editor->valueEdit()->isEnabled());
  QTest::qWait(100);
  Screenshot(window_.get(), QStringLiteral("studio_kconfig.png"));

  // Setting a value goes through Config.Set into the app's gale.conf, then reloads.
  QSignalSpy done(window_.get(), &MainWindow::jobDone);
  QSignalSpy reloaded(editor, &gale::studio::KconfigEditor::symbolsLoaded);
  editor->valueEdit()->setText(QStringLiteral("1536"));
  editor->applyValue();
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 300000);
  QVERIFY2(window_->lastJobOk(), qPrintable(window_->lastJobMessage()));
  QTRY_VERIFY_WITH_TIMEOUT(reloaded.count() >= 1, 60000);
  QCOMPARE(editor->valueOf(QStringLiteral("MAIN_STACK_SIZE")), QStringLiteral("1536"));
  QFile fragment(app_ + QStringLiteral("/gale.conf"));
  QVERIFY(fragment.open(QIODevice::ReadOnly));
  QVERIFY(fragment.readAll().contains("CONFIG_MAIN_STACK_SIZE=1536"));
}

void StudioTest::kconfigTypedEditors() {
  gale::studio::KconfigEditor *editor = window_->kconfigEditor();
  QTRY_VERIFY_WITH_TIMEOUT(editor->extrasLoaded() && editor->symbolCount() > 20, 30000);
  editor->search()->clear();

  // int with a range from config.json: out of range is refused before anything is sent.
  QVERIFY(editor->selectSymbol(QStringLiteral("NUM_PREEMPT_PRIORITIES")));
  QCOMPARE(editor->currentEditor(), editor->valueEdit());
  editor->valueEdit()->setText(QStringLiteral("500"));
  QVERIFY2(editor->problem().contains(QStringLiteral("from 0 to 127")),
           qPrintable(editor->problem()));
  QVERIFY(!editor->setButton()->isEnabled());
  QVERIFY(!editor->applyValue());
  editor->valueEdit()->setText(QStringLiteral("15"));
  QVERIFY(editor->problem().isEmpty());
  QVERIFY(editor->setButton()->isEnabled());

  // A choice group is a combo box of its members.
  QVERIFY(editor->selectSymbol(QStringLiteral("SPEED_OPTIMIZATIONS")));
  QCOMPARE(editor->currentEditor(), editor->choiceEdit());
  QVERIFY(editor->choiceEdit()->count() >= 2);
  QVERIFY(editor->choiceEdit()->findData(QStringLiteral("SIZE_OPTIMIZATIONS")) >= 0);

  // A symbol that cannot be set: its editor is disabled and the reason is given.
  QString locked;
  for (const QString &name : editor->symbolNames()) {
    if (!editor->symbol(name).why_not_settable().empty()) {
      locked = name;
      break;
    }
  }
  QVERIFY2(!locked.isEmpty(), "no symbol that cannot be set");
  QVERIFY(editor->selectSymbol(locked));
  QVERIFY(!editor->currentEditor()->isEnabled());
  QVERIFY(!editor->setButton()->isEnabled());
  QVERIFY2(editor->problem().startsWith(QStringLiteral("Cannot be set here: ")),
           qPrintable(editor->problem()));

  // A bool is a check box; toggling it and saving writes the fragment.
  QVERIFY(editor->selectSymbol(QStringLiteral("THREAD_NAME")));
  QCOMPARE(editor->currentEditor(), editor->boolEdit());
  QVERIFY(editor->boolEdit()->isEnabled());
  QCOMPARE(editor->boolEdit()->isChecked(), false);
  window_->tabs()->setCurrentWidget(editor);
  editor->boolEdit()->setChecked(true);
  QTest::qWait(100);
  Screenshot(window_.get(), QStringLiteral("studio_kconfig_bool.png"));
  QSignalSpy done(window_.get(), &MainWindow::jobDone);
  QSignalSpy reloaded(editor, &gale::studio::KconfigEditor::symbolsLoaded);
  QTest::mouseClick(editor->setButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 300000);
  QVERIFY2(window_->lastJobOk(), qPrintable(window_->lastJobMessage()));
  QTRY_VERIFY_WITH_TIMEOUT(reloaded.count() >= 1, 60000);
  QCOMPARE(editor->valueOf(QStringLiteral("THREAD_NAME")), QStringLiteral("y"));
  QFile fragment(app_ + QStringLiteral("/gale.conf"));
  QVERIFY(fragment.open(QIODevice::ReadOnly));
  const QByteArray conf = fragment.readAll();
  QVERIFY2(conf.contains("CONFIG_THREAD_NAME=y"), conf.constData());
  QVERIFY(conf.contains("CONFIG_MAIN_STACK_SIZE=1536"));
  QTRY_VERIFY_WITH_TIMEOUT(editor->boolEdit()->isChecked(), 5000);
}

void StudioTest::devicetreeViewShowsTheBuildsTree() {
  gale::studio::DevicetreeView *view = window_->devicetreeView();
  QTRY_VERIFY_WITH_TIMEOUT(view->tree()->topLevelItemCount() > 0, 30000);
  QTreeWidgetItem *root = view->tree()->topLevelItem(0);
  QCOMPARE(root->text(0), QStringLiteral("/"));
  bool chosen = false;
  for (int i = 0; i < root->childCount(); ++i) {
    chosen = chosen || root->child(i)->text(0) == QStringLiteral("chosen");
  }
  QVERIFY2(chosen, "no /chosen node in the devicetree view");
  window_->tabs()->setCurrentWidget(view);
  QTest::qWait(100);
  Screenshot(window_.get(), QStringLiteral("studio_devicetree.png"));
}

void StudioTest::buildErrorIsListedAndOpens() {
  const QString broken = work_.filePath(QStringLiteral("broken"));
  QVERIFY(CopyTree(app_, broken));
  QDir(broken + QStringLiteral("/build")).removeRecursively();
  QFile main(broken + QStringLiteral("/src/main.c"));
  QVERIFY(main.open(QIODevice::WriteOnly | QIODevice::Truncate));
  main.write("#include <zephyr/kernel.h>\n\nint main(void)\n{\n\treturn undeclared_thing;\n}\n");
  main.close();

  QSignalSpy done(window_.get(), &MainWindow::jobDone);
  window_->setAppDir(broken);
  window_->startBuild();
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 600000);
  QVERIFY(!window_->lastJobOk());
  QVERIFY(window_->problemsView()->topLevelItemCount() >= 1);
  QTreeWidgetItem *first = nullptr;
  for (int i = 0; i < window_->problemsView()->topLevelItemCount() && first == nullptr; ++i) {
    QTreeWidgetItem *item = window_->problemsView()->topLevelItem(i);
    if (item->text(1).contains(QStringLiteral("main.c:5"))) {
      first = item;
    }
  }
  QVERIFY2(first != nullptr, "no diagnostic at main.c:5");
  QVERIFY(first->text(2).contains(QStringLiteral("undeclared_thing")));
  QCOMPARE(window_->tabs()->currentWidget(), window_->problemsView());
  Screenshot(window_.get(), QStringLiteral("studio_problems.png"));

  // Clicking the problem opens the file at its line.
  emit window_->problemsView()->itemActivated(first, 0);
  auto *source = qobject_cast<QPlainTextEdit *>(window_->tabs()->currentWidget());
  QVERIFY(source != nullptr);
  QCOMPARE(source->textCursor().blockNumber(), 4);
  QVERIFY(source->textCursor().block().text().contains(QStringLiteral("undeclared_thing")));
}

void StudioTest::testsViewRunsAZtestApp() {
  // tests/subsys/testsuite/ztest_fail: passing, failing and oopsing cases, with a testcase.yaml.
  const QString app = work_.filePath(QStringLiteral("ztest_fail"));
  QVERIFY(CopyTree(QStringLiteral(GALE_SOURCE_DIR "/tests/subsys/testsuite/ztest_fail"), app));
  QFile yaml(app + QStringLiteral("/testcase.yaml"));
  QVERIFY(yaml.open(QIODevice::WriteOnly));
  yaml.write("tests:\n  studio.ztest_fail:\n    tags: studio\n");
  yaml.close();

  gale::studio::TestsView *view = window_->testsView();
  QSignalSpy done(window_.get(), &MainWindow::jobDone);
  QSignalSpy shown(view, &gale::studio::TestsView::runShown);
  // Streaming: cases reach the view while the run is still going, not all at its end.
  int streamedWhileRunning = 0;
  QObject scope;
  connect(window_->backend(), &gale::studio::Backend::jobEvent, &scope,
          [&](const QString &operation, const gale::v1::JobEvent &event) {
            if (operation == QStringLiteral("test") && event.has_test_case() && view->running() &&
                view->caseCount() > 0) {
              ++streamedWhileRunning;
            }
          });
  QVERIFY(window_->selectBoard(QStringLiteral("qemu_cortex_m3")));
  view->setPath(app);
  window_->startTests();
  QCOMPARE(window_->tabs()->currentWidget(), view);
  QVERIFY(window_->jobRunning());
  QVERIFY(view->running());
  // Cases stream in while the job runs.
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 600000);
  QVERIFY(streamedWhileRunning >= 6);
  QCOMPARE(done.first().at(0).toString(), QStringLiteral("test"));
  QVERIFY2(!window_->lastJobOk(), "a run with failing cases must fail");
  QTRY_VERIFY_WITH_TIMEOUT(shown.count() == 1, 30000);
  QVERIFY2(view->caseCount() >= 6, qPrintable(view->summaryLabel()->text()));

  // The cases by name (suite "failing"), whatever prefix the runner keeps.
  auto find = [view](const QString &part) -> QTreeWidgetItem * {
    QList<QTreeWidgetItem *> stack;
    for (int i = 0; i < view->tree()->topLevelItemCount(); ++i) {
      stack << view->tree()->topLevelItem(i);
    }
    while (!stack.isEmpty()) {
      QTreeWidgetItem *item = stack.takeLast();
      if (item->childCount() == 0 && item->text(0).contains(part)) {
        return item;
      }
      for (int i = 0; i < item->childCount(); ++i) {
        stack << item->child(i);
      }
    }
    return nullptr;
  };
  QTreeWidgetItem *passes = find(QStringLiteral("a_passes"));
  QTreeWidgetItem *fails = find(QStringLiteral("b_assert_fails"));
  QVERIFY(passes != nullptr && fails != nullptr);
  QCOMPARE(passes->text(1), QStringLiteral("passed"));
  QCOMPARE(fails->text(1), QStringLiteral("failed"));
  QVERIFY2(!fails->text(3).isEmpty(), "no failure message");
  QVERIFY(fails->text(2).endsWith(QStringLiteral(" s")));
  QCOMPARE(fails->parent()->text(0), QStringLiteral("failing"));
  QCOMPARE(fails->parent()->text(1), QStringLiteral("failed"));
  QTreeWidgetItem *scenario = fails->parent()->parent();
  QVERIFY(scenario->text(0).startsWith(QStringLiteral("studio.ztest_fail on qemu_cortex_m3")));
  QCOMPARE(scenario->text(1), QStringLiteral("failed"));
  // Selecting a case shows its message in full.
  view->tree()->setCurrentItem(fails);
  QVERIFY(!view->messageView()->toPlainText().isEmpty());
  QVERIFY(view->summaryLabel()->text().contains(QStringLiteral("failed")));
  QTest::qWait(100);
  Screenshot(window_.get(), QStringLiteral("studio_tests.png"));
}

void StudioTest::traceOpensInTheTimeline() {
  const QString file = work_.filePath(QStringLiteral("trace.json"));
  QFile f(file);
  QVERIFY(f.open(QIODevice::WriteOnly));
  QByteArray events = "[";
  events += R"({"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"main"}},)";
  events += R"({"ph":"M","name":"thread_name","pid":1,"tid":2,"args":{"name":"worker"}},)";
  events += R"({"ph":"M","name":"thread_name","pid":1,"tid":9,"args":{"name":"ISR SysTick"}},)";
  for (int i = 0; i < 20; ++i) {
    const int t = i * 1000;
    events += QStringLiteral(R"({"ph":"X","name":"running","pid":1,"tid":%1,"ts":%2,"dur":600},)")
                  .arg(1 + i % 2)
                  .arg(t)
                  .toUtf8();
    events += QStringLiteral(
                  R"({"ph":"X","name":"SysTick","cat":"isr","pid":1,"tid":9,"ts":%1,"dur":20},)")
                  .arg(t + 700)
                  .toUtf8();
    events += QStringLiteral(R"({"ph":"C","name":"queue","pid":1,"ts":%1,"args":{"depth":%2}},)")
                  .arg(t)
                  .arg(i % 5)
                  .toUtf8();
  }
  events += R"({"ph":"i","name":"deadline missed","s":"g","pid":1,"tid":1,"ts":12500}])";
  f.write(events);
  f.close();
  QVERIFY(window_->openTrace(file));
  QCOMPARE(window_->tabs()->currentWidget(), window_->timelineView());
  QCOMPARE(window_->timelineView()->model().tracks().size(), 3);
  QVERIFY(window_->statusText().contains(QStringLiteral("2 threads (1 ISRs)")));
  QTest::qWait(100);
  Screenshot(window_.get(), QStringLiteral("studio_trace.png"));
  // A file that is not a trace is refused with the reason.
  QVERIFY(!window_->openTrace(work_.filePath(QStringLiteral("hello_world/prj.conf"))));
  QVERIFY2(window_->statusText().contains(QStringLiteral("not JSON")),
           qPrintable(window_->statusText()));
}

// Builds and flashes a copy of samples/NAME to the emulated device from the UI.
static void BuildAndFlash(MainWindow *window, QTemporaryDir &work, const QString &name) {
  const QString app = work.filePath(name);
  QVERIFY(CopyTree(QStringLiteral(GALE_SOURCE_DIR "/samples/") + name, app));
  QSignalSpy done(window, &MainWindow::jobDone);
  window->setAppDir(app);
  QVERIFY(window->selectBoard(QStringLiteral("qemu_cortex_m3")));
  window->startBuild();
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 600000);
  QVERIFY2(window->lastJobOk(), qPrintable(window->lastJobMessage()));
  QVERIFY(window->selectDevice(EmulatedDevices(window).first()->text(0)));
  window->startFlash();
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, 120000);
  QVERIFY2(window->lastJobOk(), qPrintable(window->lastJobMessage()));
}

void StudioTest::shellAndRttTabs() {
  BuildAndFlash(window_.get(), work_, QStringLiteral("shell"));
  if (QTest::currentTestFailed()) {
    return;
  }
  gale::studio::TerminalWidget *shell = window_->sessionTerminal(QStringLiteral("shell"));
  window_->attachSession(QStringLiteral("shell"));
  QCOMPARE(window_->tabs()->currentWidget(), window_->sessionTab(QStringLiteral("shell")));
  QTRY_VERIFY_WITH_TIMEOUT(shell->text().contains(QStringLiteral("attached to")), 20000);
  // Typed into the input line and sent with Enter, as a user would.
  shell->input()->setText(QStringLiteral("demo ping"));
  QTest::keyClick(shell->input(), Qt::Key_Return);
  QTRY_VERIFY_WITH_TIMEOUT(shell->text().contains(QStringLiteral("pong")), 20000);
  QTest::qWait(100);
  Screenshot(window_.get(), QStringLiteral("studio_shell.png"));
  window_->backend()->detachSession(QStringLiteral("shell"));

  BuildAndFlash(window_.get(), work_, QStringLiteral("rtt"));
  if (QTest::currentTestFailed()) {
    return;
  }
  gale::studio::TerminalWidget *rtt = window_->sessionTerminal(QStringLiteral("rtt"));
  window_->attachSession(QStringLiteral("rtt"));
  QTRY_VERIFY_WITH_TIMEOUT(rtt->text().contains(QStringLiteral("count 5\n")), 30000);
  QVERIFY(rtt->text().contains(QStringLiteral("rtt sample: counting")));
  Screenshot(window_.get(), QStringLiteral("studio_rtt.png"));
}

static void ShutdownDaemon(const QString &address) {
  gale::cli::Client client(address.toStdString(), std::string());
  auto stub = gale::v1::Sdk::NewStub(client.channel());
  auto context = client.NewContext(std::chrono::seconds(10));
  gale::v1::ShutdownResponse response;
  stub->Shutdown(context.get(), {}, &response);
}

// Trace pressed on a device running samples/tracing: the timeline fills from the daemon's live
// views and follows the device's time; Stop trace replaces it with the whole capture.
void StudioTest::liveTraceFollowsTheDevice() {
  BuildAndFlash(window_.get(), work_, QStringLiteral("tracing"));
  if (QTest::currentTestFailed()) {
    return;
  }
  gale::studio::TimelineView *timeline = window_->timelineView();
  auto named = [timeline](const QString &name) {
    for (const gale::studio::TraceTrack &track : timeline->model().tracks()) {
      if (track.name == name) {
        return true;
      }
    }
    return false;
  };
  QSignalSpy done(window_.get(), &MainWindow::traceDone);
  window_->toggleTrace();
  QVERIFY(window_->tracing());
  QCOMPARE(window_->traceAction()->text(), QStringLiteral("Stop trace"));
  QCOMPARE(window_->tabs()->currentWidget(), timeline);
  QTRY_VERIFY_WITH_TIMEOUT(named(QStringLiteral("sensor_thread")) &&
                               named(QStringLiteral("filter_thread")) &&
                               timeline->model().slices().size() > 20,
                           60000);
  // Later views move the end on, and the view follows it.
  const double firstEnd = timeline->model().endUs();
  QTRY_VERIFY_WITH_TIMEOUT(timeline->model().endUs() > firstEnd + 100000, 60000);
  QCOMPARE(timeline->viewEnd(), timeline->model().endUs());
  // A live view is the last 5 s of target time (slices reaching into it are kept whole).
  QVERIFY(timeline->model().endUs() - timeline->model().beginUs() < 6.5e6);
  QTest::qWait(100);
  Screenshot(window_.get(), QStringLiteral("studio_trace_live.png"));

  window_->toggleTrace();  // Stop trace
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 60000);
  QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
  QVERIFY(!window_->tracing());
  QCOMPARE(window_->traceAction()->text(), QStringLiteral("Trace"));
  QVERIFY(named(QStringLiteral("sensor_thread")) && named(QStringLiteral("main")));
  QVERIFY(timeline->model().slices().size() > 100);
  QVERIFY(window_->statusText().contains(QStringLiteral("context switches")));
}

void StudioTest::lostDaemonIsShownAndReconnected() {
  gale::studio::Backend *backend = window_->backend();
  QStringList shownWhenLost;
  QObject scope;  // ends the connection below with this test function
  connect(backend, &gale::studio::Backend::daemonLost, &scope,
          [&] { shownWhenLost << window_->connectionText(); });
  QSignalSpy reconnected(backend, &gale::studio::Backend::connected);
  ShutdownDaemon(address_);
  QTRY_VERIFY_WITH_TIMEOUT(!shownWhenLost.isEmpty(), 20000);
  QVERIFY2(shownWhenLost.first().contains(QStringLiteral("lost")),
           qPrintable(shownWhenLost.first()));
  // Studio starts galed again and reloads: the emulators died with the old daemon.
  QTRY_VERIFY_WITH_TIMEOUT(reconnected.count() >= 1 && backend->isConnected() &&
                               window_->connectionText().startsWith(QStringLiteral("galed ")),
                           30000);
  QTRY_VERIFY_WITH_TIMEOUT(EmulatedDevices(window_.get()).isEmpty(), 10000);
  QVERIFY(window_->boardsView()->topLevelItemCount() > 3);
}

void StudioTest::cleanupTestCase() {
  window_.reset();
  // Stop the galed the window started.
  ShutdownDaemon(address_);
}

QTEST_MAIN(StudioTest)
#include "studio_test.moc"
