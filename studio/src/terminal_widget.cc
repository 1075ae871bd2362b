#include "terminal_widget.h"

#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextCursor>
#include <QVBoxLayout>

namespace gale::studio {

TerminalWidget::TerminalWidget(QWidget *parent)
    : QWidget(parent),
      state_(new QLabel(tr("Not attached: pick a device and press Attach."), this)),
      output_(new QPlainTextEdit(this)),
      input_(new QLineEdit(this)) {
  auto *layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(state_);
  layout->addWidget(output_, 1);
  layout->addWidget(input_);
  const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  output_->setFont(mono);
  output_->setReadOnly(true);
  output_->setMaximumBlockCount(10000);
  output_->setLineWrapMode(QPlainTextEdit::NoWrap);
  output_->setStyleSheet(QStringLiteral("QPlainTextEdit { background: #1e1e1e; color: #d4d4d4; }"));
  input_->setFont(mono);
  input_->setPlaceholderText(tr("Type a line and press Enter to send it to the device"));
  connect(input_, &QLineEdit::returnPressed, this, [this] {
    const QByteArray line = input_->text().toUtf8() + lineEnding_;
    input_->clear();
    emit inputEntered(line);
  });
}

void TerminalWidget::setState(const QString &state) {
  state_->setText(state);
}

void TerminalWidget::insertText(const QString &text) {
  QScrollBar *bar = output_->verticalScrollBar();
  const bool atEnd = bar->value() == bar->maximum();
  QTextCursor cursor(output_->document());
  cursor.movePosition(QTextCursor::End);
  cursor.insertText(text);
  if (atEnd) {
    bar->setValue(bar->maximum());
  }
}

void TerminalWidget::appendData(const QByteArray &data) {
  const QString decoded = decoder_.decode(data);
  QString visible;
  visible.reserve(decoded.size());
  for (const QChar c : decoded) {
    switch (escape_) {
      case Escape::kEsc:
        escape_ = c == QLatin1Char('[') ? Escape::kCsi : Escape::kNone;
        continue;
      case Escape::kCsi:
        // Parameters and intermediates, up to the final byte (@ to ~).
        if (c.unicode() >= 0x40 && c.unicode() <= 0x7e) {
          escape_ = Escape::kNone;
        }
        continue;
      case Escape::kNone:
        break;
    }
    if (c == QChar(0x1b)) {
      escape_ = Escape::kEsc;
    } else if (c == QLatin1Char('\r')) {
      // Dropped: lines end with "\n" in the view.
    } else if (c == QLatin1Char('\b') || c == QChar(0x7f)) {
      // Erasing typed characters is left to the input line.
    } else {
      visible.append(c);
    }
  }
  if (!visible.isEmpty()) {
    insertText(visible);
  }
}

void TerminalWidget::appendNote(const QString &note) {
  const QString text = output_->document()->isEmpty() || output_->toPlainText().endsWith('\n')
                           ? QString()
                           : QStringLiteral("\n");
  insertText(text + QStringLiteral("[gale] ") + note + QLatin1Char('\n'));
}

void TerminalWidget::clear() {
  output_->clear();
}

QString TerminalWidget::text() const {
  return output_->toPlainText();
}

}  // namespace gale::studio
