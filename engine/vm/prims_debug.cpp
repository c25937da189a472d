// Debug primitives of the tiers: jit-exclude!, jit-stats, set-tier!/tier, set-jit-threshold!/jit-threshold,
// bytecode-inspect, prim-check, vm-trace, disasm. Each works on any named function, compiling it on demand.
#include "cek/analyzer.h"
#include "cek/cek.h"
#include "compiler/compiler.h"
#include "compiler/disasm.h"
#include "effects/run.h"
#include "jit/jit_x64.h"
#include "reader/printer.h"
#include "reader/reader.h"
#include "stdlib/native.h"
#include "value/dict.h"
#include "vm/tier.h"
#include "vm/vm.h"

namespace sx {

namespace {

Value key(Isolate& iso, const char* k) { return iso.str(k); }
void put(Isolate& iso, Value d, const char* k, Value v) { dictSet(as<Dict>(d), key(iso, k), v); }

// The proto of a named global function (a lambda), compiled for inspection.
Proto* namedProto(Isolate& iso, const char* fn, Args a) {
  std::string_view name = argName(iso, fn, a, 0);
  Value v = iso.globalValue(name);
  if (v.isUnbound()) throw SxError(ErrorCode::Undefined, std::string(fn) + ": no function named " + std::string(name));
  if (isNative(v)) throw SxError(ErrorCode::Type, std::string(fn) + ": " + std::string(name) + " is a native function");
  if (!isType(v, ObjType::Lambda)) argTypeError(iso, fn, 1, "the name of a lambda", v);
  return as<Closure>(v)->proto;
}

Code* inspectCode(Isolate& iso, const char* fn, Proto* p) {
  Code* c = compileNow(iso, p);
  if (!c)
    throw SxError(ErrorCode::Type, std::string(fn) + ": " + p->info->name + " cannot be compiled: " +
                                       refusalReasonText(RefusalReason(p->info->refusal)) +
                                       (p->info->refusalDetail.empty() ? "" : " (" + p->info->refusalDetail + ")"));
  return c;
}

Value jitExclude(Isolate& iso, Args a) {
  std::vector<std::string> patterns;
  for (uint32_t i = 0; i < a.n; ++i) patterns.emplace_back(argName(iso, "jit-exclude!", a, i));
  addJitExclude(iso, patterns);
  return Value::nil();
}

Value jitStats(Isolate& iso, Args) {
  std::vector<Value> rows;
  for (Proto* p : knownProtos(iso)) {
    ProtoInfo* info = p->info;
    Value d = iso.dict(6);
    put(iso, d, "name", iso.str(info->name));
    put(iso, d, "calls", iso.integer(int64_t(info->calls)));
    put(iso, d, "loops", iso.integer(int64_t(info->loops)));
    put(iso, d, "tier", iso.str(protoTierName(info)));
    put(iso, d, "compiled", Value::boolean(info->tierState == TierState::Compiled));
    bool refused = info->tierState == TierState::Refused;
    put(iso, d, "reason", refused ? iso.str(refusalReasonText(RefusalReason(info->refusal))) : Value::nil());
    put(iso, d, "bytecode-size", info->code ? iso.integer(int64_t(info->code->bytes.size())) : Value::nil());
    jitStatsColumns(iso, info->code, d);
    rows.push_back(d);
  }
  return iso.listFrom(rows.data(), rows.size());
}

Value setTier(Isolate& iso, Args a) {
  std::string_view t = argName(iso, "set-tier!", a, 0);
  if (!parseTier(t, &iso.tier))
    throw SxError(ErrorCode::Type, "set-tier!: expected \"cek\", \"vm\", \"jit\" or \"auto\", got " + printValue(iso, a[0]));
  return a[0];
}

Value currentTier(Isolate& iso, Args) { return iso.str(tierName(iso.tier)); }

Value setJitThreshold(Isolate& iso, Args a) {
  Value n = a[0];
  if (!n.isFixnum() || n.asFixnum() < 1 || n.asFixnum() > int64_t(UINT32_MAX))
    throw SxError(ErrorCode::Type, "set-jit-threshold!: expected an integer from 1 to " + std::to_string(UINT32_MAX) +
                                       ", got " + printValue(iso, n));
  iso.jitThreshold = uint32_t(n.asFixnum());
  return n;
}

Value jitThreshold(Isolate& iso, Args) { return iso.integer(iso.jitThreshold); }

// (bytecode-inspect name) -> {:arity :num_locals :constants :bytecode ({:offset :op :args} ...)}
Value bytecodeInspect(Isolate& iso, Args a) {
  Code* c = inspectCode(iso, "bytecode-inspect", namedProto(iso, "bytecode-inspect", a));
  Value out = iso.dict(5);
  put(iso, out, "arity", iso.integer(c->nparams));
  put(iso, out, "rest", Value::boolean(c->hasRest));
  put(iso, out, "num_locals", iso.integer(c->needsEnv ? c->nslots : c->nlocals));
  put(iso, out, "constants", iso.listFrom(c->consts.data(), c->consts.size()));
  std::vector<Value> instrs;
  for (const Instruction& in : disassemble(iso, *c)) {
    Value d = iso.dict(4);
    put(iso, d, "offset", iso.integer(in.offset));
    put(iso, d, "op", iso.str(opInfo(in.op).name));
    std::vector<Value> args;
    for (int64_t x : in.operands) args.push_back(iso.integer(x));
    put(iso, d, "args", iso.listFrom(args.data(), args.size()));
    if (!in.text.empty()) put(iso, d, "text", iso.str(in.text));
    if (in.span.valid()) put(iso, d, "line", iso.integer(in.span.line));
    instrs.push_back(d);
  }
  put(iso, out, "bytecode", iso.listFrom(instrs.data(), instrs.size()));
  return out;
}

// (prim-check name) -> {:valid (primitive names called) :invalid (undefined globals referenced)}
Value primCheck(Isolate& iso, Args a) {
  Code* c = inspectCode(iso, "prim-check", namedProto(iso, "prim-check", a));
  std::vector<Value> valid, invalid;
  auto addUnique = [](std::vector<Value>& v, Value s) {
    for (Value x : v)
      if (x == s) return;
    v.push_back(s);
  };
  for (const Instruction& in : disassemble(iso, *c)) {
    uint8_t flags = opInfo(in.op).flags;
    if (flags & kOpCellCheck) {
      Cell* cell = as<Cell>(c->consts[in.operands[0]]);
      addUnique(cell->primitive.isNil() ? invalid : valid, iso.str(symName(cell->name)));
    } else if (in.op == Op::GLOBAL_GET) {
      Cell* cell = as<Cell>(c->consts[in.operands[0]]);
      if (cell->value.isUnbound()) addUnique(invalid, iso.str(symName(cell->name)));
    }
  }
  Value out = iso.dict(2);
  put(iso, out, "valid", iso.listFrom(valid.data(), valid.size()));
  put(iso, out, "invalid", iso.listFrom(invalid.data(), invalid.size()));
  return out;
}

Value disasmNative(Isolate& iso, Args a) {
  Proto* p = namedProto(iso, "disasm", a);
  return iso.str(formatListing(iso, *inspectCode(iso, "disasm", p), p->info->name));
}

// ---- vm-trace ----------------------------------------------------------------------------

struct TraceLog {
  Isolate* iso;
  std::vector<std::tuple<std::string, std::vector<Value>, uint32_t>> rows;
  size_t limit = 100000;
};

void traceHook(void* ctx, Fiber& f, const Frame& fr, uint32_t pc, const Value* stackBase, const Value* sp) {
  auto* log = static_cast<TraceLog*>(ctx);
  if (log->rows.size() >= log->limit) throw SxError(ErrorCode::Range, "vm-trace: more than 100000 instructions");
  Code* code = as<Closure>(fr.a)->proto->info->code;
  std::vector<Value> top;
  for (const Value* p = sp; p > stackBase && top.size() < 5; --p) top.push_back(p[-1]);
  uint32_t depth = 0;
  for (const Frame& x : f.frames) depth += x.kind == FrameKind::VM;
  log->rows.emplace_back(opInfo(Op(code->bytes[pc])).name, std::move(top), depth);
}

// (vm-trace "source") -> ({:opcode :stack :depth} ...) for every instruction executed.
Value vmTrace(Isolate& iso, Args a) {
  std::string_view src = argString(iso, "vm-trace", a, 0);
  ReadResult rr = readString(iso, src, "<vm-trace>");
  if (rr.error) throw SxError(ErrorCode::Reader, "vm-trace: " + rr.error->message);
  RootedValues keep(iso);
  std::vector<Value> forms;
  for (auto& d : rr.data) forms.push_back(d.value);
  Value body = iso.cons(iso.intern("begin"), iso.listFrom(forms.data(), forms.size()));
  keep.push(body);
  Proto* p = analyzeWithParams(iso, body, {}, Span{});
  keep.push(Value::object(p));
  p->info->name = "vm-trace";
  Tier saved = iso.tier;
  iso.tier = Tier::Vm;
  TraceLog log{&iso, {}};
  VmTracer prev = vmTracer;
  vmTracer = VmTracer{traceHook, &log};
  try {
    callSync(iso, makeClosureValue(iso, p, nullptr), {});
  } catch (...) {
    vmTracer = prev;
    iso.tier = saved;
    throw;
  }
  vmTracer = prev;
  iso.tier = saved;
  std::vector<Value> rows;
  for (auto& [op, top, depth] : log.rows) {
    Value d = iso.dict(3);
    put(iso, d, "opcode", iso.str(op));
    put(iso, d, "stack", iso.listFrom(top.data(), top.size()));
    put(iso, d, "depth", iso.integer(depth));
    rows.push_back(d);
  }
  return iso.listFrom(rows.data(), rows.size());
}

const NativeDef kNatives[] = {
    {"jit-exclude!", jitExclude, 0, -1, 0, 0, "(jit-exclude! \"name\" \"prefix*\" ...) keeps matching functions on the CEK"},
    {"jit-stats", jitStats, 0, 0, 0, 0,
     "(jit-stats) -> ({:name :calls :loops :tier :compiled :reason :bytecode-size :native-size :jit-refusal :deopts :counts} ...)"},
    {"set-tier!", setTier, 1, 1, 0, 0, "(set-tier! \"cek\"|\"vm\"|\"jit\"|\"auto\") sets where lambdas run from now on"},
    {"tier", currentTier, 0, 0, 0, 0, "(tier) -> the current tier name"},
    {"set-jit-threshold!", setJitThreshold, 1, 1, 0, 0,
     "(set-jit-threshold! n) auto tier: n calls or loop back-edges before a function gets native code"},
    {"jit-threshold", jitThreshold, 0, 0, 0, 0, "(jit-threshold) -> the auto tier's threshold"},
    {"bytecode-inspect", bytecodeInspect, 1, 1, 0, 0, "(bytecode-inspect name) -> {:arity :num_locals :constants :bytecode}"},
    {"prim-check", primCheck, 1, 1, 0, 0, "(prim-check name) -> {:valid (...) :invalid (...)}"},
    {"vm-trace", vmTrace, 1, 1, 0, 0, "(vm-trace src) -> ({:opcode :stack :depth} ...) per executed instruction"},
    {"disasm", disasmNative, 1, 1, 0, 0, "(disasm name) -> the bytecode listing of a function as text"},
};

}  // namespace

void registerTierNatives(Isolate& iso) {
  iso.registerNatives(kNatives, std::size(kNatives));
  registerJitNatives(iso);
}

}  // namespace sx
