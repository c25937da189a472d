// Inline arithmetic and comparisons: ADD SUB MUL LT GT LE GE NUM_EQ.
//
// Two fixnums take the inline path. Anything else goes to the instruction's float
// path, out of line: two floats, or a fixnum and a float, are computed with SSE2 with
// exactly the primitive's answer (stdlib/prims_numbers.cpp over numeric.cpp); any other
// operand, and the few float cases whose answer needs more than an IEEE operation, call
// the primitive itself (slow path "not-number"). What the primitives do, and so the
// float path:
//   (+ a b)   is (0 + a) + b: (0.0 + a) + b in doubles, so (+ -0.0 -0.0) is 0.0
//   (- a b)   a - b;  (* a b) is (1 * a) * b, which is a * b in doubles
//   a fixnum in a float operation becomes double(n), rounded to nearest as C++ does
//   (< a b) and friends: NaN anywhere is false, and a fixnum is compared with a float
//   exactly; the float path takes two non-NaN doubles, with a fixnum only when its
//   double is exact (|n| <= 2^53 or so), where IEEE comparison is that exact answer
//   (= a b)   likewise: NaN is never equal, and 0.0 = -0.0; and a symbol equals only
//             itself (symbols are interned), which the same out-of-line path decides
// A float result is boxed by a helper (floats live on the heap, value.h).
#include "jit/jit_emitter.h"

