#include "preview/previewpanel.h"

#include <QAction>
#include <QDesktopServices>
#include <QFontDatabase>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>
#include <QWebEngineView>
#include <algorithm>

#include "common/inspectorbridge.h"
#include "common/panellayout.h"
#include "preview/previewbridge.h"

namespace sxs {

namespace {

constexpr int kMaxOutputBlocks = 5000;  // lines of the server's output kept

struct CommandDef {
  const char* id;
  const char* label;
  const char* iconText;
};

// In PreviewPanel::Command order.
const CommandDef kCommands[] = {
    {"preview.start", "Start Preview Server", "Start"},
    {"preview.stop", "Stop Preview Server", "Stop"},
    {"preview.reload", "Reload Preview Server", "Reload"},
    {"preview.openBrowser", "Open Preview in Browser", "Open in Browser"},
    {"preview.clearLog", "Clear the Preview's Request Log", "Clear Log"},
};

QString where(const Location& l) { return QStringLiteral("%1:%2:%3").arg(QFileInfo(l.file).fileName()).arg(l.line).arg(l.column); }

// `file.sx:LINE:COL` in text the server formatted (a load error): the places to link.
const QRegularExpression& locationPattern() {
  static const QRegularExpression re(QStringLiteral(R"re(((?:[^\s:()"']+/)?[^\s:()"'/]+\.sx):(\d+):(\d+))re"));
  return re;
}

}  // namespace

