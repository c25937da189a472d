#include "compiler/code.h"

#include <algorithm>
#include <iterator>

namespace sx {

const OpInfo kOpInfo[] = {
#define SX_OP(name, fmt, pops, pushes, flags, doc) {#name, OpFormat::fmt, pops, pushes, flags, doc},
    SX_OPCODES(SX_OP)
#undef SX_OP
};

int operandBytes(OpFormat f) {
  switch (f) {
    case OpFormat::None: return 0;
    case OpFormat::U8: return 1;
    case OpFormat::U16: return 2;
    case OpFormat::I32: return 4;
    case OpFormat::U16U8: return 3;
    case OpFormat::U8U16: return 3;
  }
  return 0;
}

int stackPops(const uint8_t* pc) {
  Op op = Op(pc[0]);
  switch (op) {
    case Op::CALL:
    case Op::TAIL_CALL: return readU8(pc + 1) + 1;
    case Op::CALL_PRIM: return readU8(pc + 3);
    default: return opInfo(op).pops;
  }
}

int stackPushes(const uint8_t* pc) {
  Op op = Op(pc[0]);
  switch (op) {
    case Op::AND_JUMP:
    case Op::OR_JUMP: return 0;  // fall-through path pops the value
    default: return opInfo(op).pushes;
  }
}

Span Code::spanAt(uint32_t offset) const {
  // The last span starting at or before offset.
  auto after = std::upper_bound(spans.begin(), spans.end(), offset, [](uint32_t o, const auto& e) { return o < e.first; });
  return after == spans.begin() ? Span{} : std::prev(after)->second;
}

}  // namespace sx
