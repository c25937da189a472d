// The real inspector (EngineHost) without any widgets: runs, step mode with edited resume
// values, snapshots inside map, the stack check, resolver modes, checks and definitions.
#include <QtTest/QtTest>

#include <algorithm>
#include <fstream>
#include <map>

#include "event_log.h"
#include "inspect/engine_host.h"
#include "inspect/snapshot.h"
#include "sx.h"

using namespace sx;
using namespace sx::inspect;

namespace {

// Performs inside map: each item asks the handler to double it.
const char* kMapProgram =
    "(define (ask x) (perform {:op \"double\" :args (list x)}))\n"
    "(with-io-handlers {:double (fn (x) (* 2 x))}\n"
    "  (fn () (map (fn (x) (+ 1 (ask x))) (list 1 2 3))))";

// The engine frame of function `fn` in a stack (not the perform site), or null.
FrameRef frameOf(const FiberSnapshot& s, const std::string& fn) {
  for (const FrameRef& f : s.frames)
    if (f->function == fn && f->kind != "perform") return f;
  return nullptr;
}

// A host in unwind mode reporting into its log: every perform suspends and is recorded.
struct UnwindHost {
  EventLog log;
  EngineHost host;
  UnwindHost() {
    host.setEventSink(log.sink());
    host.setResolverMode(ResolverMode::Unwind);
  }
  // Runs `src` to its end: the run's id, or 0 when it did not finish.
  uint64_t run(const std::string& src, const std::string& name) {
    uint64_t id = host.runSource(src, name);
    return log.finished(id) ? id : 0;
  }
};

std::string valueOf(EventLog& log, uint64_t run) {
  auto v = log.all<ValuePrinted>(run);
  return v.empty() ? std::string("<no value>") : v.back().text;
}

}  // namespace

