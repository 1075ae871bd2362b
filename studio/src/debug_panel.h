// The Debug tab: the selected device's GDB server (Devices.Debug: a loopback port relaying to
// QEMU's gdbstub or OpenOCD, one debugger at a time), the gdb command line to copy, and a way to
// start gdb in a terminal emulator when the desktop has one.
#pragma once

#include <QString>
#include <QWidget>

#include "backend.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace gale::studio {

class DebugPanel : public QWidget {
  Q_OBJECT

 public:
  explicit DebugPanel(Backend *backend, QWidget *parent = nullptr);

  /// Asks galed for `deviceId`'s GDB server; `elf` (may be empty) overrides the flashed image.
  void request(const QString &deviceId, const QString &elf);

  QString address() const { return address_; }
  QString commandLine() const;
  QLabel *stateLabel() const { return state_; }
  bool waiting() const { return waiting_; }

 signals:
  /// The server is known (ok) or the request failed (the state line says why).
  void finished(bool ok);

 private:
  void showServer(const QString &deviceId, const gale::v1::DebugServer &server);
  void fail(const QString &message);
  /// A terminal emulator found on PATH (x-terminal-emulator, ...), or empty.
  static QString terminalProgram();

  Backend *backend_;
  QString deviceId_;
  QString elfOverride_;
  QString address_;
  QString gdb_;
  QString image_;
  QString arch_;
  bool waiting_ = false;
  QLabel *state_;
  QLabel *device_;
  QLabel *addressLabel_;
  QLabel *imageLabel_;
  QLabel *gdbLabel_;
  QLabel *archLabel_;
  QLineEdit *command_;
  QPushButton *copy_;
  QPushButton *launch_;
};

}  // namespace gale::studio