PreviewPanel::PreviewPanel(PreviewBridge& bridge, PageView pageView, QWidget* parent)
    : QWidget(parent), bridge_(bridge), pageMode_(pageView) {
  setObjectName(QStringLiteral("previewPanel"));
  for (const CommandDef& c : kCommands) {
    auto* a = new QAction(tr(c.label), this);
    a->setObjectName(QString::fromLatin1(c.id));
    a->setIconText(tr(c.iconText));
    actions_.push_back(a);
  }
  connect(command(Command::Start), &QAction::triggered, this, &PreviewPanel::start);
  connect(command(Command::Stop), &QAction::triggered, this, &PreviewPanel::stop);
  connect(command(Command::Reload), &QAction::triggered, this, &PreviewPanel::reload);
  connect(command(Command::OpenBrowser), &QAction::triggered, this, &PreviewPanel::openInBrowser);
  connect(command(Command::ClearLog), &QAction::triggered, this, &PreviewPanel::clearLog);

  toolbar_ = new QToolBar(this);
  toolbar_->setObjectName(QStringLiteral("previewToolBar"));
  toolbar_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  for (QAction* a : actions_) toolbar_->addAction(a);
  urlLabel_ = new QLabel(this);
  urlLabel_->setObjectName(QStringLiteral("previewUrl"));
  urlLabel_->setOpenExternalLinks(false);
  urlLabel_->setTextInteractionFlags(Qt::TextBrowserInteraction);
  connect(urlLabel_, &QLabel::linkActivated, this, [this] { openInBrowser(); });
  toolbar_->addSeparator();
  toolbar_->addWidget(urlLabel_);

  status_ = new QLabel(this);
  status_->setObjectName(QStringLiteral("previewStatus"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextBrowserInteraction);
  connect(status_, &QLabel::linkActivated, this, [this] {
    if (liveRequest_) showLive();
  });
  modeNote_ = new QLabel(this);
  modeNote_->setObjectName(QStringLiteral("previewModeNote"));
  modeNote_->setWordWrap(true);
  modeNote_->setVisible(false);
  modeNote_->setStyleSheet(QStringLiteral("QLabel { background: #fff3c4; color: #5a4300; padding: 3px; }"));

  page_ = new QStackedWidget(this);
  page_->setObjectName(QStringLiteral("previewPage"));
  pagePlaceholder_ = new QLabel(pageMode_ == PageView::Embedded ? tr("Start the preview server to see the project's page here.")
                                                                 : tr("The page view is off; open the page in a browser."),
                                this);
  pagePlaceholder_->setAlignment(Qt::AlignCenter);
  pagePlaceholder_->setWordWrap(true);
  page_->addWidget(pagePlaceholder_);

  errors_ = new QTextBrowser(this);
  errors_->setObjectName(QStringLiteral("previewErrors"));
  errors_->setOpenLinks(false);
  errors_->setVisible(false);
  connect(errors_, &QTextBrowser::anchorClicked, this, [this](const QUrl& link) {
    bool ok = false;
    int i = link.toString().section(QLatin1Char(':'), 1).toInt(&ok);
    if (ok && i >= 0 && i < links_.size() && links_[i].valid()) Q_EMIT openLocation(links_[i]);
  });

  table_ = new QTableView(this);
  table_->setObjectName(QStringLiteral("requestLogView"));
  table_->setModel(&log_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setWordWrap(false);
  table_->setColumnWidth(RequestLogModel::Index, 40);
  table_->setColumnWidth(RequestLogModel::Method, 60);
  table_->setColumnWidth(RequestLogModel::Path, 220);
  table_->setColumnWidth(RequestLogModel::Status, 64);
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& cur) { onRowChanged(cur.row()); });

  output_ = new QPlainTextEdit(this);
  output_->setObjectName(QStringLiteral("previewOutput"));
  output_->setReadOnly(true);
  output_->setMaximumBlockCount(kMaxOutputBlocks);
  output_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  tabs_ = new QTabWidget(this);
  tabs_->setObjectName(QStringLiteral("previewTabs"));
  tabs_->setDocumentMode(true);
  tabs_->addTab(table_, tr("Requests"));
  tabs_->addTab(output_, tr("Output"));

  split_ = new QSplitter(Qt::Vertical, this);
  split_->setObjectName(QStringLiteral("previewSplitter"));
  split_->addWidget(page_);
  split_->addWidget(errors_);
  split_->addWidget(tabs_);
  split_->setStretchFactor(0, 3);
  split_->setStretchFactor(2, 1);
  split_->setSizes({360, 120, 220});  // the page first; the error view is hidden until needed

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(2);
  layout->addWidget(toolbar_);
  layout->addWidget(status_);
  layout->addWidget(modeNote_);
  layout->addWidget(split_, 1);

  connect(&bridge_, &PreviewBridge::started, this, &PreviewPanel::onStarted);
  connect(&bridge_, &PreviewBridge::stopped, this, &PreviewPanel::onStopped);
  connect(&bridge_, &PreviewBridge::requestStarted, this, &PreviewPanel::onRequestStarted);
  connect(&bridge_, &PreviewBridge::request, this, &PreviewPanel::onRequest);
  connect(&bridge_, &PreviewBridge::performed, this, &PreviewPanel::onPerformed);
  connect(&bridge_, &PreviewBridge::resumed, this, &PreviewPanel::onResumed);
  connect(&bridge_, &PreviewBridge::output, this, &PreviewPanel::onOutput);
  connect(&bridge_, &PreviewBridge::paused, this, &PreviewPanel::onPaused);

  setStatus(tr("No project to serve. Open a project folder whose files define `handler` (or call http-listen)."));
  urlLabel_->setText(tr("not serving"));
  updateActions();
}

PreviewPanel::~PreviewPanel() = default;

QAction* PreviewPanel::command(Command c) const { return actions_.value(int(c)); }

QList<QAction*> PreviewPanel::commands() const { return actions_; }

void PreviewPanel::setProject(const QString& root, const QStringList& files) {
  bool changed = root != root_ || files != files_;
  root_ = root;
  files_ = files;
  if (changed && serving_) stop();
  if (!serving_)
    setStatus(files_.isEmpty() ? tr("No project to serve: %1 has no .sx files.").arg(root_.isEmpty() ? tr("nothing is open") : root_)
                               : tr("Ready to serve %1 (%2 files). Press Start.").arg(QDir(root_).dirName()).arg(files_.size()));
  updateActions();
}

