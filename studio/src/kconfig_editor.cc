#include "kconfig_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace gale::studio {

namespace {

QString Q(const std::string &text) {
  return QString::fromStdString(text);
}

enum Page { kValuePage = 0, kBoolPage = 1, kChoicePage = 2 };

bool ParseNumber(const QString &text, bool hex, qlonglong *value) {
  QString t = text.trimmed();
  bool ok = false;
  if (hex || t.startsWith(QStringLiteral("0x"), Qt::CaseInsensitive)) {
    if (t.startsWith(QStringLiteral("0x"), Qt::CaseInsensitive)) {
      t = t.mid(2);
    }
    *value = t.toLongLong(&ok, 16);
  } else {
    *value = t.toLongLong(&ok, 10);
  }
  return ok && !t.isEmpty();
}

}  // namespace

KconfigExtras ReadKconfigExtras(const QString &buildDir) {
  KconfigExtras extras;
  const QString path = buildDir + QStringLiteral("/gale/config.json");
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    extras.error = QStringLiteral("cannot read %1 (%2): ranges and choice groups are not shown")
                       .arg(path, file.errorString());
    return extras;
  }
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
  if (doc.isNull() || !doc.isObject()) {
    extras.error = QStringLiteral("%1 is not valid JSON (%2): rebuild the application")
                       .arg(path, parseError.errorString());
    return extras;
  }
  const QJsonObject root = doc.object();
  if (root.value(QStringLiteral("format")).toString() != QStringLiteral("gale-kconfig-1")) {
    extras.error = QStringLiteral("%1 has format '%2', not gale-kconfig-1: rebuild with this SDK")
                       .arg(path, root.value(QStringLiteral("format")).toString());
    return extras;
  }
  for (const QJsonValue &v : root.value(QStringLiteral("symbols")).toArray()) {
    const QJsonObject s = v.toObject();
    const QString name = s.value(QStringLiteral("name")).toString();
    for (const QJsonValue &r : s.value(QStringLiteral("ranges")).toArray()) {
      const QJsonObject range = r.toObject();
      if (range.value(QStringLiteral("active")).toBool()) {
        extras.ranges[name].append({range.value(QStringLiteral("low")).toString(),
                                    range.value(QStringLiteral("high")).toString()});
      }
    }
    const QJsonValue choice = s.value(QStringLiteral("choice"));
    if (choice.isString()) {
      extras.choiceOf.insert(name, choice.toString());
    }
    extras.dependencyValue.insert(name,
                                  s.value(QStringLiteral("direct_dependencies_value")).toString());
  }
  for (const QJsonValue &v : root.value(QStringLiteral("choices")).toArray()) {
    const QJsonObject c = v.toObject();
    KconfigExtras::Choice choice;
    for (const QJsonValue &m : c.value(QStringLiteral("members")).toArray()) {
      choice.members << m.toString();
    }
    choice.selection = c.value(QStringLiteral("selection")).toString();
    choice.visible = c.value(QStringLiteral("visibility")).toString() != QStringLiteral("n");
    const QJsonArray prompts = c.value(QStringLiteral("prompts")).toArray();
    if (!prompts.isEmpty()) {
      choice.prompt = prompts.first().toObject().value(QStringLiteral("text")).toString();
    }
    extras.choices.insert(c.value(QStringLiteral("id")).toString(), choice);
  }
  return extras;
}

