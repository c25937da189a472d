// The VM dispatch loop.
//
// A VM frame's values live in f.vals: [vbase, vbase+nlocals) are its stack-allocated
// locals (none when the function keeps its locals in a heap Env), above them the operand
// stack; vals[vbase-1] is the slot of the callee, where the frame's result goes. While
// a frame runs, f.vals is sized to the frame's full extent and `sp` points into it.
//
// Protect rule: before anything that can throw, allocate a frame, collect, call out or
// leave the loop, commit the instruction pointer and stack height to the frame
// (SAVE()). A frame that is not running has i = the next instruction and j = the stack
// height without the callee and arguments of the call it is waiting on.
//
// The jit and auto tiers run the same loop with kJit: DISPATCH enters a frame's native
// code (engine/jit) where it has an entry; native code hands the frame back before an
// instruction it does not complete, and the loop executes that one instruction itself.
// A function without native code yet is compiled when the tier policy says it is due
// (tierUpDue: at once in the jit tier, once hot in the auto tier), checked where counts
// change: at its first instruction (a call) and after a back-edge (a backward jump or a
// self tail call), so a loop running in the VM continues natively at its header.
#include "vm/vm.h"

#include "cek/cek.h"
#include "compiler/code.h"
#include "effects/effects.h"
#include "effects/ho.h"
#include "effects/host.h"
#include "jit/jit_x64.h"
#include "stdlib/native.h"
#include "vm/tier.h"
#include "vm/vm_frames.h"

