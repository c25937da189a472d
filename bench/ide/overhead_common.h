// What the IDE overhead benchmarks share: timing, statistics, and the detached run (a
// plain sx::Engine, the baseline the inspector is measured against).
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sx.h"

namespace sx::bench {

using Clock = std::chrono::steady_clock;

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

inline double minimum(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

inline double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The CPU time all of the process's threads used since `c0` (std::clock()): what the
// inspector's threads add, less disturbed than wall time by other tenants of the machine.
inline double cpuSecondsSince(std::clock_t c0) { return double(std::clock() - c0) / CLOCKS_PER_SEC; }

struct Timing {
  double wall = 0, cpu = 0;
};

// Times of one program, run after run.
struct Samples {
  std::vector<double> wall, cpu;
  void add(Timing t) {
    wall.push_back(t.wall);
    cpu.push_back(t.cpu);
  }
};

// The plain engine: how it runs a file and whether it keeps one engine for all runs.
struct Detached {
  Tier tier = Tier::Vm;
  bool onThread = false;  // run it on a thread of its own, as the IDE runs its engine
  bool longLived = false;
  std::unique_ptr<Engine> engine;

  Timing run(const std::string& path, ResolverMode mode, bool* ok) {
    Timing t;
    if (onThread && longLived) {  // one thread for all runs, as the IDE keeps its engine's thread
      if (!worker) worker = std::make_unique<Worker>();
      worker->call([&] { t = runHere(path, mode, ok); });
    } else if (onThread) {
      std::thread th([&] { t = runHere(path, mode, ok); });
      th.join();
    } else {
      t = runHere(path, mode, ok);
    }
    if (!longLived) engine.reset();
    return t;
  }

 private:
  // A thread that runs one job at a time for the caller, who waits for it.
  class Worker {
   public:
    Worker() : thread_([this] { loop(); }) {}
    ~Worker() {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        quit_ = true;
      }
      ready_.notify_all();
      thread_.join();
    }
    void call(std::function<void()> job) {
      std::unique_lock<std::mutex> lock(mutex_);
      job_ = std::move(job);
      ready_.notify_all();
      ready_.wait(lock, [&] { return !job_; });
    }

   private:
    void loop() {
      std::unique_lock<std::mutex> lock(mutex_);
      for (;;) {
        ready_.wait(lock, [&] { return quit_ || bool(job_); });
        if (quit_) return;
        job_();
        job_ = nullptr;
        ready_.notify_all();
      }
    }
    std::mutex mutex_;
    std::condition_variable ready_;
    std::function<void()> job_;
    bool quit_ = false;
    std::thread thread_;  // last: started once the rest is ready
  };
  std::unique_ptr<Worker> worker;  // declared after engine: its thread ends first

  Timing runHere(const std::string& path, ResolverMode mode, bool* ok) {
    if (!engine) {
      EngineOptions options;
      options.tier = tier;
      engine = std::make_unique<Engine>(options);
      engine->setOutput([](std::string_view) {});
    }
    engine->setMode(mode);
    auto t0 = Clock::now();
    std::clock_t c0 = std::clock();
    *ok = engine->loadFile(path).ok;
    return Timing{secondsSince(t0), cpuSecondsSince(c0)};
  }
};

}  // namespace sx::bench

namespace sx::bench {

// The programs named on the command line, or else every bench program.
inline std::vector<std::string> programFiles(std::vector<std::string> files, const char* dir) {
  if (files.empty()) {
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".sx") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
  }
  return files;
}

// One row per program: median and minimum times of both sides and their ratios, and the
// ratio of the CPU-time medians; then the worst of each against the budget.
class Report {
 public:
  Report(const char* attached, const char* extra) {
    std::printf("%-12s %10s %10s %8s %10s %10s %8s %9s %8s\n", "program", "det.median", (std::string(attached) + ".median").c_str(),
                "ratio", "det.min", (std::string(attached) + ".min").c_str(), "ratio", "cpu.ratio", extra);
  }

  void row(const std::string& file, const Samples& det, const Samples& att, uint64_t extra, bool ok) {
    double dMed = median(det.wall), aMed = median(att.wall), dMin = minimum(det.wall), aMin = minimum(att.wall);
    double cpuRatio = median(att.cpu) / median(det.cpu);
    worstMedian_ = std::max(worstMedian_, aMed / dMed);
    worstMin_ = std::max(worstMin_, aMin / dMin);
    worstCpu_ = std::max(worstCpu_, cpuRatio);
    std::printf("%-12s %10.4f %10.4f %7.2fx %10.4f %10.4f %7.2fx %8.2fx %8llu%s\n", std::filesystem::path(file).stem().c_str(), dMed,
                aMed, aMed / dMed, dMin, aMin, aMin / dMin, cpuRatio, static_cast<unsigned long long>(extra),
                ok ? "" : "  (a run failed)");
  }

  void finish() const {
    std::printf("worst ratio: median %.2fx, minimum %.2fx, CPU time (median) %.2fx (budget: 1.10x)\n", worstMedian_, worstMin_,
                worstCpu_);
  }

 private:
  double worstMedian_ = 0, worstMin_ = 0, worstCpu_ = 0;
};

}  // namespace sx::bench
