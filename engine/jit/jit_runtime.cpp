// The JIT at run time: executable memory, compiling a Code to native code, and entering
// native code from the VM.
#include <new>

#include "jit/jit_detail.h"
#include "stdlib/native.h"

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

void compileInto(JitCode& jit, const Code& code) {
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
}

}  // namespace

JitReasonKind jitReasonKind(JitReason r) { return kReasons[int(r)].kind; }
const char* jitReasonName(JitReason r) { return kReasons[int(r)].name; }
const char* jitReasonText(JitReason r) { return kReasons[int(r)].text; }

namespace detail {

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

// Runs the top frame natively from `entry`, and after a tail call to another function
// the frame's new code from its start: the trampoline that keeps tail calls between
// different functions in constant C stack.
uint32_t runTop(JitCtx& ctx, const void* entry) {
  Fiber& f = *ctx.fiber;
  for (;;) {
    Frame& fr = f.frames.back();
    const JitCode& jit = *fr.code->jit;
    uint32_t r = jit.fn(&ctx, &fr, f.vals.data() + fr.vbase, entry);
    if (JitReason(r) != JitReason::TailCall) return r;
    entry = f.frames.back().code->jit->entryAt(0);
  }
}

// The closure `fn` runs natively from its first instruction when called with argc
// arguments: None, or why not.
JitReason nativeCallee(JitCtx& ctx, Value fn, uint32_t argc, const Code** out) {
  if (!isType(fn, ObjType::Lambda)) return JitReason::CallSlow;
  ProtoInfo* pi = as<Closure>(fn)->proto->info;
  // The first call, which compiles to bytecode under the tier policy, is the VM's.
  if (pi->tierState != TierState::Compiled) return JitReason::CallSlow;
  const Code* target = pi->code;
  if (target->needsEnv || target->isBlock || target->hasRest || argc != target->nparams) return JitReason::CallSlow;
  if (!target->jit) jitCompile(*target, pi->name);
  if (!target->jit->native() || !target->jit->entryAt(0)) return JitReason::CallSlow;
  Isolate& iso = ctx.fiber->iso;
  if (ctx.fiber->frames.size() >= iso.maxDepth) return JitReason::CallSlow;  // the VM raises the error
  if (iso.heap.wantsCollect() || iso.interrupt.load(std::memory_order_relaxed)) return JitReason::Safepoint;
  *out = target;
  return JitReason::None;
}

// Grow-only, as in the VM: slots above a frame's stack top hold values that were live.
void ensureVals(std::vector<Value>& vals, size_t need) {
  if (vals.size() < need) vals.resize(need);
}

// A plain native called with CALL: the frame holds the callee and the arguments while
// it runs, as in the VM.
uint32_t callPlainNative(JitCtx& ctx, const NativeDef* d, uint32_t argc, Value* slot) {
  Fiber& f = *ctx.fiber;
  Frame& fr = f.frames.back();
  fr.j += argc + 1;
  try {
    f.currentCall = nullptr;
    f.vmCallCode = nullptr;
    if (int(argc) < d->minArgs || (d->maxArgs >= 0 && int(argc) > d->maxArgs)) arityError(d->name, argc, d->minArgs, d->maxArgs);
    slot[0] = d->fn(f.iso, Args{slot + 1, argc});
  } catch (...) {
    ctx.error = std::current_exception();
    return uint32_t(JitReason::Raised);
  }
  fr.j -= argc + 1;
  ctx.base = f.vals.data() + fr.vbase;
  ctx.frame = &fr;
  return uint32_t(JitReason::None);
}

}  // namespace

