// Inspectable native code: the Zydis disassembly of the relocated bytes, asmjit's own
// listing with bytecode comments, and a listing for people that interleaves bytecode
// and machine instructions by the native ranges the emitter recorded.
#include <Zydis/Zydis.h>

#include <cinttypes>
#include <cstdio>

#include "compiler/disasm.h"
#include "jit/jit_detail.h"

namespace sx {

namespace {

std::string hexBytes(const uint8_t* p, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

// The range an instruction at native offset `off` belongs to: the last one starting at
// or before it (ranges with no code of their own share their start with the next).
const JitRange* rangeAt(const JitCode& jit, uint32_t off) {
  const JitRange* best = nullptr;
  for (const JitRange& r : jit.ranges) {
    if (r.native > off) break;
    best = &r;
  }
  return best;
}

std::string rangeTitle(const JitRange& r, const std::vector<Instruction>& bytecode, bool first) {
  char pc[16];
  std::snprintf(pc, sizeof pc, "%04u", r.bytecode);
  if (r.exitStub) {
    if (r.floatPath) return std::string("float path of ") + pc + ": floats, or a fixnum and a float, in SSE2";
    if (r.reason == JitReason::None) return std::string("no native call at ") + pc + ": leave with the helper's reason";
    if (r.reason == JitReason::CalleeLeft) return std::string("the callee of ") + pc + " left native code: leave, waiting on it";
    if (jitReasonKind(r.reason) == JitReasonKind::Slow) return std::string("slow path at ") + pc + " (" + jitReasonName(r.reason) + "): the primitive";
    return std::string("exit stub: leave before ") + pc + " (" + jitReasonName(r.reason) + ")";
  }
  if (r.bytecode == JitRange::kNoBytecode) return first ? "prologue" : "exit tails (count the exit, return its reason) and epilogue";
  for (const Instruction& in : bytecode)
    if (in.offset == r.bytecode) return std::string(pc) + "  " + opInfo(in.op).name + (in.text.empty() ? "" : "  " + in.text);
  return pc;
}

std::string counts(const JitCode& jit) {
  std::string out;
  for (int r = 0; r < kJitReasonCount; ++r)
    if (jit.counts[size_t(r)]) out += std::string(out.empty() ? "" : ", ") + jitReasonName(JitReason(r)) + " " + std::to_string(jit.counts[size_t(r)]);
  return out.empty() ? "none" : out;
}

}  // namespace

std::vector<JitLine> jitDisassemble(const JitCode& jit) {
  std::vector<JitLine> out;
  uint64_t base = uint64_t(uintptr_t(jit.bytes));
  for (uint32_t off = 0; off < jit.size;) {
    ZydisDisassembledInstruction ins;
    if (!ZYAN_SUCCESS(ZydisDisassembleIntel(ZYDIS_MACHINE_MODE_LONG_64, base + off, jit.bytes + off, jit.size - off, &ins))) {
      out.push_back(JitLine{base + off, off, rangeAt(jit, off), hexBytes(jit.bytes + off, 1), "(not an instruction)"});
      ++off;
      continue;
    }
    out.push_back(JitLine{base + off, off, rangeAt(jit, off), hexBytes(jit.bytes + off, ins.info.length), ins.text});
    off += ins.info.length;
  }
  return out;
}

std::string jitAsmListing(Isolate& iso, const Code& code) {
  if (!code.jit || !code.jit->native()) return {};
  asmjit::CodeHolder holder;
  holder.init(detail::jitRuntime().environment());
  asmjit::StringLogger logger;
  logger.addFlags(asmjit::FormatFlags::kMachineCode | asmjit::FormatFlags::kHexImms | asmjit::FormatFlags::kHexOffsets);
  holder.setLogger(&logger);
  detail::JitLayout layout;
  if (detail::emitFunction(holder, code, *code.jit, &iso, layout) != asmjit::kErrorOk) return {};
  return std::string(logger.data(), logger.dataSize());
}

std::vector<JitBlock> jitBlocks(Isolate& iso, const Code& code) {
  std::vector<JitBlock> out;
  const JitCode* jit = code.jit.get();
  if (!jit || !jit->native()) return out;
  std::vector<Instruction> bytecode = disassemble(iso, code);
  std::vector<JitLine> lines = jitDisassemble(*jit);
  size_t li = 0;
  for (size_t k = 0; k < jit->ranges.size(); ++k) {
    const JitRange& r = jit->ranges[k];
    uint32_t end = k + 1 < jit->ranges.size() ? jit->ranges[k + 1].native : jit->size;
    // Instructions with no machine code of their own (POP, unreachable code) still show.
    if (end == r.native && (r.bytecode == JitRange::kNoBytecode || r.exitStub)) continue;
    JitBlock b{&r, rangeTitle(r, bytecode, k == 0), {}};
    for (; li < lines.size() && lines[li].offset < end; ++li) b.lines.push_back(std::move(lines[li]));
    out.push_back(std::move(b));
  }
  return out;
}

std::string formatNativeListing(Isolate& iso, const Code& code, const std::string& name) {
  const JitCode* jit = code.jit.get();
  std::string fn = name.empty() ? "<lambda>" : name;
  if (code.isBlock) fn += " (block)";
  if (!jit || !jit->native()) {
    JitReason r = jit ? jit->refusal : JitReason::None;
    return "native " + fn + ": no native code" + (jit ? std::string(": ") + jitReasonText(r) + (jit->refusalDetail.empty() ? "" : " (" + jit->refusalDetail + ")") : "") + "\n";
  }
  char head[160];
  std::snprintf(head, sizeof head, "native %s: %u bytes at 0x%" PRIx64 " from %zu bytes of bytecode; slow paths and exits: ", fn.c_str(), jit->size,
                uint64_t(uintptr_t(jit->bytes)), code.bytes.size());
  std::string out = head + counts(*jit) + "\n";
  for (const JitBlock& b : jitBlocks(iso, code)) {
    out += "  " + b.title + (b.lines.empty() ? "   (no machine code)" : "") + "\n";
    for (const JitLine& line : b.lines) {
      char addr[64];
      std::snprintf(addr, sizeof addr, "    %016" PRIx64 "  %-22s ", line.address, line.hex.c_str());
      out += addr + line.text + "\n";
    }
  }
  return out;
}

}  // namespace sx
