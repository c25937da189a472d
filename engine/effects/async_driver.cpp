#include "effects/async_driver.h"

#include <thread>
#include <unordered_map>

#include "effects/effects.h"
#include "reader/printer.h"
#include "reader/reader.h"
#include "value/dict.h"

namespace sx {

namespace {

using Clock = std::chrono::steady_clock;

// Per-isolate state: the async ops, the event sink, and the run whose fiber is
// stepping right now (inline ops attribute their events to it).
struct AsyncState {
  std::unordered_map<std::string, AsyncOpFn> ops;
  SuspensionSink sink;
  PerformObserver* observer = nullptr;
  Fiber* currentFiber = nullptr;  // the fiber stepping now (for the observer)
  uint64_t currentRun = 0;
  RunStats* currentStats = nullptr;
};

AsyncState& asyncState(Isolate& iso) {
  std::shared_ptr<void>& slot = iso.extensions["sx.async"];
  if (!slot) slot = std::make_shared<AsyncState>();
  return *static_cast<AsyncState*>(slot.get());
}

uint64_t microsSince(Clock::time_point t0) {
  return uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count());
}

// The request as the events show it.
std::string requestText(Isolate& iso, std::string_view op, Value args) {
  std::string out = "{:op \"";
  escapeStringTo(op, out);
  out += "\" :args ";
  printTo(iso, args, out, true);
  out += '}';
  return out;
}

// An IO failure as the SX error the perform raises.
SxError ioError(const std::string& op, const char* what) {
  std::string msg = what && *what ? what : "the IO operation failed";
  return SxError(ErrorCode::Io, msg.rfind(op + ":", 0) == 0 ? msg : op + ": " + msg);
}

// The synchronous form of an async op: prepare, run and finish in place.
OpFn inlineForm(std::string name, AsyncOpFn prepare) {
  return [name = std::move(name), prepare = std::move(prepare)](Isolate& iso, Value args) -> Value {
    AsyncState& st = asyncState(iso);
    Clock::time_point t0 = Clock::now();
    Fiber* fiber = st.observer ? st.currentFiber : nullptr;
    uint64_t runId = st.currentRun;
    uint64_t token = fiber ? st.observer->atPerform(*fiber, runId, name, requestText(iso, name, args), ResolverMode::Inline, false) : 0;
    auto report = [&](bool failed, std::optional<Value> value, const char* error) {
      if (st.currentStats) ++st.currentStats->ops;
      uint64_t micros = microsSince(t0);
      if (st.sink) st.sink(SuspensionEvent{name, requestText(iso, name, args), ResolverMode::Inline, micros, runId, failed});
      if (fiber) st.observer->atResume(*fiber, runId, token, PerformObserver::Answer{value, failed, error ? error : "", micros});
    };
    try {
      std::unique_ptr<IoJob> job = prepare(iso, args);
      try {
        if (auto d = job->delay()) std::this_thread::sleep_for(*d);
        else job->run();
      } catch (const SxError&) {
        throw;
      } catch (const std::exception& e) {
        throw ioError(name, e.what());
      }
      Value v = job->finish(iso, args);
      report(false, v, nullptr);
      return v;
    } catch (const SxError& e) {
      report(true, std::nullopt, e.what());
      throw;
    }
  };
}

struct SleepJob final : IoJob {
  std::chrono::milliseconds ms;
  explicit SleepJob(std::chrono::milliseconds d) : ms(d) {}
  void run() override {}
  Value finish(Isolate&, Value) override { return Value::nil(); }
  std::optional<std::chrono::milliseconds> delay() const override { return ms; }
};

// The longest sleep: a day (keeps the conversion to milliseconds far from overflow).
constexpr double kMaxSleepMs = 24.0 * 3600 * 1000;

}  // namespace

void registerAsyncOp(Isolate& iso, const std::string& name, AsyncOpFn prepare) {
  asyncState(iso).ops[name] = prepare;
  registerOp(iso, name, inlineForm(name, std::move(prepare)));
}

