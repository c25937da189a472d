// The whole conformance suite with the collector in stress mode (a collection at every
// safepoint), in the CEK, the VM and the JIT tier: any value the engine forgot to root is freed and
// reused at once, and the suite's results would change. One data row per file and tier;
// CTest runs the rows as separate tests so they spread over the cores.
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sx.h"

using namespace sx;

class TestGcStress : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void stressFile_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("tier");
    std::vector<std::filesystem::path> files;
    for (auto& e : std::filesystem::directory_iterator(SX_CONFORMANCE_DIR))
      if (e.path().extension() == ".sx") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    QVERIFY(files.size() >= 25);
    for (auto& p : files) {
      QTest::newRow((p.stem().string() + "-cek").c_str()) << QString::fromStdString(p.string()) << int(Tier::Cek);
      QTest::newRow((p.stem().string() + "-vm").c_str()) << QString::fromStdString(p.string()) << int(Tier::Vm);
      QTest::newRow((p.stem().string() + "-jit").c_str()) << QString::fromStdString(p.string()) << int(Tier::Jit);
      QTest::newRow((p.stem().string() + "-auto").c_str()) << QString::fromStdString(p.string()) << int(Tier::Auto);
    }
  }

  void stressFile() {
    QFETCH(QString, path);
    QFETCH(int, tier);
    EngineOptions o;
    o.gcStress = true;
    o.tier = Tier(tier);
    o.jitThreshold = 2;  // auto: functions change tier mid-run, with a collection at every safepoint
    Engine e(o);
    e.installTestMockOps();
    int passed = 0;
    std::vector<std::string> failures;
    e.setTestSink([&](const TestEvent& t) {
      if (t.passed)
        ++passed;
      else
        failures.push_back(t.name + ": " + t.message);
    });
    uint64_t before = e.isolate().heap.stats().collections;
    EvalResult r = e.loadFile(path.toStdString());
    QVERIFY2(r.ok, Engine::formatDiagnostic(r.error).c_str());
    for (auto& f : failures) qWarning("%s", f.c_str());
    QCOMPARE(failures.size(), size_t(0));
    QVERIFY(passed > 0);
    // Stress mode really collected: at least once per test.
    QVERIFY(e.isolate().heap.stats().collections - before >= uint64_t(passed));
  }
};

QTEST_APPLESS_MAIN(TestGcStress)
#include "test_gc_stress.moc"
