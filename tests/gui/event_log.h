// A thread-safe record of inspector events for tests: the sink appends, tests wait for
// a condition with a timeout (never forever). Declare it before the host it records:
// the host's engine thread may still report (the function summaries after a run's
// RunFinished) until the host is destroyed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

#include "inspect/inspector.h"

class EventLog {
 public:
  sx::inspect::EventSink sink() {
    return [this](sx::inspect::Event&& e) {
      std::lock_guard<std::mutex> lock(m_);
      events_.push_back(std::move(e));
      cv_.notify_all();
    };
  }

  std::vector<sx::inspect::Event> events() const {
    std::lock_guard<std::mutex> lock(m_);
    return events_;
  }

  // Waits until `pred(events)` holds; false after `timeout`.
  bool waitFor(const std::function<bool(const std::vector<sx::inspect::Event>&)>& pred,
               std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    std::unique_lock<std::mutex> lock(m_);
    return cv_.wait_for(lock, timeout, [&] { return pred(events_); });
  }

  template <class T>
  std::vector<T> all(uint64_t run = 0) const {
    std::vector<T> out;
    for (const auto& e : events())
      if (const T* t = std::get_if<T>(&e)) {
        if constexpr (requires { t->run; }) {
          if (run == 0 || t->run == run) out.push_back(*t);
        } else {
          out.push_back(*t);
        }
      }
    return out;
  }

  // Events of type T (of `run`, when it is not 0) in `evs`.
  template <class T>
  static size_t count(const std::vector<sx::inspect::Event>& evs, uint64_t run = 0) {
    size_t n = 0;
    for (const auto& e : evs)
      if (const T* t = std::get_if<T>(&e)) {
        if constexpr (requires { t->run; }) {
          n += run == 0 || t->run == run;
        } else {
          ++n;
        }
      }
    return n;
  }

  // Waits until at least n events of type T (of `run`) have arrived.
  template <class T>
  bool waitForCount(size_t n, uint64_t run = 0) {
    return waitFor([&](const auto& evs) { return count<T>(evs, run) >= n; });
  }

  bool finished(uint64_t run) { return waitForCount<sx::inspect::RunFinished>(1, run); }

  // The number of Paused events so far.
  size_t pausedCount() const { return all<sx::inspect::Paused>().size(); }

 private:
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::vector<sx::inspect::Event> events_;
};
