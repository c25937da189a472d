#include "compiler/verifier.h"

#include <vector>

#include "stdlib/native.h"

namespace sx {

namespace {

bool fail(std::string* why, uint32_t pc, const std::string& msg) {
  if (why) *why = "at " + std::to_string(pc) + ": " + msg;
  return false;
}

// Checks an operand that indexes the constant pool and must hold `type`.
bool constOperand(const Code& c, uint32_t idx, ObjType type, uint32_t pc, std::string* why) {
  if (idx >= c.consts.size()) return fail(why, pc, "constant index " + std::to_string(idx) + " out of range");
  if (!isType(c.consts[idx], type)) return fail(why, pc, std::string("constant ") + std::to_string(idx) + " is not a " + typeOfName(type));
  return true;
}

bool operandsOk(const Code& c, uint32_t pc, std::string* why) {
  const uint8_t* p = c.bytes.data() + pc;
  Op op = Op(p[0]);
  switch (op) {
    case Op::CONST:
      if (readU16(p + 1) >= c.consts.size()) return fail(why, pc, "constant index out of range");
      return true;
    case Op::LOCAL_GET:
    case Op::LOCAL_SET:
      if (readU16(p + 1) >= c.nlocals) return fail(why, pc, "local slot " + std::to_string(readU16(p + 1)) + " out of range");
      return true;
    case Op::ENV_GET:
    case Op::ENV_SET:
      if (!c.isBlock && readU8(p + 1) == 0 && c.needsEnv && readU16(p + 2) >= c.nslots)
        return fail(why, pc, "env slot out of range");
      return true;
    case Op::GLOBAL_GET:
    case Op::GLOBAL_SET:
    case Op::GLOBAL_DEFINE:
      return constOperand(c, readU16(p + 1), ObjType::Cell, pc, why);
    case Op::CLOSURE:
    case Op::BLOCK:
      return constOperand(c, readU16(p + 1), ObjType::Proto, pc, why);
    case Op::GUARD:
    case Op::SHIFT:
      if (!c.needsEnv) return fail(why, pc, "needs an Env frame");
      return true;
    default:
      if (opInfo(op).flags & kOpCellCheck) {
        if (!constOperand(c, readU16(p + 1), ObjType::Cell, pc, why)) return false;
        // The fast path calls the cell's primitive directly: it must be a plain native.
        Value prim = as<Cell>(c.consts[readU16(p + 1)])->primitive;
        if (!isNative(prim) || !as<Native>(prim)->def->fn)
          return fail(why, pc, std::string(opInfo(op).name) + " names a global that is not a plain primitive");
      }
      return true;
  }
}

}  // namespace

bool verifyCode(Code& code, std::string* why) {
  const uint32_t n = uint32_t(code.bytes.size());
  if (n == 0) return fail(why, 0, "empty code");
  // Instruction boundaries.
  std::vector<bool> start(n, false);
  for (uint32_t pc = 0; pc < n;) {
    if (code.bytes[pc] >= kOpCount) return fail(why, pc, "unknown opcode " + std::to_string(code.bytes[pc]));
    start[pc] = true;
    pc += uint32_t(instrLength(Op(code.bytes[pc])));
    if (pc > n) return fail(why, pc, "truncated instruction");
  }
  std::vector<int32_t> depth(n, -1);
  std::vector<uint32_t> work;
  auto reach = [&](uint32_t pc, int32_t d, uint32_t from) -> bool {
    if (pc >= n || !start[pc]) return fail(why, from, "jump target " + std::to_string(pc) + " is not an instruction");
    if (depth[pc] == -1) {
      depth[pc] = d;
      work.push_back(pc);
    } else if (depth[pc] != d) {
      return fail(why, pc, "stack depth " + std::to_string(depth[pc]) + " and " + std::to_string(d) + " meet here");
    }
    return true;
  };
  if (!reach(0, 0, 0)) return false;
  int32_t maxDepth = 0;
  while (!work.empty()) {
    uint32_t pc = work.back();
    work.pop_back();
    const uint8_t* p = code.bytes.data() + pc;
    Op op = Op(p[0]);
    const OpInfo& info = opInfo(op);
    int32_t d = depth[pc];
    if (!operandsOk(code, pc, why)) return false;
    int pops = stackPops(p);
    if (pops > d) return fail(why, pc, std::string(info.name) + " pops " + std::to_string(pops) + " from a stack of " + std::to_string(d));
    uint32_t next = pc + uint32_t(instrLength(op));
    if (info.flags & kOpBranch) {
      uint32_t target = uint32_t(int64_t(next) + readI32(p + 1));
      int32_t td = (op == Op::AND_JUMP || op == Op::OR_JUMP) ? d : d - pops;
      if (!reach(target, td, pc)) return false;
    }
    int32_t nd = d - pops + stackPushes(p);
    if (nd > maxDepth) maxDepth = nd;
    if (d > maxDepth) maxDepth = d;
    if (info.flags & kOpEnd) continue;
    if (next >= n) return fail(why, pc, "execution falls off the end of the code");
    if (!reach(next, nd, pc)) return false;
  }
  code.maxStack = uint32_t(maxDepth) + 1;
  return true;
}

}  // namespace sx
