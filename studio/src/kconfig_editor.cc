#include "kconfig_editor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace gale::studio {

namespace {

QString Q(const std::string &text) {
  return QString::fromStdString(text);
}

}  // namespace

KconfigEditor::KconfigEditor(Backend *backend, QWidget *parent)
    : QWidget(parent),
      backend_(backend),
      state_(new QLabel(tr("Build an application to edit its Kconfig symbols here."), this)),
      search_(new QLineEdit(this)),
      tree_(new QTreeWidget(this)),
      details_(new QTextBrowser(this)),
      value_(new QLineEdit(this)),
      set_(new QPushButton(tr("Set"), this)) {
  auto *layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto *top = new QHBoxLayout();
  search_->setPlaceholderText(tr("Search symbols, prompts and help"));
  search_->setClearButtonEnabled(true);
  auto *reload = new QPushButton(tr("Reload"), this);
  top->addWidget(search_, 1);
  top->addWidget(reload);
  layout->addWidget(state_);
  layout->addLayout(top);

  tree_->setHeaderLabels({tr("Symbol"), tr("Value"), tr("Type"), tr("Prompt")});
  tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  auto *right = new QWidget(this);
  auto *rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  auto *edit = new QHBoxLayout();
  edit->addWidget(new QLabel(tr("Value:"), right));
  edit->addWidget(value_, 1);
  edit->addWidget(set_);
  rightLayout->addWidget(details_, 1);
  rightLayout->addLayout(edit);
  value_->setEnabled(false);
  set_->setEnabled(false);
  auto *split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(tree_);
  split->addWidget(right);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);

  connect(search_, &QLineEdit::textChanged, this, [this] { populate(); });
  connect(reload, &QPushButton::clicked, this, [this] {
    if (!buildDir_.isEmpty()) {
      load(buildDir_);
    }
  });
  connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
    if (item != nullptr && item->parent() != nullptr) {
      showSymbol(item->text(0));
    }
  });
  connect(set_, &QPushButton::clicked, this, &KconfigEditor::applyValue);
  connect(value_, &QLineEdit::returnPressed, this, &KconfigEditor::applyValue);
  connect(backend_, &Backend::configLoaded, this,
          [this](const QString &dir, const QList<gale::v1::ConfigSymbol> &symbols) {
            if (dir != buildDir_) {
              return;
            }
            symbols_.clear();
            order_.clear();
            for (const auto &symbol : symbols) {
              symbols_.insert(Q(symbol.name()), symbol);
              order_.append(Q(symbol.name()));
            }
            state_->setText(tr("%1 symbols of %2. Changes go to the application's gale.conf.")
                                .arg(symbols_.size())
                                .arg(dir));
            populate();
            emit symbolsLoaded(symbols_.size());
          });
  connect(
      backend_, &Backend::callFailed, this, [this](const QString &what, const QString &message) {
        if (what.contains(QStringLiteral("Kconfig"))) {
          state_->setText(
              tr("%1 failed: %2 (build the application, then press Reload)").arg(what, message));
        }
      });
  connect(backend_, &Backend::jobFinished, this,
          [this](const QString &operation, bool ok, const QString &message) {
            if (operation != QStringLiteral("config")) {
              return;
            }
            if (ok) {
              state_->setText(tr("Saved; reloading the symbols..."));
              load(buildDir_);
            } else {
              state_->setText(message);
            }
          });
}

void KconfigEditor::load(const QString &buildDir) {
  buildDir_ = buildDir;
  state_->setText(tr("Loading the Kconfig symbols of %1...").arg(buildDir));
  backend_->listConfig(buildDir);
}

QString KconfigEditor::valueOf(const QString &name) const {
  return symbols_.contains(name) ? Q(symbols_.value(name).value()) : QString();
}

