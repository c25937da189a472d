// Setting up the VM frames the dispatch loop (vm.cpp) runs: what a call does before
// the callee's first instruction. Internal to engine/vm.
#pragma once

#include "cek/cek.h"
#include "compiler/code.h"
#include "effects/fiber.h"

namespace sx::detail {

// The small ones are always inlined: each is on the path of every call the loop makes,
// and GCC does not inline them into the loop unasked.

inline const Code* codeOf(const Frame& fr) { return fr.code; }

// Sets up the VM frame on top for closure c; its args are at vals[base, base+argc).
void setupFrame(Fiber& f, Closure* c, Code* code, size_t base, uint32_t argc);

[[gnu::always_inline]] inline Frame& pushVmFrame(Fiber& f) {
  if (f.frames.size() >= f.iso.maxDepth) [[unlikely]]
    throw SxError(ErrorCode::Depth, "stack depth exceeded");
  return f.push(FrameKind::VM);
}

// Collects or stops at a function entry when the isolate asks for it (the check inline,
// the safepoint out of line).
void entrySafepointSlow(Fiber& f);
[[gnu::always_inline]] inline void entrySafepoint(Fiber& f) {
  Isolate& iso = f.iso;
  if (iso.heap.wantsCollect() || iso.interrupt.load(std::memory_order_relaxed)) [[unlikely]] entrySafepointSlow(f);
}

// The shape the VM and native code enter without setupFrame: the args become the first
// locals in place.
[[gnu::always_inline]] inline bool commonShape(const Code* code, uint32_t argc) {
  return !code->needsEnv && !code->isBlock && !code->hasRest && argc == code->nparams;
}

// Not yet compiled: blocks always have code; a lambda is compiled on its first call
// unless the tier or an earlier refusal says no.
Code* compileOnCall(Isolate& iso, Proto* p);

[[gnu::always_inline]] inline Code* compiledCode(Isolate& iso, Value fn) {
  if (!isType(fn, ObjType::Lambda)) return nullptr;
  Proto* p = as<Closure>(fn)->proto;
  if (p->info->tierState == TierState::Compiled) [[likely]] return p->info->code;
  return compileOnCall(iso, p);
}

}  // namespace sx::detail
