// Bytecode to x86-64: one short native sequence per instruction (DESIGN §5).
//
// Every instruction gets a label; native code for it reads and writes the frame's slots
// in memory, so the VM can enter at any instruction that has a native sequence (its
// entry) and continue at any instruction native code leaves before. A check that fails
// jumps to an out-of-line exit stub that commits fr->i (the instruction, which the VM
// then executes) and fr->j, and returns the reason. Instructions without a native
// sequence are an exit stub inline, and have no entry.
#include <algorithm>
#include <cstddef>

#include "compiler/disasm.h"
#include "jit/jit_emitter.h"

namespace sx::detail {

using namespace asmjit;

// ---- the function ------------------------------------------------------------------

void Emitter::run() {
  const uint32_t n = uint32_t(code_.bytes.size());
  labels_.resize(n);
  entry_.assign(n, false);
  jumpTarget_.assign(n, false);
  prev_.assign(n, kSame);
  for (uint32_t pc = 0, last = kSame; pc < n; last = pc, pc += uint32_t(instrLength(Op(*at(pc))))) {
    labels_[pc] = a_.newLabel();
    prev_[pc] = last;
    if (opInfo(Op(*at(pc))).flags & kOpBranch) {
      int64_t t = int64_t(pc) + instrLength(Op(*at(pc))) + readI32(at(pc) + 1);
      if (t >= 0 && t < int64_t(n)) jumpTarget_[size_t(t)] = true;
    }
  }
  for (Label& l : exitTail_) l = a_.newLabel();
  exitDynamic_ = a_.newLabel();

  // The entry from C++ (jitRun): the SysV callee-saved registers, the register
  // conventions (jit_detail.h), then a call of the entry the VM asked for, so that the
  // code runs exactly as when another function's native code calls it.
  if (iso_) a_.comment("; entry from C++: (ctx, frame, base, target) -> reason");
  a_.push(x86::rbp);
  a_.push(x86::rbx);
  a_.push(x86::r12);
  a_.push(x86::r13);
  a_.push(x86::r14);
  a_.push(x86::r15);
  a_.mov(kCtx, x86::rdi);
  a_.mov(kFrame, x86::rsi);
  a_.mov(kBase, x86::rdx);
  a_.mov(kEnv, x86::qword_ptr(kFrame, kFrameEnv));
  a_.mov(kFiber, x86::qword_ptr(kCtx, kCtxFiber));
  a_.sub(x86::rsp, 8);
  // The depth bound as an address (JitCtx::stackLimit): rsp in the first function,
  // after the call below, is rsp - 8.
  a_.movsxd(x86::rax, x86::dword_ptr(kCtx, kCtxBudget));
  a_.shl(x86::rax, 4);
  a_.lea(x86::rdx, x86::ptr(x86::rsp, -8));
  a_.sub(x86::rdx, x86::rax);
  a_.mov(x86::qword_ptr(kCtx, kCtxStackLimit), x86::rdx);
  a_.call(x86::rcx);
  a_.add(x86::rsp, 8);
  a_.pop(x86::r15);
  a_.pop(x86::r14);
  a_.pop(x86::r13);
  a_.pop(x86::r12);
  a_.pop(x86::rbx);
  a_.pop(x86::rbp);
  a_.ret();

  std::vector<Instruction> text;
  if (iso_) text = disassemble(*iso_, code_);
  size_t t = 0;
  for (uint32_t pc = 0; pc < n; pc += uint32_t(instrLength(Op(*at(pc))))) {
    a_.bind(labels_[pc]);
    if (iso_) {
      while (t < text.size() && text[t].offset < pc) ++t;
      std::string line = "; " + std::to_string(pc) + ": " + opInfo(Op(*at(pc))).name;
      if (t < text.size() && text[t].offset == pc && !text[t].text.empty()) line += " " + text[t].text;
      if (depth_[pc] < 0) line += " (unreachable)";
      a_.comment(line.c_str());
    }
    if (depth_[pc] >= 0) emitInstruction(pc);
  }
  emitStubs();
  emitExitTails();
}

// Which instructions have native sequences is declared once, by kOpJit in opcodes.h
// (test_jit checks that the emitter and the flag agree). An instruction whose sequence
// starts by leaving (RETURN, no native sequence) gets no entry: the VM would enter only
// to be handed the frame back.
void Emitter::emitInstruction(uint32_t pc) {
  if ((opInfo(Op(*at(pc))).flags & kOpJit) && emitNative(pc)) {
    entry_[pc] = Op(*at(pc)) != Op::RETURN;
    return;
  }
  exitInline(pc, JitReason::Unsupported);
}

void Emitter::record(const CodeHolder& holder, JitLayout& out) const {
  const uint32_t n = uint32_t(code_.bytes.size());
  out.entries.assign(n, JitCode::kNoEntry);
  out.ranges.clear();
  out.ranges.push_back(JitRange{0, JitRange::kNoBytecode, false, JitReason::None});
  auto offset = [&](const Label& l) { return uint32_t(holder.labelOffset(l)); };
  for (uint32_t pc = 0; pc < n; pc += uint32_t(instrLength(Op(*at(pc))))) {
    if (entry_[pc]) out.entries[pc] = offset(labels_[pc]);
    out.ranges.push_back(JitRange{offset(labels_[pc]), pc, false, JitReason::None});
  }
  for (const Stub& s : stubs_)
    out.ranges.push_back(JitRange{offset(s.label), s.pc, true, s.kind == Stub::CalleeLeft ? JitReason::CalleeLeft : s.reason,
                                  s.kind == Stub::FloatPath});
  out.ranges.push_back(JitRange{offset(exitTail_[0]), JitRange::kNoBytecode, false, JitReason::None});
  std::stable_sort(out.ranges.begin(), out.ranges.end(),
                   [](const JitRange& x, const JitRange& y) { return x.native < y.native; });
}

// ---- exits -------------------------------------------------------------------------

Label Emitter::exitStub(uint32_t pc, JitReason r) {
  for (const Stub& s : stubs_)
    if (s.kind == Stub::Exit && s.pc == pc && s.reason == r) return s.label;
  stubs_.push_back(Stub{a_.newLabel(), Stub::Exit, pc, height(pc), r, false, Label()});
  return stubs_.back().label;
}

Label Emitter::slowPath(uint32_t pc, JitReason r, uint32_t argc) {
  for (const Stub& s : stubs_)
    if (s.kind == Stub::SlowPrim && s.pc == pc && s.reason == r) return s.label;
  Label next = labels_[pc + uint32_t(instrLength(Op(*at(pc))))];
  stubs_.push_back(Stub{a_.newLabel(), Stub::SlowPrim, pc, height(pc), r, false, next, argc});
  return stubs_.back().label;
}

Label Emitter::outOfLine(Stub::Kind kind, uint32_t pc, bool pad, Label resume) {
  stubs_.push_back(Stub{a_.newLabel(), kind, pc, height(pc), JitReason::None, pad, resume});
  return stubs_.back().label;
}

void Emitter::commit(uint32_t i, uint32_t j) {
  a_.mov(x86::dword_ptr(kFrame, kFrameI), i);
  a_.mov(x86::dword_ptr(kFrame, kFrameJ), j);
}

void Emitter::exitInline(uint32_t pc, JitReason r) {
  commit(pc, height(pc));
  a_.jmp(tail(r));
}

// After a call helper that made no native call (the reason in edx):
// None, a plain native was called (or a higher-order primitive finished) and the code
// continues; Raised, the frame is as the helper left it; CalleeLeft, the frame waits on
// the call (an Ho frame above it waits for the VM); any other reason leaves before the
// call, which the VM then makes.
void Emitter::emitStubs() {
  // By index, on a copy: a float path may add slow-path stubs as it is emitted.
  for (size_t k = 0; k < stubs_.size(); ++k) {
    const Stub s = stubs_[k];
    a_.bind(s.label);
    if (s.pad) a_.add(x86::rsp, 8);
    if (s.kind == Stub::Exit) {
      if (iso_) a_.comment(("; exit before " + std::to_string(s.pc) + ": " + jitReasonName(s.reason)).c_str());
      exitInline(s.pc, s.reason);
      continue;
    }
    if (s.kind == Stub::SlowPrim) {
      if (iso_) a_.comment(("; slow path at " + std::to_string(s.pc) + " (" + jitReasonName(s.reason) + "): the primitive").c_str());
      a_.mov(x86::rcx, imm(uint64_t(uintptr_t(&jit_.counts[size_t(s.reason)]))));
      a_.inc(x86::qword_ptr(x86::rcx));
      primCall(s.pc, s.argc);
      a_.jmp(s.resume);
      continue;
    }
    if (s.kind == Stub::FloatPath) {
      if (iso_) a_.comment(("; float path of " + std::to_string(s.pc) + " (a float, or a fixnum and a float)").c_str());
      floatPath(s.pc);
      continue;
    }
    if (s.kind == Stub::CalleeLeft) {
      if (iso_) a_.comment(("; the callee of " + std::to_string(s.pc) + " left native code").c_str());
      a_.jmp(tail(JitReason::CalleeLeft));
      continue;
    }
    if (iso_) a_.comment(("; no native call at " + std::to_string(s.pc) + ": the helper's reason in edx").c_str());
    if (s.resume.isValid()) {
      a_.test(x86::edx, x86::edx);
      a_.jz(s.resume);
    }
    a_.cmp(x86::edx, int(JitReason::Raised));
    a_.je(tail(JitReason::Raised));
    a_.cmp(x86::edx, int(JitReason::CalleeLeft));
    a_.je(tail(JitReason::CalleeLeft));
    a_.mov(x86::eax, x86::edx);
    commit(s.pc, s.j);
    a_.jmp(exitDynamic_);
  }
}

// One tail per reason: count the exit in jit.counts, return the reason to the caller
// (the entry from C++, or the native code that called this function). A return is
// counted by jitRun when it hands the frame back to the VM: a return to a native
// caller is no hand-over, and not counting it keeps a memory increment off every
// native call.
void Emitter::emitExitTails() {
  for (int r = 0; r < kJitReasonCount; ++r) {
    a_.bind(exitTail_[r]);
    if (!tailUsed_[r]) continue;
    if (iso_) a_.comment((std::string("; exit: ") + jitReasonName(JitReason(r))).c_str());
    if (JitReason(r) != JitReason::Return) {
      a_.mov(x86::rcx, imm(uint64_t(uintptr_t(&jit_.counts[size_t(r)]))));
      a_.inc(x86::qword_ptr(x86::rcx));
    }
    a_.mov(x86::eax, r);
    a_.ret();
  }
  a_.bind(exitDynamic_);
  if (iso_) a_.comment("; exit: the reason in eax");
  a_.mov(x86::eax, x86::eax);  // zero-extends into rax
  a_.mov(x86::rcx, imm(uint64_t(uintptr_t(&jit_.counts[0]))));
  a_.inc(x86::qword_ptr(x86::rcx, x86::rax, 3));
  a_.ret();
}

// ---- shared pieces -----------------------------------------------------------------

void Emitter::loadEnv(const x86::Gp& dst, uint32_t hops) {
  a_.mov(dst, kEnv);
  for (uint32_t h = 0; h < hops; ++h) a_.mov(dst, x86::qword_ptr(dst, kEnvParent));
}

// Inline primitives: the global must still hold the primitive the compiler inlined;
// if not, leave before `exitPc` (by default the instruction itself).
void Emitter::cellCheck(uint32_t pc, uint32_t exitPc) {
  Cell* cell = as<Cell>(code_.consts[readU16(at(pc) + 1)]);
  a_.mov(x86::rcx, imm(uint64_t(uintptr_t(cell))));
  a_.mov(x86::rax, x86::qword_ptr(x86::rcx, kCellValue));
  a_.cmp(x86::rax, x86::qword_ptr(x86::rcx, kCellPrimitive));
  a_.jne(exitStub(exitPc == kSame ? pc : exitPc, JitReason::Redefined));
}

// A comparison directly followed by a conditional jump (JUMP_IF_FALSE/TRUE, or
// AND_JUMP/OR_JUMP of and/or), or by NOT and then one, branches on the flags; the NOT
// and the jump keep their own sequences for entries from the VM. Returns the jump's
// offset (or 0) and sets *notPc to the NOT's (or 0).
uint32_t Emitter::fusedBranch(uint32_t pc, uint32_t* notPc) const {
  auto next = [&](uint32_t p) -> uint32_t {
    uint32_t n = p + uint32_t(instrLength(Op(*at(p))));
    return n < code_.bytes.size() && depth_[n] >= 0 ? n : 0;
  };
  auto isJumpIf = [&](uint32_t p) {
    if (!p) return false;
    Op op = Op(*at(p));
    return op == Op::JUMP_IF_FALSE || op == Op::JUMP_IF_TRUE || op == Op::AND_JUMP || op == Op::OR_JUMP;
  };
  *notPc = 0;
  uint32_t n = next(pc);
  if (isJumpIf(n)) return n;
  if (!n || Op(*at(n)) != Op::NOT) return 0;
  uint32_t br = next(n);
  if (!isJumpIf(br)) return 0;
  *notPc = n;
  return br;
}

// true is 0x12 and false 0x0A: 0x0A + 8 * flag.
void Emitter::boolFromFlags(CondCode cc, const Mem& dst) {
  a_.set(cc, x86::dl);
  a_.movzx(x86::edx, x86::dl);
  a_.shl(x86::edx, 3);
  a_.add(x86::edx, kFalseTagged);
  a_.mov(dst, x86::rdx);
}

void Emitter::pairCheck(uint32_t pc, const x86::Gp& v) {
  Label notPair = slowPath(pc, JitReason::NotPair, 1);
  a_.test(v.r8(), 7);
  a_.jnz(notPair);
  a_.cmp(x86::byte_ptr(v, kObjType), int(ObjType::Pair));
  a_.jne(notPair);
}

void Emitter::truthTest(const Mem& v) {
  a_.mov(x86::rax, v);
  a_.and_(x86::rax, kFalsyMask);
  a_.cmp(x86::rax, int32_t(Value::kNil));
}

// ---- the instructions with native sequences (kOpJit in opcodes.h) -------------------

bool Emitter::emitNative(uint32_t pc) {
  const uint8_t* p = at(pc);
  Op op = Op(*p);
  uint32_t j = height(pc);
  switch (op) {
    case Op::CONST: {
      uint64_t bits = code_.consts[readU16(p + 1)].bits();
      if (int64_t(bits) == int64_t(int32_t(bits))) {
        a_.mov(slot(j), imm(int32_t(bits)));
      } else {
        a_.mov(x86::rax, imm(bits));
        a_.mov(slot(j), x86::rax);
      }
      return true;
    }
    case Op::NIL: a_.mov(slot(j), imm(int32_t(Value::kNil))); return true;
    case Op::TRUE: a_.mov(slot(j), imm(int32_t(Value::kTrue))); return true;
    case Op::FALSE: a_.mov(slot(j), imm(int32_t(Value::kFalse))); return true;
    case Op::POP: return true;  // the height is static
    case Op::DUP:
      a_.mov(x86::rax, slot(j - 1));
      a_.mov(slot(j), x86::rax);
      return true;
    case Op::SWAP:
      a_.mov(x86::rax, slot(j - 1));
      a_.mov(x86::rcx, slot(j - 2));
      a_.mov(slot(j - 1), x86::rcx);
      a_.mov(slot(j - 2), x86::rax);
      return true;
    case Op::LOCAL_GET:
      a_.mov(x86::rax, slot(readU16(p + 1)));
      a_.mov(slot(j), x86::rax);
      return true;
    case Op::LOCAL_SET:
      a_.mov(x86::rax, slot(j - 1));
      a_.mov(slot(readU16(p + 1)), x86::rax);
      return true;
    case Op::ENV_GET:
      loadEnv(x86::rcx, readU8(p + 1));
      a_.mov(x86::rax, x86::qword_ptr(x86::rcx, kEnvSlots + 8 * readU16(p + 2)));
      a_.mov(slot(j), x86::rax);
      return true;
    case Op::ENV_SET:
      loadEnv(x86::rcx, readU8(p + 1));
      a_.mov(x86::rax, slot(j - 1));
      a_.mov(x86::qword_ptr(x86::rcx, kEnvSlots + 8 * readU16(p + 2)), x86::rax);
      return true;
    case Op::GLOBAL_GET:
    case Op::GLOBAL_SET:
    case Op::GLOBAL_DEFINE: {
      Cell* cell = as<Cell>(code_.consts[readU16(p + 1)]);
      Mem value = x86::qword_ptr(x86::rcx, kCellValue);
      a_.mov(x86::rcx, imm(uint64_t(uintptr_t(cell))));
      if (op != Op::GLOBAL_DEFINE) {
        a_.cmp(value, imm(int32_t(Value::kUnbound)));
        a_.je(exitStub(pc, JitReason::Unbound));
      }
      if (op == Op::GLOBAL_GET) {
        a_.mov(x86::rax, value);
        a_.mov(slot(j), x86::rax);
      } else {
        a_.mov(x86::rax, slot(j - 1));
        a_.mov(value, x86::rax);
      }
      return true;
    }
    case Op::JUMP: a_.jmp(target(pc)); return true;
    case Op::JUMP_IF_FALSE:
    case Op::AND_JUMP:  // the value stays on the jump path: heights are static
      truthTest(slot(j - 1));
      a_.je(target(pc));
      return true;
    case Op::JUMP_IF_TRUE:
    case Op::OR_JUMP:
      truthTest(slot(j - 1));
      a_.jne(target(pc));
      return true;
    case Op::CALL: call(pc); return true;
    case Op::TAIL_CALL: tailCall(pc); return true;
    case Op::CALL_PRIM: callPrim(pc); return true;
    case Op::CONS:  // allocates: always the primitive
      cellCheck(pc);
      primCall(pc, 2);
      return true;
    case Op::CLOSURE:
    case Op::BLOCK: closure(pc); return true;
    case Op::RETURN:  // the value in rdx for a native caller; the VM takes it from the stack
      a_.mov(x86::rdx, slot(j - 1));
      exitInline(pc, JitReason::Return);
      return true;
    case Op::ADD:
    case Op::SUB:
    case Op::MUL: arith(pc, op); return true;
    case Op::LT:
    case Op::GT:
    case Op::LE:
    case Op::GE:
    case Op::NUM_EQ: compare(pc, op); return true;
    case Op::NOT:
      cellCheck(pc);
      truthTest(slot(j - 1));
      boolFromFlags(CondCode::kE, slot(j - 1));
      return true;
    case Op::INC:
    case Op::DEC:
      cellCheck(pc);
      a_.mov(x86::rax, slot(j - 1));
      a_.test(x86::al, 1);
      a_.jz(slowPath(pc, JitReason::NotFixnum, 1));  // INC/DEC: fixnums only
      if (op == Op::INC)
        a_.add(x86::rax, 2);
      else
        a_.sub(x86::rax, 2);
      a_.jo(slowPath(pc, JitReason::Overflow, 1));
      a_.mov(slot(j - 1), x86::rax);
      return true;
    case Op::FIRST:
    case Op::REST:
      cellCheck(pc);
      a_.mov(x86::rax, slot(j - 1));
      pairCheck(pc, x86::rax);
      a_.mov(x86::rax, x86::qword_ptr(x86::rax, op == Op::FIRST ? kPairCar : kPairCdr));
      a_.mov(slot(j - 1), x86::rax);
      return true;
    case Op::NILP:
      cellCheck(pc);
      a_.cmp(slot(j - 1), imm(int32_t(Value::kNil)));
      boolFromFlags(CondCode::kE, slot(j - 1));
      return true;
    case Op::EMPTYP: {
      // () is empty and a pair is not; anything else (strings, dicts...) goes to the VM.
      cellCheck(pc);
      // Nothing is written before the check: an exit leaves the operand in place.
      Label done = a_.newLabel();
      a_.mov(x86::rax, slot(j - 1));
      a_.mov(x86::ecx, imm(int32_t(Value::kTrue)));
      a_.cmp(x86::rax, imm(int32_t(Value::kEmpty)));
      a_.je(done);
      pairCheck(pc, x86::rax);
      a_.mov(x86::ecx, imm(int32_t(Value::kFalse)));
      a_.bind(done);
      a_.mov(slot(j - 1), x86::rcx);
      return true;
    }
    case Op::LISTP:
    case Op::PAIRP: {
      // A pair, and for list? also (), is true; anything else is false: no exit.
      cellCheck(pc);
      Label no = a_.newLabel(), done = a_.newLabel();
      a_.mov(x86::rax, slot(j - 1));
      a_.mov(x86::ecx, imm(int32_t(Value::kTrue)));
      if (op == Op::LISTP) {
        a_.cmp(x86::rax, imm(int32_t(Value::kEmpty)));
        a_.je(done);
      }
      a_.test(x86::al, 7);
      a_.jnz(no);
      a_.cmp(x86::byte_ptr(x86::rax, kObjType), int(ObjType::Pair));
      a_.je(done);
      a_.bind(no);
      a_.mov(x86::ecx, imm(int32_t(Value::kFalse)));
      a_.bind(done);
      a_.mov(slot(j - 1), x86::rcx);
      return true;
    }
    default: return false;
  }
}

std::vector<int32_t> stackDepths(const Code& code) {
  const uint32_t n = uint32_t(code.bytes.size());
  std::vector<int32_t> depth(n, -1);
  std::vector<uint32_t> work{0};
  if (n) depth[0] = 0;
  auto reach = [&](uint32_t pc, int32_t d) {
    if (pc < n && depth[pc] < 0) {
      depth[pc] = d;
      work.push_back(pc);
    }
  };
  while (!work.empty() && n) {
    uint32_t pc = work.back();
    work.pop_back();
    const uint8_t* p = code.bytes.data() + pc;
    Op op = Op(p[0]);
    const OpInfo& info = opInfo(op);
    int32_t d = depth[pc];
    int pops = stackPops(p);
    uint32_t next = pc + uint32_t(instrLength(op));
    if (info.flags & kOpBranch) {
      uint32_t target = uint32_t(int64_t(next) + readI32(p + 1));
      reach(target, op == Op::AND_JUMP || op == Op::OR_JUMP ? d : d - pops);
    }
    if (!(info.flags & kOpEnd)) reach(next, d - pops + stackPushes(p));
  }
  return depth;
}

namespace {

class FirstError : public ErrorHandler {
 public:
  Error error = kErrorOk;
  void handleError(Error err, const char*, BaseEmitter*) override {
    if (error == kErrorOk) error = err;
  }
};

}  // namespace

Error emitFunction(CodeHolder& holder, const Code& code, const JitCode& jit, Isolate* iso, JitLayout& layout) {
  FirstError errors;
  holder.setErrorHandler(&errors);
  x86::Assembler a(&holder);
  Emitter e(a, code, jit, iso);
  e.run();
  a.finalize();
  holder.resetErrorHandler();
  if (errors.error == kErrorOk) e.record(holder, layout);
  return errors.error;
}

}  // namespace sx::detail
