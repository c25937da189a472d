// A compiled function: bytecode, constants, and the per-instruction source spans.
// Owned by the function's ProtoInfo (cek/node.h); constants are traced through it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/opcodes.h"
#include "value/error.h"
#include "value/objects.h"

namespace sx {

// Limits, each named with its cause.
constexpr uint32_t kMaxConstants = 0xFFFF;  // CONST and friends take a u16 index
constexpr uint32_t kMaxLocals = 0xFFFF;     // LOCAL_GET/ENV_GET take a u16 slot
constexpr uint32_t kMaxArgs = 0xFF;         // CALL takes a u8 argument count
constexpr uint32_t kMaxEnvHops = 0xFF;      // ENV_GET takes a u8 hop count

struct JitCode;  // engine/jit/jit_x64.h

struct Code {
  std::vector<uint8_t> bytes;
  std::vector<Value> consts;
  std::vector<std::pair<uint32_t, Span>> spans;  // (offset, span) in ascending offset order
  uint32_t nparams = 0;
  bool hasRest = false;
  bool isBlock = false;     // runs in its creator's env; takes no arguments
  bool needsEnv = false;    // locals live in a heap Env (the frame has closures or blocks)
  uint32_t nslots = 0;      // Env size when needsEnv
  uint32_t nlocals = 0;     // stack slots for locals when !needsEnv (params first)
  uint32_t maxStack = 0;    // operand stack depth, computed by the verifier
  // The JIT's native code for this bytecode, or why it made none; set on the first entry
  // under the jit tier (engine/jit) and freed with the Code.
  mutable std::shared_ptr<JitCode> jit;
  // Set with jit when the VM should look for a native entry at every instruction (the
  // code is native and not a short leaf: engine/jit/jit_x64.h, kShortLeafInstructions).
  mutable bool enterNative = false;

  Span spanAt(uint32_t offset) const;  // the span of the instruction at or before offset
};

// Reads the operand of an instruction at `pc` (pointing at the opcode byte).
inline uint8_t readU8(const uint8_t* p) { return p[0]; }
inline uint16_t readU16(const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); }
inline int32_t readI32(const uint8_t* p) {
  return int32_t(uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24));
}

// Net stack effect of the instruction at `pc` on the fall-through path.
int stackPops(const uint8_t* pc);
int stackPushes(const uint8_t* pc);

}  // namespace sx