void registerSleepOp(Isolate& iso) {
  registerAsyncOp(iso, "sleep", [](Isolate& i, Value args) -> std::unique_ptr<IoJob> {
    Value ms = isPair(args) ? car(args) : Value::nil();
    if (!isNumber(ms) || isPair(cdr(args)))
      throw SxError(ErrorCode::Type, "sleep: expected one argument, a number of milliseconds, got " + printValue(i, args));
    double d = isInteger(ms) ? double(intValue(ms)) : isFloat(ms) ? as<Float>(ms)->value
                                                                    : double(as<Rational>(ms)->num) / double(as<Rational>(ms)->den);
    if (!(d > 0)) d = 0;  // also NaN
    if (d > kMaxSleepMs) throw SxError(ErrorCode::Range, "sleep: at most a day (86400000 ms)");
    return std::make_unique<SleepJob>(std::chrono::milliseconds(int64_t(d)));
  });
}

// ---- the driver -------------------------------------------------------------------------

// One fiber being driven. Owned by the driver (runs_) until it finishes; tasks on other
// threads refer to it by pointer only, so it is always destroyed on the isolate's thread.
struct AsyncDriver::Run {
  std::unique_ptr<Fiber> fiber;
  uint64_t id = 0;
  Done done;
  RunStats stats;
  std::string op;          // the pending op
  std::string request;     // the pending request, printed (when a sink is set)
  Clock::time_point since; // when the fiber suspended
  uint64_t token = 0;      // the observer's token for the pending perform
};

AsyncDriver::AsyncDriver(Isolate& iso, AsyncExecutors executors) : iso_(iso), ex_(std::move(executors)) {}

AsyncDriver::~AsyncDriver() { *alive_ = false; }

size_t AsyncDriver::inFlight() const { return runs_.size(); }

void AsyncDriver::setSink(SuspensionSink sink) { asyncState(iso_).sink = std::move(sink); }

void AsyncDriver::setObserver(PerformObserver* observer) { asyncState(iso_).observer = observer; }

void AsyncDriver::drive(std::unique_ptr<Fiber> fiber, uint64_t runId, Done done) {
  auto owned = std::make_unique<Run>();
  Run* run = owned.get();
  run->fiber = std::move(fiber);
  run->id = runId;
  run->done = std::move(done);
  runs_.emplace(run, std::move(owned));
  step(run);
}

// Steps the fiber until it waits for IO (return) or finishes (done, then freed).
void AsyncDriver::step(Run* run) {
  AsyncState& st = asyncState(iso_);
  Fiber& f = *run->fiber;
  for (;;) {
    RunStatus status = RunStatus::Error;
    if (f.state != FiberState::Error) {  // resumeWithError may have ended it
      st.currentRun = run->id;
      st.currentStats = &run->stats;
      st.currentFiber = &f;
      status = runFiber(f);
      st.currentRun = 0;
      st.currentStats = nullptr;
      st.currentFiber = nullptr;
    }
    if (status != RunStatus::Suspended) {
      std::unique_ptr<Run> owned = std::move(runs_.at(run));
      runs_.erase(run);
      owned->done(f, status, owned->stats);
      return;
    }
    if (!resolve(run)) return;
  }
}

// Answers the pending perform now (true) or starts its IO (false: answer() resumes).
bool AsyncDriver::resolve(Run* run) {
  Fiber& f = *run->fiber;
  AsyncState& st = asyncState(iso_);
  ++run->stats.ops;
  ++run->stats.suspensions;
  run->op = std::string(strView(f.pending.opName));
  run->since = Clock::now();
  if (st.sink) run->request = printValue(iso_, f.pending.request);
  if (st.observer) {
    run->token = st.observer->atPerform(f, run->id, run->op, st.sink ? run->request : printValue(iso_, f.pending.request),
                                        ResolverMode::Unwind, !f.pending.handler.isNil());
    uint64_t token = run->token;
    // Posted onto the isolate's thread; harmless once the driver is gone or the perform answered.
    HeldResume resume = [post = ex_.post, alive = std::weak_ptr<bool>(alive_), this, token](HeldAnswer how, std::string text) {
      post([alive, this, token, how, text = std::move(text)] {
        if (auto a = alive.lock(); a && *a) answerHeld(token, how, text);
      });
    };
    if (token && st.observer->holdAt(token, std::move(resume))) {
      held_[token] = run;
      return false;
    }
  }
  return resolvePending(run);
}