void PreviewPanel::setResolverMode(sx::ResolverMode mode) {
  mode_ = mode;
  bridge_.server().setResolverMode(mode);
  if (serving_) starting_ = true;  // restarted in the new mode: the next PreviewStarted reloads the page
}

void PreviewPanel::start() {
  if (files_.isEmpty()) {
    showStartError(tr("There is no project to serve: open a project folder first."));
    return;
  }
  if (port_ < 0 || port_ > 65535) {
    showStartError(tr("%1 is not a port: set a port from 1 to 65535, or 0 for a free one, in the preferences.").arg(port_));
    return;
  }
  sx::inspect::PreviewConfig config;
  config.root = root_.toStdString();
  config.port = uint16_t(port_);
  config.tier = tier_;
  for (const QString& f : files_) config.files.push_back(f.toStdString());
  config.mode = mode_;
  starting_ = true;
  hideError();
  setStatus(tr("Starting the preview server for %1…").arg(QDir(root_).dirName()));
  bridge_.server().start(std::move(config));
  updateActions();
}

void PreviewPanel::stop() {
  bridge_.server().stop();
  starting_ = false;
}

void PreviewPanel::reload() {
  if (!serving_) return start();
  starting_ = true;
  setStatus(tr("Reloading %1…").arg(QDir(root_).dirName()));
  bridge_.server().reload();
}

void PreviewPanel::openInBrowser() {
  if (url_.isValid() && serving_) QDesktopServices::openUrl(url_);
}

// The performs of requests still running (a paused one) stay.
void PreviewPanel::clearLog() {
  for (int r = 0; r < log_.rowCount(); ++r)
    if (log_.state(r) == RequestLogModel::State::Done || log_.state(r) == RequestLogModel::State::CutOff) forget(*log_.record(r));
  log_.clearFinished();
  output_->clear();
}

void PreviewPanel::fileSaved(const QString& path) {
  if (!serving_) return;
  QString saved = QFileInfo(path).canonicalFilePath();
  for (const QString& f : files_) {
    if (QFileInfo(f).canonicalFilePath() != saved) continue;
    reload();
    setStatus(tr("Reloading after saving %1…").arg(QFileInfo(path).fileName()));
    return;
  }
}

void PreviewPanel::shutdown() { bridge_.server().stop(); }

void PreviewPanel::onStarted(const sx::inspect::PreviewStarted& e) {
  session_ = e.session;
  url_ = QUrl(qs(e.url));
  starting_ = false;
  setServing(true);
  urlLabel_->setText(QStringLiteral("<a href=\"%1\">%1</a>").arg(url_.toString().toHtmlEscaped()));
  QString mode = QString::fromLatin1(sx::resolverModeName(e.mode));
  setStatus(tr("Serving %1 on port %2 in %3 mode (session %4).").arg(QDir(root_).dirName()).arg(e.port).arg(mode).arg(e.session));
  bool step = e.mode == sx::ResolverMode::Step;
  modeNote_->setText(step ? tr("<b>Step mode</b>: every request pauses at each perform (its fiber suspended, as in unwind mode); "
                               "answer it in the Suspensions panel. The page waits meanwhile.")
                          : QString());
  modeNote_->setVisible(step);
  ensurePageView();
  if (web_) {
    web_->setUrl(url_);
    page_->setCurrentWidget(web_);
  }
}

void PreviewPanel::onStopped(const sx::inspect::PreviewStopped& e) {
  if (e.session < session_) return;  // an earlier session's end, reported late
  session_ = e.session;
  log_.cutOff(e.session);
  // Nothing can answer a paused perform now: the suspensions panel drops its controls.
  for (TimelineEntry& entry : performs_) entry.paused = false;
  if (liveRequest_) showLive();
  pausedRequests_.clear();
  liveRequest_ = 0;
  bool wasStarting = starting_;
  starting_ = false;
  setServing(false);
  urlLabel_->setText(tr("not serving"));
  modeNote_->setVisible(false);
  pagePlaceholder_->setText(e.error.empty() ? tr("The preview server is stopped. Press Start to serve the project again.")
                                            : tr("The preview server could not serve the project: see the error below."));
  if (!e.error.empty() || !wasStarting) page_->setCurrentWidget(pagePlaceholder_);  // a restart keeps the page
  if (!e.error.empty()) {
    showStartError(qs(e.error));
    setStatus(tr("The preview server stopped: it could not serve %1.").arg(QDir(root_).dirName()));
  } else if (!wasStarting) {
    setStatus(tr("The preview server is stopped."));
  }
}

