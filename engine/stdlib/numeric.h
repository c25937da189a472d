// The numeric tower: fixnum and boxed int64 integers, doubles, exact rationals.
// Rulings: integer op integer -> integer, overflowing to float; any float -> float;
// `/` returns a float for integer operands ((/ 6 2) -> 3.0) and stays exact when a
// rational is involved; rationals with integers stay rational.
#pragma once

#include "value/isolate.h"

namespace sx {

// Arithmetic on any two numbers; throws SxError(Type) naming `fn` for non-numbers.
Value numAdd(Isolate& iso, Value a, Value b, const char* fn = "+");
Value numSub(Isolate& iso, Value a, Value b, const char* fn = "-");
Value numMul(Isolate& iso, Value a, Value b, const char* fn = "*");
Value numDiv(Isolate& iso, Value a, Value b, const char* fn = "/");
Value numNeg(Isolate& iso, Value a, const char* fn = "-");
// -1, 0, 1 by numeric value; throws SxError(Type) naming `fn` for non-numbers.
int numCompare(Isolate& iso, Value a, Value b, const char* fn);
// Numeric equality by value ((= 1 1.0) is true); false when either is not a number.
bool numEqual(Value a, Value b);
double toDouble(Value n);  // any number

}  // namespace sx
