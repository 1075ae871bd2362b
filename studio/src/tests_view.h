// The Tests view: runs the testcase.yaml scenarios of a folder (Tests.Run) on the selected board
// and shows scenarios, suites and cases with pass/fail/skip, durations and failure messages as
// the results stream in; at the end the stored run (Tests.GetRun) adds each scenario's status and
// reason (build errors, timeouts...).
#pragma once

#include <QHash>
#include <QString>
#include <QWidget>

#include "backend.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace gale::studio {

class TestsView : public QWidget {
  Q_OBJECT

 public:
  explicit TestsView(Backend *backend, QWidget *parent = nullptr);

  /// The folder whose scenarios run (an application with a testcase.yaml, or a folder above).
  void setPath(const QString &path);
  QString path() const;
  /// Clears the results and says what runs; the caller starts the job.
  void begin(const QString &path, const QString &board);

  QTreeWidget *tree() const { return tree_; }
  QLabel *summaryLabel() const { return summary_; }
  QPlainTextEdit *messageView() const { return message_; }
  QPushButton *runButton() const { return run_; }
  /// The case item `suite.name` (any scenario), or nullptr.
  QTreeWidgetItem *findCase(const QString &suite, const QString &name) const;
  int caseCount() const { return cases_; }
  bool running() const { return running_; }

 signals:
  /// The user pressed Run (the window checks the board and starts the job).
  void runRequested();
  /// The stored run was shown (after the job ended).
  void runShown();

 private:
  QTreeWidgetItem *scenarioItem(const QString &scenario, const QString &board);
  QTreeWidgetItem *suiteItem(QTreeWidgetItem *scenario, const QString &suite);
  void addCase(const gale::v1::TestCaseEvent &event);
  void showRun(const gale::v1::TestRun &run);
  void updateSummary();

  Backend *backend_;
  QLineEdit *path_;
  QPushButton *run_;
  QLabel *summary_;
  QTreeWidget *tree_;
  QPlainTextEdit *message_;
  QHash<QString, QTreeWidgetItem *> scenarios_;
  int cases_ = 0;
  int passed_ = 0;
  int failed_ = 0;
  int skipped_ = 0;
  bool running_ = false;
  QString finalText_;
};

}  // namespace gale::studio