// Answers a held perform on the isolate's thread, then steps the fiber on.
void AsyncDriver::answerHeld(uint64_t token, HeldAnswer how, const std::string& valueText) {
  auto it = held_.find(token);
  if (it == held_.end()) return;  // answered already
  Run* run = it->second;
  Fiber& f = *run->fiber;
  AsyncState& st = asyncState(iso_);
  if (how == HeldAnswer::Value) {
    ReadResult r = readString(iso_, valueText, "<resume value>");
    std::string why = r.error ? r.error->message
                    : r.data.size() != 1 ? "expected exactly one datum, got " + std::to_string(r.data.size())
                                         : std::string();
    if (!why.empty()) {
      if (st.observer) st.observer->heldRejected(token, "resume value: " + why);
      return;
    }
    held_.erase(it);
    Value v = r.data[0].value;
    resumeWithValue(f, v);
    report(*run, false);
    observeResume(*run, v, {});
    return step(run);
  }
  held_.erase(it);
  if (how == HeldAnswer::Abort) {
    std::string why = "aborted at the perform of " + run->op + " (step mode)";
    resumeWithError(f, newErrorValue(f, ErrorCode::Interrupted, why));
    report(*run, true);
    observeResume(*run, std::nullopt, why);
    return step(run);
  }
  if (resolvePending(run)) step(run);
}

// The resolver's answer to the pending perform: now (true) or once its IO is done (false).
bool AsyncDriver::resolvePending(Run* run) {
  Fiber& f = *run->fiber;
  AsyncState& st = asyncState(iso_);
  if (!f.pending.handler.isNil()) {
    resumeWithHandler(f);
    report(*run, false);
    observeResume(*run, std::nullopt, {});
    return true;
  }
  try {
    auto async = st.ops.find(run->op);
    if (async != st.ops.end()) {
      std::shared_ptr<IoJob> job = async->second(iso_, f.pending.args);
      startJob(run, std::move(job));
      return false;
    }
    auto& ops = opTable(iso_).ops;
    auto it = ops.find(run->op);
    if (it == ops.end()) throw SxError(ErrorCode::UnknownOp, "unknown IO op: " + run->op);
    Value v = it->second(iso_, f.pending.args);
    resumeWithValue(f, v);
    report(*run, false);
    observeResume(*run, v, {});
  } catch (const SxError& e) {
    resumeWithError(f, errorFromException(f, e));
    report(*run, true);
    observeResume(*run, std::nullopt, e.what());
  } catch (const std::exception& e) {
    SxError io = ioError(run->op, e.what());
    resumeWithError(f, errorFromException(f, io));
    report(*run, true);
    observeResume(*run, std::nullopt, io.what());
  }
  return true;
}

void AsyncDriver::startJob(Run* run, std::shared_ptr<IoJob> job) {
  if (auto d = job->delay()) {
    ex_.after(*d, [this, run, job] { answer(run, job, {}); });
    return;
  }
  ex_.io([this, run, job] {
    std::string error;
    try {
      job->run();
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "the IO operation failed";
    }
    ex_.post([this, run, job, error = std::move(error)] { answer(run, job, error); });
  });
}

// Back on the isolate's thread: resume the fiber with the job's result or error.
void AsyncDriver::answer(Run* run, const std::shared_ptr<IoJob>& job, const std::string& ioErrorText) {
  Fiber& f = *run->fiber;
  bool failed = !ioErrorText.empty();
  std::optional<Value> value;
  std::string error;
  try {
    if (failed) throw ioError(run->op, ioErrorText.c_str());
    value = job->finish(iso_, f.pending.args);
    resumeWithValue(f, *value);
  } catch (const SxError& e) {
    failed = true;
    value.reset();
    error = e.what();
    resumeWithError(f, errorFromException(f, e));
  } catch (const std::exception& e) {
    failed = true;
    value.reset();
    SxError io = ioError(run->op, e.what());
    error = io.what();
    resumeWithError(f, errorFromException(f, io));
  }
  report(*run, failed);
  observeResume(*run, value, error);
  step(run);
}

void AsyncDriver::report(Run& run, bool failed) {
  uint64_t micros = microsSince(run.since);
  run.stats.suspendedMicros += micros;
  AsyncState& st = asyncState(iso_);
  if (st.sink) st.sink(SuspensionEvent{run.op, std::move(run.request), ResolverMode::Unwind, micros, run.id, failed});
  run.request.clear();
}

void AsyncDriver::observeResume(Run& run, std::optional<Value> value, const std::string& error) {
  AsyncState& st = asyncState(iso_);
  if (!st.observer) return;
  PerformObserver::Answer a{value, !error.empty(), error, microsSince(run.since)};
  st.observer->atResume(*run.fiber, run.id, run.token, a);
}

}  // namespace sx
