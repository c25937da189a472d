// List primitives: construction, access by position, slicing, combining and searching.
// Inputs may be nil (treated as the empty list), () or a proper list; an improper or
// circular list is a type error. Slicing functions (slice take drop take-last drop-last
// butlast rest reverse) return the kind they were given: list, vector or string.
#include <algorithm>
#include <cmath>
#include <iterator>

#include "stdlib/equality.h"
#include "stdlib/numeric.h"
#include "stdlib/prims_data.h"
#include "stdlib/utf8.h"
#include "value/dict.h"

namespace sx {

// `range` and `repeat` refuse to build longer lists, so a typo such as (range 1e12)
// fails at once instead of exhausting memory.
constexpr size_t kMaxBuiltListLength = size_t(1) << 24;
// `flatten` keeps one pending list per nesting level; deeper (or circular) structures
// are refused rather than growing that stack without bound.
constexpr size_t kMaxFlattenDepth = 10000;

namespace data {

namespace {

[[noreturn]] void notAList(Isolate& iso, const char* fn, uint32_t index, Value v) {
  argTypeError(iso, fn, index, "list", v);
}

// Calls f(item) for each element of a proper list; detects improper and circular lists.
template <class F>
void walkList(Isolate& iso, const char* fn, uint32_t index, Value list, F&& f) {
  if (list.isNil()) return;
  Value slow = list;
  Value p = list;
  bool advanceSlow = false;
  while (isPair(p)) {
    f(car(p));
    p = cdr(p);
    if (advanceSlow) slow = cdr(slow);
    advanceSlow = !advanceSlow;
    if (p == slow && isPair(p)) throw SxError(ErrorCode::Type, std::string(fn) + ": circular list");
  }
  if (!p.isEmpty()) notAList(iso, fn, index, list);
}

}  // namespace

std::vector<Value> listItems(Isolate& iso, const char* fn, uint32_t index, Value list) {
  if (!isListLike(list)) notAList(iso, fn, index, list);
  std::vector<Value> out;
  walkList(iso, fn, index, list, [&](Value x) { out.push_back(x); });
  return out;
}

std::vector<Value> seqItems(Isolate& iso, const char* fn, uint32_t index, Value coll) {
  if (isVector(coll)) {
    auto* v = as<Vector>(coll);
    return std::vector<Value>(v->items, v->items + v->length);
  }
  if (!isListLike(coll)) argTypeError(iso, fn, index, "list or vector", coll);
  return listItems(iso, fn, index, coll);
}

size_t listLength(Isolate& iso, const char* fn, uint32_t index, Value list) {
  if (!isListLike(list)) notAList(iso, fn, index, list);
  size_t n = 0;
  walkList(iso, fn, index, list, [&](Value) { ++n; });
  return n;
}

size_t argCount(Isolate& iso, const char* fn, Args a, uint32_t index) {
  int64_t n = argInt(iso, fn, a, index);
  if (n < 0) argTypeError(iso, fn, index, "non-negative integer", a[index]);
  return size_t(n);
}

}  // namespace data

namespace {

using namespace data;

void checkBuiltLength(const char* fn, double n) {
  if (n > double(kMaxBuiltListLength))
    throw SxError(ErrorCode::Range, std::string(fn) + ": result would have more than " +
                                        std::to_string(kMaxBuiltListLength) + " elements");
}

// ---- positional access ---------------------------------------------------------------

// Element `i` of a list, vector or string (a one-character string); unbound when absent.
Value elementAt(Isolate& iso, const char* fn, Value coll, int64_t i) {
  if (i < 0) return Value::unbound();
  if (isListLike(coll)) {
    Value p = coll.isNil() ? Value::empty() : coll;
    for (; i > 0 && isPair(p); --i) p = cdr(p);
    if (isPair(p)) return car(p);
    if (!p.isEmpty()) notAList(iso, fn, 0, coll);
    return Value::unbound();
  }
  if (isVector(coll)) {
    auto* v = as<Vector>(coll);
    return uint64_t(i) < v->length ? v->items[i] : Value::unbound();
  }
  if (isString(coll)) {
    auto* s = as<String>(coll);
    if (uint64_t(i) >= s->charLen) return Value::unbound();
    size_t at = utf8::byteOffset(s, size_t(i));
    return charString(iso, utf8::decode(s->view(), at));
  }
  argTypeError(iso, fn, 0, "list, vector or string", coll);
}

Value orNil(Value v) { return v.isUnbound() ? Value::nil() : v; }

Value first(Isolate& iso, Args a) { return orNil(elementAt(iso, "first", a[0], 0)); }
Value second(Isolate& iso, Args a) { return orNil(elementAt(iso, "second", a[0], 1)); }
Value third(Isolate& iso, Args a) { return orNil(elementAt(iso, "third", a[0], 2)); }

Value nth(Isolate& iso, Args a) {
  return orNil(elementAt(iso, "nth", a[0], argInt(iso, "nth", a, 1)));
}

Value last(Isolate& iso, Args a) {
  Value c = a[0];
  if (isVector(c)) return as<Vector>(c)->length ? as<Vector>(c)->items[as<Vector>(c)->length - 1] : Value::nil();
  if (isString(c)) return orNil(elementAt(iso, "last", c, int64_t(as<String>(c)->charLen) - 1));
  Value out = Value::nil();
  if (!isListLike(c)) argTypeError(iso, "last", 0, "list, vector or string", c);
  walkList(iso, "last", 0, c, [&](Value x) { out = x; });
  return out;
}

// The length of any countable value; `fn` names the caller in errors.
size_t lengthOf(Isolate& iso, const char* fn, Value c) {
  if (isListLike(c)) return listLength(iso, fn, 0, c);
  if (isString(c)) return as<String>(c)->charLen;
  if (isDict(c)) return as<Dict>(c)->count;
  if (isVector(c)) return as<Vector>(c)->length;
  if (isType(c, ObjType::StringBuffer)) return utf8Length(*as<StringBuffer>(c)->text);
  argTypeError(iso, fn, 0, "list, string, dict or vector", c);
}

Value len(Isolate& iso, Args a) { return Value::fixnum(int64_t(lengthOf(iso, "len", a[0]))); }
Value length(Isolate& iso, Args a) { return Value::fixnum(int64_t(lengthOf(iso, "length", a[0]))); }

// `get` on an ADT value: :_type :_ctor :_fields :_adt, or a field by name.
Value adtGet(Isolate& iso, Adt* adt, Value key, Value def) {
  Value k = dictKey(key);
  if (!isString(k)) return def;
  std::string_view name = strView(k);
  AdtCtor* ctor = adt->ctor;
  if (name == "_type") return Value::object(ctor->typeName);
  if (name == "_ctor") return Value::object(ctor->ctorName);
  if (name == "_fields") return iso.listFrom(adt->fields, adt->aux);
  if (name == "_adt") return Value::t();
  uint32_t i = 0;
  for (Value p = ctor->fieldNames; isPair(p) && i < adt->aux; p = cdr(p), ++i)
    if (isString(car(p)) && strView(car(p)) == name) return adt->fields[i];
  return def;
}

// (get coll key [default]): dicts by key, lists/vectors/strings by index, ADT fields by
// name; anything missing, or a coll that is not a collection, answers the default.
Value get(Isolate& iso, Args a) {
  Value coll = a[0], key = a[1], def = a.opt(2);
  if (isDict(coll)) {
    Value k = dictKey(key);
    Value v = isString(k) ? dictGet(as<Dict>(coll), k) : Value::unbound();
    return v.isUnbound() ? def : v;
  }
  if (isType(coll, ObjType::Adt)) return adtGet(iso, as<Adt>(coll), key, def);
  if (isListLike(coll) || isVector(coll) || isString(coll)) {
    if (!isInteger(key)) return def;
    Value v = elementAt(iso, "get", coll, intValue(key));
    return v.isUnbound() ? def : v;
  }
  return def;
}

// ---- slicing (kind-preserving) ---------------------------------------------------------

// The `end` of a slice that runs to the end of its collection.
constexpr int64_t kToEnd = INT64_MAX;

// Elements [start, end) of a list, vector or string, clamped to its bounds. A list slice
// walks only as far as it needs, and one that runs to the end shares the original tail,
// so (rest xs) and (drop xs n) cost O(n), not O(length).
Value sliceOf(Isolate& iso, const char* fn, Value coll, int64_t start, int64_t end) {
  start = std::max<int64_t>(start, 0);
  if (isString(coll)) {
    auto* s = as<String>(coll);
    return iso.str(utf8::slice(s, size_t(start), size_t(std::max<int64_t>(end, 0))));
  }
  if (isVector(coll)) {
    auto* v = as<Vector>(coll);
    end = std::clamp<int64_t>(end, 0, v->length);
    if (start >= end) return iso.vector(0);
    Value out = iso.vector(uint32_t(end - start));
    std::copy(v->items + start, v->items + end, as<Vector>(out)->items);
    return out;
  }
  if (!isListLike(coll)) argTypeError(iso, fn, 0, "list, vector or string", coll);
  Value p = coll.isNil() ? Value::empty() : coll;
  for (int64_t i = 0; i < start && isPair(p); ++i) p = cdr(p);
  std::vector<Value> items;
  if (end != kToEnd)
    for (int64_t i = start; i < end && isPair(p); ++i, p = cdr(p)) items.push_back(car(p));
  if (!isList(p)) notAList(iso, fn, 0, coll);
  return end == kToEnd ? p : makeList(iso, items);
}

int64_t sizeOf(Isolate& iso, const char* fn, Value coll) {
  if (isString(coll)) return as<String>(coll)->charLen;
  if (isVector(coll)) return as<Vector>(coll)->length;
  if (!isListLike(coll)) argTypeError(iso, fn, 0, "list, vector or string", coll);
  return int64_t(listLength(iso, fn, 0, coll));
}

Value slice(Isolate& iso, Args a) {
  int64_t start = argInt(iso, "slice", a, 1);
  int64_t end = a.opt(2).isNil() ? kToEnd : argInt(iso, "slice", a, 2);
  return sliceOf(iso, "slice", a[0], start, end);
}

Value rest(Isolate& iso, Args a) {
  Value c = a[0];
  if (c.isNil() || c.isEmpty()) return Value::empty();
  if (isPair(c)) return cdr(c);
  return sliceOf(iso, "rest", c, 1, kToEnd);
}

// take/drop and friends: (fn coll n), coll a list, vector or string, n a number.
int64_t countArg(const char* fn, Args a) {
  Value c = a[0], n = a[1];
  bool collOk = isListLike(c) || isVector(c) || isString(c);
  if (!collOk || !isNumber(n)) throw SxError(ErrorCode::Type, std::string(fn) + ": expected list and number");
  double d = std::floor(toDouble(n));
  return d < 0 ? 0 : d > 1e15 ? int64_t(1e15) : int64_t(d);
}

Value take(Isolate& iso, Args a) { return sliceOf(iso, "take", a[0], 0, countArg("take", a)); }
Value drop(Isolate& iso, Args a) { return sliceOf(iso, "drop", a[0], countArg("drop", a), kToEnd); }

Value takeLast(Isolate& iso, Args a) {
  int64_t n = countArg("take-last", a);
  int64_t size = sizeOf(iso, "take-last", a[0]);
  return sliceOf(iso, "take-last", a[0], size - n, size);
}

Value dropLast(Isolate& iso, Args a) {
  int64_t n = countArg("drop-last", a);
  return sliceOf(iso, "drop-last", a[0], 0, sizeOf(iso, "drop-last", a[0]) - n);
}

Value butlast(Isolate& iso, Args a) { return sliceOf(iso, "butlast", a[0], 0, sizeOf(iso, "butlast", a[0]) - 1); }

Value reverse(Isolate& iso, Args a) {
  Value c = a[0];
  if (isString(c)) {
    std::string_view s = strView(c);
    std::string out;
    out.reserve(s.size());
    for (size_t end = s.size(); end > 0;) {
      size_t start = end - 1;
      while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
      out.append(s.substr(start, end - start));
      end = start;
    }
    return iso.str(out);
  }
  std::vector<Value> items = seqItems(iso, "reverse", 0, c);
  std::reverse(items.begin(), items.end());
  if (!isVector(c)) return makeList(iso, items);
  Value out = iso.vector(uint32_t(items.size()));
  std::copy(items.begin(), items.end(), as<Vector>(out)->items);
  return out;
}

// ---- building ------------------------------------------------------------------------

Value list(Isolate& iso, Args a) { return iso.listFrom(a.v, a.n); }

Value cons(Isolate& iso, Args a) { return iso.cons(a[0], a[1].isNil() ? Value::empty() : a[1]); }

// (append xs ys ...): lists are spliced (copied); a final argument that is not a list is
// added as one element, so (append xs 3) is xs followed by 3.
Value append(Isolate& iso, Args a) {
  std::vector<Value> items;
  for (uint32_t i = 0; i < a.n; ++i) {
    if (isListLike(a[i])) {
      walkList(iso, "append", i, a[i], [&](Value x) { items.push_back(x); });
    } else if (i + 1 == a.n) {
      items.push_back(a[i]);
    } else {
      notAList(iso, "append", i, a[i]);
    }
  }
  return makeList(iso, items);
}

// (append! xs x ...): adds the items at the end of xs in place and returns xs; an empty
// xs cannot grow in place, so the result is then a new list.
Value appendBang(Isolate& iso, Args a) {
  Value lst = a[0];
  if (!isListLike(lst)) notAList(iso, "append!", 0, lst);
  Value tail = iso.listFrom(a.v + 1, a.n - 1);
  if (!isPair(lst)) return tail;
  listLength(iso, "append!", 0, lst);  // rejects improper and circular lists
  Value p = lst;
  while (isPair(cdr(p))) p = cdr(p);
  as<Pair>(p)->cdr = tail;
  return lst;
}

// (concat xs ...) appends lists; (concat s ...) concatenates strings; nil is neutral.
Value concat(Isolate& iso, Args a) {
  bool strings = false, lists = false;
  for (uint32_t i = 0; i < a.n; ++i) {
    if (isString(a[i])) strings = true;
    else if (isListLike(a[i]) || isVector(a[i])) lists = lists || !a[i].isNil();
    else argTypeError(iso, "concat", i, "list or string", a[i]);
  }
  if (strings && lists) throw SxError(ErrorCode::Type, "concat: cannot mix strings and lists");
  if (strings) {
    std::string out;
    for (uint32_t i = 0; i < a.n; ++i)
      if (isString(a[i])) out += strView(a[i]);
    return iso.str(out);
  }
  std::vector<Value> items;
  for (uint32_t i = 0; i < a.n; ++i)
    for (Value x : seqItems(iso, "concat", i, a[i])) items.push_back(x);
  return makeList(iso, items);
}

Value listCopy(Isolate& iso, Args a) { return makeList(iso, listItems(iso, "list-copy", 0, a[0])); }

// Deep flatten of nested lists, iterative so deep nesting cannot overflow the C++ stack.
Value flatten(Isolate& iso, Args a) {
  listLength(iso, "flatten", 0, a[0]);
  std::vector<Value> out;
  std::vector<Value> pending{a[0].isNil() ? Value::empty() : a[0]};
  while (!pending.empty()) {
    Value p = pending.back();
    if (!isPair(p)) {
      pending.pop_back();
      continue;
    }
    pending.back() = cdr(p);
    Value x = car(p);
    if (!isList(x)) {
      out.push_back(x);
      continue;
    }
    if (pending.size() > kMaxFlattenDepth)
      throw SxError(ErrorCode::Range, "flatten: nesting too deep (or circular)");
    listLength(iso, "flatten", 0, x);
    pending.push_back(x);
  }
  return makeList(iso, out);
}

Value rangeOfIntegers(Isolate& iso, int64_t start, int64_t end, int64_t step) {
  __int128 span = __int128(end) - start;
  __int128 count = span == 0 || (span > 0) != (step > 0) ? 0 : (span + step - (step > 0 ? 1 : -1)) / step;
  checkBuiltLength("range", double(count));
  std::vector<Value> items;
  items.reserve(size_t(count));
  for (__int128 i = 0; i < count; ++i) items.push_back(iso.integer(int64_t(start + i * step)));
  return makeList(iso, items);
}

Value rangeOfFloats(Isolate& iso, double start, double end, double step) {
  double count = std::ceil((end - start) / step);
  if (!(count > 0)) return Value::empty();
  checkBuiltLength("range", count);
  std::vector<Value> items;
  for (size_t i = 0; i < size_t(count); ++i) items.push_back(iso.flonum(start + double(i) * step));
  return makeList(iso, items);
}

// (range end) (range start end) (range start end step): integers when every argument is
// an integer, floats otherwise; the end is exclusive.
Value range(Isolate& iso, Args a) {
  Value start = a.n > 1 ? a[0] : Value::fixnum(0);
  Value end = a.n > 1 ? a[1] : a[0];
  Value step = a.opt(2, Value::fixnum(1));
  for (uint32_t i = 0; i < a.n; ++i) argNumber(iso, "range", a, i);
  if (toDouble(step) == 0) throw SxError(ErrorCode::Range, "range: step must not be zero");
  if (isInteger(start) && isInteger(end) && isInteger(step))
    return rangeOfIntegers(iso, intValue(start), intValue(end), intValue(step));
  return rangeOfFloats(iso, toDouble(start), toDouble(end), toDouble(step));
}

Value repeat(Isolate& iso, Args a) {
  size_t n = argCount(iso, "repeat", a, 0);
  checkBuiltLength("repeat", double(n));
  std::vector<Value> items(n, a[1]);
  return makeList(iso, items);
}

Value chunkEvery(Isolate& iso, Args a) {
  std::vector<Value> items = seqItems(iso, "chunk-every", 0, a[0]);
  size_t n = argCount(iso, "chunk-every", a, 1);
  if (n == 0) throw SxError(ErrorCode::Range, "chunk-every: chunk size must be positive");
  std::vector<Value> chunks;
  for (size_t i = 0; i < items.size(); i += n)
    chunks.push_back(iso.listFrom(items.data() + i, std::min(n, items.size() - i)));
  return makeList(iso, chunks);
}

// Lists of the i-th elements of each argument, up to the shortest.
Value zipLists(Isolate& iso, const char* fn, Args a) {
  std::vector<std::vector<Value>> seqs;
  size_t shortest = SIZE_MAX;
  for (uint32_t i = 0; i < a.n; ++i) {
    seqs.push_back(seqItems(iso, fn, i, a[i]));
    shortest = std::min(shortest, seqs.back().size());
  }
  std::vector<Value> rows;
  std::vector<Value> row(a.n);
  for (size_t k = 0; k < shortest; ++k) {
    for (uint32_t i = 0; i < a.n; ++i) row[i] = seqs[i][k];
    rows.push_back(makeList(iso, row));
  }
  return makeList(iso, rows);
}

Value zip(Isolate& iso, Args a) { return zipLists(iso, "zip", a); }

// (zip-pairs xs ys) zips two lists; (zip-pairs xs) pairs each element with the next.
Value zipPairs(Isolate& iso, Args a) {
  if (a.n == 2) return zipLists(iso, "zip-pairs", a);
  std::vector<Value> items = seqItems(iso, "zip-pairs", 0, a[0]);
  std::vector<Value> rows;
  for (size_t i = 0; i + 1 < items.size(); ++i) rows.push_back(iso.list({items[i], items[i + 1]}));
  return makeList(iso, rows);
}

Value interleave(Isolate& iso, Args a) {
  Value rows = zipLists(iso, "interleave", a);
  std::vector<Value> out;
  for (Value r = rows; isPair(r); r = cdr(r))
    for (Value p = car(r); isPair(p); p = cdr(p)) out.push_back(car(p));
  return makeList(iso, out);
}

// ---- searching -----------------------------------------------------------------------

Value containsP(Isolate& iso, Args a) {
  Value c = a[0], x = a[1];
  if (c.isNil()) return Value::f();
  if (isDict(c)) {
    Value k = dictKey(x);
    return Value::boolean(isString(k) && dictHas(as<Dict>(c), k));
  }
  if (isString(c)) {
    if (x.isChar()) return Value::boolean(strView(c).find(utf8::encode(x.asChar())) != std::string_view::npos);
    if (!isString(x)) argTypeError(iso, "contains?", 1, "string", x);
    return Value::boolean(strView(c).find(strView(x)) != std::string_view::npos);
  }
  for (Value item : seqItems(iso, "contains?", 0, c))
    if (valuesEqual(item, x)) return Value::t();
  return Value::f();
}

// (member x xs): the tail of xs starting at the first element equal to x, or false.
Value member(Isolate& iso, Args a) {
  listLength(iso, "member", 1, a[1]);
  for (Value p = a[1]; isPair(p); p = cdr(p))
    if (valuesEqual(car(p), a[0])) return p;
  return Value::f();
}

// Elements in first-seen order without later duplicates (by =); vectors stay vectors.
Value distinct(Isolate& iso, Args a) {
  std::vector<Value> kept;
  for (Value x : seqItems(iso, "distinct", 0, a[0])) {
    bool seen = std::any_of(kept.begin(), kept.end(), [&](Value k) { return valuesEqual(k, x); });
    if (!seen) kept.push_back(x);
  }
  if (!isVector(a[0])) return makeList(iso, kept);
  Value out = iso.vector(uint32_t(kept.size()));
  std::copy(kept.begin(), kept.end(), as<Vector>(out)->items);
  return out;
}

constexpr uint16_t P = kNativePure;

const NativeDef kNatives[] = {
    {"list", list, 0, -1, 0, 0, "(list x ...) -> list: a new list of the arguments"},
    {"cons", cons, 2, 2, 0, 0, "(cons x xs) -> list: x in front of xs (an improper pair when xs is not a list)"},
    {"first", first, 1, 1, P, 0, "(first coll) -> value: the first element, or nil when empty"},
    {"second", second, 1, 1, P, 0, "(second coll) -> value: the second element, or nil"},
    {"third", third, 1, 1, P, 0, "(third coll) -> value: the third element, or nil"},
    {"last", last, 1, 1, P, 0, "(last coll) -> value: the last element, or nil when empty"},
    {"rest", rest, 1, 1, 0, 0, "(rest coll) -> coll: all but the first element (() when empty)"},
    {"nth", nth, 2, 2, P, 0, "(nth coll i) -> value: element i of a list, vector or string (nil when out of range)"},
    {"len", len, 1, 1, P, 0, "(len coll) -> integer: elements of a list, vector or dict; code points of a string"},
    {"length", length, 1, 1, P, 0, "(length coll) -> integer: same as len"},
    {"get", get, 2, 3, P, 0, "(get coll key [default]) -> value: dict entry, element by index or ADT field; default when missing"},
    {"slice", slice, 2, 3, 0, 0, "(slice coll start [end]) -> coll: elements [start, end) clamped to the bounds"},
    {"take", take, 2, 2, 0, 0, "(take xs n) -> coll: the first n elements"},
    {"drop", drop, 2, 2, 0, 0, "(drop xs n) -> coll: all but the first n elements"},
    {"take-last", takeLast, 2, 2, 0, 0, "(take-last xs n) -> coll: the last n elements"},
    {"drop-last", dropLast, 2, 2, 0, 0, "(drop-last xs n) -> coll: all but the last n elements"},
    {"butlast", butlast, 1, 1, 0, 0, "(butlast xs) -> coll: all but the last element"},
    {"reverse", reverse, 1, 1, 0, 0, "(reverse coll) -> coll: the elements (or code points) in reverse order"},
    {"append", append, 0, -1, 0, 0, "(append xs ... [x]) -> list: the lists concatenated; a non-list last argument is added as an element"},
    {"append!", appendBang, 2, -1, 0, 0, "(append! xs x ...) -> list: adds the items at the end of xs in place"},
    {"concat", concat, 0, -1, 0, 0, "(concat coll ...) -> list or string: lists appended, or strings concatenated"},
    {"list-copy", listCopy, 1, 1, 0, 0, "(list-copy xs) -> list: a shallow copy"},
    {"flatten", flatten, 1, 1, 0, 0, "(flatten xs) -> list: the non-list leaves of nested lists, in order"},
    {"range", range, 1, 3, 0, 0, "(range [start] end [step]) -> list: numbers from start (0) below end by step (1)"},
    {"repeat", repeat, 2, 2, 0, 0, "(repeat n x) -> list: n copies of x"},
    {"chunk-every", chunkEvery, 2, 2, 0, 0, "(chunk-every xs n) -> list: consecutive lists of n elements (the last may be shorter)"},
    {"zip", zip, 1, -1, 0, 0, "(zip xs ys ...) -> list: lists of corresponding elements, up to the shortest"},
    {"zip-pairs", zipPairs, 1, 2, 0, 0, "(zip-pairs xs [ys]) -> list: (x y) pairs of xs and ys, or of adjacent elements of xs"},
    {"interleave", interleave, 1, -1, 0, 0, "(interleave xs ys ...) -> list: first of each, then second of each, ..."},
    {"contains?", containsP, 2, 2, P, 0, "(contains? coll x) -> boolean: element (=) of a list/vector, substring of a string, key of a dict"},
    {"member", member, 2, 2, P, 0, "(member x xs) -> list or false: the tail of xs starting at x (by =)"},
    {"distinct", distinct, 1, 1, 0, 0, "(distinct coll) -> coll: without duplicates (by =), first occurrences kept"},
    {"dedupe", distinct, 1, 1, 0, 0, "(dedupe coll) -> coll: same as distinct"},
};

}  // namespace

void registerListNatives(Isolate& iso) { iso.registerNatives(kNatives, std::size(kNatives)); }

}  // namespace sx
