// How primitives are declared. Each stdlib file declares one table of NativeDefs and
// registers it with Isolate::registerNatives.
//
// A plain native is a C++ function from arguments to a value. It may allocate freely
// (no collection happens until the next safepoint) and reports errors by throwing
// SxError (see argTypeError and friends below); the driver raises them as SX errors on
// the running fiber. A plain native never calls back into SX code: primitives that call
// functions (map, filter, sort, ...) are HO natives, driven as resumable frames by the
// fiber (see effects/ho.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "value/isolate.h"

namespace sx {

struct Args {
  const Value* v;
  uint32_t n;
  Value operator[](uint32_t i) const { return v[i]; }
  uint32_t size() const { return n; }
  // The i-th argument, or `def` when absent.
  Value opt(uint32_t i, Value def = Value::nil()) const { return i < n ? v[i] : def; }
};

using NativeFn = Value (*)(Isolate& iso, Args args);

enum NativeFlags : uint16_t {
  kNativePure = 1 << 0,   // no side effects; the CEK may call it eagerly on constant-free args
  kNativeHo = 1 << 1,     // calls SX functions: implemented as an HO frame (effects/ho.h)
  kNativeHost = 1 << 2,   // needs the running fiber (perform harness, debug primitives)
};

struct NativeDef {
  const char* name;
  NativeFn fn;        // null for HO natives
  int16_t minArgs;
  int16_t maxArgs;    // -1: variadic
  uint16_t flags;
  uint16_t hoKind;    // for kNativeHo: an HoKind (effects/ho.h)
  const char* doc;    // one line: "(name arg ...) -> result: meaning"
};

// Whether a call with argc arguments is within d's arity.
inline bool arityFits(const NativeDef* d, uint32_t argc) {
  return int(argc) >= d->minArgs && (d->maxArgs < 0 || int(argc) <= d->maxArgs);
}

// ---- argument checking helpers (all throw SxError) ------------------------------------
// Messages read: "<fn>: expected <what> for argument <i>, got <type> <printed value>".
[[noreturn]] void argTypeError(Isolate& iso, const char* fn, uint32_t index, const char* expected, Value got);
[[noreturn]] void arityError(const char* fn, uint32_t got, int16_t min, int16_t max);

int64_t argInt(Isolate& iso, const char* fn, Args a, uint32_t i);       // integer (fixnum or int64)
double argNumber(Isolate& iso, const char* fn, Args a, uint32_t i);     // any number, as double
std::string_view argString(Isolate& iso, const char* fn, Args a, uint32_t i);  // string only
// A string, or the name of a symbol or keyword.
std::string_view argName(Isolate& iso, const char* fn, Args a, uint32_t i);
Value argList(Isolate& iso, const char* fn, Args a, uint32_t i);   // () or a pair
Dict* argDict(Isolate& iso, const char* fn, Args a, uint32_t i);
Vector* argVector(Isolate& iso, const char* fn, Args a, uint32_t i);

// Each stdlib file exports one registration function; stdlib.cpp calls them all.
void registerCoreNatives(Isolate& iso);  // stdlib/stdlib.cpp: registers every table below

}  // namespace sx
