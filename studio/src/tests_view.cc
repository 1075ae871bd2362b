#include "tests_view.h"

#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace gale::studio {

namespace {

QString Q(const std::string &text) {
  return QString::fromStdString(text);
}

enum Column { kName = 0, kStatus, kTime, kMessage };
constexpr int kMessageRole = Qt::UserRole;

QColor StatusColor(const QString &status) {
  if (status == QStringLiteral("passed")) {
    return QColor(0x1b, 0x7f, 0x3b);
  }
  if (status == QStringLiteral("skipped") || status == QStringLiteral("blocked")) {
    return QColor(0x80, 0x80, 0x80);
  }
  if (status.isEmpty() || status == QStringLiteral("running")) {
    return QColor(0x30, 0x50, 0xa0);
  }
  return QColor(0xb0, 0x00, 0x20);
}

void SetStatus(QTreeWidgetItem *item, const QString &status) {
  item->setText(kStatus, status);
  item->setForeground(kStatus, StatusColor(status));
}

QString Seconds(double s) {
  return QStringLiteral("%1 s").arg(s, 0, 'f', s < 10 ? 3 : 1);
}

}  // namespace

TestsView::TestsView(Backend *backend, QWidget *parent)
    : QWidget(parent),
      backend_(backend),
      path_(new QLineEdit(this)),
      run_(new QPushButton(tr("Run tests"), this)),
      summary_(new QLabel(tr("Pick a folder with a testcase.yaml and a board, then press Run "
                             "tests."),
                          this)),
      tree_(new QTreeWidget(this)),
      message_(new QPlainTextEdit(this)) {
  auto *layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto *bar = new QHBoxLayout();
  bar->addWidget(new QLabel(tr("Tests in:"), this));
  path_->setPlaceholderText(tr("a folder with testcase.yaml (or sample.yaml), searched below"));
  bar->addWidget(path_, 1);
  auto *browse = new QPushButton(tr("Browse..."), this);
  bar->addWidget(browse);
  run_->setToolTip(tr("Build and run every scenario on the selected board (Tests.Run)"));
  bar->addWidget(run_);
  layout->addLayout(bar);
  summary_->setWordWrap(true);
  layout->addWidget(summary_);

  tree_->setHeaderLabels({tr("Test"), tr("Status"), tr("Time"), tr("Message")});
  tree_->header()->setStretchLastSection(true);
  tree_->header()->setSectionResizeMode(kName, QHeaderView::Interactive);
  tree_->setColumnWidth(kName, 300);
  tree_->setColumnWidth(kStatus, 90);
  tree_->setColumnWidth(kTime, 80);
  message_->setReadOnly(true);
  message_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  message_->setPlaceholderText(tr("Select a test to see its failure message or reason."));
  auto *split = new QSplitter(Qt::Vertical, this);
  split->addWidget(tree_);
  split->addWidget(message_);
  split->setStretchFactor(0, 4);
  split->setStretchFactor(1, 1);
  layout->addWidget(split, 1);

  connect(browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Tests folder"), path());
    if (!dir.isEmpty()) {
      setPath(dir);
    }
  });
  connect(run_, &QPushButton::clicked, this, &TestsView::runRequested);
  connect(path_, &QLineEdit::returnPressed, this, &TestsView::runRequested);
  connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
    message_->setPlainText(item != nullptr ? item->data(kName, kMessageRole).toString()
                                           : QString());
  });
  connect(backend_, &Backend::jobEvent, this,
          [this](const QString &operation, const gale::v1::JobEvent &event) {
            if (operation != QStringLiteral("test")) {
              return;
            }
            if (event.has_test_case()) {
              addCase(event.test_case());
            } else if (event.has_progress() && !event.progress().message().empty()) {
              summary_->setText(tr("Running: %1").arg(Q(event.progress().message())));
            }
          });
  connect(backend_, &Backend::jobFinished, this,
          [this](const QString &operation, bool ok, const QString &message) {
            if (operation != QStringLiteral("test")) {
              return;
            }
            running_ = false;
            run_->setEnabled(true);
            finalText_ = message;
            updateSummary();
            summary_->setStyleSheet(ok ? QStringLiteral("color: #1b7f3b;")
                                       : QStringLiteral("color: #b00020;"));
          });
  connect(backend_, &Backend::jobEvent, this,
          [this](const QString &operation, const gale::v1::JobEvent &event) {
            if (operation == QStringLiteral("test") && event.has_result() &&
                event.result().has_tests() && !event.result().tests().run_id().empty()) {
              backend_->getTestRun(Q(event.result().tests().run_id()));
            }
          });
  connect(backend_, &Backend::testRunLoaded, this, &TestsView::showRun);
}

void TestsView::setPath(const QString &path) {
  path_->setText(path);
}

QString TestsView::path() const {
  return path_->text().trimmed();
}

void TestsView::begin(const QString &path, const QString &board) {
  tree_->clear();
  scenarios_.clear();
  message_->clear();
  cases_ = passed_ = failed_ = skipped_ = 0;
  running_ = true;
  finalText_.clear();
  run_->setEnabled(false);
  summary_->setStyleSheet(QString());
  summary_->setText(tr("Building and running the scenarios of %1 on %2...").arg(path, board));
}