KconfigEditor::KconfigEditor(Backend *backend, QWidget *parent)
    : QWidget(parent),
      backend_(backend),
      state_(new QLabel(tr("Build an application to edit its Kconfig symbols here."), this)),
      search_(new QLineEdit(this)),
      tree_(new QTreeWidget(this)),
      details_(new QTextBrowser(this)),
      editors_(new QStackedWidget(this)),
      value_(new QLineEdit(this)),
      bool_(new QCheckBox(this)),
      choice_(new QComboBox(this)),
      editorLabel_(new QLabel(tr("Value:"), this)),
      explain_(new QLabel(this)),
      set_(new QPushButton(tr("Save to gale.conf"), this)) {
  auto *layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto *top = new QHBoxLayout();
  search_->setPlaceholderText(tr("Search symbols, prompts and help"));
  search_->setClearButtonEnabled(true);
  auto *reload = new QPushButton(tr("Reload"), this);
  top->addWidget(search_, 1);
  top->addWidget(reload);
  state_->setWordWrap(true);
  layout->addWidget(state_);
  layout->addLayout(top);

  tree_->setHeaderLabels({tr("Symbol"), tr("Value"), tr("Type"), tr("Prompt")});
  // Fixed, adjustable widths: sized to contents, the long names of invisible symbols pushed the
  // value column out of sight.
  tree_->header()->setSectionResizeMode(QHeaderView::Interactive);
  tree_->header()->setStretchLastSection(true);
  tree_->setColumnWidth(0, 250);
  tree_->setColumnWidth(1, 90);
  tree_->setColumnWidth(2, 60);
  auto *right = new QWidget(this);
  auto *rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  editors_->addWidget(value_);   // kValuePage
  editors_->addWidget(bool_);    // kBoolPage
  editors_->addWidget(choice_);  // kChoicePage
  editors_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  auto *edit = new QHBoxLayout();
  edit->addWidget(editorLabel_);
  edit->addWidget(editors_, 1);
  edit->addWidget(set_);
  explain_->setWordWrap(true);
  explain_->setTextFormat(Qt::PlainText);
  rightLayout->addWidget(details_, 1);
  rightLayout->addLayout(edit);
  rightLayout->addWidget(explain_);
  editors_->setEnabled(false);
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
  connect(value_, &QLineEdit::textChanged, this, &KconfigEditor::validate);
  connect(bool_, &QCheckBox::stateChanged, this, &KconfigEditor::validate);
  connect(choice_, &QComboBox::currentIndexChanged, this, &KconfigEditor::validate);
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
            if (!current_.isEmpty()) {
              showSymbol(current_);
            }
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
  extrasLoaded_ = false;
  auto *watcher = new QFutureWatcher<KconfigExtras>(this);
  connect(watcher, &QFutureWatcher<KconfigExtras>::finished, this, [this, watcher, buildDir] {
    watcher->deleteLater();
    if (buildDir != buildDir_) {
      return;
    }
    extras_ = watcher->result();
    extrasLoaded_ = true;
    if (!current_.isEmpty()) {
      showSymbol(current_);
    }
  });
  watcher->setFuture(QtConcurrent::run(ReadKconfigExtras, buildDir));
  backend_->listConfig(buildDir);
}

QString KconfigEditor::valueOf(const QString &name) const {
  return symbols_.contains(name) ? Q(symbols_.value(name).value()) : QString();
}

