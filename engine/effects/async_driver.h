// Asynchronous resolution of performs: the driver a server uses to run many fibers on
// one isolate's thread (DESIGN §6).
//
// In unwind mode a fiber that performs a host op suspends; the driver converts the op's
// arguments to plain data on the isolate's thread (IoJob), runs the IO on an IO thread
// (or waits on a timer for `sleep`), and resumes the fiber back on the isolate's thread,
// so a request waiting on IO never blocks the others. Values never leave the isolate's
// thread: an IoJob holds only plain C++ data. SX handlers installed by with-io-handlers
// are resolved on the isolate's thread (resumeWithHandler); ops registered only as
// plain OpFns (now, log, read-file) are answered in place on that thread.
//
// In inline mode the fiber never suspends on a host op: the same IoJob is prepared, run
// and finished in place, inside the step loop (registerAsyncOp also registers that
// synchronous form as the op's OpFn, which driveToCompletion uses too).
//
// Every resolution is reported as a SuspensionEvent (data, to a sink the host sets).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "effects/run.h"

namespace sx {

// One op's work, prepared from the request's :args on the isolate's thread. It holds
// only plain data (never a Value), so run() may execute on any thread.
class IoJob {
 public:
  virtual ~IoJob() = default;
  // The IO itself, on an IO thread (unwind mode) or in place (inline mode). Throws a
  // std::exception when the IO fails; its message becomes an SX error (code io).
  virtual void run() = 0;
  // On the isolate's thread: the answer to the perform. `args` is the request's :args
  // list (still alive: the fiber holds it until it resumes). May throw SxError.
  virtual Value finish(Isolate& iso, Value args) = 0;
  // A wait instead of work (sleep): the driver resumes after this delay on a timer
  // and never calls run().
  virtual std::optional<std::chrono::milliseconds> delay() const { return std::nullopt; }
};

// Prepares a job from the request's :args; throws SxError for bad arguments.
using AsyncOpFn = std::function<std::unique_ptr<IoJob>(Isolate& iso, Value args)>;

// Registers `name` as an async op of this isolate, and as its synchronous OpFn
// (prepare, run, finish in place) for inline mode and the synchronous drivers.
void registerAsyncOp(Isolate& iso, const std::string& name, AsyncOpFn prepare);

// An IoJob from two functions: `work` runs the IO and returns plain data R; `answer`
// turns R into the perform's value on the isolate's thread.
template <class R>
using IoAnswer = std::function<Value(Isolate& iso, Value args, R& result)>;
template <class R>
std::unique_ptr<IoJob> makeIoJob(std::function<R()> work, IoAnswer<R> answer) {
  struct Job final : IoJob {
    std::function<R()> work;
    IoAnswer<R> answer;
    R result{};
    void run() override { result = work(); }
    Value finish(Isolate& iso, Value args) override { return answer(iso, args, result); }
  };
  auto job = std::make_unique<Job>();
  job->work = std::move(work);
  job->answer = std::move(answer);
  return job;
}

// (sleep ms): waits on a timer under the async driver (in place elsewhere); answers nil.
void registerSleepOp(Isolate& iso);

// How long one perform waited for its answer, reported as data.
struct SuspensionEvent {
  std::string op;          // the op name
  std::string request;     // the request dict, printed
  ResolverMode mode;       // Inline: resolved in place; Unwind: the fiber suspended
  uint64_t micros = 0;     // from the perform to its answer
  uint64_t runId = 0;      // the run (HTTP request) it belongs to; 0 outside a driver
  bool failed = false;     // the op raised an error
};
using SuspensionSink = std::function<void(const SuspensionEvent&)>;

// Sees each perform the driver answers together with its fiber, on the isolate's thread,
// for hosts that snapshot the stack (the IDE's preview server). atPerform is called with
// the fiber at the perform — suspended (unwind), or inside the op's call (inline, async
// ops only, like SuspensionEvent) — and returns a token; atResume gets it back once the
// fiber was resumed, before it runs on.
//
// Step mode: in unwind mode the observer may hold a perform (holdAt returns true). The
// fiber then stays suspended — other fibers run on — until the HeldResume it was given
// is called, from any thread: answer with the resolver, with a value (SX text, read by
// the reader; text that does not read is reported to heldRejected and the perform stays
// held), or abort (an "interrupted" error raised at the perform). A HeldResume called after
// the driver is gone does nothing; it must not be called once the executors are gone.
enum class HeldAnswer : uint8_t { Resolver, Value, Abort };
using HeldResume = std::function<void(HeldAnswer how, std::string valueText)>;

class PerformObserver {
 public:
  struct Answer {
    std::optional<Value> value;  // the answer; none when an SX handler produces it or it failed
    bool failed = false;         // the op raised an error (resumed with it)
    std::string error;           // that error's message
    uint64_t micros = 0;         // from the perform to its answer
  };
  virtual ~PerformObserver() = default;
  virtual uint64_t atPerform(Fiber& f, uint64_t runId, const std::string& op, const std::string& request,
                             ResolverMode mode, bool sxHandler) = 0;
  virtual void atResume(Fiber& f, uint64_t runId, uint64_t token, const Answer& answer) = 0;
  // Unwind mode, after atPerform: true keeps the fiber suspended until `resume` is called.
  virtual bool holdAt(uint64_t token, HeldResume resume) { return false; }
  // A held perform's value text did not read; the perform stays held.
  virtual void heldRejected(uint64_t token, const std::string& why) {}
};

// Counts for one run of a fiber.
struct RunStats {
  uint32_t ops = 0;           // host ops and SX handlers that answered performs
  uint32_t suspensions = 0;   // of which the fiber suspended for (unwind mode)
  uint64_t suspendedMicros = 0;
};

// Where the driver runs its tasks. The host supplies them (the HTTP server: asio).
struct AsyncExecutors {
  // Runs a task later on the isolate's thread.
  std::function<void(std::function<void()>)> post;
  // Runs a task on an IO thread.
  std::function<void(std::function<void()>)> io;
  // Runs a task on the isolate's thread after a delay (a timer, not a blocked thread).
  std::function<void(std::chrono::milliseconds, std::function<void()>)> after;
};

class AsyncDriver {
 public:
  // Called on the isolate's thread when a fiber finished (Done or Error). The fiber is
  // destroyed after it returns.
  using Done = std::function<void(Fiber& f, RunStatus status, const RunStats& stats)>;

