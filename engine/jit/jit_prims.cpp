// The JIT as data for SX and hosts: (jit-inspect name), the jit-stats columns, and the
// text listing behind `sx disasm --native`. Inspecting compiles to bytecode and native
// code on demand; it does not change where a function runs (the VM enters native code
// only under the jit tier).
#include "compiler/compiler.h"
#include "compiler/disasm.h"
#include "jit/jit_x64.h"
#include "stdlib/native.h"
#include "value/dict.h"
#include "vm/tier.h"

namespace sx {

namespace {

void put(Isolate& iso, Value d, const char* k, Value v) { dictSet(as<Dict>(d), iso.str(k), v); }

// The bytecode of a named global lambda, with native code made for it; throws when
// there is none.
const Code& jitFor(Isolate& iso, const char* fn, std::string_view name) {
  Value v = iso.globalValue(name);
  if (!isType(v, ObjType::Lambda))
    throw SxError(v.isUnbound() ? ErrorCode::Undefined : ErrorCode::Type,
                  std::string(fn) + ": " + (v.isUnbound() ? "no function named " + std::string(name) : std::string(name) + " is not a lambda"));
  Proto* p = as<Closure>(v)->proto;
  Code* c = compileNow(iso, p);
  if (!c)
    throw SxError(ErrorCode::Type, std::string(fn) + ": " + std::string(name) + " cannot be compiled to bytecode: " +
                                       refusalReasonText(RefusalReason(p->info->refusal)));
  jitCompile(*c, p->info->name);
  return *c;
}

// The compiler's blocks (guard, reset, shift, provide, scope bodies) of a code object,
// depth first.
void blocksOf(const Code& code, std::vector<const Code*>& out) {
  for (Value k : code.consts) {
    if (!isType(k, ObjType::Proto)) continue;
    const ProtoInfo* info = as<Proto>(k)->info;
    if (!info->isBlock || !info->code) continue;
    out.push_back(info->code);
    blocksOf(*info->code, out);
  }
}

Value countsDict(Isolate& iso, const JitCode& jit) {
  Value d = iso.dict();
  for (int r = 0; r < kJitReasonCount; ++r)
    if (jit.counts[size_t(r)]) put(iso, d, jitReasonName(JitReason(r)), iso.integer(int64_t(jit.counts[size_t(r)])));
  return d;
}

Value linesData(Isolate& iso, const JitCode& jit) {
  std::vector<Value> rows;
  for (const JitLine& l : jitDisassemble(jit)) {
    Value d = iso.dict(6);
    put(iso, d, "address", iso.integer(int64_t(l.address)));
    put(iso, d, "offset", iso.integer(l.offset));
    bool inInstr = l.range && l.range->bytecode != JitRange::kNoBytecode;
    put(iso, d, "bytecode", inInstr ? iso.integer(l.range->bytecode) : Value::nil());
    put(iso, d, "exit-stub", Value::boolean(l.range && l.range->exitStub));
    put(iso, d, "bytes", iso.str(l.hex));
    put(iso, d, "text", iso.str(l.text));
    rows.push_back(d);
  }
  return iso.listFrom(rows.data(), rows.size());
}

Value rangesData(Isolate& iso, const JitCode& jit) {
  std::vector<Value> rows;
  for (size_t k = 0; k < jit.ranges.size(); ++k) {
    const JitRange& r = jit.ranges[k];
    Value d = iso.dict(5);
    put(iso, d, "bytecode", r.bytecode == JitRange::kNoBytecode ? Value::nil() : iso.integer(r.bytecode));
    put(iso, d, "start", iso.integer(r.native));
    put(iso, d, "end", iso.integer(k + 1 < jit.ranges.size() ? jit.ranges[k + 1].native : jit.size));
    put(iso, d, "exit-stub", Value::boolean(r.exitStub));
    put(iso, d, "reason", r.exitStub ? iso.str(jitReasonName(r.reason)) : Value::nil());
    rows.push_back(d);
  }
  return iso.listFrom(rows.data(), rows.size());
}

// (jit-inspect name) -> {:name :native :refusal :address :size :bytes :entries :ranges
//                        :instructions :listing :counts}
Value jitInspect(Isolate& iso, Args a) {
  std::string_view name = argName(iso, "jit-inspect", a, 0);
  const Code& code = jitFor(iso, "jit-inspect", name);
  const JitCode& jit = *code.jit;
  Value out = iso.dict(11);
  put(iso, out, "name", iso.str(name));
  put(iso, out, "native", Value::boolean(jit.native()));
  put(iso, out, "counts", countsDict(iso, jit));
  if (!jit.native()) {
    put(iso, out, "refusal", iso.str(jitReasonText(jit.refusal)));
    return out;
  }
  put(iso, out, "refusal", Value::nil());
  put(iso, out, "address", iso.integer(int64_t(uintptr_t(jit.bytes))));
  put(iso, out, "size", iso.integer(jit.size));
  std::string hex;
  for (const JitLine& l : jitDisassemble(jit)) hex += l.hex;
  put(iso, out, "bytes", iso.str(hex));
  std::vector<Value> entries;
  for (uint32_t pc = 0; pc < jit.entries.size(); ++pc)
    if (jit.entries[pc] != JitCode::kNoEntry) entries.push_back(iso.integer(pc));
  put(iso, out, "entries", iso.listFrom(entries.data(), entries.size()));
  put(iso, out, "ranges", rangesData(iso, jit));
  put(iso, out, "instructions", linesData(iso, jit));
  put(iso, out, "listing", iso.str(jitAsmListing(iso, code)));
  return out;
}

const NativeDef kNatives[] = {
    {"jit-inspect", jitInspect, 1, 1, 0, 0,
     "(jit-inspect name) -> {:native :refusal :address :size :bytes :entries :ranges :instructions :listing :counts}"},
};

}  // namespace

std::string nativeListing(Isolate& iso, const std::string& name, std::string* error) {
  try {
    const Code& code = jitFor(iso, "disasm --native", name);
    std::string out = formatNativeListing(iso, code, name);
    std::vector<const Code*> blocks;
    blocksOf(code, blocks);
    for (const Code* b : blocks) {
      jitCompile(*b, name);
      out += "\n" + formatNativeListing(iso, *b, name);
    }
    return out;
  } catch (const SxError& e) {
    *error = e.what();
    return {};
  }
}

void jitStatsColumns(Isolate& iso, const Code* code, Value row) {
  const JitCode* jit = code ? code->jit.get() : nullptr;
  bool native = jit && jit->native();
  put(iso, row, "native-size", native ? iso.integer(jit->size) : Value::nil());
  put(iso, row, "jit-refusal", jit && !native ? iso.str(jitReasonText(jit->refusal)) : Value::nil());
  uint64_t deopts = 0;
  if (jit)
    for (int r = 0; r < kJitReasonCount; ++r)
      if (jitReasonKind(JitReason(r)) == JitReasonKind::Deopt) deopts += jit->counts[size_t(r)];
  put(iso, row, "deopts", jit ? iso.integer(int64_t(deopts)) : Value::nil());
  put(iso, row, "counts", jit ? countsDict(iso, *jit) : Value::nil());
}

void registerJitNatives(Isolate& iso) { iso.registerNatives(kNatives, std::size(kNatives)); }

}  // namespace sx
