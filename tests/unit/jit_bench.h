// The JIT unit tests' harness: an engine that runs hand-assembled bytecode
// (compiler/disasm.h) in the VM and natively, and counts the exits native code took by
// reason (jit_reasons.h).
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bytecode_bench.h"
#include "effects/run.h"
#include "jit/jit_x64.h"
#include "reader/printer.h"

namespace jit_test {

using namespace sx;

using Exits = std::map<std::string, uint64_t>;

// The shared harness plus a call in either tier.
struct Bench : sx::test::BytecodeBench {
  Bench() : BytecodeBench({}, "test_jit.sx") {}

  // The printed result of a call in a tier, or "error: message".
  std::string call(Tier tier, Value f, const std::vector<std::string>& args) {
    iso.tier = tier;
    Fiber fb(iso);
    startCall(fb, f, data(args));
    RunStatus s = driveToCompletion(fb);
    if (s == RunStatus::Error) return "error: " + fb.diagnostic.message;
    return printValue(iso, fb.result);
  }
};

inline const Code& codeOf(Value f) { return *as<Closure>(f)->proto->info->code; }

inline Exits exitsOf(const Code& c) {
  Exits out;
  if (!c.jit) return out;
  for (int r = 0; r < kJitReasonCount; ++r)
    if (c.jit->counts[size_t(r)]) out[jitReasonName(JitReason(r))] = c.jit->counts[size_t(r)];
  return out;
}

inline Exits minus(Exits after, const Exits& before) {
  for (auto& [k, v] : before) after[k] -= v;
  for (auto it = after.begin(); it != after.end();) it = it->second ? std::next(it) : after.erase(it);
  return after;
}

// Runs `f` in the VM, then natively; the answers must agree. Returns the native answer
// and the exits native code took for that one call.
inline std::pair<std::string, Exits> vmThenJit(Bench& t, Value f, const std::vector<std::string>& args) {
  std::string vm = t.call(Tier::Vm, f, args);
  Exits before = exitsOf(codeOf(f));
  std::string jit = t.call(Tier::Jit, f, args);
  if (jit != vm) throw std::runtime_error("vm said " + vm + ", jit said " + jit);
  if (!codeOf(f).jit || !codeOf(f).jit->native()) throw std::runtime_error("no native code");
  return {jit, minus(exitsOf(codeOf(f)), before)};
}

inline std::string exitsText(const Exits& e) {
  std::string out;
  for (auto& [k, v] : e) out += (out.empty() ? "" : " ") + k + "=" + std::to_string(v);
  return out;
}

}  // namespace jit_test
