// Dict primitives. Dicts are insertion-ordered with string keys; a keyword or symbol key
// is normalised to its name. Functions that only read (keys, vals, dict-get, has-key?,
// ...) treat nil as an empty dict. assoc, dissoc, merge and into return new dicts;
// dict-set! and dict-delete! mutate and return the dict.
#include <algorithm>
#include <iterator>

#include "stdlib/prims_data.h"
#include "value/dict.h"

namespace sx {

namespace data {

Value argKey(Isolate& iso, const char* fn, uint32_t index, Value k) {
  Value key = dictKey(k);
  if (key.isNil()) argTypeError(iso, fn, index, "string or keyword key", k);
  return key;
}

}  // namespace data

namespace {

using namespace data;

// A dict argument, or null for nil (read-only functions treat nil as empty).
const Dict* dictOrNil(Isolate& iso, const char* fn, Args a, uint32_t i) {
  return a[i].isNil() ? nullptr : argDict(iso, fn, a, i);
}

// Sets alternating keys and values a[from], a[from+1], ... into d.
void setPairs(Isolate& iso, const char* fn, Dict* d, Args a, uint32_t from) {
  if ((a.n - from) % 2 != 0)
    throw SxError(ErrorCode::Arity, std::string(fn) + ": expected key/value pairs, got an odd number of arguments (" +
                                        std::to_string(a.n) + ")");
  for (uint32_t i = from; i < a.n; i += 2) dictSet(d, argKey(iso, fn, i, a[i]), a[i + 1]);
}

Value copyOrNew(Isolate& iso, const Dict* d) { return d ? dictCopy(iso, d) : iso.dict(); }

Value dict(Isolate& iso, Args a) {
  Value d = iso.dict(a.n / 2);
  setPairs(iso, "dict", as<Dict>(d), a, 0);
  return d;
}

Value dictSetBang(Isolate& iso, Args a) {
  Dict* d = argDict(iso, "dict-set!", a, 0);
  dictSet(d, argKey(iso, "dict-set!", 1, a[1]), a[2]);
  return a[0];
}

Value dictGetFn(Isolate& iso, Args a) {
  const Dict* d = dictOrNil(iso, "dict-get", a, 0);
  Value k = dictKey(a[1]);
  Value v = d && isString(k) ? dictGet(d, k) : Value::unbound();
  return v.isUnbound() ? a.opt(2) : v;
}

Value hasKeyOf(Isolate& iso, const char* fn, Args a) {
  const Dict* d = dictOrNil(iso, fn, a, 0);
  Value k = dictKey(a[1]);
  return Value::boolean(d && isString(k) && dictHas(d, k));
}
Value dictHasP(Isolate& iso, Args a) { return hasKeyOf(iso, "dict-has?", a); }
Value hasKeyP(Isolate& iso, Args a) { return hasKeyOf(iso, "has-key?", a); }

Value deleteKey(Isolate& iso, const char* fn, Args a) {
  Dict* d = argDict(iso, fn, a, 0);
  Value k = dictKey(a[1]);
  if (isString(k)) dictDelete(d, k);
  return a[0];
}
Value dictDeleteBang(Isolate& iso, Args a) { return deleteKey(iso, "dict-delete!", a); }
Value dictRemoveBang(Isolate& iso, Args a) { return deleteKey(iso, "dict-remove!", a); }

// The keys, values or (k v) entries of a dict (or nil) as a list, in insertion order.
enum class Part { Keys, Values, Entries };
Value dictPart(Isolate& iso, const char* fn, Args a, Part part) {
  const Dict* d = dictOrNil(iso, fn, a, 0);
  std::vector<Value> items;
  if (d)
    dictForEach(d, [&](Value k, Value v) {
      items.push_back(part == Part::Keys ? k : part == Part::Values ? v : iso.list({k, v}));
    });
  return makeList(iso, items);
}
Value keys(Isolate& iso, Args a) { return dictPart(iso, "keys", a, Part::Keys); }
Value vals(Isolate& iso, Args a) { return dictPart(iso, "vals", a, Part::Values); }
Value values(Isolate& iso, Args a) { return dictPart(iso, "values", a, Part::Values); }
Value entries(Isolate& iso, Args a) { return dictPart(iso, "entries", a, Part::Entries); }
Value dictToList(Isolate& iso, Args a) { return dictPart(iso, "dict->list", a, Part::Entries); }

Value dictCount(Isolate& iso, Args a) {
  const Dict* d = dictOrNil(iso, "dict-count", a, 0);
  return Value::fixnum(d ? d->count : 0);
}

Value dictCopyFn(Isolate& iso, Args a) { return copyOrNew(iso, dictOrNil(iso, "dict-copy", a, 0)); }

void mergeInto(Dict* target, const Dict* source) {
  dictForEach(source, [&](Value k, Value v) { dictSet(target, k, v); });
}

Value merge(Isolate& iso, Args a) {
  Value out = iso.dict();
  for (uint32_t i = 0; i < a.n; ++i)
    if (const Dict* d = dictOrNil(iso, "merge", a, i)) mergeInto(as<Dict>(out), d);
  return out;
}

Value assoc(Isolate& iso, Args a) {
  Value out = copyOrNew(iso, dictOrNil(iso, "assoc", a, 0));
  setPairs(iso, "assoc", as<Dict>(out), a, 1);
  return out;
}

Value dissoc(Isolate& iso, Args a) {
  Value out = copyOrNew(iso, dictOrNil(iso, "dissoc", a, 0));
  for (uint32_t i = 1; i < a.n; ++i) {
    Value k = dictKey(a[i]);
    if (isString(k)) dictDelete(as<Dict>(out), k);
  }
  return out;
}

Value selectKeys(Isolate& iso, Args a) {
  const Dict* d = dictOrNil(iso, "select-keys", a, 0);
  Value out = iso.dict();
  for (Value key : seqItems(iso, "select-keys", 1, a[1])) {
    Value k = dictKey(key);
    Value v = d && isString(k) ? dictGet(d, k) : Value::unbound();
    if (!v.isUnbound()) dictSet(as<Dict>(out), k, v);
  }
  return out;
}

Value zipmap(Isolate& iso, Args a) {
  std::vector<Value> ks = seqItems(iso, "zipmap", 0, a[0]);
  std::vector<Value> vs = seqItems(iso, "zipmap", 1, a[1]);
  Value out = iso.dict();
  for (size_t i = 0; i < ks.size() && i < vs.size(); ++i)
    dictSet(as<Dict>(out), argKey(iso, "zipmap", 0, ks[i]), vs[i]);
  return out;
}

// One entry of an `into` source for a dict target: a (k v) list, a (k . v) pair or a
// two-element vector.
void setEntry(Isolate& iso, Dict* d, Value entry) {
  Value k, v;
  if (isPair(entry) && isPair(cdr(entry))) {
    k = car(entry);
    v = car(cdr(entry));
  } else if (isPair(entry)) {
    k = car(entry);
    v = cdr(entry);
  } else if (isVector(entry) && as<Vector>(entry)->length == 2) {
    k = as<Vector>(entry)->items[0];
    v = as<Vector>(entry)->items[1];
  } else {
    argTypeError(iso, "into", 1, "list of (key value) entries", entry);
  }
  dictSet(d, argKey(iso, "into", 1, k), v);
}

// The elements `into` adds to a list or vector: those of a list/vector, or a dict's entries.
std::vector<Value> intoItems(Isolate& iso, Value source) {
  if (!isDict(source)) return seqItems(iso, "into", 1, source);
  std::vector<Value> items;
  dictForEach(as<Dict>(source), [&](Value k, Value v) { items.push_back(iso.list({k, v})); });
  return items;
}

// (into target source): a new collection of target's kind holding target's elements
// followed by source's. Dict targets take (k v) entries or another dict.
Value into(Isolate& iso, Args a) {
  Value target = a[0], source = a[1];
  if (isDict(target)) {
    Value out = dictCopy(iso, as<Dict>(target));
    if (isDict(source)) mergeInto(as<Dict>(out), as<Dict>(source));
    else
      for (Value entry : seqItems(iso, "into", 1, source)) setEntry(iso, as<Dict>(out), entry);
    return out;
  }
  std::vector<Value> items = seqItems(iso, "into", 0, target);
  for (Value x : intoItems(iso, source)) items.push_back(x);
  if (!isVector(target)) return makeList(iso, items);
  Value out = iso.vector(uint32_t(items.size()));
  std::copy(items.begin(), items.end(), as<Vector>(out)->items);
  return out;
}

constexpr uint16_t P = kNativePure;

const NativeDef kNatives[] = {
    {"dict", dict, 0, -1, 0, 0, "(dict k v ...) -> dict: a new dict from alternating keys and values"},
    {"dict-set!", dictSetBang, 3, 3, 0, 0, "(dict-set! d k v) -> dict: sets k to v in d"},
    {"dict-get", dictGetFn, 2, 3, P, 0, "(dict-get d k [default]) -> value: the value under k, or default (nil)"},
    {"dict-has?", dictHasP, 2, 2, P, 0, "(dict-has? d k) -> boolean: whether d has key k"},
    {"has-key?", hasKeyP, 2, 2, P, 0, "(has-key? d k) -> boolean: whether d has key k"},
    {"dict-delete!", dictDeleteBang, 2, 2, 0, 0, "(dict-delete! d k) -> dict: removes k from d"},
    {"dict-remove!", dictRemoveBang, 2, 2, 0, 0, "(dict-remove! d k) -> dict: removes k from d"},
    {"keys", keys, 1, 1, 0, 0, "(keys d) -> list: the keys (strings) in insertion order"},
    {"vals", vals, 1, 1, 0, 0, "(vals d) -> list: the values in insertion order"},
    {"values", values, 1, 1, 0, 0, "(values d) -> list: same as vals"},
    {"entries", entries, 1, 1, 0, 0, "(entries d) -> list: (key value) lists in insertion order"},
    {"dict->list", dictToList, 1, 1, 0, 0, "(dict->list d) -> list: same as entries"},
    {"dict-count", dictCount, 1, 1, P, 0, "(dict-count d) -> integer: the number of entries"},
    {"dict-copy", dictCopyFn, 1, 1, 0, 0, "(dict-copy d) -> dict: a shallow copy"},
    {"merge", merge, 0, -1, 0, 0, "(merge d ...) -> dict: a new dict with every entry, later dicts winning"},
    {"assoc", assoc, 3, -1, 0, 0, "(assoc d k v ...) -> dict: a copy of d with the keys set"},
    {"dissoc", dissoc, 2, -1, 0, 0, "(dissoc d k ...) -> dict: a copy of d without the keys"},
    {"select-keys", selectKeys, 2, 2, 0, 0, "(select-keys d keys) -> dict: the entries of d whose key is in keys"},
    {"zipmap", zipmap, 2, 2, 0, 0, "(zipmap keys vals) -> dict: keys paired with vals, up to the shorter"},
    {"into", into, 2, 2, 0, 0, "(into target source) -> coll: target's elements then source's, in target's kind"},
};

}  // namespace

void registerDictNatives(Isolate& iso) { iso.registerNatives(kNatives, std::size(kNatives)); }

}  // namespace sx
