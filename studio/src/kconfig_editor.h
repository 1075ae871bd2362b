// The Kconfig editor: a build's symbols (Config.List) as a tree by menu, with search, help text,
// dependency explanations and typed value editing (Config.Set writes the app's gale.conf
// fragment). What Config.List does not carry -- ranges and choice groups -- comes from the
// build's BUILD_DIR/gale/config.json (written by gale-kconfig; read off the UI thread).
#pragma once

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "backend.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTextBrowser;
class QTreeWidget;

namespace gale::studio {

/// The parts of config.json the typed editors need.
struct KconfigExtras {
  struct Choice {
    QString prompt;
    QStringList members;
    QString selection;
    bool visible = false;
  };
  /// Active ranges per symbol: (low, high), each a number or a symbol name.
  QHash<QString, QList<QPair<QString, QString>>> ranges;
  QHash<QString, QString> choiceOf;  // member symbol -> choice id
  QHash<QString, Choice> choices;
  QHash<QString, QString> dependencyValue;  // symbol -> value of its direct dependencies
  QString error;  // why config.json could not be used (the editors still work without it)
};

/// Reads BUILD_DIR/gale/config.json (format gale-kconfig-1).
KconfigExtras ReadKconfigExtras(const QString &buildDir);

class KconfigEditor : public QWidget {
  Q_OBJECT

 public:
  KconfigEditor(Backend *backend, QWidget *parent = nullptr);

  /// Loads the symbols of `buildDir` (a configured build folder).
  void load(const QString &buildDir);
  QString buildDir() const { return buildDir_; }
  int symbolCount() const { return symbols_.size(); }
  QString valueOf(const QString &name) const;
  bool extrasLoaded() const { return extrasLoaded_; }
  /// The loaded symbol `name` (without CONFIG_); a default instance when unknown.
  gale::v1::ConfigSymbol symbol(const QString &name) const { return symbols_.value(name); }
  QStringList symbolNames() const { return order_; }

  QTreeWidget *tree() const { return tree_; }
  QLineEdit *search() const { return search_; }
  QTextBrowser *details() const { return details_; }
  /// The editor of int, hex and string symbols.
  QLineEdit *valueEdit() const { return value_; }
  /// The editor of bool and tristate symbols (tristate: partially checked is "m").
  QCheckBox *boolEdit() const { return bool_; }
  /// The editor of a choice group's members (the selected symbol's group).
  QComboBox *choiceEdit() const { return choice_; }
  /// The page of the editor in use (value, bool or choice); disabled when not settable.
  QWidget *currentEditor() const;
  QPushButton *setButton() const { return set_; }
  /// Why the selected symbol's value is refused or cannot be set (empty when fine).
  QString problem() const;
  QLabel *stateLabel() const { return state_; }

  /// Selects a symbol (name without CONFIG_) and shows its help; false when unknown or filtered.
  bool selectSymbol(const QString &name);
  /// Sets the selected symbol to the value in its editor (Config.Set); false (with the reason
  /// in the state line) when the value is invalid.
  bool applyValue();

 signals:
  void symbolsLoaded(int count);

 private:
  void populate();
  void showSymbol(const QString &name);
  /// The value the editor holds for the current symbol (or the assignment for a choice).
  QString editorAssignment(QString *error) const;
  void validate();
  /// A range bound as a number: a literal or the value of the symbol it names.
  bool resolveBound(const QString &bound, bool hex, qlonglong *value) const;

  Backend *backend_;
  QString buildDir_;
  QHash<QString, gale::v1::ConfigSymbol> symbols_;
  QList<QString> order_;
  KconfigExtras extras_;
  bool extrasLoaded_ = false;
  QString current_;
  QLabel *state_;
  QLineEdit *search_;
  QTreeWidget *tree_;
  QTextBrowser *details_;
  QStackedWidget *editors_;
  QLineEdit *value_;
  QCheckBox *bool_;
  QComboBox *choice_;
  QLabel *editorLabel_;
  QLabel *explain_;
  QPushButton *set_;
};

}  // namespace gale::studio
