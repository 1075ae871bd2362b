#include "debug_panel.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace gale::studio {

namespace {

QString Q(const std::string &text) {
  return QString::fromStdString(text);
}

// gdb's arguments quoted for a POSIX shell (what the user pastes).
QString ShellQuote(const QString &arg) {
  if (!arg.isEmpty() &&
      arg.indexOf(QRegularExpression(QStringLiteral("[^A-Za-z0-9_./:=@%+-]"))) < 0) {
    return arg;
  }
  QString quoted = arg;
  quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
  return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

}  // namespace

DebugPanel::DebugPanel(Backend *backend, QWidget *parent)
    : QWidget(parent),
      backend_(backend),
      state_(new QLabel(tr("Select a device and press Debug: galed opens its GDB server (one "
                           "debugger at a time) and the command line to connect appears here."),
                        this)),
      device_(new QLabel(QStringLiteral("-"), this)),
      addressLabel_(new QLabel(QStringLiteral("-"), this)),
      imageLabel_(new QLabel(QStringLiteral("-"), this)),
      gdbLabel_(new QLabel(QStringLiteral("-"), this)),
      archLabel_(new QLabel(QStringLiteral("-"), this)),
      command_(new QLineEdit(this)),
      copy_(new QPushButton(tr("Copy gdb command line"), this)),
      launch_(new QPushButton(tr("Start gdb in a terminal"), this)) {
  auto *layout = new QVBoxLayout(this);
  state_->setWordWrap(true);
  layout->addWidget(state_);
  auto *form = new QFormLayout();
  for (QLabel *label : {device_, addressLabel_, imageLabel_, gdbLabel_, archLabel_}) {
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  }
  form->addRow(tr("Device:"), device_);
  form->addRow(tr("GDB server:"), addressLabel_);
  form->addRow(tr("Symbols (ELF):"), imageLabel_);
  form->addRow(tr("Debugger:"), gdbLabel_);
  form->addRow(tr("Architecture:"), archLabel_);
  layout->addLayout(form);
  command_->setReadOnly(true);
  command_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  command_->setPlaceholderText(tr("gdb command line"));
  layout->addWidget(command_);
  auto *buttons = new QHBoxLayout();
  buttons->addWidget(copy_);
  buttons->addWidget(launch_);
  buttons->addStretch();
  layout->addLayout(buttons);
  auto *note = new QLabel(
      tr("While a debugger is connected, galed's own use of the device waits its turn: flash and "
         "RTT fail with \"a debugger is attached\". Quitting gdb (or `detach`) lets the image run "
         "on. IDEs: point a remote GDB target (cortex-debug, cppdbg, Qt Creator bare metal) at "
         "the server address."),
      this);
  note->setWordWrap(true);
  note->setStyleSheet(QStringLiteral("color: #555;"));
  layout->addWidget(note);
  layout->addStretch();
  copy_->setEnabled(false);
  launch_->setEnabled(false);

  connect(copy_, &QPushButton::clicked, this, [this] {
    QApplication::clipboard()->setText(commandLine());
    state_->setText(tr("Copied: %1").arg(commandLine()));
  });
  connect(launch_, &QPushButton::clicked, this, [this] {
    const QString terminal = terminalProgram();
    if (terminal.isEmpty()) {
      state_->setText(
          tr("No terminal emulator found (x-terminal-emulator, gnome-terminal, "
             "konsole, xterm): copy the command line instead."));
      return;
    }
    if (QStandardPaths::findExecutable(gdb_).isEmpty()) {
      state_->setText(tr("%1 is not installed (Debian: apt install gdb-multiarch); the GDB "
                         "server is at %2")
                          .arg(gdb_, address_));
      return;
    }
    QStringList args = {QStringLiteral("-e"), QStringLiteral("sh"), QStringLiteral("-c"),
                        commandLine()};
    if (QFileInfo(terminal).fileName() == QStringLiteral("gnome-terminal")) {
      args[0] = QStringLiteral("--");
    }
    if (!QProcess::startDetached(terminal, args)) {
      state_->setText(tr("Cannot start %1: copy the command line instead.").arg(terminal));
    } else {
      state_->setText(tr("Started %1 in %2.").arg(gdb_, terminal));
    }
  });
  connect(backend_, &Backend::debugServerReady, this, &DebugPanel::showServer);
  connect(backend_, &Backend::callFailed, this,
          [this](const QString &what, const QString &message) {
            if (waiting_ && what.startsWith(QStringLiteral("Debugging"))) {
              fail(message);
            }
          });
}

void DebugPanel::request(const QString &deviceId, const QString &elf) {
  deviceId_ = deviceId;
  elfOverride_ = elf;
  waiting_ = true;
  address_.clear();
  state_->setStyleSheet(QString());
  state_->setText(tr("Asking galed for the GDB server of %1...").arg(deviceId));
  device_->setText(deviceId);
  for (QLabel *label : {addressLabel_, imageLabel_, gdbLabel_, archLabel_}) {
    label->setText(QStringLiteral("-"));
  }
  command_->clear();
  copy_->setEnabled(false);
  launch_->setEnabled(false);
  backend_->debugServer(deviceId);
}

QString DebugPanel::commandLine() const {
  if (address_.isEmpty()) {
    return QString();
  }
  QStringList args = {gdb_.isEmpty() ? QStringLiteral("gdb-multiarch") : gdb_,
                      QStringLiteral("-q")};
  if (!image_.isEmpty()) {
    args << ShellQuote(image_);
  } else if (!arch_.isEmpty()) {
    args << QStringLiteral("-ex") << ShellQuote(QStringLiteral("set architecture ") + arch_);
  }
  // `target remote`, not `extended-remote`: quitting gdb detaches and the image runs on.
  args << QStringLiteral("-ex") << ShellQuote(QStringLiteral("target remote ") + address_);
  return args.join(QLatin1Char(' '));
}

void DebugPanel::showServer(const QString &deviceId, const gale::v1::DebugServer &server) {
  if (deviceId != deviceId_) {
    return;
  }
  waiting_ = false;
  address_ = Q(server.address());
  gdb_ = Q(server.gdb());
  arch_ = Q(server.arch());
  image_ = elfOverride_.isEmpty() ? Q(server.image()) : elfOverride_;
  addressLabel_->setText(address_);
  imageLabel_->setText(image_.isEmpty() ? tr("(nothing flashed yet: no symbols)") : image_);
  gdbLabel_->setText(gdb_);
  archLabel_->setText(arch_);
  command_->setText(commandLine());
  copy_->setEnabled(true);
  const bool canLaunch = !terminalProgram().isEmpty();
  launch_->setEnabled(canLaunch);
  launch_->setToolTip(canLaunch ? tr("Runs the command line in %1").arg(terminalProgram())
                                : tr("No terminal emulator on PATH: copy the command line"));
  state_->setText(tr("GDB server of %1 at %2: connect one debugger (gdb's `target remote %2`).")
                      .arg(deviceId, address_));
  emit finished(true);
}

void DebugPanel::fail(const QString &message) {
  waiting_ = false;
  state_->setStyleSheet(QStringLiteral("color: #b00020;"));
  state_->setText(tr("No GDB server for %1: %2").arg(deviceId_, message));
  emit finished(false);
}

QString DebugPanel::terminalProgram() {
  for (const char *name : {"x-terminal-emulator", "gnome-terminal", "konsole", "xterm"}) {
    const QString path = QStandardPaths::findExecutable(QString::fromLatin1(name));
    if (!path.isEmpty()) {
      return path;
    }
  }
  return QString();
}

}  // namespace gale::studio
