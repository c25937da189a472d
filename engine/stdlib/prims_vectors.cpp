// Vector primitives. A vector's storage is malloc'd, grown with realloc and freed by the
// collector's finalizer. Unlike the list functions, vector indexes are checked: an index
// or range outside the vector is a Range error (R7RS).
#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <new>

#include "stdlib/prims_data.h"

namespace sx {

// Vector lengths are uint32_t (Vector::length); this lower bound (512 MiB of slots) also
// stops a typo such as (make-vector 1e12) before it exhausts memory.
constexpr size_t kMaxVectorLength = size_t(1) << 26;

namespace {

using namespace data;

void checkVectorLength(const char* fn, size_t n) {
  if (n > kMaxVectorLength)
    throw SxError(ErrorCode::Range, std::string(fn) + ": length " + std::to_string(n) + " exceeds the maximum of " +
                                        std::to_string(kMaxVectorLength));
}

Value vectorOf(Isolate& iso, const Value* items, size_t n) {
  checkVectorLength("vector", n);
  Value out = iso.vector(uint32_t(n));
  std::copy(items, items + n, as<Vector>(out)->items);
  return out;
}

// An index argument that must lie in [0, limit).
uint32_t argIndexBelow(Isolate& iso, const char* fn, Args a, uint32_t i, uint32_t limit) {
  int64_t k = argInt(iso, fn, a, i);
  if (k < 0 || k >= int64_t(limit))
    throw SxError(ErrorCode::Range, std::string(fn) + ": index " + std::to_string(k) +
                                        " out of range for vector of length " + std::to_string(limit));
  return uint32_t(k);
}

// The optional [start, end) arguments at a[from], a[from+1]; defaults to the whole vector.
struct Bounds {
  uint32_t start, end;
};
Bounds argBounds(Isolate& iso, const char* fn, Args a, uint32_t from, const Vector* v) {
  int64_t start = a.n > from ? argInt(iso, fn, a, from) : 0;
  int64_t end = a.n > from + 1 ? argInt(iso, fn, a, from + 1) : int64_t(v->length);
  if (start < 0 || start > int64_t(v->length) || end < start || end > int64_t(v->length))
    throw SxError(ErrorCode::Range, std::string(fn) + ": range " + std::to_string(start) + ".." + std::to_string(end) +
                                        " out of range for vector of length " + std::to_string(v->length));
  return {uint32_t(start), uint32_t(end)};
}

Value makeVector(Isolate& iso, Args a) {
  size_t n = argCount(iso, "make-vector", a, 0);
  checkVectorLength("make-vector", n);
  return iso.vector(uint32_t(n), a.opt(1));
}

Value vector(Isolate& iso, Args a) { return vectorOf(iso, a.v, a.n); }

Value vectorRef(Isolate& iso, Args a) {
  Vector* v = argVector(iso, "vector-ref", a, 0);
  return v->items[argIndexBelow(iso, "vector-ref", a, 1, v->length)];
}

Value vectorSetBang(Isolate& iso, Args a) {
  Vector* v = argVector(iso, "vector-set!", a, 0);
  v->items[argIndexBelow(iso, "vector-set!", a, 1, v->length)] = a[2];
  return a[0];
}

Value vectorLength(Isolate& iso, Args a) { return Value::fixnum(argVector(iso, "vector-length", a, 0)->length); }

Value vectorToList(Isolate& iso, Args a) {
  Vector* v = argVector(iso, "vector->list", a, 0);
  Bounds b = argBounds(iso, "vector->list", a, 1, v);
  return iso.listFrom(v->items + b.start, b.end - b.start);
}

Value listToVector(Isolate& iso, Args a) {
  std::vector<Value> items = listItems(iso, "list->vector", 0, a[0]);
  return vectorOf(iso, items.data(), items.size());
}

Value vectorFillBang(Isolate& iso, Args a) {
  Vector* v = argVector(iso, "vector-fill!", a, 0);
  Bounds b = argBounds(iso, "vector-fill!", a, 2, v);
  std::fill(v->items + b.start, v->items + b.end, a[1]);
  return a[0];
}

Value vectorCopy(Isolate& iso, Args a) {
  Vector* v = argVector(iso, "vector-copy", a, 0);
  Bounds b = argBounds(iso, "vector-copy", a, 1, v);
  return vectorOf(iso, v->items + b.start, b.end - b.start);
}

// Appends one element, doubling the storage when full.
Value vectorPushBang(Isolate& iso, Args a) {
  Vector* v = argVector(iso, "vector-push!", a, 0);
  checkVectorLength("vector-push!", size_t(v->length) + 1);
  if (v->length == v->capacity) {
    uint32_t capacity = uint32_t(std::min<size_t>(std::max<size_t>(8, size_t(v->capacity) * 2), kMaxVectorLength));
    auto* items = static_cast<Value*>(std::realloc(v->items, sizeof(Value) * capacity));
    if (!items) throw std::bad_alloc();
    v->items = items;
    v->capacity = capacity;
  }
  v->items[v->length++] = a[1];
  return a[0];
}

constexpr uint16_t P = kNativePure;

const NativeDef kNatives[] = {
    {"make-vector", makeVector, 1, 2, 0, 0, "(make-vector n [fill]) -> vector: n slots holding fill (nil)"},
    {"vector", vector, 0, -1, 0, 0, "(vector x ...) -> vector: a new vector of the arguments"},
    {"vector-ref", vectorRef, 2, 2, P, 0, "(vector-ref v i) -> value: slot i (a Range error when out of bounds)"},
    {"vector-set!", vectorSetBang, 3, 3, 0, 0, "(vector-set! v i x) -> vector: stores x in slot i"},
    {"vector-length", vectorLength, 1, 1, P, 0, "(vector-length v) -> integer: the number of slots"},
    {"vector->list", vectorToList, 1, 3, 0, 0, "(vector->list v [start] [end]) -> list: the slots [start, end)"},
    {"list->vector", listToVector, 1, 1, 0, 0, "(list->vector xs) -> vector: the elements of xs"},
    {"vector-fill!", vectorFillBang, 2, 4, 0, 0, "(vector-fill! v x [start] [end]) -> vector: stores x in slots [start, end)"},
    {"vector-copy", vectorCopy, 1, 3, 0, 0, "(vector-copy v [start] [end]) -> vector: a new vector of slots [start, end)"},
    {"vector-push!", vectorPushBang, 2, 2, 0, 0, "(vector-push! v x) -> vector: appends x, growing v"},
};

}  // namespace

void registerVectorNatives(Isolate& iso) { iso.registerNatives(kNatives, std::size(kNatives)); }

}  // namespace sx
