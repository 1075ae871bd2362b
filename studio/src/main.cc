// gale-studio: the Qt 6 client of galed (see studio/README.md).
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>

#include "gale/host/paths.h"
#include "main_window.h"

int main(int argc, char **argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("gale-studio"));
  QApplication::setApplicationDisplayName(QStringLiteral("Gale Studio"));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Gale Studio: boards, devices, build, flash and console through galed"));
  parser.addHelpOption();
  const QCommandLineOption socket(
      QStringLiteral("socket"),
      QStringLiteral("galed's address (default: $GALE_SOCKET, else the user's galed socket)"),
      QStringLiteral("ADDR"));
  const QCommandLineOption appDir(QStringLiteral("app"),
                                  QStringLiteral("the application folder to open"),
                                  QStringLiteral("DIR"));
  const QCommandLineOption screenshot(
      QStringLiteral("screenshot"),
      QStringLiteral("connect, wait until boards and devices are loaded, save the main window as "
                     "a PNG to FILE and exit"),
      QStringLiteral("FILE"));
  const QCommandLineOption timeout(QStringLiteral("timeout"),
                                   QStringLiteral("seconds --screenshot waits (default 45)"),
                                   QStringLiteral("SECONDS"), QStringLiteral("45"));
  parser.addOptions({socket, appDir, screenshot, timeout});
  parser.process(app);

  const std::string cwd = QDir::currentPath().toStdString();
  const QString address = QString::fromStdString(gale::host::ResolveSocketAddress(
      parser.value(socket).toStdString(), gale::host::RealEnv, getuid(), cwd));
  QString app_dir = parser.value(appDir);
  if (app_dir.isEmpty() && QFileInfo::exists(QStringLiteral("CMakeLists.txt")) &&
      QFileInfo::exists(QStringLiteral("prj.conf"))) {
    app_dir = QDir::currentPath();
  }

  gale::studio::MainWindow window(address, app_dir);
  window.show();

  if (parser.isSet(screenshot)) {
    const QString file = parser.value(screenshot);
    bool ok = false;
    const int seconds = parser.value(timeout).toInt(&ok);
    if (!ok || seconds <= 0) {
      std::fprintf(stderr,
                   "gale-studio: --timeout must be a positive number of seconds, not '%s'\n",
                   qPrintable(parser.value(timeout)));
      return 2;
    }
    QString lastError;
    QObject::connect(window.backend(), &gale::studio::Backend::connectionFailed, &window,
                     [&lastError](const QString &message) {
                       lastError = message;
                       std::fprintf(stderr, "gale-studio: %s\n", qPrintable(message));
                     });
    QObject::connect(&window, &gale::studio::MainWindow::loaded, &window, [&window, file] {
      // Let the views lay out their rows before grabbing.
      QTimer::singleShot(300, &window, [&window, file] {
        if (!window.grab().save(file, "PNG")) {
          std::fprintf(stderr,
                       "gale-studio: cannot write the screenshot to %s (check the folder "
                       "exists and is writable)\n",
                       qPrintable(file));
          QApplication::exit(1);
          return;
        }
        std::printf("screenshot of the main window saved to %s\n", qPrintable(file));
        QApplication::exit(0);
      });
    });
    QTimer::singleShot(seconds * 1000, &window, [&lastError, seconds] {
      std::fprintf(stderr, "gale-studio: boards and devices were not loaded within %d s%s%s\n",
                   seconds, lastError.isEmpty() ? "" : ": ", qPrintable(lastError));
      QApplication::exit(1);
    });
  }
  return QApplication::exec();
}
