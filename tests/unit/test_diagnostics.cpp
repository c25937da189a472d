// Diagnostics are data: every error reaching a host carries a code, the message, the
// file, line and column of its source, the source line, and the SX stack.
#include <QtTest/QtTest>

#include <atomic>
#include <chrono>
#include <thread>

#include "sx.h"

using namespace sx;

class TestDiagnostics : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void readerErrorHasLineAndColumn() {
    Engine e;
    EvalResult r = e.evalString("(define x 1)\n(list 1 2\n", "unbalanced.sx");
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, ErrorCode::Reader);
    QCOMPARE(r.error.file, std::string("unbalanced.sx"));
    QCOMPARE(r.error.line, 2u);
    QCOMPARE(r.error.col, 1u);
    QVERIFY(r.error.message.find("never closed") != std::string::npos);
  }

  void badEscapeAndNumber() {
    Engine e;
    EvalResult r = e.evalString("(str \"a\\qb\")", "esc.sx");
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, ErrorCode::Reader);
    QCOMPARE(r.error.line, 1u);
    QVERIFY(r.error.col > 5);
    r = e.evalString("\n  (+ 1.2.3 4)", "num.sx");
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, ErrorCode::Reader);
    QCOMPARE(r.error.line, 2u);
    QCOMPARE(r.error.col, 6u);
  }

  void syntaxErrorPointsAtTheForm() {
    Engine e;
    EvalResult r = e.evalString("(define ok 1)\n  (if)", "syntax.sx");
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, ErrorCode::Syntax);
    QCOMPARE(r.error.line, 2u);
    QCOMPARE(r.error.col, 3u);
    QCOMPARE(r.error.sourceLine, std::string("  (if)"));
  }

  void typeErrorNamesFunctionAndArgument() {
    Engine e;
    EvalResult r = e.evalString("(define (f x)\n  (+ x \"a\"))\n(f 1)", "type.sx");
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, ErrorCode::Type);
    QCOMPARE(r.error.message, std::string("+: expected number for argument 2, got string \"a\""));
    QCOMPARE(r.error.line, 2u);
    QCOMPARE(r.error.col, 3u);
    QCOMPARE(r.error.stack.front().function, std::string("f"));
  }

  void stackListsPendingCallers() {
    Engine e;
    EvalResult r = e.evalString(
        "(define (inner x) (error \"boom\" x))\n"
        "(define (middle x) (+ 1 (inner x)))\n"
        "(define (outer) (list (middle 5)))\n"
        "(outer)",
        "stack.sx");
    QVERIFY(!r.ok);
    QCOMPARE(r.error.message, std::string("boom 5"));
    QVERIFY(r.error.stack.size() >= 3);
    QCOMPARE(r.error.stack[0].function, std::string("inner"));
    QCOMPARE(r.error.stack[0].line, 1u);
    QCOMPARE(r.error.stack[1].function, std::string("middle"));
    QCOMPARE(r.error.stack[1].line, 2u);
    QCOMPARE(r.error.stack[2].function, std::string("outer"));
    QCOMPARE(r.error.stack[2].line, 3u);
    std::string text = Engine::formatDiagnostic(r.error);
    QVERIFY(text.rfind("stack.sx:1:", 0) == 0);
    QVERIFY(text.find("at middle (stack.sx:2:") != std::string::npos);
  }

  void arityAndNotCallable() {
    Engine e;
    EvalResult r = e.evalString("(define (two a b) a)\n(two 1)", "arity.sx");
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, ErrorCode::Arity);
    QCOMPARE(r.error.message, std::string("two: expected 2 arguments, got 1"));
    r = e.evalString("(5 1)", "call.sx");
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, ErrorCode::NotCallable);
    QVERIFY(r.error.message.find("Not callable: 5") == 0);
  }

  void depthLimitIsCatchable() {
    EngineOptions o;
    o.maxDepth = 5000;
    Engine e(o);
    EvalResult r = e.evalString(
        "(define (deep n) (+ 1 (deep (+ n 1))))\n"
        "(list (guard (err (true (error-message err))) (deep 0)) (+ 1 2))",
        "depth.sx");
    QVERIFY2(r.ok, r.error.message.c_str());
    QCOMPARE(r.printed, std::string("(\"stack depth exceeded\" 3)"));
    r = e.evalString("(deep 0)", "depth2.sx");
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, ErrorCode::Depth);
  }

  void interruptStopsAnEndlessLoop() {
    Engine e;
    std::atomic<bool> done{false};
    std::thread stopper([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      e.interrupt();
      done = true;
    });
    EvalResult r = e.evalString("(let loop ((i 0)) (loop (+ i 1)))", "loop.sx");
    stopper.join();
    QVERIFY(done);
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, ErrorCode::Interrupted);
    // An interrupt is not an SX error a guard could swallow.
    std::thread stopper2([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      e.interrupt();
    });
    r = e.evalString("(guard (x (true 'caught)) (let loop () (loop)))", "loop2.sx");
    stopper2.join();
    QVERIFY(!r.ok);
    QCOMPARE(r.error.code, ErrorCode::Interrupted);
    // The engine is usable afterwards.
    r = e.evalString("(+ 1 2)");
    QCOMPARE(r.printed, std::string("3"));
  }

  void unknownOpIsAnErrorInBothModes() {
    for (ResolverMode m : {ResolverMode::Inline, ResolverMode::Unwind}) {
      EngineOptions o;
      o.mode = m;
      Engine e(o);
      EvalResult r = e.evalString("(perform {:op \"nope\" :args (list)})", "op.sx");
      QVERIFY(!r.ok);
      QCOMPARE(r.error.code, ErrorCode::UnknownOp);
      QCOMPARE(r.error.message, std::string("unknown IO op: nope"));
      QCOMPARE(r.error.line, 1u);
    }
  }
};

QTEST_APPLESS_MAIN(TestDiagnostics)
#include "test_diagnostics.moc"
