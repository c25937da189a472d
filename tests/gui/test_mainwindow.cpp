// The whole IDE with the real engine: opening the example project and running a form in
// the console, a step-mode run performing inside map with an edited resume value, the
// resolver mode changing the recorded events and not the result, the command palette,
// and preferences, session and layout surviving a restart.
#include <QtTest/QtTest>

#include <QDockWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>

#include "bytecode/bytecodepanel.h"
#include "commandpalette.h"
#include "common/inspectorbridge.h"
#include "console/consolepanel.h"
#include "editor/codeeditor.h"
#include "editor/editorarea.h"
#include "inspect/engine_host.h"
#include "mainwindow.h"
#include "native/nativepanel.h"
#include "settings.h"
#include "suspensions/suspensionspanel.h"

using namespace sxs;

namespace {

const char* kMapProgram =
    "(define (ask x) (perform {:op \"double\" :args (list x)}))\n"
    "(with-io-handlers {:double (fn (x) (* 2 x))}\n"
    "  (fn () (map (fn (x) (+ 1 (ask x))) (list 1 2 3))))\n";

const QString kExample = QStringLiteral(SX_SOURCE_DIR "/resources/examples/hello");

// The console's last value row ("⇒ ..."), or "".
QString lastValue(ConsolePanel* c) {
  const auto& rows = c->model().entries();
  for (auto it = rows.rbegin(); it != rows.rend(); ++it)
    if (it->kind == ConsoleModel::Kind::Value) return it->text.mid(2);
  return QString();
}

bool waitIdle(MainWindow& w) {
  QTest::qWait(20);
  return QTest::qWaitFor([&] { return !w.busy(); }, 20000);
}

// A fresh engine and window over settings kept in a temporary folder.
struct Ide {
  sx::inspect::EngineHost host;
  Settings settings;
  MainWindow window{host, settings};
};

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

