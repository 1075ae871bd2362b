// The devicetree viewer: the build's final devicetree (BUILD_DIR/gale/gale.dts) as a tree of
// nodes and properties, read and parsed off the UI thread.
#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QWidget>

class QLabel;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace gale::studio {

struct DtNode {
  QString name;
  QList<QPair<QString, QString>> properties;
  QList<DtNode> children;
};

/// Parses devicetree source (as written by the build: one tree, no includes). On a syntax
/// problem `error` says where.
DtNode ParseDts(const QString &text, QString *error);

class DevicetreeView : public QWidget {
  Q_OBJECT

 public:
  explicit DevicetreeView(QWidget *parent = nullptr);

  /// Loads BUILD_DIR/gale/gale.dts.
  void load(const QString &buildDir);
  QTreeWidget *tree() const { return tree_; }
  QLabel *stateLabel() const { return state_; }

 signals:
  void loaded(bool ok);

 private:
  void show(const DtNode &root);
  void addNode(QTreeWidgetItem *parent, const DtNode &node);
  void filter(const QString &text);

  QLabel *state_;
  QLineEdit *search_;
  QTreeWidget *tree_;
  int generation_ = 0;
};

}  // namespace gale::studio
