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
#include "jit/jit_detail.h"

namespace sx::detail {

namespace {

using namespace asmjit;
using x86::Mem;
using x86::CondCode;

const x86::Gp kBase = x86::rbx;
const x86::Gp kCtx = x86::r12;
const x86::Gp kFrame = x86::r13;
const x86::Gp kEnv = x86::r14;

// Field offsets. Heap objects derive from Obj (single, non-virtual inheritance), which
// makes them non-standard-layout for offsetof; GCC and Clang lay them out as plain
// structs and support offsetof on them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
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
constexpr int32_t kCtxBase = offsetof(JitCtx, base);
constexpr int32_t kCtxFrame = offsetof(JitCtx, frame);
constexpr int32_t kCtxFiber = offsetof(JitCtx, fiber);
constexpr int32_t kCtxBudget = offsetof(JitCtx, budget);
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
// `pad`: undo the call site's stack alignment first.
struct Stub {
  enum Kind : uint8_t { Exit, AfterHelper, CalleeLeft, SlowPrim };
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
  void nilLocals(const x86::Gp& base, uint32_t argc);
  void callPrim(uint32_t pc);
  void closure(uint32_t pc);
  void cellCheck(uint32_t pc);
  void fixnumPair(uint32_t pc, const x86::Gp& a, const x86::Gp& b);
  void arith(uint32_t pc, Op op);
  void compare(uint32_t pc, Op op);
  void boolFromFlags(CondCode cc, const Mem& dst);
  void pairCheck(uint32_t pc, const x86::Gp& v);
  void truthTest(const Mem& v);  // ZF set when falsy
  uint32_t fusedBranch(uint32_t pc) const;  // the JUMP_IF_* after pc it may fuse with, or 0

