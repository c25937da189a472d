// The JIT's float paths (jit_emit_numbers.cpp) below the language: each of ADD SUB MUL
// LT GT LE GE NUM_EQ in a hand-assembled function, run in the VM and natively on
// pairs drawn from floats, fixnums, -0.0, NaN, the infinities and fixnums too wide for
// an exact double. The answers must be the same to the bit (a float's sign and payload
// included), and the exits say which path native code took: the float path (no exit
// but the return) for floats and fixnum/float mixes, the primitive ("not-number") for
// non-numbers and the comparisons the float path leaves to it.
#include <QtTest/QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "bytecode_bench.h"
#include "effects/run.h"
#include "jit/jit_x64.h"
#include "reader/printer.h"

using namespace sx;

namespace {

struct Bench : test::BytecodeBench {
  // A function applying `op` (whose primitive is `prim`) to its two parameters.
  Value binary(const std::string& op, const std::string& prim) {
    return fn(op, ".params 2\n.locals 2\n.global " + prim + "\nLOCAL_GET 0\nLOCAL_GET 1\n" + op + " 0\nRETURN\n");
  }
  // The result's printed form plus, for a float, its bits.
  std::string call(Tier tier, Value f, Value a, Value b) { return callWith(tier, f, {a, b}); }
  std::string callWith(Tier tier, Value f, const std::vector<Value>& args) {
    iso.tier = tier;
    Fiber fb(iso);
    startCall(fb, f, args);
    if (driveToCompletion(fb) == RunStatus::Error) return "error: " + fb.diagnostic.message;
    std::string out = printValue(iso, fb.result);
    if (isType(fb.result, ObjType::Float)) {
      uint64_t bits;
      double d = as<Float>(fb.result)->value;
      std::memcpy(&bits, &d, sizeof bits);
      out += " bits=" + std::to_string(bits);
    }
    return out;
  }
  Value num(double d) {
    Value v = iso.flonum(d);
    keep.push(v);
    return v;
  }
};

uint64_t total(const Code& c, JitReason r) { return c.jit ? c.jit->counts[size_t(r)] : 0; }

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

class TestJitFloat : public QObject {
  Q_OBJECT

  // Every pair of these operands, per opcode: the VM's answer and native code's agree.
  std::vector<Value> operands(Bench& t) {
    return {t.num(1.5),   t.num(-2.25), t.num(0.0),  t.num(-0.0), t.num(kInf), t.num(-kInf), t.num(kNaN),
            t.num(1e308), t.num(5e-324), Value::fixnum(3), Value::fixnum(-7), Value::fixnum(0),
            Value::fixnum((int64_t(1) << 53) + 1),  // no exact double
            Value::fixnum(Value::kFixMax), t.iso.str("x"), t.iso.intern("a"), t.iso.intern("b")};
  }

 private Q_SLOTS:
  void everyPairAgreesWithTheVm_data() {
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("prim");
    for (auto [op, prim] : {std::pair{"ADD", "+"}, {"SUB", "-"}, {"MUL", "*"}, {"LT", "<"}, {"GT", ">"}, {"LE", "<="},
                            {"GE", ">="}, {"NUM_EQ", "="}})
      QTest::newRow(op) << QString(op) << QString(prim);
  }
  void everyPairAgreesWithTheVm() {
    QFETCH(QString, op);
    QFETCH(QString, prim);
    Bench t;
    Value f = t.binary(op.toStdString(), prim.toStdString());
    std::vector<Value> xs = operands(t);
    int pairs = 0;
    for (Value a : xs)
      for (Value b : xs) {
        std::string vm = t.call(Tier::Vm, f, a, b);
        std::string jit = t.call(Tier::Jit, f, a, b);
        std::string what = printValue(t.iso, a) + " " + op.toStdString() + " " + printValue(t.iso, b) + ": vm " + vm + ", jit " + jit;
        QVERIFY2(vm == jit, what.c_str());
        ++pairs;
      }
    QCOMPARE(pairs, 289);
    QVERIFY(codeOf(f).jit && codeOf(f).jit->native());
  }