  // Every method runs on the isolate's thread.
  AsyncDriver(Isolate& iso, AsyncExecutors executors);
  // Fibers still in flight (held ones too) are freed with their runs.
  ~AsyncDriver();
  AsyncDriver(const AsyncDriver&) = delete;
  AsyncDriver& operator=(const AsyncDriver&) = delete;

  // Receives every SuspensionEvent of this isolate (inline and unwind); none when unset.
  void setSink(SuspensionSink sink);
  // Observes every perform with its fiber (see PerformObserver); none when null. The
  // observer must outlive the driver.
  void setObserver(PerformObserver* observer);

  // Runs `fiber` (prepared with startCall or startToplevel) to the end, suspending and
  // resuming as its performs require. `done` may be called before drive returns.
  void drive(std::unique_ptr<Fiber> fiber, uint64_t runId, Done done);

  // Fibers started and not yet finished.
  size_t inFlight() const;

 private:
  struct Run;
  void step(Run* run);
  bool resolve(Run* run);
  bool resolvePending(Run* run);
  void answerHeld(uint64_t token, HeldAnswer how, const std::string& valueText);
  void startJob(Run* run, std::shared_ptr<IoJob> job);
  void answer(Run* run, const std::shared_ptr<IoJob>& job, const std::string& ioError);
  void report(Run& run, bool failed);
  void observeResume(Run& run, std::optional<Value> value, const std::string& error);

  Isolate& iso_;
  AsyncExecutors ex_;
  // Runs in flight, owned here so a fiber is only ever destroyed on the isolate's thread
  // (tasks on IO threads hold a Run* and never the last reference).
  std::unordered_map<Run*, std::unique_ptr<Run>> runs_;
  std::unordered_map<uint64_t, Run*> held_;  // performs held by the observer, by token
  // Tells HeldResume closures (which may outlive the driver) that it is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace sx
