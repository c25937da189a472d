// Tier-up (engine/vm/tier.h): in the auto tier a function runs as bytecode until it has
// been called, or has taken back-edges in the VM, iso.jitThreshold times, and then
// natively: from its next call, or at once at the loop header a back-edge arrives at,
// so nothing runs twice. The vm tier never makes native code; jit-exclude! keeps even
// a hot function on the CEK.
#include <QtTest/QtTest>

#include <stdexcept>

#include "bytecode_bench.h"
#include "effects/run.h"
#include "jit/jit_x64.h"
#include "reader/printer.h"

using namespace sx;

namespace {

EngineOptions autoTier(uint32_t threshold) {
  EngineOptions o;
  o.tier = Tier::Auto;
  o.jitThreshold = threshold;
  return o;
}

struct Bench : test::BytecodeBench {
  explicit Bench(EngineOptions o) : BytecodeBench(o, "test_jit_tierup.sx") {}

  ProtoInfo* info(const std::string& name) {
    Value v = iso.globalValue(name);
    if (!isType(v, ObjType::Lambda)) throw std::runtime_error(name + " is not a lambda");
    return as<Closure>(v)->proto->info;
  }
  bool native(const std::string& name) {
    ProtoInfo* p = info(name);
    return p->code && p->code->jit && p->code->jit->native();
  }
  // The jit-stats row's :tier of a function.
  std::string tierOf(const std::string& name) {
    return ev("(get (first (filter (fn (r) (= (get r :name) \"" + name + "\")) (jit-stats))) :tier)");
  }
  std::string call(Value f, int64_t arg) {
    Fiber fb(iso);
    startCall(fb, f, {Value::fixnum(arg)});
    RunStatus s = driveToCompletion(fb);
    if (s == RunStatus::Error) return "error: " + fb.diagnostic.message;
    return printValue(iso, fb.result);
  }
};

uint64_t count(const Code& c, JitReason r) { return c.jit ? c.jit->counts[size_t(r)] : 0; }

}  // namespace

