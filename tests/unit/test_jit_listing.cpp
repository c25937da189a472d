// The JIT's inspectable native code (jit/jit_x64.h): Zydis lines of the installed bytes,
// the native range of every bytecode instruction and exit stub, asmjit's listing with
// bytecode comments, the text listing, and jit-inspect's data.
#include <QtTest/QtTest>

#include "jit_bench.h"

using namespace sx;
using namespace jit_test;

class TestJitListing : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void listingsDescribeTheInstalledCode() {
    Bench t;
    Value f = t.fn("max-of", ".params 2\n.locals 2\n.global >\nLOCAL_GET 0\nLOCAL_GET 1\nGT 0\n"
                             "JUMP_IF_FALSE second\nLOCAL_GET 0\nRETURN\nsecond:\nLOCAL_GET 1\nRETURN\n");
    const Code& code = codeOf(f);
    jitCompile(code, "max-of");
    const JitCode& jit = *code.jit;
    // Zydis decodes the relocated bytes back to back, and the lines cover them exactly.
    std::vector<JitLine> lines = jitDisassemble(jit);
    QVERIFY(!lines.empty());
    uint32_t next = 0;
    for (const JitLine& l : lines) {
      QCOMPARE(l.offset, next);
      QVERIFY2(l.text != "(not an instruction)", l.hex.c_str());
      next += uint32_t(l.hex.size() / 2);
    }
    QCOMPARE(next, jit.size);
    QCOMPARE(lines.front().text, std::string("push rbp"));
    // Every bytecode instruction has a range, in bytecode order, and GT's exit stubs
    // belong to it.
    std::vector<uint32_t> pcs;
    int stubs = 0;
    for (const JitRange& r : jit.ranges) {
      if (r.exitStub) {
        QCOMPARE(r.bytecode, uint32_t(6));
        ++stubs;
      } else if (r.bytecode != JitRange::kNoBytecode) {
        pcs.push_back(r.bytecode);
      }
    }
    QCOMPARE(pcs, (std::vector<uint32_t>{0, 3, 6, 9, 14, 17, 18, 21}));
    QCOMPARE(stubs, 3);  // the redefined exit, the float path, the not-number slow path
    // asmjit's listing: a comment per bytecode instruction.
    std::string asmText = jitAsmListing(t.iso, code);
    for (const char* line : {"; 0: LOCAL_GET", "; 6: GT", "; 9: JUMP_IF_FALSE", "; 18: LOCAL_GET", "; slow path at 6 (not-number)", "; float path of 6", "; exit before 6: redefined"})
      QVERIFY2(asmText.find(line) != std::string::npos, line);
    // Its machine-code column (emitted again with a logger) is the installed code.
    std::string logged, installed;
    for (const JitLine& l : lines) installed += l.hex;
    QTextStream in(QByteArray::fromStdString(asmText));
    for (QString line; in.readLineInto(&line);) {
      qsizetype semi = line.lastIndexOf("; ");
      if (line.startsWith(';') || semi < 0) continue;
      logged += line.mid(semi + 2).trimmed().toLower().toStdString();
    }
    // Forward jumps are logged before their labels are bound: '.' for those bytes.
    QCOMPARE(logged.size(), installed.size());
    for (size_t k = 0; k < logged.size(); ++k)
      if (logged[k] != '.') QVERIFY2(logged[k] == installed[k], std::to_string(k).c_str());
    // The text listing interleaves both.
    std::string text = formatNativeListing(t.iso, code, "max-of");
    QVERIFY2(text.rfind("native max-of: ", 0) == 0, text.c_str());
    QVERIFY(text.find("0006  GT") != std::string::npos);
    QVERIFY(text.find("exit stub: leave before 0006 (redefined)") != std::string::npos);
  }

  void jitInspectReturnsData() {
    Bench t;
    QCOMPARE(t.ev("(define (sq x) (* x x))"
                  "(let ((d (jit-inspect \"sq\")))"
                  "  (list (get d :native) (> (get d :size) 0) (= (len (get d :bytes)) (* 2 (get d :size)))"
                  "        (get (first (get d :instructions)) :text) (get (first (get d :ranges)) :bytecode)"
                  "        (get d :entries) (string? (get d :listing))))"),
             std::string("(true true true \"push rbp\" nil (0 3 6) true)"));
    QCOMPARE(t.ev("(jit-inspect \"no-such-function\")"), std::string("error: jit-inspect: no function named no-such-function"));
  }
};

QTEST_APPLESS_MAIN(TestJitListing)
#include "test_jit_listing.moc"
