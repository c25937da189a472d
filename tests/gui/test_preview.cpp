// The preview panel. With a fake server: the request log, the suspensions a request sends,
// handler errors with links, the step-mode note, the commands. With the real server
// (PreviewHost) on a small project: the page loads in the QWebEngineView and its DOM is
// read back, the request log shows the request with its performs and their stacks (also
// in the suspensions panel), a resolver mode change restarts the server, a handler error
// links to its source, saving a file reloads, step mode pauses a request at each perform,
// and a broken project or a port in use is an error in the panel. And the main window's
// wiring: actions, project, resolver mode, save, the suspensions panel's step controls.
#include <QtTest/QtTest>

#include <QAction>
#include <QDockWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QSettings>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QWebEngineView>

#include "common/inspectorbridge.h"
#include "editor/editorarea.h"
#include "mainwindow.h"
#include "settings.h"
#include "fake_inspector.h"
#include "fake_preview.h"
#include "inspect/preview_host.h"
#include "preview/previewbridge.h"
#include "preview/previewpanel.h"
#include "suspensions/suspensionspanel.h"

using namespace sxs;
using namespace sx::inspect;

Q_DECLARE_METATYPE(sxs::Location)
Q_DECLARE_METATYPE(sx::inspect::PreviewStopped)

namespace {

// The test project: "/" writes and reads the store (two performs), "/boom" raises in
// fail-here (line 4), anything else is a 404; every request prints its path.
const char* kApp =
    "(define (kv op &rest args) (perform {:op op :args args}))\n"
    "(define (page title body)\n"
    "  {:status 200 :headers {:content-type \"text/html; charset=utf-8\"} :body (str \"<html><head><title>\" title \"</title></head><body><p id=\\\"msg\\\">\" body \"</p></body></html>\")})\n"
    "(define (fail-here) (error \"preview boom\"))\n"
    "(define (handler request)\n"
    "  (let ((path (get request \"path\")))\n"
    "    (println (str \"serving \" path))\n"
    "    (cond (= path \"/\") (begin (kv \"kv-put\" \"greeting\" \"hello from the store\")\n"
    "                              (page \"TITLE\" (kv \"kv-get\" \"greeting\")))\n"
    "          (= path \"/boom\") (fail-here)\n"
    "          :else {:status 404 :body \"no route\"})))\n";

QString appText(const QString& title) { return QString::fromLatin1(kApp).replace(QStringLiteral("TITLE"), title); }

bool writeFile(const QString& path, const QString& text) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
  return f.write(text.toUtf8()) >= 0;
}

// The text JavaScript returns in the page (waits for the callback).
QString runJs(QWebEngineView* view, const QString& script) {
  QString result;
  bool done = false;
  view->page()->runJavaScript(script, [&](const QVariant& v) {
    result = v.toString();
    done = true;
  });
  if (!QTest::qWaitFor([&] { return done; }, 20000)) return QStringLiteral("<no answer>");
  return result;
}

int rowFor(const RequestLogModel& log, const QString& path, uint64_t session) {
  for (int r = log.rowCount() - 1; r >= 0; --r) {
    const HttpRequestRecord* rec = log.record(r);
    if (QString::fromStdString(rec->path) == path && rec->session == session) return r;
  }
  return -1;
}

FiberSnapshot oneFrame(const std::string& fn, uint32_t line) {
  FiberSnapshot s;
  FrameSnapshot f;
  f.kind = "VM";
  f.function = fn;
  f.tier = "vm";
  f.span = {"/tmp/app.sx", line, 3, 10};
  FrameSnapshot site;
  site.kind = "perform";
  site.span = f.span;
  s.frames = {std::make_shared<const FrameSnapshot>(f), std::make_shared<const FrameSnapshot>(site)};
  s.engineFrames = 1;
  return s;
}

}  // namespace

