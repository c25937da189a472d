// Heap object layouts. Every heap object starts with the 8-byte Obj header.
// Objects never move. Objects that own out-of-heap memory (dict tables, vector
// storage, string buffers, continuation copies) release it in Heap::finalize.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "value/value.h"

namespace sx {

// The object kinds, declared once. X(Enum, "type-of name")
#define SX_OBJ_TYPES(X)                  \
  X(String, "string")                    \
  X(Symbol, "symbol")                    \
  X(Keyword, "keyword")                  \
  X(Pair, "list")                        \
  X(Dict, "dict")                        \
  X(Vector, "vector")                    \
  X(Float, "number")                     \
  X(Int64, "number")                     \
  X(Rational, "number")                  \
  X(Lambda, "lambda")                    \
  X(Macro, "macro")                      \
  X(Component, "component")              \
  X(Native, "function")                    \
  X(Continuation, "continuation")        \
  X(RawHtml, "raw-html")                 \
  X(Spread, "spread")                    \
  X(Adt, "adt")                          \
  X(AdtCtor, "adt-constructor")          \
  X(StringBuffer, "string-buffer")       \
  X(Env, "env")                          \
  X(Cell, "cell")                        \
  X(Proto, "proto")                      \
  X(Error, "error")                      \
  X(FiberRef, "cek-state")

enum class ObjType : uint8_t {
#define X(e, n) e,
  SX_OBJ_TYPES(X)
#undef X
      Free,  // a swept slot in a size-class chunk
};

const char* typeOfName(ObjType t);

struct Obj {
  ObjType type;
  uint8_t marked;
  uint8_t flags;      // per-type flags (see each type)
  uint8_t sizeClass;  // allocator bookkeeping; 0xFF = large object
  uint32_t aux;       // per-type small field (e.g. string hash, vector length)
};
static_assert(sizeof(Obj) == 8);

// Obj::flags bits shared by all objects.
enum : uint8_t {
  kFlagHasSpan = 1 << 7,  // Pair: the isolate's span table has an entry for it
};

struct String : Obj {  // aux = hash, 0 until first needed (stringHash in value/isolate.h)
  uint32_t byteLen;
  uint32_t charLen;  // number of code points
  char data[1];      // byteLen bytes + NUL
  std::string_view view() const { return {data, byteLen}; }
  bool ascii() const { return byteLen == charLen; }
};

struct Symbol : Obj {
  String* name;
  struct Cell* global;  // the global binding cell for this name (never null)
};

struct Keyword : Obj {
  String* name;
};

struct Pair : Obj {
  Value car;
  Value cdr;
};

struct Float : Obj {
  double value;
};

struct Int64 : Obj {
  int64_t value;
};

struct Rational : Obj {  // always normalised: den > 1, gcd(num, den) == 1
  int64_t num;
  int64_t den;
};

// Insertion-ordered dict with string keys. Deleted entries are tombstoned
// (key == unbound) and compacted when they pile up.
struct DictEntry {
  Value key;  // a String value, or unbound for a tombstone
  Value value;
};
struct Dict : Obj {  // aux = version: bumped by every change (dict.cpp dictSet/dictDelete)
  DictEntry* entries; // malloc'd, or right after the Dict in the heap (dict.h, kInlineDictEntries)
  uint32_t used;      // entries in use including tombstones
  uint32_t capacity;  // entries allocated
  uint32_t count;     // live entries
  uint32_t indexMask; // index has indexMask + 1 slots (power of two), or 0 when no index
  int32_t* index;     // open addressing into entries (-1 empty); null while the few entries are scanned
};

struct Vector : Obj {
  Value* items;
  uint32_t length;
  uint32_t capacity;
};

struct StringBuffer : Obj {
  std::string* text;
};

struct RawHtml : Obj {
  String* html;
};

struct Spread : Obj {
  Value attrs;  // a dict
};

struct Env : Obj {  // aux = slot count
  Env* parent;
  Value slots[1];
};

// A global binding. Symbols point at their cell; compiled code holds cells directly.
struct Cell : Obj {
  Value value;  // unbound when not defined
  Value name;   // the Symbol
  Value primitive;  // the Native installed at startup under this name, or nil
};

struct Proto;  // an analysed lambda body (see cek/node.h)

// Lambda (Type Lambda), macro (Type Macro) and component (Type Component) share a layout.
struct Closure : Obj {
  Proto* proto;
  Env* env;
};

struct NativeDef;  // see stdlib/primitives.h
struct Native : Obj {
  const NativeDef* def;
};

struct AdtCtor : Obj {  // aux = field count
  String* typeName;
  String* ctorName;
  Value fieldNames;  // list of strings
};

struct Adt : Obj {  // aux = field count
  AdtCtor* ctor;
  Value fields[1];
};

// An error value raised by (error msg) or by a primitive.
struct ErrorObj : Obj {
  Value message;  // a String
  Value stack;    // list of frame dicts {:name :file :line :col}, or empty
  uint32_t code;  // ErrorCode
};

struct ContinuationData;  // see effects/fiber.h
struct Continuation : Obj {  // flags: 1 = delimited (shift), 0 = call/cc
  ContinuationData* data;
};

struct Fiber;  // see effects/fiber.h
struct FiberRef : Obj {  // a CEK state object for the perform harness
  Fiber* fiber;
};

// ---- value helpers -----------------------------------------------------------------

inline bool isType(Value v, ObjType t) { return v.isObj() && v.asObj()->type == t; }
template <class T>
inline T* as(Value v) { return static_cast<T*>(v.asObj()); }

inline bool isString(Value v) { return isType(v, ObjType::String); }
inline bool isSymbol(Value v) { return isType(v, ObjType::Symbol); }
inline bool isKeyword(Value v) { return isType(v, ObjType::Keyword); }
inline bool isPair(Value v) { return isType(v, ObjType::Pair); }
inline bool isList(Value v) { return v.isEmpty() || isPair(v); }
inline bool isDict(Value v) { return isType(v, ObjType::Dict); }
inline bool isVector(Value v) { return isType(v, ObjType::Vector); }
inline bool isFloat(Value v) { return isType(v, ObjType::Float); }
inline bool isInteger(Value v) { return v.isFixnum() || isType(v, ObjType::Int64); }
inline bool isRational(Value v) { return isType(v, ObjType::Rational); }
inline bool isNumber(Value v) { return v.isFixnum() || (v.isObj() && (v.asObj()->type == ObjType::Float || v.asObj()->type == ObjType::Int64 || v.asObj()->type == ObjType::Rational)); }
inline bool isClosure(Value v) { return isType(v, ObjType::Lambda); }
inline bool isNative(Value v) { return isType(v, ObjType::Native); }
inline bool isCallable(Value v) {
  if (!v.isObj()) return false;
  auto t = v.asObj()->type;
  return t == ObjType::Lambda || t == ObjType::Native || t == ObjType::Continuation || t == ObjType::Component || t == ObjType::AdtCtor;
}

inline int64_t intValue(Value v) { return v.isFixnum() ? v.asFixnum() : as<Int64>(v)->value; }
inline std::string_view strView(Value v) { return as<String>(v)->view(); }
inline std::string_view symName(Value v) { return as<Symbol>(v)->name->view(); }

inline Value car(Value v) { return as<Pair>(v)->car; }
inline Value cdr(Value v) { return as<Pair>(v)->cdr; }

}  // namespace sx
