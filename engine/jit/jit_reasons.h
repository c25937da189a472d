// Why a function has no native code (refusals), and what native code did instead of
// its fast path: slow paths it took itself and exits that handed the frame to the
// interpreter, declared once. The enum, the names jit-stats and jit-inspect show, the
// kinds and the texts are all generated from this table.
//
// X(Enum, kind, "name", "meaning")
//   kind  Refusal: the JIT made no native code for the function (it runs in the VM)
//         Slow:    a failed fast-path check; native code called the primitive itself
//         Deopt:   native code stopped before an instruction it could not complete;
//                  the VM executes that instruction and native code resumes after it
//         Exit:    a normal hand-over (a return, a callee that left native code, a
//                  call the VM drives by design, an error raised), not a failed assumption
#pragma once

#include <cstdint>

namespace sx {

#define SX_JIT_REASONS(X)                                                                             \
  X(None, Refusal, "none", "compiled to native code")                                                 \
  X(AsmError, Refusal, "asm-error", "the assembler reported an error")                                \
  X(NoMemory, Refusal, "no-memory", "no executable memory for the native code")                       \
  X(CodeTooLarge, Refusal, "code-too-large", "more bytecode than kMaxJitBytecode")                    \
  X(Layout, Refusal, "layout", "the C++ library lays out std::vector or std::shared_ptr unexpectedly") \
  X(NotFixnum, Slow, "not-fixnum", "the operand of inc or dec was not a fixnum")                     \
  X(NotNumber, Slow, "not-number", "an operand of inline arithmetic or comparison was neither a fixnum nor a float, or a comparison the float path leaves to the primitive (NaN, a fixnum past 2^53 against a float)") \
  X(Overflow, Slow, "overflow", "inline fixnum arithmetic overflowed")                                \
  X(NotPair, Slow, "not-pair", "first/rest/empty? of something that is not a pair")                   \
  X(Unsupported, Deopt, "unsupported", "an instruction without a native sequence")                   \
  X(Redefined, Deopt, "redefined", "the global of an inline primitive no longer holds it")            \
  X(Unbound, Deopt, "unbound", "a global read or set before it was defined")                          \
  X(CallSlow, Deopt, "call-slow", "a call the VM makes: a first call (it compiles), an interpreted lambda, an arity or depth error, a continuation") \
  X(Cold, Deopt, "cold", "a call of a function not hot enough for native code yet (auto tier): the VM makes it and counts it") \
  X(DepthBound, Deopt, "depth-bound", "a JIT-to-JIT call past kMaxNativeDepth")                       \
  X(Safepoint, Deopt, "safepoint", "a call while the heap wants a collection or an interrupt is set")   \
  X(HoCall, Exit, "ho-call", "a higher-order primitive called with the wrong number of arguments: the VM raises the error") \
  X(HostCall, Exit, "host-call", "a host native (perform, IO, the fiber's own): the step loop runs it") \
  X(Raised, Exit, "raised", "a primitive called from native code raised an error")                    \
  X(Return, Exit, "return", "RETURN to the VM (which pops the frame and takes the value on top); returns to native callers are not counted") \
  X(CalleeLeft, Exit, "callee-left", "a function called from native code left native code")

enum class JitReason : uint8_t {
#define X(e, kind, name, text) e,
  SX_JIT_REASONS(X)
#undef X
      Count_
};
constexpr int kJitReasonCount = int(JitReason::Count_);

enum class JitReasonKind : uint8_t { Refusal, Slow, Deopt, Exit };

JitReasonKind jitReasonKind(JitReason r);
const char* jitReasonName(JitReason r);
const char* jitReasonText(JitReason r);

}  // namespace sx
