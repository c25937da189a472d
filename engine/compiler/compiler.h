// The bytecode compiler: an analysed Proto (cek/node.h) to a Code object. Scope
// analysis is the analyser's: locals arrive as (depth, slot) and globals as cells, so
// the compiler's job is choosing storage (stack slots, or a heap Env when the function
// creates closures or blocks), instruction selection (CALL_PRIM and inline opcodes for
// unshadowed primitives), tail calls, and lowering the control forms that need frames
// (guard, reset/shift, provide, scope) to blocks: small code objects that run in the
// creating function's Env.
#pragma once

#include <string>

#include "cek/node.h"
#include "compiler/code.h"

namespace sx {

class Isolate;

// X(Enum, "why a function stays on the CEK")
#define SX_REFUSAL_REASONS(X)                                                     \
  X(None, "compiled")                                                             \
  X(Excluded, "excluded by jit-exclude!")                                         \
  X(TooManyConstants, "more constants than a u16 index can address")             \
  X(TooManyLocals, "more local slots than a u16 index can address")              \
  X(TooManyArguments, "a call with more arguments than CALL's u8 count allows")   \
  X(EnvTooDeep, "a variable more Env hops away than ENV_GET's u8 allows")         \
  X(CodeTooLarge, "more bytecode than a 32-bit jump can span")                    \
  X(VerifyFailed, "the verifier rejected the bytecode")

enum class RefusalReason : uint8_t {
#define X(e, d) e,
  SX_REFUSAL_REASONS(X)
#undef X
};
const char* refusalReasonName(RefusalReason r);
const char* refusalReasonText(RefusalReason r);

struct CompileResult {
  Code* code = nullptr;  // owned by the caller on success
  RefusalReason refusal = RefusalReason::None;
  std::string detail;
};

// Compiles the proto's body. Block protos made for guard/reset/shift/provide/scope are
// created on the heap and registered as children of `proto` (so they are traced).
[[nodiscard]] CompileResult compileProto(Isolate& iso, Proto* proto);

}  // namespace sx
