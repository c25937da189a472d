// The AsyncDriver with an event loop of the test's own: fibers on one isolate overlap
// while IO runs on other threads and `sleep` waits on a timer; inline mode resolves in
// place; errors, SX handlers and unknown ops; events as data; the PerformObserver seeing
// each perform and resume with its fiber; GC stress with fibers suspended.
#include <QtTest/QtTest>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "effects/async_driver.h"
#include "reader/printer.h"
#include "sx.h"

using namespace sx;
using Clock = std::chrono::steady_clock;

namespace {

// A single-threaded loop (the "worker"): posted tasks, timers, and a thread per IO task.
class Loop {
 public:
  ~Loop() {
    for (std::thread& t : io_) t.join();
  }
  AsyncExecutors executors() {
    AsyncExecutors ex;
    ex.post = [this](std::function<void()> task) { post(std::move(task)); };
    ex.io = [this](std::function<void()> task) {
      std::lock_guard lock(m_);
      io_.emplace_back(std::move(task));
    };
    ex.after = [this](std::chrono::milliseconds d, std::function<void()> task) {
      timers_.emplace(Clock::now() + d, std::move(task));  // called on the loop thread
    };
    return ex;
  }
  void post(std::function<void()> task) {
    std::lock_guard lock(m_);
    tasks_.push_back(std::move(task));
    cv_.notify_one();
  }
  // Runs tasks and timers until `done()` or the timeout; false on timeout.
  bool runUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    Clock::time_point end = Clock::now() + timeout;
    while (!done()) {
      if (Clock::now() > end) return false;
      if (!timers_.empty() && timers_.begin()->first <= Clock::now()) {
        auto task = std::move(timers_.begin()->second);
        timers_.erase(timers_.begin());
        task();
        continue;
      }
      std::function<void()> task;
      {
        std::unique_lock lock(m_);
        Clock::time_point wake = timers_.empty() ? Clock::now() + std::chrono::milliseconds(20) : timers_.begin()->first;
        cv_.wait_until(lock, wake, [&] { return !tasks_.empty(); });
        if (tasks_.empty()) continue;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
    return true;
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::multimap<Clock::time_point, std::function<void()>> timers_;
  std::vector<std::thread> io_;
};

struct Finished {
  bool done = false;
  RunStatus status = RunStatus::Error;
  std::string value;  // printed result, or the error message
  RunStats stats;
  Clock::time_point at;
};

// `work`: an async op whose IO (on another thread) appends "!" to its printed argument,
// or fails for the argument "fail"; it records the threads it ran on.
struct WorkOp {
  std::mutex m;
  std::vector<std::thread::id> threads;
};

void registerWork(Isolate& iso, std::shared_ptr<WorkOp> rec) {
  registerAsyncOp(iso, "work", [rec](Isolate& i, Value args) {
    std::string text = printValue(i, isPair(args) ? car(args) : Value::nil());
    return makeIoJob<std::string>(
        [rec, text] {
          {
            std::lock_guard lock(rec->m);
            rec->threads.push_back(std::this_thread::get_id());
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          if (text == "\"fail\"") throw std::runtime_error("disk on fire");
          return text + "!";
        },
        [](Isolate& i2, Value, std::string& r) { return i2.str(r); });
  });
}

// Every test runs in every tier (initTestCase_data).
Tier currentTier() {
  QFETCH_GLOBAL(int, tier);
  return Tier(tier);
}

struct Harness {
  Engine engine;
  Loop loop;
  AsyncDriver driver;
  std::shared_ptr<WorkOp> work = std::make_shared<WorkOp>();
  std::vector<SuspensionEvent> events;

  explicit Harness(ResolverMode mode, bool gcStress = false)
      : engine(EngineOptions{mode, currentTier(), gcStress}), driver(engine.isolate(), loop.executors()) {
    registerWork(engine.isolate(), work);
    registerSleepOp(engine.isolate());
    driver.setSink([this](const SuspensionEvent& e) { events.push_back(e); });
    EvalResult r = engine.evalString(
        "(define (io op &rest args) (perform {:op op :args args}))\n"
        "(define (slow) (io \"sleep\" 100) \"slow\")\n"
        "(define (fast) (io \"work\" 1))\n"
        "(define (pipeline) (map (fn (x) (io \"work\" x)) (list 1 2 3)))\n"
        "(define (caught) (guard (e (true (str \"caught: \" (get (try-call (fn () (raise e))) \"error\")))) (io \"work\" \"fail\")))\n"
        "(define (uncaught) (io \"work\" \"fail\"))\n"
        "(define (unknown) (io \"nope\"))\n"
        "(define (too-long) (io \"sleep\" 86400001))\n"
        "(define (bad-sleep) (io \"sleep\" \"soon\"))\n"
        "(define (handled) (with-io-handlers {:work (fn (x) (str \"handled \" x))} (fn () (io \"work\" 7))))\n",
        "<driver-test>");
    if (!r.ok) qFatal("%s", r.error.message.c_str());
  }

  // Starts (name) in a fiber; the result lands in `out`.
  void start(const char* name, uint64_t id, Finished& out) {
    Isolate& iso = engine.isolate();
    auto f = std::make_unique<Fiber>(iso);
    startCall(*f, iso.globalValue(name), {});
    driver.drive(std::move(f), id, [&out, &iso](Fiber& fb, RunStatus st, const RunStats& stats) {
      out.done = true;
      out.status = st;
      out.value = st == RunStatus::Done ? printValue(iso, fb.result) : fb.diagnostic.message;
      out.stats = stats;
      out.at = Clock::now();
    });
  }
};

// Records what a PerformObserver is told, in order.
struct Observed : PerformObserver {
  struct Perform {
    uint64_t run, token;
    std::string op, request;
    ResolverMode mode;
    bool sxHandler;
    Fiber* fiber;
  };
  struct Resume {
    uint64_t run, token;
    std::string value;  // printed, or "" when none
    bool failed;
    std::string error;
    Fiber* fiber;
  };
  std::vector<Perform> performs;
  std::vector<Resume> resumes;
  uint64_t next = 100;
  bool hold = false;                        // step mode: hold every perform
  std::map<uint64_t, HeldResume> held;      // by token
  std::vector<std::string> rejected;

  bool holdAt(uint64_t token, HeldResume resume) override {
    if (hold) held[token] = std::move(resume);
    return hold;
  }
  void heldRejected(uint64_t, const std::string& why) override { rejected.push_back(why); }

  uint64_t atPerform(Fiber& f, uint64_t run, const std::string& op, const std::string& request, ResolverMode mode,
                     bool sxHandler) override {
    performs.push_back({run, ++next, op, request, mode, sxHandler, &f});
    return next;
  }
  void atResume(Fiber& f, uint64_t run, uint64_t token, const Answer& a) override {
    resumes.push_back({run, token, a.value ? printValue(f.iso, *a.value) : std::string(), a.failed, a.error, &f});
  }
};

}  // namespace

class TestAsyncDriver : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase_data() {
    QTest::addColumn<int>("tier");
    QTest::newRow("cek") << int(Tier::Cek);
    QTest::newRow("vm") << int(Tier::Vm);
    QTest::newRow("jit") << int(Tier::Jit);
  }

  // A fiber sleeping 100 ms does not hold up another one on the same isolate; the IO runs
  // on another thread; sleep waits on a timer.
  void unwindOverlapsFibers() {
    Harness h(ResolverMode::Unwind);
    Finished slow, fast;
    Clock::time_point t0 = Clock::now();
    h.start("slow", 1, slow);
    h.start("fast", 2, fast);
    QVERIFY(!slow.done);
    QVERIFY(!fast.done);
    QCOMPARE(h.driver.inFlight(), size_t(2));
    QVERIFY(h.loop.runUntil([&] { return slow.done && fast.done; }));
    QCOMPARE(slow.value, std::string("\"slow\""));
    QCOMPARE(fast.value, std::string("\"1!\""));
    QVERIFY(fast.at < slow.at);
    QVERIFY(slow.at - t0 >= std::chrono::milliseconds(100));
    QVERIFY(fast.at - t0 < std::chrono::milliseconds(90));
    QCOMPARE(h.driver.inFlight(), size_t(0));
    QCOMPARE(h.work->threads.size(), size_t(1));
    QVERIFY(h.work->threads[0] != std::this_thread::get_id());
    QCOMPARE(slow.stats.suspensions, 1u);
    QVERIFY(slow.stats.suspendedMicros >= 100000);
    QCOMPARE(h.events.size(), size_t(2));
    const SuspensionEvent& work = h.events[0];  // the fast one answered first
    QCOMPARE(work.op, std::string("work"));
    QCOMPARE(work.runId, uint64_t(2));
    QCOMPARE(work.mode, ResolverMode::Unwind);
    QCOMPARE(work.request, std::string("{:op \"work\" :args (1)}"));
    QCOMPARE(h.events[1].op, std::string("sleep"));
    QCOMPARE(h.events[1].runId, uint64_t(1));
    QVERIFY(h.events[1].micros >= 100000);
  }

  void performsInsideMap() {
    Harness h(ResolverMode::Unwind);
    Finished r;
    h.start("pipeline", 1, r);
    QVERIFY(h.loop.runUntil([&] { return r.done; }));
    QCOMPARE(r.value, std::string("(\"1!\" \"2!\" \"3!\")"));
    QCOMPARE(r.stats.ops, 3u);
    QCOMPARE(r.stats.suspensions, 3u);
  }

  void inlineResolvesInPlace() {
    Harness h(ResolverMode::Inline);
    Finished r;
    h.start("pipeline", 5, r);
    QVERIFY(r.done);  // before drive returned: nothing waited
    QCOMPARE(r.value, std::string("(\"1!\" \"2!\" \"3!\")"));
    QCOMPARE(r.stats.ops, 3u);
    QCOMPARE(r.stats.suspensions, 0u);
    QCOMPARE(h.events.size(), size_t(3));
    for (const SuspensionEvent& e : h.events) {
      QCOMPARE(e.mode, ResolverMode::Inline);
      QCOMPARE(e.runId, uint64_t(5));
      QVERIFY(e.micros >= 10000);  // the op's own 10 ms
    }
    for (std::thread::id id : h.work->threads) QCOMPARE(id, std::this_thread::get_id());
  }

  void ioErrorsAreSxErrors() {
    for (ResolverMode mode : {ResolverMode::Inline, ResolverMode::Unwind}) {
      Harness h(mode);
      Finished caught, uncaught;
      h.start("caught", 1, caught);
      h.start("uncaught", 2, uncaught);
      QVERIFY(h.loop.runUntil([&] { return caught.done && uncaught.done; }));
      QCOMPARE(caught.value, std::string("\"caught: work: disk on fire\""));
      QCOMPARE(uncaught.status, RunStatus::Error);
      QCOMPARE(uncaught.value, std::string("work: disk on fire"));
      bool failedEvent = false;
      for (const SuspensionEvent& e : h.events) failedEvent = failedEvent || e.failed;
      QVERIFY(failedEvent);
    }
  }

  void unknownOpAndHandlers() {
    for (ResolverMode mode : {ResolverMode::Inline, ResolverMode::Unwind}) {
      Harness h(mode);
      Finished unknown, handled;
      h.start("unknown", 1, unknown);
      h.start("handled", 2, handled);
      QVERIFY(h.loop.runUntil([&] { return unknown.done && handled.done; }));
      QCOMPARE(unknown.status, RunStatus::Error);
      QCOMPARE(unknown.value, std::string("unknown IO op: nope"));
      QCOMPARE(handled.value, std::string("\"handled 7\""));
      QVERIFY(h.work->threads.empty());  // the SX handler answered, not the host op
    }
  }

  // The observer gets each perform with its fiber and a token, then the answer with the
  // same token: values, failures, and (unwind only) SX handlers.
  void observerSeesPerformsAndResumes() {
    for (ResolverMode mode : {ResolverMode::Inline, ResolverMode::Unwind}) {
      Harness h(mode);
      Observed seen;
      h.driver.setObserver(&seen);
      Finished pipeline, caught, handled;
      h.start("pipeline", 1, pipeline);
      QVERIFY(h.loop.runUntil([&] { return pipeline.done; }));
      h.start("caught", 2, caught);
      QVERIFY(h.loop.runUntil([&] { return caught.done; }));
      h.start("handled", 3, handled);
      QVERIFY(h.loop.runUntil([&] { return handled.done; }));
      QCOMPARE(handled.value, std::string("\"handled 7\""));
      bool unwind = mode == ResolverMode::Unwind;
      // Inline: an SX handler answers inside the engine, unseen by the driver.
      size_t expected = unwind ? 5 : 4;
      QCOMPARE(seen.performs.size(), expected);
      QCOMPARE(seen.resumes.size(), expected);
      for (size_t i = 0; i < 3; ++i) {
        QCOMPARE(seen.performs[i].run, uint64_t(1));
        QCOMPARE(seen.performs[i].op, std::string("work"));
        QCOMPARE(seen.performs[i].request, "{:op \"work\" :args (" + std::to_string(i + 1) + ")}");
        QCOMPARE(seen.performs[i].mode, mode);
        QVERIFY(!seen.performs[i].sxHandler);
        QCOMPARE(seen.resumes[i].token, seen.performs[i].token);
        QCOMPARE(seen.resumes[i].fiber, seen.performs[i].fiber);
        QCOMPARE(seen.resumes[i].value, "\"" + std::to_string(i + 1) + "!\"");
        QVERIFY(!seen.resumes[i].failed);
      }
      QCOMPARE(seen.performs[3].run, uint64_t(2));
      QCOMPARE(seen.resumes[3].token, seen.performs[3].token);
      QVERIFY(seen.resumes[3].failed);
      QCOMPARE(seen.resumes[3].error, std::string("work: disk on fire"));
      QCOMPARE(seen.resumes[3].value, std::string());
      if (unwind) {
        QCOMPARE(seen.performs[4].run, uint64_t(3));
        QVERIFY(seen.performs[4].sxHandler);
        QCOMPARE(seen.resumes[4].value, std::string());  // the handler runs on the fiber to answer
      }
    }
  }

  // Step mode: a held perform leaves its fiber suspended while others finish, until it is
  // answered by the resolver, with a value (text that does not read keeps it held), or
  // aborted.
  void heldPerformsWaitForTheirAnswer() {
    Harness h(ResolverMode::Unwind);
    Observed seen;
    seen.hold = true;
    h.driver.setObserver(&seen);
    Finished pipeline, aborted, fast;
    h.start("pipeline", 1, pipeline);
    h.start("uncaught", 2, aborted);
    QCOMPARE(seen.held.size(), size_t(2));
    QCOMPARE(h.driver.inFlight(), size_t(2));
    QVERIFY(!h.loop.runUntil([&] { return pipeline.done || aborted.done; }, std::chrono::milliseconds(100)));
    QVERIFY(h.work->threads.empty());  // nothing ran the held op
    uint64_t first = seen.performs[0].token, other = seen.performs[1].token;
    // Another fiber is not held up by the held ones.
    seen.hold = false;
    h.start("fast", 3, fast);
    QVERIFY(h.loop.runUntil([&] { return fast.done; }));
    seen.hold = true;
    seen.held[first](HeldAnswer::Value, "(unclosed");  // from another thread is allowed too
    QVERIFY(h.loop.runUntil([&] { return !seen.rejected.empty(); }));
    QVERIFY2(seen.rejected[0].find("resume value:") == 0, seen.rejected[0].c_str());
    seen.held[first](HeldAnswer::Value, "\"edited\"");
    QVERIFY(h.loop.runUntil([&] { return seen.held.size() == 3; }));  // the map's second item is held now
    QCOMPARE(seen.resumes.back().value, std::string("\"edited\""));
    for (int i = 0; i < 2; ++i) {
      uint64_t token = seen.performs.back().token;
      seen.held[token](HeldAnswer::Resolver, "");
      size_t want = seen.held.size() + (i == 0 ? 1 : 0);
      QVERIFY(h.loop.runUntil([&] { return seen.held.size() == want || pipeline.done; }));
    }
    QVERIFY(h.loop.runUntil([&] { return pipeline.done; }));
    QCOMPARE(pipeline.value, std::string("(\"edited\" \"2!\" \"3!\")"));
    seen.held[other](HeldAnswer::Abort, "");
    QVERIFY(h.loop.runUntil([&] { return aborted.done; }));
    QCOMPARE(aborted.status, RunStatus::Error);
    QVERIFY2(aborted.value.find("aborted at the perform of work") == 0, aborted.value.c_str());
    seen.held[other](HeldAnswer::Resolver, "");  // answered already: nothing happens
    QVERIFY(!h.loop.runUntil([] { return false; }, std::chrono::milliseconds(30)));
    QCOMPARE(h.driver.inFlight(), size_t(0));
  }

  // kMaxSleepMs: a day; and the argument must be a number.
  void sleepLimits() {
    Harness h(ResolverMode::Unwind);
    Finished tooLong, bad;
    h.start("too-long", 1, tooLong);
    h.start("bad-sleep", 2, bad);
    QVERIFY(h.loop.runUntil([&] { return tooLong.done && bad.done; }));
    QCOMPARE(tooLong.value, std::string("sleep: at most a day (86400000 ms)"));
    QVERIFY2(bad.value.find("sleep: expected one argument, a number of milliseconds") == 0, bad.value.c_str());
  }

  // Collections run at every safepoint while other fibers sit suspended with live values.
  void gcStressWithSuspendedFibers() {
    Harness h(ResolverMode::Unwind, true);
    constexpr int kFibers = 12;
    std::vector<Finished> results(kFibers);
    for (int i = 0; i < kFibers; ++i) h.start(i % 3 == 0 ? "slow" : "pipeline", uint64_t(i + 1), results[size_t(i)]);
    QVERIFY(h.loop.runUntil([&] {
      for (const Finished& r : results)
        if (!r.done) return false;
      return true;
    }));
    for (int i = 0; i < kFibers; ++i)
      QCOMPARE(results[size_t(i)].value, std::string(i % 3 == 0 ? "\"slow\"" : "(\"1!\" \"2!\" \"3!\")"));
  }
};

QTEST_GUILESS_MAIN(TestAsyncDriver)
#include "test_async_driver.moc"