QWidget *KconfigEditor::currentEditor() const {
  return editors_->currentWidget();
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
  const QString type = Q(s.type());
  QString html = QStringLiteral("<h3>CONFIG_%1</h3><p><b>%2</b> (%3)</p>")
                     .arg(name.toHtmlEscaped(), Q(s.prompt()).toHtmlEscaped(), type);
  html += QStringLiteral("<p>Value: <code>%1</code>, set by %2</p>")
              .arg(Q(s.value()).toHtmlEscaped(), Q(s.set_by()).toHtmlEscaped());
  if (!s.why_not_settable().empty()) {
    html += QStringLiteral("<p style='color:#b00020'>Not settable: %1</p>")
                .arg(Q(s.why_not_settable()).toHtmlEscaped());
  }
  if (!s.help().empty()) {
    // Help keeps its line breaks but wraps to the pane (no sideways scrolling).
    html += QStringLiteral("<p style='white-space: pre-wrap;'>%1</p>")
                .arg(Q(s.help()).trimmed().toHtmlEscaped());
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

  // The typed editor: a choice member edits its group, a bool/tristate a check box, the rest a
  // line with a validator (and the active ranges checked before anything is sent).
  const QString choiceId = extras_.choiceOf.value(name);
  const bool inChoice = !choiceId.isEmpty() && extras_.choices.contains(choiceId);
  const QSignalBlocker blockValue(value_);
  const QSignalBlocker blockBool(bool_);
  const QSignalBlocker blockChoice(choice_);
  if (inChoice) {
    const KconfigExtras::Choice &choice = extras_.choices[choiceId];
    editors_->setCurrentIndex(kChoicePage);
    editorLabel_->setText(choice.prompt.isEmpty() ? tr("Choice:")
                                                  : choice.prompt + QLatin1Char(':'));
    choice_->clear();
    for (const QString &member : choice.members) {
      const QString prompt = symbols_.contains(member) ? Q(symbols_[member].prompt()) : QString();
      choice_->addItem(prompt.isEmpty() ? member : QStringLiteral("%1 (%2)").arg(prompt, member),
                       member);
    }
    // The group's current selection comes from the loaded values (fresher than config.json).
    QString selected = choice.selection;
    for (const QString &member : choice.members) {
      if (symbols_.contains(member) && symbols_[member].value() == "y") {
        selected = member;
      }
    }
    choice_->setCurrentIndex(std::max(0, choice_->findData(selected)));
  } else if (type == QStringLiteral("bool") || type == QStringLiteral("tristate")) {
    editors_->setCurrentIndex(kBoolPage);
    editorLabel_->setText(tr("Value:"));
    bool_->setTristate(type == QStringLiteral("tristate"));
    bool_->setText(Q(s.prompt()).isEmpty() ? name : Q(s.prompt()));
    const QString v = Q(s.value());
    bool_->setCheckState(v == QStringLiteral("y")   ? Qt::Checked
                         : v == QStringLiteral("m") ? Qt::PartiallyChecked
                                                    : Qt::Unchecked);
  } else {
    editors_->setCurrentIndex(kValuePage);
    editorLabel_->setText(tr("Value:"));
    delete value_->validator();
    if (type == QStringLiteral("int")) {
      value_->setValidator(
          new QRegularExpressionValidator(QRegularExpression(QStringLiteral("-?[0-9]*")), value_));
    } else if (type == QStringLiteral("hex")) {
      value_->setValidator(new QRegularExpressionValidator(
          QRegularExpression(QStringLiteral("(0[xX])?[0-9a-fA-F]*")), value_));
    } else {
      value_->setValidator(nullptr);
    }
    value_->setText(Q(s.value()));
    QString tip = tr("a %1 value").arg(type);
    const auto ranges = extras_.ranges.value(name);
    if (!ranges.isEmpty()) {
      tip += tr(" from %1 to %2").arg(ranges.first().first, ranges.first().second);
    }
    value_->setToolTip(tip);
  }

  // Not settable: the editor stays visible but disabled, with the reason in words.
  const bool settable =
      s.why_not_settable().empty() && (!inChoice || extras_.choices[choiceId].visible);
  editors_->setEnabled(settable);
  if (!settable) {
    QString why = s.why_not_settable().empty() ? tr("the choice group is not visible")
                                               : Q(s.why_not_settable());
    if (!s.depends_on().empty()) {
      const QString depValue = extras_.dependencyValue.value(name);
      why += depValue.isEmpty()
                 ? tr(" (depends on %1)").arg(Q(s.depends_on()))
                 : tr(" (depends on %1, which is %2 now)").arg(Q(s.depends_on()), depValue);
    }
    explain_->setText(tr("Cannot be set here: %1").arg(why));
    explain_->setStyleSheet(QStringLiteral("color: #b00020;"));
    set_->setEnabled(false);
  } else {
    validate();
  }
}

bool KconfigEditor::resolveBound(const QString &bound, bool hex, qlonglong *value) const {
  if (ParseNumber(bound, hex, value)) {
    return true;
  }
  return symbols_.contains(bound) && ParseNumber(Q(symbols_[bound].value()), hex, value);
}

QString KconfigEditor::editorAssignment(QString *error) const {
  error->clear();
  if (current_.isEmpty() || !symbols_.contains(current_)) {
    *error = tr("select a symbol first");
    return QString();
  }
  const gale::v1::ConfigSymbol &s = symbols_[current_];
  switch (editors_->currentIndex()) {
    case kChoicePage: {
      const QString member = choice_->currentData().toString();
      if (member.isEmpty()) {
        *error = tr("pick a member of the choice");
        return QString();
      }
      return member + QStringLiteral("=y");
    }
    case kBoolPage: {
      const Qt::CheckState state = bool_->checkState();
      return current_ + QLatin1Char('=') +
             (state == Qt::Checked            ? QStringLiteral("y")
              : state == Qt::PartiallyChecked ? QStringLiteral("m")
                                              : QStringLiteral("n"));
    }
    default:
      break;
  }
  const QString type = Q(s.type());
  QString value = value_->text().trimmed();
  if (type == QStringLiteral("int") || type == QStringLiteral("hex")) {
    const bool hex = type == QStringLiteral("hex");
    qlonglong number = 0;
    if (!ParseNumber(value, hex, &number)) {
      *error = hex ? tr("CONFIG_%1 wants a hex number such as 0x1000").arg(current_)
                   : tr("CONFIG_%1 wants a decimal number").arg(current_);
      return QString();
    }
    // Kconfig uses the first active range.
    const auto ranges = extras_.ranges.value(current_);
    if (!ranges.isEmpty()) {
      qlonglong low = 0;
      qlonglong high = 0;
      if (resolveBound(ranges.first().first, hex, &low) &&
          resolveBound(ranges.first().second, hex, &high) && (number < low || number > high)) {
        *error = tr("CONFIG_%1 must be from %2 to %3")
                     .arg(current_, ranges.first().first, ranges.first().second);
        return QString();
      }
    }
    if (hex && !value.startsWith(QStringLiteral("0x"), Qt::CaseInsensitive)) {
      value.prepend(QStringLiteral("0x"));
    }
    return current_ + QLatin1Char('=') + value;
  }
  if (type == QStringLiteral("string")) {
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return current_ + QStringLiteral("=\"") + escaped + QLatin1Char('"');
  }
  return current_ + QLatin1Char('=') + value;
}

void KconfigEditor::validate() {
  if (!editors_->isEnabled()) {
    return;
  }
  QString error;
  editorAssignment(&error);
  set_->setEnabled(error.isEmpty());
  explain_->setText(error);
  explain_->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("color: #b00020;"));
  value_->setStyleSheet(error.isEmpty() || editors_->currentIndex() != kValuePage
                            ? QString()
                            : QStringLiteral("background: #ffe0e0;"));
}

QString KconfigEditor::problem() const {
  return explain_->text();
}

bool KconfigEditor::applyValue() {
  if (buildDir_.isEmpty()) {
    state_->setText(tr("Build an application first."));
    return false;
  }
  if (!editors_->isEnabled()) {
    return false;
  }
  QString error;
  const QString assignment = editorAssignment(&error);
  if (!error.isEmpty()) {
    // Said beside the editor (it belongs to this symbol, not to the whole configuration).
    explain_->setText(tr("Not saved: %1").arg(error));
    explain_->setStyleSheet(QStringLiteral("color: #b00020;"));
    return false;
  }
  state_->setText(tr("Setting CONFIG_%1 (writes gale.conf and reconfigures)...").arg(assignment));
  backend_->setConfig(buildDir_, {assignment});
  return true;
}

}  // namespace gale::studio