uint32_t jitCallHelper(JitCtx* ctx, uint32_t argc, Value* slot) noexcept {
  Fiber& f = *ctx->fiber;
  Value fn = slot[0];
  if (isNative(fn) && as<Native>(fn)->def->fn) return callPlainNative(*ctx, as<Native>(fn)->def, argc, slot);
  const Code* target = nullptr;
  if (JitReason why = nativeCallee(*ctx, fn, argc, &target); why != JitReason::None) return uint32_t(why);
  if (ctx->depth >= kMaxNativeDepth) return uint32_t(JitReason::DepthBound);
  size_t calleeSlot = size_t(slot - f.vals.data());
  size_t base = calleeSlot + 1;
  try {
    ensureVals(f.vals, base + target->nlocals + target->maxStack);
    f.frames.push_back(Frame{});
  } catch (const std::bad_alloc&) {
    return uint32_t(JitReason::CallSlow);  // the VM makes the call and reports the failure
  }
  Closure* c = as<Closure>(fn);
  Frame& nf = f.frames.back();
  nf.kind = FrameKind::VM;
  nf.a = fn;
  nf.code = target;
  nf.vbase = uint32_t(base);
  nf.env = c->env;
  nf.i = 0;
  nf.j = target->nlocals;
  for (uint32_t k = argc; k < target->nlocals; ++k) f.vals[base + k] = Value::nil();
  ++c->proto->info->calls;
  ++ctx->depth;
  uint32_t r = runTop(*ctx, target->jit->entryAt(0));
  --ctx->depth;
  if (JitReason(r) != JitReason::Return) return uint32_t(JitReason::CalleeLeft);
  // The callee stopped before its RETURN: its value is on top of its stack.
  Frame& done = f.frames.back();
  Value result = f.vals[done.vbase + done.j - 1];
  f.frames.pop_back();
  f.vals[calleeSlot] = result;
  Frame& caller = f.frames.back();
  ctx->frame = &caller;
  ctx->base = f.vals.data() + caller.vbase;
  return uint32_t(JitReason::None);
}

uint32_t jitTailCallHelper(JitCtx* ctx, uint32_t argc, Value* slot) noexcept {
  Fiber& f = *ctx->fiber;
  Value fn = slot[0];
  const Code* target = nullptr;
  if (JitReason why = nativeCallee(*ctx, fn, argc, &target); why != JitReason::None) return uint32_t(why);
  Frame& fr = f.frames.back();
  size_t dst = fr.vbase - 1;  // this frame's callee slot
  size_t from = size_t(slot - f.vals.data());
  try {
    ensureVals(f.vals, dst + 1 + target->nlocals + target->maxStack);  // before anything moves
  } catch (const std::bad_alloc&) {
    return uint32_t(JitReason::CallSlow);
  }
  for (uint32_t k = 0; k <= argc; ++k) f.vals[dst + k] = f.vals[from + k];
  Closure* c = as<Closure>(fn);
  bool self = fr.code == target;
  fr.a = fn;
  fr.code = target;
  fr.env = c->env;
  fr.i = 0;
  fr.j = target->nlocals;
  for (uint32_t k = argc; k < target->nlocals; ++k) f.vals[fr.vbase + k] = Value::nil();
  ++c->proto->info->calls;
  ctx->base = f.vals.data() + fr.vbase;
  return uint32_t(self ? JitReason::None : JitReason::TailCall);
}

PrimResult jitPrimHelper(JitCtx* ctx, Cell* cell, uint32_t argc, Value* args) noexcept {
  Fiber& f = *ctx->fiber;
  const NativeDef* d = as<Native>(cell->primitive)->def;
  try {
    f.currentCall = nullptr;
    f.vmCallCode = nullptr;
    if (int(argc) < d->minArgs || (d->maxArgs >= 0 && int(argc) > d->maxArgs)) arityError(d->name, argc, d->minArgs, d->maxArgs);
    return PrimResult{d->fn(f.iso, Args{args, argc}).bits(), 0};
  } catch (...) {
    ctx->error = std::current_exception();
    return PrimResult{0, 1};
  }
}

}  // namespace detail

void jitRun(Fiber& f, const void* target) {
  detail::JitCtx ctx{&f};
  detail::runTop(ctx, target);
  if (ctx.error) std::rethrow_exception(ctx.error);
}

}  // namespace sx
