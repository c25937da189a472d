// Equality and ordering (see equality.h).
//
// Deep equality walks both values with an explicit work stack, so nesting depth never
// touches the C++ stack. Mutable containers (vectors, dicts, pairs) can form cycles; once
// a comparison has looked at kTrackVisitedAfter container pairs it starts remembering
// them, and a pair met again is taken as equal (the usual co-inductive rule), so cyclic
// structures terminate while ordinary comparisons pay nothing for it.
#include "stdlib/equality.h"

#include <unordered_set>
#include <utility>
#include <vector>

#include "stdlib/numeric.h"
#include "stdlib/prims_core.h"
#include "value/dict.h"

namespace sx {
namespace {

constexpr size_t kTrackVisitedAfter = 10000;

bool sameString(const String* a, const String* b) {
  if (a == b) return true;
  // Hashes are cached lazily: they tell strings apart only when both are known.
  if (a->aux && b->aux && a->aux != b->aux) return false;
  return a->view() == b->view();
}

bool sameConstructor(const Adt* a, const Adt* b) {
  if (a->ctor == b->ctor) return true;
  return a->aux == b->aux && sameString(a->ctor->typeName, b->ctor->typeName) &&
         sameString(a->ctor->ctorName, b->ctor->ctorName);
}

class DeepEqual {
 public:
  bool run(Value a, Value b) {
    work_.emplace_back(a, b);
    while (!work_.empty()) {
      auto [x, y] = work_.back();
      work_.pop_back();
      if (!step(x, y)) return false;
    }
    return true;
  }

 private:
  struct PairHash {
    size_t operator()(const std::pair<uint64_t, uint64_t>& p) const {
      return size_t(p.first * 0x9E3779B97F4A7C15ull ^ p.second);
    }
  };

  // Compares x and y shallowly and queues the parts still to compare.
  bool step(Value x, Value y) {
    if (isNumber(x) || isNumber(y)) return numEqual(x, y);
    if (x == y) return true;
    if (!x.isObj() || !y.isObj()) return false;
    ObjType t = x.asObj()->type;
    if (t != y.asObj()->type) return false;
    if (t == ObjType::String) return sameString(as<String>(x), as<String>(y));
    if (t != ObjType::Pair && t != ObjType::Vector && t != ObjType::Dict && t != ObjType::Adt) return false;
    if (seenBefore(x, y)) return true;
    switch (t) {
      case ObjType::Pair: return queuePair(as<Pair>(x), as<Pair>(y));
      case ObjType::Vector: return queueVector(as<Vector>(x), as<Vector>(y));
      case ObjType::Dict: return queueDict(as<Dict>(x), as<Dict>(y));
      default: return queueAdt(as<Adt>(x), as<Adt>(y));
    }
  }

  bool seenBefore(Value x, Value y) {
    if (++containers_ <= kTrackVisitedAfter) return false;
    return !visited_.emplace(x.bits(), y.bits()).second;
  }

  bool queuePair(const Pair* x, const Pair* y) {
    work_.emplace_back(x->cdr, y->cdr);
    work_.emplace_back(x->car, y->car);  // the car is compared first
    return true;
  }

  bool queueVector(const Vector* x, const Vector* y) {
    if (x->length != y->length) return false;
    for (uint32_t i = x->length; i-- > 0;) work_.emplace_back(x->items[i], y->items[i]);
    return true;
  }

  bool queueDict(const Dict* x, const Dict* y) {
    if (x->count != y->count) return false;
    bool sameKeys = true;
    dictForEach(x, [&](Value key, Value value) {
      if (!sameKeys) return;
      Value other = dictGet(y, key);
      if (other.isUnbound()) sameKeys = false;
      else work_.emplace_back(value, other);
    });
    return sameKeys;
  }

  bool queueAdt(const Adt* x, const Adt* y) {
    if (!sameConstructor(x, y)) return false;
    for (uint32_t i = x->aux; i-- > 0;) work_.emplace_back(x->fields[i], y->fields[i]);
    return true;
  }

  std::vector<std::pair<Value, Value>> work_;
  size_t containers_ = 0;
  std::unordered_set<std::pair<uint64_t, uint64_t>, PairHash> visited_;
};

}  // namespace

bool valuesEqual(Value a, Value b) {
  if (a == b && !isType(a, ObjType::Float)) return true;
  if (a.isFixnum() && b.isFixnum()) return false;
  // Symbols and keywords are interned, so a different value never equals one unless
  // numbers are involved (numEqual decides those): no need for the walk, whose work stack
  // allocates. Comparing a symbol with a constant ('+, :key) is the common case.
  if ((isType(a, ObjType::Symbol) || isType(a, ObjType::Keyword) || isType(b, ObjType::Symbol) ||
       isType(b, ObjType::Keyword)) &&
      !isNumber(a) && !isNumber(b))
    return false;
  return DeepEqual().run(a, b);
}

bool valuesIdentical(Value a, Value b) {
  if (a == b) return true;
  if (!isNumber(a) || !isNumber(b)) return false;
  return isFloat(a) == isFloat(b) && numEqual(a, b);
}

int compareValues(Isolate& iso, Value a, Value b, const char* fn) {
  if (isNumber(a) && isNumber(b)) return numCompare(iso, a, b, fn);
  if (isString(a) && isString(b)) {
    int c = strView(a).compare(strView(b));  // byte order == code point order in UTF-8
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (a.isChar() && b.isChar()) return a.asChar() < b.asChar() ? -1 : a.asChar() > b.asChar() ? 1 : 0;
  throw SxError(ErrorCode::Type, std::string(fn) + ": cannot compare " + std::string(typeOfValue(a)) + " and " +
                                     std::string(typeOfValue(b)));
}

}  // namespace sx
