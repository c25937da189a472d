// Equality and ordering shared by primitives, case/match and sort.
#pragma once

#include "value/isolate.h"

namespace sx {

// `=` / `equal?`: deep structural for lists, vectors and dicts (same keys and equal
// values, order-insensitive), numbers by value, strings/symbols/keywords/chars by
// content, everything else by identity. Depth- and cycle-safe.
bool valuesEqual(Value a, Value b);
// `eq?`: identity (numbers and chars compare by value since they may be boxed).
bool valuesIdentical(Value a, Value b);
// The default `sort` / `<` order: numbers by value, strings by code point, chars by
// code point. Anything else (or mixed kinds) throws SxError(Type) naming `fn`.
int compareValues(Isolate& iso, Value a, Value b, const char* fn);

}  // namespace sx
