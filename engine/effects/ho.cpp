// Higher-order primitives as resumable frames. Frame fields, per kind:
//   a  the function (or comparator / key function)
//   b  what is left to visit (a list; for several lists, a list of lists)
//   c  the accumulated result (a reversed list, a dict, a value), or sort state
//   i  the index of the current item;  flags: 1 = several lists (map, for-each)
// Every field is a Value in the frame, so a callback that suspends leaves the loop
// exactly where it was.
#include "effects/ho.h"

#include <algorithm>

#include "reader/printer.h"
#include "stdlib/equality.h"
#include "value/dict.h"

namespace sx {

namespace {

const char* hoName(HoKind k) {
  switch (k) {
#define X(e, n, mn, mx, d) \
  case HoKind::e: return n;
    SX_HO_KINDS(X)
#undef X
  }
  return "?";
}

Value reverseList(Isolate& iso, Value l) {
  Value out = Value::empty();
  for (; isPair(l); l = cdr(l)) out = iso.cons(car(l), out);
  return out;
}

// The Ho frame's accumulated (reversed) result list in order: reversed in place, since
// only the frame holds it, unless the frame was copied into a continuation (kHoCopied),
// whose copies may still extend it.
Value resultList(Isolate& iso, const Frame& fr) {
  if (fr.flags & kHoCopied) return reverseList(iso, fr.c);
  Value out = Value::empty();
  for (Value l = fr.c; isPair(l);) {
    Pair* p = as<Pair>(l);
    l = p->cdr;
    p->cdr = out;
    out = Value::object(p);
  }
  return out;
}

// A collection as a list: nil and () are empty, vectors are converted, strings give
// one-character strings.
Value asList(Isolate& iso, Value coll, const char* fn, uint32_t argIndex) {
  if (coll.isNil() || coll.isEmpty()) return Value::empty();
  if (isPair(coll)) return coll;
  if (isVector(coll)) {
    auto* v = as<Vector>(coll);
    return iso.listFrom(v->items, v->length);
  }
  if (isString(coll)) {
    std::vector<Value> chars;
    std::string_view s = strView(coll);
    for (size_t i = 0; i < s.size();) {
      size_t len = 1;
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0xF0) len = 4;
      else if (c >= 0xE0) len = 3;
      else if (c >= 0xC0) len = 2;
      chars.push_back(iso.str(s.substr(i, len)));
      i += len;
    }
    return iso.listFrom(chars.data(), chars.size());
  }
  argTypeError(iso, fn, argIndex, "list", coll);
}

bool isCollection(Value v) { return v.isNil() || isList(v) || isVector(v) || isString(v); }

// Function-first or data-first: returns {fn, coll} for a two-argument HO call.
void fnAndColl(Isolate& iso, const char* name, Args args, Value* fn, Value* coll) {
  if (isCallable(args[0])) {
    *fn = args[0];
    *coll = args[1];
  } else if (isCallable(args[1]) && isCollection(args[0])) {
    *fn = args[1];
    *coll = args[0];
  } else {
    argTypeError(iso, name, 1, "function", args[0]);
  }
}

HoAction done(Value v) { return HoAction{false, 0, v}; }

// The n slots of the call the Ho frame on top asks for: its callee slot is the frame's
// vbase, the args above it (ho.h). f.vals is only grown: what a callback's frame used
// stays for the next one.
Value* callSlots(Fiber& f, uint32_t n) {
  size_t at = f.frames.back().vbase;
  growVals(f.vals, at + n);
  return f.vals.data() + at;
}

// The same for a callee and args known here: pushed when f.vals ends at the frame's
// vbase (the CEK leaves it there), else written in place (the VM and native code).
template <class... V>
HoAction placeCall(Fiber& f, Value fn, V... args) {
  std::vector<Value>& vals = f.vals;
  size_t at = f.frames.back().vbase;
  if (vals.size() == at) {
    vals.push_back(fn);
    (vals.push_back(args), ...);
  } else {
    Value* s = callSlots(f, 1 + sizeof...(V));
    *s = fn;
    ((*++s = args), ...);
  }
  return HoAction{true, uint32_t(sizeof...(V)), Value::nil()};
}

HoAction call1(Fiber& f, Value fn, Value x) { return placeCall(f, fn, x); }

HoAction call2(Fiber& f, Value fn, Value x, Value y) { return placeCall(f, fn, x, y); }

// Several lists: call fn with the heads, or report that one ran out.
bool callHeads(Fiber& f, Frame& fr, HoAction* out) {
  uint32_t n = 0;
  for (Value c = fr.b; isPair(c); c = cdr(c), ++n)
    if (!isPair(car(c))) return false;
  Value* s = callSlots(f, n + 1);
  s[0] = fr.a;
  for (Value c = fr.b; isPair(c); c = cdr(c)) *++s = car(car(c));
  *out = HoAction{true, n, Value::nil()};
  return true;
}

void advanceHeads(Isolate& iso, Frame& fr) {
  std::vector<Value> rests;
  for (Value c = fr.b; isPair(c); c = cdr(c)) rests.push_back(cdr(car(c)));
  fr.b = iso.listFrom(rests.data(), rests.size());
}

// ---- sort with a comparator: bottom-up merge sort, one comparison per step ------------
// c holds a state vector of fixnums; b holds a buffer of 2n values (two halves).
enum SortSlot { kW, kLo, kLi, kMid, kRi, kHi, kOi, kSrc, kN, kSortSlots };

int64_t get(Value state, int i) { return as<Vector>(state)->items[i].asFixnum(); }
void set(Value state, int i, int64_t v) { as<Vector>(state)->items[i] = Value::fixnum(v); }

HoAction sortAdvance(Fiber& f, Frame& fr) {
  Isolate& iso = f.iso;
  Value state = fr.c;
  Value* buf = as<Vector>(fr.b)->items;
  int64_t n = get(state, kN);
  for (;;) {
    int64_t src = get(state, kSrc), dst = src == 0 ? n : 0;
    int64_t li = get(state, kLi), mid = get(state, kMid), ri = get(state, kRi), hi = get(state, kHi), oi = get(state, kOi);
    if (li < mid && ri < hi) return call2(f, fr.a, buf[src + ri], buf[src + li]);
    while (li < mid) buf[dst + oi++] = buf[src + li++];
    while (ri < hi) buf[dst + oi++] = buf[src + ri++];
    int64_t w = get(state, kW);
    int64_t lo = hi;
    if (lo >= n) {  // pass complete
      src = dst;
      w *= 2;
      lo = 0;
      set(state, kSrc, src);
      set(state, kW, w);
      if (w >= n) return done(iso.listFrom(buf + src, size_t(n)));
    }
    set(state, kLo, lo);
    set(state, kLi, lo);
    set(state, kMid, std::min(lo + w, n));
    set(state, kRi, std::min(lo + w, n));
    set(state, kHi, std::min(lo + 2 * w, n));
    set(state, kOi, lo);
  }
}

HoAction sortStep(Fiber& f, Frame& fr, Value less) {
  Value state = fr.c;
  Value* buf = as<Vector>(fr.b)->items;
  int64_t n = get(state, kN);
  int64_t src = get(state, kSrc), dst = src == 0 ? n : 0;
  int64_t oi = get(state, kOi);
  if (less.truthy()) {
    int64_t ri = get(state, kRi);
    buf[dst + oi] = buf[src + ri];
    set(state, kRi, ri + 1);
  } else {
    int64_t li = get(state, kLi);
    buf[dst + oi] = buf[src + li];
    set(state, kLi, li + 1);
  }
  set(state, kOi, oi + 1);
  return sortAdvance(f, fr);
}

HoAction sortStart(Fiber& f, Frame& fr, Value fn, Value list) {
  Isolate& iso = f.iso;
  std::vector<Value> items;
  for (Value c = list; isPair(c); c = cdr(c)) items.push_back(c.isObj() ? car(c) : c);
  size_t n = items.size();
  if (n < 2) return done(list);
  fr.a = fn;
  fr.b = iso.vector(uint32_t(2 * n));
  for (size_t i = 0; i < n; ++i) as<Vector>(fr.b)->items[i] = items[i];
  fr.c = iso.vector(kSortSlots, Value::fixnum(0));
  set(fr.c, kN, int64_t(n));
  set(fr.c, kW, 1);
  set(fr.c, kSrc, 0);
  set(fr.c, kLi, 0);
  set(fr.c, kMid, 1);
  set(fr.c, kRi, 1);
  set(fr.c, kHi, std::min<int64_t>(2, int64_t(n)));
  set(fr.c, kOi, 0);
  return sortAdvance(f, fr);
}

Value stableSortByValue(Isolate& iso, std::vector<std::pair<Value, Value>>& keyed, const char* fn) {
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) { return compareValues(iso, x.first, y.first, fn) < 0; });
  std::vector<Value> out;
  for (auto& kv : keyed) out.push_back(kv.second);
  return iso.listFrom(out.data(), out.size());
}

