// The tier policy: which functions run on the CEK and which get bytecode. A lambda is
// compiled on its first call unless the tier is cek or its name matches a
// jit-exclude! pattern (exact names, or a prefix ending in *). Refusals are recorded
// per function with a reason from compiler.h's table.
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

// The function's bytecode under the current policy, compiling it if needed; null when it
// stays on the CEK (tier cek, excluded, or refused).
Code* ensureCompiled(Isolate& iso, Proto* p);

// Compiles regardless of the tier setting (bytecode-inspect, disasm); null when refused.
Code* compileNow(Isolate& iso, Proto* p);

// Every proto that has been called or compiled, for jit-stats and the IDE.
std::vector<Proto*> knownProtos(Isolate& iso);

// The debug primitives of the tiers (prims_debug.cpp).
void registerTierNatives(Isolate& iso);


}  // namespace sx
