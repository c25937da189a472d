// The emitter's internals, shared by jit_emit.cpp (the function, exits, inline
// instructions), jit_emit_numbers.cpp (arithmetic and comparisons) and
// jit_emit_calls.cpp (calls): register conventions, the field offsets native code uses,
// out-of-line stubs, and the Emitter class.
#pragma once

#include <cstddef>

#include "jit/jit_detail.h"

namespace sx::detail {

using asmjit::CodeHolder;
using asmjit::Label;
using asmjit::imm;
using asmjit::x86::CondCode;
using asmjit::x86::Mem;
namespace x86 = asmjit::x86;

const x86::Gp kBase = x86::rbx;
const x86::Gp kCtx = x86::r12;
const x86::Gp kFrame = x86::r13;
const x86::Gp kEnv = x86::r14;
const x86::Gp kFiber = x86::r15;

// Field offsets. Heap objects derive from Obj (single, non-virtual inheritance), which
// makes them non-standard-layout for offsetof; GCC and Clang lay them out as plain
// structs and support offsetof on them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
constexpr int32_t kFrameKind = offsetof(Frame, kind);
constexpr int32_t kFrameI = offsetof(Frame, i);
constexpr int32_t kFrameJ = offsetof(Frame, j);
constexpr int32_t kFrameEnv = offsetof(Frame, env);
constexpr int32_t kObjType = offsetof(Obj, type);
constexpr int32_t kEnvParent = offsetof(Env, parent);
constexpr int32_t kEnvSlots = offsetof(Env, slots);
constexpr int32_t kCellValue = offsetof(Cell, value);
constexpr int32_t kCellPrimitive = offsetof(Cell, primitive);
constexpr int32_t kPairCar = offsetof(Pair, car);
constexpr int32_t kPairCdr = offsetof(Pair, cdr);
constexpr int32_t kFloatValue = offsetof(Float, value);
constexpr int32_t kCtxBase = offsetof(JitCtx, base);
constexpr int32_t kCtxFrame = offsetof(JitCtx, frame);
constexpr int32_t kCtxFiber = offsetof(JitCtx, fiber);
constexpr int32_t kCtxBudget = offsetof(JitCtx, budget);
constexpr int32_t kCtxStackLimit = offsetof(JitCtx, stackLimit);
constexpr int32_t kCtxGcWanted = offsetof(JitCtx, gcWanted);
constexpr int32_t kCtxInterrupt = offsetof(JitCtx, interrupt);
constexpr int32_t kFrameNode = offsetof(Frame, node);
constexpr int32_t kFrameA = offsetof(Frame, a);
constexpr int32_t kFrameB = offsetof(Frame, b);
constexpr int32_t kFrameC = offsetof(Frame, c);
constexpr int32_t kFrameVbase = offsetof(Frame, vbase);
constexpr int32_t kFrameCode = offsetof(Frame, code);
constexpr int32_t kClosureProto = offsetof(Closure, proto);
constexpr int32_t kClosureEnv = offsetof(Closure, env);
constexpr int32_t kProtoInfo = offsetof(Proto, info);
constexpr int32_t kInfoTierState = offsetof(ProtoInfo, tierState);
constexpr int32_t kInfoCode = offsetof(ProtoInfo, code);
constexpr int32_t kInfoCalls = offsetof(ProtoInfo, calls);
constexpr int32_t kCodeJit = offsetof(Code, jit);  // a shared_ptr: the pointer first
constexpr int32_t kJitCallEntry = offsetof(JitCode, callEntry);
constexpr int32_t kJitNparams = offsetof(JitCode, nparams);
constexpr int32_t kJitNlocals = offsetof(JitCode, nlocals);
constexpr int32_t kJitFrameSlots = offsetof(JitCode, frameSlots);
// std::vector as three pointers: begin, end, capacity (jitLayoutSupported).
constexpr int32_t kFramesEnd = offsetof(Fiber, frames) + 8;
constexpr int32_t kFramesCap = offsetof(Fiber, frames) + 16;
constexpr int32_t kValsBegin = offsetof(Fiber, vals);
constexpr int32_t kValsEnd = offsetof(Fiber, vals) + 8;
#pragma GCC diagnostic pop
static_assert(sizeof(Frame) == 64);

constexpr int32_t kFalseTagged = int32_t(Value::kFalse);
// Only nil and false are falsy; clearing bit 3 maps false (0x0A) onto nil (0x02) and
// no other value onto nil.
constexpr int32_t kFalsyMask = ~int32_t(Value::kFalse ^ Value::kNil);

// Out-of-line code, emitted after the instructions.
//   Exit:        leave before `pc` with `reason`
//   AfterHelper: a call helper made no native call; its reason in edx (jit_detail.h)
//   CalleeLeft:  the native callee left native code; this frame waits on the call
//   SlowPrim:    a failed fast-path check: call the primitive on the argc operands,
//                count `reason`, continue at `resume` (the next instruction)
//   FloatPath:   arithmetic or a comparison whose operands are not both fixnums
//                (operands in rax, rcx): the float sequence (jit_emit_numbers.cpp)
// `pad`: undo the call site's stack alignment first.
struct Stub {
  enum Kind : uint8_t { Exit, AfterHelper, CalleeLeft, SlowPrim, FloatPath };
  Label label;
  Kind kind;
  uint32_t pc;
  uint32_t j;
  JitReason reason;
  bool pad;
  Label resume;  // AfterHelper: where reason None (a plain native was called) continues
  uint32_t argc = 0;
};

class Emitter {
 public:
  Emitter(x86::Assembler& a, const Code& code, const JitCode& jit, Isolate* iso)
      : a_(a), code_(code), jit_(jit), iso_(iso), depth_(stackDepths(code)) {}