Value groupKey(Isolate& iso, Value k) {
  Value key = dictKey(k);
  return key.isNil() ? iso.str(displayValue(iso, k)) : key;
}

}  // namespace

HoAction hoStart(Fiber& f, HoKind kind, Args args) {
  Isolate& iso = f.iso;
  Frame& fr = f.frames.back();
  const char* name = hoName(kind);
  Value fn, coll;
  switch (kind) {
    case HoKind::Map:
    case HoKind::ForEach:
      if (args.n > 2) {
        fr.a = args[0];
        if (!isCallable(fr.a)) argTypeError(iso, name, 1, "function", fr.a);
        std::vector<Value> lists;
        for (uint32_t i = 1; i < args.n; ++i) lists.push_back(asList(iso, args[i], name, i + 1));
        fr.b = iso.listFrom(lists.data(), lists.size());
        fr.flags = 1;
        fr.c = Value::empty();
        HoAction a;
        if (!callHeads(f, fr, &a)) return done(kind == HoKind::Map ? Value::empty() : Value::nil());
        return a;
      }
      [[fallthrough]];
    case HoKind::MapIndexed:
    case HoKind::Filter:
    case HoKind::Remove:
    case HoKind::Some:
    case HoKind::Every:
    case HoKind::Find:
    case HoKind::FindIndex:
    case HoKind::TakeWhile:
    case HoKind::DropWhile:
    case HoKind::Mapcat:
    case HoKind::CountIf:
    case HoKind::GroupBy:
    case HoKind::SortBy: {
      fnAndColl(iso, name, args, &fn, &coll);
      fr.a = fn;
      fr.b = asList(iso, coll, name, 2);
      fr.c = kind == HoKind::GroupBy ? iso.dict() : Value::empty();
      fr.i = 0;
      if (!isPair(fr.b)) {
        switch (kind) {
          case HoKind::Some: return done(Value::f());
          case HoKind::Every: return done(Value::t());
          case HoKind::ForEach:
          case HoKind::Find: return done(Value::nil());
          case HoKind::FindIndex: return done(Value::fixnum(-1));
          case HoKind::CountIf: return done(Value::fixnum(0));
          case HoKind::GroupBy: return done(fr.c);
          default: return done(Value::empty());
        }
      }
      if (kind == HoKind::MapIndexed) return call2(f, fn, Value::fixnum(0), car(fr.b));
      return call1(f, fn, car(fr.b));
    }
    case HoKind::Reduce: {
      // (reduce f init xs), data-first (reduce xs f init), or (reduce f xs).
      Value init;
      if (args.n == 3) {
        if (isCallable(args[0])) {
          fn = args[0];
          init = args[1];
          coll = args[2];
        } else if (isCallable(args[1])) {
          coll = args[0];
          fn = args[1];
          init = args[2];
        } else {
          argTypeError(iso, name, 1, "function", args[0]);
        }
      } else {
        fnAndColl(iso, name, args, &fn, &coll);
        Value l = asList(iso, coll, name, 2);
        if (!isPair(l)) return done(Value::nil());
        init = car(l);
        coll = cdr(l);
      }
      fr.a = fn;
      fr.b = asList(iso, coll, name, 3);
      fr.c = init;
      if (!isPair(fr.b)) return done(init);
      return call2(f, fn, init, car(fr.b));
    }
    case HoKind::Sort: {
      if (args.n == 1) {
        Value l = asList(iso, args[0], name, 1);
        std::vector<std::pair<Value, Value>> keyed;
        for (Value c = l; isPair(c); c = cdr(c)) keyed.push_back({car(c), car(c)});
        return done(stableSortByValue(iso, keyed, name));
      }
      fnAndColl(iso, name, args, &fn, &coll);
      return sortStart(f, fr, fn, asList(iso, coll, name, 2));
    }
    case HoKind::Update: {
      Value d = args[0];
      if (!isDict(d)) argTypeError(iso, name, 1, "dict", d);
      Value key = dictKey(args[1]);
      if (key.isNil()) argTypeError(iso, name, 2, "key", args[1]);
      fr.b = d;
      fr.c = key;
      Value cur = dictGet(as<Dict>(d), key);
      Value* s = callSlots(f, args.n - 1);
      s[0] = args[2];
      s[1] = cur.isUnbound() ? Value::nil() : cur;
      for (uint32_t i = 3; i < args.n; ++i) s[i - 1] = args[i];
      return HoAction{true, args.n - 2, Value::nil()};
    }
  }
  throw SxError(ErrorCode::Internal, "unknown higher-order primitive");
}

