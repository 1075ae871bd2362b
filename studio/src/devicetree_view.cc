#include "devicetree_view.h"

#include <QFile>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>

namespace gale::studio {

DtNode ParseDts(const QString &text, QString *error) {
  DtNode root;
  root.name = QStringLiteral("(devicetree)");
  QList<DtNode *> stack{&root};
  QString statement;
  int line = 1;
  bool inString = false;
  for (qsizetype i = 0; i < text.size(); ++i) {
    const QChar c = text[i];
    if (c == QLatin1Char('\n')) {
      ++line;
    }
    if (inString) {
      statement.append(c);
      if (c == QLatin1Char('\\') && i + 1 < text.size()) {
        statement.append(text[++i]);
      } else if (c == QLatin1Char('"')) {
        inString = false;
      }
      continue;
    }
    if (c == QLatin1Char('"')) {
      inString = true;
      statement.append(c);
    } else if (c == QLatin1Char('/') && i + 1 < text.size() && text[i + 1] == QLatin1Char('*')) {
      const qsizetype end = text.indexOf(QStringLiteral("*/"), i + 2);
      const qsizetype stop = end < 0 ? text.size() : end + 2;
      line += text.mid(i, stop - i).count(QLatin1Char('\n'));
      i = stop - 1;
    } else if (c == QLatin1Char('/') && i + 1 < text.size() && text[i + 1] == QLatin1Char('/')) {
      const qsizetype end = text.indexOf(QLatin1Char('\n'), i);
      i = (end < 0 ? text.size() : end) - 1;
    } else if (c == QLatin1Char('{')) {
      DtNode child;
      child.name = statement.simplified();
      stack.last()->children.append(child);
      stack.append(&stack.last()->children.last());
      statement.clear();
    } else if (c == QLatin1Char('}')) {
      if (stack.size() == 1) {
        *error = QStringLiteral("line %1: '}' without a node to close").arg(line);
        return root;
      }
      stack.removeLast();
      statement.clear();
    } else if (c == QLatin1Char(';')) {
      const QString s = statement.simplified();
      statement.clear();
      if (s.isEmpty() || s.startsWith(QStringLiteral("/dts-v1/")) ||
          s.startsWith(QStringLiteral("/memreserve/"))) {
        continue;
      }
      const qsizetype eq = s.indexOf(QLatin1Char('='));
      if (eq < 0) {
        stack.last()->properties.append({s, QString()});
      } else {
        stack.last()->properties.append({s.left(eq).trimmed(), s.mid(eq + 1).trimmed()});
      }
    } else {
      statement.append(c);
    }
  }
  if (stack.size() != 1) {
    *error = QStringLiteral("the file ends inside node '%1'").arg(stack.last()->name);
  }
  return root;
}

DevicetreeView::DevicetreeView(QWidget *parent)
    : QWidget(parent),
      state_(new QLabel(tr("Build an application to see its devicetree here."), this)),
      search_(new QLineEdit(this)),
      tree_(new QTreeWidget(this)) {
  auto *layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  search_->setPlaceholderText(tr("Filter nodes and properties"));
  search_->setClearButtonEnabled(true);
  tree_->setHeaderLabels({tr("Node / property"), tr("Value")});
  tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  layout->addWidget(state_);
  layout->addWidget(search_);
  layout->addWidget(tree_, 1);
  connect(search_, &QLineEdit::textChanged, this, &DevicetreeView::filter);
}

void DevicetreeView::load(const QString &buildDir) {
  const QString file = buildDir + QStringLiteral("/gale/gale.dts");
  const int generation = ++generation_;
  state_->setText(tr("Reading %1...").arg(file));
  struct Parsed {
    DtNode root;
    QString error;
  };
  auto *watcher = new QFutureWatcher<Parsed>(this);
  connect(watcher, &QFutureWatcher<Parsed>::finished, this, [this, watcher, file, generation] {
    const Parsed parsed = watcher->result();
    watcher->deleteLater();
    if (generation != generation_) {
      return;
    }
    if (!parsed.error.isEmpty()) {
      state_->setText(tr("%1: %2").arg(file, parsed.error));
      tree_->clear();
      emit loaded(false);
      return;
    }
    show(parsed.root);
    state_->setText(tr("%1 (the devicetree the build used)").arg(file));
    emit loaded(true);
  });
  watcher->setFuture(QtConcurrent::run([file] {
    Parsed parsed;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
      parsed.error =
          QStringLiteral("cannot read it (%1); build the application first").arg(f.errorString());
      return parsed;
    }
    parsed.root = ParseDts(QString::fromUtf8(f.readAll()), &parsed.error);
    return parsed;
  }));
}

void DevicetreeView::addNode(QTreeWidgetItem *parent, const DtNode &node) {
  auto *item = new QTreeWidgetItem(parent, {node.name});
  QFont bold = item->font(0);
  bold.setBold(true);
  item->setFont(0, bold);
  for (const auto &property : node.properties) {
    auto *p = new QTreeWidgetItem(item, {property.first, property.second});
    p->setToolTip(1, property.second);
  }
  for (const DtNode &child : node.children) {
    addNode(item, child);
  }
}

void DevicetreeView::show(const DtNode &root) {
  tree_->clear();
  for (const DtNode &node : root.children) {
    auto *top = new QTreeWidgetItem(tree_, {node.name});
    QFont bold = top->font(0);
    bold.setBold(true);
    top->setFont(0, bold);
    for (const auto &property : node.properties) {
      new QTreeWidgetItem(top, {property.first, property.second});
    }
    for (const DtNode &child : node.children) {
      addNode(top, child);
    }
    top->setExpanded(true);
  }
  filter(search_->text());
}

void DevicetreeView::filter(const QString &text) {
  // Shows the items that match and the nodes above them.
  std::function<bool(QTreeWidgetItem *)> visit = [&](QTreeWidgetItem *item) {
    bool any = text.isEmpty() || item->text(0).contains(text, Qt::CaseInsensitive) ||
               item->text(1).contains(text, Qt::CaseInsensitive);
    for (int i = 0; i < item->childCount(); ++i) {
      any = visit(item->child(i)) || any;
    }
    item->setHidden(!any);
    if (!text.isEmpty() && any) {
      item->setExpanded(true);
    }
    return any;
  };
  for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
    visit(tree_->topLevelItem(i));
  }
}

}  // namespace gale::studio
