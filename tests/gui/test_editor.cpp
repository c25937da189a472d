// The editor panel: highlighting through the KSyntaxHighlighting backend with the
// generated SX definition, bracket matching, diagnostics and perform markers from the
// inspector's checks (a fake engine), go-to-definition, breakpoints.
#include <QtTest/QtTest>

#include <QTextBlock>
#include <QTextLayout>
#include <QToolTip>

#include "common/inspectorbridge.h"
#include "editor/codeeditor.h"
#include "editor/editorarea.h"
#include "editor/sxscan.h"
#include "editor/syntaxengine.h"
#include "fake_inspector.h"

using namespace sxs;

namespace {

// The format the highlighter gave the text at `pos` of the block.
QTextCharFormat formatAt(const QTextBlock& block, int pos) {
  for (const QTextLayout::FormatRange& r : block.layout()->formats())
    if (pos >= r.start && pos < r.start + r.length) return r.format;
  return {};
}

// The colour the highlighter gave the text at `pos` of the block, or invalid.
QColor colorAt(const QTextBlock& block, int pos) {
  QTextCharFormat f = formatAt(block, pos);
  return f.hasProperty(QTextFormat::ForegroundBrush) ? f.foreground().color() : QColor();
}

}  // namespace

class TestEditor : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void generatedDefinitionHasTheEngineTables() {
    QByteArray xml = sxSyntaxDefinition();
    QVERIFY(xml.contains("<item>define</item>"));        // a special form
    QVERIFY(xml.contains("<item>with-io-handlers</item>"));  // a host native
    QVERIFY(xml.contains("<item>map</item>"));            // an HO native
    QVERIFY(xml.contains("<item>-&gt;&gt;</item>"));      // escaped
    QVERIFY(!xml.contains("@SX_"));
  }

  void highlightsFormsPrimitivesStringsAndComments() {
    QString error;
    auto syntax = SyntaxEngine::create(false, &error);
    QVERIFY2(syntax, qPrintable(error));
    CodeEditor editor(syntax.get());
    editor.setPlainText(QStringLiteral("(define (f x) (map inc \"a ; b\")) ; note\n:key 42 #\\( \"multi\nline\" after"));
    QTextBlock b = editor.document()->firstBlock();
    QColor prim = colorAt(b, 15), str = colorAt(b, 24), comment = colorAt(b, 35);
    QCOMPARE(formatAt(b, 1).fontWeight(), int(QFont::Bold));  // define: a special form
    QCOMPARE(formatAt(b, 9).fontWeight(), int(QFont::Normal));  // f: a plain name
    QVERIFY(!colorAt(b, 9).isValid());
    QVERIFY(prim.isValid());
    QVERIFY(str.isValid());
    QVERIFY(comment.isValid());
    QVERIFY(prim != str);
    QVERIFY(str != comment);
    QVERIFY(colorAt(b, 27) == str);  // ';' inside the string is string, not comment
    QTextBlock b2 = b.next();
    QVERIFY(colorAt(b2, 1).isValid());   // keyword
    QVERIFY(colorAt(b2, 6).isValid());   // number
    QTextBlock b3 = b2.next();
    QCOMPARE(colorAt(b3, 0), colorAt(b2, 14));  // the string continues on the next line
    QVERIFY(colorAt(b3, 8) != colorAt(b3, 0));  // and ends there
  }

  void bracketMatching() {
    QString t = QStringLiteral("(a [b \")\" #\\) c] ; )\n d)");
    auto m = matchBracket(t, 1);  // after the first '('
    QVERIFY(m);
    QCOMPARE(m->at, 0);
    QCOMPARE(m->partner, int(t.size()) - 1);
    m = matchBracket(t, 16);  // after ']'
    QVERIFY(m);
    QCOMPARE(m->partner, 3);
    QVERIFY(!matchBracket(t, 8));  // inside the string
    auto bad = matchBracket(QStringLiteral("(a]"), 3);
    QVERIFY(bad);
    QCOMPARE(bad->partner, -1);
    QVERIFY(formsComplete(QStringLiteral("(a \"(\" b)")));
    QVERIFY(!formsComplete(QStringLiteral("(a \"(\" b")));
    QVERIFY(!formsComplete(QStringLiteral("(a \"b)")));
    QCOMPARE(symbolAt(QStringLiteral("(map inc xs)"), 3), QStringLiteral("map"));
  }

  void editorHighlightsTheMatchingBracket() {
    CodeEditor e(nullptr);
    e.setPlainText(QStringLiteral("(define (f x)\n  (+ x 1))"));
    QTextCursor c = e.textCursor();
    c.setPosition(e.toPlainText().size());
    e.setTextCursor(c);
    QCOMPARE(e.highlightedBrackets().second, 0);
  }

  void diagnosticsShowTheirMessageOnHover() {
    CodeEditor e(nullptr);
    e.resize(500, 300);
    e.show();
    e.setPlainText(QStringLiteral("(define x 1)\n  (if)\n"));
    e.moveCursor(QTextCursor::End);  // away from any bracket
    e.setDiagnostics({{2, 3, 0, QStringLiteral("if: expected (if test then [else])")}});
    QCOMPARE(e.extraSelections().size(), 1);
    QCOMPARE(e.extraSelections()[0].cursor.selectedText(), QStringLiteral("(if"));
    QTextCursor at(e.document());
    at.setPosition(e.positionOf(2, 4));
    QPoint p = e.cursorRect(at).center();
    QHelpEvent help(QEvent::ToolTip, p, e.viewport()->mapToGlobal(p));
    QCoreApplication::sendEvent(&e, &help);
    QTRY_COMPARE(QToolTip::text(), QStringLiteral("if: expected (if test then [else])"));
  }

  void checksApplyDiagnosticsAndPerformMarkers() {
    FakeInspector fake;
    InspectorBridge bridge(fake);
    EditorArea area(bridge);
    CodeEditor* e = area.openText(QStringLiteral("/tmp/buf.sx"), QStringLiteral("(define (f x)\n  (perform x))\n(if)"));
    QVERIFY(e);
    QVERIFY(!fake.checks.empty());
    uint64_t gen = fake.checks.back().generation;
    QCOMPARE(fake.checks.back().name, std::string("/tmp/buf.sx"));
    sx::inspect::SourceChecked c;
    c.name = "/tmp/buf.sx";
    c.generation = gen;
    sx::Diagnostic d;
    d.code = sx::ErrorCode::Syntax;
    d.message = "if: expected (if test then [else])";
    d.line = 3;
    d.col = 1;
    c.diagnostics.push_back(d);
    c.performSites.push_back({"/tmp/buf.sx", 2, 3, 11});
    c.definitions.push_back({"f", "function", {"/tmp/buf.sx", 1, 1, 0}, ""});
    QSignalSpy applied(&area, &EditorArea::checked);
    fake.emit(c);
    QVERIFY(applied.wait(2000));
    QCOMPARE(e->diagnostics().size(), size_t(1));
    QCOMPARE(e->diagnostics()[0].line, 3);
    QVERIFY(e->performLines().contains(2));
    // An older generation is ignored.
    c.generation = gen - 1;
    c.diagnostics.clear();
    fake.emit(c);
    QTest::qWait(50);
    QCOMPARE(e->diagnostics().size(), size_t(1));
    // Editing schedules a new check after a quiet moment.
    size_t before = fake.checks.size();
    e->appendPlainText(QStringLiteral("(f 1)"));
    QTRY_VERIFY_WITH_TIMEOUT(fake.checks.size() > before, 3000);
  }

  void goToDefinitionUsesBuffersThenTheEngine() {
    FakeInspector fake;
    fake.defs.push_back({"map", "primitive", {}, "(map f xs ...) -> list"});
    InspectorBridge bridge(fake);
    EditorArea area(bridge);
    CodeEditor* e = area.openText(QStringLiteral("/tmp/defs.sx"), QStringLiteral("\n\n  (define (g) 1)\n(g)"));
    sx::inspect::SourceChecked c;
    c.name = "/tmp/defs.sx";
    c.generation = fake.checks.back().generation;
    c.definitions.push_back({"g", "function", {"/tmp/defs.sx", 3, 3, 0}, ""});
    QSignalSpy applied(&area, &EditorArea::checked);
    fake.emit(c);
    QVERIFY(applied.wait(2000));
    e->goTo(4, 2);
    QSignalSpy asked(e, &CodeEditor::definitionRequested);
    e->requestDefinition();
    QCOMPARE(asked.count(), 1);
    QCOMPARE(asked[0][0].toString(), QStringLiteral("g"));
    QCOMPARE(e->cursorLine(), 3);
    QCOMPARE(e->textCursor().positionInBlock(), 2);
    QString msg;
    QVERIFY(!area.goToDefinition(QStringLiteral("map"), &msg));
    QVERIFY(msg.contains(QStringLiteral("primitive")));
    QVERIFY(!area.goToDefinition(QStringLiteral("nowhere"), &msg));
    QVERIFY(msg.contains(QStringLiteral("No definition")));
  }

  void breakpointsToggleFromTheGutter() {
    FakeInspector fake;
    InspectorBridge bridge(fake);
    EditorArea area(bridge);
    CodeEditor* e = area.openText(QStringLiteral("/tmp/bp.sx"), QStringLiteral("(a)\n(b)\n(c)"));
    e->resize(400, 300);
    e->show();
    QWidget* gutter = e->findChild<QWidget*>(QStringLiteral("editorGutter"));
    QVERIFY(gutter);
    int lineHeight = e->fontMetrics().height();
    QTest::mouseClick(gutter, Qt::LeftButton, {}, QPoint(5, lineHeight + lineHeight / 2 + 4));
    QCOMPARE(e->breakpoints(), QSet<int>({2}));
    QCOMPARE(area.breakpoints().value(QStringLiteral("/tmp/bp.sx")), QList<int>({2}));
    e->toggleBreakpoint(2);
    QVERIFY(e->breakpoints().isEmpty());
  }
};

QTEST_MAIN(TestEditor)
#include "test_editor.moc"
