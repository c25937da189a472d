#include "vm/tier.h"

#include <memory>
#include <unordered_set>

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

void remember(Isolate& iso, Proto* p) {
  if (!p->info->name.empty() && !p->info->isBlock) state(iso).known->push(Value::object(p));
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
  std::unordered_set<Proto*> seen;
  for (Value v : state(iso).known->values)
    if (seen.insert(as<Proto>(v)).second) out.push_back(as<Proto>(v));
  return out;
}

}  // namespace sx
