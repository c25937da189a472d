#include "screenshots.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QDockWidget>
#include <QFile>
#include <QPixmap>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebEngineView>

#include "bytecode/bytecodepanel.h"
#include "commandpalette.h"
#include "console/consolepanel.h"
#include "editor/codeeditor.h"
#include "editor/editorarea.h"
#include "jit/jitpanel.h"
#include "mainwindow.h"
#include "native/nativepanel.h"
#include "preview/previewpanel.h"
#include "suspensions/suspensionspanel.h"

namespace sxs {

namespace {

constexpr int kPollMs = 20;
constexpr qint64 kStepTimeoutMs = 30000;
constexpr int kSettleMs = 400;  // after the engine is idle: let checks and repaints land

const char* kStepDemo =
    ";; step-demo.sx: performs inside map, answered by an SX handler (no server needed).\n"
    "(define (price item)\n"
    "  (perform {:op \"price\" :args (list item)}))\n"
    "\n"
    "(define (total items)\n"
    "  (reduce + 0 (map (fn (item) (* 2 (price item))) items)))\n"
    "\n"
    "(with-io-handlers {:price (fn (item) (string-length item))}\n"
    "  (fn () (total (list \"tea\" \"coffee\" \"juice\"))))\n";

// Copies the project's .sx files and static/ folder from `from` into `to`.
bool copyProject(const QString& from, const QString& to) {
  QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    QString file = it.next();
    QString rel = QDir(from).relativeFilePath(file);
    if (!rel.endsWith(QLatin1String(".sx")) && !rel.startsWith(QLatin1String("static/"))) continue;
    QString target = QDir(to).filePath(rel);
    if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(file, target)) return false;
  }
  return true;
}

}  // namespace

ScreenshotRunner::~ScreenshotRunner() = default;

ScreenshotRunner::ScreenshotRunner(MainWindow& window, QString dir) : w_(window), dir_(std::move(dir)), timer_(new QTimer(this)) {
  timer_->setInterval(kPollMs);
  connect(timer_, &QTimer::timeout, this, &ScreenshotRunner::poll);
}

void ScreenshotRunner::then(const QString& what, std::function<void()> act, std::function<bool()> until) {
  steps_.push_back({what, std::move(act), std::move(until)});
}

void ScreenshotRunner::wait(const QString& what, std::function<bool()> until) { then(what, [] {}, std::move(until)); }

void ScreenshotRunner::shoot(const QString& name) {
  QString path = QDir(dir_).filePath(name);
  if (w_.grab().save(path, "PNG"))
    written_.push_back(path);
  else
    failure_ = tr("could not write %1").arg(path);
}

