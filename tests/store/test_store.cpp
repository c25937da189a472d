// The Store API: every operation, key order by prefix, atomic batches, reopening, and
// concurrent use from several threads.
#include <QtTest/QtTest>

#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "store/store.h"

using namespace sx;

namespace {

// Runs SQL directly on a store's database file (to set up failures).
void execSql(const std::string& dir, const char* sql) {
  sqlite3* db = nullptr;
  std::string path = dir + "/" + Store::kFileName;
  QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  QVERIFY2(rc == SQLITE_OK, err ? err : "?");
  sqlite3_close(db);
}

}  // namespace

class TestStore : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::string dir(const char* name) { return (tmp_.path() + "/" + name).toStdString(); }

 private Q_SLOTS:
  void nothingOnDiskBeforeFirstUse() {
    std::string d = dir("lazy/data");
    Store s(d);
    QVERIFY(!std::filesystem::exists(d));
    QVERIFY(!s.has("x"));
    QVERIFY(std::filesystem::exists(d + "/" + Store::kFileName));
  }

  void everyOperation() {
    Store s(dir("ops"));
    QCOMPARE(s.get("a"), std::optional<std::string>());
    s.put("a", "1");
    s.put("b", "\"two\"");
    QCOMPARE(s.get("a"), std::optional<std::string>("1"));
    QVERIFY(s.has("b"));
    s.put("a", "(1 2)");  // overwrite
    QCOMPARE(*s.get("a"), std::string("(1 2)"));
    QVERIFY(s.remove("a"));
    QVERIFY(!s.remove("a"));
    QVERIFY(!s.has("a"));
    QCOMPARE(s.keys(""), std::vector<std::string>{"b"});
    s.put("", "empty key");
    QCOMPARE(*s.get(""), std::string("empty key"));
    std::string nul("k\0k", 3);
    s.put(nul, "nul");
    QCOMPARE(*s.get(nul), std::string("nul"));
    QVERIFY(!s.has("k"));
  }

  void keysByPrefixInByteOrder() {
    Store s(dir("prefix"));
    const std::vector<std::string> all = {"post:b", "edge:a|related|b", "post:a", "post:\xc3\xa9t\xc3\xa9", "post:",
                                          "posts", "post:\xff\xff", "post\xff", "edge:a|related|c", "p"};
    for (const std::string& k : all) s.put(k, "1");
    QCOMPARE(s.keys("post:"),
             (std::vector<std::string>{"post:", "post:a", "post:b", "post:\xc3\xa9t\xc3\xa9", "post:\xff\xff"}));
    QCOMPARE(s.keys("edge:a|related|"), (std::vector<std::string>{"edge:a|related|b", "edge:a|related|c"}));
    QCOMPARE(s.keys("post\xff"), std::vector<std::string>{"post\xff"});
    QCOMPARE(s.keys("\xff"), std::vector<std::string>{});
    QCOMPARE(s.keys("none"), std::vector<std::string>{});
    std::vector<std::string> everything = s.keys("");
    QCOMPARE(everything.size(), all.size());
    QVERIFY(std::is_sorted(everything.begin(), everything.end()));
  }

  void batchAppliesEverything() {
    Store s(dir("batch"));
    s.put("gone", "1");
    s.batch({{StoreWrite::Kind::Put, "x", "1"}, {StoreWrite::Kind::Put, "y", "2"}, {StoreWrite::Kind::Delete, "gone", {}}});
    QCOMPARE(*s.get("x"), std::string("1"));
    QCOMPARE(*s.get("y"), std::string("2"));
    QVERIFY(!s.has("gone"));
    s.batch({});
  }

  // A write that fails in the middle of a batch (a trigger refuses it) leaves the store
  // as it was before the batch.
  void batchIsAtomic() {
    std::string d = dir("atomic");
    Store s(d);
    s.put("before", "1");
    s.put("doomed", "1");
    execSql(d, "CREATE TRIGGER poison BEFORE INSERT ON kv WHEN NEW.key = 'poison' "
               "BEGIN SELECT RAISE(ABORT, 'poisoned key'); END");
    bool threw = false;
    try {
      s.batch({{StoreWrite::Kind::Put, "a", "1"},
               {StoreWrite::Kind::Delete, "doomed", {}},
               {StoreWrite::Kind::Put, "poison", "1"},
               {StoreWrite::Kind::Put, "b", "1"}});
    } catch (const StoreError& e) {
      threw = true;
      QVERIFY2(std::string(e.what()).find("poisoned key") != std::string::npos, e.what());
    }
    QVERIFY(threw);
    QVERIFY(!s.has("a"));
    QVERIFY(!s.has("b"));
    QVERIFY(s.has("doomed"));
    // The store is still usable afterwards, on the same pooled connection.
    s.batch({{StoreWrite::Kind::Put, "a", "2"}});
    QCOMPARE(*s.get("a"), std::string("2"));
  }

  void survivesReopening() {
    std::string d = dir("reopen");
    {
      Store s(d);
      s.put("kept", "{:a 1}");
      s.batch({{StoreWrite::Kind::Put, "also", "2"}});
    }
    Store again(d);
    QCOMPARE(*again.get("kept"), std::string("{:a 1}"));
    QCOMPARE(*again.get("also"), std::string("2"));
  }

  void walModeAndFullSync() {
    std::string d = dir("pragmas");
    Store s(d);
    s.put("k", "1");
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open((d + "/" + Store::kFileName).c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    QCOMPARE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr), SQLITE_OK);
    QCOMPARE(sqlite3_step(st), SQLITE_ROW);
    QCOMPARE(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))), std::string("wal"));
    sqlite3_finalize(st);
    sqlite3_close(db);
    QVERIFY(std::filesystem::exists(d + "/" + Store::kFileName + "-wal"));
  }

  void unusableDirectoryIsAnError() {
    std::string file = dir("a-file");
    std::ofstream(file) << "not a directory";
    Store s(file + "/data");
    bool threw = false;
    try {
      s.get("k");
    } catch (const StoreError& e) {
      threw = true;
      QVERIFY2(std::string(e.what()).find("cannot create the data directory") != std::string::npos, e.what());
    }
    QVERIFY(threw);
  }

  // Several threads write their own keys, read them back, list another thread's keys and
  // write a pair of keys in batches; every write lands and the pair stays equal.
  void concurrentThreads() {
    Store s(dir("threads"));
    constexpr int kThreads = 4, kWrites = 150;
    s.batch({{StoreWrite::Kind::Put, "pair:1", "0"}, {StoreWrite::Kind::Put, "pair:2", "0"}});
    std::atomic<int> mismatches{0}, errors{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        try {
          for (int i = 0; i < kWrites; ++i) {
            std::string key = "t" + std::to_string(t) + ":" + std::to_string(1000 + i);
            s.put(key, std::to_string(i));
            if (s.get(key) != std::optional<std::string>(std::to_string(i))) ++mismatches;
            if (i % 10 == 0) {
              std::string n = std::to_string(t * kWrites + i);
              s.batch({{StoreWrite::Kind::Put, "pair:1", n}, {StoreWrite::Kind::Put, "pair:2", n}});
            }
            s.keys("t" + std::to_string((t + 1) % kThreads) + ":");
          }
        } catch (const StoreError&) {
          ++errors;
        }
      });
    }
    for (std::thread& th : threads) th.join();
    QCOMPARE(errors.load(), 0);
    QCOMPARE(mismatches.load(), 0);
    QCOMPARE(*s.get("pair:1"), *s.get("pair:2"));
    for (int t = 0; t < kThreads; ++t) QCOMPARE(int(s.keys("t" + std::to_string(t) + ":").size()), kWrites);
    QVERIFY(s.connectionCount() >= 1);
    QVERIFY(s.connectionCount() <= size_t(kThreads));
  }
};

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
