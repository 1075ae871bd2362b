// The Kconfig editor: a build's symbols (Config.List) as a tree by menu, with search, help text,
// dependency explanations and value editing (Config.Set writes the app's gale.conf fragment).
#pragma once

#include <QHash>
#include <QString>
#include <QWidget>

#include "backend.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QTextBrowser;
class QTreeWidget;

namespace gale::studio {

class KconfigEditor : public QWidget {
  Q_OBJECT

 public:
  KconfigEditor(Backend *backend, QWidget *parent = nullptr);

  /// Loads the symbols of `buildDir` (a configured build folder).
  void load(const QString &buildDir);
  QString buildDir() const { return buildDir_; }
  int symbolCount() const { return symbols_.size(); }
  QString valueOf(const QString &name) const;

  QTreeWidget *tree() const { return tree_; }
  QLineEdit *search() const { return search_; }
  QTextBrowser *details() const { return details_; }
  QLineEdit *valueEdit() const { return value_; }
  QLabel *stateLabel() const { return state_; }

  /// Selects a symbol (name without CONFIG_) and shows its help; false when unknown or filtered.
  bool selectSymbol(const QString &name);
  /// Sets the selected symbol to the value in the value field (Config.Set).
  void applyValue();

 signals:
  void symbolsLoaded(int count);

 private:
  void populate();
  void showSymbol(const QString &name);

  Backend *backend_;
  QString buildDir_;
  QHash<QString, gale::v1::ConfigSymbol> symbols_;
  QList<QString> order_;
  QString current_;
  QLabel *state_;
  QLineEdit *search_;
  QTreeWidget *tree_;
  QTextBrowser *details_;
  QLineEdit *value_;
  QPushButton *set_;
};

}  // namespace gale::studio