  void run();
  // After finalize: the entries and native ranges from the labels' offsets.
  void record(const CodeHolder& holder, JitLayout& out) const;

 private:
  // ---- addressing ----------------------------------------------------------------
  Mem slot(uint32_t k) const { return x86::qword_ptr(kBase, int32_t(k * 8)); }
  uint32_t height(uint32_t pc) const { return base0() + uint32_t(depth_[pc]); }
  uint32_t base0() const { return code_.needsEnv || code_.isBlock ? 0 : code_.nlocals; }
  const uint8_t* at(uint32_t pc) const { return code_.bytes.data() + pc; }
  Label target(uint32_t pc) const {  // the label of a jump's target
    uint32_t next = pc + uint32_t(instrLength(Op(*at(pc))));
    return labels_[uint32_t(int64_t(next) + readI32(at(pc) + 1))];
  }

  // ---- exits ---------------------------------------------------------------------
  Label tail(JitReason r) {  // the exit tail of a reason, emitted only when used
    tailUsed_[int(r)] = true;
    return exitTail_[int(r)];
  }
  Label exitStub(uint32_t pc, JitReason r);  // leaves before pc, with its height
  Label outOfLine(Stub::Kind kind, uint32_t pc, bool pad, Label resume = Label());
  Label slowPath(uint32_t pc, JitReason r, uint32_t argc);
  void primCall(uint32_t pc, uint32_t argc);  // the cell's primitive, result in its place
  void exitInline(uint32_t pc, JitReason r);
  void commit(uint32_t i, uint32_t j);       // fr->i and fr->j
  void emitStubs();
  void emitExitTails();

  // ---- instructions --------------------------------------------------------------
  void emitInstruction(uint32_t pc);
  bool emitNative(uint32_t pc);  // false: the instruction has no native sequence
  void loadEnv(const x86::Gp& dst, uint32_t hops);
  void callHelper(const void* fn);
  void call(uint32_t pc);
  void tailCall(uint32_t pc);
  void nativeCallee(uint32_t argc, Label slow);  // rax: the callee; rcx, rdx, r8 set
  bool selfCallable(uint32_t argc) const;
  void selfCallee(Label other);  // rax: the callee; r8 set
  void pushFrame(uint32_t below, uint32_t argc, bool self, Label slow);
  void nilLocals(const x86::Gp& base, uint32_t argc);
  void callPrim(uint32_t pc);
  void closure(uint32_t pc);
  static constexpr uint32_t kSame = UINT32_MAX;
  void cellCheck(uint32_t pc, uint32_t exitPc = kSame);
  // Inline arithmetic and comparisons (jit_emit_numbers.cpp).
  void numberPair(uint32_t pc);  // rax, rcx: the operands; to the float path unless fixnums
  bool constOperand(uint32_t pc, int32_t* tagged) const;  // the second operand is a known fixnum
  void arith(uint32_t pc, Op op);
  void compare(uint32_t pc, Op op);
  void branchOrBool(uint32_t pc, CondCode cc);  // the comparison's result from the flags
  void floatPath(uint32_t pc);
  void toDouble(const x86::Gp& v, const x86::Xmm& x, Label notNumber, bool exact);
  void boolFromFlags(CondCode cc, const Mem& dst);
  void pairCheck(uint32_t pc, const x86::Gp& v);
  void truthTest(const Mem& v);  // ZF set when falsy
  uint32_t fusedBranch(uint32_t pc, uint32_t* notPc) const;  // the JUMP_IF_* pc fuses with, or 0

  x86::Assembler& a_;
  const Code& code_;
  const JitCode& jit_;
  Isolate* iso_;
  std::vector<int32_t> depth_;
  std::vector<Label> labels_;
  std::vector<bool> entry_;  // the VM may enter at this instruction
  std::vector<bool> jumpTarget_;  // some jump goes to this instruction
  std::vector<uint32_t> prev_;    // the instruction before, or kSame for the first
  std::vector<Stub> stubs_;
  Label exitTail_[kJitReasonCount];
  bool tailUsed_[kJitReasonCount] = {};
  Label exitDynamic_;
};

}  // namespace sx::detail
