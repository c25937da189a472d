// Internals shared by the JIT's files: the context native code runs with, the register
// conventions, and the emitter entry point.
#pragma once

#include <exception>

#include <asmjit/x86.h>

#include "jit/jit_x64.h"

namespace sx::detail {

// What the native code of one jitRun shares. Lives on jitRun's C++ frame; helpers hand
// reloaded registers back through it.
struct JitCtx {
  Fiber* fiber;
  uint32_t depth = 0;        // native calls nested on the C stack (kMaxNativeDepth)
  Value* base = nullptr;     // after a helper that may move f.vals: the frame's base
  Frame* frame = nullptr;    // after a call: the caller's frame (f.frames may have moved)
  std::exception_ptr error;  // what a primitive called from native code raised
};

// The helpers native code calls (jit_runtime.cpp). None of them throws: a failure is a
// reason, and native code leaves before the instruction (the VM then carries it out).
//
// CALL: calls the closure in slot[0] with its argc arguments above it natively when it
// has native code and the common shape (its args become its first locals). The caller
// has committed its frame as waiting on the call. Returns None when the value is in
// slot[0] (ctx->base and ctx->frame reloaded); CalleeLeft when the callee left native
// code (its frame stays on the fiber for the VM); else why it was not made natively.
uint32_t jitCallHelper(JitCtx* ctx, uint32_t argc, Value* slot) noexcept;
// TAIL_CALL: replaces the top frame with a call of the closure in slot[0] (same
// conditions). Returns None when the new code is the caller's own (jump to its start),
// TailCall when it is another function's (return to the trampoline), else why not.
uint32_t jitTailCallHelper(JitCtx* ctx, uint32_t argc, Value* slot) noexcept;
// CALL_PRIM (and inline primitives' slow paths): the cell's primitive on argc values at
// args. The frame is committed as the VM commits it around a primitive call.
struct PrimResult {
  uint64_t value;
  uint64_t failed;  // nonzero: ctx->error holds what the primitive raised
};
PrimResult jitPrimHelper(JitCtx* ctx, Cell* cell, uint32_t argc, Value* args) noexcept;

// Register conventions inside native code (all callee-saved in the SysV ABI):
//   rbx = base: &f.vals[fr->vbase]; the frame's slot k is [rbx + 8k]
//   r12 = the JitCtx
//   r13 = the Frame (fr->i and fr->j are written on every exit and before every call)
//   r14 = the frame's Env (fr->env), for ENV_GET/ENV_SET
// They are reloaded from the JitCtx and the frame after a helper that may move f.vals
// or f.frames.
// The operand stack height is known statically at every instruction, so there is no
// stack-pointer register: slot j of an instruction at depth d is nlocals + d.

// Where the labels of one emission ended up: entries and native ranges (jit_x64.h).
struct JitLayout {
  std::vector<uint32_t> entries;
  std::vector<JitRange> ranges;
};

// Emits the native code of `code` into `holder` (initialised for the host). `jit` is the
// JitCode the code will belong to: exits count into jit.exits. With `iso`, each
// instruction is preceded by a comment with its bytecode line (for a logger); the
// machine code is the same either way. Returns the first asmjit error, or 0.
asmjit::Error emitFunction(asmjit::CodeHolder& holder, const Code& code, const JitCode& jit, Isolate* iso,
                           JitLayout& layout);

// The stack depth before each instruction (-1: not an instruction or unreachable),
// by the verifier's rules.
std::vector<int32_t> stackDepths(const Code& code);

// The executable memory all native code lives in (one per process; thread safe).
asmjit::JitRuntime& jitRuntime();

}  // namespace sx::detail