  // Which path native code takes: the float path never leaves or calls the primitive.
  void floatsAndMixesStayInline_data() {
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("prim");
    QTest::addColumn<double>("a");
    QTest::addColumn<qlonglong>("bFixnum");  // b, when useFixnum
    QTest::addColumn<double>("bFloat");
    QTest::addColumn<bool>("useFixnum");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("slow");  // not-number slow paths expected
    auto row = [](const char* tag, const char* op, const char* prim, double a, qlonglong bi, double bf, bool fix,
                  const char* want, int slow) { QTest::newRow(tag) << op << prim << a << bi << bf << fix << want << slow; };
    row("add floats", "ADD", "+", 1.5, 0, 2.25, false, "3.75", 0);
    row("add -0.0 -0.0 is 0 (0 + a + b)", "ADD", "+", -0.0, 0, -0.0, false, "0", 0);
    row("add float fixnum", "ADD", "+", 0.5, 2, 0, true, "2.5", 0);
    row("add inf -inf is nan", "ADD", "+", kInf, 0, -kInf, false, "nan", 0);
    row("sub -0.0 0.0", "SUB", "-", -0.0, 0, 0.0, false, "-0", 0);
    row("sub float fixnum", "SUB", "-", 0.5, 3, 0, true, "-2.5", 0);
    row("mul -1.5 0.0", "MUL", "*", -1.5, 0, 0.0, false, "-0", 0);
    row("mul overflow to inf", "MUL", "*", 1e300, 0, 1e300, false, "inf", 0);
    row("mul by a fixnum", "MUL", "*", 0.25, -8, 0, true, "-2", 0);
    row("lt floats", "LT", "<", 1.5, 0, 2.5, false, "true", 0);
    row("lt -inf", "LT", "<", -kInf, 0, -1e308, false, "true", 0);
    row("lt float fixnum", "LT", "<", 2.5, 2, 0, true, "false", 0);
    row("gt -0.0 0.0", "GT", ">", -0.0, 0, 0.0, false, "false", 0);
    row("le equal", "LE", "<=", 2.0, 2, 0, true, "true", 0);
    row("ge inf inf", "GE", ">=", kInf, 0, kInf, false, "true", 0);
    row("eq -0.0 0.0", "NUM_EQ", "=", -0.0, 0, 0.0, false, "true", 0);
    row("eq float fixnum", "NUM_EQ", "=", 3.0, 3, 0, true, "true", 0);
    row("lt nan: the primitive", "LT", "<", kNaN, 0, 1.0, false, "false", 1);
    row("eq nan nan: the primitive", "NUM_EQ", "=", kNaN, 0, kNaN, false, "false", 1);
    row("lt 2^53+1: the primitive", "LT", "<", 9007199254740992.0, (qlonglong(1) << 53) + 1, 0, true, "true", 1);
    row("eq 2^53+1: the primitive", "NUM_EQ", "=", 9007199254740992.0, (qlonglong(1) << 53) + 1, 0, true, "false", 1);
  }
  void floatsAndMixesStayInline() {
    QFETCH(QString, op);
    QFETCH(QString, prim);
    QFETCH(double, a);
    QFETCH(qlonglong, bFixnum);
    QFETCH(double, bFloat);
    QFETCH(bool, useFixnum);
    QFETCH(QString, expected);
    QFETCH(int, slow);
    Bench t;
    Value f = t.binary(op.toStdString(), prim.toStdString());
    Value va = t.num(a), vb = useFixnum ? Value::fixnum(bFixnum) : t.num(bFloat);
    std::string vm = t.call(Tier::Vm, f, va, vb);
    std::string jit = t.call(Tier::Jit, f, va, vb);
    QCOMPARE(jit, vm);
    QCOMPARE(QString::fromStdString(jit.substr(0, jit.find(" bits="))), expected);
    const Code& code = codeOf(f);
    QCOMPARE(total(code, JitReason::NotNumber), uint64_t(slow));
    QCOMPARE(total(code, JitReason::Return), uint64_t(1));
    // Both orders: the mix with the fixnum first takes the same path.
    std::string vmSwapped = t.call(Tier::Vm, f, vb, va);
    QCOMPARE(t.call(Tier::Jit, f, vb, va), vmSwapped);
  }

  // = with a symbol on either side is identity, decided without the primitive; two
  // strings are compared by the primitive (their contents).
  void symbolEqualityStaysInline() {
    Bench t;
    Value f = t.binary("NUM_EQ", "=");
    Value a = t.iso.intern("a"), b = t.iso.intern("b"), s1 = t.iso.str("s"), s2 = t.iso.str("s");
    t.keep.push(s1);
    t.keep.push(s2);
    struct Row {
      Value x, y;
      const char* want;
      uint64_t slow;
    };
    for (const Row& r : {Row{a, a, "true", 0}, Row{a, b, "false", 0}, Row{Value::fixnum(1), a, "false", 0},
                         Row{a, t.num(1.5), "false", 0}, Row{a, Value::nil(), "false", 0}, Row{Value::nil(), a, "false", 0},
                         Row{s1, s2, "true", 1}, Row{s1, a, "false", 0}}) {
      uint64_t before = total(codeOf(f), JitReason::NotNumber);
      std::string vm = t.call(Tier::Vm, f, r.x, r.y);
      QCOMPARE(t.call(Tier::Jit, f, r.x, r.y), vm);
      QCOMPARE(vm, std::string(r.want));
      QCOMPARE(total(codeOf(f), JitReason::NotNumber) - before, r.slow);
    }
  }

  // A float loop runs natively without leaving: sum of 0.5 * i for i below 1000.
  void aFloatLoopStaysNative() {
    Bench t;
    Value f = t.fn("float-sum", R"(
      .params 1
      .locals 3
      .global <
      .global +
      .global *
      .const 0
      .const 0.0
      .const 0.5
      .const 1
      CONST 3
      LOCAL_SET 1
      POP
      CONST 4
      LOCAL_SET 2
      POP
    loop:
      LOCAL_GET 1
      LOCAL_GET 0
      LT 0
      JUMP_IF_FALSE done
      LOCAL_GET 2
      LOCAL_GET 1
      CONST 5
      MUL 2
      ADD 1
      LOCAL_SET 2
      POP
      LOCAL_GET 1
      CONST 6
      ADD 1
      LOCAL_SET 1
      POP
      JUMP loop
    done:
      LOCAL_GET 2
      RETURN)");
    std::string vm = t.callWith(Tier::Vm, f, {Value::fixnum(1000)});
    QCOMPARE(vm.substr(0, vm.find(" bits=")), std::string("249750"));
    QCOMPARE(t.callWith(Tier::Jit, f, {Value::fixnum(1000)}), vm);
    const JitCode& jit = *codeOf(f).jit;
    uint64_t exits = 0;
    for (uint64_t c : jit.counts) exits += c;
    QCOMPARE(exits, uint64_t(1));  // the return: 1000 float multiplications and additions inline
    QCOMPARE(total(codeOf(f), JitReason::Return), uint64_t(1));
  }

 private:
  static const Code& codeOf(Value f) { return *as<Closure>(f)->proto->info->code; }
};

QTEST_GUILESS_MAIN(TestJitFloat)
#include "test_jit_float.moc"
