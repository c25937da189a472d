// Calls in native code: CALL and TAIL_CALL (an inline fast path for JIT'd lambdas of
// the common shape, the call helpers for the rest), CALL_PRIM and the slow paths of
// inline primitives, CLOSURE and BLOCK.
#include "jit/jit_emitter.h"

namespace sx::detail {

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

// A call of the function being compiled with its own arity (recursion, a named let's
// loop) needs fewer checks: the callee's Code is this one, so its native code, shape,
// parameters and frame size are known here. Only whether the closure is of this
// function, and still compiled (jit-exclude! may have sent it to the CEK), is checked.
bool Emitter::selfCallable(uint32_t argc) const {
  return !code_.needsEnv && !code_.hasRest && !code_.isBlock && argc == code_.nparams;
}

// On the callee in rax: jumps to `other` unless it is a closure of this function still
// compiled, or a collection or interrupt is pending. Leaves r8 = its ProtoInfo.
void Emitter::selfCallee(Label other) {
  a_.test(x86::al, 7);
  a_.jnz(other);
  a_.cmp(x86::byte_ptr(x86::rax, kObjType), int(ObjType::Lambda));
  a_.jne(other);
  a_.mov(x86::r8, x86::qword_ptr(x86::rax, kClosureProto));
  a_.mov(x86::r8, x86::qword_ptr(x86::r8, kProtoInfo));
  a_.mov(x86::rcx, imm(uint64_t(uintptr_t(&code_))));
  a_.cmp(x86::qword_ptr(x86::r8, kInfoCode), x86::rcx);
  a_.jne(other);
  a_.cmp(x86::byte_ptr(x86::r8, kInfoTierState), int(TierState::Compiled));
  a_.jne(other);
  a_.cmp(x86::byte_ptr(kCtx, kCtxGcWanted), 0);
  a_.jne(other);
  a_.mov(x86::r9, x86::qword_ptr(kCtx, kCtxInterrupt));
  a_.cmp(x86::byte_ptr(x86::r9), 0);
  a_.jne(other);
}

// Pushes the VM frame of the closure in rax (ProtoInfo in r8, Code in rcx) with its
// base at slot(below + 1), as the VM's own fast path does, and sets the registers for
// it; jumps to `slow` when there is no room. `self`: the callee is this function (its
// sizes are constants); else rdx holds its JitCode.
void Emitter::pushFrame(uint32_t below, uint32_t argc, bool self, Label slow) {
  a_.cmp(x86::rsp, x86::qword_ptr(kCtx, kCtxStackLimit));  // the depth bound
  a_.jbe(slow);
  a_.mov(x86::rsi, kFiber);
  a_.mov(x86::rdi, x86::qword_ptr(x86::rsi, kFramesEnd));
  a_.cmp(x86::rdi, x86::qword_ptr(x86::rsi, kFramesCap));
  a_.jae(slow);
  a_.lea(x86::r9, slot(below + 1));  // the callee's base
  if (self) {
    a_.lea(x86::r10, slot(below + 1 + code_.nlocals + code_.maxStack));
  } else {
    a_.mov(x86::r10d, x86::dword_ptr(x86::rdx, kJitFrameSlots));
    a_.lea(x86::r10, x86::ptr(x86::r9, x86::r10, 3));
  }
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
  if (self) {
    a_.mov(x86::dword_ptr(x86::rdi, kFrameJ), code_.nlocals);
  } else {
    a_.mov(x86::r11d, x86::dword_ptr(x86::rdx, kJitNlocals));
    a_.mov(x86::dword_ptr(x86::rdi, kFrameJ), x86::r11d);
  }
  a_.mov(x86::qword_ptr(x86::rdi, kFrameCode), x86::rcx);
  a_.lea(x86::r11, x86::ptr(x86::rdi, int32_t(sizeof(Frame))));
  a_.mov(x86::qword_ptr(x86::rsi, kFramesEnd), x86::r11);
  a_.inc(x86::qword_ptr(x86::r8, kInfoCalls));
  if (self) {
    for (uint32_t k = argc; k < code_.nlocals; ++k) a_.mov(x86::qword_ptr(x86::r9, int32_t(8 * k)), imm(int32_t(Value::kNil)));
  } else {
    nilLocals(x86::r9, argc);
  }
  a_.mov(kBase, x86::r9);
  a_.mov(kFrame, x86::rdi);
  a_.mov(kEnv, x86::qword_ptr(x86::rdi, kFrameEnv));
}

// The frame is committed as waiting on the call (i after it, j without the callee and
// arguments) before the callee's frame is pushed: if the callee leaves native code, the
// VM continues it and later returns into this frame at the next instruction.
//
// Fast paths (a call of this function, or of a JIT'd lambda of the common shape): push
// its VM frame inline, as the VM's own fast path does, call its entry with the
// registers set for its frame; its RETURN comes back with the value in rdx, and the
// frame is popped inline. Otherwise the call helper decides: the same for other shapes,
// a plain native called at once, or the reason the VM makes the call.
void Emitter::call(uint32_t pc) {
  uint32_t j = height(pc), argc = readU8(at(pc) + 1), below = j - argc - 1;
  Label slow = a_.newLabel(), resume = a_.newLabel(), returned = a_.newLabel(), other = a_.newLabel();
  Label callNext = a_.newLabel(), calleeReturned = a_.newLabel(), reload = a_.newLabel();
  commit(pc + uint32_t(instrLength(Op::CALL)), below);
  a_.mov(x86::rax, slot(below));
  if (selfCallable(argc)) {
    selfCallee(other);
    pushFrame(below, argc, true, slow);
    a_.sub(x86::rsp, 8);  // native code runs at rsp = 8 mod 16: calls need 0
    a_.call(labels_[0]);
    a_.jmp(returned);
  }
  a_.bind(other);
  nativeCallee(argc, slow);
  pushFrame(below, argc, false, slow);
  a_.mov(x86::rax, x86::qword_ptr(x86::rdx, kJitCallEntry));
  a_.sub(x86::rsp, 8);
  a_.call(x86::rax);
  a_.bind(returned);
  a_.cmp(x86::eax, int(JitReason::Return));
  a_.jne(outOfLine(Stub::CalleeLeft, pc, true));
  // A callee that tail-called a higher-order primitive returns from its callback, whose
  // frame is above the Ho frame: the return helper steps the primitive.
  a_.mov(x86::rsi, kFiber);
  a_.mov(x86::rdi, x86::qword_ptr(x86::rsi, kFramesEnd));
  a_.cmp(x86::byte_ptr(x86::rdi, kFrameKind - 2 * int32_t(sizeof(Frame))), int(FrameKind::Ho));
  a_.je(calleeReturned);
  // Pop the callee's frame; its value goes to its callee slot; this frame's registers.
  a_.sub(x86::rdi, int32_t(sizeof(Frame)));
  a_.mov(x86::qword_ptr(x86::rsi, kFramesEnd), x86::rdi);
  a_.mov(x86::ecx, x86::dword_ptr(x86::rdi, kFrameVbase));
  a_.mov(x86::r9, x86::qword_ptr(x86::rsi, kValsBegin));
  a_.mov(x86::qword_ptr(x86::r9, x86::rcx, 3, -8), x86::rdx);
  a_.lea(kFrame, x86::ptr(x86::rdi, -int32_t(sizeof(Frame))));
  a_.mov(x86::ecx, x86::dword_ptr(kFrame, kFrameVbase));
  a_.lea(kBase, x86::ptr(x86::r9, x86::rcx, 3));
  a_.mov(kEnv, x86::qword_ptr(kFrame, kFrameEnv));
  a_.add(x86::rsp, 8);
  a_.jmp(resume);

  // The helpers: the callee's entry, or (a higher-order primitive) one callback's entry
  // after another, each return stepping the primitive, until a reason. The registers
  // are reloaded from ctx after each helper: a helper may have grown f.vals or f.frames.
  a_.bind(slow);
  a_.sub(x86::rsp, 8);
  a_.mov(x86::rdi, kCtx);
  a_.mov(x86::esi, argc);
  a_.lea(x86::rdx, slot(below));
  a_.lea(x86::rcx, x86::ptr(x86::rsp, 8));
  callHelper(reinterpret_cast<const void*>(&jitCallHelper));
  a_.test(x86::rax, x86::rax);
  a_.jz(outOfLine(Stub::AfterHelper, pc, true, reload));
  a_.bind(callNext);
  a_.mov(kBase, x86::qword_ptr(kCtx, kCtxBase));
  a_.mov(kFrame, x86::qword_ptr(kCtx, kCtxFrame));
  a_.mov(kEnv, x86::qword_ptr(kFrame, kFrameEnv));
  a_.call(x86::rax);
  a_.cmp(x86::eax, int(JitReason::Return));
  a_.jne(outOfLine(Stub::CalleeLeft, pc, true));
  a_.bind(calleeReturned);
  a_.mov(x86::rdi, kCtx);
  a_.mov(x86::rsi, x86::rdx);
  a_.lea(x86::rdx, x86::ptr(x86::rsp, 8));
  callHelper(reinterpret_cast<const void*>(&jitReturnHelper));
  a_.test(x86::rax, x86::rax);
  a_.jnz(callNext);
  a_.test(x86::edx, x86::edx);
  a_.jnz(outOfLine(Stub::AfterHelper, pc, true));
  a_.add(x86::rsp, 8);
  a_.bind(reload);
  a_.mov(kBase, x86::qword_ptr(kCtx, kCtxBase));
  a_.mov(kFrame, x86::qword_ptr(kCtx, kCtxFrame));
  a_.mov(kEnv, x86::qword_ptr(kFrame, kFrameEnv));
  a_.bind(resume);
}

// The frame becomes the callee's, and the code continues at the start of the callee's
// native code (its own, or another function's) on the same C stack. Fast paths (a loop:
// this function again; or the common shape): the callee and arguments move down to
// this frame's callee slot inline; otherwise the tail call helper does it, or says why
// the VM makes the call.
void Emitter::tailCall(uint32_t pc) {
  uint32_t j = height(pc), argc = readU8(at(pc) + 1), from = j - argc - 1;
  Label slow = a_.newLabel(), other = a_.newLabel();
  a_.mov(x86::rax, slot(from));
  auto moveDown = [&] {
    for (uint32_t k = 0; k <= argc; ++k) {  // upwards: the destination is below the source
      a_.mov(x86::r10, slot(from + k));
      a_.mov(x86::qword_ptr(kBase, int32_t(8 * k) - 8), x86::r10);
    }
    a_.mov(x86::qword_ptr(kFrame, kFrameA), x86::rax);
    a_.mov(kEnv, x86::qword_ptr(x86::rax, kClosureEnv));
    a_.mov(x86::qword_ptr(kFrame, kFrameEnv), kEnv);
    a_.mov(x86::dword_ptr(kFrame, kFrameI), 0);
    a_.inc(x86::qword_ptr(x86::r8, kInfoCalls));
  };
  if (selfCallable(argc)) {
    // The frame keeps its size and code: no room to check.
    selfCallee(other);
    moveDown();
    a_.mov(x86::dword_ptr(kFrame, kFrameJ), code_.nlocals);
    for (uint32_t k = argc; k < code_.nlocals; ++k) a_.mov(slot(k), imm(int32_t(Value::kNil)));
    a_.jmp(labels_[0]);
  }
  a_.bind(other);
  nativeCallee(argc, slow);
  a_.mov(x86::rsi, kFiber);
  a_.mov(x86::r10d, x86::dword_ptr(x86::rdx, kJitFrameSlots));
  a_.lea(x86::r10, x86::ptr(kBase, x86::r10, 3));
  a_.cmp(x86::r10, x86::qword_ptr(x86::rsi, kValsEnd));
  a_.ja(slow);
  moveDown();
  a_.mov(x86::qword_ptr(kFrame, kFrameCode), x86::rcx);
  a_.mov(x86::r11d, x86::dword_ptr(x86::rdx, kJitNlocals));
  a_.mov(x86::dword_ptr(kFrame, kFrameJ), x86::r11d);
  nilLocals(kBase, argc);
  a_.jmp(x86::qword_ptr(x86::rdx, kJitCallEntry));

  a_.bind(slow);
  commit(pc, j);
  a_.sub(x86::rsp, 8);
  a_.mov(x86::rdi, kCtx);
  a_.mov(x86::esi, argc);
  a_.lea(x86::rdx, slot(from));
  a_.lea(x86::rcx, x86::ptr(x86::rsp, 8));
  callHelper(reinterpret_cast<const void*>(&jitTailCallHelper));
  a_.add(x86::rsp, 8);
  a_.test(x86::rax, x86::rax);
  a_.jz(outOfLine(Stub::AfterHelper, pc, false));
  // The frame on top: this one, or a higher-order primitive's callback above its Ho frame.
  a_.mov(kBase, x86::qword_ptr(kCtx, kCtxBase));
  a_.mov(kFrame, x86::qword_ptr(kCtx, kCtxFrame));
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

}  // namespace sx::detail