namespace sx {

thread_local VmTracer vmTracer;

namespace {

using namespace detail;

template <bool kTracing, bool kJit>
VmExit run(Fiber& f) {
  Isolate& iso = f.iso;
  std::vector<Frame>& frames = f.frames;
  std::vector<Value>& vals = f.vals;

  static void* const kDispatch[] = {
#define SX_OP(name, fmt, pops, pushes, flags, doc) &&L_##name,
      SX_OPCODES(SX_OP)
#undef SX_OP
  };
  // kJit: every instruction of a frame that may enter native code goes to jit_enter.
  static void* const kToJit[] = {
#define SX_OP(name, fmt, pops, pushes, flags, doc) &&jit_enter,
      SX_OPCODES(SX_OP)
#undef SX_OP
  };

  Frame* fr;
  const Code* code;
  const uint8_t* start;
  const uint8_t* ip;
  Value* base;
  Value* sp;
  const Value* K;
  Env* env;
  void* const* table = kDispatch;  // what DISPATCH goes through (kJit: kToJit or kDispatch)
  uint32_t argc = 0;
  Value callee;
  HoAction hoAct{false, 0, Value::nil()};

#define LOAD()                                                        \
  do {                                                                \
    fr = &frames.back();                                              \
    code = codeOf(*fr);                                               \
    growVals(vals, fr->vbase + code->nlocals + code->maxStack);       \
    start = code->bytes.data();                                       \
    ip = start + fr->i;                                               \
    base = vals.data() + fr->vbase;                                   \
    sp = base + fr->j;                                                \
    K = code->consts.data();                                          \
    env = fr->env;                                                    \
    if (kJit) table = code->enterNative || ip == start ? kToJit : kDispatch; \
  } while (0)
#define SAVE()                              \
  do {                                      \
    fr->i = uint32_t(ip - start);           \
    fr->j = uint32_t(sp - base);            \
  } while (0)
#define TRACE()                                                                                   \
  do {                                                                                            \
    if (kTracing) {                                                                               \
      SAVE();                                                                                     \
      vmTracer.fn(vmTracer.ctx, f, *fr, uint32_t(ip - start), base + code->nlocals, sp);           \
    }                                                                                             \
  } while (0)
// kJit: a frame whose code has native code to enter anywhere (Code::enterNative), or
// is at its first instruction, goes to jit_enter: `table` is kToJit for it, set where
// the frame or its code changes (LOAD, ENTER_COMMON, jit_enter), else kDispatch. A
// table rather than a test before the jump, which made GCC merge every instruction's
// indirect jump into one (mispredicted) jump. The vm tier's instantiation uses kDispatch.
// BACK_EDGE: a backward jump was taken (ip is at its target, the loop header).
#define DISPATCH()                                            \
  do {                                                        \
    TRACE();                                                  \
    goto*(kJit ? table : kDispatch)[*ip];                     \
  } while (0)
#define BACK_EDGE()                                         \
  do {                                                      \
    ++as<Closure>(fr->a)->proto->info->loops;               \
    if (kJit && !code->jit) goto jit_enter;  /* tier-up due? */ \
  } while (0)
// The frame on top (just pushed, or tail-calling) becomes closure c's (code `target`, of
// the common shape), its args in place at vals[newBase, newBase+argc) as its first
// locals: sets it up and the registers directly (setupFrame and LOAD()), then `dispatch`.
#define ENTER_COMMON(c, target, newBase, dispatch)                                            \
  do {                                                                                        \
    Frame& nf = frames.back();                                                                \
    nf.i = 0;                                                                                 \
    nf.a = Value::object(c);                                                                  \
    nf.code = (target);                                                                       \
    nf.vbase = uint32_t(newBase);                                                             \
    nf.env = (c)->env;                                                                        \
    nf.j = (target)->nlocals;                                                                 \
    growVals(vals, (newBase) + (target)->nlocals + (target)->maxStack);                           \
    for (uint32_t i = argc; i < (target)->nlocals; ++i) vals[(newBase) + i] = Value::nil();   \
    if (iso.heap.wantsCollect() || iso.interrupt.load(std::memory_order_relaxed)) [[unlikely]] { \
      entrySafepoint(f);                                                                      \
      LOAD();                                                                                 \
      dispatch;                                                                               \
    }                                                                                         \
    fr = &nf;                                                                                 \
    code = (target);                                                                          \
    start = ip = (target)->bytes.data();                                                      \
    base = vals.data() + (newBase);                                                           \
    sp = base + (target)->nlocals;                                                            \
    K = (target)->consts.data();                                                              \
    env = nf.env;                                                                             \
    if (kJit) table = kToJit;                                                                 \
    dispatch;                                                                                 \
  } while (0)
// A callback the VM loop itself calls (a perform's handler, an HO frame's callee):
// `closure` with code `target`, its args at vals[newBase, newBase+argc), called from a
// pushed frame. A short leaf is cheaper to interpret than to enter (kShortLeafInstructions).
#define CALLBACK_DISPATCH()                        \
  do {                                             \
    if (kJit && code->jit && code->jit->shortLeaf) { \
      table = kDispatch;                           \
      goto* kDispatch[*ip];                        \
    }                                              \
    DISPATCH();                                    \
  } while (0)
#define ENTER_CALLBACK(closure, target, newBase)                                        \
  do {                                                                                \
    Closure* cb = (closure);                                                          \
    ++cb->proto->info->calls;                                                         \
    pushVmFrame(f);                                                                   \
    if (commonShape(target, argc)) ENTER_COMMON(cb, target, newBase, CALLBACK_DISPATCH()); \
    setupFrame(f, cb, target, newBase, argc);                                         \
    entrySafepoint(f);                                                                \
    LOAD();                                                                           \
    CALLBACK_DISPATCH();                                                              \
  } while (0)
#define CELL(p) as<Cell>(K[readU16(p)])
#define SP_INDEX() size_t(sp - vals.data())

  LOAD();
  DISPATCH();

L_CONST:
  *sp++ = K[readU16(ip + 1)];
  ip += 3;
  DISPATCH();
L_NIL:
  *sp++ = Value::nil();
  ip += 1;
  DISPATCH();
L_TRUE:
  *sp++ = Value::t();
  ip += 1;
  DISPATCH();
L_FALSE:
  *sp++ = Value::f();
  ip += 1;
  DISPATCH();
L_POP:
  --sp;
  ip += 1;
  DISPATCH();
L_DUP:
  sp[0] = sp[-1];
  ++sp;
  ip += 1;
  DISPATCH();
L_SWAP: {
  Value t = sp[-1];
  sp[-1] = sp[-2];
  sp[-2] = t;
  ip += 1;
  DISPATCH();
}
L_LOCAL_GET:
  *sp++ = base[readU16(ip + 1)];
  ip += 3;
  DISPATCH();
L_LOCAL_SET:
  base[readU16(ip + 1)] = sp[-1];
  ip += 3;
  DISPATCH();
L_ENV_GET: {
  Env* e = env;
  for (uint32_t h = readU8(ip + 1); h; --h) e = e->parent;
  *sp++ = e->slots[readU16(ip + 2)];
  ip += 4;
  DISPATCH();
}
L_ENV_SET: {
  Env* e = env;
  for (uint32_t h = readU8(ip + 1); h; --h) e = e->parent;
  e->slots[readU16(ip + 2)] = sp[-1];
  ip += 4;
  DISPATCH();
}
L_GLOBAL_GET: {
  Cell* c = CELL(ip + 1);
  ip += 3;
  if (c->value.isUnbound()) {
    SAVE();
    throw SxError(ErrorCode::Undefined, "Undefined symbol: " + std::string(symName(c->name)));
  }
  *sp++ = c->value;
  DISPATCH();
}
L_GLOBAL_SET: {
  Cell* c = CELL(ip + 1);
  ip += 3;
  if (c->value.isUnbound()) {
    SAVE();
    throw SxError(ErrorCode::Undefined, "set!: undefined variable " + std::string(symName(c->name)));
  }
  c->value = sp[-1];
  DISPATCH();
}
L_GLOBAL_DEFINE:
  CELL(ip + 1)->value = sp[-1];
  ip += 3;
  DISPATCH();
L_JUMP: {
  int32_t off = readI32(ip + 1);
  ip += 5 + off;
  if (off < 0) BACK_EDGE();
  DISPATCH();
}
L_JUMP_IF_FALSE: {
  Value t = *--sp;
  int32_t off = readI32(ip + 1);
  ip += 5;
  if (!t.truthy()) {
    ip += off;
    if (off < 0) BACK_EDGE();
  }
  DISPATCH();
}
L_JUMP_IF_TRUE: {
  Value t = *--sp;
  int32_t off = readI32(ip + 1);
  ip += 5;
  if (t.truthy()) {
    ip += off;
    if (off < 0) BACK_EDGE();
  }
  DISPATCH();
}
L_AND_JUMP: {
  int32_t off = readI32(ip + 1);
  ip += 5;
  if (!sp[-1].truthy())
    ip += off;
  else
    --sp;
  DISPATCH();
}
L_OR_JUMP: {
  int32_t off = readI32(ip + 1);
  ip += 5;
  if (sp[-1].truthy())
    ip += off;
  else
    --sp;
  DISPATCH();
}

L_CALL:
  argc = readU8(ip + 1);
  ip += 2;
do_call : {
  // The callee and its arguments are the top argc+1 values; ip is past the call.
  callee = sp[-int(argc) - 1];
  if (isType(callee, ObjType::Lambda)) {
    ProtoInfo* pi = as<Closure>(callee)->proto->info;
    if (Code* target = compiledCode(iso, callee)) {
      sp -= argc + 1;
      SAVE();
      size_t newBase = SP_INDEX() + 1;
      Closure* c = as<Closure>(callee);
      ++pi->calls;
      pushVmFrame(f);
      if (commonShape(target, argc)) ENTER_COMMON(c, target, newBase, DISPATCH());
      setupFrame(f, c, target, newBase, argc);
      entrySafepoint(f);
      LOAD();
      DISPATCH();
    }
  }
  if (isNative(callee)) {
    const NativeDef* d = as<Native>(callee)->def;
    if (d->fn) {
      SAVE();
      f.currentCall = nullptr;
      f.vmCallCode = nullptr;
      if (!arityFits(d, argc)) arityError(d->name, argc, d->minArgs, d->maxArgs);
      Value r = d->fn(iso, Args{sp - argc, argc});
      sp -= argc + 1;
      *sp++ = r;
      DISPATCH();
    }
    if (d->flags & kNativeHo) {
      // A higher-order primitive: its frame goes on the fiber and the VM drives it, so
      // callbacks that are compiled run without leaving this loop.
      if (!arityFits(d, argc)) {
        SAVE();
        arityError(d->name, argc, d->minArgs, d->maxArgs);
      }
      Value small[8];
      std::vector<Value> big;
      Value* args = small;
      if (argc > 8) {
        big.assign(sp - argc, sp);
        args = big.data();
      } else {
        for (uint32_t i = 0; i < argc; ++i) small[i] = sp[int(i) - int(argc)];
      }
      sp -= argc + 1;
      SAVE();
      f.currentCall = nullptr;
      f.vmCallCode = nullptr;
      Frame& hf = f.push(FrameKind::Ho);
      hf.vbase = uint32_t(SP_INDEX());  // vals keeps this frame's extent for the callbacks
      hf.sub = d->hoKind;
      hf.a = hf.b = hf.c = Value::nil();
      hoAct = hoStart(f, HoKind(d->hoKind), Args{args, argc});
      goto ho_action;
    }
    if ((d->flags & kNativeHost) && HostKind(d->hoKind) == HostKind::Perform && argc == 1) goto do_perform;
  }
  // Anything else is carried out by the step loop.
  sp -= argc + 1;
  SAVE();
  f.currentCall = nullptr;
  f.vmCallCode = nullptr;
  vals.resize(SP_INDEX() + argc + 1);
  return VmExit{VmExit::Apply, argc, Value::nil()};
}

do_perform : {
  // (perform request), made here rather than by the step loop: answered at once (an
  // inline op), a handler called in this loop, or the fiber suspended.
  Value req = sp[-1];
  sp -= 2;
  SAVE();
  f.currentCall = nullptr;
  f.vmCallCode = nullptr;
  vals.resize(SP_INDEX());
  StepAction act = performRequest(f, req);
  if (act.kind == StepAction::Suspend) return VmExit{VmExit::Suspend, 0, Value::nil()};
  if (act.kind == StepAction::Return) {
    vmDeliver(f, act.value);
    LOAD();
    DISPATCH();
  }
  // A handler's call: its HandlerRun frame is pushed, the handler and args are on top.
  argc = act.argc;
  size_t hb = vals.size() - argc - 1;
  callee = vals[hb];
  if (Code* target = compiledCode(iso, callee)) ENTER_CALLBACK(as<Closure>(callee), target, hb + 1);
  return VmExit{VmExit::Apply, argc, Value::nil()};
}

L_TAIL_CALL: {
  argc = readU8(ip + 1);
  ip += 2;
  callee = sp[-int(argc) - 1];
  if (callee == fr->a && commonShape(code, argc)) {
    // A self tail call (a loop): the frame restarts in place, its closure, code and env
    // unchanged; the args (on the operand stack, above the locals) become its first locals.
    const Value* from = sp - argc;
    for (uint32_t i = 0; i < argc; ++i) base[i] = from[i];
    for (uint32_t i = argc; i < code->nlocals; ++i) base[i] = Value::nil();
    sp = base + code->nlocals;
    ip = start;
    ProtoInfo* pi = as<Closure>(callee)->proto->info;
    ++pi->calls;
    ++pi->loops;
    if (iso.heap.wantsCollect() || iso.interrupt.load(std::memory_order_relaxed)) [[unlikely]] {
      SAVE();
      entrySafepoint(f);
      LOAD();
    }
    if (kJit) table = kToJit;
    DISPATCH();
  }
  size_t dst = fr->vbase - 1;  // this frame's callee slot
  Value* from = sp - argc - 1;
  for (uint32_t i = 0; i <= argc; ++i) vals[dst + i] = from[i];
  if (Code* target = compiledCode(iso, callee)) {
    Closure* c = as<Closure>(callee);
    ProtoInfo* pi = c->proto->info;
    ++pi->calls;
    if (c->proto == as<Closure>(fr->a)->proto) ++pi->loops;  // a self tail call: a loop
    if (commonShape(target, argc)) ENTER_COMMON(c, target, dst + 1, DISPATCH());  // this frame
    setupFrame(f, c, target, dst + 1, argc);
    entrySafepoint(f);
    LOAD();
    DISPATCH();
  }
  f.currentCall = nullptr;
  f.vmCallCode = code;
  f.vmCallPc = uint32_t(ip - start - 2);
  f.vmCallFn = as<Closure>(fr->a)->proto->info;
  frames.pop_back();
  vals.resize(dst + argc + 1);
  return VmExit{VmExit::Apply, argc, Value::nil()};
}

L_CALL_PRIM: {
  Cell* c = CELL(ip + 1);
  argc = readU8(ip + 3);
  ip += 4;
  if (c->value == c->primitive) {
    const NativeDef* d = as<Native>(c->primitive)->def;
    SAVE();
    f.currentCall = nullptr;
    f.vmCallCode = nullptr;
    if (!arityFits(d, argc)) arityError(d->name, argc, d->minArgs, d->maxArgs);
    Value r = d->fn(iso, Args{sp - argc, argc});
    sp -= argc;
    *sp++ = r;
    DISPATCH();
  }
  // The global was redefined: call whatever it holds now.
  for (Value* p = sp; p > sp - argc; --p) p[0] = p[-1];
  sp[-int(argc)] = c->value;
  ++sp;
  goto do_call;
}

L_RETURN: {
  Value r = sp[-1];
  size_t calleeSlot = fr->vbase - 1;
  frames.pop_back();
  if (!frames.empty() && frames.back().kind == FrameKind::VM) {
    vals[calleeSlot] = r;
    ++frames.back().j;
    LOAD();
    DISPATCH();
  }
  if (!frames.empty() && frames.back().kind == FrameKind::Ho) {
    hoAct = hoStep(f, r);  // the next callback's frame goes where this one was
    goto ho_action;
  }
  // A perform's handler answered (do_perform): the answer goes to the VM frame that made
  // the perform, as the step loop would deliver it. A handler whose answer is reported to
  // the host returns through the step loop.
  if (frames.size() >= 2 && frames.back().kind == FrameKind::HandlerRun &&
      !(frames.back().flags & kHandlerRunReports) && frames[frames.size() - 2].kind == FrameKind::VM) {
    // vals keeps the handler's slots (above the frame's stack top): shrinking it here
    // made LOAD grow it again one slot at a time at every perform.
    frames.pop_back();
    vmDeliver(f, r);
    LOAD();
    DISPATCH();
  }
  vals.resize(calleeSlot);
  return VmExit{VmExit::Return, 0, r};
}

ho_action : {
  // The Ho frame on top asked for a call (its callee at its vbase, ho.h) or is done.
  size_t cbi = frames.back().vbase;
  if (hoAct.call) {
    argc = hoAct.argc;
    callee = vals[cbi];
    if (Code* target = compiledCode(iso, callee)) ENTER_CALLBACK(as<Closure>(callee), target, cbi + 1);
    vals.resize(cbi + argc + 1);
    return VmExit{VmExit::Apply, argc, Value::nil()};
  }
  frames.pop_back();
  if (!frames.empty() && frames.back().kind == FrameKind::VM) {
    vmDeliver(f, hoAct.value);
    LOAD();
    DISPATCH();
  }
  vals.resize(cbi);
  return VmExit{VmExit::Return, 0, hoAct.value};
}

L_CLOSURE:
  *sp++ = makeClosureValue(iso, as<Proto>(K[readU16(ip + 1)]), env);
  ip += 3;
  DISPATCH();
L_BLOCK:
  *sp++ = makeClosureValue(iso, as<Proto>(K[readU16(ip + 1)]), env);
  ip += 3;
  DISPATCH();

  // Control forms: push their frame, then run the body block above it.
#define ENTER_BLOCK(body)                                \
  do {                                                   \
    size_t at = SP_INDEX();                              \
    vals[at] = (body);                                   \
    Closure* bc = as<Closure>(vals[at]);                 \
    ++bc->proto->info->calls;                            \
    pushVmFrame(f);                                      \
    setupFrame(f, bc, bc->proto->info->code, at + 1, 0); \
    LOAD();                                              \
    DISPATCH();                                          \
  } while (0)

L_GUARD: {
  uint32_t slot = readU16(ip + 1);
  ip += 3;
  Value handler = sp[-1], body = sp[-2];
  sp -= 2;
  SAVE();
  Frame& g = f.push(FrameKind::Guard);
  g.env = env;
  g.a = handler;
  g.i = slot;
  g.vbase = uint32_t(SP_INDEX());
  ENTER_BLOCK(body);
}
L_RESET: {
  ip += 1;
  Value body = *--sp;
  SAVE();
  Frame& p = f.push(FrameKind::Prompt);
  p.vbase = uint32_t(SP_INDEX());
  ENTER_BLOCK(body);
}
L_SHIFT: {
  uint32_t slot = readU16(ip + 1);
  ip += 3;
  Value body = *--sp;
  SAVE();
  Env* shiftEnv = env;
  vals.resize(SP_INDEX());
  shiftEnv->slots[slot] = captureToPrompt(f);
  // The body runs in place of the whole reset: its callee slot is just above the prompt.
  size_t at = vals.size();
  vals.push_back(body);
  Closure* bc = as<Closure>(body);
  ++bc->proto->info->calls;
  pushVmFrame(f);
  setupFrame(f, bc, bc->proto->info->code, at + 1, 0);
  LOAD();
  DISPATCH();
}
L_PROVIDE: {
  ip += 1;
  Value body = sp[-1], value = sp[-2], name = sp[-3];
  sp -= 3;
  SAVE();
  Frame& p = f.push(FrameKind::Provide);
  p.j = 2;
  p.a = name;
  p.b = value;
  p.vbase = uint32_t(SP_INDEX());
  ENTER_BLOCK(body);
}
L_SCOPE: {
  ip += 1;
  Value body = sp[-1], name = sp[-2];
  sp -= 2;
  SAVE();
  Frame& s = f.push(FrameKind::Scope);
  s.j = 1;
  s.a = name;
  s.c = Value::empty();
  s.vbase = uint32_t(SP_INDEX());
  ENTER_BLOCK(body);
}
L_RAISE: {
  ip += 1;
  Value v = *--sp;
  SAVE();
  vals.resize(SP_INDEX());
  return VmExit{VmExit::Raise, 0, v};
}

  // ---- inline primitives: fast paths, else the primitive itself, else a generic call
  // when the global was redefined ------------------------------------------------------
#define PRIM_SLOW(n)                                                   \
  do {                                                                 \
    SAVE();                                                            \
    f.currentCall = nullptr;                                           \
    const NativeDef* d = as<Native>(c->primitive)->def;                \
    Value r = d->fn(iso, Args{sp - (n), (n)});                         \
    sp -= (n);                                                         \
    *sp++ = r;                                                         \
    DISPATCH();                                                        \
  } while (0)
#define PRIM_REDEFINED(n)                                      \
  do {                                                         \
    for (Value* p = sp; p > sp - (n); --p) p[0] = p[-1];       \
    sp[-(n)] = c->value;                                       \
    ++sp;                                                      \
    argc = (n);                                                \
    goto do_call;                                              \
  } while (0)
#define BINARY_PRIM(fast)                                  \
  {                                                        \
    Cell* c = CELL(ip + 1);                                \
    ip += 3;                                               \
    if (c->value != c->primitive) PRIM_REDEFINED(2);       \
    Value a = sp[-2], b = sp[-1];                          \
    fast;                                                  \
    PRIM_SLOW(2);                                          \
  }
#define UNARY_PRIM(fast)                                   \
  {                                                        \
    Cell* c = CELL(ip + 1);                                \
    ip += 3;                                               \
    if (c->value != c->primitive) PRIM_REDEFINED(1);       \
    Value a = sp[-1];                                      \
    fast;                                                  \
    PRIM_SLOW(1);                                          \
  }
#define FIXNUM_ARITH(builtin)                                                          \
  if (a.isFixnum() && b.isFixnum()) {                                                  \
    int64_t r;                                                                         \
    if (!builtin(a.asFixnum(), b.asFixnum(), &r) && Value::fitsFixnum(r)) {            \
      sp[-2] = Value::fixnum(r);                                                       \
      --sp;                                                                            \
      DISPATCH();                                                                      \
    }                                                                                  \
  }
#define FIXNUM_COMPARE(cmp)                                     \
  if (a.isFixnum() && b.isFixnum()) {                           \
    sp[-2] = Value::boolean(a.asFixnum() cmp b.asFixnum());     \
    --sp;                                                       \
    DISPATCH();                                                 \
  }

L_ADD:
  BINARY_PRIM(FIXNUM_ARITH(__builtin_add_overflow))
L_SUB:
  BINARY_PRIM(FIXNUM_ARITH(__builtin_sub_overflow))
L_MUL:
  BINARY_PRIM(FIXNUM_ARITH(__builtin_mul_overflow))
L_LT:
  BINARY_PRIM(FIXNUM_COMPARE(<))
L_GT:
  BINARY_PRIM(FIXNUM_COMPARE(>))
L_LE:
  BINARY_PRIM(FIXNUM_COMPARE(<=))
L_GE:
  BINARY_PRIM(FIXNUM_COMPARE(>=))
L_NUM_EQ:
  // (= a b) with a symbol on either side: a symbol (interned) equals only itself, as
  // equality says (stdlib/equality.cpp) and as native code does (jit_emit_numbers.cpp).
  BINARY_PRIM(FIXNUM_COMPARE(==) if (isType(a, ObjType::Symbol) || isType(b, ObjType::Symbol)) {
    sp[-2] = Value::boolean(a == b);
    --sp;
    DISPATCH();
  })
L_CONS:
  BINARY_PRIM(if (isList(b)) {
    sp[-2] = iso.cons(a, b);
    --sp;
    DISPATCH();
  })
L_NOT:
  UNARY_PRIM({
    sp[-1] = Value::boolean(!a.truthy());
    DISPATCH();
  })
L_INC:
  UNARY_PRIM(if (a.isFixnum() && a.asFixnum() < Value::kFixMax) {
    sp[-1] = Value::fixnum(a.asFixnum() + 1);
    DISPATCH();
  })
L_DEC:
  UNARY_PRIM(if (a.isFixnum() && a.asFixnum() > Value::kFixMin) {
    sp[-1] = Value::fixnum(a.asFixnum() - 1);
    DISPATCH();
  })
L_FIRST:
  UNARY_PRIM(if (isPair(a)) {
    sp[-1] = car(a);
    DISPATCH();
  })
L_REST:
  UNARY_PRIM(if (isPair(a)) {
    sp[-1] = cdr(a);
    DISPATCH();
  })
L_NILP:
  UNARY_PRIM({
    sp[-1] = Value::boolean(a.isNil());
    DISPATCH();
  })
L_EMPTYP:
  UNARY_PRIM(if (isPair(a) || a.isEmpty()) {
    sp[-1] = Value::boolean(a.isEmpty());
    DISPATCH();
  })
L_LISTP:
  UNARY_PRIM({ sp[-1] = Value::boolean(isList(a)); DISPATCH(); })
L_PAIRP:
  UNARY_PRIM({ sp[-1] = Value::boolean(isPair(a)); DISPATCH(); })

  // ---- the jit and auto tiers: the frame's code gets native code when the tier policy
  // says it is due; where it has an entry for this instruction, native code runs the
  // frame from here until it stops before an instruction, which the loop then executes
  // (DESIGN §5) -------------------------------------------------------------------------
jit_enter: {
  // Where the VM executes this instruction itself, the frame's next ones come back here
  // only if it has native code to enter anywhere.
  table = code->enterNative ? kToJit : kDispatch;
  if (!code->jit) {
    const ProtoInfo* pi = as<Closure>(fr->a)->proto->info;
    if (!tierUpDue(iso, *pi)) goto* kDispatch[*ip];
    jitCompile(*code, pi->name);
    table = code->enterNative ? kToJit : kDispatch;
  }
  const JitCode& jit = *code->jit;
  // A short leaf the VM has started (a callback, or after an exit) finishes in the VM.
  if (jit.shortLeaf && ip != start) goto* kDispatch[*ip];
  const void* entry = jit.native() ? jit.entryAt(uint32_t(ip - start)) : nullptr;
  if (!entry) goto* kDispatch[*ip];
  SAVE();
  if (jitRun(f, entry, &hoAct)) goto ho_action;  // a higher-order primitive native code started
  LOAD();
  goto* kDispatch[*ip];
}

#undef LOAD
#undef SAVE
#undef TRACE
#undef DISPATCH
#undef CELL
#undef ENTER_COMMON
#undef BACK_EDGE
#undef SP_INDEX
#undef ENTER_BLOCK
#undef PRIM_SLOW
#undef PRIM_REDEFINED
#undef BINARY_PRIM
#undef UNARY_PRIM
#undef FIXNUM_ARITH
#undef FIXNUM_COMPARE
}

}  // namespace

VmExit vmRun(Fiber& f) {
  if (vmTracer.fn) return run<true, false>(f);
  Tier t = f.iso.tier;
  return t == Tier::Jit || t == Tier::Auto ? run<false, true>(f) : run<false, false>(f);
}

}  // namespace sx
