// The baseline x86-64 JIT (DESIGN §5): each bytecode instruction becomes a short native
// sequence that works on the VM frame in memory. Values never live only in registers
// across an instruction boundary: the frame's slots in f.vals hold them, so the VM can
// continue a JIT'd frame at any instruction. Native code is entered by the VM at an
// instruction (jitRun) and hands the frame back with a reason (jit_reasons.h): before
// an instruction it does not complete (the VM executes it, so nothing runs twice), or
// at RETURN. Calls and tail calls between JIT'd functions push and pop the same VM
// frames the VM would, natively; failed fast-path checks call the primitive natively.
//
// The JIT is split along its seams: jit_emit.cpp, jit_emit_numbers.cpp (arithmetic and
// comparisons: fixnums inline, floats in SSE2) and jit_emit_calls.cpp (bytecode to
// machine code; jit_emitter.h), jit_runtime.cpp (executable memory, compiling, the
// entry from the VM, the helpers native code calls), jit_listing.cpp (Zydis listing of
// the relocated bytes, ranges, asmjit's listing), jit_prims.cpp (jit-inspect, jit-stats
// columns, sx disasm --native).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/code.h"
#include "effects/fiber.h"
#include "effects/ho.h"
#include "jit/jit_reasons.h"

namespace sx {

// The entry table holds a 32-bit native offset per bytecode byte; past a megabyte of
// bytecode in one function the table alone would be 4 MiB, so such functions stay in the VM.
constexpr uint32_t kMaxJitBytecode = 1u << 20;
// JIT-to-JIT calls nest on the C stack: 16 bytes per call (a return address and the
// alignment pad), plus the helpers' frames at the deepest point only. Past this depth a
// call goes through the VM's loop, which starts a new native chain: at most 16 KB of C
// stack per chain, and the SX depth limit and its error stay the VM's.
constexpr uint32_t kMaxNativeDepth = 1024;
// Entering native code from the VM (jitRun: the context, the entry's register saves,
// the hand-back) costs about as much as interpreting this many instructions, so a short
// leaf (at most this many instructions, no calls, no loops) that the VM calls back from
// a higher-order primitive runs in the VM, as does the rest of one the VM has started
// (after an exit); native callers, and the VM's own calls, still run its native code.
constexpr uint32_t kShortLeafInstructions = 8;

// One native range: the machine code from `native` up to the next range's start belongs
// to the bytecode instruction at `bytecode` (kNoBytecode: prologue, epilogue, exit tails).
struct JitRange {
  static constexpr uint32_t kNoBytecode = UINT32_MAX;
  uint32_t native;
  uint32_t bytecode;
  bool exitStub;      // out-of-line code of the instruction at `bytecode`: an exit, a
                      // slow path, or what follows a call helper or a callee that left
  JitReason reason;   // that code's reason (None after a call helper: the helper's)
  bool floatPath = false;  // out-of-line code: the float path of arithmetic or a comparison
};

namespace detail {
struct JitCtx;  // jit_detail.h
}

// Native code made from one Code, or why there is none. Owned by the Code (Code::jit).
struct JitCode {
  static constexpr uint32_t kNoEntry = UINT32_MAX;
  using Fn = uint32_t (*)(detail::JitCtx* ctx, Frame* fr, Value* base, const void* target);

  JitReason refusal = JitReason::None;
  std::string refusalDetail;
  Fn fn = nullptr;                  // the entry from C++: sets up registers, calls `target`
  const uint8_t* bytes = nullptr;   // the relocated instructions (excluding padding)
  uint32_t size = 0;
  std::vector<uint32_t> entries;    // per bytecode offset: its native sequence, or kNoEntry
  std::vector<JitRange> ranges;     // ascending native offsets
  std::array<uint64_t, kJitReasonCount> counts{};  // slow paths and exits taken, by reason
  // What native callers read (at fixed offsets, jit_emit.cpp): the entry of a function
  // of the common shape (no Env frame, no rest list, not a block), else null; its
  // parameters, locals, and slots (locals and operand stack).
  const void* callEntry = nullptr;
  uint32_t nparams = 0;
  uint32_t nlocals = 0;
  uint32_t frameSlots = 0;
  bool shortLeaf = false;  // kShortLeafInstructions or fewer, no calls, no backward jumps

  JitCode() = default;
  JitCode(const JitCode&) = delete;
  JitCode& operator=(const JitCode&) = delete;
  ~JitCode();

  bool native() const { return fn != nullptr; }
  const void* entryAt(uint32_t pc) const {
    uint32_t e = entries[pc];
    return e == kNoEntry ? nullptr : bytes + e;
  }
};

// Makes native code for `code` (or records the refusal); afterwards code.jit is set.
// Never throws: a function the JIT cannot compile runs in the VM. When it is called is
// the tier policy's (vm/tier.h: tierUpDue).
void jitCompile(const Code& code, const std::string& name);

// Runs the fiber's top frame natively from `target` (an entry of its code). Returns
// when native code hands control back: the top frame (another one when a function
// called from native code left native code) then has i = the instruction to continue
// at, which the VM executes itself before native code may resume, and j = its stack
// height there. Rethrows what a primitive called from native code raised (the frame
// committed as the VM commits it around a primitive call). Native code may also hand
// back an Ho frame on top (of a higher-order primitive native code started): then
// returns true with what it waits for in *hoWaiting (a callback call, its callee and
// args on top of f.vals, or its value to deliver), for the VM to carry out.
bool jitRun(Fiber& f, const void* target, HoAction* hoWaiting);

// ---- inspection (jit_listing.cpp) ------------------------------------------------------

struct JitLine {
  uint64_t address;
  uint32_t offset;    // from the start of the function's code
  const JitRange* range;  // the range it belongs to
  std::string hex;    // the instruction's bytes
  std::string text;   // Zydis, Intel syntax, of the relocated bytes
};

// The Zydis disassembly of a function's relocated code, one line per instruction.
std::vector<JitLine> jitDisassemble(const JitCode& jit);

// The machine code of one range as listings show it: the range, what it is for people
// ("0007  CALL_PRIM  +/2", "prologue", "slow path at 0007 (overflow): the primitive", ...)
// and its Zydis lines. Out-of-line ranges with no code are left out; a bytecode
// instruction with no machine code of its own is kept, with no lines.
struct JitBlock {
  const JitRange* range;
  std::string title;
  std::vector<JitLine> lines;
};
std::vector<JitBlock> jitBlocks(Isolate& iso, const Code& code);

// asmjit's listing of the function (code before relocation: far addresses as asmjit
// saw them), with a comment per bytecode instruction. The code is emitted again with a
// logger; the machine code is the same as the installed code's.
std::string jitAsmListing(Isolate& iso, const Code& code);

// The native listing for people: a header, then per range its bytecode instruction (or
// prologue, exit stub, exit tails) followed by its machine instructions.
std::string formatNativeListing(Isolate& iso, const Code& code, const std::string& name);

// The native listing of a global function and its blocks, compiling it to bytecode and
// native code if needed (sx disasm --native); "" and *error set when that fails.
std::string nativeListing(Isolate& iso, const std::string& name, std::string* error);

// Adds the JIT's columns to a jit-stats row for a function with bytecode `code`:
// native-size, jit-refusal, deopts (total), counts ({reason count}: slow paths and exits).
void jitStatsColumns(Isolate& iso, const Code* code, Value row);

// The debug primitives of the JIT (jit-inspect).
void registerJitNatives(Isolate& iso);

}  // namespace sx
