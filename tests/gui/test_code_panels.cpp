// The bytecode, native-code and JIT panels: with the real engine (functions it ran, their
// listings and machine code, linking between the panels and the source, jit-exclude!
// patterns applied from the panel) and with a fake one (filters, reasons, counts).
#include <QtTest/QtTest>

#include <QCheckBox>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTreeView>

#include "bytecode/bytecodepanel.h"
#include "common/inspectorbridge.h"
#include "editor/codeeditor.h"
#include "fake_inspector.h"
#include "inspect/engine_host.h"
#include "jit/jitpanel.h"
#include "native/nativepanel.h"

using namespace sxs;
using namespace sx::inspect;

Q_DECLARE_METATYPE(sxs::Location)

namespace {

// Line 1: sq; line 2: twice-all with an anonymous callback; line 3: runs them.
const char* kDemo =
    "(define (sq x) (* x x))\n"
    "(define (twice-all xs) (map (fn (x) (+ x x)) xs))\n"
    "(list (sq 7) (twice-all (list 1 2 3)))\n";

struct Rig {
  explicit Rig(sx::Tier tier) : host(options(tier)), bridge(host), bytecode(bridge), native(bridge), jit(bridge) {
    QObject::connect(&bytecode, &BytecodePanel::functionSelected, &native, [this](uint64_t id) { native.setFunction(id, true); });
    QObject::connect(&bytecode, &BytecodePanel::instructionSelected, &native, &NativePanel::selectBytecode);
    QObject::connect(&native, &NativePanel::bytecodeSelected, &bytecode, &BytecodePanel::selectOffset);
    QObject::connect(&jit, &JitPanel::functionSelected, &bytecode, &BytecodePanel::selectFunction);
  }
  static HostOptions options(sx::Tier tier) {
    HostOptions o;
    o.tier = tier;
    return o;
  }
  int rowNamed(const QString& label) {
    for (int r = 0; r < bytecode.functions().rowCount(); ++r)
      if (qs(bytecode.functions().function(r)->label) == label) return r;
    return -1;
  }
  const FunctionSummary* named(const QString& label) { return bytecode.functions().function(rowNamed(label)); }
  // Selects the function and waits for its listing in both panels.
  bool show(const QString& label) {
    const FunctionSummary* f = named(label);
    if (!f) return false;
    uint64_t id = f->id;
    bytecode.selectFunction(id);
    return QTest::qWaitFor([&] {
      return bytecode.headerText().contains(label) && native.headerText().contains(label) && bytecode.listing().rowCount() > 0;
    }, 10000);
  }
  int rowOfOpcode(const char* op) {
    for (int r = 0; r < bytecode.listing().rowCount(); ++r)
      if (bytecode.listing().row(r)->opcode == op) return r;
    return -1;
  }

  EngineHost host;
  InspectorBridge bridge;
  BytecodePanel bytecode;
  NativePanel native;
  JitPanel jit;
};

FunctionSummary fakeFunction(uint64_t id, const std::string& label, bool prelude) {
  FunctionSummary f;
  f.id = id;
  f.name = label;
  f.label = label;
  f.prelude = prelude;
  f.tier = "vm";
  f.jitRefusal = "the function is too big";
  f.calls = id * 10;
  f.bytecodeSize = 12;
  return f;
}

}  // namespace

