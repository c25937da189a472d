// The kv-* ops in an isolate, in both resolver modes: answers, values of every datum
// kind read back equal, values that are not data are refused, atomic batches, errors.
#include <QtTest/QtTest>

#include <fstream>

#include "store/store_ops.h"
#include "sx.h"

using namespace sx;

namespace {

struct Fixture {
  Engine engine;
  std::shared_ptr<Store> store;
  Fixture(ResolverMode mode, const std::string& dir) : engine(EngineOptions{mode}), store(std::make_shared<Store>(dir)) {
    installStoreOps(engine.isolate(), store);
    EvalResult r = engine.evalString(
        "(define (kv op &rest args) (perform {:op op :args args}))", "<fixture>");
    if (!r.ok) qFatal("%s", r.error.message.c_str());
  }
  // The printed value of `src`, or "error: message".
  std::string eval(const std::string& src) {
    EvalResult r = engine.evalString(src, "<test>");
    return r.ok ? r.printed : "error: " + r.error.message;
  }
};

const ResolverMode kModes[] = {ResolverMode::Inline, ResolverMode::Unwind};

}  // namespace

class TestStoreOps : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  int n_ = 0;
  std::string freshDir() { return (tmp_.path() + "/d" + QString::number(++n_)).toStdString(); }

 private Q_SLOTS:
  void answers() {
    for (ResolverMode mode : kModes) {
      Fixture f(mode, freshDir());
      QCOMPARE(f.eval("(kv \"kv-get\" \"missing\")"), std::string("nil"));
      QCOMPARE(f.eval("(kv \"kv-put\" \"b\" {:n 1})"), std::string("{:n 1}"));
      QCOMPARE(f.eval("(kv \"kv-put\" :a 2)"), std::string("2"));
      QCOMPARE(f.eval("(kv \"kv-get\" \"a\")"), std::string("2"));
      QCOMPARE(f.eval("(kv \"kv-has?\" \"b\")"), std::string("true"));
      QCOMPARE(f.eval("(kv \"kv-keys\" \"\")"), std::string("(\"a\" \"b\")"));
      QCOMPARE(f.eval("(kv \"kv-keys\")"), std::string("(\"a\" \"b\")"));
      QCOMPARE(f.eval("(kv \"kv-delete\" \"a\")"), std::string("true"));
      QCOMPARE(f.eval("(kv \"kv-delete\" \"a\")"), std::string("false"));
      QCOMPARE(f.eval("(kv \"kv-has?\" \"a\")"), std::string("false"));
      QCOMPARE(f.eval("(kv \"kv-batch\" (list (list \"put\" \"x:1\" 1) (list \"put\" \"x:2\" (list 2)) (list \"delete\" \"b\")))"),
               std::string("3"));
      QCOMPARE(f.eval("(kv \"kv-keys\" \"x:\")"), std::string("(\"x:1\" \"x:2\")"));
      QCOMPARE(f.eval("(kv \"kv-get\" \"x:2\")"), std::string("(2)"));
      QCOMPARE(f.eval("(kv \"kv-has?\" \"b\")"), std::string("false"));
      // A performing callback inside map reads the store in both modes.
      QCOMPARE(f.eval("(map (fn (k) (kv \"kv-get\" k)) (kv \"kv-keys\" \"x:\"))"), std::string("(1 (2))"));
    }
  }

  void valuesReadBackEqual_data() {
    QTest::addColumn<QString>("expr");
    const char* rows[][2] = {
        {"nil", "nil"},
        {"true", "true"},
        {"false", "false"},
        {"fixnum", "-42"},
        {"int64", "9223372036854775807"},
        {"float", "2.5"},
        {"tiny float", "1.5e-300"},
        {"integral float", "3.0"},
        {"rational", "-1/3"},
        {"string", "\"quote \\\" backslash \\\\ newline \\n tab \\t é ∑ 😀\""},
        {"empty string", "\"\""},
        {"symbol", "(quote some-symbol?)"},
        {"keyword", "(first (quote (:kw)))"},
        {"char", "#\\a"},
        {"char space", "#\\space"},
        {"char unicode", "#\\λ"},
        {"empty list", "(list)"},
        {"nested list", "(list 1 (list 2 (list 3)) \"x\" nil)"},
        {"dotted pair", "(quote (a . b))"},
        {"dict", "{:title \"Hello\" :tags (list \"a\" \"b\") :meta {:n 1 :ok true}}"},
        {"empty dict", "{}"},
        {"dict string key", "(assoc {} \"key with spaces\" 1)"},
        {"quoted form", "(quote (define (f x) `(a ,x ,@(list 1))))"},
    };
    for (auto& r : rows) QTest::newRow(r[0]) << QString::fromUtf8(r[1]);
  }

  void valuesReadBackEqual() {
    QFETCH(QString, expr);
    for (ResolverMode mode : kModes) {
      Fixture f(mode, freshDir());
      std::string src = "(define v " + expr.toStdString() + ")\n"
                        "(kv \"kv-put\" \"k\" v)\n"
                        "(define got (kv \"kv-get\" \"k\"))\n"
                        "(list (= v got) (= (type-of v) (type-of got)) (inspect got))";
      std::string out = f.eval(src);
      QVERIFY2(out.rfind("(true true ", 0) == 0, (expr.toStdString() + " => " + out).c_str());
    }
  }

  void notDataIsRefused_data() {
    QTest::addColumn<QString>("expr");
    QTest::newRow("lambda") << "(fn (x) x)";
    QTest::newRow("native") << "first";
    QTest::newRow("vector") << "(vector 1 2)";
    QTest::newRow("nan") << "(/ 0.0 0.0)";
    QTest::newRow("infinity") << "(/ 1.0 0.0)";
    QTest::newRow("inside a list") << "(list 1 (fn () 2))";
    QTest::newRow("inside a dict") << "{:f first}";
    QTest::newRow("error value") << "(get (%try-call* (fn () (error \"x\"))) \"error-object\")";
  }

  void notDataIsRefused() {
    QFETCH(QString, expr);
    for (ResolverMode mode : kModes) {
      Fixture f(mode, freshDir());
      std::string out = f.eval("(kv \"kv-put\" \"k\" " + expr.toStdString() + ")");
      QVERIFY2(out.find("error: kv-put: only data that reads back equal can be stored") == 0, out.c_str());
      QCOMPARE(f.eval("(kv \"kv-has?\" \"k\")"), std::string("false"));
    }
  }

  void badArguments() {
    Fixture f(ResolverMode::Unwind, freshDir());
    QVERIFY(f.eval("(kv \"kv-get\" 42)").find("kv-get: expected a string key, got 42") != std::string::npos);
    QVERIFY(f.eval("(kv \"kv-get\")").find("kv-get: expected 1 argument") != std::string::npos);
    QVERIFY(f.eval("(kv \"kv-put\" \"k\")").find("kv-put: expected 2 arguments") != std::string::npos);
    QVERIFY(f.eval("(kv \"kv-batch\" 5)").find("kv-batch: expected a list of writes") != std::string::npos);
    QVERIFY(f.eval("(kv \"kv-batch\" (list (list \"upsert\" \"k\" 1)))").find("kv-batch: each write is a list") != std::string::npos);
    // Errors are SX errors: guard catches them.
    QCOMPARE(f.eval("(guard (e (true \"caught\")) (kv \"kv-get\" 42))"), std::string("\"caught\""));
  }

  // A batch whose third write cannot be stored writes nothing.
  void batchValidatesEveryWriteFirst() {
    for (ResolverMode mode : kModes) {
      Fixture f(mode, freshDir());
      std::string out = f.eval("(kv \"kv-batch\" (list (list \"put\" \"a\" 1) (list \"put\" \"b\" 2) (list \"put\" \"c\" first)))");
      QVERIFY2(out.find("error: kv-batch: only data") == 0, out.c_str());
      QCOMPARE(f.eval("(kv \"kv-keys\" \"\")"), std::string("()"));
    }
  }

  void storeFailureIsAnIoError() {
    std::string file = freshDir();
    std::ofstream(file) << "a file, not a directory";
    for (ResolverMode mode : kModes) {
      Fixture f(mode, file + "/data");
      std::string out = f.eval("(kv \"kv-put\" \"k\" 1)");
      QVERIFY2(out.find("error: kv-put: store: cannot create the data directory") == 0, out.c_str());
      QCOMPARE(f.eval("(get (try-call (fn () (kv \"kv-get\" \"k\"))) \"ok\")"), std::string("false"));
    }
  }

  // Writes from one isolate are seen by another isolate sharing the store.
  void isolatesShareTheStore() {
    std::string dir = freshDir();
    auto store = std::make_shared<Store>(dir);
    Engine a, b;
    installStoreOps(a.isolate(), store);
    installStoreOps(b.isolate(), store);
    QVERIFY(a.evalString("(perform {:op \"kv-put\" :args (list \"shared\" (list 1 2))})").ok);
    EvalResult r = b.evalString("(perform {:op \"kv-get\" :args (list \"shared\")})");
    QVERIFY(r.ok);
    QCOMPARE(r.printed, std::string("(1 2)"));
  }

  void dataDirBesideTheEntryFile() {
    QCOMPARE(defaultDataDir("/srv/blog/app.sx"), std::string("/srv/blog/.sx-data"));
    QVERIFY(QString::fromStdString(defaultDataDir("app.sx")).endsWith("/.sx-data"));
  }
};

QTEST_GUILESS_MAIN(TestStoreOps)
#include "test_store_ops.moc"