void PreviewPanel::onRequest(const sx::inspect::HttpRequestRecord& e) {
  int current = table_->currentIndex().row();
  bool atEnd = current == log_.rowCount() - 1 || current < 0;
  bool wasSelected = current >= 0 && current == log_.rowOf(e.session, e.request);
  QScrollBar* bar = table_->verticalScrollBar();
  bool following = bar->value() == bar->maximum();  // the view follows the log's end unless scrolled up
  if (auto dropped = log_.finish(e)) forget(*dropped);
  bool otherPaused = liveRequest_ && liveRequest_ != e.request;  // keep its controls in view
  if (e.diagnostic || !e.error.empty()) {
    showHandlerError(e);
    if (atEnd && !wasSelected && !otherPaused) table_->selectRow(log_.rowCount() - 1);
  }
  if (wasSelected && !otherPaused) onRowChanged(current);  // its row in progress became the record
  if (following) table_->scrollToBottom();
  // Last, so a request still paused keeps the suspensions panel and its controls.
  if (e.session == session_) {
    pausedRequests_.remove(e.request);
    if (e.request && e.request == liveRequest_) endLive();
  }
}

void PreviewPanel::onRequestStarted(const sx::inspect::HttpRequestStarted& e) {
  QScrollBar* bar = table_->verticalScrollBar();
  bool following = bar->value() == bar->maximum();
  if (auto dropped = log_.begin(e)) forget(*dropped);
  if (following) table_->scrollToBottom();
}

void PreviewPanel::onPerformed(const sx::inspect::PreviewPerform& e) {
  performs_.insert(e.performed.perform, TimelineEntry{e.performed, std::nullopt, std::nullopt, false});
  sessionOf_.insert(e.performed.perform, e.session);
}

void PreviewPanel::onResumed(const sx::inspect::PreviewResume& e) {
  auto it = performs_.find(e.resumed.perform);
  if (it == performs_.end()) return;
  it->resumed = e.resumed;
  if (!it->paused) return;
  it->paused = false;
  if (e.session != session_) return;
  pausedRequests_.remove(e.resumed.run);
  log_.setPaused(e.session, e.resumed.run, false);
  if (e.resumed.run == liveRequest_) showLive();
}

void PreviewPanel::onPaused(const sx::inspect::PreviewPaused& e) {
  auto it = performs_.find(e.perform);
  if (it == performs_.end() || e.session != session_) return;
  it->paused = true;
  pausedRequests_.insert(e.request, e.perform);
  log_.setPaused(e.session, e.request, true);
  if (!liveRequest_) liveRequest_ = e.request;
  if (!e.error.empty()) setStatus(tr("The value for perform #%1 was not used: %2").arg(e.perform).arg(qs(e.error).toHtmlEscaped()));
  else if (e.request == liveRequest_)
    setStatus(tr("Request #%1 is paused at perform #%2 (%3): <a href=\"live\">answer it</a> in the Suspensions panel.")
                  .arg(e.request)
                  .arg(e.perform)
                  .arg(qs(it->performed.op)));
  if (e.request == liveRequest_) showLive();
}

// The live request's performs so far, to the suspensions panel.
void PreviewPanel::showLive() {
  int row = log_.rowOf(session_, liveRequest_);
  const sx::inspect::HttpRequestRecord* r = log_.record(row);
  QString what = r ? QStringLiteral("%1 %2").arg(qs(r->method), qs(r->path)) : tr("Request");
  Q_EMIT requestSelected(tr("%1 (request #%2, in progress, step mode)").arg(what).arg(liveRequest_), entriesSoFar(session_, liveRequest_));
}

