// The bytecode VM below the compiler: hand-assembled code (compiler/disasm.h) wrapped
// in a Proto and a Closure and run with callSync; the verifier's rejections; the
// disassembler; the tier debug primitives; and every compiler limit of compiler/code.h.
#include <QtTest/QtTest>

#include <stdexcept>

#include "bytecode_bench.h"
#include "compiler/compiler.h"
#include "compiler/verifier.h"
#include "effects/run.h"
#include "reader/printer.h"

using namespace sx;

namespace {

EngineOptions vmOnly() {
  EngineOptions o;
  o.tier = Tier::Vm;  // the VM alone: never native code
  return o;
}

// The shared harness on an engine in the vm tier, plus calls on its isolate.
struct Bench : test::BytecodeBench {
  Bench() : BytecodeBench(vmOnly(), "test_vm.sx") {}

  // Also callable from SX as a global.
  Value global(const std::string& name, const std::string& text) {
    Value c = fn(name, text);
    iso.defineGlobal(name, c);
    return c;
  }
  std::string call(Value f, const std::vector<Value>& args) { return printValue(iso, callSync(iso, f, args)); }
  std::string call(Value f, std::initializer_list<const char*> args) { return call(f, data({args.begin(), args.end()})); }
  // Runs a call that must fail; returns its diagnostic.
  Diagnostic failure(Value f, const std::vector<Value>& args) {
    Fiber fb(iso);
    startCall(fb, f, args);
    if (driveToCompletion(fb) != RunStatus::Error) throw std::runtime_error("the call did not fail");
    return fb.diagnostic;
  }
  // Runs SX source for its effects: "" when it succeeded, else the error message.
  std::string run(const std::string& src) {
    EvalResult r = e.evalString(src, sourceName);
    return r.ok ? std::string() : r.error.message;
  }
};

// A two-argument function applying one inline opcode to its parameters.
std::string binaryProgram(const char* op, const char* prim) {
  return std::string(".params 2\n.locals 2\n.global ") + prim + "\nLOCAL_GET 0\nLOCAL_GET 1\n" + op + " 0\nRETURN\n";
}
std::string unaryProgram(const char* op, const char* prim) {
  return std::string(".params 1\n.locals 1\n.global ") + prim + "\nLOCAL_GET 0\n" + op + " 0\nRETURN\n";
}

const char* kindOf(Value v) {
  if (v.isFixnum()) return "fixnum";
  if (isType(v, ObjType::Int64)) return "int64";
  if (isType(v, ObjType::Float)) return "float";
  if (v.isBool()) return "bool";
  return "other";
}

// SX that reads one jit-stats row: (list calls compiled tier reason).
const char* kStatsRow =
    "(define (stats-of name)"
    "  (let ((r (some (fn (r) (if (= (get r :name) name) r nil)) (jit-stats))))"
    "    (if r (list (get r :calls) (get r :compiled) (get r :tier) (get r :reason)) \"no row\")))";

// `count` forms made by `make(i)`, joined by spaces.
template <typename F>
std::string repeat(int count, F make) {
  std::string out;
  for (int i = 0; i < count; ++i) out += make(i) + " ";
  return out;
}

}  // namespace

