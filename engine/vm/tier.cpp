#include "vm/tier.h"

#include <memory>
#include <unordered_set>
#include <vector>

#include "compiler/compiler.h"
#include "jit/jit_x64.h"

namespace sx {

namespace {

struct TierState_ {
  TierPolicy policy;
  std::unique_ptr<RootedValues> known;  // named protos that were compiled or refused
};

TierState_& state(Isolate& iso) {
  auto& slot = iso.extensions["tier"];
  if (!slot) {
    auto s = std::make_shared<TierState_>();
    s->known = std::make_unique<RootedValues>(iso);
    slot = s;
  }
  return *static_cast<TierState_*>(slot.get());
}

// Is `q` an earlier run's function of the same name as `p`: defined in an earlier read
// of the same source (the IDE runs a file again and again; each read is a new source file)?
bool earlierRunOf(Isolate& iso, const Proto* p, const Proto* q) {
  const ProtoInfo* a = p->info;
  const ProtoInfo* b = q->info;
  if (q == p || b->name != a->name || b->span.file >= a->span.file) return false;
  const SourceFile* fa = iso.source(a->span.file);
  const SourceFile* fb = iso.source(b->span.file);
  return fa && fb && fa->name == fb->name;
}

// The protos of the functions the globals hold and of the functions nested in them.
std::unordered_set<const Proto*> definedProtos(Isolate& iso) {
  std::unordered_set<const Proto*> out;
  std::vector<const Proto*> work;
  iso.forEachGlobal([&](std::string_view, Value v) {
    if (isType(v, ObjType::Lambda) || isType(v, ObjType::Macro) || isType(v, ObjType::Component))
      work.push_back(as<Closure>(v)->proto);
  });
  while (!work.empty()) {
    const Proto* p = work.back();
    work.pop_back();
    if (!out.insert(p).second) continue;
    for (const Proto* c : p->info->children) work.push_back(c);
  }
  return out;
}

// Known once each. A function of an earlier run of the same source with the same name that
// no global leads to any more was replaced by this one: it leaves the list, which is a GC
// root and would otherwise keep every run's functions alive and list them all.
void remember(Isolate& iso, Proto* p) {
  if (p->info->name.empty() || p->info->isBlock) return;
  std::vector<Value>& known = state(iso).known->values;
  bool seen = false;
  bool replaces = false;
  for (Value v : known) {
    seen |= as<Proto>(v) == p;
    replaces |= earlierRunOf(iso, p, as<Proto>(v));
  }
  if (replaces) {
    std::unordered_set<const Proto*> defined = definedProtos(iso);
    std::erase_if(known, [&](Value v) { return earlierRunOf(iso, p, as<Proto>(v)) && !defined.count(as<Proto>(v)); });
  }
  if (!seen) known.push_back(Value::object(p));
}

Code* compileInto(Isolate& iso, Proto* p) {
  ProtoInfo* info = p->info;
  CompileResult r = compileProto(iso, p);
  remember(iso, p);
  if (!r.code) {
    info->tierState = TierState::Refused;
    info->refusal = uint8_t(r.refusal);
    info->refusalDetail = r.detail;
    return nullptr;
  }
  info->code = r.code;
  info->tierState = TierState::Compiled;
  info->refusal = uint8_t(RefusalReason::None);
  return r.code;
}

}  // namespace

bool TierPolicy::excludes(const std::string& name) const {
  if (name.empty()) return false;
  for (const std::string& e : exact)
    if (e == name) return true;
  for (const std::string& p : prefixes)
    if (name.compare(0, p.size(), p) == 0) return true;
  return false;
}

TierPolicy& tierPolicy(Isolate& iso) { return state(iso).policy; }

std::vector<std::string> jitExcludePatterns(Isolate& iso) {
  const TierPolicy& pol = state(iso).policy;
  std::vector<std::string> out = pol.exact;
  for (const std::string& p : pol.prefixes) out.push_back(p + "*");
  return out;
}

namespace {

// Sends known functions that match the policy back to the CEK and, with `readmit`, lets
// those excluded before that no longer match be compiled again on their next call.
void applyPolicy(Isolate& iso, bool readmit) {
  const TierPolicy& pol = state(iso).policy;
  for (Proto* p : knownProtos(iso)) {
    ProtoInfo* info = p->info;
    bool excluded = info->tierState == TierState::Refused && info->refusal == uint8_t(RefusalReason::Excluded);
    if (pol.excludes(info->name)) {
      info->tierState = TierState::Refused;
      info->refusal = uint8_t(RefusalReason::Excluded);
    } else if (readmit && excluded) {
      info->tierState = TierState::Interpreted;
      info->refusal = uint8_t(RefusalReason::None);
    }
  }
}

void addPatterns(TierPolicy& pol, const std::vector<std::string>& patterns) {
  for (const std::string& pat : patterns) {
    if (!pat.empty() && pat.back() == '*')
      pol.prefixes.push_back(pat.substr(0, pat.size() - 1));
    else
      pol.exact.push_back(pat);
  }
}

}  // namespace

void addJitExclude(Isolate& iso, const std::vector<std::string>& patterns) {
  addPatterns(state(iso).policy, patterns);
  applyPolicy(iso, false);
}

void replaceJitExclude(Isolate& iso, const std::vector<std::string>& patterns) {
  state(iso).policy = TierPolicy{};
  addPatterns(state(iso).policy, patterns);
  applyPolicy(iso, true);
}

const char* protoTierName(const ProtoInfo* info) {
  if (info->tierState != TierState::Compiled) return "cek";
  return info->code && info->code->jit && info->code->jit->native() ? "jit" : "vm";
}

Code* ensureCompiled(Isolate& iso, Proto* p) {
  ProtoInfo* info = p->info;
  if (info->tierState == TierState::Compiled) return info->code;
  if (info->tierState == TierState::Refused || iso.tier == Tier::Cek || info->toplevel || info->body == nullptr) return nullptr;
  if (state(iso).policy.excludes(info->name)) {
    info->tierState = TierState::Refused;
    info->refusal = uint8_t(RefusalReason::Excluded);
    remember(iso, p);
    return nullptr;
  }
  if (info->code) {  // compiled earlier for inspection
    info->tierState = TierState::Compiled;
    return info->code;
  }
  return compileInto(iso, p);
}

Code* compileNow(Isolate& iso, Proto* p) {
  ProtoInfo* info = p->info;
  if (info->code) return info->code;
  if (!info->body) return nullptr;
  Code* c = compileInto(iso, p);
  // Compiling for inspection does not change where the function runs when the policy
  // keeps it on the CEK.
  if (c && (iso.tier == Tier::Cek || state(iso).policy.excludes(info->name))) info->tierState = TierState::Interpreted;
  return c;
}

std::vector<Proto*> knownProtos(Isolate& iso) {
  std::vector<Proto*> out;
  for (Value v : state(iso).known->values) out.push_back(as<Proto>(v));
  return out;
}

}  // namespace sx