void ScreenshotRunner::buildScript() {
  auto idle = [this] { return !w_.busy(); };
  auto settled = [this, idle] {
    auto since = std::make_shared<qint64>(0);
    return [this, idle, since] {
      if (!idle()) return (*since = 0), false;
      if (!*since) *since = QDateTime::currentMSecsSinceEpoch();
      return QDateTime::currentMSecsSinceEpoch() - *since >= kSettleMs;
    };
  };
  auto raise = [this](DockId id) {
    w_.dock(id)->show();
    w_.dock(id)->raise();
  };
  auto pausedAt = [this](size_t n) {
    return [this, n] {
      auto p = w_.suspensions()->pausedPerform();
      return p && w_.suspensions()->timeline().rowOf(*p) == int(n) - 1;
    };
  };

  wait(tr("the project to load"), settled());
  then(tr("main window"), [this, raise] {
    raise(DockId::Console);
    shoot(QStringLiteral("main-window.png"));
  });
  then(tr("console forms"), [this] {
    for (const char* form : {"(greeting \"screenshots\")", "(map fact (range 1 8))", "(area (Circle 2))", "(fact \"ten\")"})
      w_.console()->evaluate(QString::fromUtf8(form));
  }, settled());
  then(tr("console"), [this] { shoot(QStringLiteral("console.png")); });
  // The compiled-code panels on fact: its listing, an instruction selected (its source
  // span in the editor, its machine code in the native panel), then the JIT panel.
  auto factId = [this]() -> std::optional<uint64_t> {
    FunctionsModel& fs = w_.bytecode()->functions();
    for (int r = 0; r < fs.rowCount(); ++r)
      if (fs.function(r)->name == "fact") return fs.function(r)->id;
    return std::nullopt;
  };
  then(tr("fact in the bytecode panel"), [this, raise, factId] {
    raise(DockId::Bytecode);
    if (auto id = factId()) w_.bytecode()->selectFunction(*id);
  }, [this] {
    return w_.bytecode()->headerText().contains(QStringLiteral("<b>fact</b>")) && w_.native()->headerText().contains(QStringLiteral("<b>fact</b>"));
  });
  then(tr("an instruction of fact"), [this] {
    BytecodeModel& rows = w_.bytecode()->listing();
    for (int r = 0; r < rows.rowCount(); ++r)
      if (rows.row(r)->opcode == "MUL") w_.bytecode()->listingView()->selectRow(r);
  }, settled());
  then(tr("code panels"), [this] { shoot(QStringLiteral("bytecode-native.png")); });
  then(tr("the JIT panel"), [this, raise, factId] {
    raise(DockId::Jit);
    w_.resizeDocks({w_.dock(DockId::Console), w_.dock(DockId::Jit)}, {w_.width() / 5, w_.width() * 2 / 5}, Qt::Horizontal);
    if (auto id = factId()) w_.jit()->selectFunction(*id);
  }, settled());
  then(tr("jit"), [this] { shoot(QStringLiteral("jit.png")); });
  then(tr("a step-mode run"), [this] {
    w_.editors()->openText(QStringLiteral("step-demo.sx"), QString::fromUtf8(kStepDemo));
    w_.setResolverMode(sx::ResolverMode::Step);
    w_.editors()->runCurrent();
  }, pausedAt(1));
  then(tr("resume 1"), [this] { w_.suspensions()->resumeWithResolver(); }, pausedAt(2));
  then(tr("resume 2 with a value"), [this] { w_.suspensions()->resumeWithValue(QStringLiteral("100")); }, pausedAt(3));
  then(tr("select perform 2"), [this, raise] {
    raise(DockId::Suspensions);
    w_.suspensions()->selectPerform(w_.suspensions()->timeline().entry(1)->performed.perform);
  }, [] { return true; });
  wait(tr("repaint"), [start = std::make_shared<qint64>(0)] {
    if (!*start) *start = QDateTime::currentMSecsSinceEpoch();
    return QDateTime::currentMSecsSinceEpoch() - *start >= kSettleMs;
  });
  then(tr("suspensions, paused"), [this] { shoot(QStringLiteral("suspensions-step.png")); });
  then(tr("finish the run"), [this] { w_.suspensions()->resumeWithResolver(); }, settled());
  then(tr("suspensions, finished"), [this] {
    w_.suspensions()->selectPerform(w_.suspensions()->timeline().entry(1)->performed.perform);
    shoot(QStringLiteral("suspensions.png"));
    w_.setResolverMode(sx::ResolverMode::Inline);
  });
  then(tr("command palette"), [this] {
    w_.showCommandPalette();
    w_.palette()->setFilter(QStringLiteral("resolver"));
  }, [this] { return w_.palette()->isVisible(); });
  then(tr("palette shot"), [this] {
    shoot(QStringLiteral("command-palette.png"));
    w_.palette()->hide();
    w_.setDarkTheme(true);
  });
  wait(tr("repaint"), [start = std::make_shared<qint64>(0)] {
    if (!*start) *start = QDateTime::currentMSecsSinceEpoch();
    return QDateTime::currentMSecsSinceEpoch() - *start >= kSettleMs;
  });
  then(tr("dark theme"), [this] {
    shoot(QStringLiteral("dark-theme.png"));
    w_.setDarkTheme(false);
  });
  if (!previewProject_.isEmpty()) buildPreviewScript();
}

