// The bytecode instruction set, declared once. Everything else (the enum, names,
// operand sizes, stack effects, the dispatch table, the JIT-support flag) is derived
// from this table.
//
// SX_OP(NAME, FORMAT, POPS, PUSHES, FLAGS, "meaning in stack notation")
//   FORMAT  operand layout: None, U8, U16, I32, U16U8 (index, count), U8U16 (hops, index)
//   POPS / PUSHES  fixed stack effect; kVar means "computed from the operands" (see
//                  stackEffect in code.cpp)
//   FLAGS   kOpJit: the baseline JIT has a native sequence for it; kOpBranch: has a jump
//           target; kOpCall: may call out (a safepoint); kOpEnd: ends the block
//           (nothing falls through)
// Operands are little-endian and follow the opcode byte. Jump offsets are relative to
// the end of the instruction.
#pragma once

#include <cstdint>

namespace sx {

enum OpFlags : uint8_t {
  kOpJit = 1 << 0,
  kOpBranch = 1 << 1,
  kOpCall = 1 << 2,
  kOpEnd = 1 << 3,
  kOpCellCheck = 1 << 4,  // first operand is a global cell that must still hold its primitive
};

constexpr int kVar = -1;

#define SX_OPCODES(SX_OP)                                                                                 \
  SX_OP(CONST, U16, 0, 1, kOpJit, "-> k[i]")                                                              \
  SX_OP(NIL, None, 0, 1, kOpJit, "-> nil")                                                                \
  SX_OP(TRUE, None, 0, 1, kOpJit, "-> true")                                                              \
  SX_OP(FALSE, None, 0, 1, kOpJit, "-> false")                                                            \
  SX_OP(POP, None, 1, 0, kOpJit, "x ->")                                                                  \
  SX_OP(DUP, None, 1, 2, kOpJit, "x -> x x")                                                              \
  SX_OP(SWAP, None, 2, 2, kOpJit, "x y -> y x")                                                           \
  SX_OP(LOCAL_GET, U16, 0, 1, kOpJit, "-> local[i]")                                                      \
  SX_OP(LOCAL_SET, U16, 1, 1, kOpJit, "x -> x; local[i] = x")                                             \
  SX_OP(ENV_GET, U8U16, 0, 1, kOpJit, "-> env(hops)[i]")                                                  \
  SX_OP(ENV_SET, U8U16, 1, 1, kOpJit, "x -> x; env(hops)[i] = x")                                         \
  SX_OP(GLOBAL_GET, U16, 0, 1, kOpJit, "-> cell(k[i]).value (error when undefined)")                      \
  SX_OP(GLOBAL_SET, U16, 1, 1, kOpJit, "x -> x; cell(k[i]).value = x (error when undefined)")             \
  SX_OP(GLOBAL_DEFINE, U16, 1, 1, kOpJit, "x -> x; cell(k[i]).value = x")                                 \
  SX_OP(JUMP, I32, 0, 0, kOpJit | kOpBranch | kOpEnd, "-> ; ip += off")                                   \
  SX_OP(JUMP_IF_FALSE, I32, 1, 0, kOpJit | kOpBranch, "x -> ; if x is falsy ip += off")                  \
  SX_OP(JUMP_IF_TRUE, I32, 1, 0, kOpJit | kOpBranch, "x -> ; if x is truthy ip += off")                  \
  SX_OP(AND_JUMP, I32, 1, kVar, kOpJit | kOpBranch, "x -> x (jump, if falsy) | -> (fall through)")        \
  SX_OP(OR_JUMP, I32, 1, kVar, kOpJit | kOpBranch, "x -> x (jump, if truthy) | -> (fall through)")        \
  SX_OP(CALL, U8, kVar, 1, kOpJit | kOpCall, "f a1..an -> (f a1..an)")                                    \
  SX_OP(TAIL_CALL, U8, kVar, 0, kOpJit | kOpCall | kOpEnd, "f a1..an -> ; return (f a1..an)")            \
  SX_OP(CALL_PRIM, U16U8, kVar, 1, kOpJit | kOpCall | kOpCellCheck, "a1..an -> (cell(k[i]) a1..an)")     \
  SX_OP(RETURN, None, 1, 0, kOpJit | kOpEnd, "x -> ; return x")                                           \
  SX_OP(CLOSURE, U16, 0, 1, kOpJit, "-> a closure of proto k[i] over this frame's env")                  \
  SX_OP(BLOCK, U16, 0, 1, kOpJit, "-> a block of proto k[i] sharing this frame's env")                   \
  SX_OP(GUARD, U16, 2, 1, kOpCall, "body handler -> (body), or (handler) with env[i] = the raised value") \
  SX_OP(RESET, None, 1, 1, kOpCall, "body -> (body) under a prompt")                                      \
  SX_OP(SHIFT, U16, 1, 1, kOpCall, "body -> (body) with env[i] = the continuation to the prompt")        \
  SX_OP(PROVIDE, None, 3, 1, kOpCall, "name value body -> (body) under a provide frame")                 \
  SX_OP(SCOPE, None, 2, 1, kOpCall, "name body -> (body) under a scope frame")                            \
  SX_OP(RAISE, None, 1, 0, kOpCall | kOpEnd, "x -> ; raise x")                                            \
  SX_OP(ADD, U16, 2, 1, kOpJit | kOpCellCheck, "a b -> (+ a b)")                                          \
  SX_OP(SUB, U16, 2, 1, kOpJit | kOpCellCheck, "a b -> (- a b)")                                          \
  SX_OP(MUL, U16, 2, 1, kOpJit | kOpCellCheck, "a b -> (* a b)")                                          \
  SX_OP(LT, U16, 2, 1, kOpJit | kOpCellCheck, "a b -> (< a b)")                                           \
  SX_OP(GT, U16, 2, 1, kOpJit | kOpCellCheck, "a b -> (> a b)")                                           \
  SX_OP(LE, U16, 2, 1, kOpJit | kOpCellCheck, "a b -> (<= a b)")                                          \
  SX_OP(GE, U16, 2, 1, kOpJit | kOpCellCheck, "a b -> (>= a b)")                                          \
  SX_OP(NUM_EQ, U16, 2, 1, kOpJit | kOpCellCheck, "a b -> (= a b)")                                       \
  SX_OP(NOT, U16, 1, 1, kOpJit | kOpCellCheck, "x -> (not x)")                                            \
  SX_OP(INC, U16, 1, 1, kOpJit | kOpCellCheck, "x -> (inc x)")                                            \
  SX_OP(DEC, U16, 1, 1, kOpJit | kOpCellCheck, "x -> (dec x)")                                            \
  SX_OP(FIRST, U16, 1, 1, kOpJit | kOpCellCheck, "xs -> (first xs)")                                      \
  SX_OP(REST, U16, 1, 1, kOpJit | kOpCellCheck, "xs -> (rest xs)")                                        \
  SX_OP(CONS, U16, 2, 1, kOpJit | kOpCellCheck, "x xs -> (cons x xs)")                                    \
  SX_OP(NILP, U16, 1, 1, kOpJit | kOpCellCheck, "x -> (nil? x)")                                          \
  SX_OP(EMPTYP, U16, 1, 1, kOpJit | kOpCellCheck, "x -> (empty? x)")                                      \
  SX_OP(LISTP, U16, 1, 1, kOpJit | kOpCellCheck, "x -> (list? x)")                                        \
  SX_OP(PAIRP, U16, 1, 1, kOpJit | kOpCellCheck, "x -> (pair? x)")

enum class Op : uint8_t {
#define SX_OP(name, fmt, pops, pushes, flags, doc) name,
  SX_OPCODES(SX_OP)
#undef SX_OP
      Count_
};

enum class OpFormat : uint8_t { None, U8, U16, I32, U16U8, U8U16 };

struct OpInfo {
  const char* name;
  OpFormat format;
  int8_t pops;
  int8_t pushes;
  uint8_t flags;
  const char* doc;
};

extern const OpInfo kOpInfo[];
constexpr int kOpCount = int(Op::Count_);

inline const OpInfo& opInfo(Op op) { return kOpInfo[int(op)]; }
// Bytes taken by the operands of a format.
int operandBytes(OpFormat f);
inline int instrLength(Op op) { return 1 + operandBytes(opInfo(op).format); }

}  // namespace sx