// The performs recorded so far for a request still running, in order.
std::vector<TimelineEntry> PreviewPanel::entriesSoFar(uint64_t session, uint64_t request) const {
  std::vector<TimelineEntry> entries;
  for (const TimelineEntry& e : std::as_const(performs_))
    if (e.performed.run == request && sessionOf_.value(e.performed.perform) == session) entries.push_back(e);
  std::sort(entries.begin(), entries.end(), [](const TimelineEntry& a, const TimelineEntry& b) { return a.performed.perform < b.performed.perform; });
  return entries;
}

// The live request finished: the oldest other paused request goes live.
void PreviewPanel::endLive() {
  if (!liveRequest_) return;
  liveRequest_ = 0;
  if (pausedRequests_.isEmpty()) {
    if (serving_) setStatus(tr("Serving in step mode: no request is paused."));
    return;
  }
  liveRequest_ = *std::min_element(pausedRequests_.keyBegin(), pausedRequests_.keyEnd());  // the oldest
  showLive();
}

void PreviewPanel::onOutput(const sx::inspect::PreviewOutput& e) {
  output_->moveCursor(QTextCursor::End);
  output_->insertPlainText(qs(e.text));
  output_->moveCursor(QTextCursor::End);
}

std::vector<TimelineEntry> PreviewPanel::entriesOf(const sx::inspect::HttpRequestRecord& r) const {
  std::vector<TimelineEntry> out;
  out.reserve(r.performs.size());
  for (uint64_t id : r.performs) {
    auto it = performs_.find(id);
    if (it != performs_.end()) out.push_back(*it);
  }
  return out;
}

void PreviewPanel::onRowChanged(int row) {
  const sx::inspect::HttpRequestRecord* r = log_.record(row);
  if (!r) return;
  RequestLogModel::State state = log_.state(row);
  if (state != RequestLogModel::State::Done) {
    hideError();
    if (state == RequestLogModel::State::Paused && r->session == session_) {
      liveRequest_ = r->request;  // its controls answer it
      showLive();
      return;
    }
    Q_EMIT requestSelected(tr("%1 %2 (request #%3, %4)")
                               .arg(qs(r->method), qs(r->path))
                               .arg(r->request)
                               .arg(state == RequestLogModel::State::CutOff ? tr("cut off by a stop") : tr("in progress")),
                           entriesSoFar(r->session, r->request));
    return;
  }
  if (r->diagnostic || !r->error.empty()) showHandlerError(*r);
  else hideError();
  QString title = tr("%1 %2 → %3 (request #%4, %5 ms)")
                      .arg(qs(r->method), qs(r->path))
                      .arg(r->status)
                      .arg(r->request)
                      .arg(r->elapsedMs, 0, 'f', 1);
  if (!r->request) title += tr(": answered by the server itself, no handler ran");
  Q_EMIT requestSelected(title, entriesOf(*r));
}

void PreviewPanel::ensurePageView() {
  if (web_ || pageMode_ != PageView::Embedded) return;
  web_ = new QWebEngineView(page_);
  web_->setObjectName(QStringLiteral("previewWebView"));
  page_->addWidget(web_);
}

