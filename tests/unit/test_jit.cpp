// The JIT below the language (STYLE 13): hand-assembled bytecode (compiler/disasm.h)
// run once in the VM and once as native code, with the answers compared and the exits
// native code took counted by reason (jit_reasons.h): each native sequence in isolation,
// its fast path (no exit but the return), and its overflow, type-error and deopt paths
// (an exit before the instruction, which the VM then executes). Also: kOpJit agrees
// with the emitter for every opcode, and a deopting function's side effect happens once.
// The inspectable code is test_jit_listing.cpp's.
#include <QtTest/QtTest>

#include "jit_bench.h"

using namespace sx;
using namespace jit_test;

namespace {

std::string binaryProgram(const std::string& op, const std::string& prim) {
  return ".params 2\n.locals 2\n.global " + prim + "\nLOCAL_GET 0\nLOCAL_GET 1\n" + op + " 0\nRETURN\n";
}
std::string unaryProgram(const std::string& op, const std::string& prim) {
  return ".params 1\n.locals 1\n.global " + prim + "\nLOCAL_GET 0\n" + op + " 0\nRETURN\n";
}

// Every code object reachable from a code's constants (blocks, nested lambdas).
void allCode(const Code& c, std::vector<const Code*>& out) {
  out.push_back(&c);
  for (Value k : c.consts)
    if (isType(k, ObjType::Proto) && as<Proto>(k)->info->code) allCode(*as<Proto>(k)->info->code, out);
}

}  // namespace

