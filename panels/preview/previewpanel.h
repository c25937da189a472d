// The preview panel: the open project served by the preview server (its own isolate on
// worker threads), its URL and port, the page in an embedded QWebEngineView (or in the
// desktop's browser), and the request log — method, path, status, time, performs and
// suspensions of every request. Selecting a request sends its performs, with the fiber's
// stacks, to the suspensions panel; a handler error (or a project that fails to load, a
// port in use) is shown above the log with its stack frames as links to the source; the
// server's printed output has a tab beside the log.
// Saving a file of the project while the server runs reloads it. In step mode each request
// pauses at every perform: the paused request's timeline goes to the suspensions panel
// live, whose step controls answer it.
#pragma once

#include <QHash>
#include <QList>
#include <QUrl>
#include <QWidget>
#include <vector>

#include "common/location.h"
#include "inspect/preview.h"
#include "preview/requestlogmodel.h"
#include "suspensions/timelinemodel.h"

class QAction;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTextBrowser;
class QToolBar;
class QWebEngineView;

namespace sxs {

struct PanelLayout;

class PreviewBridge;

class PreviewPanel : public QWidget {
  Q_OBJECT

 public:
  // Embedded: the page is shown in a QWebEngineView, made when the server first starts.
  // None: no page view (the log and errors only; tests that need no browser engine).
  enum class PageView { Embedded, None };

  // The panel's commands, each a QAction with a stable dotted id (objectName).
  enum class Command { Start, Stop, Reload, OpenBrowser, ClearLog };

  PreviewPanel(PreviewBridge& bridge, PageView pageView = PageView::Embedded, QWidget* parent = nullptr);
  ~PreviewPanel() override;

  QAction* command(Command c) const;
  QList<QAction*> commands() const;

  // The project to serve (its folder and .sx files in load order); an empty list: none.
  void setProject(const QString& root, const QStringList& files);
  // The resolver mode requests run in; a running server restarts in it.
  void setResolverMode(sx::ResolverMode mode);
  // The port to serve on from the next start (0: a free one each time).
  void setPort(int port) { port_ = port; }
  // The tier the server's isolate runs lambdas in (from the next start).
  void setTier(sx::Tier tier) { tier_ = tier; }

  bool serving() const { return serving_; }
  QUrl url() const { return url_; }
  RequestLogModel& log() { return log_; }
  QTableView* logView() const { return table_; }
  QWebEngineView* pageView() const { return web_; }
  QTextBrowser* errorView() const { return errors_; }
  // What the server's isolate printed (println, print, the log op) and server failures.
  QPlainTextEdit* outputView() const { return output_; }
  QString statusText() const;
  QString modeNoteText() const;
  // The source locations the error view links to, in link order.
  const QList<Location>& errorLinks() const { return links_; }
  // The timeline of a request's performs as the suspensions panel shows it.
  std::vector<TimelineEntry> entriesOf(const sx::inspect::HttpRequestRecord& r) const;

  QByteArray saveState() const;
  void restoreState(const QByteArray& state);

 public Q_SLOTS:
  void start();
  void stop();
  void reload();
  void openInBrowser();
  void clearLog();
  // A file was saved: reloads the server when it is one of the project's files.
  void fileSaved(const QString& path);
  // Stops the server and waits for its threads (the window is closing).
  void shutdown();

 Q_SIGNALS:
  void openLocation(const Location& where);
  // A request was selected, or the paused request (step mode) changed: its performs, for
  // the suspensions panel (an entry marked paused waits for PreviewServer::resume).
  void requestSelected(const QString& title, const std::vector<TimelineEntry>& entries);
  void servingChanged(bool serving);

 private:
  PanelLayout layout() const;
  void onStarted(const sx::inspect::PreviewStarted& e);
  void onStopped(const sx::inspect::PreviewStopped& e);
  void onRequestStarted(const sx::inspect::HttpRequestStarted& e);
  void onRequest(const sx::inspect::HttpRequestRecord& e);
  void onPerformed(const sx::inspect::PreviewPerform& e);
  void onResumed(const sx::inspect::PreviewResume& e);
  void onOutput(const sx::inspect::PreviewOutput& e);
  void onPaused(const sx::inspect::PreviewPaused& e);
  void showLive();
  std::vector<TimelineEntry> entriesSoFar(uint64_t session, uint64_t request) const;
  void endLive();
  void onRowChanged(int row);
  void ensurePageView();
  void showHandlerError(const sx::inspect::HttpRequestRecord& r);
  void showStartError(const QString& error);
  void hideError();
  void setServing(bool serving);
  void setStatus(const QString& text);
  void updateActions();
  void forget(const sx::inspect::HttpRequestRecord& r);

  PreviewBridge& bridge_;
  PageView pageMode_;
  RequestLogModel log_;
  QList<QAction*> actions_;
  QString root_;
  QStringList files_;
  sx::ResolverMode mode_ = sx::ResolverMode::Inline;
  int port_ = 0;
  sx::Tier tier_ = sx::Tier::Auto;
  bool serving_ = false;
  bool starting_ = false;
  uint64_t session_ = 0;
  QUrl url_;
  // Performs of requests in the log (and of requests not logged yet), by perform id.
  QHash<quint64, TimelineEntry> performs_;
  QHash<quint64, quint64> sessionOf_;  // perform id -> server session (request ids restart per session)
  QList<Location> links_;
  // Step mode: requests with a paused perform (request -> perform), and the one whose
  // timeline the suspensions panel shows live.
  QHash<quint64, quint64> pausedRequests_;
  uint64_t liveRequest_ = 0;

  QToolBar* toolbar_;
  QLabel* urlLabel_;
  QLabel* status_;
  QLabel* modeNote_;
  QSplitter* split_;
  QStackedWidget* page_;
  QLabel* pagePlaceholder_;
  QWebEngineView* web_ = nullptr;
  QTextBrowser* errors_;
  QTableView* table_;
  QPlainTextEdit* output_;
  QTabWidget* tabs_;
};

}  // namespace sxs
