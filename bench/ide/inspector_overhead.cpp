// What the inspector costs the engine: each benchmark program run by a plain sx::Engine
// ("detached") and by the IDE's EngineHost with an event sink attached, as the panels
// have it ("attached": performs recorded with stacks up to the per-run limit, output and
// every event delivered). Prints median and minimum wall times and their ratios per
// program: on a shared machine noise only ever adds time, so the minimum ratio is the
// steadier estimate of the inspector's own cost, and the median shows what a user sees.
//
//   ide_inspector_overhead [--runs N] [--mode inline|unwind] [--tier cek|vm|jit|auto] [--record N]
//                          [--detached-thread] [--long-lived] [FILE.sx ...]
//
// --record sets the performs recorded with stacks per run (the IDE's preference); --tier
// (default vm) applies to both engines. --detached-thread runs the plain engine on a
// thread of its own too, as the host runs its engine: the difference left is the
// inspector's alone, without what running off the main thread costs (the IDE cannot run
// the engine on its GUI thread). --long-lived keeps one plain engine and one host for all
// runs, as the IDE keeps its host for the session, instead of making both afresh for each
// run (which also gives the host fresh threads, with fresh malloc arenas, every run). An
// attached run ends when the host has also sent the function summaries the code panels
// show after every run.
//
// Without files it runs bench/programs/*.sx. The budget: attached at most 10%
// slower than detached.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "inspect/engine_host.h"
#include "overhead_common.h"
#include "sx.h"

namespace {

using namespace sx::bench;

sx::Tier gTier = sx::Tier::Vm;
bool gLongLived = false;

// Hands events over the way the panels' bridge hands them to the GUI thread: the engine
// thread moves each event into a queue and wakes the runner only when the queue was
// empty (as posting to a Qt event loop does); the runner takes everything queued at
// once and keeps it, as the suspensions panel keeps a run's events until the next run.
struct Sink {
  std::mutex m;
  std::condition_variable cv;
  std::vector<sx::inspect::Event> queue;
  std::vector<sx::inspect::Event> kept;  // runner thread: taken, freed by release()
  uint64_t events = 0;                   // taken by the runner
  bool ok = false;                       // of the last RunFinished taken

  void operator()(sx::inspect::Event&& e) {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(m);
      wake = queue.empty();
      queue.push_back(std::move(e));
    }
    if (wake) cv.notify_one();
  }

  // Runner thread: takes events until the function summaries that follow run's end.
  void takeUntilSummarized(uint64_t run) {
    uint64_t finished = 0;
    std::vector<sx::inspect::Event> taken;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return !queue.empty(); });
        taken.swap(queue);
      }
      for (sx::inspect::Event& e : taken) {
        ++events;
        if (auto* f = std::get_if<sx::inspect::RunFinished>(&e)) {
          finished = f->run;
          ok = f->ok;
        }
        bool done = std::holds_alternative<sx::inspect::FunctionsUpdated>(e) && finished == run;
        kept.push_back(std::move(e));
        if (done) return;
      }
      taken.clear();
    }
  }

  // The next run's start, when the panels drop the last run's events (not timed).
  void release() { kept.clear(); }
};

uint32_t gRecord = sx::inspect::HostOptions{}.maxRecordedPerforms;

// A host with its sink. The sink outlives the host, whose engine thread reports into it
// until joined.
struct Attached {
  Sink sink;
  std::unique_ptr<sx::inspect::EngineHost> host;
};

// Runs path on the host, making it first when there is none; dropped after the run unless
// --long-lived.
Timing runAttached(std::unique_ptr<Attached>& attached, const std::string& path, sx::ResolverMode mode, bool* ok,
                   uint64_t* events) {
  if (!attached) {
    attached = std::make_unique<Attached>();
    sx::inspect::HostOptions options;
    options.maxRecordedPerforms = gRecord;
    options.tier = gTier;
    attached->host = std::make_unique<sx::inspect::EngineHost>(options);
    attached->host->setEventSink([s = &attached->sink](sx::inspect::Event&& e) { (*s)(std::move(e)); });
    attached->host->setResolverMode(mode);
    // Let the host finish setting up its isolate before timing, as the IDE does at start.
    attached->sink.takeUntilSummarized(attached->host->runSource("nil", "<warm-up>"));
  }
  Sink& sink = attached->sink;
  sx::inspect::EngineHost& host = *attached->host;
  uint64_t before = sink.events;
  auto t0 = Clock::now();
  std::clock_t c0 = std::clock();
  sink.takeUntilSummarized(host.loadFile(path));
  Timing t{secondsSince(t0), cpuSecondsSince(c0)};
  sink.release();
  *ok = sink.ok;
  *events = sink.events - before;
  if (!gLongLived) attached.reset();  // the host first (members go in reverse order)
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  sx::ResolverMode mode = sx::ResolverMode::Inline;
  std::vector<std::string> files;
  Detached detached;  // keeps its engine across runs with --long-lived
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (!std::strcmp(argv[i], "--mode") && i + 1 < argc) {
      std::string m = argv[++i];
      if (m != "inline" && m != "unwind") {
        std::fprintf(stderr, "ide_inspector_overhead: --mode is inline or unwind\n");
        return 2;
      }
      mode = m == "inline" ? sx::ResolverMode::Inline : sx::ResolverMode::Unwind;
    } else if (!std::strcmp(argv[i], "--tier") && i + 1 < argc) {
      if (!sx::parseTier(argv[++i], &gTier)) {
        std::fprintf(stderr, "ide_inspector_overhead: --tier is cek, vm, jit or auto\n");
        return 2;
      }
    } else if (!std::strcmp(argv[i], "--record") && i + 1 < argc) {
      gRecord = uint32_t(std::max(0, std::atoi(argv[++i])));
    } else if (!std::strcmp(argv[i], "--detached-thread")) {
      detached.onThread = true;
    } else if (!std::strcmp(argv[i], "--long-lived")) {
      gLongLived = true;
    } else if (argv[i][0] == '-') {
      std::fprintf(stderr, "usage: ide_inspector_overhead [--runs N] [--mode inline|unwind] [--tier cek|vm|jit|auto] [--record N] [--detached-thread] [--long-lived] [FILE.sx ...]\n");
      return 2;
    } else {
      files.push_back(argv[i]);
    }
  }
  files = programFiles(std::move(files), SX_BENCH_PROGRAMS);
  std::printf("inspector overhead, %s mode, %s tier, %d runs each (seconds), detached on %s, %s\n",
              sx::resolverModeName(mode), sx::tierName(gTier), runs, detached.onThread ? "a thread of its own" : "the main thread",
              gLongLived ? "one engine and one host for all runs" : "a fresh engine and host for each run");
  detached.tier = gTier;
  detached.longLived = gLongLived;
  std::unique_ptr<Attached> attached;
  Report report("att", "events");
  for (const std::string& f : files) {
    Samples det, att;
    uint64_t events = 0;
    bool ok1 = true, ok2 = true;
    for (int r = 0; r < runs; ++r) {  // alternate, and in turn go first, so load and order hit both alike
      if (r % 2) att.add(runAttached(attached, f, mode, &ok2, &events));
      det.add(detached.run(f, mode, &ok1));
      if (r % 2 == 0) att.add(runAttached(attached, f, mode, &ok2, &events));
    }
    report.row(f, det, att, events, ok1 && ok2);
  }
  report.finish();
  return 0;
}
