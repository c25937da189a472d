// sx-studio [PROJECT-DIR-OR-FILE] [--screenshots DIR [--preview-project DIR]] [--settings-dir DIR]
#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

#include "inspect/engine_host.h"
#include "inspect/preview_host.h"
#include "mainwindow.h"
#include "screenshots.h"
#include "settings.h"
#include "theme.h"

int main(int argc, char** argv) {
  // Qt WebEngine (the preview's page view) needs both before the application exists; as
  // root its Chromium refuses to start sandboxed (DEPENDENCIES.md).
  QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  if (geteuid() == 0) setenv("QTWEBENGINE_DISABLE_SANDBOX", "1", 0);
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("sx-studio"));
  QApplication::setOrganizationName(QStringLiteral("sx-studio"));
  QApplication::setApplicationVersion(QStringLiteral(SX_VERSION));

  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral("SX Studio: an IDE and live inspector for SX."));
  cli.addHelpOption();
  cli.addVersionOption();
  cli.addPositionalArgument(QStringLiteral("path"), QStringLiteral("A project folder (its .sx files) or an .sx file."), QStringLiteral("[PATH]"));
  QCommandLineOption shots(QStringLiteral("screenshots"), QStringLiteral("Save screenshots of each panel into DIR, then quit."), QStringLiteral("DIR"));
  QCommandLineOption settingsDir(QStringLiteral("settings-dir"), QStringLiteral("Keep preferences and session in DIR."), QStringLiteral("DIR"));
  QCommandLineOption previewProject(QStringLiteral("preview-project"),
                                    QStringLiteral("With --screenshots: also shoot the Preview panel serving a copy of DIR."), QStringLiteral("DIR"));
  cli.addOption(shots);
  cli.addOption(previewProject);
  cli.addOption(settingsDir);
  cli.process(app);
  if (cli.positionalArguments().size() > 1) {
    std::fprintf(stderr, "sx-studio: expected at most one PATH\n");
    return 2;
  }

  // Screenshots never read or write the user's settings.
  QTemporaryDir scratchSettings;
  QString settingsPath = cli.isSet(settingsDir) ? cli.value(settingsDir) : cli.isSet(shots) ? scratchSettings.path() : QString();
  QSettings::setDefaultFormat(QSettings::IniFormat);
  if (!settingsPath.isEmpty()) QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsPath);

  sxs::Settings settings;
  sxs::applyPalette(false);
  sx::inspect::HostOptions options;
  options.mockOps = settings.get(sxs::Pref::MockOps).toBool();
  sx::parseTier(settings.get(sxs::Pref::Tier).toString().toStdString(), &options.tier);  // unknown: the default
  options.maxRecordedPerforms = uint32_t(settings.get(sxs::Pref::MaxRecordedPerforms).toInt());
  sx::inspect::EngineHost host(options);
  sx::inspect::PreviewHost preview;
  sxs::MainWindow window(host, settings, &preview);

  QString path = cli.positionalArguments().value(0);
  window.restoreSession(path.isEmpty() && !cli.isSet(shots));
  if (!path.isEmpty() && !window.openPath(path)) {
    std::fprintf(stderr, "sx-studio: %s is neither a folder nor a file\n", qPrintable(path));
    return 2;
  }
  if (cli.isSet(shots)) window.resize(1400, 900);
  window.show();

  if (!cli.isSet(shots)) return app.exec();
  sxs::ScreenshotRunner runner(window, cli.value(shots));
  if (cli.isSet(previewProject)) runner.setPreviewProject(cli.value(previewProject));
  int status = 0;
  QObject::connect(&runner, &sxs::ScreenshotRunner::finished, &app, [&](bool ok, const QString& message) {
    std::fprintf(ok ? stdout : stderr, "sx-studio: %s\n", qPrintable(message));
    status = ok ? 0 : 1;
    app.quit();
  });
  QTimer::singleShot(0, &runner, &sxs::ScreenshotRunner::start);
  app.exec();
  return status;
}