void PreviewPanel::showHandlerError(const sx::inspect::HttpRequestRecord& r) {
  links_.clear();
  QString html = tr("<p><b>Handler error</b> in %1 %2 → %3</p>")
                     .arg(qs(r.method).toHtmlEscaped(), qs(r.path).toHtmlEscaped())
                     .arg(r.status);
  if (r.diagnostic) {
    const sx::Diagnostic& d = *r.diagnostic;
    html += QStringLiteral("<p><b>error [%1]:</b> %2</p>")
                .arg(QString::fromLatin1(sx::errorCodeName(d.code)), qs(d.message).toHtmlEscaped());
    if (!d.sourceLine.empty()) html += QStringLiteral("<pre>%1</pre>").arg(qs(d.sourceLine).toHtmlEscaped());
    html += QStringLiteral("<ul>");
    for (const sx::StackFrameInfo& f : d.stack) {
      Location at{qs(f.file), int(f.line), int(f.col)};
      QString fn = f.function.empty() ? tr("&lt;top level&gt;") : qs(f.function).toHtmlEscaped();
      QString tier = f.tier.empty() ? QString() : QStringLiteral(" [%1]").arg(qs(f.tier));
      if (at.valid()) {
        html += QStringLiteral("<li>at %1%2 (<a href=\"loc:%3\">%4</a>)</li>").arg(fn, tier).arg(links_.size()).arg(where(at).toHtmlEscaped());
        links_.push_back(at);
      } else {
        html += QStringLiteral("<li>at %1%2</li>").arg(fn, tier);
      }
    }
    html += QStringLiteral("</ul>");
  } else {
    html += QStringLiteral("<p>%1</p>").arg(qs(r.error).toHtmlEscaped());
  }
  errors_->setHtml(html);
  errors_->setVisible(true);
}

// A load error's text, with every `file.sx:line:col` in it a link.
void PreviewPanel::showStartError(const QString& error) {
  links_.clear();
  QString body;
  int last = 0;
  auto it = locationPattern().globalMatch(error);
  while (it.hasNext()) {
    QRegularExpressionMatch m = it.next();
    body += error.mid(last, m.capturedStart() - last).toHtmlEscaped();
    QString file = m.captured(1);
    if (QFileInfo(file).isRelative() && !root_.isEmpty()) file = QDir(root_).filePath(file);
    links_.push_back(Location{file, m.captured(2).toInt(), m.captured(3).toInt()});
    body += QStringLiteral("<a href=\"loc:%1\">%2</a>").arg(links_.size() - 1).arg(m.captured(0).toHtmlEscaped());
    last = int(m.capturedEnd());
  }
  body += error.mid(last).toHtmlEscaped();
  errors_->setHtml(tr("<p><b>The preview server could not serve the project.</b></p><pre>%1</pre>").arg(body));
  errors_->setVisible(true);
}

void PreviewPanel::hideError() {
  links_.clear();
  errors_->clear();
  errors_->setVisible(false);
}

void PreviewPanel::setServing(bool serving) {
  bool changed = serving_ != serving;
  serving_ = serving;
  updateActions();
  if (changed) Q_EMIT servingChanged(serving_);
}

void PreviewPanel::setStatus(const QString& text) { status_->setText(text); }

QString PreviewPanel::statusText() const { return status_->text(); }

QString PreviewPanel::modeNoteText() const { return modeNote_->isHidden() ? QString() : modeNote_->text(); }

void PreviewPanel::updateActions() {
  bool project = !files_.isEmpty();
  command(Command::Start)->setEnabled(project && !serving_);
  command(Command::Stop)->setEnabled(serving_);
  command(Command::Reload)->setEnabled(project && serving_);
  command(Command::OpenBrowser)->setEnabled(serving_);
}

// A request that left the log takes its performs with it (a request that never finished
// has them by its id only).
void PreviewPanel::forget(const sx::inspect::HttpRequestRecord& r) {
  for (uint64_t id : r.performs) {
    performs_.remove(id);
    sessionOf_.remove(id);
  }
  if (!r.performs.empty() || !r.request) return;
  for (const TimelineEntry& e : entriesSoFar(r.session, r.request)) {
    performs_.remove(e.performed.perform);
    sessionOf_.remove(e.performed.perform);
  }
}

PanelLayout PreviewPanel::layout() const { return PanelLayout{1, {split_}, {table_->horizontalHeader()}}; }

QByteArray PreviewPanel::saveState() const { return layout().save(); }

void PreviewPanel::restoreState(const QByteArray& state) { layout().restore(state); }

}  // namespace sxs
