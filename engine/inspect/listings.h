// Data the later inspector panels need, shaped like the snapshots: plain copies made on
// the engine's thread. Nothing produces these yet — the bytecode panel fills
// FunctionListing from compiler/disasm.h (disassemble, one Instruction per row), the JIT
// panel JitListing from the JIT's records (DESIGN §5) — each adding its Inspector method
// and Event alternative when its engine side exists (an interface method with no engine
// behind it must not exist). The preview's HttpRequestRecord is in preview.h, with the
// PreviewServer interface that produces it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "inspect/inspector.h"

namespace sx::inspect {

struct BytecodeRow {
  uint32_t offset = 0;
  std::string opcode;
  std::string operands;  // rendered: constants, names, jump targets
  int64_t target = -1;   // jump target offset, or -1
  SourcePos span;
};

struct FunctionListing {
  std::string function;
  std::string tier;     // "cek" (not compiled), "vm", "jit"
  std::string refusal;  // why it stays on the CEK, when it does
  uint64_t calls = 0;
  SourcePos span;
  std::vector<std::string> constants;
  std::vector<BytecodeRow> rows;
};

struct NativeRow {
  uint64_t address = 0;
  std::string bytes;        // hex
  std::string instruction;  // Zydis text
  uint32_t bytecodeOffset = 0;
};

struct JitListing {
  std::string function;
  bool compiled = false;
  std::string notCompiledReason;
  std::vector<std::string> deopts;  // one reason per deopt
  uint32_t nativeSize = 0;
  std::vector<NativeRow> rows;
};

}  // namespace sx::inspect