void ScreenshotRunner::buildPreviewScript() {
  auto servedRoot = [this] {
    PreviewPanel* p = w_.preview();
    for (int r = 0; r < p->log().rowCount(); ++r)
      if (p->log().record(r)->path == "/" && p->log().record(r)->status == 200) return r;
    return -1;
  };
  auto pageLoaded = std::make_shared<bool>(false);
  then(tr("serve a copy of the preview project"), [this, pageLoaded] {
    previewCopy_ = std::make_unique<QTemporaryDir>();
    QString root = QDir(previewCopy_->path()).filePath(QFileInfo(previewProject_).fileName());
    if (!previewCopy_->isValid() || !copyProject(previewProject_, root) || !w_.openPath(root)) {
      failure_ = tr("cannot copy %1 to serve it").arg(previewProject_);
      return;
    }
    w_.dock(DockId::Preview)->show();
    w_.dock(DockId::Preview)->raise();
    w_.resizeDocks({w_.dock(DockId::Preview)}, {w_.width() * 55 / 100}, Qt::Horizontal);
    w_.preview()->start();
  }, [this] { return w_.preview()->serving() && w_.preview()->pageView(); });
  then(tr("the page to load"), [this, pageLoaded] {
    connect(w_.preview()->pageView(), &QWebEngineView::loadFinished, this, [pageLoaded] { *pageLoaded = true; });
    w_.preview()->pageView()->reload();  // a load that finished before the connection counts again
  }, [pageLoaded, servedRoot] { return *pageLoaded && servedRoot() >= 0; });
  then(tr("select the request"), [this, servedRoot] {
    w_.preview()->logView()->selectRow(servedRoot());
    w_.preview()->logView()->scrollToTop();
  });
  wait(tr("the page to paint"), [start = std::make_shared<qint64>(0)] {
    if (!*start) *start = QDateTime::currentMSecsSinceEpoch();
    return QDateTime::currentMSecsSinceEpoch() - *start >= 4 * kSettleMs;
  });
  then(tr("preview"), [this] { shoot(QStringLiteral("preview.png")); });
  // Step mode: the server restarts, the page's request pauses at its first perform.
  then(tr("preview in step mode"), [this] { w_.setResolverMode(sx::ResolverMode::Step); },
       [this] { return w_.suspensions()->pausedPerform().has_value(); });
  then(tr("resume twice"), [this] { w_.suspensions()->resumeWithResolver(); }, [this] {
    auto p = w_.suspensions()->pausedPerform();
    return p && w_.suspensions()->timeline().rowOf(*p) == 1;
  });
  then(tr("second resume"), [this] { w_.suspensions()->resumeWithResolver(); }, [this] {
    auto p = w_.suspensions()->pausedPerform();
    return p && w_.suspensions()->timeline().rowOf(*p) == 2;
  });
  wait(tr("repaint"), [start = std::make_shared<qint64>(0)] {
    if (!*start) *start = QDateTime::currentMSecsSinceEpoch();
    return QDateTime::currentMSecsSinceEpoch() - *start >= kSettleMs;
  });
  then(tr("preview, a request paused"), [this] {
    w_.preview()->logView()->scrollToBottom();
    shoot(QStringLiteral("preview-step.png"));
    w_.preview()->stop();
    w_.setResolverMode(sx::ResolverMode::Inline);
  });
}

void ScreenshotRunner::start() {
  if (!QDir().mkpath(dir_)) {
    Q_EMIT finished(false, tr("cannot create %1").arg(dir_));
    return;
  }
  buildScript();
  next_ = 0;
  runNext();
}

void ScreenshotRunner::runNext() {
  while (next_ < steps_.size()) {
    Step& s = steps_[next_];
    s.act();
    if (!failure_.isEmpty()) {
      Q_EMIT finished(false, failure_);
      return;
    }
    if (s.until && !s.until()) {
      stepStarted_ = QDateTime::currentMSecsSinceEpoch();
      timer_->start();
      return;
    }
    ++next_;
  }
  Q_EMIT finished(true, tr("%1 screenshots written to %2").arg(written_.size()).arg(dir_));
}

void ScreenshotRunner::poll() {
  Step& s = steps_[next_];
  if (s.until()) {
    timer_->stop();
    ++next_;
    runNext();
    return;
  }
  if (QDateTime::currentMSecsSinceEpoch() - stepStarted_ > kStepTimeoutMs) {
    timer_->stop();
    Q_EMIT finished(false, tr("timed out waiting for: %1").arg(s.what));
  }
}

}  // namespace sxs
