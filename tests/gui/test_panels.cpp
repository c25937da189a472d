// The console and suspensions panels driven by a fake engine: every row they show comes
// from an event the test sends, every command they give is recorded.
#include <QtTest/QtTest>

#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QTableView>

#include <thread>

#include "common/eventbatches.h"
#include "common/inspectorbridge.h"
#include "console/consoledelegate.h"
#include "console/consolepanel.h"
#include "fake_inspector.h"
#include "suspensions/suspensionspanel.h"

using namespace sxs;
using namespace sx::inspect;

Q_DECLARE_METATYPE(sxs::Location)

namespace {

FiberSnapshot mapSnapshot(uint32_t index, const std::string& results) {
  FiberSnapshot s;
  FrameSnapshot handlers;
  handlers.kind = "Handlers";
  FrameSnapshot ho;
  ho.kind = "Ho";
  ho.ho = std::make_shared<const HoState>(HoState{"map", "<lambda>", index, 3, false, results, "results so far"});
  FrameSnapshot fn;
  fn.kind = "VM";
  fn.function = "ask";
  fn.tier = "vm";
  fn.offset = 7;
  fn.span = {"/tmp/map.sx", 2, 3, 10};
  fn.locals = {{"x", std::to_string(index + 1)}};
  FrameSnapshot site;
  site.kind = "perform";
  site.span = fn.span;
  for (const FrameSnapshot& f : {handlers, ho, fn, site}) s.frames.push_back(std::make_shared<const FrameSnapshot>(f));
  s.engineFrames = 3;
  return s;
}

Performed performed(uint64_t run, uint64_t id, uint32_t index) {
  Performed p;
  p.run = run;
  p.perform = id;
  p.op = "double";
  p.request = "{:op \"double\" :args (" + std::to_string(index + 1) + ")}";
  p.mode = sx::ResolverMode::Step;
  p.resolver = Resolver::SxHandler;
  p.stack = mapSnapshot(index, index == 0 ? "()" : "(3)");
  return p;
}

}  // namespace

