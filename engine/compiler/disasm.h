// Disassembly as data first (one record per instruction with decoded operands and a
// source span), text second; and a small assembler for the same text form, so VM tests
// can run hand-written bytecode without the compiler.
//
// Text form, one instruction per line:   0007  CALL_PRIM  +/2        ; line 3:5
// The assembler reads:
//   .params N  .rest  .env SLOTS  .locals N  .block      (header directives)
//   .const DATUM                                          (a constant, read by the reader)
//   .global NAME                                          (the global cell of NAME)
//   label:                                                (a jump target)
//   OPCODE operand...                                     (numbers, or a label for jumps)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/code.h"
#include "value/isolate.h"

namespace sx {

struct Instruction {
  uint32_t offset = 0;
  Op op = Op::NIL;
  std::vector<int64_t> operands;  // raw decoded operands
  std::string text;               // operands rendered for people: constants, names, targets
  int64_t target = -1;            // jump target offset, or -1
  Span span;
};

std::vector<Instruction> disassemble(Isolate& iso, const Code& code);
// A constant as listings show it: a global cell by its name, a function as <fn name>,
// anything else printed and clipped.
std::string constantText(Isolate& iso, Value v);
// A listing: a header (arity, locals, constants) and one line per instruction.
std::string formatListing(Isolate& iso, const Code& code, const std::string& name);

struct AssembleResult {
  Code* code = nullptr;  // owned by the caller
  std::string error;     // "line N: message"
};
[[nodiscard]] AssembleResult assemble(Isolate& iso, const std::string& text);

}  // namespace sx
