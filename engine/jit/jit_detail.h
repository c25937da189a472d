// Internals shared by the JIT's files: the context native code runs with, the register
// conventions, and the emitter entry point.
#pragma once

#include <exception>

#include <asmjit/x86.h>

#include "jit/jit_x64.h"

namespace sx::detail {

// What native code of one jitRun shares: the fiber, and (later calls) the error a
// primitive raised. Lives on jitRun's C++ frame.
struct JitCtx {
  Fiber* fiber;
};

// Register conventions inside native code (all callee-saved in the SysV ABI):
//   rbx = base: &f.vals[fr->vbase]; the frame's slot k is [rbx + 8k]
//   r12 = the JitCtx
//   r13 = the Frame (fr->i and fr->j are written on every exit)
//   r14 = the frame's Env (fr->env), for ENV_GET/ENV_SET
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
