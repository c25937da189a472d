// The core primitive tables: numbers (prims_numbers.cpp), type predicates, identity and
// symbols (prims_predicates.cpp), characters (prims_chars.cpp); plus the few helpers
// other stdlib files share with them.
#pragma once

#include <cstdint>
#include <string_view>

#include "value/isolate.h"

namespace sx {

void registerNumberNatives(Isolate& iso);
void registerPredicateNatives(Isolate& iso);
void registerCharNatives(Isolate& iso);

// What `type-of` answers for v: "number", "list" (also for ()), "char", ..., and for an
// ADT value its type name.
std::string_view typeOfValue(Value v);

// Simple (one-to-one) case mapping for ASCII, Latin-1, Latin Extended-A, Greek and
// Cyrillic; other code points map to themselves.
uint32_t charUpcase(uint32_t cp);
uint32_t charDowncase(uint32_t cp);
bool charAlphabetic(uint32_t cp);
bool charWhitespace(uint32_t cp);
// The value of a decimal digit (ASCII and the common Unicode digit blocks), or -1.
int charDigitValue(uint32_t cp);

}  // namespace sx
