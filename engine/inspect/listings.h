// Compiled code as the bytecode, native-code and JIT panels see it: plain copies made on
// the engine's thread (code_listing.cpp) from the engine's own records — the tier policy's
// per-function state, the compiler's disassembly (compiler/disasm.h) and the JIT's code,
// ranges and counts (jit/jit_x64.h). (The preview's HttpRequestRecord is in preview.h.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "inspect/source_pos.h"

namespace sx::inspect {

// How often native code of one function took a slow path, deopted or exited, by reason.
struct JitCount {
  std::string reason;  // the stable name from jit_reasons.h ("overflow", "unsupported", ...)
  std::string kind;    // "slow", "deopt" or "exit"
  std::string text;    // what the reason means
  uint64_t count = 0;
};

// One function the engine has called or compiled (a lambda, or a compiler-made block).
struct FunctionSummary {
  uint64_t id = 0;        // stable while the isolate lives (functions called once are kept)
  std::string name;       // "" for anonymous lambdas and blocks
  std::string label;      // for people: the name, "(fn) file:line", "block in name"
  bool block = false;
  bool prelude = false;   // defined by the engine's built-in prelude, not by the user
  std::string tier;       // where its calls run now: "cek", "vm" or "jit"
  std::string refusal;    // why it stays on the CEK ("" when it has bytecode)
  std::string jitRefusal; // why it has bytecode but no native code ("" otherwise)
  uint64_t calls = 0;
  uint32_t bytecodeSize = 0;
  uint32_t nativeSize = 0;
  uint64_t deopts = 0;    // the deopt-kind counts, summed
  std::vector<JitCount> counts;  // nonzero counts only
  SourcePos span;
};

struct BytecodeRow {
  uint32_t offset = 0;
  uint32_t size = 0;     // bytes, with its operands
  std::string opcode;
  std::string operands;  // rendered: constants, names, jump targets
  int64_t target = -1;   // jump target offset, or -1
  SourcePos span;
};

struct NativeRow {
  uint64_t address = 0;
  uint32_t offset = 0;      // from the start of the function's code
  std::string bytes;        // hex
  std::string instruction;  // Zydis, Intel syntax, of the relocated bytes
};

// A run of machine code that belongs to one bytecode instruction (or to none: the
// prologue and exit tails), in address order as the emitter laid it out.
struct NativeGroup {
  static constexpr int64_t kNoBytecode = -1;
  int64_t bytecodeOffset = kNoBytecode;
  std::string title;        // "0007  CALL_PRIM  +/2", "slow path at 0007 (overflow)", "prologue"
  bool outOfLine = false;   // an exit stub or slow path placed after the instructions
  std::vector<NativeRow> rows;
};

struct FunctionListing {
  FunctionSummary function;
  // Bytecode (empty when the function stays on the CEK).
  uint32_t params = 0, locals = 0, maxStack = 0;
  bool rest = false;
  std::vector<std::string> constants;  // printed, by index
  std::vector<BytecodeRow> rows;
  // Native code (empty groups when there is none: see function.jitRefusal / tier).
  uint64_t nativeAddress = 0;
  std::vector<NativeGroup> native;
};

}  // namespace sx::inspect