class TestInspector : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void runsAFormAndPrintsItsValue() {
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    uint64_t run = host.runSource("(define (sq x) (* x x)) (sq 12)", "<console>");
    QVERIFY(log.finished(run));
    QCOMPARE(valueOf(log, run), std::string("144"));
    auto fin = log.all<RunFinished>(run);
    QVERIFY(fin.front().ok);
  }

  void errorsCarryTheirSpan() {
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    uint64_t run = host.runSource("(define (f x)\n  (+ x \"a\"))\n(f 1)", "bad.sx");
    QVERIFY(log.finished(run));
    auto errs = log.all<RunError>(run);
    QCOMPARE(errs.size(), size_t(1));
    QCOMPARE(errs[0].diagnostic.file, std::string("bad.sx"));
    QCOMPARE(errs[0].diagnostic.line, 2u);
    QCOMPARE(errs[0].diagnostic.col, 3u);
  }

  void stepModePausesAtEveryPerformInsideMap() {
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    host.setResolverMode(ResolverMode::Step);
    uint64_t run = host.runSource(kMapProgram, "map.sx");
    // Answer the first with the handler, the second with an edited value, the third
    // with the handler again: one pause per perform.
    for (size_t i = 1; i <= 3; ++i) {
      QVERIFY(log.waitForCount<Paused>(i, run));
      Paused p = log.all<Paused>(run).back();
      if (i == 2)
        host.resume(p.perform, Resume{ResumeChoice::Value, "100"});
      else
        host.resume(p.perform, Resume{ResumeChoice::Resolver, {}});
    }
    QVERIFY(log.finished(run));
    QCOMPARE(log.pausedCount(), size_t(3));
    QCOMPARE(valueOf(log, run), std::string("(3 101 7)"));

    // The snapshot at the second perform shows map at index 1 of 3 with one result.
    auto performed = log.all<Performed>(run);
    QCOMPARE(performed.size(), size_t(3));
    const FiberSnapshot& s = performed[1].stack;
    const FrameSnapshot* ho = nullptr;
    for (const auto& fr : s.frames)
      if (fr->ho) ho = fr.get();
    QVERIFY(ho);
    QCOMPARE(ho->ho->primitive, std::string("map"));
    QCOMPARE(ho->ho->index, 1u);
    QCOMPARE(ho->ho->total, 3u);
    QCOMPARE(ho->ho->accumulated, std::string("(3)"));
    QCOMPARE(s.frames.back()->kind, std::string("perform"));
    QCOMPARE(performed[1].op, std::string("double"));
    QCOMPARE(performed[1].resolver, Resolver::SxHandler);

    // Every resume kept the frames below the perform.
    auto resumed = log.all<Resumed>(run);
    QCOMPARE(resumed.size(), size_t(3));
    for (const auto& r : resumed) QVERIFY2(r.check.agrees, r.check.describe().c_str());
    // The handler's answer is computed on the fiber: that resume pushed a HandlerRun; the
    // edited value pushed nothing.
    const StackCheck& byHandler = resumed[0].check;
    QCOMPARE(byHandler.framesPushed, 1u);
    QCOMPARE(std::string_view(byHandler.pushedKinds[0]), std::string_view("HandlerRun"));
    QCOMPARE(byHandler.describe(), std::to_string(byHandler.framesCompared) + " frames and " +
                                       std::to_string(byHandler.valuesCompared) +
                                       " stack values below the perform unchanged; 1 frame pushed by the resume (HandlerRun)");
    QCOMPARE(resumed[1].check.framesPushed, 0u);
    QCOMPARE(resumed[1].how, ResumeChoice::Value);
    QCOMPARE(*resumed[1].value, std::string("100"));
    // Handler answers arrive when the handler returns.
    auto answers = log.all<HandlerAnswered>(run);
    QCOMPARE(answers.size(), size_t(2));
    QCOMPARE(answers[0].value, std::string("2"));
    QCOMPARE(answers[1].value, std::string("6"));
  }

  void badResumeValueKeepsThePause() {
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    host.setResolverMode(ResolverMode::Step);
    uint64_t run = host.runSource("(with-io-handlers {:ask (fn () 1)} (fn () (+ 1 (perform {:op \"ask\"}))))", "one.sx");
    QVERIFY(log.waitForCount<Paused>(1, run));
    uint64_t perform = log.all<Paused>(run).front().perform;
    host.resume(perform, Resume{ResumeChoice::Value, "(1 2"});
    QVERIFY(log.waitForCount<RunError>(1, run));
    host.resume(perform, Resume{ResumeChoice::Value, "41"});
    QVERIFY(log.finished(run));
    QCOMPARE(valueOf(log, run), std::string("42"));
  }

  void abortEndsTheRun() {
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    host.setResolverMode(ResolverMode::Step);
    uint64_t run = host.runSource(kMapProgram, "map.sx");
    QVERIFY(log.waitForCount<Paused>(1, run));
    host.resume(log.all<Paused>(run).front().perform, Resume{ResumeChoice::Abort, {}});
    QVERIFY(log.finished(run));
    QVERIFY(!log.all<RunFinished>(run).front().ok);
    QCOMPARE(log.all<RunError>(run).front().diagnostic.code, ErrorCode::Interrupted);
    // The isolate is usable afterwards.
    uint64_t next = host.runSource("(+ 1 2)", "<console>");
    QVERIFY(log.finished(next));
    QCOMPARE(valueOf(log, next), std::string("3"));
  }

  void resolverModesChangeEventsNotResults() {
    std::map<ResolverMode, std::string> values;
    std::map<ResolverMode, size_t> performs, pauses;
    for (ResolverMode m : {ResolverMode::Inline, ResolverMode::Unwind, ResolverMode::Step}) {
      EventLog log;
      EngineHost host;
      host.setEventSink(log.sink());
      host.setResolverMode(m);
      uint64_t run = host.runSource(kMapProgram, "map.sx");
      if (m == ResolverMode::Step) {
        for (size_t i = 1; i <= 3; ++i) {
          QVERIFY(log.waitForCount<Paused>(i, run));
          host.resume(log.all<Paused>(run).back().perform, Resume{});
        }
      }
      QVERIFY(log.finished(run));
      values[m] = valueOf(log, run);
      performs[m] = log.all<Performed>(run).size();
      pauses[m] = log.all<Paused>(run).size();
    }
    QCOMPARE(values[ResolverMode::Inline], std::string("(3 5 7)"));
    QCOMPARE(values[ResolverMode::Unwind], values[ResolverMode::Inline]);
    QCOMPARE(values[ResolverMode::Step], values[ResolverMode::Inline]);
    // Inline: SX handlers answer in place, the host sees nothing; unwind: three
    // suspensions; step: three suspensions, each paused.
    QCOMPARE(performs[ResolverMode::Inline], size_t(0));
    QCOMPARE(performs[ResolverMode::Unwind], size_t(3));
    QCOMPARE(pauses[ResolverMode::Unwind], size_t(0));
    QCOMPARE(performs[ResolverMode::Step], size_t(3));
    QCOMPARE(pauses[ResolverMode::Step], size_t(3));
  }

  void inlineHostOpsAreRecorded() {
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    uint64_t run = host.runSource("(perform {:op \"kv-put\" :args (list \"k\" 5)}) (perform {:op \"kv-get\" :args (list \"k\")})", "kv.sx");
    QVERIFY(log.finished(run));
    QCOMPARE(valueOf(log, run), std::string("5"));
    auto performed = log.all<Performed>(run);
    QCOMPARE(performed.size(), size_t(2));
    QCOMPARE(performed[1].op, std::string("kv-get"));
    QCOMPARE(performed[1].mode, ResolverMode::Inline);
    auto resumed = log.all<Resumed>(run);
    QCOMPARE(*resumed[1].value, std::string("5"));
    QVERIFY(resumed[1].check.agrees);
  }

  void failingOpRaisesAtThePerform() {
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    host.setResolverMode(ResolverMode::Unwind);
    uint64_t run = host.runSource(
        "(guard (e (else (str \"caught: \" (error-message e))))\n"
        "  (perform {:op \"read-file\" :args (list \"/no/such/file.sx\")}))",
        "op.sx");
    QVERIFY(log.finished(run));
    auto resumed = log.all<Resumed>(run);
    QCOMPARE(resumed.size(), size_t(1));
    QCOMPARE(resumed[0].how, ResumeChoice::Failed);
    QVERIFY(resumed[0].check.agrees);
    QVERIFY2(valueOf(log, run).find("caught: read-file: cannot open /no/such/file.sx") != std::string::npos, valueOf(log, run).c_str());
  }

  void recordingIsBoundedPerRun() {
    HostOptions o;
    o.maxRecordedPerforms = 5;
    EventLog log;
    EngineHost host(o);
    host.setEventSink(log.sink());
    host.setResolverMode(ResolverMode::Unwind);
    uint64_t run = host.runSource(
        "(with-io-handlers {:inc (fn (x) (+ x 1))} (fn () (reduce (fn (a x) (perform {:op \"inc\" :args (list a)})) 0 (range 50))))",
        "many.sx");
    QVERIFY(log.finished(run));
    QCOMPARE(valueOf(log, run), std::string("50"));
    auto fin = log.all<RunFinished>(run).front();
    QCOMPARE(fin.performs, uint64_t(50));
    QCOMPARE(fin.performsRecorded, uint64_t(5));
    QCOMPARE(log.all<Performed>(run).size(), size_t(5));
  }

  // A frame that has not changed is one snapshot shared by every recorded stack it is
  // in: at its perform and resume, and from one perform to the next.
  void unchangedFramesAreShared() {
    UnwindHost h;
    EventLog& log = h.log;
    uint64_t run = h.run(
        "(define (inner i acc)\n"
        "  (if (= i 3) acc (inner (+ i 1) (+ acc (perform {:op \"bump\" :args (list i)})))))\n"
        "(define (outer label) (+ 0 (inner 0 0)))\n"
        "(with-io-handlers {:bump (fn (x) (+ x 10))} (fn () (outer \"fixed\")))",
        "shared.sx");
    QVERIFY(run);
    QCOMPARE(valueOf(log, run), std::string("33"));
    auto performed = log.all<Performed>(run);
    auto resumed = log.all<Resumed>(run);
    QCOMPARE(performed.size(), size_t(3));
    QCOMPARE(resumed.size(), size_t(3));
    FrameRef outer0 = frameOf(performed[0].stack, "outer");
    QVERIFY(outer0);
    for (size_t p = 0; p < 3; ++p) {
      QVERIFY2(resumed[p].check.agrees, resumed[p].check.describe().c_str());
      // outer waits at the same call with the same argument the whole time.
      QCOMPARE(frameOf(performed[p].stack, "outer"), outer0);
      QCOMPARE(frameOf(resumed[p].stack, "outer"), outer0);
      // inner's frame is the same at a perform and its resume, and new at each perform.
      FrameRef inner = frameOf(performed[p].stack, "inner");
      QVERIFY(inner);
      QCOMPARE(frameOf(resumed[p].stack, "inner"), inner);
      if (p) QVERIFY(inner != frameOf(performed[p - 1].stack, "inner"));
      auto acc = std::find_if(inner->locals.begin(), inner->locals.end(), [](const LocalVar& l) { return l.name == "acc"; });
      QVERIFY(acc != inner->locals.end());
      QCOMPARE(acc->value, std::string(p == 0 ? "0" : p == 1 ? "10" : "21"));
      // The resume shows the perform's own site, right above inner and under the
      // HandlerRun the resume pushed to call the handler.
      const std::vector<FrameRef>& at = resumed[p].stack.frames;
      auto site = std::find(at.begin(), at.end(), performed[p].stack.frames.back());
      QVERIFY(site != at.begin() && site != at.end());
      QVERIFY((*site)->kind == "perform");
      QCOMPARE(*(site - 1), inner);
      QVERIFY(at.back()->kind == "HandlerRun");
    }
  }

  // A perform 300 calls deep: the stack keeps its outermost and innermost frames and
  // counts the rest in one "elided" frame, at the perform and at the resume.
  void deepStacksAreRecordedByTheirEnds() {
    UnwindHost h;
    EventLog& log = h.log;
    uint64_t run = h.run(
        "(define (deep n) (if (= n 0) (perform {:op \"bump\" :args (list 5)}) (+ 1 (deep (- n 1)))))\n"
        "(with-io-handlers {:bump (fn (x) (* x 2))} (fn () (deep 300)))",
        "deep.sx");
    QVERIFY(run);
    QCOMPARE(valueOf(log, run), std::string("310"));
    auto performed = log.all<Performed>(run);
    auto resumed = log.all<Resumed>(run);
    QCOMPARE(performed.size(), size_t(1));
    QCOMPARE(resumed.size(), size_t(1));
    for (const FiberSnapshot* s : {&performed[0].stack, &resumed[0].stack}) {
      QVERIFY(s->engineFrames > 300);
      size_t elided = 0, recorded = 0, deepFrames = 0;
      for (const FrameRef& f : s->frames) {
        if (f->kind == "elided") {
          ++elided;
          QCOMPARE(f->note, std::to_string(s->engineFrames - 128) + " frames not recorded");
        } else if (f->kind != "perform") {
          ++recorded;
          deepFrames += f->function == "deep";
        }
      }
      QCOMPARE(elided, size_t(1));
      QCOMPARE(recorded, size_t(128));
      QVERIFY(deepFrames >= 100);  // the innermost frames are the recursion's
      QVERIFY(s->frames[16]->kind == "elided");
    }
    QVERIFY(performed[0].stack.frames.back()->kind == "perform");
    // At the resume the site is under the HandlerRun, above the innermost deep frame.
    const std::vector<FrameRef>& at = resumed[0].stack.frames;
    QVERIFY(at.back()->kind == "HandlerRun");
    QCOMPARE(at[at.size() - 2], performed[0].stack.frames.back());
    QVERIFY(at[at.size() - 3]->function == "deep");
    QVERIFY2(resumed[0].check.agrees, resumed[0].check.describe().c_str());
  }

  // A frame whose bits are unchanged but which shows a list changed in place is printed
  // again: never a stale copy.
  void framesShowingMutableDataAreNotShared() {
    UnwindHost h;
    EventLog& log = h.log;
    uint64_t run = h.run(
        "(define (fill xs n)\n"
        "  (if (= n 0) xs (begin (append! xs (perform {:op \"next\" :args (list n)})) (fill xs (- n 1)))))\n"
        "(define (outer xs) (len (fill xs 2)))\n"
        "(with-io-handlers {:next (fn (n) (* n 100))} (fn () (outer (list 0))))",
        "mutable.sx");
    QVERIFY(run);
    QCOMPARE(valueOf(log, run), std::string("3"));
    auto performed = log.all<Performed>(run);
    QCOMPARE(performed.size(), size_t(2));
    std::vector<std::string> shown;
    for (const Performed& p : performed)
      if (FrameRef outer = frameOf(p.stack, "outer"))
        for (const LocalVar& l : outer->locals)
          if (l.name == "xs") shown.push_back(l.value);
    QCOMPARE(shown, (std::vector<std::string>{"(0)", "(0 200)"}));

    // The handler table changes under an unchanged Handlers frame: shown as it is now.
    run = h.run(
        "(define table {})\n"
        "(dict-set! table \"ask\" (fn (n) (dict-set! table \"last\" n) n))\n"
        "(define (two) (+ (perform {:op \"ask\" :args (list 1)}) (perform {:op \"ask\" :args (list 2)})))\n"
        "(with-io-handlers table two)",
        "table.sx");
    QVERIFY(run);
    QCOMPARE(valueOf(log, run), std::string("3"));
    std::vector<std::string> tables;
    for (const Performed& p : log.all<Performed>(run))
      for (const FrameRef& f : p.stack.frames)
        if (f->kind == "Handlers") tables.push_back(f->note);
    QCOMPARE(tables.size(), size_t(2));
    QVERIFY2(tables[0].find(":last") == std::string::npos, tables[0].c_str());
    QVERIFY2(tables[1].find(":last 1") != std::string::npos, tables[1].c_str());
  }

  // The texts of printed atoms are kept by address until the next collection: an object
  // allocated where a dead one was is printed as itself, and slots shared by several
  // objects never mix them up.
  void printMemoNeverShowsADeadObjectsText() {
    Engine engine;
    Isolate& iso = engine.isolate();
    detail::PrintMemo memo;
    auto viaMemo = [&](Value v) {
      std::string out;
      memo.append(iso, v, out);
      return out;
    };
    // 200 strings share the 64 slots: each is printed as itself, every time.
    std::vector<Value> many;
    for (int i = 0; i < 200; ++i) many.push_back(iso.str("s" + std::to_string(i)));
    for (int pass = 0; pass < 2; ++pass)
      for (int i = 0; i < 200; ++i) QCOMPARE(viaMemo(many[i]), "\"s" + std::to_string(i) + "\"");
    // A string printed, then dead at a collection (nothing roots it): the string the
    // allocator puts in its place is printed as itself, not from the memo.
    for (int round = 0; round < 5; ++round) {
      Value dead = iso.str("dead");
      QCOMPARE(viaMemo(dead), std::string("\"dead\""));
      iso.heap.collect();
      bool reused = false;
      for (int i = 0; i < 100000 && !reused; ++i) {
        Value v = iso.str("live");
        reused = v == dead;
        if (reused) QCOMPARE(viaMemo(v), std::string("\"live\""));
      }
      QVERIFY(reused);  // the case the collection count guards against did happen
    }
  }

  // The check's words are made from its counts when shown.
  void stackCheckDescribesWhatItFound() {
    StackCheck none;
    QCOMPARE(none.describe(), std::string());
    StackCheck differs;
    differs.made = true;
    differs.framesCompared = 2;
    differs.difference = "frame 2 (VM) changed: j";
    QCOMPARE(differs.describe(), std::string("frame 2 (VM) changed: j"));
    StackCheck agrees;
    agrees.made = agrees.agrees = true;
    agrees.framesCompared = 1;
    agrees.valuesCompared = 1;
    QCOMPARE(agrees.describe(), std::string("1 frame and 1 stack value below the perform unchanged"));
    agrees.framesPushed = 5;
    agrees.pushedKinds = {"HandlerRun", "VM", "Args"};
    QCOMPARE(agrees.describe(), std::string("1 frame and 1 stack value below the perform unchanged; 5 frames pushed by "
                                            "the resume (HandlerRun, VM, Args, …)"));
  }

  void checkSourceReportsErrorsPerformsAndDefinitions() {
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    host.checkSource("buf.sx", "(define (f x)\n  (perform {:op \"a\" :args (list x)}))\n(if)\n(define y 2)\n(list 1", 7);
    QVERIFY(log.waitForCount<SourceChecked>(1));
    SourceChecked c = log.all<SourceChecked>().front();
    QCOMPARE(c.generation, uint64_t(7));
    QCOMPARE(c.diagnostics.size(), size_t(2));
    QCOMPARE(c.diagnostics[0].code, ErrorCode::Syntax);
    QCOMPARE(c.diagnostics[0].line, 3u);
    QCOMPARE(c.diagnostics[1].code, ErrorCode::Reader);
    QCOMPARE(c.diagnostics[1].line, 5u);
    QCOMPARE(c.performSites.size(), size_t(1));
    QCOMPARE(c.performSites[0].line, 2u);
    QCOMPARE(c.performSites[0].col, 3u);
    QCOMPARE(c.definitions.size(), size_t(2));
    QCOMPARE(c.definitions[0].name, std::string("f"));
    QCOMPARE(c.definitions[0].kind, std::string("function"));
    QCOMPARE(c.definitions[1].span.line, 4u);
    // Checking never runs the code.
    uint64_t run = host.runSource("y", "<console>");
    QVERIFY(log.finished(run));
    QCOMPARE(log.all<RunError>(run).size(), size_t(1));
  }

  void aNewerCheckReplacesOneStillQueued() {
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    // Checks posted while the engine is busy (a loop that runs until stopped): only the
    // newest of the buffer is kept.
    uint64_t spin = host.runSource("(define (spin n) (spin (+ n 1))) (spin 0)", "spin.sx");
    QVERIFY(log.waitForCount<RunStarted>(1, spin));
    for (uint64_t g = 1; g <= 5; ++g) host.checkSource("buf.sx", "(list " + std::to_string(g) + ")", g);
    host.stop();
    QVERIFY(log.finished(spin));
    QVERIFY(log.waitForCount<SourceChecked>(1));
    QTest::qWait(100);
    auto checks = log.all<SourceChecked>();
    QCOMPARE(checks.size(), size_t(1));
    QCOMPARE(checks.back().generation, uint64_t(5));
  }

  void definitionsCoverSourcePreludeAndPrimitives() {
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    uint64_t run = host.runSource("\n\n  (define (greet n) (str \"hi \" n))", "defs.sx");
    QVERIFY(log.finished(run));
    std::map<std::string, Definition> byName;
    for (const auto& d : host.definitions()) byName[d.name] = d;
    QVERIFY(byName.count("greet"));
    QCOMPARE(byName["greet"].kind, std::string("function"));
    QCOMPARE(byName["greet"].span.file, std::string("defs.sx"));
    QCOMPARE(byName["greet"].span.line, 3u);
    QCOMPARE(byName["greet"].span.col, 3u);
    QCOMPARE(byName["map"].kind, std::string("primitive"));
    QVERIFY(!byName["map"].doc.empty());
    QVERIFY(byName.count("render-to-html"));
    QCOMPARE(byName["render-to-html"].span.file, std::string("<prelude>"));
  }

  void stopInterruptsALoop() {
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    uint64_t run = host.runSource("(define (spin n) (spin (+ n 1))) (spin 0)", "spin.sx");
    QVERIFY(log.waitForCount<RunStarted>(1, run));
    QTest::qWait(50);
    host.stop();
    QVERIFY(log.finished(run));
    QCOMPARE(log.all<RunError>(run).front().diagnostic.code, ErrorCode::Interrupted);
  }

  // Events are delivered in batches; a batch must not wait for the end of the run.
  void outputArrivesWhileARunIsStillGoing() {
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    uint64_t run = host.runSource("(println \"early\") (define (spin n) (spin (+ n 1))) (spin 0)", "spin.sx");
    QVERIFY(log.waitForCount<OutputText>(1, run));
    QCOMPARE(log.all<OutputText>(run).front().text, std::string("early\n"));
    QVERIFY(log.all<RunFinished>(run).empty());  // still spinning
    host.stop();
    QVERIFY(log.finished(run));
    // Everything arrived in the order it happened.
    auto evs = log.events();
    auto at = [&](auto pred) { return std::find_if(evs.begin(), evs.end(), pred) - evs.begin(); };
    auto started = at([&](const Event& e) { return std::holds_alternative<RunStarted>(e) && std::get<RunStarted>(e).run == run; });
    auto output = at([](const Event& e) { return std::holds_alternative<OutputText>(e); });
    auto finished = at([&](const Event& e) { return std::holds_alternative<RunFinished>(e) && std::get<RunFinished>(e).run == run; });
    QVERIFY(started < output && output < finished);
  }

  // The IDE runs a file on one long-lived host again and again. Each run's functions used
  // to be kept besides the earlier runs' (the host's top-level forms and the engine's
  // compiled functions, both GC roots): the summaries listed `build` once per run, and
  // jit-stats grew by every named function per run.
  void rerunningAFileListsEachFunctionOnce() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("grow.sx").toStdString();
    std::ofstream(path) << "(define (helper x) (* x 2))\n"
                           "(define (build n) (map (fn (x) (helper x)) (list 1 2 n)))\n"
                           "(build 3)\n"
                           "(length (jit-stats))\n";
    EventLog log;
    EngineHost host;
    host.setEventSink(log.sink());
    std::string firstKnown;
    std::map<std::string, int> firstLabels;
    for (size_t k = 1; k <= 4; ++k) {
      uint64_t run = host.loadFile(path);
      QVERIFY(log.finished(run));
      QVERIFY(log.all<RunFinished>(run).front().ok);
      QVERIFY(log.waitForCount<FunctionsUpdated>(k));
      std::map<std::string, int> labels;  // the file's functions as the panels list them
      const FunctionsUpdated latest = log.all<FunctionsUpdated>().back();
      for (const FunctionSummary& f : latest.functions)
        if (!f.prelude) ++labels[f.label];
      QCOMPARE(labels["build"], 1);
      QCOMPARE(labels["helper"], 1);
      QCOMPARE(labels["(fn) grow.sx:2"], 1);
      for (const auto& [label, n] : labels) QVERIFY2(n == 1, label.c_str());
      if (k == 1) {
        firstKnown = valueOf(log, run);
        firstLabels = labels;
      }
      QCOMPARE(labels, firstLabels);
      QCOMPARE(valueOf(log, run), firstKnown);  // (length (jit-stats)): the engine's known functions
    }
  }

  void destroyingAPausedHostEndsTheRun() {
    EventLog log;
    {
      EngineHost host;
      host.setEventSink(log.sink());
      host.setResolverMode(ResolverMode::Step);
      uint64_t run = host.runSource(kMapProgram, "map.sx");
      QVERIFY(log.waitForCount<Paused>(1, run));
    }
    QVERIFY(!log.all<RunFinished>().front().ok);
  }
};

QTEST_GUILESS_MAIN(TestInspector)
#include "test_inspector.moc"
