// What the whole IDE costs the engine, with every panel open: each benchmark program run
// by a plain sx::Engine on a thread of its own ("detached") and by sx-studio's main window
// ("ide": the real EngineHost, bridges and panels, offscreen), as a user runs a file. Every
// dock is open; the panels record and show what the run does (the suspensions timeline
// and its stacks, the functions and JIT tables, console output) on the GUI thread while
// the engine runs on its own.
//
//   ide_window_overhead [--runs N] [--mode inline|unwind] [--tier cek|vm|jit|auto] [--back-to-back] [FILE.sx ...]
//
// The IDE's time for a run is the engine's own (RunFinished::elapsedMs, from the run's
// start on the engine thread to its end): what the inspector and the panels' work beside
// it cost the program. One host and one window serve all runs, as in the IDE, and the
// detached engine is kept too. After the panels have the run's function summaries the
// window is given kSettleMs to finish showing the run (the listings the code panels ask
// for, the repaint), as before a user's next run; the CPU-time ratio counts every thread
// (the GUI thread's work on the events included) from the run's request to the end of
// that. --back-to-back starts the next run as soon as the summaries are in, so what the
// panels do after a run falls into the next one (and the CPU time of the run it follows).
// Each program's second line is the GUI thread's CPU time per run: while the engine ran
// (until the run's end was delivered) and in all.
// Settings live in a scratch folder; the user's are never read.
// Budget (the IDE issue): at most 10% slower than detached.
#include <QApplication>
#include <QDockWidget>
#include <QEventLoop>
#include <QSettings>
#include <QTemporaryDir>

#include <QTimer>

#include <cstring>
#include <ctime>

#include "common/inspectorbridge.h"
#include "inspect/engine_host.h"
#include "mainwindow.h"
#include "overhead_common.h"
#include "settings.h"

using namespace sx::bench;

namespace {

constexpr int kSettleMs = 100;  // longer than the panels' refresh delays and a listing's round trip

double threadCpuMs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// The GUI thread's CPU time over a program's runs.
struct GuiTime {
  double inRun = 0, total = 0;
};

// Runs `path` in the window's engine and waits, in the GUI's event loop, until the panels
// have the run's function summaries (and, unless `backToBack`, kSettleMs more). `events`
// counts what the bridge delivered.
Timing runInIde(sxs::MainWindow& w, sx::inspect::Inspector& host, const std::string& path, bool backToBack, bool* ok,
                uint64_t* events, GuiTime* gui) {
  sxs::InspectorBridge& bridge = w.bridge();
  QEventLoop loop;
  uint64_t run = 0;
  bool finished = false;
  double engineMs = 0;
  uint64_t seen = 0;
  double g0 = threadCpuMs();
  auto count = [&] { ++seen; };
  QList<QMetaObject::Connection> links{
      QObject::connect(&bridge, &sxs::InspectorBridge::performed, count),
      QObject::connect(&bridge, &sxs::InspectorBridge::resumed, count),
      QObject::connect(&bridge, &sxs::InspectorBridge::handlerAnswered, count),
      QObject::connect(&bridge, &sxs::InspectorBridge::runFinished,
                       [&](const sx::inspect::RunFinished& e) {
                         if (e.run != run) return;
                         finished = true;
                         *ok = e.ok;
                         engineMs = e.elapsedMs;
                         gui->inRun += threadCpuMs() - g0;
                       }),
      QObject::connect(&bridge, &sxs::InspectorBridge::functionsUpdated,
                       [&](const sx::inspect::FunctionsUpdated&) {
                         if (!finished) return;
                         if (backToBack)
                           loop.quit();
                         else
                           QTimer::singleShot(kSettleMs, &loop, &QEventLoop::quit);
                       })};
  std::clock_t c0 = std::clock();
  run = host.loadFile(path);
  loop.exec();
  double cpu = cpuSecondsSince(c0);
  gui->total += threadCpuMs() - g0;
  for (const auto& l : links) QObject::disconnect(l);
  *events = seen;
  return Timing{engineMs / 1000.0, cpu};
}

}  // namespace

int main(int argc, char** argv) {
  if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  int runs = 5;
  sx::ResolverMode mode = sx::ResolverMode::Unwind;
  Detached detached;
  detached.onThread = detached.longLived = true;  // as the IDE runs its engine
  bool backToBack = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (!std::strcmp(argv[i], "--mode") && i + 1 < argc) {
      std::string m = argv[++i];
      if (m != "inline" && m != "unwind") {
        std::fprintf(stderr, "ide_window_overhead: --mode is inline or unwind\n");
        return 2;
      }
      mode = m == "inline" ? sx::ResolverMode::Inline : sx::ResolverMode::Unwind;
    } else if (!std::strcmp(argv[i], "--tier") && i + 1 < argc) {
      if (!sx::parseTier(argv[++i], &detached.tier)) {
        std::fprintf(stderr, "ide_window_overhead: --tier is cek, vm, jit or auto\n");
        return 2;
      }
    } else if (!std::strcmp(argv[i], "--back-to-back")) {
      backToBack = true;
    } else if (argv[i][0] == '-') {
      std::fprintf(stderr, "usage: ide_window_overhead [--runs N] [--mode inline|unwind] [--tier cek|vm|jit|auto] [--back-to-back] [FILE.sx ...]\n");
      return 2;
    } else {
      files.push_back(argv[i]);
    }
  }
  files = programFiles(std::move(files), SX_BENCH_PROGRAMS);

  QApplication app(argc, argv);
  QTemporaryDir scratch;
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, scratch.path());
  sxs::Settings settings;
  sx::inspect::HostOptions options;
  options.tier = detached.tier;
  options.maxRecordedPerforms = uint32_t(settings.get(sxs::Pref::MaxRecordedPerforms).toInt());
  sx::inspect::EngineHost host(options);
  sxs::MainWindow window(host, settings);
  window.resize(1400, 900);
  window.show();
  for (QDockWidget* d : window.findChildren<QDockWidget*>()) d->show();
  window.setResolverMode(mode);

  std::printf("IDE overhead, every panel open, %s mode, %s tier, %d runs each (seconds; the IDE's: the engine's own time), %u "
              "performs recorded per run, %s\n",
              sx::resolverModeName(mode), sx::tierName(detached.tier), runs, options.maxRecordedPerforms,
              backToBack ? "runs back to back" : "the window settles after each run");
  bool warmed = false;
  uint64_t events = 0;
  GuiTime warmGui;
  runInIde(window, host, files.front(), backToBack, &warmed, &events, &warmGui);  // the host sets up its isolate
  Report report("ide", "events");
  for (const std::string& f : files) {
    Samples det, ide;
    GuiTime gui;
    bool ok1 = true, ok2 = true;
    for (int r = 0; r < runs; ++r) {  // alternate, and in turn go first, so load and order hit both alike
      if (r % 2) ide.add(runInIde(window, host, f, backToBack, &ok2, &events, &gui));
      det.add(detached.run(f, mode, &ok1));
      if (r % 2 == 0) ide.add(runInIde(window, host, f, backToBack, &ok2, &events, &gui));
    }
    report.row(f, det, ide, events, ok1 && ok2);
    std::printf("%-12s GUI thread per run: %.1f ms CPU while the engine ran, %.1f ms in all\n", "", gui.inRun / runs, gui.total / runs);
  }
  report.finish();
  return 0;
}