  x86::Assembler& a_;
  const Code& code_;
  const JitCode& jit_;
  Isolate* iso_;
  std::vector<int32_t> depth_;
  std::vector<Label> labels_;
  std::vector<bool> entry_;  // the VM may enter at this instruction
  std::vector<Stub> stubs_;
  Label exitTail_[kJitReasonCount];
  bool tailUsed_[kJitReasonCount] = {};
  Label exitDynamic_;
};

// ---- the function ------------------------------------------------------------------

void Emitter::run() {
  const uint32_t n = uint32_t(code_.bytes.size());
  labels_.resize(n);
  entry_.assign(n, false);
  for (uint32_t pc = 0; pc < n; pc += uint32_t(instrLength(Op(*at(pc))))) labels_[pc] = a_.newLabel();
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
  a_.sub(x86::rsp, 8);
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
    out.ranges.push_back(JitRange{offset(s.label), s.pc, true, s.kind == Stub::CalleeLeft ? JitReason::CalleeLeft : s.reason});
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
// None, a plain native was called and the code continues; Raised, the frame is as the
// helper left it; any other reason leaves before the call, which the VM then makes.
void Emitter::emitStubs() {
  for (const Stub& s : stubs_) {
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
    a_.mov(x86::eax, x86::edx);
    commit(s.pc, s.j);
    a_.jmp(exitDynamic_);
  }
}

// One tail per reason: count the exit in jit.exits, return the reason to the caller
// (the entry from C++, or the native code that called this function).
void Emitter::emitExitTails() {
  for (int r = 0; r < kJitReasonCount; ++r) {
    a_.bind(exitTail_[r]);
    if (!tailUsed_[r]) continue;
    if (iso_) a_.comment((std::string("; exit: ") + jitReasonName(JitReason(r))).c_str());
    a_.mov(x86::rcx, imm(uint64_t(uintptr_t(&jit_.counts[size_t(r)]))));
    a_.inc(x86::qword_ptr(x86::rcx));
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

// ---- calls -------------------------------------------------------------------------

void Emitter::callHelper(const void* fn) {
  a_.mov(x86::rax, imm(uint64_t(uintptr_t(fn))));
  a_.call(x86::rax);
}

// The checks of the native call fast path, on the callee in rax: a lambda compiled to
// bytecode whose native code has the common shape and argc parameters, no collection
// or interrupt pending. Leaves r8 = its ProtoInfo, rcx = its Code, rdx = its JitCode.
void Emitter::nativeCallee(uint32_t argc, Label slow) {
  a_.test(x86::al, 7);
  a_.jnz(slow);
  a_.cmp(x86::byte_ptr(x86::rax, kObjType), int(ObjType::Lambda));
  a_.jne(slow);
  a_.mov(x86::r8, x86::qword_ptr(x86::rax, kClosureProto));
  a_.mov(x86::r8, x86::qword_ptr(x86::r8, kProtoInfo));
  a_.cmp(x86::byte_ptr(x86::r8, kInfoTierState), int(TierState::Compiled));
  a_.jne(slow);
  a_.mov(x86::rcx, x86::qword_ptr(x86::r8, kInfoCode));
  a_.mov(x86::rdx, x86::qword_ptr(x86::rcx, kCodeJit));
  a_.test(x86::rdx, x86::rdx);
  a_.jz(slow);
  a_.cmp(x86::qword_ptr(x86::rdx, kJitCallEntry), 0);
  a_.je(slow);
  a_.cmp(x86::dword_ptr(x86::rdx, kJitNparams), argc);
  a_.jne(slow);
  a_.cmp(x86::byte_ptr(kCtx, kCtxGcWanted), 0);
  a_.jne(slow);
  a_.mov(x86::r9, x86::qword_ptr(kCtx, kCtxInterrupt));
  a_.cmp(x86::byte_ptr(x86::r9), 0);
  a_.jne(slow);
}

// Locals past the arguments start as nil: base[argc, nlocals) with nlocals from the
// JitCode in rdx (clobbers ecx).
void Emitter::nilLocals(const x86::Gp& base, uint32_t argc) {
  Label loop = a_.newLabel(), done = a_.newLabel();
  a_.mov(x86::ecx, x86::dword_ptr(x86::rdx, kJitNlocals));
  a_.bind(loop);
  a_.cmp(x86::ecx, argc);
  a_.jbe(done);
  a_.dec(x86::ecx);
  a_.mov(x86::qword_ptr(base, x86::rcx, 3), imm(int32_t(Value::kNil)));
  a_.jmp(loop);
  a_.bind(done);
}

// The frame is committed as waiting on the call (i after it, j without the callee and
// arguments) before the callee's frame is pushed: if the callee leaves native code, the
// VM continues it and later returns into this frame at the next instruction.
//
// Fast path (a JIT'd lambda of the common shape): push its VM frame inline, as the VM's
// own fast path does, call its entry with the registers set for its frame; its RETURN
// comes back with the value in rdx, and the frame is popped inline. Otherwise the call
// helper decides: the same for other shapes, a plain native called at once, or the
// reason the VM makes the call.
void Emitter::call(uint32_t pc) {
  uint32_t j = height(pc), argc = readU8(at(pc) + 1), below = j - argc - 1;
  Label slow = a_.newLabel(), resume = a_.newLabel();
  commit(pc + uint32_t(instrLength(Op::CALL)), below);
  a_.mov(x86::rax, slot(below));
  nativeCallee(argc, slow);
  a_.cmp(x86::dword_ptr(kCtx, kCtxBudget), 0);
  a_.jle(slow);
  a_.mov(x86::rsi, x86::qword_ptr(kCtx, kCtxFiber));
  a_.mov(x86::rdi, x86::qword_ptr(x86::rsi, kFramesEnd));
  a_.cmp(x86::rdi, x86::qword_ptr(x86::rsi, kFramesCap));
  a_.jae(slow);
  a_.lea(x86::r9, slot(below + 1));  // the callee's base
  a_.mov(x86::r10d, x86::dword_ptr(x86::rdx, kJitFrameSlots));
  a_.lea(x86::r10, x86::ptr(x86::r9, x86::r10, 3));
  a_.cmp(x86::r10, x86::qword_ptr(x86::rsi, kValsEnd));
  a_.ja(slow);
  // The frame at rdi: kind VM, flags, sub and i 0, no node, a = the closure.
  a_.mov(x86::qword_ptr(x86::rdi, 0), imm(int32_t(FrameKind::VM)));
  a_.mov(x86::qword_ptr(x86::rdi, kFrameNode), 0);
  a_.mov(x86::r11, x86::qword_ptr(x86::rax, kClosureEnv));
  a_.mov(x86::qword_ptr(x86::rdi, kFrameEnv), x86::r11);
  a_.mov(x86::qword_ptr(x86::rdi, kFrameA), x86::rax);
  a_.mov(x86::qword_ptr(x86::rdi, kFrameB), imm(int32_t(Value::kNil)));
  a_.mov(x86::qword_ptr(x86::rdi, kFrameC), imm(int32_t(Value::kNil)));
  a_.mov(x86::r11, x86::r9);
  a_.sub(x86::r11, x86::qword_ptr(x86::rsi, kValsBegin));
  a_.shr(x86::r11, 3);
  a_.mov(x86::dword_ptr(x86::rdi, kFrameVbase), x86::r11d);
  a_.mov(x86::r11d, x86::dword_ptr(x86::rdx, kJitNlocals));
  a_.mov(x86::dword_ptr(x86::rdi, kFrameJ), x86::r11d);
  a_.mov(x86::qword_ptr(x86::rdi, kFrameCode), x86::rcx);
  a_.lea(x86::r11, x86::ptr(x86::rdi, int32_t(sizeof(Frame))));
  a_.mov(x86::qword_ptr(x86::rsi, kFramesEnd), x86::r11);
  a_.inc(x86::qword_ptr(x86::r8, kInfoCalls));
  a_.dec(x86::dword_ptr(kCtx, kCtxBudget));
  nilLocals(x86::r9, argc);
  a_.mov(kBase, x86::r9);
  a_.mov(kFrame, x86::rdi);
  a_.mov(kEnv, x86::qword_ptr(x86::rdi, kFrameEnv));
  a_.mov(x86::rax, x86::qword_ptr(x86::rdx, kJitCallEntry));
  a_.sub(x86::rsp, 8);  // native code runs at rsp = 8 mod 16: calls need 0
  a_.call(x86::rax);
  a_.cmp(x86::eax, int(JitReason::Return));
  a_.jne(outOfLine(Stub::CalleeLeft, pc, true));
  // Pop the callee's frame; its value goes to its callee slot; this frame's registers.
  a_.mov(x86::rsi, x86::qword_ptr(kCtx, kCtxFiber));
  a_.mov(x86::rdi, x86::qword_ptr(x86::rsi, kFramesEnd));
  a_.sub(x86::rdi, int32_t(sizeof(Frame)));
  a_.mov(x86::qword_ptr(x86::rsi, kFramesEnd), x86::rdi);
  a_.mov(x86::ecx, x86::dword_ptr(x86::rdi, kFrameVbase));
  a_.mov(x86::r9, x86::qword_ptr(x86::rsi, kValsBegin));
  a_.mov(x86::qword_ptr(x86::r9, x86::rcx, 3, -8), x86::rdx);
  a_.lea(kFrame, x86::ptr(x86::rdi, -int32_t(sizeof(Frame))));
  a_.mov(x86::ecx, x86::dword_ptr(kFrame, kFrameVbase));
  a_.lea(kBase, x86::ptr(x86::r9, x86::rcx, 3));
  a_.mov(kEnv, x86::qword_ptr(kFrame, kFrameEnv));
  a_.inc(x86::dword_ptr(kCtx, kCtxBudget));
  a_.add(x86::rsp, 8);
  a_.jmp(resume);

  a_.bind(slow);
  a_.sub(x86::rsp, 8);
  a_.mov(x86::rdi, kCtx);
  a_.mov(x86::esi, argc);
  a_.lea(x86::rdx, slot(below));
  callHelper(reinterpret_cast<const void*>(&jitCallHelper));
  a_.test(x86::rax, x86::rax);
  a_.jz(outOfLine(Stub::AfterHelper, pc, true, resume));
  a_.mov(kBase, x86::qword_ptr(kCtx, kCtxBase));
  a_.mov(kFrame, x86::qword_ptr(kCtx, kCtxFrame));
  a_.mov(kEnv, x86::qword_ptr(kFrame, kFrameEnv));
  a_.call(x86::rax);
  a_.cmp(x86::eax, int(JitReason::Return));
  a_.jne(outOfLine(Stub::CalleeLeft, pc, true));
  a_.mov(x86::rdi, kCtx);
  a_.mov(x86::rsi, x86::rdx);
  callHelper(reinterpret_cast<const void*>(&jitReturnHelper));
  a_.mov(kBase, x86::rax);
  a_.mov(kFrame, x86::rdx);
  a_.mov(kEnv, x86::qword_ptr(kFrame, kFrameEnv));
  a_.add(x86::rsp, 8);
  a_.bind(resume);
}

// The frame becomes the callee's, and the code continues at the start of the callee's
// native code (its own, or another function's) on the same C stack. Fast path (the
// common shape): the callee and arguments move down to this frame's callee slot inline;
// otherwise the tail call helper does it, or says why the VM makes the call.
void Emitter::tailCall(uint32_t pc) {
  uint32_t j = height(pc), argc = readU8(at(pc) + 1), from = j - argc - 1;
  Label slow = a_.newLabel();
  a_.mov(x86::rax, slot(from));
  nativeCallee(argc, slow);
  a_.mov(x86::rsi, x86::qword_ptr(kCtx, kCtxFiber));
  a_.mov(x86::r10d, x86::dword_ptr(x86::rdx, kJitFrameSlots));
  a_.lea(x86::r10, x86::ptr(kBase, x86::r10, 3));
  a_.cmp(x86::r10, x86::qword_ptr(x86::rsi, kValsEnd));
  a_.ja(slow);
  for (uint32_t k = 0; k <= argc; ++k) {  // upwards: the destination is below the source
    a_.mov(x86::r10, slot(from + k));
    a_.mov(x86::qword_ptr(kBase, int32_t(8 * k) - 8), x86::r10);
  }
  a_.mov(x86::qword_ptr(kFrame, kFrameA), x86::rax);
  a_.mov(x86::qword_ptr(kFrame, kFrameCode), x86::rcx);
  a_.mov(kEnv, x86::qword_ptr(x86::rax, kClosureEnv));
  a_.mov(x86::qword_ptr(kFrame, kFrameEnv), kEnv);
  a_.mov(x86::dword_ptr(kFrame, kFrameI), 0);
  a_.mov(x86::r11d, x86::dword_ptr(x86::rdx, kJitNlocals));
  a_.mov(x86::dword_ptr(kFrame, kFrameJ), x86::r11d);
  a_.inc(x86::qword_ptr(x86::r8, kInfoCalls));
  nilLocals(kBase, argc);
  a_.jmp(x86::qword_ptr(x86::rdx, kJitCallEntry));

  a_.bind(slow);
  a_.sub(x86::rsp, 8);
  a_.mov(x86::rdi, kCtx);
  a_.mov(x86::esi, argc);
  a_.lea(x86::rdx, slot(from));
  callHelper(reinterpret_cast<const void*>(&jitTailCallHelper));
  a_.add(x86::rsp, 8);
  a_.test(x86::rax, x86::rax);
  a_.jz(outOfLine(Stub::AfterHelper, pc, false));
  a_.mov(kBase, x86::qword_ptr(kCtx, kCtxBase));
  a_.mov(kEnv, x86::qword_ptr(kFrame, kFrameEnv));
  a_.jmp(x86::rax);
}

void Emitter::callPrim(uint32_t pc) {
  cellCheck(pc);
  primCall(pc, readU8(at(pc) + 3));
}

// The primitive of the instruction's cell on the top argc values, its value in their
// place. The frame is committed as the VM commits it around a primitive call: i after
// the instruction, j with the arguments.
void Emitter::primCall(uint32_t pc, uint32_t argc) {
  uint32_t j = height(pc);
  Cell* cell = as<Cell>(code_.consts[readU16(at(pc) + 1)]);
  commit(pc + uint32_t(instrLength(Op(*at(pc)))), j);
  a_.sub(x86::rsp, 8);
  a_.mov(x86::rdi, kCtx);
  a_.mov(x86::rsi, imm(uint64_t(uintptr_t(cell))));
  a_.mov(x86::edx, argc);
  a_.lea(x86::rcx, slot(j - argc));
  callHelper(reinterpret_cast<const void*>(&jitPrimHelper));
  a_.add(x86::rsp, 8);
  a_.test(x86::rdx, x86::rdx);
  a_.jnz(tail(JitReason::Raised));
  a_.mov(slot(j - argc), x86::rax);
}

// CLOSURE and BLOCK: a closure of the proto over this frame's env (allocates).
void Emitter::closure(uint32_t pc) {
  uint32_t j = height(pc);
  Proto* proto = as<Proto>(code_.consts[readU16(at(pc) + 1)]);
  commit(pc + uint32_t(instrLength(Op(*at(pc)))), j);
  a_.sub(x86::rsp, 8);
  a_.mov(x86::rdi, kCtx);
  a_.mov(x86::rsi, imm(uint64_t(uintptr_t(proto))));
  a_.mov(x86::rdx, kEnv);
  callHelper(reinterpret_cast<const void*>(&jitClosureHelper));
  a_.add(x86::rsp, 8);
  a_.test(x86::rdx, x86::rdx);
  a_.jnz(tail(JitReason::Raised));
  a_.mov(slot(j), x86::rax);
}

// ---- shared pieces -----------------------------------------------------------------

void Emitter::loadEnv(const x86::Gp& dst, uint32_t hops) {
  a_.mov(dst, kEnv);
  for (uint32_t h = 0; h < hops; ++h) a_.mov(dst, x86::qword_ptr(dst, kEnvParent));
}

// Inline primitives: the global must still hold the primitive the compiler inlined.
void Emitter::cellCheck(uint32_t pc) {
  Cell* cell = as<Cell>(code_.consts[readU16(at(pc) + 1)]);
  a_.mov(x86::rcx, imm(uint64_t(uintptr_t(cell))));
  a_.mov(x86::rax, x86::qword_ptr(x86::rcx, kCellValue));
  a_.cmp(x86::rax, x86::qword_ptr(x86::rcx, kCellPrimitive));
  a_.jne(exitStub(pc, JitReason::Redefined));
}

// Loads the two operands; exits unless both are fixnums (low bit set).
void Emitter::fixnumPair(uint32_t pc, const x86::Gp& x, const x86::Gp& y) {
  uint32_t j = height(pc);
  a_.mov(x, slot(j - 2));
  a_.mov(y, slot(j - 1));
  a_.mov(x86::edx, x.r32());
  a_.and_(x86::edx, y.r32());
  a_.test(x86::dl, 1);
  a_.jz(slowPath(pc, JitReason::NotFixnum, 2));
}

// Fixnums are n*2+1: a+b-1, a-b+1 and (a>>1)*(b-1)+1 are the tagged results, and the
// 64-bit overflow flag is exactly "the result does not fit a fixnum".
void Emitter::arith(uint32_t pc, Op op) {
  uint32_t j = height(pc);
  cellCheck(pc);
  fixnumPair(pc, x86::rax, x86::rcx);
  Label overflow = slowPath(pc, JitReason::Overflow, 2);
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

CondCode compareCond(Op op) {
  switch (op) {
    case Op::LT: return CondCode::kL;
    case Op::GT: return CondCode::kG;
    case Op::LE: return CondCode::kLE;
    case Op::GE: return CondCode::kGE;
    default: return CondCode::kE;  // NUM_EQ
  }
}

// A comparison directly followed by JUMP_IF_FALSE/TRUE branches on the flags; the
// jump keeps its own sequence for entries from the VM.
uint32_t Emitter::fusedBranch(uint32_t pc) const {
  uint32_t next = pc + uint32_t(instrLength(Op(*at(pc))));
  if (next >= code_.bytes.size() || depth_[next] < 0) return 0;
  Op op = Op(*at(next));
  return op == Op::JUMP_IF_FALSE || op == Op::JUMP_IF_TRUE ? next : 0;
}

void Emitter::compare(uint32_t pc, Op op) {
  uint32_t j = height(pc);
  cellCheck(pc);
  fixnumPair(pc, x86::rax, x86::rcx);
  a_.cmp(x86::rax, x86::rcx);  // tagging preserves the order
  CondCode cc = compareCond(op);
  if (uint32_t br = fusedBranch(pc)) {
    Label taken = target(br);
    if (Op(*at(br)) == Op::JUMP_IF_FALSE) cc = x86::negateCond(cc);
    a_.j(cc, taken);
    a_.jmp(labels_[br + uint32_t(instrLength(Op::JUMP_IF_FALSE))]);
    return;
  }
  boolFromFlags(cc, slot(j - 2));
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
      a_.jz(slowPath(pc, JitReason::NotFixnum, 1));
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
    default: return false;
  }
}

}  // namespace

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