void KconfigEditor::populate() {
  const QString filter = search_->text().trimmed();
  tree_->clear();
  QHash<QString, QTreeWidgetItem *> menus;
  for (const QString &name : order_) {
    const gale::v1::ConfigSymbol &symbol = symbols_[name];
    if (!filter.isEmpty() && !name.contains(filter, Qt::CaseInsensitive) &&
        !Q(symbol.prompt()).contains(filter, Qt::CaseInsensitive) &&
        !Q(symbol.help()).contains(filter, Qt::CaseInsensitive)) {
      continue;
    }
    const QString menu = symbol.menu().empty() ? tr("(main menu)") : Q(symbol.menu());
    QTreeWidgetItem *parent = menus.value(menu);
    if (parent == nullptr) {
      parent = new QTreeWidgetItem(tree_, {menu});
      QFont bold = parent->font(0);
      bold.setBold(true);
      parent->setFont(0, bold);
      menus.insert(menu, parent);
    }
    auto *item = new QTreeWidgetItem(
        parent, {name, Q(symbol.value()), Q(symbol.type()), Q(symbol.prompt())});
    if (!symbol.visible()) {
      for (int c = 0; c < 4; ++c) {
        item->setForeground(c, QColor(0x80, 0x80, 0x80));
      }
    }
    if (name == current_) {
      tree_->setCurrentItem(item);
    }
  }
  if (!filter.isEmpty() || menus.size() < 4) {
    tree_->expandAll();
  }
}

bool KconfigEditor::selectSymbol(const QString &name) {
  const QString bare = name.startsWith(QStringLiteral("CONFIG_")) ? name.mid(7) : name;
  for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
    QTreeWidgetItem *menu = tree_->topLevelItem(i);
    for (int j = 0; j < menu->childCount(); ++j) {
      if (menu->child(j)->text(0) == bare) {
        menu->setExpanded(true);
        tree_->setCurrentItem(menu->child(j));
        tree_->scrollToItem(menu->child(j));
        showSymbol(bare);
        return true;
      }
    }
  }
  return false;
}

void KconfigEditor::showSymbol(const QString &name) {
  if (!symbols_.contains(name)) {
    return;
  }
  current_ = name;
  const gale::v1::ConfigSymbol &s = symbols_[name];
  QString html = QStringLiteral("<h3>CONFIG_%1</h3><p><b>%2</b> (%3)</p>")
                     .arg(name.toHtmlEscaped(), Q(s.prompt()).toHtmlEscaped(), Q(s.type()));
  html += QStringLiteral("<p>Value: <code>%1</code>, set by %2</p>")
              .arg(Q(s.value()).toHtmlEscaped(), Q(s.set_by()).toHtmlEscaped());
  if (!s.why_not_settable().empty()) {
    html += QStringLiteral("<p style='color:#b00020'>Not settable: %1</p>")
                .arg(Q(s.why_not_settable()).toHtmlEscaped());
  }
  if (!s.help().empty()) {
    html += QStringLiteral("<pre>%1</pre>").arg(Q(s.help()).toHtmlEscaped());
  } else {
    html += tr("<p><i>No help text.</i></p>");
  }
  if (!s.depends_on().empty()) {
    html +=
        QStringLiteral("<p>Depends on: <code>%1</code></p>").arg(Q(s.depends_on()).toHtmlEscaped());
  }
  if (s.selected_by_size() > 0) {
    QStringList by;
    for (const auto &b : s.selected_by()) {
      by << Q(b).toHtmlEscaped();
    }
    html +=
        QStringLiteral("<p>Selected by: <code>%1</code></p>").arg(by.join(QStringLiteral(", ")));
  }
  if (s.defined_at_size() > 0) {
    QStringList at;
    for (const auto &a : s.defined_at()) {
      at << Q(a).toHtmlEscaped();
    }
    html += QStringLiteral("<p>Defined at: %1</p>").arg(at.join(QStringLiteral("<br>")));
  }
  details_->setHtml(html);
  const bool settable = s.why_not_settable().empty();
  value_->setEnabled(settable);
  set_->setEnabled(settable);
  value_->setText(Q(s.value()));
  value_->setToolTip(s.type() == "bool" ? tr("y or n") : tr("a %1 value").arg(Q(s.type())));
}

void KconfigEditor::applyValue() {
  if (current_.isEmpty() || buildDir_.isEmpty()) {
    state_->setText(tr("Select a symbol first."));
    return;
  }
  const QString value = value_->text().trimmed();
  state_->setText(
      tr("Setting CONFIG_%1=%2 (writes gale.conf and reconfigures)...").arg(current_, value));
  backend_->setConfig(buildDir_, {current_ + QLatin1Char('=') + value});
}

}  // namespace gale::studio