  QTemporaryDir settingsDir_;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(settingsDir_.isValid());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
  }

  void init() {
    Settings s;
    s.clearSession();
    s.set(Pref::Theme, QStringLiteral("light"));
    s.set(Pref::ResolverMode, QStringLiteral("inline"));
    s.sync();
  }

  void openExampleAndRunAFormInTheConsole() {
    Ide ide;
    MainWindow& w = ide.window;
    w.show();
    QVERIFY(w.openPath(kExample));
    QVERIFY(w.editors()->current());
    QVERIFY(w.editors()->current()->filePath().endsWith(QStringLiteral("hello.sx")));
    QVERIFY(waitIdle(w));  // the project's files were run
    w.console()->evaluate(QStringLiteral("(greeting \"tests\")"));
    QVERIFY(waitIdle(w));
    QTRY_COMPARE(lastValue(w.console()), QStringLiteral("\"Hello, tests!\""));
    // The editor found hello.sx's definitions; F12 on a use jumps to the definition.
    CodeEditor* e = w.editors()->current();
    QTRY_VERIFY(!w.editors()->bufferDefinitions().value(e->filePath()).empty());
    e->goTo(10, 24);  // on "fact" in "(fact (- n 1))", line 10
    w.action(ActionId::EditGoToDefinition)->trigger();
    QCOMPARE(e->cursorLine(), 9);
  }

  // The example's fact in the bytecode and native panels, linked with the editor both
  // ways: an instruction selects its source, the cursor selects instructions.
  void codePanelsFollowTheEditorAndBack() {
    Ide ide;
    MainWindow& w = ide.window;
    w.show();
    QVERIFY(w.openPath(kExample));
    QVERIFY(waitIdle(w));
    w.console()->evaluate(QStringLiteral("(fact 12)"));
    QVERIFY(waitIdle(w));
    BytecodePanel* b = w.bytecode();
    int row = -1;
    QTRY_VERIFY((row = [&] {
      for (int r = 0; r < b->functions().rowCount(); ++r)
        if (b->functions().function(r)->name == "fact") return r;
      return -1;
    }()) >= 0);
    b->selectFunction(b->functions().function(row)->id);
    QTRY_VERIFY(b->headerText().contains(QStringLiteral("<b>fact</b>")) && w.native()->headerText().contains(QStringLiteral("fact")));
    QVERIFY(b->headerText().contains(QStringLiteral("tier <b>jit</b>")));
    int mul = -1;
    for (int r = 0; r < b->listing().rowCount(); ++r)
      if (b->listing().row(r)->opcode == "MUL") mul = r;
    QVERIFY(mul >= 0);
    b->listingView()->selectRow(mul);
    CodeEditor* e = w.editors()->current();
    QCOMPARE(e->textCursor().selectedText(), QStringLiteral("(* n (fact (- n 1)))"));
    QCOMPARE(w.native()->selectedBytecode(), QList<int64_t>({int64_t(b->listing().row(mul)->offset)}));
    // The cursor on "2" in (< n 2): the CONST 2 instruction alone.
    e->goTo(10, 12);
    QCOMPARE(b->selectedOffsets().size(), 1);
    const sx::inspect::BytecodeRow* sel = b->listing().row(b->listing().rowOfOffset(b->selectedOffsets()[0]));
    QCOMPARE(sel->opcode, std::string("CONST"));
    QCOMPARE(sel->operands, std::string("2"));
    QCOMPARE(w.native()->selectedBytecode(), QList<int64_t>({int64_t(sel->offset)}));
  }

  void stepModeInsideMapWithAnEditedValue() {
    Ide ide;
    MainWindow& w = ide.window;
    w.show();
    w.action(ActionId::ResolverStep)->trigger();
    QCOMPARE(ide.host.resolverMode(), sx::ResolverMode::Step);
    QSignalSpy pauses(&w.bridge(), &InspectorBridge::paused);
    w.editors()->openText(QStringLiteral("map.sx"), QString::fromUtf8(kMapProgram));
    w.action(ActionId::RunFile)->trigger();
    SuspensionsPanel* s = w.suspensions();
    auto* edit = s->findChild<QLineEdit*>(QStringLiteral("resumeValueEdit"));
    auto* valueButton = s->findChild<QPushButton*>(QStringLiteral("resumeValue"));
    // Perform 1: the resolver's answer (F8); perform 2: an edited value; perform 3: F8.
    QTRY_COMPARE(pauses.count(), 1);
    QVERIFY(w.action(ActionId::StepResume)->isEnabled());
    QVERIFY(w.dock(DockId::Suspensions)->isVisible());
    w.action(ActionId::StepResume)->trigger();
    QTRY_COMPARE(pauses.count(), 2);
    edit->setText(QStringLiteral("100"));
    QTest::mouseClick(valueButton, Qt::LeftButton);
    QTRY_COMPARE(pauses.count(), 3);
    w.action(ActionId::StepResume)->trigger();
    QVERIFY(waitIdle(w));
    QCOMPARE(pauses.count(), 3);  // one pause per perform
    QTRY_COMPARE(s->timeline().rowCount(), 3);
    QCOMPARE(s->timeline().data(s->timeline().index(1, TimelineModel::Answer), Qt::DisplayRole).toString(), QStringLiteral("100"));
    // The panel refreshes shortly after the last event: wait for the third resume.
    QTRY_VERIFY(s->timeline().data(s->timeline().index(2, TimelineModel::How), Qt::DisplayRole).isValid());
    for (int row = 0; row < 3; ++row)
      QVERIFY2(s->timeline().data(s->timeline().index(row, TimelineModel::Check), TimelineModel::AgreesRole).toBool(),
               qPrintable(s->timeline().data(s->timeline().index(row, TimelineModel::Check), Qt::ToolTipRole).toString()));
    // The edited value is in the result: (+ 1 100) for the second item.
    w.console()->evaluate(QStringLiteral("(+ 0 0)"));  // console runs in step mode too
    QVERIFY(waitIdle(w));
    QSignalSpy values(&w.bridge(), &InspectorBridge::valuePrinted);
    uint64_t run = ide.host.runSource(kMapProgram, "again.sx");
    for (int i = 1; i <= 3; ++i) {
      QTRY_COMPARE(pauses.count(), 3 + i);
      if (i == 2)
        s->resumeWithValue(QStringLiteral("100"));
      else
        s->resumeWithResolver();
    }
    QTRY_COMPARE(values.count(), 1);
    auto v = values[0][0].value<sx::inspect::ValuePrinted>();
    QCOMPARE(v.run, run);
    QCOMPARE(v.text, std::string("(3 101 7)"));
  }

  void resolverModeChangesEventsNotResults() {
    Ide ide;
    MainWindow& w = ide.window;
    w.show();
    QSignalSpy pauses(&w.bridge(), &InspectorBridge::paused);
    struct Outcome {
      QString value;
      int rows;
    };
    QMap<int, Outcome> outcomes;
    for (ActionId id : {ActionId::ResolverInline, ActionId::ResolverUnwind, ActionId::ResolverStep}) {
      w.action(id)->trigger();
      int before = pauses.count();
      w.console()->evaluate(QString::fromUtf8(kMapProgram));
      if (id == ActionId::ResolverStep) {
        for (int i = 1; i <= 3; ++i) {
          QTRY_COMPARE(pauses.count(), before + i);
          w.suspensions()->resumeWithResolver();
        }
      }
      QVERIFY(waitIdle(w));
      QTest::qWait(60);  // the timeline refreshes shortly after the last event
      outcomes[int(id)] = {lastValue(w.console()), w.suspensions()->timeline().rowCount()};
    }
    QCOMPARE(outcomes[int(ActionId::ResolverInline)].value, QStringLiteral("(3 5 7)"));
    QCOMPARE(outcomes[int(ActionId::ResolverUnwind)].value, QStringLiteral("(3 5 7)"));
    QCOMPARE(outcomes[int(ActionId::ResolverStep)].value, QStringLiteral("(3 5 7)"));
    QCOMPARE(outcomes[int(ActionId::ResolverInline)].rows, 0);  // SX handlers answer in place
    QCOMPARE(outcomes[int(ActionId::ResolverUnwind)].rows, 3);
    QCOMPARE(outcomes[int(ActionId::ResolverStep)].rows, 3);
    QCOMPARE(pauses.count(), 3);  // only step mode paused
  }

  // The window leaves its widgets alone in a run's first moments: a short run changes the
  // status bar and the suspensions panel only once it has ended, and ends with them
  // complete; a long run shows "Running…" in both until it is stopped.
  void shortRunsShowWhenDoneLongRunsShowRunning() {
    Ide ide;
    MainWindow& w = ide.window;
    w.show();
    w.action(ActionId::ResolverUnwind)->trigger();
    SuspensionsPanel* s = w.suspensions();
    QString before = s->statusText();
    QStringList atStart;  // the run label and the panel's status as each run starts
    connect(&w.bridge(), &InspectorBridge::runStarted, this, [&] { atStart << w.runStatus() << s->statusText(); });
    QSignalSpy finished(&w.bridge(), &InspectorBridge::runFinished);
    w.console()->evaluate(QString::fromUtf8(kMapProgram));
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(atStart, QStringList({QStringLiteral("Idle"), before}));
    QTRY_COMPARE(s->timeline().rowCount(), 3);
    QTRY_VERIFY(s->statusText().contains(QStringLiteral("finished")));
    QVERIFY2(s->statusText().contains(QStringLiteral("3 performs seen, 3 recorded")), qPrintable(s->statusText()));
    QTRY_COMPARE(lastValue(w.console()), QStringLiteral("(3 5 7)"));
    QCOMPARE(w.runStatus(), QStringLiteral("Idle"));

    w.console()->evaluate(QStringLiteral("(define (spin n) (spin (+ n 1)))\n(spin 0)"));
    QTRY_COMPARE(w.runStatus(), QStringLiteral("Running…"));
    QTRY_VERIFY2(s->statusText().contains(QStringLiteral("running…")), qPrintable(s->statusText()));
    QCOMPARE(s->timeline().rowCount(), 0);  // the new run's timeline has no performs
    w.action(ActionId::RunStop)->trigger();
    QTRY_COMPARE(finished.count(), 2);
    QCOMPARE(w.runStatus(), QStringLiteral("Idle"));
    QTRY_VERIFY2(s->statusText().contains(QStringLiteral("failed")), qPrintable(s->statusText()));
  }

  void commandPaletteListsEveryAction() {
    Ide ide;
    MainWindow& w = ide.window;
    w.resize(1000, 700);
    w.show();
    QSet<QString> ids;
    for (QAction* a : w.actions().all()) {
      QString id = ActionRegistry::idOf(a);
      QVERIFY2(id.contains(QLatin1Char('.')), qPrintable(id));
      QVERIFY2(!ids.contains(id), qPrintable(id));
      ids.insert(id);
    }
    QVERIFY(ids.contains(QStringLiteral("view.panel.suspensions")));
    for (const char* id : {"view.panel.preview", "preview.start", "preview.stop", "preview.reload", "preview.openBrowser"})
      QVERIFY2(ids.contains(QLatin1String(id)), id);
    w.action(ActionId::ViewCommandPalette)->trigger();
    CommandPalette* p = w.palette();
    QVERIFY(p->isVisible());
    // All but the disabled step actions and the preview's start, stop, reload and open
    // (no project is open, nothing is served).
    QCOMPARE(p->visibleCount(), int(ids.size()) - 3 - 4);
    p->setFilter(QStringLiteral("preview server"));
    QCOMPARE(p->visibleCount(), 0);  // Start needs a project, the others a running server
    w.openPath(kExample);
    w.action(ActionId::ViewCommandPalette)->trigger();
    p->setFilter(QStringLiteral("start preview"));
    QCOMPARE(p->visibleCount(), 1);
    QCOMPARE(p->idAt(0), QStringLiteral("preview.start"));
    p->hide();
    w.action(ActionId::ViewCommandPalette)->trigger();
    p->setFilter(QStringLiteral("resolver step"));
    QCOMPARE(p->visibleCount(), 1);
    QCOMPARE(p->idAt(0), QStringLiteral("resolver.step"));
    QVERIFY(p->runSelected());
    QVERIFY(!p->isVisible());
    QCOMPARE(w.resolverMode(), sx::ResolverMode::Step);
  }

  void docksHaveUniqueNames() {
    Ide ide;
    QSet<QString> names;
    for (QDockWidget* d : ide.window.findChildren<QDockWidget*>()) {
      QVERIFY(!d->objectName().isEmpty());
      QVERIFY2(!names.contains(d->objectName()), qPrintable(d->objectName()));
      names.insert(d->objectName());
    }
#define X(e, name, id, title, area) +1
    QCOMPARE(names.size(), 0 SX_DOCKS(X));
#undef X
    for (const char* name : {"bytecodeDock", "nativeDock", "jitDock", "previewDock"}) QVERIFY(names.contains(QString::fromLatin1(name)));
  }

  void settingsLayoutAndSessionSurviveARestart() {
    QString hello = kExample + QStringLiteral("/hello.sx");
    QSize size(1111, 777);
    {
      Ide ide;
      MainWindow& w = ide.window;
      w.resize(size);
      w.show();
      QVERIFY(w.openPath(hello));
      QVERIFY(waitIdle(w));
      w.dock(DockId::Project)->hide();
      w.dock(DockId::Console)->setFloating(true);
      w.setDarkTheme(true);
      w.action(ActionId::ResolverUnwind)->trigger();
      w.editors()->current()->toggleBreakpoint(9);
      w.console()->evaluate(QStringLiteral("(fact 5)"));
      QVERIFY(waitIdle(w));
      w.close();  // saves the session
    }
    Ide ide;
    MainWindow& w = ide.window;
    w.restoreSession(true);
    w.show();
    QCOMPARE(w.size(), size);
    QVERIFY(!w.dock(DockId::Project)->isVisible());
    QVERIFY(w.dock(DockId::Console)->isFloating());
    QVERIFY(w.darkTheme());
    QCOMPARE(w.resolverMode(), sx::ResolverMode::Unwind);
    QCOMPARE(ide.host.resolverMode(), sx::ResolverMode::Unwind);
    QVERIFY(w.editors()->editorFor(QFileInfo(hello).absoluteFilePath()));
    QCOMPARE(w.editors()->breakpoints().value(QFileInfo(hello).absoluteFilePath()), QList<int>({9}));
    QVERIFY(w.console()->input()->history().contains(QStringLiteral("(fact 5)")));
    QCOMPARE(w.recentFiles().value(0), QFileInfo(hello).absoluteFilePath());
    QVERIFY(waitIdle(w));  // the restored project was run again: its functions exist
    w.console()->evaluate(QStringLiteral("(fact 5)"));
    QVERIFY(waitIdle(w));
    QTRY_COMPARE(lastValue(w.console()), QStringLiteral("120"));
    // Preferences and session are separate files; resetting the layout brings docks back.
    QVERIFY(QFile::exists(settingsDir_.path() + QStringLiteral("/sx-studio/preferences.ini")));
    QVERIFY(QFile::exists(settingsDir_.path() + QStringLiteral("/sx-studio/session.ini")));
    w.action(ActionId::ViewResetLayout)->trigger();
    QVERIFY(w.dock(DockId::Project)->isVisible());
    QVERIFY(!w.dock(DockId::Console)->isFloating());
    w.setDarkTheme(false);
  }
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