class TestPanels : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // Events pushed from another thread while the GUI thread is busy arrive in order, all
  // delivered by one queued call.
  void eventBatchesDeliverInOrderWithOneWakeUp() {
    struct MetaCalls : QObject {
      int count = 0;
      bool eventFilter(QObject*, QEvent* e) override {
        if (e->type() == QEvent::MetaCall) ++count;
        return false;
      }
    } calls;
    QObject receiver;
    receiver.installEventFilter(&calls);
    EventBatches<int> batches;
    std::vector<int> got;
    std::thread producer([&] {
      for (int i = 0; i < 1000; ++i) batches.push(&receiver, int(i), [&](const int& x) { got.push_back(x); });
    });
    producer.join();
    QVERIFY(got.empty());  // nothing is delivered off the GUI thread
    QTRY_COMPARE(got.size(), size_t(1000));
    for (int i = 0; i < 1000; ++i) QCOMPARE(got[size_t(i)], i);
    QCOMPARE(calls.count, 1);
    // A later event starts a new batch.
    batches.push(&receiver, 1000, [&](const int& x) { got.push_back(x); });
    QTRY_COMPARE(got.size(), size_t(1001));
    QCOMPARE(calls.count, 2);
  }

  void consoleShowsEventsAndSendsForms() {
    FakeInspector fake;
    InspectorBridge bridge(fake);
    ConsolePanel console(bridge);
    uint64_t run = console.evaluate(QStringLiteral("(+ 1\n 2)"));
    QCOMPARE(fake.runs.size(), size_t(1));
    QCOMPARE(fake.runs[0].source, std::string("(+ 1\n 2)"));
    QVERIFY(QString::fromStdString(fake.runs[0].name).startsWith(QStringLiteral("<console-")));
    QTRY_COMPARE(console.model().rowCount(), 2);  // the input, one row per line
    fake.emit(RunStarted{run, fake.runs[0].name, sx::ResolverMode::Inline});
    fake.emit(OutputText{run, "partial "});
    fake.emit(OutputText{run, "line\nsecond\n"});
    fake.emit(ValuePrinted{run, "3"});
    fake.emit(RunFinished{run, true, 1.0, 0, 0});
    QTRY_COMPARE(console.model().rowCount(), 5);
    QCOMPARE(console.model().entry(2).text, QStringLiteral("partial line"));
    QCOMPARE(console.model().entry(3).text, QStringLiteral("second"));
    QCOMPARE(console.model().entry(4).kind, ConsoleModel::Kind::Value);
    QCOMPARE(console.model().entry(4).text, QStringLiteral("⇒ 3"));
  }

  // A row appended to a long console lays out its own text only: the others' sizes are
  // kept (they were laid out at the same width); a new width lays them out again.
  void consoleLaysOutOnlyNewRows() {
    FakeInspector fake;
    InspectorBridge bridge(fake);
    ConsolePanel console(bridge);
    console.resize(400, 300);
    console.show();
    QVERIFY(QTest::qWaitForWindowExposed(&console));
    uint64_t run = 7;
    fake.emit(RunStarted{run, "/tmp/long.sx", sx::ResolverMode::Inline});
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i) + "\n";
    text += std::string(300, 'w') + " " + std::string(300, 'x') + "\n";  // wraps
    fake.emit(OutputText{run, text});
    fake.emit(RunFinished{run, true, 1.0, 0, 0});
    QTRY_COMPARE(console.model().rowCount(), 2003);  // header, 2001 lines, done
    QListView* view = console.view();
    view->doItemsLayout();
    QApplication::processEvents();
    int before = console.delegate()->computed();
    QVERIFY(before >= 2003);
    fake.emit(OutputText{run + 1, "one more\n"});
    QTRY_COMPARE(console.model().rowCount(), 2004);
    view->doItemsLayout();
    QApplication::processEvents();
    QVERIFY2(console.delegate()->computed() - before <= 2, qPrintable(QString::number(console.delegate()->computed() - before)));
    // The cached sizes are the delegate's own: the wrapped row is taller than a short one.
    QModelIndex shortRow = console.model().index(5, 0), longRow = console.model().index(2001, 0);
    QVERIFY(view->visualRect(longRow).height() > view->visualRect(shortRow).height());
    console.resize(700, 300);
    view->doItemsLayout();
    QApplication::processEvents();
    QVERIFY(console.delegate()->computed() - before > 2000);  // a new width: laid out again
  }

  void consoleErrorsOpenTheirSource() {
    qRegisterMetaType<sxs::Location>();
    FakeInspector fake;
    InspectorBridge bridge(fake);
    ConsolePanel console(bridge);
    console.resize(500, 300);
    console.show();
    uint64_t run = console.evaluate(QStringLiteral("(f 1)"));
    sx::Diagnostic d;
    d.code = sx::ErrorCode::Type;
    d.message = "+: expected number";
    d.file = "/tmp/lib.sx";
    d.line = 4;
    d.col = 7;
    d.sourceLine = "  (+ x \"a\")";
    d.stack = {{"f", "/tmp/lib.sx", 4, 7, "vm"}, {"", "<console-1>", 1, 1, "cek"}};
    fake.emit(RunError{run, d});
    QTRY_COMPARE(console.model().rowCount(), 4);  // input, error, source line, one frame
    const ConsoleModel::Entry& err = console.model().entry(1);
    QCOMPARE(err.kind, ConsoleModel::Kind::Error);
    QVERIFY(err.text.startsWith(QStringLiteral("lib.sx:4:7: error [type]")));
    QSignalSpy opened(&console, &ConsolePanel::openLocation);
    QListView* view = console.view();
    QRect r = view->visualRect(console.model().index(1, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(opened.count(), 1);
    auto at = opened[0][0].value<sxs::Location>();
    QCOMPARE(at.file, QStringLiteral("/tmp/lib.sx"));
    QCOMPARE(at.line, 4);
    QCOMPARE(at.column, 7);
  }

  void consoleHistoryWalksUpAndDown() {
    FakeInspector fake;
    InspectorBridge bridge(fake);
    ConsolePanel console(bridge);
    console.show();
    ConsoleInput* in = console.input();
    in->setFocus();
    QTest::keyClicks(in, QStringLiteral("(first)"));
    QTest::keyClick(in, Qt::Key_Return);
    QTest::keyClicks(in, QStringLiteral("(second"));
    QTest::keyClick(in, Qt::Key_Return);  // incomplete: a new line, not submitted
    QCOMPARE(fake.runs.size(), size_t(1));
    QTest::keyClicks(in, QStringLiteral(")"));
    QTest::keyClick(in, Qt::Key_Return);
    QCOMPARE(fake.runs.size(), size_t(2));
    QCOMPARE(fake.runs[1].source, std::string("(second\n)"));
    QTest::keyClicks(in, QStringLiteral("draft"));
    QTest::keyClick(in, Qt::Key_Up);
    QCOMPARE(in->toPlainText(), QStringLiteral("(second\n)"));
    in->moveCursor(QTextCursor::Start);
    QTest::keyClick(in, Qt::Key_Up);
    QCOMPARE(in->toPlainText(), QStringLiteral("(first)"));
    QTest::keyClick(in, Qt::Key_Down);
    in->moveCursor(QTextCursor::End);
    QTest::keyClick(in, Qt::Key_Down);
    QCOMPARE(in->toPlainText(), QStringLiteral("draft"));
  }

  void suspensionsFollowAStepModeRun() {
    FakeInspector fake;
    InspectorBridge bridge(fake);
    SuspensionsPanel panel(bridge);
    panel.resize(900, 600);
    panel.show();
    QSignalSpy pausedChanged(&panel, &SuspensionsPanel::pausedChanged);
    fake.emit(RunStarted{7, "map.sx", sx::ResolverMode::Step});
    fake.emit(performed(7, 1, 0));
    fake.emit(Paused{7, 1});
    QTRY_VERIFY(panel.pausedPerform().has_value());
    QCOMPARE(*panel.pausedPerform(), uint64_t(1));
    QCOMPARE(pausedChanged.count(), 1);
    QWidget* bar = panel.findChild<QWidget*>(QStringLiteral("stepBar"));
    QVERIFY(bar && bar->isVisible());
    // The paused perform is selected: its stack shows map's loop state.
    QCOMPARE(panel.performStack().rowCount(), 4);
    QModelIndex hoRow = panel.performStack().index(2, 0);  // innermost first: perform, ask, Ho
    QCOMPARE(panel.performStack().data(hoRow, Qt::DisplayRole).toString(), QStringLiteral("Ho"));
    QModelIndex loop = panel.performStack().index(0, 0, hoRow);
    QCOMPARE(panel.performStack().data(loop, Qt::DisplayRole).toString(), QStringLiteral("map = calling <lambda>, item 1 of 3"));
    QModelIndex askRow = panel.performStack().index(1, 0);
    QCOMPARE(panel.performStack().data(panel.performStack().index(1, StackModel::Tier), Qt::DisplayRole).toString(), QStringLiteral("vm @7"));
    QCOMPARE(panel.performStack().data(panel.performStack().index(0, 0, askRow), Qt::DisplayRole).toString(), QStringLiteral("x = 1"));
    QCOMPARE(panel.resumeStack().rowCount(), 0);

    // Answer with an edited value through the panel's own controls.
    auto* edit = panel.findChild<QLineEdit*>(QStringLiteral("resumeValueEdit"));
    auto* button = panel.findChild<QPushButton*>(QStringLiteral("resumeValue"));
    edit->setText(QStringLiteral("100"));
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(fake.resumes.size(), size_t(1));
    QCOMPARE(fake.resumes[0].perform, uint64_t(1));
    QCOMPARE(fake.resumes[0].how.choice, ResumeChoice::Value);
    QCOMPARE(fake.resumes[0].how.valueText, std::string("100"));

    Resumed r;
    r.run = 7;
    r.perform = 1;
    r.how = ResumeChoice::Value;
    r.value = "100";
    r.suspendedMs = 12.5;
    r.stack = mapSnapshot(0, "()");
    r.check.made = r.check.agrees = true;
    r.check.framesCompared = 3;
    r.check.valuesCompared = 2;
    fake.emit(r);
    QTRY_VERIFY(!panel.pausedPerform().has_value());
    QVERIFY(!bar->isVisible());
    QTRY_COMPARE(panel.timeline().data(panel.timeline().index(0, TimelineModel::Answer), Qt::DisplayRole).toString(),
                 QStringLiteral("100"));
    QCOMPARE(panel.timeline().data(panel.timeline().index(0, TimelineModel::How), Qt::DisplayRole).toString(),
             QStringLiteral("edited value"));
    QCOMPARE(panel.timeline().data(panel.timeline().index(0, TimelineModel::Check), TimelineModel::AgreesRole).toBool(), true);
    panel.selectPerform(1);
    QCOMPARE(panel.resumeStack().rowCount(), 4);
    QVERIFY(panel.checkText().contains(QStringLiteral("3 frames and 2 stack values")));

    // A second perform answered by the resolver; its handler's answer arrives later.
    fake.emit(performed(7, 2, 1));
    fake.emit(Paused{7, 2});
    QTRY_COMPARE(panel.pausedPerform().value_or(0), uint64_t(2));
    panel.resumeWithResolver();
    QCOMPARE(fake.resumes.back().how.choice, ResumeChoice::Resolver);
    Resumed r2 = r;
    r2.perform = 2;
    r2.how = ResumeChoice::Resolver;
    r2.value.reset();
    fake.emit(r2);
    fake.emit(HandlerAnswered{7, 2, "4"});
    fake.emit(RunFinished{7, true, 30.0, 2, 2});
    QTRY_COMPARE(panel.timeline().data(panel.timeline().index(1, TimelineModel::Answer), Qt::DisplayRole).toString(),
                 QStringLiteral("4"));
    QVERIFY(panel.statusText().contains(QStringLiteral("2 performs seen")));
    // A run started while nothing is paused starts a new timeline.
    fake.emit(RunStarted{8, "<console-1>", sx::ResolverMode::Unwind});
    QTRY_COMPARE(panel.timeline().rowCount(), 0);
  }

  // During a long run each refresh inserts the rows performed since the last one and
  // redraws the changed ones; the timeline is replaced whole only when a new run starts,
  // and until then the views keep showing the previous run's rows.
  void suspensionsTimelineAppendsNewRows() {
    FakeInspector fake;
    InspectorBridge bridge(fake);
    SuspensionsPanel panel(bridge);
    panel.resize(900, 600);
    panel.show();
    QSignalSpy resets(&panel.timeline(), &QAbstractItemModel::modelReset);
    QSignalSpy inserts(&panel.timeline(), &QAbstractItemModel::rowsInserted);
    fake.emit(RunStarted{3, "long.sx", sx::ResolverMode::Unwind});
    fake.emit(performed(3, 1, 0));
    fake.emit(performed(3, 2, 1));
    QTRY_COMPARE(panel.timeline().rowCount(), 2);
    QCOMPARE(resets.count(), 1);  // the new run's timeline
    panel.selectPerform(2);
    QCOMPARE(panel.resumeStack().rowCount(), 0);
    Resumed r;
    r.run = 3;
    r.perform = 2;
    r.how = ResumeChoice::Value;
    r.value = "42";
    r.stack = mapSnapshot(0, "()");
    fake.emit(r);
    fake.emit(performed(3, 3, 2));
    QTRY_COMPARE(panel.timeline().rowCount(), 3);
    QCOMPARE(resets.count(), 1);  // appended, not replaced
    QVERIFY(inserts.count() >= 1);
    QCOMPARE(inserts.last().at(1).toInt(), 2);  // the last insertion: row 2 (perform 3)
    QCOMPARE(panel.timeline().data(panel.timeline().index(1, TimelineModel::Answer), Qt::DisplayRole).toString(), QStringLiteral("42"));
    QCOMPARE(panel.timeline().entry(2)->performed.perform, uint64_t(3));
    // The selected perform's answer reached its resume stack; the selection stayed.
    QCOMPARE(panel.resumeStack().rowCount(), 4);
    QCOMPARE(panel.timeline().data(panel.timelineView()->currentIndex(), TimelineModel::PerformRole).toULongLong(), 2ull);
    fake.emit(RunFinished{3, true, 300.0, 3, 3});
    // A new run: the old rows stay on screen until the refresh, then the timeline is new.
    fake.emit(RunStarted{4, "long.sx", sx::ResolverMode::Unwind});
    QTest::qWait(40);  // delivered; the refresh waits for the run's first 150 ms
    QCOMPARE(panel.timeline().rowCount(), 3);
    QVERIFY(panel.timeline().entry(2));
    QCOMPARE(panel.timeline().entry(2)->performed.perform, uint64_t(3));
    fake.emit(performed(4, 10, 0));
    QTRY_COMPARE(resets.count(), 2);
    QCOMPARE(panel.timeline().rowCount(), 1);
    QCOMPARE(panel.timeline().entry(0)->performed.perform, uint64_t(10));
  }

  void abortGoesToTheEngine() {
    FakeInspector fake;
    InspectorBridge bridge(fake);
    SuspensionsPanel panel(bridge);
    fake.emit(RunStarted{1, "a.sx", sx::ResolverMode::Step});
    fake.emit(performed(1, 5, 0));
    fake.emit(Paused{1, 5});
    QTRY_VERIFY(panel.pausedPerform().has_value());
    QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("abortRun")), Qt::LeftButton);
    QCOMPARE(fake.resumes.size(), size_t(1));
    QCOMPARE(fake.resumes[0].how.choice, ResumeChoice::Abort);
    // A run the engine refuses while one is paused does not clear the timeline.
    fake.emit(RunStarted{2, "<console-1>", sx::ResolverMode::Step});
    QTest::qWait(60);
    QCOMPARE(panel.timeline().rowCount(), 1);
  }
};

QTEST_MAIN(TestPanels)
#include "test_panels.moc"
