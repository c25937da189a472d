// The printer: values to text. `printValue` writes the readable form that the reader
// reads back (strings quoted with escapes, keywords as :k, lists (a b c), dicts
// {:k v} in insertion order, chars #\a, rationals 1/3, floats in the shortest form
// that reads back to the same double, integral floats without a decimal point).
// `displayValue` is what `str` produces: strings and chars raw, nil as "".
// Both are cycle- and depth-safe: a structure nested deeper than kMaxPrintDepth or
// containing itself prints "..." at that point instead of recursing forever.
#pragma once

#include <string>

#include "value/isolate.h"

namespace sx {

constexpr int kMaxPrintDepth = 10000;

std::string printValue(Isolate& iso, Value v);    // readable (inspect / serializer)
std::string displayValue(Isolate& iso, Value v);  // display (str)
void printTo(Isolate& iso, Value v, std::string& out, bool readable);

// Number formatting shared by printer, str and format.
std::string formatDouble(double d);  // "3" for 3.0, "0.1", "1e+100", "inf", "-inf", "nan"
// Escape a string body for the readable form (without the surrounding quotes).
void escapeStringTo(std::string_view s, std::string& out);

}  // namespace sx