QTreeWidgetItem *TestsView::scenarioItem(const QString &scenario, const QString &board) {
  const QString key = scenario + QLatin1Char('@') + board;
  QTreeWidgetItem *item = scenarios_.value(key);
  if (item == nullptr) {
    item = new QTreeWidgetItem(tree_, {QStringLiteral("%1 on %2").arg(scenario, board)});
    QFont bold = item->font(kName);
    bold.setBold(true);
    item->setFont(kName, bold);
    SetStatus(item, running_ ? tr("running") : QString());
    item->setExpanded(true);
    scenarios_.insert(key, item);
  }
  return item;
}

QTreeWidgetItem *TestsView::suiteItem(QTreeWidgetItem *scenario, const QString &suite) {
  for (int i = 0; i < scenario->childCount(); ++i) {
    if (scenario->child(i)->text(kName) == suite) {
      return scenario->child(i);
    }
  }
  auto *item = new QTreeWidgetItem(scenario, {suite});
  item->setExpanded(true);
  return item;
}

void TestsView::addCase(const gale::v1::TestCaseEvent &event) {
  QTreeWidgetItem *scenario = scenarioItem(Q(event.scenario()), Q(event.board()));
  QTreeWidgetItem *suite = suiteItem(scenario, Q(event.suite()));
  auto *item = new QTreeWidgetItem(suite, {Q(event.name())});
  const QString status = Q(event.status());
  SetStatus(item, status);
  item->setText(kTime, Seconds(event.seconds()));
  const QString message = Q(event.message());
  item->setText(kMessage, message.section(QLatin1Char('\n'), 0, 0));
  item->setToolTip(kMessage, message);
  item->setData(kName, kMessageRole, message);
  ++cases_;
  if (status == QStringLiteral("passed")) {
    ++passed_;
  } else if (status == QStringLiteral("failed")) {
    ++failed_;
  } else {
    ++skipped_;
  }
  // A suite is failed as soon as one of its cases is.
  if (status == QStringLiteral("failed")) {
    SetStatus(suite, status);
  } else if (suite->text(kStatus).isEmpty()) {
    SetStatus(suite, QStringLiteral("passed"));
  }
  tree_->scrollToItem(item);
  updateSummary();
}

void TestsView::showRun(const gale::v1::TestRun &run) {
  for (const gale::v1::ScenarioResult &result : run.scenarios()) {
    QTreeWidgetItem *scenario = scenarioItem(Q(result.scenario()), Q(result.board()));
    SetStatus(scenario, Q(result.status()));
    scenario->setText(kTime, Seconds(result.seconds()));
    QString detail = Q(result.reason());
    if (!result.log_path().empty()) {
      detail += (detail.isEmpty() ? QString() : QStringLiteral("\n")) +
                tr("Log: %1").arg(Q(result.log_path()));
    }
    if (!result.build_dir().empty()) {
      detail += (detail.isEmpty() ? QString() : QStringLiteral("\n")) +
                tr("Build folder: %1").arg(Q(result.build_dir()));
    }
    scenario->setText(kMessage, Q(result.reason()).section(QLatin1Char('\n'), 0, 0));
    scenario->setToolTip(kMessage, Q(result.reason()));
    scenario->setData(kName, kMessageRole, detail);
    // Cases the stream did not carry (a run loaded afterwards) are added from the stored run.
    for (const gale::v1::TestCase &c : result.cases()) {
      QTreeWidgetItem *suite = suiteItem(scenario, Q(c.suite()));
      bool known = false;
      for (int i = 0; i < suite->childCount() && !known; ++i) {
        known = suite->child(i)->text(kName) == Q(c.name());
      }
      if (!known) {
        gale::v1::TestCaseEvent event;
        event.set_scenario(result.scenario());
        event.set_board(result.board());
        event.set_suite(c.suite());
        event.set_name(c.name());
        event.set_status(c.status());
        event.set_seconds(c.seconds());
        event.set_message(c.message());
        addCase(event);
      }
    }
  }
  updateSummary();
  emit runShown();
}

void TestsView::updateSummary() {
  QString text = tr("%1 cases: %2 passed, %3 failed, %4 skipped")
                     .arg(cases_)
                     .arg(passed_)
                     .arg(failed_)
                     .arg(skipped_);
  if (running_) {
    text += tr(" (running...)");
  } else if (!finalText_.isEmpty()) {
    text += QStringLiteral(". ") + finalText_;
  }
  summary_->setText(text);
}

QTreeWidgetItem *TestsView::findCase(const QString &suite, const QString &name) const {
  for (QTreeWidgetItem *scenario : scenarios_) {
    for (int i = 0; i < scenario->childCount(); ++i) {
      QTreeWidgetItem *s = scenario->child(i);
      if (s->text(kName) != suite) {
        continue;
      }
      for (int j = 0; j < s->childCount(); ++j) {
        if (s->child(j)->text(kName) == name) {
          return s->child(j);
        }
      }
    }
  }
  return nullptr;
}

}  // namespace gale::studio
