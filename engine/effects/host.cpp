#include "effects/host.h"

#include <unordered_set>

#include "cek/analyzer.h"
#include "cek/cek.h"
#include "effects/effects.h"
#include "effects/run.h"
#include "effects/runtime.h"
#include "reader/printer.h"
#include "stdlib/equality.h"
#include "value/dict.h"

namespace sx {

namespace {

constexpr int kMaxHarnessNesting = 64;
thread_local int harnessNesting = 0;

// Pushes the elements of a list onto vals; returns how many.
uint32_t spreadList(Fiber& f, Value list, const char* fn) {
  uint32_t n = 0;
  if (isVector(list)) {
    auto* v = as<Vector>(list);
    for (uint32_t i = 0; i < v->length; ++i) f.vals.push_back(v->items[i]);
    return v->length;
  }
  for (; isPair(list); list = cdr(list), ++n) f.vals.push_back(car(list));
  if (!list.isEmpty() && !list.isNil())
    throw SxError(ErrorCode::Type, std::string(fn) + ": expected a list of arguments");
  return n;
}

Value okDict(Isolate& iso, Value v) {
  Value d = iso.dict(2);
  dictSet(as<Dict>(d), iso.str("ok"), Value::t());
  dictSet(as<Dict>(d), iso.str("value"), v);
  return d;
}

StepAction callThunk(Fiber& f, Value thunk) {
  f.vals.push_back(thunk);
  return StepAction::apply(0);
}

Fiber* harnessFiber(Isolate& iso, Value s, const char* fn) {
  if (!isType(s, ObjType::FiberRef)) argTypeError(iso, fn, 1, "cek state", s);
  return as<FiberRef>(s)->fiber;
}

// Runs a harness fiber until it finishes or suspends; its uncaught error is raised in
// the calling fiber.
StepAction runHarness(Fiber& parent, Value s) {
  Fiber* child = as<FiberRef>(s)->fiber;
  if (child->state == FiberState::Done || child->state == FiberState::Suspended) return StepAction::ret(s);
  if (child->state == FiberState::Error) return StepAction::raise(child->error);
  if (harnessNesting >= kMaxHarnessNesting) throw SxError(ErrorCode::Depth, "cek-step-loop: perform harness nested too deeply");
  // The state object owns the child fiber: keep it alive while the child runs.
  RootedValues keep(parent.iso);
  keep.push(s);
  ++harnessNesting;
  RunStatus st;
  try {
    st = runFiber(*child);
  } catch (...) {
    --harnessNesting;
    throw;
  }
  --harnessNesting;
  if (st == RunStatus::Error) return StepAction::raise(child->error);
  return StepAction::ret(s);
}

Value newHarness(Fiber& f, Args args) {
  Isolate& iso = f.iso;
  Value expr = args[0];
  Value env = args.opt(1);
  // Analyse first: macro expansion may collect, and nothing below is rooted yet.
  std::vector<Value> values;
  Proto* p;
  if (isDict(env)) {
    std::vector<Value> params;
    dictForEach(as<Dict>(env), [&](Value k, Value v) {
      params.push_back(iso.intern(strView(k)));
      values.push_back(v);
    });
    p = analyzeWithParams(iso, expr, params, Span{});
  } else {
    p = analyzeToplevel(iso, expr, Span{});
  }
  auto* fiber = new Fiber(iso);
  fiber->harness = true;
  auto* ref = iso.heap.make<FiberRef>(ObjType::FiberRef);
  ref->fiber = fiber;
  if (isDict(env))
    startCall(*fiber, makeClosureValue(iso, p, nullptr), values);
  else
    startToplevel(*fiber, p);
  return Value::object(ref);
}

// %eval-in caches the analysis of an expression for a given set of local names.
struct EvalInCache {
  std::unordered_map<std::string, Value> protos;  // key: expr address + names
  std::unique_ptr<RootedValues> roots;
};

EvalInCache& evalInCache(Isolate& iso) {
  auto& slot = iso.extensions["eval-in-cache"];
  if (!slot) {
    auto c = std::make_shared<EvalInCache>();
    c->roots = std::make_unique<RootedValues>(iso);
    slot = c;
  }
  return *static_cast<EvalInCache*>(slot.get());
}

StepAction evalIn(Fiber& f, Value expr, Value bindings) {
  Isolate& iso = f.iso;
  std::vector<Value> params, values;
  std::string key = std::to_string(expr.bits());
  if (isDict(bindings)) {
    dictForEach(as<Dict>(bindings), [&](Value k, Value v) {
      params.push_back(iso.intern(strView(k)));
      values.push_back(v);
      key += '|';
      key += strView(k);
    });
  } else if (!bindings.isNil()) {
    argTypeError(iso, "%eval-in", 2, "dict", bindings);
  }
  EvalInCache& cache = evalInCache(iso);
  Value proto;
  auto it = cache.protos.find(key);
  if (it != cache.protos.end()) {
    proto = it->second;
  } else {
    if (cache.protos.size() > 8192) {
      cache.protos.clear();
      cache.roots->values.clear();
    }
    proto = Value::object(analyzeWithParams(iso, expr, params, iso.listSpan(expr)));
    cache.protos.emplace(key, proto);
    cache.roots->push(proto);
    cache.roots->push(expr);
  }
  f.vals.push_back(makeClosureValue(iso, as<Proto>(proto), nullptr));
  for (Value v : values) f.vals.push_back(v);
  return StepAction::apply(uint32_t(values.size()));
}

Frame* findScope(Fiber& f, Value name) {
  for (size_t k = f.frames.size(); k-- > 0;) {
    Frame& fr = f.frames[k];
    if (fr.kind == FrameKind::Scope && fr.j == 1 && valuesEqual(fr.a, name)) return &fr;
  }
  return nullptr;
}

}  // namespace

Value tryCallFailure(Fiber& f, uint8_t flavour, Value cond) {
  Isolate& iso = f.iso;
  if (flavour == 2) return Value::t();
  Value d = iso.dict(3);
  dictSet(as<Dict>(d), iso.str("ok"), Value::f());
  dictSet(as<Dict>(d), iso.str("error"), iso.str(raisedMessage(iso, cond)));
  if (flavour == 1) dictSet(as<Dict>(d), iso.str("error-object"), cond);
  return d;
}

StepAction runHostNative(Fiber& f, HostKind kind, size_t base, Args args) {
  Isolate& iso = f.iso;
  switch (kind) {
    case HostKind::Apply: {
      Value fn = args[0];
      std::vector<Value> fixed(args.v + 1, args.v + args.n - (args.n > 1 ? 1 : 0));
      Value list = args.n > 1 ? args[args.n - 1] : Value::empty();
      f.vals.resize(base);
      f.vals.push_back(fn);
      for (Value v : fixed) f.vals.push_back(v);
      uint32_t n = uint32_t(fixed.size()) + spreadList(f, list, "apply");
      return StepAction::apply(n);
    }
    case HostKind::CallCC:
    case HostKind::CallCCLong: {
      Value fn = args[0];
      f.vals.resize(base);
      auto* k = iso.heap.make<Continuation>(ObjType::Continuation);
      k->data = captureSegment(f, 0, false);
      f.vals.push_back(fn);
      f.vals.push_back(Value::object(k));
      return StepAction::apply(1);
    }
    case HostKind::DynamicWind: {
      Value before = args[0], thunk = args[1], after = args[2];
      f.vals.resize(base);
      Frame& fr = f.push(FrameKind::WindBefore);
      fr.a = before;
      fr.b = thunk;
      fr.c = after;
      return callThunk(f, before);
    }
    case HostKind::TryCall:
    case HostKind::TryCallFull:
    case HostKind::AssertError: {
      Value thunk = args[0];
      Value msg = args.opt(1);
      f.vals.resize(base);
      Frame& fr = f.push(FrameKind::TryCall);
      fr.flags = kind == HostKind::TryCall ? 0 : kind == HostKind::TryCallFull ? 1 : 2;
      fr.node = f.currentCall;
      fr.env = f.env;
      fr.a = msg;
      return callThunk(f, thunk);
    }
    case HostKind::WithIoHandlers: {
      Value table = args[0], thunk = args[1];
      if (!isDict(table)) argTypeError(iso, "with-io-handlers", 1, "dict of op handlers", table);
      f.vals.resize(base);
      Frame& fr = f.push(FrameKind::Handlers);
      fr.a = table;
      return callThunk(f, thunk);
    }
    case HostKind::Perform: {
      Value req = args[0];
      f.vals.resize(base);
      return performRequest(f, req);
    }
    case HostKind::Context: {
      Value name = args[0];
      Value def = args.opt(1);
      f.vals.resize(base);
      for (size_t k = f.frames.size(); k-- > 0;) {
        const Frame& fr = f.frames[k];
        if (fr.kind == FrameKind::Provide && fr.j == 2 && valuesEqual(fr.a, name)) return StepAction::ret(fr.b);
      }
      return StepAction::ret(def);
    }
    case HostKind::Emit: {
      Value name = args[0], v = args[1];
      f.vals.resize(base);
      Frame* fr = findScope(f, name);
      if (!fr) throw SxError(ErrorCode::Range, "emit!: no enclosing scope named " + displayValue(iso, name));
      fr->c = iso.cons(v, fr->c);
      return StepAction::ret(v);
    }
    case HostKind::Emitted: {
      Value name = args[0];
      f.vals.resize(base);
      Frame* fr = findScope(f, name);
      Value out = Value::empty();
      if (fr)
        for (Value c = fr->c; isPair(c); c = cdr(c)) out = iso.cons(car(c), out);
      return StepAction::ret(out);
    }
    case HostKind::Error: {
      std::string msg = displayValue(iso, args[0]);
      for (uint32_t i = 1; i < args.n; ++i) msg += " " + printValue(iso, args[i]);
      f.vals.resize(base);
      return StepAction::raise(newErrorValue(f, ErrorCode::User, msg));
    }
    case HostKind::Raise:
    case HostKind::RaiseContinuable: {
      Value v = args[0];
      f.vals.resize(base);
      return StepAction::raise(v);
    }
    case HostKind::EvalIn: {
      Value expr = args[0], bindings = args[1];
      f.vals.resize(base);
      return evalIn(f, expr, bindings);
    }
    case HostKind::Eval: {
      Value expr = args[0];
      f.vals.resize(base);
      Proto* p = analyzeToplevel(iso, expr, iso.listSpan(expr));
      return StepAction::eval(p->info->body, makeEnv(iso, p->info->nslots, nullptr));
    }
    case HostKind::MakeCekState: {
      Value s = newHarness(f, args);
      f.vals.resize(base);
      return StepAction::ret(s);
    }
    case HostKind::CekStepLoop: {
      Value s = args[0];
      harnessFiber(iso, s, "cek-step-loop");
      f.vals.resize(base);
      return runHarness(f, s);
    }
    case HostKind::CekResume: {
      Value s = args[0], v = args[1];
      Fiber* child = harnessFiber(iso, s, "cek-resume");
      if (child->state != FiberState::Suspended) throw SxError(ErrorCode::Type, "cek-resume: the state is not suspended");
      f.vals.resize(base);
      resumeWithValue(*child, v);
      return runHarness(f, s);
    }
  }
  throw SxError(ErrorCode::Internal, "unknown host native");
}

StepAction returnToHostFrame(Fiber& f, Value v) {
  Isolate& iso = f.iso;
  Frame& fr = f.frames.back();
  switch (fr.kind) {
    case FrameKind::WindBefore: {
      Value before = fr.a, thunk = fr.b, after = fr.c;
      f.frames.pop_back();
      Frame& w = f.push(FrameKind::Wind);
      w.a = before;
      w.b = after;
      w.i = ++windCounter(iso);
      return callThunk(f, thunk);
    }
    case FrameKind::Wind: {
      Value after = fr.b;
      f.frames.pop_back();
      Frame& wa = f.push(FrameKind::WindAfter);
      wa.a = v;
      return callThunk(f, after);
    }
    case FrameKind::WindAfter: {
      Value result = fr.a;
      f.frames.pop_back();
      return StepAction::ret(result);
    }
    case FrameKind::RaiseAfter: {
      Value cond = fr.a;
      f.frames.pop_back();
      return StepAction::raise(cond);
    }
    case FrameKind::TryCall: {
      uint8_t flavour = fr.flags;
      const Node* site = fr.node;
      Value msg = fr.a;
      f.frames.pop_back();
      if (flavour != 2) return StepAction::ret(okDict(iso, v));
      f.currentCall = site;
      std::string text = msg.isNil() ? "assert-error: expected an error, but the thunk returned " + printValue(iso, v)
                                     : displayValue(iso, msg);
      return StepAction::raise(newErrorValue(f, ErrorCode::User, text));
    }
    case FrameKind::Handlers:
      f.frames.pop_back();
      return StepAction::ret(v);
    case FrameKind::HandlerRun: {
      bool reports = fr.flags & kHandlerRunReports;
      int64_t tag = reports ? fr.a.asFixnum() : 0;
      f.frames.pop_back();
      if (reports && runtime(iso).handlerAnswered) runtime(iso).handlerAnswered(tag, v);
      return StepAction::ret(v);
    }
    case FrameKind::Rewind: {
      Value rest = fr.c;
      if (isPair(rest)) {
        fr.c = cdr(rest);
        return callThunk(f, car(rest));
      }
      Value k = fr.a, arg = fr.b;
      f.frames.clear();
      f.vals.clear();
      reinstateSegment(f, *as<Continuation>(k)->data);
      return StepAction::ret(arg);
    }
    default:
      throw SxError(ErrorCode::Internal, std::string("value returned to a ") + frameKindName(fr.kind) + " frame");
  }
}

StepAction invokeContinuation(Fiber& f, Value kv, Value v) {
  auto* k = as<Continuation>(kv);
  const ContinuationData& d = *k->data;
  if (k->flags & 1) {
    f.push(FrameKind::Prompt);
    reinstateSegment(f, d);
    return StepAction::ret(v);
  }
  std::unordered_set<uint32_t> current, target;
  for (const Frame& fr : f.frames)
    if (fr.kind == FrameKind::Wind) current.insert(fr.i);
  for (const Frame& fr : d.frames)
    if (fr.kind == FrameKind::Wind) target.insert(fr.i);
  std::vector<Value> thunks;
  for (size_t i = f.frames.size(); i-- > 0;)
    if (f.frames[i].kind == FrameKind::Wind && !target.count(f.frames[i].i)) thunks.push_back(f.frames[i].b);
  for (const Frame& fr : d.frames)
    if (fr.kind == FrameKind::Wind && !current.count(fr.i)) thunks.push_back(fr.a);
  if (thunks.empty()) {
    f.frames.clear();
    f.vals.clear();
    reinstateSegment(f, d);
    return StepAction::ret(v);
  }
  Frame& rw = f.push(FrameKind::Rewind);
  rw.a = kv;
  rw.b = v;
  rw.c = f.iso.listFrom(thunks.data(), thunks.size());
  return returnToHostFrame(f, Value::nil());
}

void registerHostNatives(Isolate& iso) {
  static const NativeDef kNatives[] = {
#define X(e, n, mn, mx, d) {n, nullptr, mn, mx, kNativeHost, uint16_t(HostKind::e), d},
      SX_HOST_KINDS(X)
#undef X
  };
  iso.registerNatives(kNatives, std::size(kNatives));
}

}  // namespace sx