namespace sx::detail {

// Loads the operands into rax and rcx; unless both are fixnums (low bit set), jumps
// to the instruction's float path.
void Emitter::numberPair(uint32_t pc) {
  uint32_t j = height(pc);
  a_.mov(x86::rax, slot(j - 2));
  a_.mov(x86::rcx, slot(j - 1));
  a_.mov(x86::edx, x86::eax);
  a_.and_(x86::edx, x86::ecx);
  a_.test(x86::dl, 1);
  a_.jz(outOfLine(Stub::FloatPath, pc, false));
  slowPath(pc, JitReason::NotNumber, 2);  // the float path's way out, made before stubs are emitted
}

// The second operand is a fixnum constant when the instruction before is a CONST of
// one and no jump arrives here: whoever ran that CONST (native code or the VM, which
// may enter here), its value is on top. *tagged: the constant's tagged word.
bool Emitter::constOperand(uint32_t pc, int32_t* tagged) const {
  uint32_t p = prev_[pc];
  if (jumpTarget_[pc] || p == kSame || Op(*at(p)) != Op::CONST) return false;
  Value k = code_.consts[readU16(at(p) + 1)];
  if (!k.isFixnum() || int64_t(k.bits()) != int64_t(int32_t(k.bits()))) return false;
  *tagged = int32_t(k.bits());
  return true;
}

// Fixnums are n*2+1: a+b-1, a-b+1 and (a>>1)*(b-1)+1 are the tagged results, and the
// 64-bit overflow flag is exactly "the result does not fit a fixnum". With a constant
// second operand only the first is loaded and tested, and b-1 is an immediate.
void Emitter::arith(uint32_t pc, Op op) {
  uint32_t j = height(pc);
  cellCheck(pc);
  Label overflow = slowPath(pc, JitReason::Overflow, 2);
  int32_t k;
  if (op != Op::MUL && constOperand(pc, &k)) {
    a_.mov(x86::rax, slot(j - 2));
    a_.test(x86::al, 1);
    a_.jz(outOfLine(Stub::FloatPath, pc, false));
    slowPath(pc, JitReason::NotNumber, 2);
    if (op == Op::ADD)
      a_.add(x86::rax, k - 1);
    else
      a_.sub(x86::rax, k - 1);
    a_.jo(overflow);
    a_.mov(slot(j - 2), x86::rax);
    return;
  }
  numberPair(pc);
  switch (op) {
    case Op::ADD:
      a_.lea(x86::rdx, x86::ptr(x86::rcx, -1));
      a_.add(x86::rax, x86::rdx);
      a_.jo(overflow);
      break;
    case Op::SUB:
      a_.sub(x86::rax, x86::rcx);
      a_.jo(overflow);
      a_.or_(x86::rax, 1);
      break;
    default:  // MUL
      a_.sar(x86::rax, 1);
      a_.lea(x86::rdx, x86::ptr(x86::rcx, -1));
      a_.imul(x86::rax, x86::rdx);
      a_.jo(overflow);
      a_.or_(x86::rax, 1);
      break;
  }
  a_.mov(slot(j - 2), x86::rax);
}

namespace {

// The condition after `cmp a, b` on tagged fixnums (tagging preserves the order).
CondCode fixnumCond(Op op) {
  switch (op) {
    case Op::LT: return CondCode::kL;
    case Op::GT: return CondCode::kG;
    case Op::LE: return CondCode::kLE;
    case Op::GE: return CondCode::kGE;
    default: return CondCode::kE;  // NUM_EQ
  }
}

// The condition after `ucomisd a, b` with neither a NaN (unordered was ruled out).
CondCode floatCond(Op op) {
  switch (op) {
    case Op::LT: return CondCode::kB;
    case Op::GT: return CondCode::kA;
    case Op::LE: return CondCode::kBE;
    case Op::GE: return CondCode::kAE;
    default: return CondCode::kE;  // NUM_EQ
  }
}

}  // namespace

void Emitter::compare(uint32_t pc, Op op) {
  cellCheck(pc);
  uint32_t notPc;
  // A fused NOT's global is checked first; if it was redefined, the VM runs the
  // comparison (no side effects yet) and the NOT's own sequence leaves before the NOT.
  if (fusedBranch(pc, &notPc) && notPc) cellCheck(notPc, pc);
  int32_t k;
  if (constOperand(pc, &k)) {
    a_.mov(x86::rax, slot(height(pc) - 2));
    a_.test(x86::al, 1);
    a_.jz(outOfLine(Stub::FloatPath, pc, false));
    slowPath(pc, JitReason::NotNumber, 2);
    a_.cmp(x86::rax, k);
  } else {
    numberPair(pc);
    a_.cmp(x86::rax, x86::rcx);
  }
  branchOrBool(pc, fixnumCond(op));
}

// A comparison fused with a jump (fusedBranch) branches on the flags; otherwise the
// boolean goes to the first operand's slot.
void Emitter::branchOrBool(uint32_t pc, CondCode cc) {
  uint32_t notPc;
  if (uint32_t br = fusedBranch(pc, &notPc)) {
    Op jump = Op(*at(br));
    Label after = labels_[br + uint32_t(instrLength(jump))];
    bool onFalse = jump == Op::JUMP_IF_FALSE || jump == Op::AND_JUMP;  // jumps when the value is falsy
    CondCode taken = (onFalse != (notPc != 0)) ? x86::negateCond(cc) : cc;
    if (jump == Op::JUMP_IF_FALSE || jump == Op::JUMP_IF_TRUE) {
      a_.j(taken, target(br));
      a_.jmp(after);
      return;
    }
    // AND_JUMP/OR_JUMP keep the value on the stack when they jump: it is false (and) or
    // true (or) there, and nothing on the fall-through path.
    a_.j(x86::negateCond(taken), after);
    a_.mov(slot(height(pc) - 2), imm(int32_t(onFalse ? Value::kFalse : Value::kTrue)));
    a_.jmp(target(br));
    return;
  }
  boolFromFlags(cc, slot(height(pc) - 2));
}

// The double of the operand in v (a fixnum or a Float) in x; anything else jumps to
// notNumber, and with `exact` so does a fixnum whose double is rounded (the round
// trip through cvttsd2si differs; fixnums are 63-bit, so it never saturates).
// Clobbers rdx and r11.
void Emitter::toDouble(const x86::Gp& v, const x86::Xmm& x, Label notNumber, bool exact) {
  Label fixnum = a_.newLabel(), done = a_.newLabel();
  a_.test(v.r8(), 1);
  a_.jnz(fixnum);
  a_.test(v.r8(), 7);
  a_.jnz(notNumber);
  a_.cmp(x86::byte_ptr(v, kObjType), int(ObjType::Float));
  a_.jne(notNumber);
  a_.movsd(x, x86::qword_ptr(v, kFloatValue));
  a_.jmp(done);
  a_.bind(fixnum);
  a_.mov(x86::rdx, v);
  a_.sar(x86::rdx, 1);
  a_.xorps(x, x);  // cvtsi2sd writes only the low lane: no dependency on the old value
  a_.cvtsi2sd(x, x86::rdx);
  if (exact) {
    a_.cvttsd2si(x86::r11, x);
    a_.cmp(x86::r11, x86::rdx);
    a_.jne(notNumber);
  }
  a_.bind(done);
}

// Out of line, entered when the operands are not both fixnums. Continues at the next
// instruction (or the fused branch's targets).
void Emitter::floatPath(uint32_t pc) {
  Op op = Op(*at(pc));
  uint32_t j = height(pc);
  a_.mov(x86::rax, slot(j - 2));
  a_.mov(x86::rcx, slot(j - 1));
  Label notNumber = slowPath(pc, JitReason::NotNumber, 2);
  Label next = labels_[pc + uint32_t(instrLength(op))];
  bool arithmetic = op == Op::ADD || op == Op::SUB || op == Op::MUL;
  // Operands that are not numbers: for =, maybe two symbols; else the primitive.
  Label identity = op == Op::NUM_EQ ? a_.newLabel() : notNumber;
  toDouble(x86::rax, x86::xmm0, identity, !arithmetic);
  toDouble(x86::rcx, x86::xmm1, identity, !arithmetic);
  if (!arithmetic) {
    uint32_t notPc;
    bool fused = fusedBranch(pc, &notPc) != 0;
    a_.ucomisd(x86::xmm0, x86::xmm1);
    a_.jp(notNumber);  // a NaN: the primitive's answer (false)
    branchOrBool(pc, floatCond(op));
    if (!fused) a_.jmp(next);
    if (op == Op::NUM_EQ) {
      // (= a b) with a symbol on either side: a symbol (interned) equals only itself,
      // as equality says (stdlib/equality.cpp), whatever the other operand is.
      Label second = a_.newLabel(), decide = a_.newLabel();
      a_.bind(identity);
      a_.test(x86::al, 7);
      a_.jnz(second);
      a_.cmp(x86::byte_ptr(x86::rax, kObjType), int(ObjType::Symbol));
      a_.je(decide);
      a_.bind(second);
      a_.test(x86::cl, 7);
      a_.jnz(notNumber);
      a_.cmp(x86::byte_ptr(x86::rcx, kObjType), int(ObjType::Symbol));
      a_.jne(notNumber);
      a_.bind(decide);
      a_.cmp(x86::rax, x86::rcx);
      branchOrBool(pc, CondCode::kE);
      if (!fused) a_.jmp(next);
    }
    return;
  }
  switch (op) {
    case Op::ADD:  // (0.0 + a) + b
      a_.xorps(x86::xmm2, x86::xmm2);
      a_.addsd(x86::xmm2, x86::xmm0);
      a_.addsd(x86::xmm2, x86::xmm1);
      a_.movaps(x86::xmm0, x86::xmm2);
      break;
    case Op::SUB: a_.subsd(x86::xmm0, x86::xmm1); break;
    default: a_.mulsd(x86::xmm0, x86::xmm1); break;  // MUL
  }
  // Boxing allocates: the frame is committed as around a primitive call.
  commit(pc + uint32_t(instrLength(op)), j);
  a_.sub(x86::rsp, 8);
  a_.mov(x86::rdi, kCtx);
  callHelper(reinterpret_cast<const void*>(&jitFlonumHelper));
  a_.add(x86::rsp, 8);
  a_.test(x86::rdx, x86::rdx);
  a_.jnz(tail(JitReason::Raised));
  a_.mov(slot(j - 2), x86::rax);
  a_.jmp(next);
}

}  // namespace sx::detail