class TestCodePanels : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { qRegisterMetaType<sxs::Location>(); }

  void listsTheFunctionsARunCalledWithTheirTiers() {
    Rig rig(sx::Tier::Jit);
    rig.host.runSource(kDemo, "/tmp/demo.sx");
    QTRY_VERIFY_WITH_TIMEOUT(rig.rowNamed(QStringLiteral("twice-all")) >= 0, 10000);
    QTRY_VERIFY(rig.rowNamed(QStringLiteral("(fn) demo.sx:2")) >= 0);  // the anonymous callback
    const FunctionSummary* sq = rig.named(QStringLiteral("sq"));
    QVERIFY(sq);
    QCOMPARE(sq->tier, std::string("jit"));
    QCOMPARE(sq->calls, uint64_t(1));
    QVERIFY(sq->nativeSize > 0);
    QCOMPARE(sq->span.line, 1u);
    QCOMPARE(rig.named(QStringLiteral("(fn) demo.sx:2"))->calls, uint64_t(3));
    // The prelude's functions (map is native, but render helpers etc. are not) stay hidden.
    for (int r = 0; r < rig.bytecode.filter()->rowCount(); ++r)
      QVERIFY(!rig.bytecode.functions().byId(rig.bytecode.filter()->index(r, 0).data(FunctionsModel::IdRole).toULongLong())->prelude);
    // The JIT panel shows the same functions with the tier in its summary.
    QTRY_COMPARE(rig.jit.functions().rowCount(), rig.bytecode.functions().rowCount());
    QVERIFY(rig.jit.summaryText().contains(QStringLiteral("jit")));
  }

  void showsTheListingAndTheMachineCodeOfAFunction() {
    Rig rig(sx::Tier::Jit);
    rig.host.runSource(kDemo, "/tmp/demo.sx");
    QTRY_VERIFY_WITH_TIMEOUT(rig.rowNamed(QStringLiteral("sq")) >= 0, 10000);
    QVERIFY(rig.show(QStringLiteral("sq")));
    int mul = rig.rowOfOpcode("MUL");
    QVERIFY(mul >= 0);
    QCOMPARE(rig.rowOfOpcode("RETURN"), rig.bytecode.listing().rowCount() - 1);
    const BytecodeRow* row = rig.bytecode.listing().row(mul);
    QCOMPARE(row->span.line, 1u);
    QCOMPARE(row->span.col, 16u);  // (* x x)
    QCOMPARE(row->span.len, 7u);
    QVERIFY(rig.bytecode.headerText().contains(QStringLiteral("tier <b>jit</b>")));
    QCOMPARE(rig.bytecode.constantsView()->count(), 1);  // the global cell MUL checks
    QCOMPARE(rig.bytecode.constantsView()->item(0)->text(), QStringLiteral("k0  global *"));
    // The native panel: a group per instruction with the real machine code under it.
    QVERIFY(rig.native.headerText().contains(QStringLiteral("bytes of native code")));
    QModelIndex g = rig.native.model().groupOf(row->offset);
    QVERIFY(g.isValid());
    QVERIFY(g.data().toString().contains(QStringLiteral("MUL")));
    QVERIFY(rig.native.model().rowCount(g) > 0);
    QVERIFY(rig.native.model().instructionCount() > 10);
    QVERIFY(rig.native.model().data(rig.native.model().index(0, 0), Qt::DisplayRole).toString().contains(QStringLiteral("prologue")));
    // Some machine instruction of the function is a return to the caller.
    bool ret = false;
    for (const auto& grp : rig.native.model().groups())
      for (const auto& r : grp.rows) ret = ret || r.instruction.rfind("ret", 0) == 0;
    QVERIFY(ret);
  }

  void instructionsLinkToSourceAndMachineCodeBothWays() {
    Rig rig(sx::Tier::Jit);
    QSignalSpy source(&rig.bytecode, &BytecodePanel::sourceRequested);
    rig.host.runSource(kDemo, "/tmp/demo.sx");
    QTRY_VERIFY_WITH_TIMEOUT(rig.rowNamed(QStringLiteral("sq")) >= 0, 10000);
    QVERIFY(rig.show(QStringLiteral("sq")));
    int mul = rig.rowOfOpcode("MUL");
    uint32_t mulOffset = rig.bytecode.listing().row(mul)->offset;
    // Bytecode -> source and native.
    rig.bytecode.listingView()->selectRow(mul);
    QCOMPARE(source.count(), 1);
    Location where = source.at(0).at(0).value<Location>();
    QCOMPARE(where.file, QStringLiteral("/tmp/demo.sx"));
    QCOMPARE(where.line, 1);
    QCOMPARE(where.column, 16);
    QCOMPARE(source.at(0).at(1).toInt(), 7);
    QCOMPARE(rig.native.selectedBytecode(), QList<int64_t>{int64_t(mulOffset)});
    // Native -> bytecode: a machine instruction of the RETURN group.
    int ret = rig.rowOfOpcode("RETURN");
    uint32_t retOffset = rig.bytecode.listing().row(ret)->offset;
    QModelIndex g = rig.native.model().groupOf(retOffset);
    QVERIFY(g.isValid());
    QModelIndex ins = rig.native.model().rowCount(g) ? rig.native.model().index(0, 0, g) : g;
    rig.native.view()->selectionModel()->setCurrentIndex(ins, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(rig.bytecode.selectedOffsets(), QList<uint32_t>{retOffset});
    QCOMPARE(source.count(), 1);  // a selection from the native panel does not move the editor
  }

  void theEditorCursorSelectsInstructionsAndSwitchesFunction() {
    Rig rig(sx::Tier::Jit);
    rig.host.runSource(kDemo, "/tmp/demo.sx");
    QTRY_VERIFY_WITH_TIMEOUT(rig.rowNamed(QStringLiteral("twice-all")) >= 0, 10000);
    QVERIFY(rig.show(QStringLiteral("twice-all")));
    CodeEditor editor(nullptr);
    editor.setPlainText(QString::fromUtf8(kDemo));
    auto rangeOf = [&](const SourcePos& s) {
      auto r = editor.spanRange(int(s.line), int(s.col), int(s.len));
      return std::pair<int, int>(r.first, r.second);
    };
    // The cursor on `(* x x)` in sq: the panel switches to sq and selects MUL.
    int pos = editor.positionOf(1, 17);
    QCOMPARE(rig.bytecode.selectAtSource(QStringLiteral("/tmp/demo.sx"), pos, rangeOf), 0);  // switching first
    QTRY_VERIFY(rig.bytecode.headerText().contains(QStringLiteral("<b>sq</b>")));
    QTRY_VERIFY(!rig.bytecode.selectedOffsets().isEmpty());
    QStringList ops;  // every instruction compiled from (* x x): MUL, and the RETURN of its value
    for (uint32_t off : rig.bytecode.selectedOffsets()) {
      const BytecodeRow* r = rig.bytecode.listing().row(rig.bytecode.listing().rowOfOffset(off));
      QCOMPARE(r->span.col, 16u);
      ops << qs(r->opcode);
    }
    QVERIFY(ops.contains(QStringLiteral("MUL")));
    QVERIFY(!ops.contains(QStringLiteral("LOCAL_GET")));
    // Inside the same function now: on the second `x` of (* x x), that LOCAL_GET alone.
    pos = editor.positionOf(1, 21);
    QCOMPARE(rig.bytecode.selectAtSource(QStringLiteral("/tmp/demo.sx"), pos, rangeOf), 1);
    uint32_t off = rig.bytecode.selectedOffsets()[0];
    const BytecodeRow* r = rig.bytecode.listing().row(rig.bytecode.listing().rowOfOffset(off));
    QCOMPARE(r->opcode, std::string("LOCAL_GET"));
    QCOMPARE(r->span.col, 21u);
    // Another file: nothing is selected.
    QCOMPARE(rig.bytecode.selectAtSource(QStringLiteral("/tmp/other.sx"), pos, rangeOf), 0);
    QVERIFY(rig.bytecode.selectedOffsets().isEmpty());
    // The span's range in the editor covers exactly "(* x x)".
    auto [s, e] = editor.spanRange(1, 16, 7);
    QCOMPARE(editor.toPlainText().mid(s, e - s), QStringLiteral("(* x x)"));
  }

  void jitExcludePatternsAreEditedAndApplied() {
    Rig rig(sx::Tier::Jit);
    rig.host.runSource(kDemo, "/tmp/demo.sx");
    QTRY_VERIFY_WITH_TIMEOUT(rig.rowNamed(QStringLiteral("sq")) >= 0, 10000);
    QTRY_COMPARE(rig.jit.functions().rowCount(), rig.bytecode.functions().rowCount());
    QVERIFY(!rig.jit.findChild<QPushButton*>(QStringLiteral("jitExcludeApply"))->isEnabled());
    rig.jit.addPattern(QStringLiteral("sq"));
    rig.jit.addPattern(QStringLiteral("twice*"));
    QVERIFY(rig.jit.findChild<QPushButton*>(QStringLiteral("jitExcludeApply"))->isEnabled());
    rig.jit.applyPatterns();
    QTRY_COMPARE(rig.jit.enginePatterns(), (QStringList{QStringLiteral("sq"), QStringLiteral("twice*")}));
    auto tierOf = [&](const char* name) { return rig.jit.functions().byId(rig.named(QString::fromLatin1(name))->id)->tier; };
    QCOMPARE(tierOf("sq"), std::string("cek"));
    QCOMPARE(tierOf("twice-all"), std::string("cek"));
    QVERIFY(qs(rig.jit.functions().byId(rig.named(QStringLiteral("sq"))->id)->refusal).contains(QStringLiteral("jit-exclude")));
    // Run again: the excluded functions are interpreted, the result is the same.
    rig.host.runSource("(sq 5)", "<again>");
    QTRY_VERIFY(rig.named(QStringLiteral("sq"))->calls == 2);
    QCOMPARE(tierOf("sq"), std::string("cek"));
    // Remove them all: the next call compiles sq again.
    rig.jit.patternsView()->selectAll();
    rig.jit.removeSelectedPatterns();
    rig.jit.applyPatterns();
    QTRY_VERIFY(rig.jit.enginePatterns().isEmpty());
    rig.host.runSource("(sq 6)", "<again>");
    QTRY_VERIFY(rig.named(QStringLiteral("sq"))->calls == 3);
    QTRY_COMPARE(tierOf("sq"), std::string("jit"));
  }

  void jitPanelSelectionDrivesTheBytecodePanel() {
    Rig rig(sx::Tier::Jit);
    rig.host.runSource(kDemo, "/tmp/demo.sx");
    QTRY_VERIFY_WITH_TIMEOUT(rig.rowNamed(QStringLiteral("sq")) >= 0, 10000);
    QTRY_COMPARE(rig.jit.functions().rowCount(), rig.bytecode.functions().rowCount());
    uint64_t id = rig.named(QStringLiteral("twice-all"))->id;
    QTableView* v = rig.jit.view();
    for (int r = 0; r < v->model()->rowCount(); ++r)
      if (v->model()->index(r, 0).data(FunctionsModel::IdRole).toULongLong() == id) v->selectRow(r);
    QCOMPARE(rig.bytecode.currentFunction(), std::optional<uint64_t>(id));
    QTRY_VERIFY(rig.bytecode.headerText().contains(QStringLiteral("twice-all")));
    QVERIFY(rig.jit.detailText().contains(QStringLiteral("native code")));
  }

  void inTheVmTierTheNativePanelSaysWhyThereIsNoCode() {
    Rig rig(sx::Tier::Vm);
    rig.host.runSource(kDemo, "/tmp/demo.sx");
    QTRY_VERIFY_WITH_TIMEOUT(rig.rowNamed(QStringLiteral("sq")) >= 0, 10000);
    QVERIFY(rig.show(QStringLiteral("sq")));
    QCOMPARE(rig.named(QStringLiteral("sq"))->tier, std::string("vm"));
    QVERIFY(rig.native.headerText().contains(QStringLiteral("not compiled: no native code yet")));
    QCOMPARE(rig.native.model().rowCount(), 0);
    QVERIFY(rig.bytecode.listing().rowCount() > 0);
  }

  void theCekTierHasNoBytecodeAndSaysSo() {
    Rig rig(sx::Tier::Cek);
    rig.host.runSource(kDemo, "/tmp/demo.sx");
    QTRY_VERIFY_WITH_TIMEOUT(rig.rowNamed(QStringLiteral("sq")) >= 0, 10000);
    QCOMPARE(rig.named(QStringLiteral("sq"))->tier, std::string("cek"));
    rig.bytecode.selectFunction(rig.named(QStringLiteral("sq"))->id);
    QTRY_VERIFY(rig.bytecode.headerText().contains(QStringLiteral("no bytecode: interpreted: the tier is cek")));
    QCOMPARE(rig.bytecode.listing().rowCount(), 0);
  }

  // A run that only called the shown function more updates both headers without a new
  // listing; new code (here a native size) asks for one.
  void moreCallsUpdateTheHeadersWithoutANewListing() {
    FakeInspector fake;
    InspectorBridge bridge(fake);
    BytecodePanel bytecode(bridge);
    NativePanel native(bridge);
    connect(&bytecode, &BytecodePanel::functionSelected, &native, [&](uint64_t id) { native.setFunction(id, true); });
    FunctionsUpdated u;
    u.functions = {fakeFunction(2, "handler", false)};
    u.functions[0].tier = "jit";
    u.functions[0].jitRefusal.clear();
    u.functions[0].nativeSize = 300;
    u.functions[0].counts = {{"overflow", "slow", "inline fixnum arithmetic overflowed", 5}};
    fake.emit(u);
    QTRY_COMPARE(fake.listingRequests, std::vector<uint64_t>{2});
    FunctionListing listing;
    listing.function = u.functions[0];
    listing.rows = {BytecodeRow{0, 1, "RETURN", "", -1, {}}};
    listing.nativeAddress = 0x1000;
    listing.native = {NativeGroup{0, "0000  RETURN", false, {NativeRow{0x1000, 0, "c3", "ret"}}}};
    ListingReady l;
    l.function = 2;
    l.listing = std::make_shared<const FunctionListing>(listing);
    fake.emit(l);
    QTRY_VERIFY(bytecode.headerText().contains(QStringLiteral("20 calls")));
    QVERIFY(native.headerText().contains(QStringLiteral("20 calls")));
    QCOMPARE(bytecode.listing().rowCount(), 1);
    u.functions[0].calls = 70;
    u.functions[0].counts[0].count = 9;
    fake.emit(u);
    QTRY_VERIFY(bytecode.headerText().contains(QStringLiteral("70 calls")));
    QVERIFY(bytecode.headerText().contains(QStringLiteral("0 parameters")));  // the listing's shape stays
    QVERIFY(native.headerText().contains(QStringLiteral("70 calls")));
    QCOMPARE(native.countsView()->item(0, 2)->text(), QStringLiteral("9"));
    QCOMPARE(fake.listingRequests, std::vector<uint64_t>{2});  // no new listing
    QCOMPARE(bytecode.listing().rowCount(), 1);
    u.functions[0].nativeSize = 320;
    fake.emit(u);
    QTRY_COMPARE(fake.listingRequests, (std::vector<uint64_t>{2, 2}));
  }

  void fakeEngineFiltersReasonsAndCounts() {
    FakeInspector fake;
    InspectorBridge bridge(fake);
    BytecodePanel bytecode(bridge);
    NativePanel native(bridge);
    JitPanel jit(bridge);
    FunctionsUpdated u;
    u.tier = "jit";
    u.functions = {fakeFunction(1, "render-helper", true), fakeFunction(2, "handler", false), fakeFunction(3, "helper", false)};
    u.functions[1].tier = "jit";
    u.functions[1].jitRefusal.clear();
    u.functions[1].nativeSize = 300;
    u.functions[1].deopts = 2;
    u.functions[1].counts = {{"unsupported", "deopt", "an instruction without a native sequence", 2}, {"overflow", "slow", "inline fixnum arithmetic overflowed", 5}};
    u.jitExclude = {"helper"};
    fake.emit(u);
    QTRY_COMPARE(bytecode.functions().rowCount(), 3);
    QCOMPARE(bytecode.filter()->rowCount(), 2);  // the prelude's function is hidden
    bytecode.findChild<QCheckBox*>(QStringLiteral("bytecodeShowPrelude"))->setChecked(true);
    QCOMPARE(bytecode.filter()->rowCount(), 3);
    bytecode.filter()->setText(QStringLiteral("HAND"));
    QCOMPARE(bytecode.filter()->rowCount(), 1);
    // The first project function was selected and its listing asked for.
    QCOMPARE(bytecode.currentFunction(), std::optional<uint64_t>(2));
    QCOMPARE(fake.listingRequests, std::vector<uint64_t>{2});
    QCOMPARE(jit.patternsView()->count(), 1);
    QCOMPARE(jit.patternsView()->item(0)->text(), QStringLiteral("helper"));
    QVERIFY(jit.summaryText().contains(QStringLiteral("3 functions")));
    QVERIFY(FunctionsModel::statusText(u.functions[2]).contains(QStringLiteral("too big")));
    QCOMPARE(FunctionsModel::countsText(u.functions[1]), QStringLiteral("unsupported 2 (deopt), overflow 5 (slow)"));
    // A listing with counts and no native code: the reason and the counts table.
    native.setFunction(2);
    QCOMPARE(fake.listingRequests.back(), uint64_t(2));
    ListingReady l;
    l.function = 2;
    FunctionListing refused;
    refused.function = u.functions[1];
    refused.function.jitRefusal = "the function is too big";
    refused.function.tier = "vm";
    l.listing = std::make_shared<const FunctionListing>(refused);
    fake.emit(l);
    QTRY_VERIFY(native.headerText().contains(QStringLiteral("not compiled: the function is too big")));
    QCOMPARE(native.countsView()->rowCount(), 2);
    QCOMPARE(native.countsView()->item(0, 0)->text(), QStringLiteral("unsupported"));
    QCOMPARE(native.countsView()->item(1, 2)->text(), QStringLiteral("5"));
    // An unknown function is reported, not shown as empty code.
    ListingReady bad;
    bad.function = 2;
    bad.error = "no function #2 is known to the engine";
    fake.emit(bad);
    QTRY_VERIFY(native.headerText().contains(QStringLiteral("no function #2")));
    // Editing the patterns: Apply sends the whole list.
    jit.addPattern(QStringLiteral("render-*"));
    jit.applyPatterns();
    QCOMPARE(fake.excludeCalls.size(), size_t(1));
    QCOMPARE(fake.excludeCalls[0], (std::vector<std::string>{"helper", "render-*"}));
  }
};

QTEST_MAIN(TestCodePanels)
#include "test_code_panels.moc"
