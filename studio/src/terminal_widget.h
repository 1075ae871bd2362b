// A simple terminal: the output of a device (UTF-8, carriage returns and ANSI escape sequences
// dropped) above a line of input sent on Enter.
#pragma once

#include <QByteArray>
#include <QStringDecoder>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace gale::studio {

class TerminalWidget : public QWidget {
  Q_OBJECT

 public:
  explicit TerminalWidget(QWidget *parent = nullptr);

  /// Appends output bytes from the device.
  void appendData(const QByteArray &data);
  /// Appends a line of Studio's own (attach, detach, errors), set apart from the device's output.
  void appendNote(const QString &note);
  void clear();
  /// Everything shown so far (for tests).
  QString text() const;
  /// The line above the output saying what the terminal is connected to.
  void setState(const QString &state);
  QLineEdit *input() const { return input_; }
  /// What Enter sends after the line: "\n" (default) or "\r" (as a serial terminal does, for
  /// shells).
  void setLineEnding(const QByteArray &ending) { lineEnding_ = ending; }

 signals:
  /// A line entered by the user, with its line ending.
  void inputEntered(const QByteArray &data);

 private:
  void insertText(const QString &text);

  QLabel *state_;
  QPlainTextEdit *output_;
  QLineEdit *input_;
  QByteArray lineEnding_ = "\n";
  QStringDecoder decoder_{QStringDecoder::Utf8};
  enum class Escape { kNone, kEsc, kCsi } escape_ = Escape::kNone;
};

}  // namespace gale::studio
