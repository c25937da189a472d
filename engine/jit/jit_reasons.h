// Why a function has no native code (refusals) and why native code handed a frame back
// to the interpreter (exits), declared once. The enum, the names jit-stats and
// jit-inspect show, the kinds and the texts are all generated from this table.
//
// X(Enum, kind, "name", "meaning")
//   kind  Refusal: the JIT made no native code for the function (it runs in the VM)
//         Deopt:   native code stopped before an instruction it could not complete;
//                  the VM executes that instruction and native code resumes after it
//         Exit:    a normal hand-over (a return, a tail call to another function, a
//                  callee that left native code, an error raised), not a failed assumption
#pragma once

#include <cstdint>

namespace sx {

#define SX_JIT_REASONS(X)                                                                             \
  X(None, Refusal, "none", "compiled to native code")                                                 \
  X(AsmError, Refusal, "asm-error", "the assembler reported an error")                                \
  X(NoMemory, Refusal, "no-memory", "no executable memory for the native code")                       \
  X(CodeTooLarge, Refusal, "code-too-large", "more bytecode than kMaxJitBytecode")                    \
  X(Unsupported, Deopt, "unsupported", "an instruction without a native sequence")                   \
  X(NotFixnum, Deopt, "not-fixnum", "an operand of inline arithmetic or comparison was not a fixnum") \
  X(Overflow, Deopt, "overflow", "inline fixnum arithmetic overflowed")                               \
  X(NotPair, Deopt, "not-pair", "first/rest/empty? of something that is not a pair")                  \
  X(Redefined, Deopt, "redefined", "the global of an inline primitive no longer holds it")            \
  X(Unbound, Deopt, "unbound", "a global read or set before it was defined")                          \
  X(CallSlow, Deopt, "call-slow", "a call of something that is not a JIT'd lambda of the common shape") \
  X(DepthBound, Deopt, "depth-bound", "a JIT-to-JIT call past kMaxNativeDepth")                       \
  X(Safepoint, Deopt, "safepoint", "a call while the heap wants a collection or an interrupt is set")   \
  X(Raised, Exit, "raised", "a primitive called from native code raised an error")                    \
  X(Return, Exit, "return", "RETURN: the caller (native or the VM) pops the frame and takes the value on top") \
  X(TailCall, Exit, "tail-call", "a tail call replaced the frame with another function's")            \
  X(CalleeLeft, Exit, "callee-left", "a function called from native code left native code")

enum class JitReason : uint8_t {
#define X(e, kind, name, text) e,
  SX_JIT_REASONS(X)
#undef X
      Count_
};
constexpr int kJitReasonCount = int(JitReason::Count_);

enum class JitReasonKind : uint8_t { Refusal, Deopt, Exit };

JitReasonKind jitReasonKind(JitReason r);
const char* jitReasonName(JitReason r);
const char* jitReasonText(JitReason r);

}  // namespace sx
