#include "effects/effects.h"

#include "cek/cek.h"
#include "effects/runtime.h"
#include "reader/printer.h"
#include "compiler/code.h"
#include "vm/vm.h"
#include "value/dict.h"

namespace sx {

RuntimeState& runtime(Isolate& iso) {
  if (!iso.runtime) iso.runtime = std::make_shared<RuntimeState>();
  return *iso.runtime;
}

OpTable& opTable(Isolate& iso) { return runtime(iso).ops; }

void registerOp(Isolate& iso, const std::string& name, OpFn fn) { opTable(iso).ops[name] = std::move(fn); }

uint32_t& windCounter(Isolate& iso) { return runtime(iso).windCounter; }

// ---- errors ---------------------------------------------------------------------------

namespace {

constexpr size_t kMaxStackEntries = 40;

Value stackEntry(Isolate& iso, const std::string& name, Span span, const char* tier = "cek") {
  Value d = iso.dict(5);
  const SourceFile* sf = iso.source(span.file);
  dictSet(as<Dict>(d), iso.str("name"), iso.str(name));
  dictSet(as<Dict>(d), iso.str("file"), iso.str(sf ? sf->name : std::string()));
  dictSet(as<Dict>(d), iso.str("line"), Value::fixnum(span.line));
  dictSet(as<Dict>(d), iso.str("col"), Value::fixnum(span.col));
  dictSet(as<Dict>(d), iso.str("tier"), iso.str(tier));
  return d;
}

Value captureStack(Fiber& f) {
  std::vector<Value> entries;
  const Node* last = nullptr;
  auto add = [&](const Node* n) {
    if (!n || !n->span.valid() || entries.size() >= kMaxStackEntries || n == last) return;
    last = n;
    entries.push_back(stackEntry(f.iso, n->owner ? n->owner->name : std::string(), n->span));
  };
  add(f.currentCall);
  if (!f.currentCall && f.vmCallCode) {
    Span sp = f.vmCallCode->spanAt(f.vmCallPc);
    if (sp.valid()) entries.push_back(stackEntry(f.iso, f.vmCallFn ? f.vmCallFn->name : std::string(), sp, "vm"));
  }
  for (size_t k = f.frames.size(); k-- > 0 && entries.size() < kMaxStackEntries;) {
    const Frame& fr = f.frames[k];
    if (fr.kind == FrameKind::Args || fr.kind == FrameKind::Ho) add(fr.node);
    if (fr.kind == FrameKind::VM) {
      Span sp = vmFrameSpan(fr);
      if (sp.valid()) entries.push_back(stackEntry(f.iso, as<Closure>(fr.a)->proto->info->name, sp, "vm"));
    }
  }
  return f.iso.listFrom(entries.data(), entries.size());
}

std::string stringField(Value dict, const char* key) {
  Value v = dictGet(as<Dict>(dict), key);
  return isString(v) ? std::string(strView(v)) : std::string();
}

uint32_t intField(Value dict, const char* key) {
  Value v = dictGet(as<Dict>(dict), key);
  return v.isFixnum() ? uint32_t(v.asFixnum()) : 0;
}

}  // namespace

Value newErrorValue(Fiber& f, ErrorCode code, const std::string& message) {
  Value e = f.iso.errorValue(code, message);
  as<ErrorObj>(e)->stack = captureStack(f);
  return e;
}

Value errorFromException(Fiber& f, const SxError& e) {
  Value err = newErrorValue(f, e.code, e.what());
  // A span carried by the exception (syntax errors) is the most precise location.
  if (e.span.valid()) as<ErrorObj>(err)->stack = f.iso.cons(stackEntry(f.iso, "", e.span), as<ErrorObj>(err)->stack);
  return err;
}

std::string raisedMessage(Isolate& iso, Value raised) {
  if (isType(raised, ObjType::Error)) return std::string(strView(as<ErrorObj>(raised)->message));
  return displayValue(iso, raised);
}

Diagnostic diagnosticFor(Isolate& iso, Value raised) {
  Diagnostic d;
  d.message = raisedMessage(iso, raised);
  if (!isType(raised, ObjType::Error)) {
    d.code = ErrorCode::User;
    d.message = "uncaught raise: " + printValue(iso, raised);
    return d;
  }
  auto* e = as<ErrorObj>(raised);
  d.code = ErrorCode(e->code);
  for (Value c = e->stack; isPair(c); c = cdr(c)) {
    Value entry = car(c);
    if (!isDict(entry)) continue;
    StackFrameInfo fi;
    fi.function = stringField(entry, "name");
    fi.file = stringField(entry, "file");
    fi.line = intField(entry, "line");
    fi.col = intField(entry, "col");
    fi.tier = stringField(entry, "tier");
    d.stack.push_back(fi);
  }
  if (!d.stack.empty()) {
    d.file = d.stack.front().file;
    d.line = d.stack.front().line;
    d.col = d.stack.front().col;
    for (uint32_t id = 1; iso.source(id); ++id)
      if (iso.source(id)->name == d.file) d.sourceLine = iso.sourceLine(id, d.line);
  }
  return d;
}

// ---- perform ----------------------------------------------------------------------------

namespace {

// The request's op name and args list (nil args as the empty list); throws as perform
// does for a malformed request.
void requestParts(Isolate& iso, Value req, Value* op, Value* args) {
  if (!isDict(req)) argTypeError(iso, "perform", 1, "request dict {:op name :args (...)}", req);
  // The request's two keys, hashed once.
  static const uint32_t kOpHash = hashBytes("op"), kArgsHash = hashBytes("args");
  *op = dictGet(as<Dict>(req), "op", kOpHash);
  if (!isString(*op)) throw SxError(ErrorCode::Type, "perform: the request has no :op name");
  *args = dictGet(as<Dict>(req), "args", kArgsHash);
  if (args->isUnbound() || args->isNil()) *args = Value::empty();
  if (!isList(*args)) throw SxError(ErrorCode::Type, "perform: :args must be a list");
}

// The innermost with-io-handlers table that has the op (its frame index in *index), or
// unbound; a running handler's own performs look outside its table.
Value findHandler(const Fiber& f, Value op, uint32_t* index) {
  for (size_t k = f.frames.size(); k-- > 0;) {
    const Frame& fr = f.frames[k];
    if (fr.kind == FrameKind::HandlerRun) {
      k = fr.i;
      continue;
    }
    if (fr.kind != FrameKind::Handlers) continue;
    Value h = dictGet(as<Dict>(fr.a), op);
    if (h.isUnbound()) continue;
    *index = uint32_t(k);
    return h;
  }
  return Value::unbound();
}

}  // namespace

StepAction performRequest(Fiber& f, Value req) {
  Isolate& iso = f.iso;
  ++iso.performCount;
  Value op, args;
  requestParts(iso, req, &op, &args);
  uint32_t k = 0;
  Value h = findHandler(f, op, &k);
  if (!h.isUnbound()) {
    if (iso.mode == ResolverMode::Inline || f.harness) {
      Frame& run = f.push(FrameKind::HandlerRun);
      run.i = k;
      f.vals.push_back(h);
      uint32_t n = 0;
      for (Value c = args; isPair(c); c = cdr(c), ++n) f.vals.push_back(car(c));
      return StepAction::apply(n);
    }
    f.pending = PendingPerform{req, h, k, args, op};
    return StepAction::suspend();
  }
  if (f.harness) {
    f.pending = PendingPerform{req, Value::nil(), 0, args, op};
    return StepAction::suspend();
  }
  auto& ops = opTable(iso).ops;
  auto it = ops.find(std::string(strView(op)));
  if (it == ops.end()) throw SxError(ErrorCode::UnknownOp, "unknown IO op: " + std::string(strView(op)));
  if (iso.mode == ResolverMode::Inline) return StepAction::ret(it->second(iso, args));
  f.pending = PendingPerform{req, Value::nil(), 0, args, op};
  return StepAction::suspend();
}

PerformCall performHandlerCall(const Fiber& f, Value req) {
  if (!isDict(req) || !(f.iso.mode == ResolverMode::Inline || f.harness)) return PerformCall{};
  static const uint32_t kOpHash = hashBytes("op"), kArgsHash = hashBytes("args");
  Value op = dictGet(as<Dict>(req), "op", kOpHash);
  if (!isString(op)) return PerformCall{};
  Value args = dictGet(as<Dict>(req), "args", kArgsHash);
  if (args.isUnbound() || args.isNil()) args = Value::empty();
  if (!isList(args)) return PerformCall{};
  PerformCall pc;
  pc.handler = findHandler(f, op, &pc.handlersIndex);
  if (pc.handler.isUnbound()) return PerformCall{};
  pc.args = args;
  for (Value c = args; isPair(c); c = cdr(c)) ++pc.argc;
  return pc;
}

// ---- starting, resuming, driving ------------------------------------------------------

void startToplevel(Fiber& f, Proto* p) {
  f.frames.clear();
  f.vals.clear();
  f.node = p->info->body;
  f.env = makeEnv(f.iso, p->info->nslots, nullptr);
  f.entry = Entry::Eval;
  f.state = FiberState::Ready;
}

void startCall(Fiber& f, Value fn, const std::vector<Value>& args) {
  f.frames.clear();
  f.vals.clear();
  f.vals.push_back(fn);
  for (Value a : args) f.vals.push_back(a);
  f.applyArgc = uint32_t(args.size());
  f.entry = Entry::Apply;
  f.node = nullptr;
  f.env = nullptr;
  f.state = FiberState::Ready;
}

void resumeWithValue(Fiber& f, Value v) {
  f.value = v;
  f.entry = Entry::Return;
  f.state = FiberState::Ready;
  f.pending = PendingPerform{};
}

void resumeWithError(Fiber& f, Value err) {
  f.pending = PendingPerform{};
  if (raiseInFiber(f, err)) {
    f.state = FiberState::Ready;
    return;
  }
  f.state = FiberState::Error;
  f.error = err;
  f.diagnostic = diagnosticFor(f.iso, err);
}

void resumeWithHandler(Fiber& f, int64_t answerTag) {
  PendingPerform p = f.pending;
  f.pending = PendingPerform{};
  Frame& run = f.push(FrameKind::HandlerRun);
  run.i = p.handlersIndex;
  if (answerTag) {
    run.flags = kHandlerRunReports;
    run.a = Value::fixnum(answerTag);
  }
  f.vals.push_back(p.handler);
  uint32_t n = 0;
  for (Value c = p.args; isPair(c); c = cdr(c), ++n) f.vals.push_back(car(c));
  f.applyArgc = n;
  f.entry = Entry::Apply;
  f.state = FiberState::Ready;
}

RunStatus driveToCompletion(Fiber& f) {
  for (;;) {
    RunStatus st = runFiber(f);
    if (st != RunStatus::Suspended) return st;
    if (!f.pending.handler.isNil()) {
      resumeWithHandler(f);
      continue;
    }
    auto& ops = opTable(f.iso).ops;
    auto it = ops.find(std::string(strView(f.pending.opName)));
    try {
      if (it == ops.end()) throw SxError(ErrorCode::UnknownOp, "unknown IO op: " + std::string(strView(f.pending.opName)));
      resumeWithValue(f, it->second(f.iso, f.pending.args));
    } catch (const SxError& e) {
      resumeWithError(f, errorFromException(f, e));
      if (f.state == FiberState::Error) return RunStatus::Error;
    }
  }
}

Value callSync(Isolate& iso, Value fn, const std::vector<Value>& args) {
  Fiber f(iso);
  startCall(f, fn, args);
  if (driveToCompletion(f) == RunStatus::Error) {
    Span sp;
    throw SxError(f.diagnostic.code, f.diagnostic.message, sp);
  }
  return f.result;
}

}  // namespace sx