class TestJit : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // ---- inline arithmetic and comparisons: fast path, overflow, not a fixnum ----------
  // A failed check takes the slow path in native code (the primitive itself, counted
  // by reason); a type error is the primitive's, raised after native code committed
  // the frame as the VM does.
  void binaryOps_data() {
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("prim");
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("exits");
    auto row = [](const char* tag, const char* op, const char* prim, const char* a, const char* b, const char* want,
                  const char* exits) { QTest::newRow(tag) << op << prim << a << b << want << exits; };
    row("add", "ADD", "+", "3", "4", "7", "return=1");
    row("add negatives", "ADD", "+", "-10", "-4", "-14", "return=1");
    row("add to 2^62-1 stays fixnum", "ADD", "+", "4611686018427387902", "1", "4611686018427387903", "return=1");
    row("add past 2^62-1 overflows", "ADD", "+", "4611686018427387903", "1", "4611686018427387904", "overflow=1 return=1");
    row("add below -2^62 overflows", "ADD", "+", "-4611686018427387904", "-1", "-4611686018427387905", "overflow=1 return=1");
    row("add float", "ADD", "+", "1.5", "1", "2.5", "return=1");  // the float path (test_jit_float)
    row("add string is a type error", "ADD", "+", "1", "\"x\"", "", "not-number=1 raised=1");
    row("sub", "SUB", "-", "10", "4", "6", "return=1");
    row("sub past -2^62 overflows", "SUB", "-", "-4611686018427387904", "1", "-4611686018427387905", "overflow=1 return=1");
    row("sub of min from 0 overflows", "SUB", "-", "0", "-4611686018427387904", "4611686018427387904", "overflow=1 return=1");
    row("mul", "MUL", "*", "6", "-7", "-42", "return=1");
    row("mul by zero", "MUL", "*", "0", "-4611686018427387904", "0", "return=1");
    row("mul past 2^62 overflows", "MUL", "*", "3037000499", "3037000499", "9223372030926249001", "overflow=1 return=1");
    row("mul to exactly -2^62", "MUL", "*", "-2305843009213693952", "2", "-4611686018427387904", "return=1");
    row("mul to 2^62 overflows", "MUL", "*", "2305843009213693952", "2", "4611686018427387904", "overflow=1 return=1");
    row("lt true", "LT", "<", "-1", "2", "true", "return=1");
    row("lt false", "LT", "<", "2", "1", "false", "return=1");
    row("lt mixed", "LT", "<", "1", "1.5", "true", "return=1");
    row("gt", "GT", ">", "5", "2", "true", "return=1");
    row("gt equal", "GT", ">", "2", "2", "false", "return=1");
    row("le equal", "LE", "<=", "2", "2", "true", "return=1");
    row("le greater", "LE", "<=", "3", "2", "false", "return=1");
    row("ge false", "GE", ">=", "-5", "2", "false", "return=1");
    row("ge equal", "GE", ">=", "7", "7", "true", "return=1");
    row("num-eq", "NUM_EQ", "=", "3", "3", "true", "return=1");
    row("num-eq differs", "NUM_EQ", "=", "3", "-3", "false", "return=1");
    row("num-eq int and float", "NUM_EQ", "=", "1", "1.0", "true", "return=1");
    row("lt of a string is a type error", "LT", "<", "\"a\"", "1", "", "not-number=1 raised=1");
  }
  void binaryOps() {
    QFETCH(QString, op);
    QFETCH(QString, prim);
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(QString, expected);
    QFETCH(QString, exits);
    Bench t;
    Value f = t.fn("bin", binaryProgram(op.toStdString(), prim.toStdString()));
    auto [value, taken] = vmThenJit(t, f, {a.toStdString(), b.toStdString()});
    if (expected.isEmpty())
      QVERIFY2(value.rfind("error: ", 0) == 0, value.c_str());  // the primitive's error
    else
      QCOMPARE(QString::fromStdString(value), expected);
    QCOMPARE(QString::fromStdString(exitsText(taken)), exits);
  }

  void unaryOps_data() {
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("prim");
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("exits");
    auto row = [](const char* tag, const char* op, const char* prim, const char* a, const char* want, const char* exits) {
      QTest::newRow(tag) << op << prim << a << want << exits;
    };
    row("inc", "INC", "inc", "41", "42", "return=1");
    row("inc at 2^62-1 overflows", "INC", "inc", "4611686018427387903", "4611686018427387904", "overflow=1 return=1");
    row("inc float", "INC", "inc", "1.5", "2.5", "not-fixnum=1 return=1");
    row("dec", "DEC", "dec", "-41", "-42", "return=1");
    row("dec at -2^62 overflows", "DEC", "dec", "-4611686018427387904", "-4611686018427387905", "overflow=1 return=1");
    row("not nil", "NOT", "not", "nil", "true", "return=1");
    row("not false", "NOT", "not", "false", "true", "return=1");
    row("not zero", "NOT", "not", "0", "false", "return=1");
    row("not empty list", "NOT", "not", "()", "false", "return=1");
    row("first", "FIRST", "first", "(7 8)", "7", "return=1");
    row("first of empty takes the slow path", "FIRST", "first", "()", "nil", "not-pair=1 return=1");
    row("first of a number is a type error", "FIRST", "first", "5", "", "not-pair=1 raised=1");
    row("rest", "REST", "rest", "(7 8)", "(8)", "return=1");
    row("rest of a string takes the slow path", "REST", "rest", "\"ab\"", "", "not-pair=1 return=1");
    row("nil? nil", "NILP", "nil?", "nil", "true", "return=1");
    row("nil? empty list", "NILP", "nil?", "()", "false", "return=1");
    row("nil? false", "NILP", "nil?", "false", "false", "return=1");
    row("empty? empty list", "EMPTYP", "empty?", "()", "true", "return=1");
    row("empty? list", "EMPTYP", "empty?", "(1)", "false", "return=1");
    row("empty? string takes the slow path", "EMPTYP", "empty?", "\"\"", "true", "not-pair=1 return=1");
    row("empty? dict takes the slow path", "EMPTYP", "empty?", "{:a 1}", "false", "not-pair=1 return=1");
    row("list? empty list", "LISTP", "list?", "()", "true", "return=1");
    row("list? nil and numbers are not lists", "LISTP", "list?", "nil", "false", "return=1");
    row("pair? list", "PAIRP", "pair?", "(1)", "true", "return=1");
    row("pair? empty list", "PAIRP", "pair?", "()", "false", "return=1");
  }
  void unaryOps() {
    QFETCH(QString, op);
    QFETCH(QString, prim);
    QFETCH(QString, a);
    QFETCH(QString, expected);
    QFETCH(QString, exits);
    Bench t;
    Value f = t.fn("un", unaryProgram(op.toStdString(), prim.toStdString()));
    auto [value, taken] = vmThenJit(t, f, {a.toStdString()});
    // An empty expectation: whatever the VM answers (an error, or a value the slow path
    // computes), native code agreed with it; what is checked is the path taken.
    if (!expected.isEmpty()) QCOMPARE(QString::fromStdString(value), expected);
    QCOMPARE(QString::fromStdString(exitsText(taken)), exits);
  }

  // ---- constants and the operand stack -----------------------------------------------
  void stackOps_data() {
    QTest::addColumn<QString>("program");
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("expected");
    auto row = [](const char* tag, const char* program, const char* args, const char* want) {
      QTest::newRow(tag) << program << args << want;
    };
    row("small constant", ".const 5\nCONST 0\nRETURN\n", "", "5");
    row("64-bit constant", ".const 4611686018427387903\nCONST 0\nRETURN\n", "", "4611686018427387903");
    row("heap constant", ".const \"text\"\nCONST 0\nRETURN\n", "", "\"text\"");
    row("nil", "NIL\nRETURN\n", "", "nil");
    row("true", "TRUE\nRETURN\n", "", "true");
    row("false", "FALSE\nRETURN\n", "", "false");
    row("pop", ".const 1\n.const 2\nCONST 0\nCONST 1\nPOP\nRETURN\n", "", "1");
    row("dup", ".params 1\n.locals 1\n.global *\nLOCAL_GET 0\nDUP\nMUL 0\nRETURN\n", "9", "81");
    row("swap", ".params 2\n.locals 2\n.global -\nLOCAL_GET 0\nLOCAL_GET 1\nSWAP\nSUB 0\nRETURN\n", "10 3", "-7");
    row("local set keeps the value", ".params 1\n.locals 2\nLOCAL_GET 0\nLOCAL_SET 1\nPOP\nLOCAL_GET 1\nRETURN\n", "8", "8");
    row("fresh locals are nil", ".params 0\n.locals 2\nLOCAL_GET 1\nRETURN\n", "", "nil");
  }
  void stackOps() {
    QFETCH(QString, program);
    QFETCH(QString, args);
    QFETCH(QString, expected);
    Bench t;
    Value f = t.fn("stack", program.toStdString());
    std::vector<std::string> argv;
    for (const QString& a : args.split(' ', Qt::SkipEmptyParts)) argv.push_back(a.toStdString());
    auto [value, taken] = vmThenJit(t, f, argv);
    QCOMPARE(QString::fromStdString(value), expected);
    QCOMPARE(QString::fromStdString(exitsText(taken)), QString("return=1"));
  }

  // ---- control flow ----------------------------------------------------------------
  void jumpsAndFusedBranches() {
    Bench t;
    Value maxOf = t.fn("max-of", ".params 2\n.locals 2\n.global >\nLOCAL_GET 0\nLOCAL_GET 1\nGT 0\n"
                                 "JUMP_IF_FALSE second\nLOCAL_GET 0\nRETURN\nsecond:\nLOCAL_GET 1\nRETURN\n");
    QCOMPARE(vmThenJit(t, maxOf, {"3", "9"}).first, std::string("9"));
    QCOMPARE(vmThenJit(t, maxOf, {"9", "3"}).first, std::string("9"));
    // A float: the float path branches on the flags too.
    auto [v, taken] = vmThenJit(t, maxOf, {"2.5", "1"});
    QCOMPARE(v, std::string("2.5"));
    QCOMPARE(exitsText(taken), std::string("return=1"));
    // Not numbers: the slow path calls the primitive, and native code continues at the
    // jump's own sequence.
    auto [s, slow] = vmThenJit(t, maxOf, {"\"b\"", "\"a\""});
    QCOMPARE(s, std::string("\"b\""));
    QCOMPARE(exitsText(slow), std::string("not-number=1 return=1"));
    Value pick = t.fn("pick", ".params 1\n.locals 1\n.const \"yes\"\n.const \"no\"\nLOCAL_GET 0\n"
                              "JUMP_IF_TRUE yes\nCONST 1\nJUMP out\nyes:\nCONST 0\nout:\nRETURN\n");
    for (const char* a : {"0", "false", "nil", "()", "\"\""}) {
      auto [got, exits] = vmThenJit(t, pick, {a});
      QCOMPARE(exitsText(exits), std::string("return=1"));
      QCOMPARE(got, std::string(a == std::string("false") || a == std::string("nil") ? "\"no\"" : "\"yes\""));
    }
  }

  void andOrJumps() {
    Bench t;
    const char* body = ".params 2\n.locals 2\nLOCAL_GET 0\n%1 done\nLOCAL_GET 1\ndone:\nRETURN\n";
    Value andF = t.fn("and2", QString(body).arg("AND_JUMP").toStdString());
    Value orF = t.fn("or2", QString(body).arg("OR_JUMP").toStdString());
    QCOMPARE(vmThenJit(t, andF, {"false", "5"}).first, std::string("false"));
    QCOMPARE(vmThenJit(t, andF, {"nil", "5"}).first, std::string("nil"));
    QCOMPARE(vmThenJit(t, andF, {"0", "5"}).first, std::string("5"));
    QCOMPARE(vmThenJit(t, orF, {"false", "5"}).first, std::string("5"));
    QCOMPARE(vmThenJit(t, orF, {"3", "5"}).first, std::string("3"));
    QCOMPARE(vmThenJit(t, orF, {"nil", "false"}).first, std::string("false"));
    // A comparison (or its NOT) fused with AND_JUMP/OR_JUMP: the boolean is on the stack
    // where the jump lands. (and (< a b) 7), (or (not (< a b)) 7), on fixnums and floats.
    const char* fused = ".params 2\n.locals 2\n.global <\n.global not\n.const 7\nLOCAL_GET 0\nLOCAL_GET 1\nLT 0\n%1"
                        "%2 done\nCONST 2\ndone:\nRETURN\n";
    Value andLt = t.fn("and-lt", QString(fused).arg("").arg("AND_JUMP").toStdString());
    Value orNotLt = t.fn("or-not-lt", QString(fused).arg("NOT 1\n").arg("OR_JUMP").toStdString());
    for (auto [f, a, b, want] : {std::tuple{andLt, "1", "2", "7"}, {andLt, "2", "1", "false"}, {andLt, "1.5", "2", "7"},
                                 {andLt, "2.5", "2", "false"}, {orNotLt, "1", "2", "7"}, {orNotLt, "2", "1", "true"},
                                 {orNotLt, "1.5", "2", "7"}, {orNotLt, "2.5", "2", "true"}}) {
      auto [v, taken] = vmThenJit(t, f, {a, b});
      QCOMPARE(v, std::string(want));
      QCOMPARE(exitsText(taken), std::string("return=1"));
    }
  }

  void loopRunsNativeThroughout() {
    Bench t;
    // (sum-to n): no exit but the return.
    Value sumTo = t.fn("sum-to", test::kSumTo);
    auto [v, taken] = vmThenJit(t, sumTo, {"100000"});
    QCOMPARE(v, std::string("5000050000"));
    QCOMPARE(exitsText(taken), std::string("return=1"));
  }

  // ---- variables -------------------------------------------------------------------
  void envAccess() {
    Bench t;
    Env* outer = makeEnv(t.iso, 2, nullptr);
    t.keep.push(Value::object(outer));
    outer->slots[0] = Value::fixnum(10);
    outer->slots[1] = Value::fixnum(0);
    Value addOuter = t.fn("add-outer", ".params 1\n.locals 1\n.global +\nENV_GET 0 0\nLOCAL_GET 0\nADD 0\nENV_SET 0 1\nRETURN\n", outer);
    auto [v, taken] = vmThenJit(t, addOuter, {"5"});
    QCOMPARE(v, std::string("15"));
    QCOMPARE(outer->slots[1].asFixnum(), int64_t(15));
    QCOMPARE(exitsText(taken), std::string("return=1"));
    // An Env frame of its own: hops 0 holds the parameter, hops 1 the closure's env.
    Value scale = t.fn("scale", ".params 1\n.env 1\n.global *\nENV_GET 0 0\nENV_GET 1 0\nMUL 0\nRETURN\n", outer);
    auto [s, sTaken] = vmThenJit(t, scale, {"3"});
    QCOMPARE(s, std::string("30"));
    QCOMPARE(exitsText(sTaken), std::string("return=1"));
  }

  void globals() {
    Bench t;
    Value get = t.fn("get-g", ".global jit-test-g\nGLOBAL_GET 0\nRETURN\n");
    // Unbound: native code leaves before the read and the VM raises the error.
    auto [u, uTaken] = vmThenJit(t, get, {});
    QCOMPARE(u, std::string("error: Undefined symbol: jit-test-g"));
    QCOMPARE(exitsText(uTaken), std::string("unbound=1"));
    Value set = t.fn("set-g", ".params 1\n.locals 1\n.global jit-test-g\nLOCAL_GET 0\nGLOBAL_SET 0\nRETURN\n");
    auto [s, sTaken] = vmThenJit(t, set, {"1"});
    QCOMPARE(s, std::string("error: set!: undefined variable jit-test-g"));
    QCOMPARE(exitsText(sTaken), std::string("unbound=1"));
    Value def = t.fn("def-g", ".params 1\n.locals 1\n.global jit-test-g\nLOCAL_GET 0\nGLOBAL_DEFINE 0\nRETURN\n");
    QCOMPARE(vmThenJit(t, def, {"7"}), std::make_pair(std::string("7"), Exits{{"return", 1}}));
    QCOMPARE(t.ev("jit-test-g"), std::string("7"));
    QCOMPARE(vmThenJit(t, set, {"8"}), std::make_pair(std::string("8"), Exits{{"return", 1}}));
    QCOMPARE(vmThenJit(t, get, {}), std::make_pair(std::string("8"), Exits{{"return", 1}}));
  }

  void redefinedPrimitiveLeavesToTheVm() {
    Bench t;
    Value add = t.fn("asm-add", binaryProgram("ADD", "+"));
    QCOMPARE(vmThenJit(t, add, {"3", "4"}).first, std::string("7"));
    QVERIFY(t.ev("(define (+ a b) (list \"plus\" a b))").rfind("error", 0) != 0);
    auto [v, taken] = vmThenJit(t, add, {"3", "4"});
    QCOMPARE(v, std::string("(\"plus\" 3 4)"));
    QCOMPARE(exitsText(taken), std::string("redefined=1"));
  }

  // A CONST fixnum right before arithmetic or a comparison becomes an immediate, unless
  // a jump arrives at the instruction (its operand then comes from elsewhere).
  void constantOperands() {
    Bench t;
    Value join = t.fn("join", ".params 2\n.locals 2\n.global +\n.const 5\n.const 100\nLOCAL_GET 1\nJUMP_IF_FALSE b\n"
                              "LOCAL_GET 0\nCONST 2\nJUMP join\nb:\nLOCAL_GET 0\nCONST 1\njoin:\nADD 0\nRETURN\n");
    QCOMPARE(vmThenJit(t, join, {"1", "true"}).first, std::string("101"));
    QCOMPARE(vmThenJit(t, join, {"1", "false"}).first, std::string("6"));
    Value sub1 = t.fn("sub1", ".params 1\n.locals 1\n.global -\n.const 1\nLOCAL_GET 0\nCONST 1\nSUB 0\nRETURN\n");
    Value lt2 = t.fn("lt2", ".params 1\n.locals 1\n.global <\n.const 2\nLOCAL_GET 0\nCONST 1\nLT 0\nRETURN\n");
    for (auto [f, arg, want, exits] : {std::tuple{sub1, "10", "9", "return=1"}, {sub1, "2.5", "1.5", "return=1"},
                                       {sub1, "-4611686018427387904", "-4611686018427387905", "overflow=1 return=1"},
                                       {sub1, "\"s\"", "", "not-number=1 raised=1"}, {lt2, "1", "true", "return=1"},
                                       {lt2, "2", "false", "return=1"}, {lt2, "1.5", "true", "return=1"}}) {
      auto [v, taken] = vmThenJit(t, f, {arg});
      if (*want) QCOMPARE(v, std::string(want));
      else QVERIFY2(v.rfind("error: ", 0) == 0, v.c_str());
      QCOMPARE(exitsText(taken), std::string(exits));
    }
  }

  // LT, NOT, JUMP_IF_FALSE fuse into one branch; a redefined `not` sends the comparison
  // to the VM and the NOT's own sequence leaves before the NOT.
  void comparisonNotAndJumpFuse() {
    Bench t;
    Value f = t.fn("not-less", ".params 2\n.locals 2\n.global <\n.global not\n.const \"ge\"\n.const \"lt\"\n"
                               "LOCAL_GET 0\nLOCAL_GET 1\nLT 0\nNOT 1\nJUMP_IF_FALSE lt\nCONST 2\nRETURN\nlt:\nCONST 3\nRETURN\n");
    for (auto [a, b, want] : {std::tuple{"1", "2", "\"lt\""}, {"2", "1", "\"ge\""}, {"2", "2", "\"ge\""}, {"1.5", "2", "\"lt\""},
                              {"2.5", "2", "\"ge\""}}) {
      auto [v, taken] = vmThenJit(t, f, {a, b});
      QCOMPARE(v, std::string(want));
      QCOMPARE(exitsText(taken), std::string("return=1"));
    }
    QVERIFY(t.ev("(define (not x) x)").rfind("error", 0) != 0);
    auto [v, taken] = vmThenJit(t, f, {"1", "2"});
    QCOMPARE(v, std::string("\"ge\""));  // (not true) is now true
    QCOMPARE(exitsText(taken), std::string("redefined=2 return=1"));
  }

  // ---- calls -----------------------------------------------------------------------
  void callsBetweenJitFunctionsStayNative() {
    Bench t;
    Value dbl = t.fn("asm-double", ".params 1\n.locals 1\n.global +\nLOCAL_GET 0\nLOCAL_GET 0\nADD 0\nRETURN\n");
    t.iso.defineGlobal("asm-double", dbl);
    // (list (asm-double x) (asm-double (asm-double x))): JIT-to-JIT calls and a plain
    // native called with CALL, none of which leaves native code.
    Value f = t.fn("caller", ".params 1\n.locals 1\n.global list\n.global asm-double\nGLOBAL_GET 0\nGLOBAL_GET 1\nLOCAL_GET 0\n"
                             "CALL 1\nGLOBAL_GET 1\nGLOBAL_GET 1\nLOCAL_GET 0\nCALL 1\nCALL 1\nCALL 2\nRETURN\n");
    uint64_t before = as<Closure>(dbl)->proto->info->calls;
    Exits calleeBefore = exitsOf(codeOf(dbl));
    auto [v, taken] = vmThenJit(t, f, {"5"});
    QCOMPARE(v, std::string("(10 20)"));
    QCOMPARE(exitsText(taken), std::string("return=1"));
    QCOMPARE(as<Closure>(dbl)->proto->info->calls - before, uint64_t(6));  // 3 in each tier
    // Its returns go to a native caller: no exit, nothing counted.
    QCOMPARE(exitsText(minus(exitsOf(codeOf(dbl)), calleeBefore)), std::string());
    // A callee that is not JIT'd (an interpreted lambda): the VM makes that call.
    QVERIFY(t.ev("(jit-exclude! \"interp-*\") (define (interp-inc x) (+ x 1))").rfind("error", 0) != 0);
    Value g = t.fn("to-interp", ".params 1\n.locals 1\n.global interp-inc\nGLOBAL_GET 0\nLOCAL_GET 0\nCALL 1\nRETURN\n");
    auto [gv, gTaken] = vmThenJit(t, g, {"41"});
    QCOMPARE(gv, std::string("42"));
    QCOMPARE(exitsText(gTaken), std::string("call-slow=1"));
    // Arity errors are the VM's, with its message.
    Value bad = t.fn("bad-arity", ".global asm-double\n.const 1\nGLOBAL_GET 0\nCONST 1\nCONST 1\nCALL 2\nRETURN\n");
    auto [bv, bTaken] = vmThenJit(t, bad, {});
    QCOMPARE(bv, std::string("error: asm-double: expected 1 argument, got 2"));
    QCOMPARE(exitsText(bTaken), std::string("call-slow=1"));
  }

  void everyLambdaShapeIsCalledNatively() {
    Bench t;
    // An Env frame (the callee makes a closure), a rest list, and tail calls to both.
    QVERIFY(t.ev("(define (make-adder n) (fn (x) (+ x n)))"
                 "(define (sum-rest a &rest xs) (if (empty? xs) a (+ a (first xs))))"
                 "(define (shapes x) (list ((make-adder x) 1) (sum-rest x) (sum-rest x 10 20)))"
                 "(define (tail-env x) (make-adder x))"
                 "(define (tail-rest x) (sum-rest x 5))")
                .rfind("error", 0) != 0);
    auto [v, taken] = vmThenJit(t, t.iso.globalValue("shapes"), {"4"});
    QCOMPARE(v, std::string("(5 4 14)"));
    QCOMPARE(exitsText(taken), std::string("return=1"));
    auto [e, eTaken] = vmThenJit(t, t.iso.globalValue("tail-env"), {"4"});
    QVERIFY2(e.rfind("<lambda", 0) == 0 || e.find("lambda") != std::string::npos, e.c_str());
    QCOMPARE(exitsText(eTaken), std::string());  // make-adder's RETURN is counted in its code
    auto [r, rTaken] = vmThenJit(t, t.iso.globalValue("tail-rest"), {"4"});
    QCOMPARE(r, std::string("9"));
    QCOMPARE(exitsText(rTaken), std::string());
  }

  void aCalleeThatLeavesNativeCodeIsContinuedByTheVm() {
    Bench t;
    // The callee calls map with a native callback (inc), which native code leaves to
    // the VM: the callee leaves with map's Ho frame waiting for that call, its caller
    // leaves as "waiting on the call", the VM finishes map and the callee and returns
    // into the caller, whose native code resumes after the call.
    Value incAll = t.fn("asm-inc-all", ".params 1\n.locals 1\n.global map\n.global inc\nGLOBAL_GET 0\nGLOBAL_GET 1\nLOCAL_GET 0\nCALL 2\nRETURN\n");
    t.iso.defineGlobal("asm-inc-all", incAll);
    Value f = t.fn("caller", ".params 1\n.locals 1\n.global asm-inc-all\n.global first\nGLOBAL_GET 0\nLOCAL_GET 0\nCALL 1\nFIRST 1\nRETURN\n");
    Exits calleeBefore = exitsOf(codeOf(incAll));
    auto [v, taken] = vmThenJit(t, f, {"(7 8)"});
    QCOMPARE(v, std::string("8"));
    QCOMPARE(exitsText(taken), std::string("callee-left=1 return=1"));
    QCOMPARE(exitsText(minus(exitsOf(codeOf(incAll)), calleeBefore)), std::string("callee-left=1"));
    // A control form (reset) has no native sequence: the callee leaves before it.
    QVERIFY(t.ev("(define (with-reset x) (reset (+ x 1)))").rfind("error", 0) != 0);
    Value g = t.fn("caller2", ".params 1\n.locals 1\n.global with-reset\n.global *\nGLOBAL_GET 0\nLOCAL_GET 0\nCALL 1\nLOCAL_GET 0\nMUL 1\nRETURN\n");
    auto [w, wTaken] = vmThenJit(t, g, {"6"});
    QCOMPARE(w, std::string("42"));
    QCOMPARE(exitsText(wTaken), std::string("callee-left=1 return=1"));
    QCOMPARE(exitsOf(codeOf(t.iso.globalValue("with-reset")))["unsupported"], uint64_t(1));
  }

  void higherOrderCallbacksRunFromTheCallSite() {
    Bench t;
    // Higher-order primitives called (or tail-called, even from a callback: pairs) from
    // native code run their JIT'd callbacks (not short leaves: each makes a call) from the
    // call site: nothing leaves native code. Done at once, or raising, the answer is the
    // VM's; done at once in a tail call, or with a short leaf callback, the VM takes over.
    QVERIFY(t.ev("(define (sq x) (* x x)) (define (odd x) (mod x 2)) (define (add a b) (+ a b))"
                 "(define (head x) (first x))"
                 "(define (odd-squares xs) (reduce (fn (a x) (add a x)) 0"
                 " (filter (fn (x) (= (odd x) 1)) (map (fn (x) (sq x)) xs))))"
                 "(define (pairs xs) (map (fn (a) (map (fn (b) (add a b)) xs)) xs))"
                 "(define (heads xs) (list (map (fn (x) (head x)) xs)))"
                 "(define (tail-heads xs) (map (fn (x) (head x)) xs))"
                 "(define (incs xs) (list (map (fn (x) (+ x 1)) xs)))")
                .rfind("error", 0) != 0);
    auto [v, taken] = vmThenJit(t, t.iso.globalValue("odd-squares"), {"(1 2 3 4 5)"});
    QCOMPARE(v, std::string("35"));
    QCOMPARE(exitsText(taken), std::string());  // its RETURN is reduce's callback's
    Value pairs = t.fn("asm-pairs", ".params 1\n.locals 1\n.global pairs\nGLOBAL_GET 0\nLOCAL_GET 0\nCALL 1\nRETURN\n");
    auto [p, pTaken] = vmThenJit(t, pairs, {"(1 2)"});
    QCOMPARE(p, std::string("((2 3) (3 4))"));
    QCOMPARE(exitsText(pTaken), std::string("return=1"));
    auto [h, hTaken] = vmThenJit(t, t.iso.globalValue("heads"), {"((1) (2))"});
    QCOMPARE(h, std::string("((1 2))"));
    QCOMPARE(exitsText(hTaken), std::string("return=1"));
    auto [none, noneTaken] = vmThenJit(t, t.iso.globalValue("heads"), {"()"});
    QCOMPARE(none, std::string("(())"));
    QCOMPARE(exitsText(noneTaken), std::string("return=1"));
    auto [tailNone, tailNoneTaken] = vmThenJit(t, t.iso.globalValue("tail-heads"), {"()"});
    QCOMPARE(tailNone, std::string("()"));
    QCOMPARE(exitsText(tailNoneTaken), std::string("callee-left=1"));
    auto [e, eTaken] = vmThenJit(t, t.iso.globalValue("heads"), {"((1) 2)"});
    QVERIFY2(e.rfind("error: ", 0) == 0, e.c_str());
    QCOMPARE(exitsText(eTaken), std::string("callee-left=1"));  // the callback raised
    auto [i, iTaken] = vmThenJit(t, t.iso.globalValue("incs"), {"(1 2)"});
    QCOMPARE(i, std::string("((2 3))"));
    QCOMPARE(exitsText(iTaken), std::string("callee-left=1 return=1"));
  }

  void deepRecursionPassesTheNativeDepthBound() {
    Bench t;
    // (sum-down n) = n + (sum-down (- n 1)), not a tail call: deeper than kMaxNativeDepth.
    QVERIFY(t.ev("(define (sum-down n) (if (= n 0) 0 (+ n (sum-down (- n 1)))))").rfind("error", 0) != 0);
    Value f = t.iso.globalValue("sum-down");
    uint32_t n = kMaxNativeDepth * 3;
    auto [v, taken] = vmThenJit(t, f, {std::to_string(n)});
    QCOMPARE(v, std::to_string(uint64_t(n) * (n + 1) / 2));
    QVERIFY2(taken["depth-bound"] >= 2, exitsText(taken).c_str());
    // The SX depth limit and its error are the VM's.
    t.iso.maxDepth = 100;
    auto [e, eTaken] = vmThenJit(t, f, {"1000"});
    QCOMPARE(e, std::string("error: stack depth exceeded"));
  }

  void tailCallsRunInConstantStack() {
    Bench t;
    QVERIFY(t.ev("(define (count-up i n acc) (if (= i n) acc (count-up (+ i 1) n (+ acc i))))"
                 "(define (my-even? n) (if (= n 0) true (my-odd? (- n 1))))"
                 "(define (my-odd? n) (if (= n 0) false (my-even? (- n 1))))")
                .rfind("error", 0) != 0);
    t.iso.maxDepth = 50;
    // A self tail call jumps back to the start of the same native code.
    auto [v, taken] = vmThenJit(t, t.iso.globalValue("count-up"), {"0", "1000000", "0"});
    QCOMPARE(v, std::string("499999500000"));
    QCOMPARE(exitsText(taken), std::string("return=1"));
    // A tail call to another function continues in its native code on the same C
    // stack: my-odd?'s RETURN is the only exit.
    QVERIFY(compileNow(t.iso, as<Closure>(t.iso.globalValue("my-odd?"))->proto));
    Exits oddBefore = exitsOf(codeOf(t.iso.globalValue("my-odd?")));
    auto [e, eTaken] = vmThenJit(t, t.iso.globalValue("my-even?"), {"100001"});
    QCOMPARE(e, std::string("false"));
    QCOMPARE(exitsText(eTaken), std::string());
    QCOMPARE(exitsText(minus(exitsOf(codeOf(t.iso.globalValue("my-odd?"))), oddBefore)), std::string("return=1"));
  }

  // Calls of the function being compiled take a shorter path (its own code is known):
  // a closure of the same function over another env must still bring its env, and a
  // function excluded while it recurses natively must leave for the CEK.
  void selfCallsCheckTheClosureAndTheTier() {
    Bench t;
    t.iso.tier = Tier::Jit;
    QCOMPARE(t.ev("(define (mk k) (fn (n other) (if (= n 0) k (other (- n 1) other))))"
                  "(define (mk2 k) (fn (n other) (if (= n 0) k (+ 0 (other (- n 1) other)))))"
                  "(list ((mk 1) 3 (mk 2)) ((mk2 1) 3 (mk2 2)) ((mk 1) 0 (mk 2)))"),
             std::string("(2 2 1)"));
    QCOMPARE(t.ev("(define (rec n) (if (= n 0) 0 (+ 1 (if (= n 5) (begin (jit-exclude! \"rec\") (rec (- n 1))) (rec (- n 1))))))"
                  "(rec 8)"),
             std::string("8"));
    const Code& rec = codeOf(t.iso.globalValue("rec"));
    QVERIFY(rec.jit && rec.jit->native());
    QCOMPARE(exitsOf(rec)["call-slow"], uint64_t(1));  // the call after the exclusion
    QCOMPARE(as<Closure>(t.iso.globalValue("rec"))->proto->info->tierState, TierState::Refused);
  }

  void primitivesCalledFromNativeCode() {
    Bench t;
    Value f = t.fn("asm-max", ".params 3\n.locals 3\n.global max\nLOCAL_GET 0\nLOCAL_GET 1\nLOCAL_GET 2\nCALL_PRIM 0 3\nRETURN\n");
    auto [v, taken] = vmThenJit(t, f, {"1", "5", "3"});
    QCOMPARE(v, std::string("5"));
    QCOMPARE(exitsText(taken), std::string("return=1"));
    // A primitive's error: raised after native code committed the frame as the VM does.
    auto [e, eTaken] = vmThenJit(t, f, {"1", "\"x\"", "3"});
    QVERIFY2(e.rfind("error: max: ", 0) == 0, e.c_str());
    QVERIFY2(exitsText(eTaken) == "raised=1", exitsText(eTaken).c_str());
    // The error's SX stack is the same in both tiers.
    QVERIFY(t.ev("(define (calls-max a) (+ 1 (max a \"x\")))").rfind("error", 0) != 0);
    std::string stacks[2];
    for (int k = 0; k < 2; ++k) {
      t.iso.tier = k ? Tier::Jit : Tier::Vm;
      EvalResult r = t.e.evalString("(calls-max 1)", "stack.sx");
      QVERIFY(!r.ok);
      stacks[k] = t.e.formatDiagnostic(r.error);
    }
    QCOMPARE(stacks[1], stacks[0]);
  }

  void safepointsLeaveCallsToTheVm() {
    Bench t;
    QVERIFY(t.ev("(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))").rfind("error", 0) != 0);
    t.iso.heap.setStress(true);  // every safepoint collects
    auto [v, taken] = vmThenJit(t, t.iso.globalValue("fib"), {"12"});
    QCOMPARE(v, std::string("144"));
    QVERIFY2(taken["safepoint"] > 0, exitsText(taken).c_str());
    t.iso.heap.setStress(false);
    auto [w, wTaken] = vmThenJit(t, t.iso.globalValue("fib"), {"12"});
    QCOMPARE(w, std::string("144"));
    QCOMPARE(wTaken.count("safepoint"), size_t(0));
  }

  // ---- which instructions have native sequences ------------------------------------
  // kOpJit (opcodes.h) is the one declaration: an instruction has an entry for the VM
  // exactly when its opcode is flagged (RETURN, which leaves at once, excepted), and
  // every opcode occurs in the code below.
  void opcodeFlagsMatchTheEmitter() {
    Bench t;
    QCOMPARE(t.ev(R"(
      (define (f-closure x) (fn () x))
      (define (f-guard x) (guard (e (true (raise e))) (first x)))
      (define (f-shift) (reset (+ 1 (shift k (k 2)))))
      (define (f-provide) (provide :p 1 (scope :s (list 1))))
      (define (f-calls g xs) (cons (g (abs 1)) (f-calls g xs)))
      (define (f-env n) (let ((c 0)) (set! c (+ c n)) (fn () c)))
      (define f-global 1)
      (define (f-globals) (set! f-global (not f-global)) f-global)
      (define (f-misc xs) (and (nil? xs) (list? xs) (pair? xs) (or (empty? xs) (inc (dec (- (* 2 3) 1))))))
      (define (f-cmp a b) (list (< a b) (> a b) (<= a b) (>= a b) (= a b) (rest a)))
      true)"),
             std::string("true"));
    std::vector<const Code*> codes;
    for (const char* name : {"f-closure", "f-guard", "f-shift", "f-provide", "f-calls", "f-env", "f-globals", "f-misc", "f-cmp"}) {
      Code* c = compileNow(t.iso, as<Closure>(t.iso.globalValue(name))->proto);
      QVERIFY2(c, name);
      allCode(*c, codes);
    }
    // What the compiler does not emit for these, hand-assembled.
    for (const char* text : {".params 1\n.locals 2\nLOCAL_GET 0\nDUP\nSWAP\nLOCAL_SET 1\nPOP\nNIL\nTRUE\nPOP\nPOP\nFALSE\nRETURN\n",
                             ".global x\n.global x\nNIL\nGLOBAL_DEFINE 0\nPOP\nNIL\nJUMP_IF_FALSE end\nNIL\nRETURN\nend:\nNIL\nRETURN\n",
                             ".params 1\n.locals 1\nLOCAL_GET 0\nJUMP_IF_TRUE end\nJUMP end\nend:\nNIL\nRETURN\n",
                             ".params 2\n.locals 2\nLOCAL_GET 0\nAND_JUMP e1\nLOCAL_GET 1\nOR_JUMP e1\nNIL\ne1:\nRETURN\n",
                             ".params 1\n.locals 1\nLOCAL_GET 0\nLOCAL_GET 0\nTAIL_CALL 0\n"})
      allCode(codeOf(t.fn("asm", text)), codes);
    std::vector<bool> seen(kOpCount, false);
    for (const Code* c : codes) {
      jitCompile(*c, "flags");
      QVERIFY(c->jit && c->jit->native());
      for (const Instruction& in : disassemble(t.iso, *c)) {
        seen[int(in.op)] = true;
        bool flagged = opInfo(in.op).flags & kOpJit;
        bool entry = c->jit->entries[in.offset] != JitCode::kNoEntry;
        QVERIFY2(entry == (flagged && in.op != Op::RETURN), opInfo(in.op).name);
      }
    }
    for (int op = 0; op < kOpCount; ++op) QVERIFY2(seen[size_t(op)], opInfo(Op(op)).name);
  }

  // ---- deopts never repeat a side effect -------------------------------------------
  void deoptingFunctionsSideEffectHappensOnce() {
    Bench t;
    t.iso.tier = Tier::Jit;
    // The counter is bumped natively; then + gets a rational, the second ADD takes the
    // slow path (the primitive), and native code continues after it.
    QCOMPARE(t.ev("(define counter 0)"
                  "(define (bump-then-add x y) (set! counter (+ counter 1)) (+ x y))"
                  "(list (bump-then-add 1 2) (bump-then-add 1 1/2) (bump-then-add 1/2 2) counter)"),
             std::string("(3 3/2 5/2 3)"));
    const Code& c = codeOf(t.iso.globalValue("bump-then-add"));
    QCOMPARE(exitsOf(c)["not-number"], uint64_t(2));
    // Leaving before a call: the callee (a higher-order primitive calling back into a
    // bumping function) runs once per element, and the caller's bump once.
    QCOMPARE(t.ev("(define (bump x) (set! counter (+ counter 1)) (* x 1.5))"
                  "(define (bump-all xs) (set! counter (+ counter 100)) (map bump xs))"
                  "(set! counter 0)"
                  "(list (bump-all (list 1 2 3)) counter)"),
             std::string("((1.5 3 4.5) 103)"));
    // A perform suspends (unwind mode) between the bump and the rest of the function;
    // the op runs once per call too.
    int opCalls = 0;
    registerOp(t.iso, "jit-echo", [&opCalls](Isolate&, Value args) {
      ++opCalls;
      return car(args);
    });
    for (ResolverMode mode : {ResolverMode::Unwind, ResolverMode::Inline}) {
      t.e.setMode(mode);
      opCalls = 0;
      QCOMPARE(t.ev("(define (bump-echo x) (set! counter (+ counter 1)) (+ 1 (perform {:op \"jit-echo\" :args (list x)})))"
                    "(set! counter 0)"
                    "(list (bump-echo 1) (bump-echo 2) (map bump-echo (list 10 20)) counter)"),
               std::string("(2 3 (11 21) 4)"));
      QCOMPARE(opCalls, 4);
    }
    QVERIFY(codeOf(t.iso.globalValue("bump-echo")).jit->native());
  }
};

QTEST_APPLESS_MAIN(TestJit)
#include "test_jit.moc"
