// The tier policy: which functions run on the CEK, which get bytecode and which native
// code. A lambda is compiled to bytecode on its first call unless the tier is cek or its
// name matches a jit-exclude! pattern (exact names, or a prefix ending in *); refusals
// are recorded per function with a reason from compiler.h's table. Native code
// (engine/jit) comes on the first entry in the jit tier, never in the vm tier, and in the
// auto tier once the function is hot: iso.jitThreshold calls, or as many back-edges taken
// in the VM (the VM then enters native code at the instruction it is at: the function's
// start, or the loop header a backward jump or a self tail call arrives at).
#pragma once

#include <string>
#include <vector>

#include "cek/node.h"
#include "compiler/code.h"
#include "value/isolate.h"

namespace sx {

struct TierPolicy {
  std::vector<std::string> exact;
  std::vector<std::string> prefixes;
  bool excludes(const std::string& name) const;
};

TierPolicy& tierPolicy(Isolate& iso);
// The policy's patterns as written ("name", "prefix*"), in order.
std::vector<std::string> jitExcludePatterns(Isolate& iso);
// Adds patterns to the policy (jit-exclude!), or replaces them all (the IDE's JIT
// panel). Known functions that now match go back to the CEK; with `replace`, functions
// excluded before that no longer match are compiled again on their next call.
void addJitExclude(Isolate& iso, const std::vector<std::string>& patterns);
void replaceJitExclude(Isolate& iso, const std::vector<std::string>& patterns);

// Where calls of the function run now: "cek", "vm" or "jit".
const char* protoTierName(const ProtoInfo* info);

// Should the function with this ProtoInfo get native code now (its bytecode has none)?
inline bool tierUpDue(const Isolate& iso, const ProtoInfo& info) {
  if (iso.tier == Tier::Jit) return true;
  return iso.tier == Tier::Auto && (info.calls >= iso.jitThreshold || info.loops >= iso.jitThreshold);
}

// The function's bytecode under the current policy, compiling it if needed; null when it
// stays on the CEK (tier cek, excluded, or refused).
Code* ensureCompiled(Isolate& iso, Proto* p);

// Compiles regardless of the tier setting (bytecode-inspect, disasm); null when refused.
Code* compileNow(Isolate& iso, Proto* p);

// Every named proto that has been compiled or refused, for jit-stats and the IDE, each
// once. One from an earlier run of a source that no global leads to any more is replaced
// by the next run's function of the same name: re-running a file does not grow the list.
std::vector<Proto*> knownProtos(Isolate& iso);

// The debug primitives of the tiers (prims_debug.cpp).
void registerTierNatives(Isolate& iso);


}  // namespace sx
