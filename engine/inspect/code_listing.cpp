// Function summaries and listings for the inspector: copied out of ProtoInfo (tier state,
// calls), Code (disassemble) and JitCode (ranges, Zydis lines, counts).
#include "inspect/code_listing.h"

#include <filesystem>
#include <unordered_set>

#include "compiler/compiler.h"
#include "compiler/disasm.h"
#include "effects/runtime.h"
#include "jit/jit_x64.h"
#include "inspect/snapshot.h"
#include "vm/tier.h"

namespace sx::inspect::detail {

namespace {

uint64_t idOf(const Proto* p) { return uint64_t(uintptr_t(p)); }

bool hasRun(const ProtoInfo* info) { return info->calls > 0 || info->code != nullptr || info->tierState != TierState::Interpreted; }

// A function found by the walk, with the label of the function it is nested in.
struct Found {
  Proto* proto;
  std::string parentLabel;
};

std::string labelOf(Isolate& iso, const Found& f) {
  const ProtoInfo* info = f.proto->info;
  if (!info->name.empty()) return info->name;
  std::string where;
  if (const SourceFile* sf = iso.source(info->span.file))
    where = " " + std::filesystem::path(sf->name).filename().string() + ":" + std::to_string(info->span.line);
  if (info->isBlock) return "block in " + (f.parentLabel.empty() ? std::string("top level") : f.parentLabel) + where;
  return "(fn)" + where;
}

// Known functions first (in the order they were first compiled), then the kept top-level
// forms; each followed by the functions nested in it, depth first. Every function once.
std::vector<Found> walk(Isolate& iso, const std::vector<Proto*>& toplevels) {
  std::vector<Found> out;
  std::unordered_set<const Proto*> seen;
  std::vector<Found> work;
  auto visit = [&](Proto* root, const std::string& parentLabel) {
    work.push_back({root, parentLabel});
    while (!work.empty()) {
      Found f = work.back();
      work.pop_back();
      if (!seen.insert(f.proto).second) continue;
      std::string label = f.parentLabel;
      if (!f.proto->info->toplevel && hasRun(f.proto->info)) {
        out.push_back(f);
        label = labelOf(iso, f);
      }
      const auto& kids = f.proto->info->children;
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) work.push_back({*it, label});
    }
  };
  for (Proto* p : knownProtos(iso)) visit(p, "");
  for (Proto* p : toplevels) visit(p, "");
  return out;
}

std::string refusalOf(Isolate& iso, const ProtoInfo* info) {
  switch (info->tierState) {
    case TierState::Compiled: return {};
    case TierState::Refused: {
      std::string why = refusalReasonText(RefusalReason(info->refusal));
      return info->refusalDetail.empty() ? why : why + " (" + info->refusalDetail + ")";
    }
    case TierState::Interpreted: break;
  }
  if (iso.tier == Tier::Cek) return "interpreted: the tier is cek";
  return "interpreted: not compiled yet";
}

std::string jitRefusalOf(Isolate& iso, const ProtoInfo* info) {
  const Code* code = info->code;
  if (!code || info->tierState != TierState::Compiled) return {};
  const JitCode* jit = code->jit.get();
  if (!jit) {
    if (iso.tier == Tier::Auto)
      return "not hot yet: " + std::to_string(info->calls) + " calls and " + std::to_string(info->loops) +
             " loop back-edges of the " + std::to_string(iso.jitThreshold) + " that bring native code";
    return std::string("no native code yet: the tier is ") + tierName(iso.tier);
  }
  if (jit->native()) return {};
  std::string why = jitReasonText(jit->refusal);
  return jit->refusalDetail.empty() ? why : why + " (" + jit->refusalDetail + ")";
}

const char* kindName(JitReasonKind k) {
  switch (k) {
    case JitReasonKind::Slow: return "slow";
    case JitReasonKind::Deopt: return "deopt";
    case JitReasonKind::Exit: return "exit";
    case JitReasonKind::Refusal: return "refusal";
  }
  return "?";
}

FunctionSummary summarize(Isolate& iso, const Found& f) {
  const ProtoInfo* info = f.proto->info;
  FunctionSummary s;
  s.id = idOf(f.proto);
  s.name = info->name;
  s.label = labelOf(iso, f);
  s.block = info->isBlock;
  s.prelude = info->span.file != 0 && info->span.file == runtime(iso).preludeFile;
  s.tier = protoTierName(info);
  s.refusal = refusalOf(iso, info);
  s.jitRefusal = jitRefusalOf(iso, info);
  s.calls = info->calls;
  s.span = sourcePos(iso, info->span);
  if (const Code* code = info->code) {
    s.bytecodeSize = uint32_t(code->bytes.size());
    if (const JitCode* jit = code->jit.get(); jit && jit->native()) {
      s.nativeSize = jit->size;
      for (int r = 0; r < kJitReasonCount; ++r) {
        uint64_t n = jit->counts[size_t(r)];
        if (!n) continue;
        JitReasonKind kind = jitReasonKind(JitReason(r));
        if (kind == JitReasonKind::Deopt) s.deopts += n;
        s.counts.push_back(JitCount{jitReasonName(JitReason(r)), kindName(kind), jitReasonText(JitReason(r)), n});
      }
    }
  }
  return s;
}

void listBytecode(Isolate& iso, const Code& code, FunctionListing& out) {
  out.params = code.nparams;
  out.rest = code.hasRest;
  out.locals = code.needsEnv ? code.nslots : code.nlocals;
  out.maxStack = code.maxStack;
  for (Value c : code.consts)
    out.constants.push_back(isType(c, ObjType::Cell) ? "global " + constantText(iso, c) : constantText(iso, c));
  std::vector<Instruction> ins = disassemble(iso, code);
  for (size_t k = 0; k < ins.size(); ++k) {
    BytecodeRow row;
    row.offset = ins[k].offset;
    row.size = uint32_t((k + 1 < ins.size() ? ins[k + 1].offset : code.bytes.size()) - row.offset);
    row.opcode = opInfo(ins[k].op).name;
    row.operands = ins[k].text;
    row.target = ins[k].target;
    if (ins[k].span.valid()) row.span = sourcePos(iso, ins[k].span);
    out.rows.push_back(std::move(row));
  }
}

void listNative(Isolate& iso, const Code& code, FunctionListing& out) {
  const JitCode* jit = code.jit.get();
  if (!jit || !jit->native()) return;
  out.nativeAddress = uint64_t(uintptr_t(jit->bytes));
  for (const JitBlock& b : jitBlocks(iso, code)) {
    NativeGroup g;
    g.bytecodeOffset = b.range->bytecode == JitRange::kNoBytecode ? NativeGroup::kNoBytecode : int64_t(b.range->bytecode);
    g.title = b.title;
    g.outOfLine = b.range->exitStub;
    for (const JitLine& line : b.lines) g.rows.push_back(NativeRow{line.address, line.offset, line.hex, line.text});
    out.native.push_back(std::move(g));
  }
}

}  // namespace

FunctionsUpdated summarizeFunctions(Isolate& iso, const std::vector<Proto*>& toplevels) {
  FunctionsUpdated u;
  for (const Found& f : walk(iso, toplevels)) u.functions.push_back(summarize(iso, f));
  u.tier = tierName(iso.tier);
  u.jitExclude = jitExcludePatterns(iso);
  return u;
}

ListingReady listFunction(Isolate& iso, const std::vector<Proto*>& toplevels, uint64_t id) {
  ListingReady r;
  r.function = id;
  for (const Found& f : walk(iso, toplevels)) {
    if (idOf(f.proto) != id) continue;
    auto listing = std::make_shared<FunctionListing>();
    listing->function = summarize(iso, f);
    if (const Code* code = f.proto->info->code) {
      listBytecode(iso, *code, *listing);
      listNative(iso, *code, *listing);
    }
    r.listing = std::move(listing);
    return r;
  }
  r.error = "no function #" + std::to_string(id) + " is known to the engine";
  return r;
}

}  // namespace sx::inspect::detail
