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
  explicit JitCtx(Fiber& f);
  Fiber* fiber;
  // Native calls allowed from the entry: min(kMaxNativeDepth, the SX depth limit).
  int32_t budget;
  // The same bound as a C stack address, set by the entry code: every native call nests
  // exactly 16 bytes (the call site's alignment pad and the return address), so a call
  // is allowed while rsp is above stackLimit = (rsp in the first function) - 16 * budget.
  // Comparing rsp costs no memory update on calls and returns.
  uintptr_t stackLimit = 0;
  // A helper allocated and the heap wants a collection (or it did at entry); native
  // calls then go to the VM, whose call is a safepoint.
  uint8_t gcWanted;
  const std::atomic<bool>* interrupt;  // the isolate's: native calls then go to the VM
  Value* base = nullptr;     // set by the call helpers: the callee's base
  Frame* frame = nullptr;    // set by the call helper: the callee's frame
  // When native code leaves with an Ho frame on top: what it waits for (a callback call
  // or delivering its value), which the VM carries out (jit_runtime.cpp, hoLeave).
  HoAction hoWaiting{false, 0, Value::nil()};
  std::exception_ptr error;  // what a primitive called from native code raised
};

// Native code pushes and pops VM frames itself; it relies on std::vector<T> being three
// pointers (begin, end, capacity) and std::shared_ptr<T> starting with the pointer, as
// in libstdc++ and libc++. Checked once; without it the JIT refuses every function.
bool jitLayoutSupported();

// The helpers native code calls (jit_runtime.cpp). None of them throws: a failure is a
// reason, and native code leaves before the instruction (the VM then carries it out).
struct CallResult {
  const void* entry;  // rax: native code to continue in, or null
  uint64_t reason;    // rdx: when entry is null, a JitReason (None: done, continue)
};
// CALL: for the closure in slot[0] with its argc arguments above it, when it has native
// code: pushes its frame, sets ctx->base and ctx->frame to it, and returns its entry. A
// plain native is called at once (reason None, its value in slot[0], ctx->base and
// ctx->frame the caller's). A higher-order primitive gets its Ho frame and returns the
// entry of its first callback; or None when it is done at once, as for a plain native;
// or CalleeLeft: its Ho frame waits for a callback call the VM makes. Else the reason
// the VM makes the call. The caller has committed its frame as waiting on the call.
// `sp` is rsp at the call site (for the depth bound).
CallResult jitCallHelper(JitCtx* ctx, uint32_t argc, Value* slot, uintptr_t sp) noexcept;
// After a native callee's RETURN: pops its frame and stores `value` in the caller's
// callee slot, with ctx->base and ctx->frame the caller's (reason None). When the callee
// was a callback of a higher-order primitive the call site started, steps its Ho frame
// instead: the entry of the next callback, None (done, its value stored as a callee's),
// CalleeLeft (a callback call the VM makes) or Raised.
CallResult jitReturnHelper(JitCtx* ctx, uint64_t value, uintptr_t sp) noexcept;
// TAIL_CALL: replaces the top frame with the call of the closure in slot[0] (same
// conditions), sets ctx->base and ctx->frame and returns the entry of its code; else
// the reason. A higher-order primitive replaces the frame with its Ho frame and returns
// the entry of its first callback (its frame above the Ho frame), or CalleeLeft: the Ho
// frame waits for the VM. The frame is committed at the instruction; `sp` as for CALL.
CallResult jitTailCallHelper(JitCtx* ctx, uint32_t argc, Value* slot, uintptr_t sp) noexcept;
// CALL_PRIM (and inline primitives' slow paths): the cell's primitive on argc values at
// args. The frame is committed as the VM commits it around a primitive call.
struct PrimResult {
  uint64_t value;
  uint64_t failed;  // nonzero: ctx->error holds what the primitive raised
};
PrimResult jitPrimHelper(JitCtx* ctx, Cell* cell, uint32_t argc, Value* args) noexcept;
// The float path of ADD, SUB and MUL: a boxed float of `d`.
PrimResult jitFlonumHelper(JitCtx* ctx, double d) noexcept;
// CLOSURE and BLOCK: a closure of `proto` over `env`.
PrimResult jitClosureHelper(JitCtx* ctx, Proto* proto, Env* env) noexcept;

// Register conventions inside native code (all callee-saved in the SysV ABI):
//   rbx = base: &f.vals[fr->vbase]; the frame's slot k is [rbx + 8k]
//   r12 = the JitCtx
//   r13 = the Frame (fr->i and fr->j are written on every exit and before every call)
//   r14 = the frame's Env (fr->env), for ENV_GET/ENV_SET
//   r15 = the Fiber (ctx->fiber), whose frames and vals native calls push and pop
// A native call sets them for the callee's frame, and the caller reloads its own after
// the return helper. Native code runs at rsp = 8 (mod 16), as a function just called:
// each call site aligns the stack first. An exit or RETURN is a `ret` with the reason in
// eax (RETURN: the value in rdx) to whoever called the code: the entry from C++, or the
// native code of the caller.
// The operand stack height is known statically at every instruction, so there is no
// stack-pointer register: slot j of an instruction at depth d is nlocals + d.

// Where the labels of one emission ended up: entries and native ranges (jit_x64.h).
struct JitLayout {
  std::vector<uint32_t> entries;
  std::vector<JitRange> ranges;
};

// Emits the native code of `code` into `holder` (initialised for the host). `jit` is the
// JitCode the code will belong to: slow paths and exits count into jit.counts. With `iso`, each
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
