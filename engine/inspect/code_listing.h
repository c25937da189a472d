// Compiled code as data for the bytecode, native-code and JIT panels (listings.h): which
// functions the engine has run or compiled, and one function's bytecode and native code.
// Engine thread only, between runs or while a run is paused: it reads the tier policy's
// records, the compiler's disassembly and the JIT's code, and changes nothing.
#pragma once

#include <vector>

#include "inspect/inspector.h"
#include "value/isolate.h"

namespace sx::inspect::detail {

// The functions reachable from the tier policy's known functions and from `toplevels`
// (top-level forms the host kept) that have been called or compiled, outermost first.
FunctionsUpdated summarizeFunctions(Isolate& iso, const std::vector<Proto*>& toplevels);

// The listing of the function with `id` (FunctionSummary::id) among those.
ListingReady listFunction(Isolate& iso, const std::vector<Proto*>& toplevels, uint64_t id);

}  // namespace sx::inspect::detail