HoAction hoStep(Fiber& f, Value r) {
  Isolate& iso = f.iso;
  Frame& fr = f.frames.back();
  HoKind kind = HoKind(fr.sub);
  if (fr.flags & 1) {  // several lists
    if (kind == HoKind::Map) fr.c = iso.cons(r, fr.c);
    advanceHeads(iso, fr);
    HoAction a;
    if (callHeads(f, fr, &a)) return a;
    return done(kind == HoKind::Map ? resultList(iso, fr) : Value::nil());
  }
  Value item = isPair(fr.b) ? car(fr.b) : Value::nil();
  switch (kind) {
    case HoKind::Map:
    case HoKind::MapIndexed:
      fr.c = iso.cons(r, fr.c);
      break;
    case HoKind::Filter:
      if (r.truthy()) fr.c = iso.cons(item, fr.c);
      break;
    case HoKind::Remove:
      if (!r.truthy()) fr.c = iso.cons(item, fr.c);
      break;
    case HoKind::Reduce:
      fr.c = r;
      break;
    case HoKind::Some:
      if (r.truthy()) return done(r);
      break;
    case HoKind::Every:
      if (!r.truthy()) return done(Value::f());
      break;
    case HoKind::ForEach:
      break;
    case HoKind::Find:
      if (r.truthy()) return done(item);
      break;
    case HoKind::FindIndex:
      if (r.truthy()) return done(Value::fixnum(fr.i));
      break;
    case HoKind::TakeWhile:
      if (!r.truthy()) return done(resultList(iso, fr));
      fr.c = iso.cons(item, fr.c);
      break;
    case HoKind::DropWhile:
      if (!r.truthy()) return done(fr.b);
      break;
    case HoKind::Mapcat: {
      Value l = asList(iso, r, "mapcat", 1);
      for (; isPair(l); l = cdr(l)) fr.c = iso.cons(car(l), fr.c);
      break;
    }
    case HoKind::CountIf:
      if (r.truthy()) fr.j++;
      break;
    case HoKind::GroupBy: {
      Value key = groupKey(iso, r);
      Value prev = dictGet(as<Dict>(fr.c), key);
      dictSet(as<Dict>(fr.c), key, iso.cons(item, prev.isUnbound() ? Value::empty() : prev));
      break;
    }
    case HoKind::SortBy:
      fr.c = iso.cons(iso.cons(r, item), fr.c);
      break;
    case HoKind::Sort:
      return sortStep(f, fr, r);
    case HoKind::Update: {
      Value d = dictCopy(iso, as<Dict>(fr.b));
      dictSet(as<Dict>(d), fr.c, r);
      return done(d);
    }
  }
  fr.b = cdr(fr.b);
  fr.i++;
  if (isPair(fr.b)) {
    if (kind == HoKind::Reduce) return call2(f, fr.a, fr.c, car(fr.b));
    if (kind == HoKind::MapIndexed) return call2(f, fr.a, Value::fixnum(fr.i), car(fr.b));
    return call1(f, fr.a, car(fr.b));
  }
  switch (kind) {
    case HoKind::Map:
    case HoKind::MapIndexed:
    case HoKind::Filter:
    case HoKind::Remove:
    case HoKind::TakeWhile:
    case HoKind::Mapcat:
      return done(resultList(iso, fr));
    case HoKind::Reduce: return done(fr.c);
    case HoKind::Some: return done(Value::f());
    case HoKind::Every: return done(Value::t());
    case HoKind::FindIndex: return done(Value::fixnum(-1));
    case HoKind::DropWhile: return done(Value::empty());
    case HoKind::CountIf: return done(Value::fixnum(fr.j));
    case HoKind::GroupBy: {
      Value out = iso.dict();
      dictForEach(as<Dict>(fr.c), [&](Value k, Value v) { dictSet(as<Dict>(out), k, reverseList(iso, v)); });
      return done(out);
    }
    case HoKind::SortBy: {
      std::vector<std::pair<Value, Value>> keyed;
      for (Value c = reverseList(iso, fr.c); isPair(c); c = cdr(c)) keyed.push_back({car(car(c)), cdr(car(c))});
      return done(stableSortByValue(iso, keyed, "sort-by"));
    }
    default: return done(Value::nil());
  }
}

void registerHoNatives(Isolate& iso) {
  static const NativeDef kNatives[] = {
#define X(e, n, mn, mx, d) {n, nullptr, mn, mx, kNativeHo, uint16_t(HoKind::e), d},
      SX_HO_KINDS(X)
#undef X
  };
  iso.registerNatives(kNatives, std::size(kNatives));
}

}  // namespace sx
