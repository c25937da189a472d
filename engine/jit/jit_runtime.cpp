// The JIT at run time: executable memory, compiling a Code to native code, and entering
// native code from the VM.
#include <algorithm>
#include <cstring>
#include <new>

#include "cek/cek.h"
#include "effects/effects.h"
#include "jit/jit_detail.h"
#include "stdlib/native.h"
#include "vm/tier.h"

namespace sx {

namespace {

struct ReasonInfo {
  JitReasonKind kind;
  const char* name;
  const char* text;
};

const ReasonInfo kReasons[] = {
#define X(e, kind, name, text) {JitReasonKind::kind, name, text},
    SX_JIT_REASONS(X)
#undef X
};

void refuse(JitCode& jit, JitReason r, std::string detail) {
  jit.refusal = r;
  jit.refusalDetail = std::move(detail);
  jit.fn = nullptr;
  jit.bytes = nullptr;
  jit.size = 0;
  jit.entries.clear();
  jit.ranges.clear();
}

// At most kShortLeafInstructions instructions, none a call (CALL_PRIM calls a plain
// primitive: bounded) and no jump backwards: the function runs briefly, whatever it is
// given.
bool shortLeaf(const Code& code) {
  uint32_t count = 0;
  for (uint32_t pc = 0; pc < code.bytes.size(); ++count) {
    Op op = Op(code.bytes[pc]);
    uint32_t next = pc + uint32_t(instrLength(op));
    if (count == kShortLeafInstructions || op == Op::CALL || op == Op::TAIL_CALL) return false;
    if (!(opInfo(op).flags & kOpJit)) return false;
    if ((opInfo(op).flags & kOpBranch) && readI32(code.bytes.data() + pc + 1) < 0) return false;
    pc = next;
  }
  return true;
}

void compileInto(JitCode& jit, const Code& code) {
  if (!detail::jitLayoutSupported()) return refuse(jit, JitReason::Layout, "");
  if (code.bytes.size() > kMaxJitBytecode) return refuse(jit, JitReason::CodeTooLarge, std::to_string(code.bytes.size()) + " bytes");
  asmjit::JitRuntime& rt = detail::jitRuntime();
  asmjit::CodeHolder holder;
  holder.init(rt.environment());
  detail::JitLayout layout;
  asmjit::Error err = detail::emitFunction(holder, code, jit, nullptr, layout);
  if (err != asmjit::kErrorOk) return refuse(jit, JitReason::AsmError, asmjit::DebugUtils::errorAsString(err));
  JitCode::Fn fn = nullptr;
  err = rt.add(&fn, &holder);
  if (err != asmjit::kErrorOk) return refuse(jit, JitReason::NoMemory, asmjit::DebugUtils::errorAsString(err));
  jit.fn = fn;
  jit.bytes = reinterpret_cast<const uint8_t*>(fn);
  jit.size = uint32_t(holder.textSection()->buffer().size());
  jit.entries = std::move(layout.entries);
  jit.ranges = std::move(layout.ranges);
  jit.nparams = code.nparams;
  jit.nlocals = code.nlocals;
  jit.frameSlots = code.nlocals + code.maxStack;
  if (!code.needsEnv && !code.hasRest && !code.isBlock) jit.callEntry = jit.entryAt(0);
  jit.shortLeaf = shortLeaf(code);
}

}  // namespace

JitReasonKind jitReasonKind(JitReason r) { return kReasons[int(r)].kind; }
const char* jitReasonName(JitReason r) { return kReasons[int(r)].name; }
const char* jitReasonText(JitReason r) { return kReasons[int(r)].text; }

namespace detail {

JitCtx::JitCtx(Fiber& f)
    : fiber(&f),
      budget(int32_t(std::min<size_t>(kMaxNativeDepth, f.iso.maxDepth > f.frames.size() ? f.iso.maxDepth - f.frames.size() : 0))),
      gcWanted(f.iso.heap.wantsCollect()),
      interrupt(&f.iso.interrupt) {}

bool jitLayoutSupported() {
  static const bool ok = [] {
    std::vector<Frame> frames(3);
    frames.reserve(5);
    std::vector<Value> vals(2);
    auto jit = std::make_shared<JitCode>();
    const void* w[3];
    static_assert(sizeof(frames) == sizeof(w) && sizeof(vals) == sizeof(w));
    std::memcpy(w, &frames, sizeof w);
    bool framesOk = w[0] == frames.data() && w[1] == frames.data() + 3 && w[2] == frames.data() + frames.capacity();
    std::memcpy(w, &vals, sizeof w);
    bool valsOk = w[0] == vals.data() && w[1] == vals.data() + 2;
    std::memcpy(w, &jit, sizeof(void*));
    return framesOk && valsOk && w[0] == jit.get();
  }();
  return ok;
}

// Never destroyed: Code objects (and their native code) may outlive any static owner.
asmjit::JitRuntime& jitRuntime() {
  static asmjit::JitRuntime* rt = new asmjit::JitRuntime();
  return *rt;
}

}  // namespace detail

JitCode::~JitCode() {
  if (fn) detail::jitRuntime().release(fn);
}

void jitCompile(const Code& code, const std::string& name) {
  if (code.jit) return;
  try {
    auto jit = std::make_shared<JitCode>();
    compileInto(*jit, code);
    code.enterNative = jit->native() && !jit->shortLeaf;
    code.jit = std::move(jit);
  } catch (const std::bad_alloc&) {
    // No memory for the JIT's own tables: the function runs in the VM.
    auto jit = std::make_shared<JitCode>();
    refuse(*jit, JitReason::NoMemory, "out of memory while compiling " + name);
    code.jit = std::move(jit);
  }
}

namespace detail {

namespace {

// The closure `fn` runs natively from its first instruction when called with argc
// arguments: None, or why not.
JitReason nativeCallee(JitCtx& ctx, Value fn, uint32_t argc, const Code** out) {
  if (isNative(fn)) {
    const NativeDef* d = as<Native>(fn)->def;
    if (d->flags & kNativeHo) return JitReason::HoCall;  // a callback that is one: the VM calls it
    if (!d->fn) return JitReason::HostCall;
  }
  if (!isType(fn, ObjType::Lambda)) return JitReason::CallSlow;
  ProtoInfo* pi = as<Closure>(fn)->proto->info;
  // The first call, which compiles to bytecode under the tier policy, is the VM's.
  if (pi->tierState != TierState::Compiled) return JitReason::CallSlow;
  const Code* target = pi->code;
  // Blocks are entered by the VM's control forms; an arity error is the VM's to raise.
  if (target->isBlock || (argc != target->nparams && !(target->hasRest && argc > target->nparams))) return JitReason::CallSlow;
  if (!target->jit) {
    // Not hot yet (auto tier): the VM makes the call, and counts it.
    if (!tierUpDue(ctx.fiber->iso, *pi)) return JitReason::Cold;
    jitCompile(*target, pi->name);
  }
  if (!target->jit->native() || !target->jit->entryAt(0)) return JitReason::CallSlow;
  Isolate& iso = ctx.fiber->iso;
  if (ctx.fiber->frames.size() >= iso.maxDepth) return JitReason::CallSlow;  // the VM raises the error
  if (iso.heap.wantsCollect() || iso.interrupt.load(std::memory_order_relaxed)) return JitReason::Safepoint;
  *out = target;
  return JitReason::None;
}

CallResult noCall(JitReason r) { return CallResult{nullptr, uint64_t(r)}; }

// After anything that may have allocated: native calls check the flag, not the heap.
void noteAllocation(JitCtx& ctx) {
  if (ctx.fiber->iso.heap.wantsCollect()) ctx.gcWanted = 1;
}

// The VM's frame setup (vm.cpp, setupFrame) in two steps: what allocates (the rest
// list, the Env of a function that needs one), reading the args where they are; then
// the frame itself, which cannot fail. A failure in the first step changes nothing.
struct Prepared {
  Value rest;
  Env* env;
};

Prepared prepareFrame(Isolate& iso, Value fn, const Code* target, const Value* args, uint32_t argc) {
  Closure* c = as<Closure>(fn);
  Value rest = target->hasRest ? iso.listFrom(args + target->nparams, argc - target->nparams) : Value::empty();
  if (!target->needsEnv) return Prepared{rest, c->env};
  Env* e = makeEnv(iso, target->nslots, c->env);
  for (uint32_t k = 0; k < target->nparams; ++k) e->slots[k] = args[k];
  if (target->hasRest) e->slots[target->nparams] = rest;
  return Prepared{rest, e};
}

// The frame `fr` of closure fn, its args at vals[base, base+argc).
void installFrame(Fiber& f, Frame& fr, Value fn, const Code* target, size_t base, const Prepared& p) {
  if (!target->needsEnv) {
    Value* locals = f.vals.data() + base;
    uint32_t filled = target->nparams;
    if (target->hasRest) locals[filled++] = p.rest;
    for (uint32_t k = filled; k < target->nlocals; ++k) locals[k] = Value::nil();
  }
  fr.kind = FrameKind::VM;
  fr.a = fn;
  fr.code = target;
  fr.vbase = uint32_t(base);
  fr.env = p.env;
  fr.i = 0;
  fr.j = target->needsEnv ? 0 : target->nlocals;
  ++as<Closure>(fn)->proto->info->calls;
}

size_t frameExtent(const Code* target) { return (target->needsEnv ? 0 : target->nlocals) + target->maxStack; }

// A plain native called with CALL: the frame holds the callee and the arguments while
// it runs, as in the VM.
CallResult callPlainNative(JitCtx& ctx, const NativeDef* d, uint32_t argc, Value* slot) {
  Fiber& f = *ctx.fiber;
  Frame& fr = f.frames.back();
  fr.j += argc + 1;
  try {
    f.currentCall = nullptr;
    f.vmCallCode = nullptr;
    if (!arityFits(d, argc)) arityError(d->name, argc, d->minArgs, d->maxArgs);
    slot[0] = d->fn(f.iso, Args{slot + 1, argc});
  } catch (...) {
    ctx.error = std::current_exception();
    return noCall(JitReason::Raised);
  }
  fr.j -= argc + 1;
  noteAllocation(ctx);
  ctx.base = f.vals.data() + fr.vbase;
  ctx.frame = &fr;
  return noCall(JitReason::None);
}

// The registers of the frame on top, a VM frame native code continues in.
void callerRegs(JitCtx& ctx) {
  Fiber& f = *ctx.fiber;
  ctx.frame = &f.frames.back();
  ctx.base = f.vals.data() + ctx.frame->vbase;
}

// Pushes the frame of closure fn (its native code `target`, from nativeCallee) with its
// args at vals[base, base+argc), points ctx->base and ctx->frame at it and returns its
// entry; false when that fails (no memory), having changed nothing.
bool enterNative(JitCtx& ctx, Value fn, const Code* target, size_t base, uint32_t argc, CallResult* out) {
  Fiber& f = *ctx.fiber;
  try {
    growVals(f.vals, base + std::max<size_t>(argc, frameExtent(target)));
    Prepared p = prepareFrame(f.iso, fn, target, f.vals.data() + base, argc);
    f.frames.emplace_back();
    installFrame(f, f.frames.back(), fn, target, base, p);
  } catch (const std::bad_alloc&) {
    return false;
  }
  noteAllocation(ctx);
  ctx.base = f.vals.data() + base;
  ctx.frame = &f.frames.back();
  *out = CallResult{target->jit->entryAt(0), 0};
  return true;
}

// ---- higher-order primitives called from native code -----------------------------------
// A CALL of map, filter, reduce... pushes the Ho frame as the VM's CALL does, and the call
// site runs its callbacks natively: jitCallHelper starts the primitive and returns the
// first callback's entry; each callback's return comes to jitReturnHelper, which steps
// the Ho frame (as the VM's RETURN into one does) and returns the next callback's entry,
// until the primitive is done and its value is in the caller's callee slot. A TAIL_CALL
// of one replaces its frame with the Ho frame and continues in the first callback: the
// callbacks then return to the call site of the function that made the tail call, which
// drives the Ho frame the same way. All the state stays in the Ho frame, so a callback
// that cannot be called natively (not JIT'd, a native, a safepoint due) or that leaves
// native code is simply continued by the VM: native code leaves as for a callee that
// left (CalleeLeft), and jitRun hands the VM what the Ho frame on top waits for.

// Leaves `act` (what the Ho frame on top asked for) to the VM.
CallResult hoLeave(JitCtx& ctx, const HoAction& act) {
  ctx.hoWaiting = act;
  return noCall(JitReason::CalleeLeft);
}

// The callback `last` that just returned natively is called again with as many
// arguments: its frame goes back in place, the new arguments where its locals start
// (ho.h), and it runs from its first instruction. Skips what nativeCallee and
// enterNative find out again for every item of a map. (Only the closure is taken from
// the returned frame: native code has just stored its i and j, and loading the frame
// whole would stall on those stores.)
bool reenterCallback(JitCtx& ctx, Value last, Value fn, uint32_t argc, uintptr_t sp, CallResult* out) {
  Fiber& f = *ctx.fiber;
  if (fn != last || sp <= ctx.stackLimit) return false;
  Closure* c = as<Closure>(fn);
  ProtoInfo* pi = c->proto->info;
  const Code* code = pi->code;
  if (pi->tierState != TierState::Compiled || !code->jit) return false;
  const JitCode& jit = *code->jit;
  if (!jit.callEntry || argc != jit.nparams || ctx.interrupt->load(std::memory_order_relaxed)) return false;
  uint32_t base = f.frames.back().vbase + 1;
  try {
    growVals(f.vals, base + jit.frameSlots);  // the extent the last one had: no growing
    f.frames.emplace_back();
  } catch (const std::bad_alloc&) {
    return false;
  }
  Frame& fr = f.frames.back();
  fr.kind = FrameKind::VM;
  fr.a = fn;
  fr.code = code;
  fr.env = c->env;
  fr.vbase = base;
  fr.j = jit.nlocals;
  Value* locals = f.vals.data() + base;
  for (uint32_t k = argc; k < jit.nlocals; ++k) locals[k] = Value::nil();
  ++pi->calls;
  ctx.base = locals;
  ctx.frame = &fr;
  *out = CallResult{jit.callEntry, 0};
  return true;
}

// Enters the callback the Ho frame on top asked for natively, if it can be (`sp`: rsp
// at the call site that will receive its return; `last`: the callback that just
// returned natively, or nil); else leaves the call to the VM.
CallResult hoCall(JitCtx& ctx, const HoAction& act, uintptr_t sp, Value last) {
  Fiber& f = *ctx.fiber;
  Isolate& iso = f.iso;
  // A collection that is due happens here, where the VM would make it (at the callback's
  // entry): every value native code has is in the fiber, committed at its call. Without
  // this, a long map would leave native code at its first collection. An interrupt is
  // the VM's to raise.
  if (iso.heap.wantsCollect() && !iso.interrupt.load(std::memory_order_relaxed)) {
    iso.heap.collect();
    ctx.gcWanted = 0;
  }
  size_t cb = f.frames.back().vbase;  // the call's callee slot (ho.h)
  Value fn = f.vals[cb];
  const Code* target = nullptr;
  CallResult entry;
  if (!last.isNil() && reenterCallback(ctx, last, fn, act.argc, sp, &entry)) return entry;
  // A short leaf is left to the VM too: its loop over a short leaf, interpreted, beats
  // entering and leaving native code through these helpers for every item.
  if (nativeCallee(ctx, fn, act.argc, &target) == JitReason::None && !target->jit->shortLeaf &&
      sp > ctx.stackLimit && enterNative(ctx, fn, target, cb + 1, act.argc, &entry))
    return entry;
  return hoLeave(ctx, act);
}

// At the call site driving the Ho frame on top: the next callback, or the value when
// done, delivered as the VM delivers it (vmDeliver) into the call site's callee slot.
// Below a finished Ho frame may be another one, whose callback tail-called this
// primitive: the value is that callback's, and steps that primitive in turn.
CallResult hoNext(JitCtx& ctx, HoAction act, uintptr_t sp, Value last = Value::nil()) {
  Fiber& f = *ctx.fiber;
  for (;; last = Value::nil()) {
    if (act.call) return hoCall(ctx, act, sp, last);
    f.frames.pop_back();
    if (f.frames.back().kind != FrameKind::Ho) break;
    act = hoStep(f, act.value);
    noteAllocation(ctx);
  }
  // A perform's handler that callPerform entered tail-called this primitive: the value
  // is the handler's answer, the perform's value.
  if (f.frames.back().kind == FrameKind::HandlerRun) f.frames.pop_back();
  Frame& caller = f.frames.back();
  growVals(f.vals, caller.vbase + frameExtent(caller.code));
  f.vals[caller.vbase + caller.j] = act.value;
  callerRegs(ctx);
  return noCall(JitReason::None);
}

// Pushes the Ho frame of primitive d with the argc args at slot[1..] (copied first, as
// the VM copies them: its calls reuse their slots) at vals[at], and starts it.
HoAction startHo(JitCtx& ctx, const NativeDef* d, uint32_t argc, const Value* slot, size_t at) {
  Fiber& f = *ctx.fiber;
  Value small[8];
  std::vector<Value> big;
  Value* args = small;
  if (argc > 8) {
    big.assign(slot + 1, slot + 1 + argc);
    args = big.data();
  } else {
    std::copy(slot + 1, slot + 1 + argc, small);
  }
  Frame& hf = f.push(FrameKind::Ho);
  hf.vbase = uint32_t(at);
  hf.sub = d->hoKind;
  hf.a = hf.b = hf.c = Value::nil();
  HoAction act = hoStart(f, HoKind(d->hoKind), Args{args, argc});
  noteAllocation(ctx);
  return act;
}

// CALL: the VM's CALL of a higher-order primitive (vm.cpp).
CallResult callHo(JitCtx& ctx, const NativeDef* d, uint32_t argc, Value* slot, uintptr_t sp) {
  Fiber& f = *ctx.fiber;
  if (!arityFits(d, argc)) return noCall(JitReason::HoCall);  // the VM raises the error
  try {
    f.currentCall = nullptr;
    f.vmCallCode = nullptr;
    return hoNext(ctx, startHo(ctx, d, argc, slot, size_t(slot - f.vals.data())), sp);
  } catch (...) {
    ctx.error = std::current_exception();
    return noCall(JitReason::Raised);
  }
}

// TAIL_CALL (the frame committed at the instruction): the VM's TAIL_CALL of a callee it
// does not run itself (vm.cpp), then the step loop's apply of it (cek.cpp). Only the
// first callback is entered here; the VM delivers a value when it is done at once, since
// the frame below may be anything.
CallResult tailCallHo(JitCtx& ctx, const NativeDef* d, uint32_t argc, Value* slot, uintptr_t sp) {
  Fiber& f = *ctx.fiber;
  if (!arityFits(d, argc)) return noCall(JitReason::HoCall);
  try {
    Frame& fr = f.frames.back();
    f.currentCall = nullptr;
    f.vmCallCode = fr.code;
    f.vmCallPc = fr.i;
    f.vmCallFn = as<Closure>(fr.a)->proto->info;
    size_t dst = fr.vbase - 1;  // this frame's callee slot
    f.frames.pop_back();
    HoAction act = startHo(ctx, d, argc, slot, dst);
    return act.call ? hoCall(ctx, act, sp, Value::nil()) : hoLeave(ctx, act);
  } catch (...) {
    ctx.error = std::current_exception();
    return noCall(JitReason::Raised);
  }
}

// The most arguments callPerform passes to a handler (kept on the C stack while the
// handler's frame is prepared); a handler given more is called by the VM.
constexpr uint32_t kMaxNativePerformArgs = 8;

// CALL of perform with a request an SX handler answers at once (inline mode, a harness):
// what the VM's perform does (vm.cpp, do_perform, and performRequest) with the handler
// entered natively: the HandlerRun frame pushed, the handler and the request's args in
// place of perform and the request, its frame above. Its RETURN comes to
// jitReturnHelper, which pops both frames and stores the answer in the call's slot, as
// the VM's RETURN does. Any other perform, or a handler that cannot be entered
// natively, is the VM's (HostCall), with nothing changed.
CallResult callPerform(JitCtx& ctx, Value* slot, uintptr_t sp) {
  Fiber& f = *ctx.fiber;
  Isolate& iso = f.iso;
  PerformCall pc = performHandlerCall(f, slot[1]);
  if (pc.handler.isUnbound() || pc.argc > kMaxNativePerformArgs) return noCall(JitReason::HostCall);
  const Code* target = nullptr;
  if (nativeCallee(ctx, pc.handler, pc.argc, &target) != JitReason::None || sp <= ctx.stackLimit ||
      f.frames.size() + 1 >= iso.maxDepth)
    return noCall(JitReason::HostCall);
  Value args[kMaxNativePerformArgs];
  uint32_t n = 0;
  for (Value c = pc.args; isPair(c); c = cdr(c)) args[n++] = car(c);
  size_t at = size_t(slot - f.vals.data());  // perform's slot: the handler's callee slot
  Prepared p{Value::empty(), nullptr};
  try {
    growVals(f.vals, at + 1 + std::max<size_t>(n, frameExtent(target)));
    f.frames.reserve(f.frames.size() + 2);
    p = prepareFrame(iso, pc.handler, target, args, n);
  } catch (const std::bad_alloc&) {
    return noCall(JitReason::HostCall);
  }
  ++iso.performCount;
  f.currentCall = nullptr;
  f.vmCallCode = nullptr;
  Frame& run = f.frames.emplace_back();
  run.kind = FrameKind::HandlerRun;
  run.i = pc.handlersIndex;
  run.vbase = uint32_t(at);
  Value* v = f.vals.data() + at;
  v[0] = pc.handler;
  for (uint32_t k = 0; k < n; ++k) v[1 + k] = args[k];
  f.frames.emplace_back();
  installFrame(f, f.frames.back(), pc.handler, target, at + 1, p);
  noteAllocation(ctx);
  ctx.base = v + 1;
  ctx.frame = &f.frames.back();
  return CallResult{target->jit->entryAt(0), 0};
}

}  // namespace

CallResult jitCallHelper(JitCtx* ctx, uint32_t argc, Value* slot, uintptr_t sp) noexcept {
  Fiber& f = *ctx->fiber;
  Value fn = slot[0];
  if (isNative(fn)) {
    const NativeDef* d = as<Native>(fn)->def;
    if (d->fn) return callPlainNative(*ctx, d, argc, slot);
    if (d->flags & kNativeHo) return callHo(*ctx, d, argc, slot, sp);
    if ((d->flags & kNativeHost) && HostKind(d->hoKind) == HostKind::Perform && argc == 1) return callPerform(*ctx, slot, sp);
  }
  const Code* target = nullptr;
  if (JitReason why = nativeCallee(*ctx, fn, argc, &target); why != JitReason::None) return noCall(why);
  if (sp <= ctx->stackLimit) return noCall(f.frames.size() >= f.iso.maxDepth ? JitReason::CallSlow : JitReason::DepthBound);
  CallResult entry;
  if (!enterNative(*ctx, fn, target, size_t(slot - f.vals.data()) + 1, argc, &entry))
    return noCall(JitReason::CallSlow);  // the VM makes the call and reports the failure
  return entry;
}

CallResult jitReturnHelper(JitCtx* ctx, uint64_t value, uintptr_t sp) noexcept {
  Fiber& f = *ctx->fiber;
  uint32_t calleeSlot = f.frames.back().vbase - 1;
  if (f.frames.end()[-2].kind == FrameKind::Ho) {
    // A callback of a primitive this call site started: as the VM's RETURN into an Ho frame.
    Value last = f.frames.back().a;
    f.frames.pop_back();
    try {
      HoAction act = hoStep(f, Value::fromBits(value));
      noteAllocation(*ctx);
      return hoNext(*ctx, act, sp, last);
    } catch (...) {
      ctx->error = std::current_exception();
      return noCall(JitReason::Raised);
    }
  }
  f.frames.pop_back();
  // A perform's handler that callPerform entered: its answer is the perform's value.
  if (f.frames.back().kind == FrameKind::HandlerRun) f.frames.pop_back();
  f.vals[calleeSlot] = Value::fromBits(value);
  callerRegs(*ctx);
  return noCall(JitReason::None);
}

CallResult jitTailCallHelper(JitCtx* ctx, uint32_t argc, Value* slot, uintptr_t sp) noexcept {
  Fiber& f = *ctx->fiber;
  Value fn = slot[0];
  if (isNative(fn) && (as<Native>(fn)->def->flags & kNativeHo)) return tailCallHo(*ctx, as<Native>(fn)->def, argc, slot, sp);
  const Code* target = nullptr;
  if (JitReason why = nativeCallee(*ctx, fn, argc, &target); why != JitReason::None) return noCall(why);
  Frame& fr = f.frames.back();
  size_t dst = fr.vbase - 1;  // this frame's callee slot
  size_t from = size_t(slot - f.vals.data());
  // What allocates happens before anything moves: a failure leaves the frame as it
  // was, and the VM then makes the call.
  Prepared p{Value::empty(), nullptr};
  try {
    growVals(f.vals, dst + 1 + std::max<size_t>(argc, frameExtent(target)));
    p = prepareFrame(f.iso, fn, target, f.vals.data() + from + 1, argc);
  } catch (const std::bad_alloc&) {
    return noCall(JitReason::CallSlow);
  }
  for (uint32_t k = 0; k <= argc; ++k) f.vals[dst + k] = f.vals[from + k];
  installFrame(f, fr, fn, target, dst + 1, p);
  noteAllocation(*ctx);
  callerRegs(*ctx);
  return CallResult{target->jit->entryAt(0), 0};
}

PrimResult jitPrimHelper(JitCtx* ctx, Cell* cell, uint32_t argc, Value* args) noexcept {
  Fiber& f = *ctx->fiber;
  const NativeDef* d = as<Native>(cell->primitive)->def;
  try {
    f.currentCall = nullptr;
    f.vmCallCode = nullptr;
    if (!arityFits(d, argc)) arityError(d->name, argc, d->minArgs, d->maxArgs);
    Value r = d->fn(f.iso, Args{args, argc});
    noteAllocation(*ctx);
    return PrimResult{r.bits(), 0};
  } catch (...) {
    ctx->error = std::current_exception();
    return PrimResult{0, 1};
  }
}

PrimResult jitFlonumHelper(JitCtx* ctx, double d) noexcept {
  try {
    Value r = ctx->fiber->iso.flonum(d);
    noteAllocation(*ctx);
    return PrimResult{r.bits(), 0};
  } catch (...) {
    ctx->error = std::current_exception();
    return PrimResult{0, 1};
  }
}

PrimResult jitClosureHelper(JitCtx* ctx, Proto* proto, Env* env) noexcept {
  try {
    Value r = makeClosureValue(ctx->fiber->iso, proto, env);
    noteAllocation(*ctx);
    return PrimResult{r.bits(), 0};
  } catch (...) {
    ctx->error = std::current_exception();
    return PrimResult{0, 1};
  }
}

}  // namespace detail

bool jitRun(Fiber& f, const void* target, HoAction* hoWaiting) {
  detail::JitCtx ctx(f);
  Frame& fr = f.frames.back();
  uint32_t why = fr.code->jit->fn(&ctx, &fr, f.vals.data() + fr.vbase, target);
  if (ctx.error) std::rethrow_exception(ctx.error);
  if (f.frames.back().kind == FrameKind::Ho) {
    *hoWaiting = ctx.hoWaiting;
    return true;
  }
  // The frame that returned is on top: its RETURN hands it to the VM (jit_emit.cpp).
  if (JitReason(why) == JitReason::Return) ++f.frames.back().code->jit->counts[size_t(JitReason::Return)];
  return false;
}

}  // namespace sx