class TestJitTierup : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void defaultsAreAutoWithTheNamedThreshold() {
    Bench t{EngineOptions{}};
    QCOMPARE(t.iso.tier, Tier::Auto);
    QCOMPARE(t.iso.jitThreshold, kDefaultJitThreshold);
    QCOMPARE(t.ev("(list (tier) (jit-threshold))"), "(\"auto\" " + std::to_string(kDefaultJitThreshold) + ")");
  }

  // Calls below the threshold run as bytecode; the call that reaches it runs natively.
  void aFunctionCrossesTheThresholdByCalls() {
    Bench t{autoTier(4)};
    QCOMPARE(t.ev("(define (sq x) (* x x)) (list (sq 1) (sq 2) (sq 3))"), std::string("(1 4 9)"));
    QCOMPARE(t.info("sq")->calls, uint64_t(3));
    QVERIFY(!t.native("sq"));
    QCOMPARE(t.tierOf("sq"), std::string("\"vm\""));
    QCOMPARE(t.ev("(sq 4)"), std::string("16"));
    QVERIFY(t.native("sq"));
    QCOMPARE(t.tierOf("sq"), std::string("\"jit\""));
    const Code& code = *t.info("sq")->code;
    QCOMPARE(count(code, JitReason::Return), uint64_t(1));  // the fourth call ran natively
    QCOMPARE(t.ev("(sq 5)"), std::string("25"));
    QCOMPARE(count(code, JitReason::Return), uint64_t(2));
    QCOMPARE(t.info("sq")->calls, uint64_t(5));
  }

  // Called once, a loop with a backward jump takes threshold back-edges in the VM and
  // then continues natively at its header: the global counter it bumps each iteration
  // ends at n exactly (no iteration re-run, none lost), and native code ran from the
  // header to the return without another exit.
  void aLoopAloneEntersNativeCodeAtItsHeader() {
    Bench t{autoTier(5)};
    QCOMPARE(t.ev("(define ticks 0) ticks"), std::string("0"));
    Value f = t.fn("ticker", R"(
      .params 1
      .locals 1
      .global ticks
      .global +
      .global dec
      .global =
      .const 0
      .const 1
    loop:
      LOCAL_GET 0
      CONST 4
      NUM_EQ 3
      JUMP_IF_TRUE done
      GLOBAL_GET 0
      CONST 5
      ADD 1
      GLOBAL_SET 0
      POP
      LOCAL_GET 0
      DEC 2
      LOCAL_SET 0
      POP
      JUMP loop
    done:
      GLOBAL_GET 0
      RETURN)");
    ProtoInfo* info = as<Closure>(f)->proto->info;
    QCOMPARE(t.call(f, 1000), std::string("1000"));
    QCOMPARE(t.ev("ticks"), std::string("1000"));
    QCOMPARE(info->calls, uint64_t(1));
    QCOMPARE(info->loops, uint64_t(5));  // the fifth back-edge compiled it; native code counts none
    QVERIFY(info->code->jit && info->code->jit->native());
    QCOMPARE(count(*info->code, JitReason::Return), uint64_t(1));
    uint64_t exits = 0;
    for (uint64_t c : info->code->jit->counts) exits += c;
    QCOMPARE(exits, uint64_t(1));
  }

  // The same from SX source: a self tail call is the back-edge of a named let.
  void aNamedLetLoopTiersUpMidLoop() {
    Bench t{autoTier(3)};
    QCOMPARE(t.ev("(define hits 0) (define (spin n) (let loop ((i 0)) (if (< i n) (begin (set! hits (+ hits 1)) (loop (+ i 1))) i)))"
                  " (list (spin 50) hits)"),
             std::string("(50 50)"));
    QVERIFY(t.native("spin") == false);  // called once
    QCOMPARE(t.ev("(map (fn (r) (get r :tier)) (filter (fn (r) (= (get r :name) \"loop\")) (jit-stats)))"),
             std::string("(\"jit\")"));
  }

  void theThresholdIsHonoured_data() {
    QTest::addColumn<int>("threshold");
    QTest::newRow("1: the first call") << 1;
    QTest::newRow("2") << 2;
    QTest::newRow("50") << 50;
  }
  void theThresholdIsHonoured() {
    QFETCH(int, threshold);
    Bench t{autoTier(uint32_t(threshold))};
    QCOMPARE(t.ev("(define (inc2 x) (+ x 2)) 0"), std::string("0"));
    for (int k = 1; k < threshold; ++k) QCOMPARE(t.ev("(inc2 " + std::to_string(k) + ")"), std::to_string(k + 2));
    QVERIFY(!t.native("inc2"));
    QCOMPARE(t.ev("(inc2 0)"), std::string("2"));
    QVERIFY(t.native("inc2"));
  }

  void theThresholdIsSetFromSx() {
    Bench t{autoTier(100)};
    QCOMPARE(t.ev("(set-jit-threshold! 2)"), std::string("2"));
    QCOMPARE(t.ev("(jit-threshold)"), std::string("2"));
    QCOMPARE(t.ev("(define (twice x) (* 2 x)) (twice 1) (twice 2)"), std::string("4"));
    QVERIFY(t.native("twice"));
    QVERIFY(t.ev("(set-jit-threshold! 0)").rfind("error: set-jit-threshold!: expected an integer from 1", 0) == 0);
    QVERIFY(t.ev("(set-jit-threshold! \"8\")").rfind("error: set-jit-threshold!", 0) == 0);
    QVERIFY(t.ev("(set-jit-threshold! 1.5)").rfind("error: set-jit-threshold!", 0) == 0);
    QCOMPARE(t.ev("(jit-threshold)"), std::string("2"));
  }

  void jitExcludeKeepsAHotFunctionOutOfNativeCode() {
    Bench t{autoTier(2)};
    QCOMPARE(t.ev("(jit-exclude! \"hot\") (define (hot x) (+ x 1)) (reduce (fn (acc x) (+ acc (hot x))) 0 (range 200))"),
             std::string("20100"));
    QVERIFY(t.info("hot")->calls >= 200);
    QVERIFY(!t.native("hot"));
    QCOMPARE(t.tierOf("hot"), std::string("\"cek\""));
  }

  void theVmTierNeverMakesNativeCode() {
    EngineOptions o;
    o.tier = Tier::Vm;
    o.jitThreshold = 1;
    Bench t{o};
    QCOMPARE(t.ev("(define (sq x) (* x x)) (reduce + 0 (map sq (range 100)))"), std::string("328350"));
    QVERIFY(t.info("sq")->code);
    QVERIFY(!t.info("sq")->code->jit);
    QCOMPARE(t.tierOf("sq"), std::string("\"vm\""));
  }

  // A short leaf called back by a higher-order primitive runs in the VM (entering native
  // code would cost more); the VM's own calls of it and native callers run it natively.
  void shortLeafCallbacksRunInTheVm() {
    EngineOptions o;
    o.tier = Tier::Jit;
    Bench t{o};
    QCOMPARE(t.ev("(define (triple x) (* x 3)) (define (long-one x) (let ((a (* x 3)) (b (+ x 1))) (+ a (* b 2) (- a b) 7)))"
                  "(list (triple 1) (long-one 1))"),
             std::string("(3 15)"));
    const Code& leaf = *t.info("triple")->code;
    const Code& other = *t.info("long-one")->code;
    QVERIFY(leaf.jit && leaf.jit->native() && leaf.jit->shortLeaf);
    QVERIFY(other.jit && other.jit->native() && !other.jit->shortLeaf);
    QVERIFY(!leaf.enterNative && other.enterNative);
    QCOMPARE(count(leaf, JitReason::Return), uint64_t(1));  // the VM's call ran natively
    QCOMPARE(t.ev("(list (reduce + 0 (map triple (range 100))) (reduce + 0 (map long-one (range 100))))"),
             std::string("(14850 35450)"));
    // The first callback is entered from the CEK (top-level code starts the map) and runs
    // natively; the VM drives the other 99, in the VM.
    QCOMPARE(count(leaf, JitReason::Return), uint64_t(2));
    QCOMPARE(count(other, JitReason::Return), uint64_t(101));  // 100 callbacks natively
    QCOMPARE(t.info("triple")->calls, uint64_t(101));
  }

  // A native caller of a function that is not hot yet hands the call to the VM (cold),
  // which counts it; once the callee is hot the calls stay native.
  void nativeCallersOfColdFunctionsLeaveTheCallToTheVm() {
    Bench t{autoTier(3)};
    QCOMPARE(t.ev("(define (leaf x) (+ x 1)) (define (caller x) (if (< x 0) x (leaf x)))"
                  " (list (caller -1) (caller -2) (caller -3) (leaf 0))"),
             std::string("(-1 -2 -3 1)"));
    QVERIFY(t.native("caller"));
    QVERIFY(!t.native("leaf"));
    const Code& code = *t.info("caller")->code;
    QCOMPARE(t.ev("(caller 1)"), std::string("2"));  // cold: the VM makes leaf's second call
    QCOMPARE(count(code, JitReason::Cold), uint64_t(1));
    QVERIFY(!t.native("leaf"));
    QCOMPARE(t.ev("(caller 2)"), std::string("3"));  // leaf's third call: the VM compiles it
    QCOMPARE(count(code, JitReason::Cold), uint64_t(2));
    QVERIFY(t.native("leaf"));
    QCOMPARE(t.ev("(caller 3)"), std::string("4"));  // a native call now
    QCOMPARE(count(code, JitReason::Cold), uint64_t(2));
    QCOMPARE(t.info("leaf")->calls, uint64_t(4));
  }
};

QTEST_GUILESS_MAIN(TestJitTierup)
#include "test_jit_tierup.moc"
