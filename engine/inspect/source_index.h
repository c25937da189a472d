// What the analyser's output says about source text, without running it: where globals
// are defined (DefineGlobal nodes) and where perform is called, plus the reader and
// analysis diagnostics of a buffer. Engine thread only.
#pragma once

#include <string>
#include <vector>

#include "cek/node.h"
#include "inspect/inspector.h"

namespace sx::inspect::detail {

// Adds the global definitions and perform calls in `p` and its nested functions.
// `file` names the source when the spans point at a scratch source (checkBuffer).
void collectFromProto(Isolate& iso, Proto* p, const std::string* file, std::vector<Definition>* defs,
                      std::vector<SourcePos>* performSites);

// Reads and analyses `text` as the source `name`, collecting every form's error, its
// definitions and its perform sites. `scratchFile` is a source id the spans are recorded
// against (its text is not used), so checking does not grow the isolate's source table.
SourceChecked checkBuffer(Isolate& iso, uint32_t scratchFile, const std::string& name, const std::string& text,
                          uint64_t generation);

// The kind of value a global holds: "function", "macro", "component", "constructor",
// "primitive" or "value".
const char* globalKind(Value v);

}  // namespace sx::inspect::detail