class TestVm : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // ---- arithmetic and comparison: fast paths, slow paths, overflow ----------------
  void binaryOps_data() {
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("prim");
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("kind");
    auto row = [](const char* tag, const char* op, const char* prim, const char* a, const char* b, const char* want, const char* kind) {
      QTest::newRow(tag) << op << prim << a << b << want << kind;
    };
    row("add", "ADD", "+", "3", "4", "7", "fixnum");
    row("add negative", "ADD", "+", "-10", "4", "-6", "fixnum");
    row("add past 2^62-1 boxes", "ADD", "+", "4611686018427387903", "1", "4611686018427387904", "int64");
    row("add past int64 floats", "ADD", "+", "9223372036854775807", "1", "9223372036854775808", "float");
    row("add float", "ADD", "+", "1.5", "1", "2.5", "float");
    row("sub", "SUB", "-", "10", "4", "6", "fixnum");
    row("sub past -2^62 boxes", "SUB", "-", "-4611686018427387904", "1", "-4611686018427387905", "int64");
    row("mul", "MUL", "*", "6", "7", "42", "fixnum");
    row("mul past 2^62 boxes", "MUL", "*", "3037000499", "3037000499", "9223372030926249001", "int64");
    row("mul past int64 floats", "MUL", "*", "4611686018427387904", "2", "9223372036854775808", "float");
    row("lt true", "LT", "<", "1", "2", "true", "bool");
    row("lt false", "LT", "<", "2", "1", "false", "bool");
    row("lt mixed", "LT", "<", "1", "1.5", "true", "bool");
    row("lt boxed", "LT", "<", "4611686018427387904", "4611686018427387903", "false", "bool");
    row("gt", "GT", ">", "5", "2", "true", "bool");
    row("le equal", "LE", "<=", "2", "2", "true", "bool");
    row("ge false", "GE", ">=", "1", "2", "false", "bool");
    row("eq", "NUM_EQ", "=", "3", "3", "true", "bool");
    row("eq int and float", "NUM_EQ", "=", "1", "1.0", "true", "bool");
    row("eq strings", "NUM_EQ", "=", "\"a\"", "\"a\"", "true", "bool");
    row("cons", "CONS", "cons", "1", "(2 3)", "(1 2 3)", "other");
  }
  void binaryOps() {
    QFETCH(QString, op);
    QFETCH(QString, prim);
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(QString, expected);
    QFETCH(QString, kind);
    Bench t;
    Value f = t.fn("bin", binaryProgram(op.toUtf8().constData(), prim.toUtf8().constData()));
    Value r = callSync(t.iso, f, t.data({a.toUtf8().constData(), b.toUtf8().constData()}));
    QCOMPARE(QString::fromStdString(printValue(t.iso, r)), expected);
    QCOMPARE(QString(kindOf(r)), kind);
    // The CEK's answer for the same primitive call is the same.
    std::string quoted = "(" + prim.toStdString() + " '" + a.toStdString() + " '" + b.toStdString() + ")";
    QCOMPARE(QString::fromStdString(t.ev(quoted)), expected);
  }

  void unaryOps_data() {
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("prim");
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("expected");
    auto row = [](const char* tag, const char* op, const char* prim, const char* a, const char* want) {
      QTest::newRow(tag) << op << prim << a << want;
    };
    row("inc", "INC", "inc", "41", "42");
    row("inc at 2^62-1", "INC", "inc", "4611686018427387903", "4611686018427387904");
    row("inc float", "INC", "inc", "1.5", "2.5");
    row("dec at -2^62", "DEC", "dec", "-4611686018427387904", "-4611686018427387905");
    row("not nil", "NOT", "not", "nil", "true");
    row("not zero", "NOT", "not", "0", "false");
    row("first", "FIRST", "first", "(7 8)", "7");
    row("first of empty", "FIRST", "first", "()", "nil");
    row("rest", "REST", "rest", "(7 8)", "(8)");
    row("nil? nil", "NILP", "nil?", "nil", "true");
    row("nil? empty list", "NILP", "nil?", "()", "false");
    row("empty? empty list", "EMPTYP", "empty?", "()", "true");
    row("empty? string", "EMPTYP", "empty?", "\"\"", "true");
    row("empty? list", "EMPTYP", "empty?", "(1)", "false");
  }
  void unaryOps() {
    QFETCH(QString, op);
    QFETCH(QString, prim);
    QFETCH(QString, a);
    QFETCH(QString, expected);
    Bench t;
    Value f = t.fn("un", unaryProgram(op.toUtf8().constData(), prim.toUtf8().constData()));
    QCOMPARE(QString::fromStdString(t.call(f, {a.toUtf8().constData()})), expected);
    QCOMPARE(QString::fromStdString(t.ev("(" + prim.toStdString() + " '" + a.toStdString() + ")")), expected);
  }

  // ---- control flow -----------------------------------------------------------------
  void jumps() {
    Bench t;
    Value maxOf = t.fn("max-of", R"(
      .params 2
      .locals 2
      .global >
      LOCAL_GET 0
      LOCAL_GET 1
      GT 0
      JUMP_IF_FALSE second
      LOCAL_GET 0
      RETURN
    second:
      LOCAL_GET 1
      RETURN)");
    QCOMPARE(t.call(maxOf, {"3", "9"}), std::string("9"));
    QCOMPARE(t.call(maxOf, {"9", "3"}), std::string("9"));
    Value pick = t.fn("pick", R"(
      .params 1
      .locals 1
      .const "yes"
      .const "no"
      LOCAL_GET 0
      JUMP_IF_TRUE yes
      CONST 1
      JUMP out
    yes:
      CONST 0
    out:
      RETURN)");
    QCOMPARE(t.call(pick, {"0"}), std::string("\"yes\""));  // 0 is truthy
    QCOMPARE(t.call(pick, {"false"}), std::string("\"no\""));
    QCOMPARE(t.call(pick, {"nil"}), std::string("\"no\""));
  }

  void andOrJumps() {
    Bench t;
    const char* body = "\n.params 2\n.locals 2\nLOCAL_GET 0\n%1 done\nLOCAL_GET 1\ndone:\nRETURN\n";
    Value andF = t.fn("and2", QString(body).arg("AND_JUMP").toStdString());
    Value orF = t.fn("or2", QString(body).arg("OR_JUMP").toStdString());
    QCOMPARE(t.call(andF, {"false", "5"}), std::string("false"));
    QCOMPARE(t.call(andF, {"nil", "5"}), std::string("nil"));
    QCOMPARE(t.call(andF, {"0", "5"}), std::string("5"));
    QCOMPARE(t.call(andF, {"1", "nil"}), std::string("nil"));
    QCOMPARE(t.call(orF, {"false", "5"}), std::string("5"));
    QCOMPARE(t.call(orF, {"3", "5"}), std::string("3"));
    QCOMPARE(t.call(orF, {"nil", "false"}), std::string("false"));
  }

  void localsInALoop() {
    Bench t;
    Value sumTo = t.fn("sum-to", test::kSumTo);
    QCOMPARE(t.call(sumTo, {"100"}), std::string("5050"));
    QCOMPARE(t.call(sumTo, {"0"}), std::string("0"));
    // Locals past the parameters start as nil; RETURN takes the top of the stack.
    Value fresh = t.fn("fresh", ".params 0\n.locals 2\nLOCAL_GET 1\nRETURN\n");
    QCOMPARE(t.call(fresh, std::vector<Value>{}), std::string("nil"));
    Value top = t.fn("top", ".const 1\n.const 2\nCONST 0\nCONST 1\nRETURN\n");
    QCOMPARE(t.call(top, std::vector<Value>{}), std::string("2"));
  }

  void envAccess() {
    Bench t;
    Env* outer = makeEnv(t.iso, 2, nullptr);
    outer->slots[0] = Value::fixnum(10);
    outer->slots[1] = Value::fixnum(0);
    // No Env of its own: hops 0 is the closure's env.
    Value addOuter = t.fn("add-outer", R"(
      .params 1
      .locals 1
      .global +
      ENV_GET 0 0
      LOCAL_GET 0
      ADD 0
      ENV_SET 0 1
      RETURN)", outer);
    QCOMPARE(t.call(addOuter, {"5"}), std::string("15"));
    QCOMPARE(outer->slots[1].asFixnum(), int64_t(15));
    // An Env frame of its own: hops 0 holds the parameter, hops 1 the closure's env.
    Value scale = t.fn("scale", R"(
      .params 1
      .env 1
      .global *
      ENV_GET 0 0
      ENV_GET 1 0
      MUL 0
      RETURN)", outer);
    QCOMPARE(t.call(scale, {"3"}), std::string("30"));
  }

  // ---- calls ------------------------------------------------------------------------
  void callsBetweenCompiledNativeAndInterpreted() {
    Bench t;
    t.global("asm-double", ".params 1\n.locals 1\n.global +\nLOCAL_GET 0\nLOCAL_GET 0\nADD 0\nRETURN\n");
    QCOMPARE(t.run("(jit-exclude! \"interp-*\") (define (interp-add a b) (+ a b 100)) (define (sx-triple x) (* 3 x))"),
             std::string());
    // f(x) = (list (asm-double x) (interp-add x 1) (sx-triple x)) + continuing after each return
    Value f = t.fn("caller", R"(
      .params 1
      .locals 1
      .global asm-double
      .global interp-add
      .global sx-triple
      .global list
      .const 1
      GLOBAL_GET 3
      GLOBAL_GET 0
      LOCAL_GET 0
      CALL 1
      GLOBAL_GET 1
      LOCAL_GET 0
      CONST 4
      CALL 2
      GLOBAL_GET 2
      LOCAL_GET 0
      CALL 1
      CALL 3
      RETURN)");
    QCOMPARE(t.call(f, {"5"}), std::string("(10 106 15)"));
    QCOMPARE(t.call(f, {"7"}), std::string("(14 108 21)"));
    // A compiled callee's arity is checked.
    Value bad = t.fn("bad-arity", ".global asm-double\n.const 1\nGLOBAL_GET 0\nCONST 1\nCONST 1\nCALL 2\nRETURN\n");
    Diagnostic d = t.failure(bad, {});
    QCOMPARE(d.code, ErrorCode::Arity);
    QCOMPARE(d.message, std::string("asm-double: expected 1 argument, got 2"));
  }

  void tailCallsRunInConstantStack() {
    Bench t;
    const char* loop = R"(
      .params 2
      .locals 2
      .global countdown
      .global =
      .global -
      .global +
      .const 0
      .const 1
      LOCAL_GET 0
      CONST 4
      NUM_EQ 1
      JUMP_IF_FALSE more
      LOCAL_GET 1
      RETURN
    more:
      GLOBAL_GET 0
      LOCAL_GET 0
      CONST 5
      SUB 2
      LOCAL_GET 1
      CONST 5
      ADD 3
      %1
    )";
    t.global("countdown", QString(loop).arg("TAIL_CALL 2").toStdString());
    t.iso.maxDepth = 50;
    QCOMPARE(t.call(t.iso.globalValue("countdown"), {"1000000", "0"}), std::string("1000000"));
    // The same recursion without the tail call hits the depth limit: the limit is live.
    t.global("countdown", QString(loop).arg("CALL 2\nRETURN").toStdString());
    Diagnostic d = t.failure(t.iso.globalValue("countdown"), t.data({"1000", "0"}));
    QCOMPARE(d.code, ErrorCode::Depth);
    // A tail call to a native and to an interpreted lambda.
    QCOMPARE(t.run("(jit-exclude! \"interp-*\") (define (interp-pair a b) (list b a))"), std::string());
    Value toNative = t.fn("to-native", ".global list\n.const 1\nGLOBAL_GET 0\nCONST 1\nCONST 1\nTAIL_CALL 2\n");
    QCOMPARE(t.call(toNative, std::vector<Value>{}), std::string("(1 1)"));
    Value toInterp = t.fn("to-interp", ".global interp-pair\n.const 1\n.const 2\nGLOBAL_GET 0\nCONST 1\nCONST 2\nTAIL_CALL 2\n");
    QCOMPARE(t.call(toInterp, std::vector<Value>{}), std::string("(2 1)"));
  }

  void callPrimAndInlineOpsFollowRedefinition() {
    Bench t;
    Value maxOf3 = t.global("asm-max", ".params 3\n.locals 3\n.global max\nLOCAL_GET 0\nLOCAL_GET 1\nLOCAL_GET 2\nCALL_PRIM 0 3\nRETURN\n");
    Value add = t.global("asm-add", binaryProgram("ADD", "+"));
    Value first = t.global("asm-first", unaryProgram("FIRST", "first"));
    QCOMPARE(t.ev("(define (sx-add a b) (+ a b)) (sx-add 1 2)"), std::string("3"));  // compiled with ADD
    QCOMPARE(t.call(maxOf3, {"1", "5", "3"}), std::string("5"));
    QCOMPARE(t.call(add, {"3", "4"}), std::string("7"));
    QCOMPARE(t.call(first, {"(7 8)"}), std::string("7"));
    // Redefined as lambdas: the arguments arrive in order.
    QCOMPARE(t.run("(define (max &rest xs) (cons \"mine\" xs)) (define (+ a b) (list \"plus\" a b)) (define (first xs) \"first!\")"), std::string());
    QCOMPARE(t.call(maxOf3, {"1", "5", "3"}), std::string("(\"mine\" 1 5 3)"));
    QCOMPARE(t.call(add, {"3", "4"}), std::string("(\"plus\" 3 4)"));
    QCOMPARE(t.call(first, {"(7 8)"}), std::string("\"first!\""));
    QCOMPARE(t.ev("(sx-add 1 2)"), std::string("(\"plus\" 1 2)"));
    // Redefined as other natives.
    QCOMPARE(t.run("(define max min) (define + -)"), std::string());
    QCOMPARE(t.call(maxOf3, {"4", "2", "3"}), std::string("2"));
    QCOMPARE(t.call(add, {"10", "4"}), std::string("6"));
    QCOMPARE(t.ev("(sx-add 10 4)"), std::string("6"));
  }

  // ---- errors -------------------------------------------------------------------------
  void errorsCarryTheirSxStack() {
    Bench t;
    uint32_t file = t.iso.addSource("asm-errors.sx", "(define (asm-add-err a b)\n  (+ a b))\n");
    AssembleResult r = assemble(t.iso, binaryProgram("ADD", "+"));
    QVERIFY2(r.code, r.error.c_str());
    r.code->spans = {{0, Span{file, 1, 1, 1}}, {6, Span{file, 2, 3, 7}}};  // ADD is at offset 6
    Value f = t.wrap("asm-add-err", r.code, nullptr);
    Diagnostic d = t.failure(f, t.data({"1", "\"a\""}));
    QCOMPARE(d.code, ErrorCode::Type);
    QCOMPARE(d.message, std::string("+: expected number for argument 2, got string \"a\""));
    QVERIFY(!d.stack.empty());
    QCOMPARE(d.stack[0].function, std::string("asm-add-err"));
    QCOMPARE(d.stack[0].file, std::string("asm-errors.sx"));
    QCOMPARE(d.stack[0].line, 2u);
    QCOMPARE(d.stack[0].col, 3u);
    QCOMPARE(d.stack[0].tier, std::string("vm"));

    AssembleResult u = assemble(t.iso, ".global no-such-global-xyz\nGLOBAL_GET 0\nRETURN\n");
    QVERIFY2(u.code, u.error.c_str());
    u.code->spans = {{0, Span{file, 1, 10, 5}}};
    Value g = t.wrap("asm-undefined", u.code, nullptr);
    d = t.failure(g, {});
    QCOMPARE(d.code, ErrorCode::Undefined);
    QCOMPARE(d.message, std::string("Undefined symbol: no-such-global-xyz"));
    QVERIFY(!d.stack.empty());
    QCOMPARE(d.stack[0].function, std::string("asm-undefined"));
    QCOMPARE(d.stack[0].line, 1u);
    // SX code catches both.
    t.iso.defineGlobal("asm-add-err", f);
    t.iso.defineGlobal("asm-undefined", g);
    QCOMPARE(t.ev("(guard (e (true (error-message e))) (asm-add-err 1 \"a\"))"),
             std::string("\"+: expected number for argument 2, got string \\\"a\\\"\""));
    QCOMPARE(t.ev("(guard (e (true (error-message e))) (asm-undefined))"), std::string("\"Undefined symbol: no-such-global-xyz\""));
  }

  // ---- the verifier ----------------------------------------------------------------------
  void verifierRejects_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("why");
    QTest::newRow("depths disagree at a join") << "TRUE\nJUMP_IF_FALSE join\nNIL\njoin:\nNIL\nRETURN\n" << "meet here";
    QTest::newRow("jump into an instruction") << ".const 1\nJUMP 1\nCONST 0\nRETURN\n" << "is not an instruction";
    QTest::newRow("jump out of range") << "JUMP 1000\nNIL\nRETURN\n" << "jump target 1005";
    QTest::newRow("jump before the start") << "NIL\nJUMP -100\n" << "is not an instruction";
    QTest::newRow("pop from an empty stack") << "POP\nNIL\nRETURN\n" << "POP pops 1 from a stack of 0";
    QTest::newRow("call pops more than the stack") << "NIL\nCALL 3\nRETURN\n" << "CALL pops 4 from a stack of 1";
    QTest::newRow("constant index out of range") << ".const 1\nCONST 1\nRETURN\n" << "constant index out of range";
    QTest::newRow("global operand not a cell") << ".const 1\nGLOBAL_GET 0\nRETURN\n" << "constant 0 is not a";
    QTest::newRow("local past nlocals") << ".params 1\n.locals 1\nLOCAL_GET 1\nRETURN\n" << "local slot 1 out of range";
    QTest::newRow("env slot past its Env") << ".params 1\n.env 1\nENV_GET 0 1\nRETURN\n" << "env slot out of range";
    QTest::newRow("falls off the end") << "NIL\n" << "falls off the end";
    QTest::newRow("falls off after a branch") << "TRUE\nJUMP_IF_FALSE end\nNIL\nRETURN\nend:\nNIL\n" << "falls off the end";
    QTest::newRow("unknown opcode") << "NIL\nFROBNICATE\nRETURN\n" << "unknown opcode FROBNICATE";
    QTest::newRow("missing operand") << "CONST\nRETURN\n" << "CONST takes 1 operand";
    QTest::newRow("undefined label") << "JUMP nowhere\n" << "undefined label nowhere";
    QTest::newRow("empty code") << "" << "empty code";
    // CALL_PRIM calls the cell's primitive directly: a higher-order primitive (no plain
    // function) or a global with no primitive must be rejected, not crash the VM.
    QTest::newRow("CALL_PRIM on a higher-order primitive") << ".global map\n.global list\nGLOBAL_GET 1\nNIL\nCALL_PRIM 0 2\nRETURN\n"
                                                            << "not a plain primitive";
    QTest::newRow("inline op on a global with no primitive") << ".global no-such-primitive\nNIL\nNIL\nADD 0\nRETURN\n"
                                                              << "not a plain primitive";
  }
  void verifierRejects() {
    QFETCH(QString, text);
    QFETCH(QString, why);
    Bench t;
    AssembleResult r = assemble(t.iso, text.toStdString());
    QVERIFY(r.code == nullptr);
    QVERIFY2(r.error.find(why.toStdString()) != std::string::npos, r.error.c_str());
    QVERIFY(r.error.rfind("line ", 0) == 0);
  }

  void verifierOnRawBytes() {
    Code c;
    std::string why;
    c.bytes = {uint8_t(kOpCount)};  // one past the last opcode
    QVERIFY(!verifyCode(c, &why));
    QVERIFY2(why.find("unknown opcode " + std::to_string(kOpCount)) != std::string::npos, why.c_str());
    c.bytes = {uint8_t(Op::CONST), 0};  // operand cut short
    QVERIFY(!verifyCode(c, &why));
    QVERIFY2(why.find("truncated instruction") != std::string::npos, why.c_str());
    // Accepted code gets its maximum stack depth.
    c.bytes = {uint8_t(Op::NIL), uint8_t(Op::TRUE), uint8_t(Op::FALSE), uint8_t(Op::POP), uint8_t(Op::POP), uint8_t(Op::RETURN)};
    QVERIFY2(verifyCode(c, &why), why.c_str());
    QCOMPARE(c.maxStack, 4u);  // three values plus one spare
  }

  // ---- the disassembler -----------------------------------------------------------------
  void disassemblesAKnownFunction() {
    Bench t;
    AssembleResult r = assemble(t.iso, R"(
      .params 1
      .locals 1
      .global <
      .const 10
      LOCAL_GET 0
      CONST 1
      LT 0
      JUMP_IF_FALSE big
      CONST 1
      RETURN
    big:
      LOCAL_GET 0
      RETURN)");
    QVERIFY2(r.code, r.error.c_str());
    std::unique_ptr<Code> code(r.code);
    std::vector<Instruction> ins = disassemble(t.iso, *code);
    QCOMPARE(ins.size(), size_t(8));
    const uint32_t offsets[] = {0, 3, 6, 9, 14, 17, 18, 21};
    const Op ops[] = {Op::LOCAL_GET, Op::CONST, Op::LT, Op::JUMP_IF_FALSE, Op::CONST, Op::RETURN, Op::LOCAL_GET, Op::RETURN};
    for (size_t i = 0; i < ins.size(); ++i) {
      QCOMPARE(ins[i].offset, offsets[i]);
      QCOMPARE(int(ins[i].op), int(ops[i]));
    }
    QCOMPARE(ins[0].operands, std::vector<int64_t>{0});
    QCOMPARE(ins[0].text, std::string("slot 0"));
    QCOMPARE(ins[1].text, std::string("10"));
    QCOMPARE(ins[2].text, std::string("<"));
    QCOMPARE(ins[3].operands, std::vector<int64_t>{4});  // relative to the end of the jump
    QCOMPARE(ins[3].target, int64_t(18));
    QCOMPARE(ins[3].text, std::string("-> 18"));
    QCOMPARE(ins[5].operands.size(), size_t(0));
    QCOMPARE(ins[5].target, int64_t(-1));
    std::string listing = formatListing(t.iso, *code, "small?");
    QVERIFY2(listing.find("function small?\n") == 0, listing.c_str());
    QVERIFY2(listing.find("params 1, stack locals 1") != std::string::npos, listing.c_str());
    QVERIFY2(listing.find("k0 = <\n") != std::string::npos, listing.c_str());
    QVERIFY2(listing.find("k1 = 10\n") != std::string::npos, listing.c_str());
    QVERIFY2(listing.find("0009  JUMP_IF_FALSE -> 18") != std::string::npos, listing.c_str());
  }

  void roundTripsCompiledCode() {
    Bench t;
    QCOMPARE(t.run("(define (rt x ys) (if (< x 3) (list x \"low\" 'sym (first ys)) (cons (* x 2.5) (rest ys))))"), std::string());
    Proto* p = as<Closure>(t.iso.globalValue("rt"))->proto;
    Code* code = compileNow(t.iso, p);
    QVERIFY(code);
    std::vector<Instruction> ins = disassemble(t.iso, *code);
    QVERIFY(ins.size() > 10);
    // Every instruction starts where the previous one ended and names its operands.
    uint32_t at = 0;
    std::string text = ".params 2\n.locals " + std::to_string(code->nlocals) + "\n";
    for (Value k : code->consts)
      text += isType(k, ObjType::Cell) ? ".global " + std::string(symName(as<Cell>(k)->name)) + "\n" : ".const " + printValue(t.iso, k) + "\n";
    for (const Instruction& in : ins) {
      QCOMPARE(in.offset, at);
      at += uint32_t(instrLength(in.op));
      QVERIFY(in.span.valid());
      QCOMPARE(in.span.line, 1u);
      text += opInfo(in.op).name;
      for (int64_t x : in.operands) text += " " + std::to_string(x);
      text += "\n";
      if (opInfo(in.op).flags & kOpBranch) QCOMPARE(in.target, int64_t(in.offset + instrLength(in.op) + in.operands[0]));
      if (in.op == Op::CONST) QCOMPARE(in.text, printValue(t.iso, code->consts[in.operands[0]]));
    }
    QCOMPARE(size_t(at), code->bytes.size());
    // Assembling the disassembly gives back the same bytes.
    AssembleResult again = assemble(t.iso, text);
    QVERIFY2(again.code, (again.error + "\n" + text).c_str());
    std::unique_ptr<Code> copy(again.code);
    QVERIFY(copy->bytes == code->bytes);
    QCOMPARE(copy->maxStack, code->maxStack);
    std::string listing = formatListing(t.iso, *code, "rt");
    for (const char* k : {"= <", "= list", "= \"low\"", "= sym", "= first", "= 2.5", "= cons", "= rest"})
      QVERIFY2(listing.find(k) != std::string::npos, (std::string(k) + " missing in\n" + listing).c_str());
  }

  // ---- debug primitives --------------------------------------------------------------------
  void bytecodeInspectShape() {
    Bench t;
    QCOMPARE(t.run("(define (inc-it x) (+ x 1))"), std::string());
    QCOMPARE(t.ev("(let ((b (bytecode-inspect \"inc-it\")))"
                  "  (list (get b :arity) (get b :num_locals) (len (get b :constants))"
                  "        (map (fn (i) (list (get i :offset) (get i :op) (get i :args))) (get b :bytecode))))"),
             std::string("(1 1 2 ((0 \"LOCAL_GET\" (0)) (3 \"CONST\" (0)) (6 \"ADD\" (1)) (9 \"RETURN\" ())))"));
    QCOMPARE(t.ev("(first (get (bytecode-inspect \"inc-it\") :constants))"), std::string("1"));
    QCOMPARE(t.ev("(bytecode-inspect \"no-such-fn\")"), std::string("error: bytecode-inspect: no function named no-such-fn"));
    QCOMPARE(t.ev("(bytecode-inspect \"map\")"), std::string("error: bytecode-inspect: map is a native function"));
  }

  void primCheckLists() {
    Bench t;
    QCOMPARE(t.run("(define (uses x) (list (+ x 1) (undefined-thing x) (str x) (also-undefined)))"), std::string());
    QCOMPARE(t.ev("(prim-check \"uses\")"),
             std::string("{:valid (\"+\" \"str\" \"list\") :invalid (\"undefined-thing\" \"also-undefined\")}"));
    QCOMPARE(t.run("(define (clean x) (* x x))"), std::string());
    QCOMPARE(t.ev("(prim-check \"clean\")"), std::string("{:valid (\"*\") :invalid ()}"));
  }

  void vmTraceRecordsEveryInstruction() {
    Bench t;
    QCOMPARE(t.ev("(map (fn (r) (get r :opcode)) (vm-trace \"(+ 1 2)\"))"), std::string("(\"CONST\" \"CONST\" \"ADD\" \"RETURN\")"));
    QCOMPARE(t.ev("(map (fn (r) (list (get r :stack) (get r :depth))) (vm-trace \"(+ 1 2)\"))"),
             std::string("((() 1) ((1) 1) ((2 1) 1) ((3) 1))"));
    // A call to a compiled function is one frame deeper while it runs.
    QCOMPARE(t.run("(define (traced-sq x) (* x x))"), std::string());
    QCOMPARE(t.ev("(map (fn (r) (list (get r :opcode) (get r :depth))) (vm-trace \"(traced-sq 3)\"))"),
             std::string("((\"GLOBAL_GET\" 1) (\"CONST\" 1) (\"TAIL_CALL\" 1) (\"LOCAL_GET\" 1) (\"LOCAL_GET\" 1) (\"MUL\" 1) (\"RETURN\" 1))"));
    QCOMPARE(t.ev("(map (fn (r) (list (get r :opcode) (get r :depth))) (vm-trace \"(+ 1 (traced-sq 3))\"))"),
             std::string("((\"CONST\" 1) (\"GLOBAL_GET\" 1) (\"CONST\" 1) (\"CALL\" 1) (\"LOCAL_GET\" 2) (\"LOCAL_GET\" 2) (\"MUL\" 2) "
                         "(\"RETURN\" 2) (\"ADD\" 1) (\"RETURN\" 1))"));
  }

  // Evaluating a source again under the same name (the IDE runs a file again and again)
  // used to add a jit-stats row per run for each of its functions. A function of the same
  // name nested in a global that is still defined keeps its row.
  void jitStatsListsARerunFunctionOnce() {
    Bench t;
    auto rows = [&](const std::string& name) {
      return t.ev("(length (filter (fn (r) (= (get r :name) \"" + name + "\")) (jit-stats)))");
    };
    const std::string spin = "(define (spin n) (let loop ((i 0)) (if (< i n) (loop (+ i 1)) i))) (spin 3)";
    for (int run = 0; run < 3; ++run) QCOMPARE(t.ev("(define (twice x) (* 2 x)) (twice 1)"), std::string("2"));
    QCOMPARE(rows("twice"), std::string("1"));
    QCOMPARE(t.ev(spin), std::string("3"));
    QCOMPARE(t.ev("(define (spin2 n) (let loop ((i 0)) (if (< i n) (loop (+ i 1)) i))) (spin2 4)"), std::string("4"));
    QCOMPARE(rows("loop"), std::string("2"));  // spin's and spin2's
    QCOMPARE(t.ev(spin), std::string("3"));
    QCOMPARE(rows("loop"), std::string("2"));  // the first spin's is replaced
    QCOMPARE(rows("spin"), std::string("1"));
  }

  void jitStatsAndExclusion() {
    Bench t;
    QCOMPARE(t.run(kStatsRow), std::string());
    QCOMPARE(t.run("(define (counted x) (* 2 x)) (counted 1) (counted 2) (counted 3)"), std::string());
    QCOMPARE(t.ev("(stats-of \"counted\")"), std::string("(3 true \"vm\" nil)"));
    QCOMPARE(t.ev("(integer? (get (some (fn (r) (if (= (get r :name) \"counted\") r nil)) (jit-stats)) :bytecode-size))"),
             std::string("true"));
    QCOMPARE(t.run("(jit-exclude! \"exact-one\" \"pre-*\")"), std::string());
    QCOMPARE(t.run("(define (exact-one) 1) (define (exact-one-more) 2) (define (pre-x) 3) (define (pr-x) 4)"), std::string());
    QCOMPARE(t.ev("(list (exact-one) (exact-one-more) (pre-x) (pr-x))"), std::string("(1 2 3 4)"));
    QCOMPARE(t.ev("(stats-of \"exact-one\")"), std::string("(1 false \"cek\" \"excluded by jit-exclude!\")"));
    QCOMPARE(t.ev("(stats-of \"exact-one-more\")"), std::string("(1 true \"vm\" nil)"));
    QCOMPARE(t.ev("(stats-of \"pre-x\")"), std::string("(1 false \"cek\" \"excluded by jit-exclude!\")"));
    QCOMPARE(t.ev("(stats-of \"pr-x\")"), std::string("(1 true \"vm\" nil)"));
    // Excluding a function that already runs compiled sends it back to the CEK.
    QCOMPARE(t.run("(jit-exclude! \"counted\") (counted 4)"), std::string());
    QCOMPARE(t.ev("(stats-of \"counted\")"), std::string("(4 false \"cek\" \"excluded by jit-exclude!\")"));
    QCOMPARE(t.ev("(counted 5)"), std::string("10"));
  }

  void setTierSwitchesWhereNewCallsRun() {
    Bench t;
    QCOMPARE(t.run(kStatsRow), std::string());
    QCOMPARE(t.ev("(tier)"), std::string("\"vm\""));
    QCOMPARE(t.ev("(set-tier! \"cek\")"), std::string("\"cek\""));
    QCOMPARE(t.ev("(tier)"), std::string("\"cek\""));
    QCOMPARE(t.run("(define (later x) (+ x 1)) (later 1)"), std::string());
    QCOMPARE(t.ev("(stats-of \"later\")"), std::string("\"no row\""));
    QCOMPARE(t.run("(set-tier! \"vm\")"), std::string());
    QCOMPARE(t.ev("(later 2)"), std::string("3"));
    QCOMPARE(t.ev("(stats-of \"later\")"), std::string("(2 true \"vm\" nil)"));
    QCOMPARE(t.ev("(set-tier! \"fast\")"), std::string("error: set-tier!: expected \"cek\", \"vm\", \"jit\" or \"auto\", got \"fast\""));
    QCOMPARE(t.ev("(tier)"), std::string("\"vm\""));
  }

  // ---- compiler limits: a function past a limit stays on the CEK, gives the right
  // answer, and jit-stats says why --------------------------------------------------------
  void limitArguments() {
    Bench t;
    QCOMPARE(t.run(kStatsRow), std::string());
    auto define = [&](const char* name, int n) {
      return t.run(std::string("(define (") + name + ") (list " + repeat(n, [](int i) { return std::to_string(i); }) + "))");
    };
    QCOMPARE(define("args-at-limit", int(kMaxArgs)), std::string());
    QCOMPARE(define("args-past-limit", int(kMaxArgs) + 1), std::string());
    QCOMPARE(t.ev("(list (len (args-at-limit)) (apply + (args-at-limit)))"), std::string("(255 32385)"));
    QCOMPARE(t.ev("(list (len (args-past-limit)) (apply + (args-past-limit)))"), std::string("(256 32640)"));
    QCOMPARE(t.ev("(stats-of \"args-at-limit\")"), std::string("(2 true \"vm\" nil)"));
    QCOMPARE(t.ev("(stats-of \"args-past-limit\")"),
             std::string("(2 false \"cek\" \"a call with more arguments than CALL's u8 count allows\")"));
  }

  void limitConstants() {
    Bench t;
    QCOMPARE(t.run(kStatsRow), std::string());
    // (n) -> the count of distinct string constants; besides them the function has 4
    // constants: 0 and the cells of +, len and list.
    auto define = [&](const char* name, int strings) {
      std::string body;
      for (int i = 0; i < strings; i += 255) {
        int n = std::min(255, strings - i);
        body += "(set! n (+ n (len (list " + repeat(n, [&](int j) { return "\"c" + std::to_string(i + j) + "\""; }) + "))))\n";
      }
      return t.run(std::string("(define (") + name + ") (let ((n 0))\n" + body + "n))");
    };
    const int extra = 4;
    QCOMPARE(define("consts-at-limit", int(kMaxConstants) - extra), std::string());
    QCOMPARE(define("consts-past-limit", int(kMaxConstants) - extra + 1), std::string());
    QCOMPARE(t.ev("(consts-at-limit)"), std::to_string(kMaxConstants - extra));
    QCOMPARE(t.ev("(consts-past-limit)"), std::to_string(kMaxConstants - extra + 1));
    QCOMPARE(t.ev("(stats-of \"consts-at-limit\")"), std::string("(1 true \"vm\" nil)"));
    QCOMPARE(t.ev("(len (get (bytecode-inspect \"consts-at-limit\") :constants))"), std::to_string(kMaxConstants));
    QCOMPARE(t.ev("(stats-of \"consts-past-limit\")"),
             std::string("(1 false \"cek\" \"more constants than a u16 index can address\")"));
  }

  void limitLocals() {
    Bench t;
    QCOMPARE(t.run(kStatsRow), std::string());
    // `groups` nested lets of `per` bindings each: groups * per local slots.
    auto define = [&](const char* name, int groups, int per) {
      std::string src = std::string("(define (") + name + ")\n";
      for (int g = 0; g < groups; ++g)
        src += "(let (" + repeat(per, [&](int i) { return "(v" + std::to_string(g) + "_" + std::to_string(i) + " " + std::to_string(g) + ")"; }) + ")\n";
      src += "(list v0_0 v" + std::to_string(groups - 1) + "_" + std::to_string(per - 1) + ")";
      src += std::string(size_t(groups), ')') + ")";
      return t.run(src);
    };
    QCOMPARE(define("locals-at-limit", 255, 257), std::string());  // 65535 slots
    QCOMPARE(define("locals-past-limit", 256, 256), std::string());  // 65536 slots
    QCOMPARE(t.ev("(locals-at-limit)"), std::string("(0 254)"));
    QCOMPARE(t.ev("(locals-past-limit)"), std::string("(0 255)"));
    QCOMPARE(t.ev("(stats-of \"locals-at-limit\")"), std::string("(1 true \"vm\" nil)"));
    QCOMPARE(t.ev("(get (bytecode-inspect \"locals-at-limit\") :num_locals)"), std::to_string(kMaxLocals));
    QCOMPARE(t.ev("(stats-of \"locals-past-limit\")"),
             std::string("(1 false \"cek\" \"more local slots than a u16 index can address\")"));
  }

  void limitEnvHops() {
    Bench t;
    QCOMPARE(t.run(kStatsRow), std::string());
    // (outer a0) returns `levels` nested one-argument lambdas; the innermost defines a
    // named function reading a0, levels + 1 scopes away (levels Env hops from its frame).
    auto define = [&](const std::string& name, int levels) {
      std::string src = "(define (" + name + "-outer a0)\n";
      for (int i = 1; i <= levels; ++i) src += "(fn (a" + std::to_string(i) + ")\n";
      src += "(define (" + name + ") (list a0 a" + std::to_string(levels) + ")) (" + name + ")";
      src += std::string(size_t(levels), ')') + ")";
      return t.run(src);
    };
    QCOMPARE(define("hops-at-limit", int(kMaxEnvHops)), std::string());
    QCOMPARE(define("hops-past-limit", int(kMaxEnvHops) + 1), std::string());
    QCOMPARE(t.ev("(reduce (fn (f x) (f x)) (hops-at-limit-outer 7) (range 255))"), std::string("(7 254)"));
    QCOMPARE(t.ev("(reduce (fn (f x) (f x)) (hops-past-limit-outer 7) (range 256))"), std::string("(7 255)"));
    QCOMPARE(t.ev("(stats-of \"hops-at-limit\")"), std::string("(1 true \"vm\" nil)"));
    QCOMPARE(t.ev("(stats-of \"hops-past-limit\")"),
             std::string("(1 false \"cek\" \"a variable more Env hops away than ENV_GET's u8 allows\")"));
  }
};

QTEST_APPLESS_MAIN(TestVm)
#include "test_vm.moc"
