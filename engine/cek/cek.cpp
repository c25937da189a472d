// The CEK machine: the reference semantics of SX, stepping a fiber.
//
// Registers: n (control: the node being evaluated), env (environment), v (the value
// being returned); the continuation is f.frames. Three modes, as labels:
//   eval   evaluate n in env
//   ret    deliver v to the top frame
//   apply  apply vals[cb] to the argc values above it
// Constants, variables and calls of plain natives on such operands are evaluated
// directly (tryFast) without pushing frames; everything else pushes a frame.
//
// Protect rule: before anything that can collect (the safepoint at lambda entry) or
// run a nested fiber (host natives), the registers are committed to the fiber
// (commit()). Natives never collect. Errors thrown as SxError are caught in runFiber
// and raised on the fiber; they never unwind past it.
#include "cek/cek.h"

#include "effects/ho.h"
#include "effects/host.h"
#include "effects/run.h"
#include "vm/vm.h"
#include "reader/printer.h"
#include "stdlib/native.h"
#include "stdlib/prims_core.h"
#include "value/dict.h"

namespace sx {

namespace {

constexpr uint32_t kMaxFastArgs = 8;

[[noreturn]] void undefinedError(const Node* n) {
  throw SxError(ErrorCode::Undefined, "Undefined symbol: " + std::string(symName(n->k)), n->span);
}

inline Value& localSlot(Env* e, const Node* n) {
  for (uint32_t d = n->depth; d; --d) e = e->parent;
  return e->slots[n->i0];
}

inline Value globalValue(const Node* n) {
  Value v = n->cell->value;
  if (v.isUnbound()) undefinedError(n);
  return v;
}

inline bool plainNative(Value fn, const NativeDef** def) {
  if (!isNative(fn)) return false;
  *def = as<Native>(fn)->def;
  return (*def)->fn != nullptr;
}

inline Frame& pushFrame(Fiber& f, FrameKind k) {
  if (f.frames.size() >= f.iso.maxDepth) throw SxError(ErrorCode::Depth, "stack depth exceeded");
  return f.push(k);
}

// Evaluates constants, variables, and calls of plain natives whose operands are
// constants or variables. Returns false when the node needs the machine.
inline bool tryFast(Fiber& f, const Node* k, Env* env, Value& out) {
  switch (k->kind) {
    case NodeKind::Const:
      out = k->k;
      return true;
    case NodeKind::Local:
      out = localSlot(env, k);
      return true;
    case NodeKind::Global:
      out = globalValue(k);
      return true;
    case NodeKind::Call: {
      if (!(k->flags & kNodeSimplePrimCall) || k->nkids - 1u > kMaxFastArgs) return false;
      const Node* callee = k->kids[0];
      Value fn = callee->kind == NodeKind::Const ? callee->k : callee->cell->value;
      const NativeDef* def;
      if (!plainNative(fn, &def)) return false;
      Value args[kMaxFastArgs];
      uint32_t argc = k->nkids - 1u;
      for (uint32_t i = 0; i < argc; ++i) {
        const Node* a = k->kids[i + 1];
        args[i] = a->kind == NodeKind::Const ? a->k : a->kind == NodeKind::Local ? localSlot(env, a) : globalValue(a);
      }
      if (!arityFits(def, argc)) {
        f.currentCall = k;
        arityError(def->name, argc, def->minArgs, def->maxArgs);
      }
      f.currentCall = k;
      out = def->fn(f.iso, Args{args, argc});
      return true;
    }
    default:
      return false;
  }
}

Env* newEnv(Isolate& iso, uint32_t n, Env* parent) {
  auto* e = iso.heap.make<Env>(ObjType::Env, n ? (n - 1) * sizeof(Value) : 0);
  e->aux = n;
  e->parent = parent;
  for (uint32_t i = 0; i < n; ++i) e->slots[i] = Value::nil();
  return e;
}

Value makeClosure(Isolate& iso, Proto* p, Env* env) {
  auto* c = iso.heap.make<Closure>(ObjType::Lambda);
  c->proto = p;
  c->env = env;
  return Value::object(c);
}

std::string functionName(Value fn) {
  if (isType(fn, ObjType::Lambda) || isType(fn, ObjType::Macro)) {
    const std::string& n = as<Closure>(fn)->proto->info->name;
    return n.empty() ? "<lambda>" : n;
  }
  if (isNative(fn)) return as<Native>(fn)->def->name;
  return "<function>";
}

// Binds arguments into a fresh frame for the closure.
Env* bindArgs(Isolate& iso, Closure* c, const Value* args, uint32_t argc) {
  ProtoInfo* P = c->proto->info;
  if (argc != P->nparams && !(P->hasRest && argc > P->nparams)) {
    std::string msg = functionName(Value::object(c)) + ": expected " + (P->hasRest ? "at least " : "") +
                      std::to_string(P->nparams) + " argument" + (P->nparams == 1 ? "" : "s") + ", got " + std::to_string(argc);
    throw SxError(ErrorCode::Arity, msg);
  }
  Env* e = newEnv(iso, P->nslots, c->env);
  for (uint32_t i = 0; i < P->nparams; ++i) e->slots[i] = args[i];
  if (P->hasRest) e->slots[P->nparams] = iso.listFrom(args + P->nparams, argc - P->nparams);
  return e;
}

Value constructAdt(Isolate& iso, AdtCtor* ctor, const Value* args, uint32_t argc) {
  if (argc != ctor->aux)
    throw SxError(ErrorCode::Arity, std::string(ctor->ctorName->view()) + ": expected " + std::to_string(ctor->aux) +
                                        " argument" + (ctor->aux == 1 ? "" : "s") + ", got " + std::to_string(argc));
  auto* a = iso.heap.make<Adt>(ObjType::Adt, argc ? (argc - 1) * sizeof(Value) : 0);
  a->ctor = ctor;
  a->aux = argc;
  for (uint32_t i = 0; i < argc; ++i) a->fields[i] = args[i];
  return Value::object(a);
}

[[noreturn]] void notCallable(Isolate& iso, Value fn) {
  std::string shown = printValue(iso, fn);
  if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
  throw SxError(ErrorCode::NotCallable, "Not callable: " + shown + " (" + std::string(typeOfValue(fn)) + ")");
}

}  // namespace

void safepoint(Fiber& f) {
  Isolate& iso = f.iso;
  if (iso.interrupt.load(std::memory_order_relaxed)) {
    iso.interrupt.store(false);
    throw SxError(ErrorCode::Interrupted, "interrupted");
  }
  if (iso.heap.wantsCollect()) iso.heap.collect();
}

namespace {

RunStatus finishError(Fiber& f, Value cond) {
  f.state = FiberState::Error;
  f.error = cond;
  f.diagnostic = diagnosticFor(f.iso, cond);
  f.frames.clear();
  f.vals.clear();
  return RunStatus::Error;
}

RunStatus stepLoop(Fiber& f) {
  Isolate& iso = f.iso;
  std::vector<Frame>& frames = f.frames;
  std::vector<Value>& vals = f.vals;
  const Node* n;
  Env* env;
  Value v;
  uint32_t argc;
  size_t cb = 0;
  StepAction act = StepAction::ret(Value::nil());

reload:
  n = f.node;
  env = f.env;
  v = f.value;
  argc = f.applyArgc;
  switch (f.entry) {
    case Entry::Eval: goto eval;
    case Entry::Return: goto ret;
    case Entry::Apply: cb = vals.size() - argc - 1; goto apply;
  }

eval:
  switch (n->kind) {
    case NodeKind::Const:
      v = n->k;
      goto ret;
    case NodeKind::Local:
      v = localSlot(env, n);
      goto ret;
    case NodeKind::Global:
      v = globalValue(n);
      goto ret;
    case NodeKind::If: {
      Value t;
      if (tryFast(f, n->a, env, t)) {
        n = t.truthy() ? n->b : n->c;
        if (!n) {
          v = Value::nil();
          goto ret;
        }
        goto eval;
      }
      Frame& fr = pushFrame(f, FrameKind::If);
      fr.node = n;
      fr.env = env;
      n = n->a;
      goto eval;
    }
    case NodeKind::Seq: {
      uint32_t i = 0;
      Value t;
      while (i + 1u < n->nkids && tryFast(f, n->kids[i], env, t)) ++i;
      if (i + 1u == n->nkids) {
        n = n->kids[i];
        goto eval;
      }
      Frame& fr = pushFrame(f, FrameKind::Seq);
      fr.node = n;
      fr.env = env;
      fr.i = i + 1;
      n = n->kids[i];
      goto eval;
    }
    case NodeKind::Call: {
      if (n->flags & kNodeSimplePrimCall) {
        cb = vals.size();
        for (uint32_t i = 0; i < n->nkids; ++i) {
          const Node* a = n->kids[i];
          vals.push_back(a->kind == NodeKind::Const ? a->k : a->kind == NodeKind::Local ? localSlot(env, a) : globalValue(a));
        }
        argc = n->nkids - 1u;
        f.currentCall = n;
        goto apply;
      }
      Frame& fr = pushFrame(f, FrameKind::Args);
      fr.node = n;
      fr.env = env;
      fr.i = 0;
      goto args;
    }
    case NodeKind::Lambda:
      v = makeClosure(iso, n->proto, env);
      goto ret;
    case NodeKind::SetLocal:
    case NodeKind::SetGlobal:
    case NodeKind::DefineGlobal: {
      Value t;
      if (tryFast(f, n->a, env, t)) {
        v = t;
        goto assign;
      }
      Frame& fr = pushFrame(f, n->kind == NodeKind::SetLocal ? FrameKind::SetLocal : n->kind == NodeKind::SetGlobal ? FrameKind::SetGlobal : FrameKind::DefineGlobal);
      fr.node = n;
      fr.env = env;
      n = n->a;
      goto eval;
    }
    case NodeKind::And:
    case NodeKind::Or: {
      Frame& fr = pushFrame(f, n->kind == NodeKind::And ? FrameKind::And : FrameKind::Or);
      fr.node = n;
      fr.env = env;
      fr.i = 1;
      n = n->kids[0];
      goto eval;
    }
    case NodeKind::CondArrow: {
      Frame& fr = pushFrame(f, FrameKind::CondArrow);
      fr.node = n;
      fr.env = env;
      fr.j = 0;
      n = n->a;
      goto eval;
    }
    case NodeKind::Guard: {
      Frame& fr = pushFrame(f, FrameKind::Guard);
      fr.node = n;
      fr.env = env;
      n = n->a;
      goto eval;
    }
    case NodeKind::Reraise:
      act = StepAction::raise(env->slots[n->i0]);
      goto action;
    case NodeKind::Reset: {
      Frame& fr = pushFrame(f, FrameKind::Prompt);
      fr.node = n;
      fr.env = env;
      n = n->a;
      goto eval;
    }
    case NodeKind::Shift:
      env->slots[n->i0] = captureToPrompt(f);
      n = n->a;
      goto eval;
    case NodeKind::Provide:
    case NodeKind::Scope: {
      Frame& fr = pushFrame(f, n->kind == NodeKind::Provide ? FrameKind::Provide : FrameKind::Scope);
      fr.node = n;
      fr.env = env;
      fr.j = 0;
      fr.c = Value::empty();
      n = n->a;
      goto eval;
    }
  }
  throw SxError(ErrorCode::Internal, "unknown node kind");

assign:  // v is the value for the SetLocal/SetGlobal/DefineGlobal node n
  if (n->kind == NodeKind::SetLocal) {
    localSlot(env, n) = v;
  } else if (n->kind == NodeKind::SetGlobal) {
    if (n->cell->value.isUnbound())
      throw SxError(ErrorCode::Undefined, "set!: undefined variable " + std::string(symName(n->k)), n->span);
    n->cell->value = v;
  } else {
    n->cell->value = v;
  }
  goto ret;

args: {  // the top frame is Args for a Call node; evaluate its remaining operands
  Frame* fr = &frames.back();
  const Node* call = fr->node;
  env = fr->env;
  while (fr->i < call->nkids) {
    const Node* kid = call->kids[fr->i++];
    Value t;
    if (tryFast(f, kid, env, t)) {
      vals.push_back(t);
      continue;
    }
    n = kid;
    goto eval;
  }
  cb = fr->vbase;
  argc = call->nkids - 1u;
  f.currentCall = call;
  frames.pop_back();
  goto apply;
}

ret:
  if (frames.empty()) {
    f.result = v;
    f.state = FiberState::Done;
    return RunStatus::Done;
  }
  {
    Frame& fr = frames.back();
    env = fr.env;
    switch (fr.kind) {
      case FrameKind::If:
        n = v.truthy() ? fr.node->b : fr.node->c;
        frames.pop_back();
        if (!n) {
          v = Value::nil();
          goto ret;
        }
        goto eval;
      case FrameKind::Seq: {
        const Node* s = fr.node;
        uint32_t i = fr.i;
        Value t;
        while (i + 1u < s->nkids && tryFast(f, s->kids[i], env, t)) ++i;
        n = s->kids[i];
        if (i + 1u >= s->nkids)
          frames.pop_back();
        else
          fr.i = i + 1;
        goto eval;
      }
      case FrameKind::Args:
        vals.push_back(v);
        goto args;
      case FrameKind::SetLocal:
      case FrameKind::SetGlobal:
      case FrameKind::DefineGlobal:
        n = fr.node;
        frames.pop_back();
        goto assign;
      case FrameKind::And:
      case FrameKind::Or: {
        bool stop = fr.kind == FrameKind::And ? !v.truthy() : v.truthy();
        const Node* a = fr.node;
        if (stop) {
          frames.pop_back();
          goto ret;
        }
        uint32_t i = fr.i;
        n = a->kids[i];
        if (i + 1u == a->nkids)
          frames.pop_back();
        else
          fr.i = i + 1;
        goto eval;
      }
      case FrameKind::CondArrow:
        if (fr.j == 0) {
          if (!v.truthy()) {
            n = fr.node->c;
            frames.pop_back();
            if (!n) {
              v = Value::nil();
              goto ret;
            }
            goto eval;
          }
          fr.a = v;
          fr.j = 1;
          n = fr.node->b;
          goto eval;
        } else {
          Value arg = fr.a;
          frames.pop_back();
          cb = vals.size();
          vals.push_back(v);
          vals.push_back(arg);
          argc = 1;
          goto apply;
        }
      case FrameKind::Guard:
      case FrameKind::Prompt:
        frames.pop_back();
        goto ret;
      case FrameKind::Provide:
        if (fr.j == 0) {
          fr.a = v;
          fr.j = 1;
          n = fr.node->b;
          goto eval;
        }
        if (fr.j == 1) {
          fr.b = v;
          fr.j = 2;
          n = fr.node->c;
          goto eval;
        }
        frames.pop_back();
        goto ret;
      case FrameKind::Scope:
        if (fr.j == 0) {
          fr.a = v;
          fr.j = 1;
          n = fr.node->c;
          goto eval;
        }
        frames.pop_back();
        goto ret;
      case FrameKind::Ho: {
        HoAction a = hoStep(f, v);
        if (a.call) {
          argc = a.argc;
          cb = frames.back().vbase;  // f.vals ends at the frame here: the call was pushed
          goto apply;
        }
        frames.pop_back();
        v = a.value;
        goto ret;
      }
      case FrameKind::Discard:
        v = fr.a;
        frames.pop_back();
        goto ret;
      case FrameKind::VM:
        vmDeliver(f, v);
        goto vm;
      default:
        f.node = n;
        f.env = env;
        act = returnToHostFrame(f, v);
        goto action;
    }
  }

apply: {
  Value fn = vals[cb];
  if (isType(fn, ObjType::Lambda)) {
    auto* c = as<Closure>(fn);
    ProtoInfo* P = c->proto->info;
    if ((iso.tier != Tier::Cek || P->isBlock) && vmEnter(f, fn, cb, argc)) goto vm;
    env = bindArgs(iso, c, &vals[cb + 1], argc);
    vals.resize(cb);
    ++P->calls;
    n = P->body;
    if (iso.heap.wantsCollect() || iso.interrupt.load(std::memory_order_relaxed)) {
      f.node = n;
      f.env = env;
      safepoint(f);
    }
    goto eval;
  }
  if (isNative(fn)) {
    const NativeDef* d = as<Native>(fn)->def;
    if (!arityFits(d, argc)) arityError(d->name, argc, d->minArgs, d->maxArgs);
    if (d->fn) {
      v = d->fn(iso, Args{&vals[cb + 1], argc});
      vals.resize(cb);
      goto ret;
    }
    if (d->flags & kNativeHo) {
      // Copy the arguments out (the HO frame is pushed where they were).
      Value small[8];
      std::vector<Value> big;
      Value* args = small;
      if (argc > 8) {
        big.assign(vals.begin() + long(cb) + 1, vals.begin() + long(cb) + 1 + argc);
        args = big.data();
      } else {
        for (uint32_t i = 0; i < argc; ++i) small[i] = vals[cb + 1 + i];
      }
      vals.resize(cb);
      Frame& fr = pushFrame(f, FrameKind::Ho);
      fr.sub = d->hoKind;
      fr.node = f.currentCall;
      fr.a = fr.b = fr.c = Value::nil();
      HoAction a = hoStart(f, HoKind(d->hoKind), Args{args, argc});
      if (a.call) {
        argc = a.argc;
        cb = frames.back().vbase;  // f.vals ended at the frame: the call was pushed
        goto apply;
      }
      frames.pop_back();
      v = a.value;
      goto ret;
    }
    f.node = n;
    f.env = env;
    act = runHostNative(f, HostKind(d->hoKind), cb, Args{&vals[cb + 1], argc});
    goto action;
  }
  if (isType(fn, ObjType::Continuation)) {
    Value arg = argc ? vals[cb + 1] : Value::nil();
    vals.resize(cb);
    act = invokeContinuation(f, fn, arg);
    goto action;
  }
  if (isType(fn, ObjType::AdtCtor)) {
    v = constructAdt(iso, as<AdtCtor>(fn), &vals[cb + 1], argc);
    vals.resize(cb);
    goto ret;
  }
  if (isType(fn, ObjType::Component)) {
    // Components render through the prelude's %call-component.
    Value render = iso.globalValue("%call-component");
    if (render.isUnbound()) throw SxError(ErrorCode::Internal, "the prelude's %call-component is missing");
    vals.insert(vals.begin() + long(cb), render);
    ++argc;
    goto apply;
  }
  notCallable(iso, fn);
}

vm: {
  VmExit e = vmRun(f);
  switch (e.kind) {
    case VmExit::Apply:
      argc = e.argc;
      cb = vals.size() - argc - 1;
      goto apply;
    case VmExit::Return:
      v = e.value;
      goto ret;
    case VmExit::Raise:
      act = StepAction::raise(e.value);
      goto action;
    case VmExit::Suspend:
      act = StepAction::suspend();
      goto action;
  }
}

action:
  switch (act.kind) {
    case StepAction::Return:
      v = act.value;
      goto ret;
    case StepAction::Apply:
      argc = act.argc;
      cb = vals.size() - argc - 1;
      goto apply;
    case StepAction::Eval:
      n = act.node;
      env = act.env;
      goto eval;
    case StepAction::Suspend:
      f.state = FiberState::Suspended;
      f.node = n;
      f.env = env;
      return RunStatus::Suspended;
    case StepAction::Raise:
      if (!raiseInFiber(f, act.value)) return finishError(f, act.value);
      goto reload;
  }
  throw SxError(ErrorCode::Internal, "unknown step action");
}

}  // namespace

// Finds the nearest frame that handles a raise and sets the fiber up to continue there:
// a guard evaluates its clauses, try-call returns its failure dict, a dynamic-wind runs
// its after thunk first. Returns false when nothing handles it.
bool raiseInFiber(Fiber& f, Value cond) {
  bool interrupted = isType(cond, ObjType::Error) && as<ErrorObj>(cond)->code == uint32_t(ErrorCode::Interrupted);
  for (size_t k = f.frames.size(); k-- > 0;) {
    Frame& fr = f.frames[k];
    if (interrupted) continue;
    if (fr.kind == FrameKind::Guard && !fr.node) {  // a compiled guard: call its handler block
      Value handler = fr.a;
      Env* e = fr.env;
      uint32_t slot = fr.i;
      f.vals.resize(fr.vbase);
      f.frames.resize(k);
      e->slots[slot] = cond;
      f.vals.push_back(handler);
      f.applyArgc = 0;
      f.entry = Entry::Apply;
      return true;
    }
    if (fr.kind == FrameKind::Guard) {
      const Node* g = fr.node;
      Env* e = fr.env;
      f.vals.resize(fr.vbase);
      f.frames.resize(k);
      e->slots[g->i0] = cond;
      f.node = g->b;
      f.env = e;
      f.entry = Entry::Eval;
      return true;
    }
    if (fr.kind == FrameKind::TryCall) {
      uint8_t flavour = fr.flags;
      const Node* site = fr.node;
      Env* e = fr.env;
      f.vals.resize(fr.vbase);
      f.frames.resize(k);
      f.env = e;
      f.node = site;
      f.value = tryCallFailure(f, flavour, cond);
      f.entry = Entry::Return;
      return true;
    }
    if (fr.kind == FrameKind::Wind) {
      Value after = fr.b;
      f.vals.resize(fr.vbase);
      f.frames.resize(k);
      Frame& ra = f.push(FrameKind::RaiseAfter);
      ra.a = cond;
      f.vals.push_back(after);
      f.applyArgc = 0;
      f.entry = Entry::Apply;
      return true;
    }
  }
  return false;
}

RunStatus runFiber(Fiber& f) {
  f.state = FiberState::Running;
  for (;;) {
    try {
      return stepLoop(f);
    } catch (const SxError& e) {
      Value err = errorFromException(f, e);
      if (!raiseInFiber(f, err)) return finishError(f, err);
    } catch (const std::bad_alloc&) {
      Value err = errorFromException(f, SxError(ErrorCode::Range, "out of memory"));
      if (!raiseInFiber(f, err)) return finishError(f, err);
    } catch (const std::exception& e) {
      Value err = errorFromException(f, SxError(ErrorCode::Internal, std::string("internal error: ") + e.what()));
      if (!raiseInFiber(f, err)) return finishError(f, err);
    }
  }
}

Value makeClosureValue(Isolate& iso, Proto* p, Env* env) { return makeClosure(iso, p, env); }
Env* makeEnv(Isolate& iso, uint32_t slots, Env* parent) { return newEnv(iso, slots, parent); }
std::string calleeName(Value fn) { return functionName(fn); }

}  // namespace sx
