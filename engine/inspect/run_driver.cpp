// Running sources on the engine thread. Each top-level form runs on its own fiber, which
// this driver steps with runFiber; at every suspension (a perform in unwind or step mode)
// it snapshots the fiber, waits for the user in step mode, answers the perform, and
// snapshots again to check that the frames below the perform are unchanged.
#include <fstream>
#include <sstream>

#include "cek/analyzer.h"
#include "effects/effects.h"
#include "inspect/code_listing.h"
#include "inspect/host_core.h"
#include "inspect/source_index.h"
#include "reader/printer.h"
#include "reader/reader.h"

namespace sx::inspect::detail {

namespace {

constexpr size_t kMaxPrintedValue = 100000;  // characters of a run's printed value
constexpr size_t kMaxPrintedRequest = 400;

double msSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

Diagnostic syntaxDiagnostic(Isolate& iso, ErrorCode code, const std::string& msg, Span sp) {
  Diagnostic d;
  d.code = code;
  d.message = msg;
  if (const SourceFile* sf = iso.source(sp.file)) {
    d.file = sf->name;
    d.line = sp.line;
    d.col = sp.col;
    d.sourceLine = iso.sourceLine(sp.file, sp.line);
    d.stack.push_back(StackFrameInfo{"", d.file, d.line, d.col, ""});  // found before running: no tier
  }
  return d;
}

Diagnostic plainDiagnostic(ErrorCode code, const std::string& msg) {
  Diagnostic d;
  d.code = code;
  d.message = msg;
  return d;
}

}  // namespace

void HostCore::runText(uint64_t id, const std::string& text, const std::string& name) {
  RunState rs;
  rs.id = id;
  rs.mode = mode.load();
  rs.started = Clock::now();
  run_ = &rs;
  Isolate& iso = engine_.isolate();
  // A stop meant for an earlier run must not end this one; a stop made once RunStarted
  // is seen must.
  iso.interrupt.store(false);
  emit(RunStarted{id, name, rs.mode});
  engine_.setMode(rs.mode);
  wrapOps();
  bool ok = evaluate(text, name, rs);
  publishDefinitions();
  run_ = nullptr;
  emit(RunFinished{id, ok, msSince(rs.started), rs.performs, rs.recorded});
  emit(summarizeFunctions(iso, kept_));
}

void HostCore::loadPath(uint64_t id, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    rejectRun(Command{Command::Kind::Load, id, {}, path, {}}, ErrorCode::Io, "cannot open " + path);
    return;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  runText(id, ss.str(), path);
}

bool HostCore::evaluate(const std::string& text, const std::string& name, RunState& rs) {
  Isolate& iso = engine_.isolate();
  uint32_t file = iso.addSource(name, text);
  ReadResult rr = readAll(iso, iso.source(file)->text, file);
  if (rr.error) {
    emit(RunError{rs.id, syntaxDiagnostic(iso, ErrorCode::Reader, rr.error->message, rr.error->span)});
    return false;
  }
  forgetEarlierRuns(name);
  RootedValues roots(iso);
  for (const Datum& d : rr.data) roots.push(d.value);
  Value last = Value::nil();
  for (const Datum& d : rr.data) {
    Proto* p;
    try {
      p = analyzeToplevel(iso, d.value, d.span);
    } catch (const SxError& e) {
      emit(RunError{rs.id, syntaxDiagnostic(iso, e.code, e.what(), e.span.valid() ? e.span : d.span)});
      return false;
    }
    roots.push(Value::object(p));
    std::vector<Definition> defs;
    collectFromProto(iso, p, nullptr, &defs, nullptr);
    for (Definition& def : defs) keepSourceDefinition(std::move(def));
    Fiber f(iso);
    startToplevel(f, p);
    RunStatus status = drive(f, rs);
    keepToplevel(p);
    if (status == RunStatus::Error) {
      emit(RunError{rs.id, f.diagnostic});
      return false;
    }
    last = f.result;
    roots.push(last);
  }
  std::string printed = printValue(iso, last);
  if (printed.size() > kMaxPrintedValue) printed = printed.substr(0, kMaxPrintedValue) + "…";
  emit(ValuePrinted{rs.id, std::move(printed)});
  return true;
}

RunStatus HostCore::drive(Fiber& f, RunState& rs) {
  for (;;) {
    Fiber* outer = current_;
    current_ = &f;
    RunStatus st = runFiber(f);
    current_ = outer;
    if (st != RunStatus::Suspended) return st;
    ++rs.performs;
    if (rs.mode == ResolverMode::Step || rs.recorded < opts_.maxRecordedPerforms) {
      if (!handleSuspension(f, rs)) return RunStatus::Error;
    } else if (!f.pending.handler.isNil()) {
      resumeWithHandler(f);  // past the recording limit, as driveToCompletion answers it
    } else if (!answerUnrecorded(f)) {
      return RunStatus::Error;
    }
  }
}

// One suspended perform to record: record it, wait in step mode, answer it. False when the answer
// ended the fiber with an error (an abort, or an op error nothing caught).
bool HostCore::handleSuspension(Fiber& f, RunState& rs) {
  bool step = rs.mode == ResolverMode::Step;
  ++rs.recorded;
  uint64_t perform = ++performIds_;
  Clock::time_point t0 = Clock::now();
  RawStack raw = rs.snapshots.capture(f);
  emitPerformed(f, rs, perform, raw);
  Resumed ev;
  ev.run = rs.id;
  ev.perform = perform;
  if (step) {
    emit(Paused{rs.id, perform});
    pausedAt_ = perform;
  }
  for (;;) {
    Resume how = step ? waitForResume(perform) : Resume{};
    if (how.choice == ResumeChoice::Value) {
      std::optional<Value> v = readResumeValue(how.valueText, rs);
      if (!v) continue;  // reported; still paused
      ev.how = ResumeChoice::Value;
      ev.value = printShort(f.iso, *v);
      resumeWithValue(f, *v);
      break;
    }
    answer(f, how, perform, &raw, ev);
    break;
  }
  pausedAt_.reset();
  ev.suspendedMs = msSince(t0);
  if (ev.how == ResumeChoice::Resolver || ev.how == ResumeChoice::Value) finishResume(f, raw, ev);
  rs.snapshots.release(std::move(raw));
  emit(std::move(ev));
  return f.state != FiberState::Error;
}

void HostCore::emitPerformed(Fiber& f, RunState& rs, uint64_t perform, RawStack& raw) {
  Performed ev;
  ev.run = rs.id;
  ev.perform = perform;
  ev.op = std::string(strView(f.pending.opName));
  ev.request = printShort(f.iso, f.pending.request, kMaxPrintedRequest, &rs.snapshots.printed);
  ev.mode = rs.mode;
  ev.resolver = f.pending.handler.isNil() ? Resolver::HostOp : Resolver::SxHandler;
  ev.stack = snapshotFiber(f, &rs.snapshots);
  raw.site = ev.stack.frames.back();
  emit(std::move(ev));
}

// Abort, or the resolver's answer: run the SX handler on the fiber, or call the host op.
// For an abort or a failed op the resume snapshot is the stack the error is raised on.
void HostCore::answer(Fiber& f, const Resume& how, uint64_t perform, const RawStack* raw, Resumed& ev) {
  Isolate& iso = f.iso;
  if (how.choice == ResumeChoice::Abort) {
    ev.how = ResumeChoice::Abort;
    if (raw) finishResume(f, *raw, ev);
    resumeWithError(f, newErrorValue(f, ErrorCode::Interrupted, "run aborted at perform #" + std::to_string(perform)));
    return;
  }
  ev.how = ResumeChoice::Resolver;
  if (!f.pending.handler.isNil()) {
    resumeWithHandler(f, raw ? int64_t(perform) : 0);  // a recorded perform reports the answer (HandlerAnswered)
    return;
  }
  std::string op(strView(f.pending.opName));
  std::optional<SxError> failure;
  try {
    Value v = callHostOp(iso, op, f.pending.args);
    ev.value = printShort(iso, v);
    resumeWithValue(f, v);
    return;
  } catch (const SxError& e) {
    failure = e;
  } catch (const std::exception& e) {
    failure = SxError(ErrorCode::Io, op + ": " + e.what());
  }
  ev.how = ResumeChoice::Failed;
  if (raw) finishResume(f, *raw, ev);
  resumeWithError(f, errorFromException(f, *failure));
}

// The driver's own call of a host op (unwind and step mode): not recorded again by the
// op's wrapper.
Value HostCore::callHostOp(Isolate& iso, const std::string& op, Value args) {
  auto& ops = opTable(iso).ops;
  auto it = ops.find(op);
  if (it == ops.end()) throw SxError(ErrorCode::UnknownOp, "unknown IO op: " + op);
  struct Flag {
    bool& b;
    explicit Flag(bool& x) : b(x) { b = true; }
    ~Flag() { b = false; }
  } calling(driverCallingOp_);
  return it->second(iso, args);
}

// Past the recording limit, a host op (drive answers SX handlers itself): answer it with
// nothing to report.
bool HostCore::answerUnrecorded(Fiber& f) {
  Resumed unused;
  answer(f, Resume{}, 0, nullptr, unused);
  return f.state != FiberState::Error;
}

void HostCore::finishResume(Fiber& f, const RawStack& raw, Resumed& ev) {
  ev.stack = snapshotResumed(f, raw, run_ ? &run_->snapshots : nullptr);
  ev.check = compareStacks(raw, f);
}

Resume HostCore::waitForResume(uint64_t perform) {
  for (;;) {
    Command c = take();
    switch (c.kind) {
      case Command::Kind::Resume:
        if (c.id == perform) return c.resume;
        emit(RunError{run_ ? run_->id : 0, plainDiagnostic(ErrorCode::Internal, "resume: perform #" + std::to_string(c.id) +
                                                                                    " is not the paused one (#" + std::to_string(perform) + ")")});
        break;
      case Command::Kind::Check:
      case Command::Kind::Functions:
      case Command::Kind::Listing:
      case Command::Kind::Exclude:
        handleQuery(c);
        break;
      case Command::Kind::Run:
      case Command::Kind::Load:
        rejectRun(c, ErrorCode::Internal, "cannot run " + c.name + ": run #" + std::to_string(run_ ? run_->id : 0) + " is paused at perform #" +
                         std::to_string(perform) + "; resume or stop it first");
        break;
      case Command::Kind::Stop:
      case Command::Kind::Quit:
        engine_.isolate().interrupt.store(false);  // the abort below ends the run instead
        return Resume{ResumeChoice::Abort, {}};
    }
  }
}

std::optional<Value> HostCore::readResumeValue(const std::string& text, RunState& rs) {
  Isolate& iso = engine_.isolate();
  ReadResult r = readString(iso, text, "<resume value>");
  if (r.error) {
    emit(RunError{rs.id, syntaxDiagnostic(iso, ErrorCode::Reader, "resume value: " + r.error->message, r.error->span)});
    return std::nullopt;
  }
  if (r.data.size() != 1) {
    emit(RunError{rs.id, plainDiagnostic(ErrorCode::Reader, "resume value: expected exactly one datum, got " +
                                                                std::to_string(r.data.size()))});
    return std::nullopt;
  }
  return r.data[0].value;
}

// The engine calls a host op inline (inline mode): record the call as a perform that was
// answered in place, with the fiber's stack around it.
Value HostCore::callOp(const std::string& name, const OpFn& op, Isolate& iso, Value args) {
  if (driverCallingOp_ || !run_ || !current_ || run_->mode != ResolverMode::Inline) return op(iso, args);
  RunState& rs = *run_;
  ++rs.performs;
  if (rs.recorded >= opts_.maxRecordedPerforms) return op(iso, args);
  ++rs.recorded;
  uint64_t perform = ++performIds_;
  Fiber& f = *current_;
  RawStack raw = rs.snapshots.capture(f);
  Performed p;
  p.run = rs.id;
  p.perform = perform;
  p.op = name;
  p.request = "{:op " + printShort(iso, iso.str(name)) + " :args " + printShort(iso, args, kMaxPrintedRequest) + "}";
  p.mode = ResolverMode::Inline;
  p.resolver = Resolver::HostOp;
  p.stack = snapshotFiber(f, &rs.snapshots);
  raw.site = p.stack.frames.back();
  emit(std::move(p));
  Resumed ev;
  ev.run = rs.id;
  ev.perform = perform;
  Clock::time_point t0 = Clock::now();
  try {
    Value v = op(iso, args);
    ev.suspendedMs = msSince(t0);
    ev.value = printShort(iso, v);
    finishResume(f, raw, ev);
    rs.snapshots.release(std::move(raw));
    emit(std::move(ev));
    return v;
  } catch (const std::exception&) {
    ev.suspendedMs = msSince(t0);
    ev.how = ResumeChoice::Failed;
    finishResume(f, raw, ev);
    rs.snapshots.release(std::move(raw));
    emit(std::move(ev));
    throw;
  }
}

}  // namespace sx::inspect::detail