class TestPreview : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { qRegisterMetaType<sxs::Location>(); }

  // The panel with a fake server: commands, the log, suspensions, errors and links.
  void fakeServerLogAndErrors() {
    FakePreviewServer server;
    PreviewBridge bridge(server);
    PreviewPanel panel(bridge, PreviewPanel::PageView::None);
    FakeInspector engine;
    InspectorBridge engineBridge(engine);
    SuspensionsPanel suspensions(engineBridge);
    connect(&panel, &PreviewPanel::requestSelected, &suspensions, [&](const QString& title, const std::vector<TimelineEntry>& e) {
      suspensions.showTimeline(title, e, [&](uint64_t perform, const Resume& how) { server.resume(perform, how); });
    });

    QStringList ids;
    for (QAction* a : panel.commands()) ids << a->objectName();
    QCOMPARE(ids, (QStringList{"preview.start", "preview.stop", "preview.reload", "preview.openBrowser", "preview.clearLog"}));
    QVERIFY(!panel.command(PreviewPanel::Command::Start)->isEnabled());  // no project yet
    panel.start();
    QVERIFY(server.starts.empty());
    QVERIFY(panel.errorView()->isVisible() || !panel.errorView()->toPlainText().isEmpty());
    QVERIFY(panel.errorView()->toPlainText().contains("no project"));

    panel.setProject("/tmp/proj", {"/tmp/proj/lib.sx", "/tmp/proj/app.sx"});
    QVERIFY(panel.command(PreviewPanel::Command::Start)->isEnabled());
    panel.setResolverMode(sx::ResolverMode::Step);
    QCOMPARE(server.mode, sx::ResolverMode::Step);
    panel.setPort(70000);
    panel.start();
    QVERIFY(server.starts.empty());
    QVERIFY(panel.errorView()->toPlainText().contains("70000 is not a port"));
    panel.setPort(8123);
    panel.command(PreviewPanel::Command::Start)->trigger();
    QCOMPARE(server.starts.size(), size_t(1));
    QCOMPARE(server.starts[0].port, uint16_t(8123));
    QCOMPARE(server.starts[0].files, (std::vector<std::string>{"/tmp/proj/lib.sx", "/tmp/proj/app.sx"}));
    QCOMPARE(server.starts[0].root, std::string("/tmp/proj"));
    QCOMPARE(server.starts[0].mode, sx::ResolverMode::Step);

    server.emit(PreviewStarted{1, "http://127.0.0.1:4567/", 4567, sx::ResolverMode::Step, sx::ResolverMode::Step});
    QTRY_VERIFY(panel.serving());
    QCOMPARE(panel.url(), QUrl("http://127.0.0.1:4567/"));
    QVERIFY(panel.statusText().contains("4567"));
    QVERIFY2(panel.modeNoteText().contains("Step mode"), qPrintable(panel.modeNoteText()));
    QVERIFY(panel.command(PreviewPanel::Command::Stop)->isEnabled());
    QVERIFY(!panel.command(PreviewPanel::Command::Start)->isEnabled());

    // A request with two performs; the second resumed with a value.
    Performed p1{7, 41, "kv-get", "{:op \"kv-get\" :args (\"a\")}", sx::ResolverMode::Unwind, Resolver::HostOp, oneFrame("load-post", 5)};
    Performed p2{7, 42, "kv-put", "{:op \"kv-put\" :args (\"b\" 1)}", sx::ResolverMode::Unwind, Resolver::HostOp, oneFrame("save", 9)};
    Resumed r2;
    r2.run = 7;
    r2.perform = 42;
    r2.value = "true";
    r2.suspendedMs = 2.5;
    r2.stack = oneFrame("save", 9);
    r2.check.made = r2.check.agrees = true;
    r2.check.framesCompared = 1;
    server.emit(PreviewPerform{1, p1});
    server.emit(PreviewPerform{1, p2});
    server.emit(PreviewResume{1, r2});
    HttpRequestRecord ok;
    ok.session = 1;
    ok.request = 7;
    ok.method = "GET";
    ok.path = "/posts?x=1";
    ok.status = 200;
    ok.elapsedMs = 12.34;
    ok.ops = 2;
    ok.suspensions = 2;
    ok.performs = {41, 42};
    server.emit(ok);
    QTRY_COMPARE(panel.log().rowCount(), 1);
    auto cell = [&](int row, int col) { return panel.log().index(row, col).data().toString(); };
    QCOMPARE(cell(0, RequestLogModel::Method), QString("GET"));
    QCOMPARE(cell(0, RequestLogModel::Path), QString("/posts?x=1"));
    QCOMPARE(cell(0, RequestLogModel::Status), QString("200"));
    QCOMPARE(cell(0, RequestLogModel::Time), QString("12.3"));
    QCOMPARE(cell(0, RequestLogModel::Suspensions), QString("2"));
    QCOMPARE(panel.log().index(0, 0).data(RequestLogModel::RequestRole).toULongLong(), 7ull);

    QSignalSpy selected(&panel, &PreviewPanel::requestSelected);
    panel.logView()->selectRow(0);
    QCOMPARE(selected.size(), 1);
    QCOMPARE(suspensions.timeline().rowCount(), 2);
    QCOMPARE(suspensions.timeline().index(0, TimelineModel::Op).data().toString(), QString("kv-get"));
    QCOMPARE(suspensions.timeline().index(1, TimelineModel::Op).data().toString(), QString("kv-put"));
    QVERIFY(suspensions.statusText().contains("/posts?x=1"));
    suspensions.selectPerform(42);
    QVERIFY(suspensions.checkText().contains("agree"));
    QVERIFY(!panel.errorView()->isVisibleTo(&panel));

    // A handler error: shown with its frames as links; a link opens the source.
    HttpRequestRecord bad;
    bad.session = 1;
    bad.request = 8;
    bad.method = "GET";
    bad.path = "/boom";
    bad.status = 500;
    bad.error = "preview boom";
    sx::Diagnostic d;
    d.code = sx::ErrorCode::User;
    d.message = "preview boom";
    d.file = "/tmp/proj/app.sx";
    d.line = 4;
    d.col = 21;
    d.stack = {{"fail-here", "/tmp/proj/app.sx", 4, 21, "vm"}, {"handler", "/tmp/proj/app.sx", 9, 30, "vm"}};
    bad.diagnostic = d;
    server.emit(bad);
    QTRY_COMPARE(panel.log().rowCount(), 2);
    QVERIFY(panel.log().index(1, 0).data(RequestLogModel::FailedRole).toBool());
    QVERIFY(panel.errorView()->isVisibleTo(&panel));
    QVERIFY(panel.errorView()->toPlainText().contains("preview boom"));
    QCOMPARE(panel.errorLinks().size(), 2);
    QSignalSpy open(&panel, &PreviewPanel::openLocation);
    Q_EMIT panel.errorView()->anchorClicked(QUrl("loc:1"));
    QCOMPARE(open.size(), 1);
    Location at = open[0][0].value<Location>();
    QCOMPARE(at.file, QString("/tmp/proj/app.sx"));
    QCOMPARE(at.line, 9);
    QCOMPARE(at.column, 30);

    // Step mode: a paused request goes to the suspensions panel live; its controls answer
    // through the preview server.
    int rows = panel.log().rowCount();
    server.emit(HttpRequestStarted{1, 9, "GET", "/slow"});
    QTRY_COMPARE(panel.log().rowCount(), rows + 1);
    QCOMPARE(panel.log().index(rows, RequestLogModel::Status).data().toString(), QString("running"));
    Performed p3{9, 43, "kv-get", "{:op \"kv-get\" :args (\"c\")}", sx::ResolverMode::Step, Resolver::HostOp, oneFrame("show", 12)};
    server.emit(PreviewPerform{1, p3});
    server.emit(PreviewPaused{1, 9, 43, {}});
    QTRY_COMPARE(suspensions.pausedPerform(), std::optional<uint64_t>(43));
    QVERIFY(panel.statusText().contains("paused at perform #43"));
    QCOMPARE(panel.log().index(rows, RequestLogModel::Status).data().toString(), QString("paused"));
    QCOMPARE(panel.log().state(rows), RequestLogModel::State::Paused);
    suspensions.resumeWithValue("\"edited\"");
    QCOMPARE(server.resumes.size(), size_t(1));
    QCOMPARE(server.resumes[0].perform, uint64_t(43));
    QCOMPARE(server.resumes[0].how.choice, ResumeChoice::Value);
    QCOMPARE(server.resumes[0].how.valueText, std::string("\"edited\""));
    QCOMPARE(engine.resumes.size(), size_t(0));  // never to the console's engine
    server.emit(PreviewPaused{1, 9, 43, "resume value: unexpected end of input"});
    QTRY_VERIFY(panel.statusText().contains("was not used"));
    QCOMPARE(suspensions.pausedPerform(), std::optional<uint64_t>(43));  // still paused
    Resumed r3;
    r3.run = 9;
    r3.perform = 43;
    r3.how = ResumeChoice::Value;
    r3.value = "\"edited\"";
    server.emit(PreviewResume{1, r3});
    QTRY_VERIFY(!suspensions.pausedPerform().has_value());
    QCOMPARE(suspensions.timeline().entry(0)->resumed->how, ResumeChoice::Value);
    QCOMPARE(panel.log().state(rows), RequestLogModel::State::Running);
    HttpRequestRecord slow;
    slow.session = 1;
    slow.request = 9;
    slow.method = "GET";
    slow.path = "/slow";
    slow.status = 200;
    slow.performs = {43};
    server.emit(slow);
    QTRY_COMPARE(panel.log().state(rows), RequestLogModel::State::Done);
    QCOMPARE(panel.log().rowCount(), rows + 1);  // the row in progress became the record
    QCOMPARE(panel.log().index(rows, RequestLogModel::Status).data().toString(), QString("200"));

    // Two requests paused: the first paused is shown; when it finishes, the other one.
    server.emit(HttpRequestStarted{1, 11, "GET", "/a"});
    server.emit(HttpRequestStarted{1, 12, "GET", "/b"});
    Performed pb{12, 50, "kv-get", "{:op \"kv-get\" :args (\"b\")}", sx::ResolverMode::Step, Resolver::HostOp, oneFrame("b", 3)};
    Performed pa{11, 51, "kv-get", "{:op \"kv-get\" :args (\"a\")}", sx::ResolverMode::Step, Resolver::HostOp, oneFrame("a", 4)};
    server.emit(PreviewPerform{1, pb});
    server.emit(PreviewPaused{1, 12, 50, {}});
    server.emit(PreviewPerform{1, pa});
    server.emit(PreviewPaused{1, 11, 51, {}});
    QTRY_COMPARE(suspensions.pausedPerform(), std::optional<uint64_t>(50));
    QCOMPARE(panel.log().state(panel.log().rowOf(1, 11)), RequestLogModel::State::Paused);
    // Selecting the other paused request brings its controls.
    panel.logView()->selectRow(panel.log().rowOf(1, 11));
    QCOMPARE(suspensions.pausedPerform(), std::optional<uint64_t>(51));
    panel.logView()->selectRow(panel.log().rowOf(1, 12));
    QCOMPARE(suspensions.pausedPerform(), std::optional<uint64_t>(50));
    HttpRequestRecord b;
    b.session = 1;
    b.request = 12;
    b.method = "GET";
    b.path = "/b";
    b.status = 500;
    b.error = "aborted";
    b.performs = {50};
    server.emit(b);  // aborted elsewhere: request 11 goes live
    QTRY_COMPARE(suspensions.pausedPerform(), std::optional<uint64_t>(51));
    server.emit(HttpRequestStarted{1, 10, "GET", "/never"});  // still running when the log is cleared

    // Saving a project file reloads; another file does not.
    QTemporaryDir dir;
    QString lib = dir.filePath("lib.sx"), other = dir.filePath("notes.sx");
    QVERIFY(writeFile(lib, "1") && writeFile(other, "2"));
    panel.setProject(dir.path(), {lib});  // a new project: the running server is stopped
    QCOMPARE(server.stops, 1);
    server.emit(PreviewStopped{1, ""});
    QTRY_VERIFY(!panel.serving());
    server.emit(PreviewStarted{2, "http://127.0.0.1:4568/", 4568, sx::ResolverMode::Inline, sx::ResolverMode::Inline});
    QTRY_VERIFY(panel.serving());
    QVERIFY(panel.modeNoteText().isEmpty());
    panel.fileSaved(other);
    QCOMPARE(server.reloads, 0);
    panel.fileSaved(lib);
    QCOMPARE(server.reloads, 1);

    // A start that failed: the reason, with its source location a link.
    server.emit(PreviewStopped{3, "lib.sx:3:7: error [reader]: unexpected )"});
    QTRY_VERIFY(!panel.serving());
    QVERIFY(panel.errorView()->toPlainText().contains("unexpected )"));
    QCOMPARE(panel.errorLinks().size(), 1);
    QCOMPARE(panel.errorLinks()[0].file, QDir(dir.path()).filePath("lib.sx"));
    QCOMPARE(panel.errorLinks()[0].line, 3);
    QVERIFY(panel.statusText().contains("could not serve"));

    QCOMPARE(panel.log().state(panel.log().rowCount() - 1), RequestLogModel::State::CutOff);  // its server stopped
    panel.clearLog();
    QCOMPARE(panel.log().rowCount(), 0);
  }

  // The real server on a small project, and the page in the embedded browser.
  void realServerAnswersAndLogsSuspensions() {
    QTemporaryDir dir;
    QString app = dir.filePath("app.sx");
    QVERIFY(writeFile(app, appText("SX preview")));
    PreviewHost host;
    PreviewBridge bridge(host);
    PreviewPanel panel(bridge, PreviewPanel::PageView::Embedded);
    panel.resize(900, 700);
    panel.show();
    FakeInspector engine;
    InspectorBridge engineBridge(engine);
    SuspensionsPanel suspensions(engineBridge);
    connect(&panel, &PreviewPanel::requestSelected, &suspensions, [&](const QString& title, const std::vector<TimelineEntry>& e) {
      suspensions.showTimeline(title, e, [&](uint64_t perform, const Resume& how) { host.resume(perform, how); });
    });

    panel.setProject(dir.path(), {app});
    panel.setResolverMode(sx::ResolverMode::Inline);
    panel.start();
    QTRY_VERIFY_WITH_TIMEOUT(panel.serving(), 20000);
    QVERIFY(host.running());
    QVERIFY(panel.url().port() > 0);
    QWebEngineView* web = panel.pageView();
    QVERIFY(web);
    QSignalSpy loaded(web, &QWebEngineView::loadFinished);
    QVERIFY(loaded.wait(30000) || !loaded.isEmpty());
    QCOMPARE(loaded.last()[0].toBool(), true);
    QCOMPARE(runJs(web, "document.title"), QString("SX preview"));
    QCOMPARE(runJs(web, "document.getElementById('msg').textContent"), QString("hello from the store"));
    QTRY_VERIFY2(panel.outputView()->toPlainText().contains("serving /\n"), qPrintable(panel.outputView()->toPlainText()));

    // The request log: GET / with its two performs, their stacks, in inline mode.
    uint64_t session = panel.log().rowCount() ? panel.log().record(0)->session : 0;
    QTRY_VERIFY_WITH_TIMEOUT((session = panel.log().rowCount() ? panel.log().record(0)->session : 0) != 0, 10000);
    int row = rowFor(panel.log(), "/", session);
    QVERIFY(row >= 0);
    const HttpRequestRecord* rec = panel.log().record(row);
    QCOMPARE(rec->method, std::string("GET"));
    QCOMPARE(rec->status, 200);
    QCOMPARE(rec->ops, 2u);
    QCOMPARE(rec->suspensions, 0u);  // inline: answered in place
    QCOMPARE(rec->performs.size(), size_t(2));
    panel.logView()->selectRow(row);
    QCOMPARE(suspensions.timeline().rowCount(), 2);
    const TimelineEntry* put = suspensions.timeline().entry(0);
    QCOMPARE(put->performed.op, std::string("kv-put"));
    QCOMPARE(put->performed.mode, sx::ResolverMode::Inline);
    QVERIFY(put->performed.request.find("greeting") != std::string::npos);
    QVERIFY(!put->performed.stack.frames.empty());
    const TimelineEntry* get = suspensions.timeline().entry(1);
    QCOMPARE(get->performed.op, std::string("kv-get"));
    QVERIFY(get->resumed.has_value());
    QCOMPARE(*get->resumed->value, std::string("\"hello from the store\""));
    QVERIFY2(get->resumed->check.agrees, get->resumed->check.describe().c_str());
    bool inHandler = false;
    for (const FrameRef& f : get->performed.stack.frames) inHandler |= f->function == "handler" || f->function == "kv";
    QVERIFY(inHandler);

    // Unwind mode: the server restarts, the page reloads, the fiber suspends at each perform.
    loaded.clear();
    panel.setResolverMode(sx::ResolverMode::Unwind);
    QTRY_VERIFY_WITH_TIMEOUT(rowFor(panel.log(), "/", session + 1) >= 0, 30000);
    rec = panel.log().record(rowFor(panel.log(), "/", session + 1));
    QCOMPARE(rec->suspensions, 2u);
    QCOMPARE(panel.entriesOf(*rec).size(), size_t(2));
    QCOMPARE(panel.entriesOf(*rec)[0].performed.mode, sx::ResolverMode::Unwind);
    QVERIFY(panel.entriesOf(*rec)[1].resumed->check.agrees);
    QVERIFY(panel.modeNoteText().isEmpty());

    // A handler error: 500 in the log, the error above it with links into app.sx.
    web->setUrl(panel.url().resolved(QUrl("boom")));
    QTRY_VERIFY_WITH_TIMEOUT(rowFor(panel.log(), "/boom", session + 1) >= 0, 30000);
    rec = panel.log().record(rowFor(panel.log(), "/boom", session + 1));
    QCOMPARE(rec->status, 500);
    QVERIFY(rec->diagnostic.has_value());
    QVERIFY(panel.errorView()->toPlainText().contains("preview boom"));
    QVERIFY(!panel.errorLinks().isEmpty());
    QCOMPARE(QFileInfo(panel.errorLinks()[0].file).fileName(), QString("app.sx"));
    QCOMPARE(panel.errorLinks()[0].line, 4);

    // Saving the project's file reloads the server with the new text.
    QVERIFY(writeFile(app, appText("SX preview v2")));
    loaded.clear();
    panel.fileSaved(app);
    QTRY_VERIFY_WITH_TIMEOUT(rowFor(panel.log(), "/", session + 2) >= 0, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(runJs(web, "document.title"), QString("SX preview v2"), 20000);

    // Step mode: the restarted server's page load pauses at kv-put, then at kv-get, each
    // answered from the suspensions panel; the edited value is what the page shows.
    loaded.clear();
    panel.setResolverMode(sx::ResolverMode::Step);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.modeNoteText().isEmpty(), 20000);
    QVERIFY(panel.modeNoteText().contains("Step mode"));
    auto pausedOp = [&]() -> std::string {
      auto p = suspensions.pausedPerform();
      int r = p ? suspensions.timeline().rowOf(*p) : -1;
      return r >= 0 ? suspensions.timeline().entry(r)->performed.op : std::string();
    };
    QTRY_COMPARE_WITH_TIMEOUT(pausedOp(), std::string("kv-put"), 30000);
    QVERIFY(loaded.isEmpty());  // the page waits for the request
    int pausedRow = rowFor(panel.log(), "/", session + 3);
    QVERIFY(pausedRow >= 0);
    QCOMPARE(panel.log().state(pausedRow), RequestLogModel::State::Paused);
    suspensions.resumeWithResolver();
    QTRY_COMPARE_WITH_TIMEOUT(pausedOp(), std::string("kv-get"), 20000);
    QCOMPARE(suspensions.timeline().rowCount(), 2);
    suspensions.resumeWithValue("(oops");  // does not read: still paused, and said so
    QTRY_VERIFY_WITH_TIMEOUT(panel.statusText().contains("was not used"), 20000);
    QCOMPARE(pausedOp(), std::string("kv-get"));
    suspensions.resumeWithValue("\"edited in step mode\"");
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 30000);
    QCOMPARE(runJs(web, "document.getElementById('msg').textContent"), QString("edited in step mode"));
    QTRY_VERIFY_WITH_TIMEOUT(rowFor(panel.log(), "/", session + 3) >= 0, 20000);
    rec = panel.log().record(rowFor(panel.log(), "/", session + 3));
    QCOMPARE(rec->status, 200);
    QCOMPARE(panel.entriesOf(*rec).size(), size_t(2));
    QCOMPARE(panel.entriesOf(*rec)[0].resumed->how, ResumeChoice::Resolver);
    QCOMPARE(panel.entriesOf(*rec)[1].resumed->how, ResumeChoice::Value);
    QCOMPARE(*panel.entriesOf(*rec)[1].resumed->value, std::string("\"edited in step mode\""));

    // Abort: the request ends with an error page, and the log says why.
    web->reload();
    QTRY_COMPARE_WITH_TIMEOUT(pausedOp(), std::string("kv-put"), 30000);
    int abortedRow = rowFor(panel.log(), "/", session + 3);
    QCOMPARE(panel.log().state(abortedRow), RequestLogModel::State::Paused);
    suspensions.abortRun();
    QTRY_VERIFY_WITH_TIMEOUT(panel.log().record(abortedRow)->status == 500, 20000);
    QVERIFY(panel.log().record(abortedRow)->error.find("aborted") != std::string::npos);
    QTRY_VERIFY(!suspensions.pausedPerform().has_value());

    // Stopping while a request is paused: the threads end, the step controls go.
    web->reload();
    QTRY_COMPARE_WITH_TIMEOUT(pausedOp(), std::string("kv-put"), 30000);

    int cutRow = rowFor(panel.log(), "/", session + 3);  // the latest request for the page
    QCOMPARE(panel.log().state(cutRow), RequestLogModel::State::Paused);
    panel.stop();
    QTRY_VERIFY(!panel.serving());
    QVERIFY(!host.running());
    QTRY_VERIFY(!suspensions.pausedPerform().has_value());
    QCOMPARE(panel.log().state(cutRow), RequestLogModel::State::CutOff);
  }

  // The main window gives the panel its project, resolver mode and saves, and routes a
  // paused request's answer from the Run menu's step actions to the preview server.
  void mainWindowWiresThePreview() {
    QTemporaryDir settingsDir, projectDir;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
    QString app = projectDir.filePath("app.sx");
    QVERIFY(writeFile(app, appText("wired")));
    FakeInspector engine;
    FakePreviewServer server;
    Settings settings;
    settings.set(Pref::LoadProjectOnOpen, false);
    settings.set(Pref::PreviewPort, 8765);
    {
      MainWindow w(engine, settings, &server);
      w.restoreSession(false);
      w.show();
      QVERIFY(w.dock(DockId::Preview));
      QCOMPARE(w.dock(DockId::Preview)->objectName(), QString("previewDock"));
      QAction* start = w.actions().find("preview.start");
      QVERIFY(start && !start->isEnabled());
      QVERIFY(w.openPath(projectDir.path()));
      QVERIFY(start->isEnabled());
      w.setResolverMode(sx::ResolverMode::Step);
      QCOMPARE(server.mode, sx::ResolverMode::Step);
      QCOMPARE(engine.mode, sx::ResolverMode::Step);
      start->trigger();
      QCOMPARE(server.starts.size(), size_t(1));
      QCOMPARE(server.starts[0].files, std::vector<std::string>{QFileInfo(app).canonicalFilePath().toStdString()});
      QCOMPARE(server.starts[0].port, uint16_t(8765));  // the preference
      server.emit(PreviewStarted{1, "http://127.0.0.1:4999/", 4999, sx::ResolverMode::Step, sx::ResolverMode::Step});
      QTRY_VERIFY(w.preview()->serving());
      QVERIFY(w.actions().find("preview.stop")->isEnabled());

      Performed p{1, 5, "kv-put", "{:op \"kv-put\" :args (\"k\" 1)}", sx::ResolverMode::Step, Resolver::HostOp, oneFrame("handler", 7)};
      server.emit(PreviewPerform{1, p});
      server.emit(PreviewPaused{1, 1, 5, {}});
      QTRY_COMPARE(w.suspensions()->pausedPerform(), std::optional<uint64_t>(5));
      QVERIFY(w.action(ActionId::StepResume)->isEnabled());
      w.action(ActionId::StepResume)->trigger();
      QCOMPARE(server.resumes.size(), size_t(1));
      QCOMPARE(server.resumes[0].perform, uint64_t(5));
      QCOMPARE(server.resumes[0].how.choice, ResumeChoice::Resolver);
      QVERIFY(engine.resumes.empty());

      // Saving the project's file reloads the server.
      QVERIFY(w.editors()->openFile(app));
      QVERIFY(w.editors()->saveCurrent());
      QCOMPARE(server.reloads, 1);
      w.close();  // stops the server
      QVERIFY(server.stops >= 1);
    }
  }

  // A project that fails to load and a port in use: errors in the panel, no crash.
  void badProjectAndPortInUse() {
    QTemporaryDir dir;
    QString app = dir.filePath("app.sx");
    QVERIFY(writeFile(app, "(define (handler r) \"ok\")\n(define x (car 5))\n"));
    PreviewHost host;
    PreviewBridge bridge(host);
    PreviewPanel panel(bridge, PreviewPanel::PageView::None);
    panel.setProject(dir.path(), {app});
    panel.start();
    QTRY_VERIFY_WITH_TIMEOUT(panel.errorView()->isVisibleTo(&panel), 20000);
    QVERIFY(!panel.serving());
    QVERIFY2(panel.errorView()->toPlainText().contains("app.sx"), qPrintable(panel.errorView()->toPlainText()));
    QVERIFY(!panel.errorLinks().isEmpty());
    QCOMPARE(panel.errorLinks()[0].line, 2);

    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost));
    QVERIFY(writeFile(app, "(define (handler r) \"ok\")\n"));
    QSignalSpy stopped(&bridge, &PreviewBridge::stopped);
    PreviewConfig config;
    config.root = dir.path().toStdString();
    config.files = {app.toStdString()};
    config.port = taken.serverPort();
    host.start(config);
    QTRY_VERIFY_WITH_TIMEOUT(!stopped.isEmpty(), 20000);
    QVERIFY(!panel.serving());
    QVERIFY2(panel.errorView()->toPlainText().contains("cannot listen"), qPrintable(panel.errorView()->toPlainText()));

    // A store that cannot be opened (it opens at its first use): the request that uses it
    // is a handler error in the log, and the server serves on.
    QVERIFY(writeFile(app, "(define (handler r) (str (perform {:op \"kv-get\" :args (list \"k\")})))\n"));
    config.port = 0;
    config.dataDir = "/proc/sx-no-such-folder/data";
    host.start(config);
    QTRY_VERIFY_WITH_TIMEOUT(panel.serving(), 20000);
    QNetworkAccessManager net;
    std::unique_ptr<QNetworkReply> reply(net.get(QNetworkRequest(panel.url())));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 20000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 500);
    QTRY_VERIFY_WITH_TIMEOUT(panel.log().rowCount() > 0 && panel.log().record(panel.log().rowCount() - 1)->status == 500, 20000);
    QVERIFY2(panel.log().record(panel.log().rowCount() - 1)->error.find("data directory") != std::string::npos,
             panel.log().record(panel.log().rowCount() - 1)->error.c_str());
    QVERIFY(panel.errorView()->toPlainText().contains("data directory"));
    host.stop();
    QTRY_VERIFY(!panel.serving());

    // A project whose load never ends: Stop interrupts it and joins the threads.
    QVERIFY(writeFile(app, "(define (spin n) (spin (+ n 1)))\n(spin 0)\n(define (handler r) \"ok\")\n"));
    stopped.clear();
    panel.start();
    QTest::qWait(200);
    QVERIFY(host.running());
    QElapsedTimer t;
    t.start();
    panel.stop();
    QVERIFY(t.elapsed() < 5000);
    QVERIFY(!host.running());
    QTRY_VERIFY(!stopped.isEmpty());
    QCOMPARE(stopped.last()[0].value<PreviewStopped>().error, std::string());
    QVERIFY(!panel.serving());
    QVERIFY(panel.statusText().contains("stopped"));
  }
};

int main(int argc, char** argv) {
  // What app/main.cpp does for Qt WebEngine (DEPENDENCIES.md).
  QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  QApplication app(argc, argv);
  TestPreview t;
  QTEST_SET_MAIN_SOURCE_PATH
  return QTest::qExec(&t, argc, argv);
}

#include "test_preview.moc"
