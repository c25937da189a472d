// Fiber snapshots: walking the CEK fiber's frames (effects/fiber.h) into plain data.
// A CEK frame's code is its node (the owner proto names the function, the span locates
// it); its environment's slots are named by ProtoInfo::slotNames; the value stack slice
// it owns runs from its vbase to the next frame's. A VM frame (vm/vm.cpp) is its
// closure (a), next instruction (i) and stack height (j): its locals are the first
// nlocals values from vbase, or a heap Env when the code needs one; an Ho frame's loop state is decoded
// from the fields effects/ho.cpp documents (a = function, b = what is left, c = what
// was built, i = index).
#include "inspect/snapshot.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "cek/cek.h"
#include "compiler/code.h"
#include "effects/ho.h"
#include "reader/lexer.h"
#include "reader/printer.h"
#include "value/dict.h"
#include "vm/vm.h"

namespace sx::inspect::detail {

namespace {

constexpr size_t kMaxItems = 12;   // container items printed before "…"
constexpr int kMaxNesting = 6;     // container levels printed before "…"
constexpr size_t kMaxValues = 64;  // value-stack entries copied per frame
constexpr size_t kMaxMemoText = 120;  // longest text a PrintMemo keeps
// A deep stack is recorded by its outermost and innermost frames; those between are
// counted (one "elided" frame says how many), so a snapshot costs the same at any depth.
constexpr size_t kOuterFrames = 16;
constexpr size_t kInnerFrames = 112;

// Whether printing `v` itself (not its items) shows only what can never change: a
// string, a number, a name, a function's name. Containers, buffers and records can be
// changed in place (a dict says when: its version).
bool printsImmutably(Value v) {
  if (!v.isObj()) return true;
  switch (v.asObj()->type) {
    case ObjType::String:
    case ObjType::Symbol:
    case ObjType::Keyword:
    case ObjType::Float:
    case ObjType::Int64:
    case ObjType::Rational:
    case ObjType::Lambda:
    case ObjType::Macro:
    case ObjType::Component:
    case ObjType::Native:
    case ObjType::AdtCtor:
    case ObjType::RawHtml:
      return true;
    default:
      return false;
  }
}

struct ShortPrinter {
  Isolate& iso;
  std::string out;
  size_t maxChars;
  PrintMemo* memo = nullptr;
  bool sawMutable = false;  // printed an object that can change in place unnoticed
  std::vector<DictSeen>* dicts = nullptr;  // where to note the dicts printed, with their versions

  bool full() const { return out.size() >= maxChars; }

  void items(const char* open, const char* close, size_t n, int depth, auto&& item) {
    out += open;
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ' ';
      if (i == kMaxItems || full()) {
        out += "…";
        break;
      }
      item(i, depth + 1);
    }
    out += close;
  }

  void print(Value v, int depth) {
    if (full()) return;
    if (v.isFixnum()) {  // the commonest value, written without the printer's machinery
      char buf[24];
      out.append(buf, std::to_chars(buf, buf + sizeof buf, v.asFixnum()).ptr);
      return;
    }
    if (isDict(v) && dicts) dicts->push_back({as<Dict>(v), dictVersion(as<Dict>(v))});
    else if (!printsImmutably(v)) sawMutable = true;
    bool container = isPair(v) || isVector(v) || isDict(v);
    if (container && depth >= kMaxNesting) {
      out += "…";
      return;
    }
    // Containers collect the items they may print in arrays on the stack: a snapshot is
    // taken at every recorded perform, and allocations are most of its cost.
    if (isPair(v)) {
      Value xs[kMaxItems + 1];
      size_t n = 0;
      Value c = v;
      for (; isPair(c) && n <= kMaxItems; c = cdr(c)) xs[n++] = car(c);
      items("(", isPair(c) || c.isEmpty() ? ")" : " . …)", n, depth, [&](size_t i, int d) { print(xs[i], d); });
    } else if (isVector(v)) {
      auto* vec = as<Vector>(v);
      items("[", "]", vec->length, depth, [&](size_t i, int d) { print(vec->items[i], d); });
    } else if (isDict(v)) {
      std::pair<Value, Value> kv[kMaxItems + 1];
      size_t n = 0;
      dictForEach(as<Dict>(v), [&](Value k, Value x) {
        if (n <= kMaxItems) kv[n++] = {k, x};
      });
      items("{", "}", as<Dict>(v)->count, depth, [&](size_t i, int d) {
        Value k = kv[i].first;
        if (isString(k) && lex::isKeywordName(strView(k))) {
          out += ':';
          out += strView(k);
        } else {
          print(k, d);
        }
        out += ' ';
        print(kv[i].second, d);
      });
    } else {
      size_t start = out.size();
      size_t room = maxChars > start ? maxChars - start : 0;
      if (memo) memo->append(iso, v, out);
      else printTo(iso, v, out, true);
      if (out.size() - start > room + 1) {
        size_t cut = start + room;
        while (cut > start && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
        out.resize(cut);
        out += "…";
      }
    }
  }
};

// Prints the values of one frame snapshot and remembers whether any of them could
// change in place (then the snapshot is not shared with a later one).
struct FramePrinter {
  Isolate& iso;
  PrintMemo* memo = nullptr;
  bool sawMutable = false;
  std::vector<DictSeen> dicts;

  std::string operator()(Value v, size_t maxChars = 200) {
    ShortPrinter p{iso, {}, maxChars, memo, false, &dicts};
    p.print(v, 0);
    sawMutable |= p.sawMutable;
    return std::move(p.out);
  }
};

const char* frameDetail(FrameKind k) {
  switch (k) {
#define X(n, d) \
  case FrameKind::n: return d;
    SX_FRAME_KINDS(X)
#undef X
  }
  return "";
}

const char* hoPrimitiveName(HoKind k) {
  switch (k) {
#define X(e, n, mn, mx, d) \
  case HoKind::e: return n;
    SX_HO_KINDS(X)
#undef X
  }
  return "?";
}

uint32_t listLength(Value l) {
  uint32_t n = 0;
  for (; isPair(l); l = cdr(l)) ++n;
  return n;
}

Value reversed(Isolate& iso, Value l) {
  Value out = Value::empty();
  for (; isPair(l); l = cdr(l)) out = iso.cons(car(l), out);
  return out;
}

// "" for top-level code, "<lambda>" for an anonymous function.
std::string nameOf(const ProtoInfo& P) {
  if (!P.name.empty()) return P.name;
  return P.toplevel ? std::string() : std::string("<lambda>");
}

std::string functionOf(const Node* n) {
  return n && n->owner ? nameOf(*n->owner) : std::string();
}

// The environment's own slots, named by the proto that made it.
std::vector<LocalVar> localsOf(FramePrinter& print, const Node* n, Env* env) {
  std::vector<LocalVar> out;
  if (!n || !n->owner || !env) return out;
  const ProtoInfo& P = *n->owner;
  if (env->aux != P.nslots || P.slotNames.size() < P.nslots) return out;
  out.reserve(P.nslots);
  for (uint32_t i = 0; i < P.nslots; ++i) {
    Value name = P.slotNames[i];
    out.push_back({isSymbol(name) ? std::string(symName(name)) : "#" + std::to_string(i), print(env->slots[i])});
  }
  return out;
}

// What an Ho frame's accumulated value `c` holds, per primitive.
void describeAccumulated(FramePrinter& print, const Frame& fr, HoKind kind, HoState& ho) {
  switch (kind) {
    case HoKind::Map:
    case HoKind::MapIndexed:
    case HoKind::Filter:
    case HoKind::Remove:
    case HoKind::TakeWhile:
    case HoKind::Mapcat:
      ho.accumulatedLabel = "results so far";
      ho.accumulated = print(reversed(print.iso, fr.c));
      break;
    case HoKind::Reduce:
      ho.accumulatedLabel = "accumulator";
      ho.accumulated = print(fr.c);
      break;
    case HoKind::GroupBy:
      ho.accumulatedLabel = "groups so far (newest first)";
      ho.accumulated = print(fr.c);
      break;
    case HoKind::SortBy:
      ho.accumulatedLabel = "(key . item) so far";
      ho.accumulated = print(reversed(print.iso, fr.c));
      break;
    case HoKind::CountIf:
      ho.accumulatedLabel = "count so far";
      ho.accumulated = std::to_string(fr.j);
      break;
    default:
      break;
  }
}

// The loop state is read from lists that can change in place: never shared.
HoState hoStateOf(FramePrinter& print, const Frame& fr) {
  print.sawMutable = true;
  HoState ho;
  HoKind kind = HoKind(fr.sub);
  ho.primitive = hoPrimitiveName(kind);
  ho.function = isCallable(fr.a) ? calleeName(fr.a) : std::string();
  if (fr.flags & 1) {  // several lists: b is the list of what is left of each
    ho.severalLists = true;
    uint32_t left = UINT32_MAX;
    for (Value c = fr.b; isPair(c); c = cdr(c)) left = std::min(left, listLength(car(c)));
    if (left == UINT32_MAX) left = 0;
    ho.index = kind == HoKind::Map ? listLength(fr.c) : 0;
    ho.total = ho.index + left;
    if (kind == HoKind::Map) describeAccumulated(print, fr, kind, ho);
    return ho;
  }
  if (kind == HoKind::Sort) {  // merge sort: c is the state vector, b the buffer
    ho.accumulatedLabel = "merge sort in progress";
    return ho;
  }
  if (kind == HoKind::Update) {
    ho.accumulatedLabel = "calling the update function for key " + print(fr.c);
    return ho;
  }
  ho.index = fr.i;
  ho.total = fr.i + listLength(fr.b);
  describeAccumulated(print, fr, kind, ho);
  return ho;
}

// The value-stack slice frame k owns: up to the next frame's base, or the top.
size_t sliceEnd(const Fiber& f, size_t k) {
  return k + 1 < f.frames.size() ? std::min<size_t>(f.frames[k + 1].vbase, f.vals.size()) : f.vals.size();
}

// The heap environment a frame's locals are printed from, if any.
Env* localsEnv(const Frame& fr) {
  if (fr.kind == FrameKind::Ho) return nullptr;
  if (fr.kind != FrameKind::VM) return fr.node && fr.node->owner ? fr.env : nullptr;
  const Code* code = fr.code;
  return code && !code->isBlock && code->needsEnv ? fr.env : nullptr;
}

// A VM frame: the closure's function, the offset of the instruction it is in, its
// locals (stack slots or heap Env, named like the CEK's slots) and operand stack, read
// with the code the frame runs (its proto may have been compiled again since).
void vmFrameOf(FramePrinter& print, const Fiber& f, size_t k, FrameSnapshot& s) {
  const Frame& fr = f.frames[k];
  s.tier = "vm";
  if (!isType(fr.a, ObjType::Lambda)) return;
  const ProtoInfo& P = *as<Closure>(fr.a)->proto->info;
  const Code* code = fr.code;
  s.function = nameOf(P);
  s.offset = fr.i > 0 ? fr.i - 1 : 0;
  if (!code) return;
  s.span = sourcePos(print.iso, vmFrameSpan(fr));
  auto slotName = [&](uint32_t i) {
    return i < P.slotNames.size() && isSymbol(P.slotNames[i]) ? std::string(symName(P.slotNames[i])) : "#" + std::to_string(i);
  };
  if (code->isBlock) {
    s.note = "a block running in its creator's environment";
  } else if (code->needsEnv) {
    if (fr.env && fr.env->aux == P.nslots)
      for (uint32_t i = 0; i < P.nslots; ++i) s.locals.push_back({slotName(i), print(fr.env->slots[i])});
  } else {
    s.locals.reserve(code->nlocals);
    for (uint32_t i = 0; i < code->nlocals && fr.vbase + i < f.vals.size(); ++i)
      s.locals.push_back({slotName(i), print(f.vals[fr.vbase + i])});
  }
  size_t from = std::min<size_t>(size_t(fr.vbase) + code->nlocals, f.vals.size());
  size_t to = std::min<size_t>(size_t(fr.vbase) + fr.j, sliceEnd(f, k));
  if (from < to) s.values.reserve(std::min(to - from, kMaxValues));
  for (size_t i = from; i < to && s.values.size() < kMaxValues; ++i) s.values.push_back(print(f.vals[i]));
}

void cekFrameOf(FramePrinter& print, const Fiber& f, size_t k, FrameSnapshot& s) {
  const Frame& fr = f.frames[k];
  s.tier = fr.node ? "cek" : "";  // loop and handler frames run no code of their own
  s.function = functionOf(fr.node);
  if (fr.node) s.span = sourcePos(print.iso, fr.node->span);
  // Ho and handler frames carry no environment of their own.
  if (fr.kind != FrameKind::Ho) s.locals = localsOf(print, fr.node, fr.env);
  size_t from = std::min<size_t>(fr.vbase, f.vals.size());
  size_t to = sliceEnd(f, k);
  if (from < to) s.values.reserve(std::min(to - from, kMaxValues));
  for (size_t i = from; i < to && s.values.size() < kMaxValues; ++i) s.values.push_back(print(f.vals[i]));
  if (fr.kind == FrameKind::Ho) s.ho = std::make_shared<const HoState>(hoStateOf(print, fr));
  if (fr.kind == FrameKind::Handlers && isDict(fr.a)) s.note = print(fr.a, 120);
}

FrameRef frameOf(FramePrinter& print, const Fiber& f, size_t k) {
  auto s = std::make_shared<FrameSnapshot>();
  const Frame& fr = f.frames[k];
  s->kind = frameKindName(fr.kind);
  s->about = frameDetail(fr.kind);
  if (fr.kind == FrameKind::VM) vmFrameOf(print, f, k, *s);
  else cekFrameOf(print, f, k, *s);
  return s;
}

// The suspended call: in the VM frame below (the caller, at its call instruction), or
// f.currentCall in f.env.
FrameRef performSiteOf(FramePrinter& print, const Fiber& f, const FrameSnapshot* vmCaller) {
  auto site = std::make_shared<FrameSnapshot>();
  site->kind = "perform";
  site->about = "the suspended call of perform";
  if (vmCaller) {
    site->tier = vmCaller->tier;
    site->function = vmCaller->function;
    site->offset = vmCaller->offset;
    site->span = vmCaller->span;
  } else {
    site->tier = "cek";
    site->function = functionOf(f.currentCall);
    if (f.currentCall) site->span = sourcePos(print.iso, f.currentCall->span);
    site->locals = localsOf(print, f.currentCall, f.env);
  }
  return site;
}

bool sameBits(const Frame& a, const Frame& b) { return std::memcmp(&a, &b, sizeof(Frame)) == 0; }

bool sameValues(const std::vector<Value>& kept, const Value* now, size_t n) {
  return kept.size() == n && (n == 0 || std::memcmp(kept.data(), now, n * sizeof(Value)) == 0);
}

bool dictsUnchanged(const std::vector<DictSeen>& seen) {
  for (const DictSeen& d : seen)
    if (dictVersion(d.dict) != d.version) return false;
  return true;
}

// The snapshot `e` keeps when it was printed from exactly this (see SnapshotCache), else
// a new one from `make(printer)`, kept in `e` when it can be shared.
template <class Make>
FrameRef shared(SnapshotCache* cache, SnapshotCache::Entry* e, Isolate& iso, const Frame& key, const Value* vals, size_t nvals,
                Env* env, Make&& make) {
  FramePrinter print{iso, cache ? &cache->printed : nullptr};
  if (!e) return make(print);
  const Value* slots = env ? env->slots : nullptr;
  size_t nslots = env ? env->aux : 0;
  uint64_t collections = iso.heap.stats().collections;
  if (e->snap && e->collections == collections && sameBits(e->frame, key) && sameValues(e->vals, vals, nvals) &&
      sameValues(e->env, slots, nslots) && dictsUnchanged(e->dicts))
    return e->snap;
  FrameRef s = make(print);
  // Printing may allocate (an Ho frame's results reversed), so a collection may have run.
  if (print.sawMutable || iso.heap.stats().collections != collections) {
    e->snap.reset();
    return s;
  }
  e->frame = key;
  e->vals.assign(vals, vals + nvals);
  e->env.assign(slots, slots + nslots);
  e->dicts = std::move(print.dicts);
  e->collections = collections;
  e->snap = s;
  return s;
}

bool sameFrame(const Frame& a, const Frame& b, std::string* field) {
  auto diff = [&](const char* name) {
    *field = name;
    return false;
  };
  if (a.kind != b.kind) return diff("kind");
  if (a.flags != b.flags || a.sub != b.sub) return diff("flags");
  if (a.i != b.i) return diff("i (index)");
  if (a.j != b.j) return diff("j");
  if (a.node != b.node) return diff("code");
  if (a.env != b.env) return diff("environment");
  if (a.a != b.a) return diff("a");
  if (a.b != b.b) return diff("b");
  if (a.c != b.c) return diff("c");
  if (a.vbase != b.vbase) return diff("value-stack base");
  return true;
}

}  // namespace

void PrintMemo::append(Isolate& iso, Value v, std::string& out) {
  if (!v.isObj() || !printsImmutably(v)) return printTo(iso, v, out, true);
  if (iso_ != &iso) {
    for (Slot& s : slots_) s.collections = UINT64_MAX;
    iso_ = &iso;
  }
  uint64_t bits = v.bits();
  Slot& s = slots_[(bits >> 4 ^ bits >> 10) % slots_.size()];
  uint64_t collections = iso.heap.stats().collections;
  if (s.collections == collections && s.v == v) {
    out += s.text;
    return;
  }
  size_t start = out.size();
  printTo(iso, v, out, true);
  if (out.size() - start > kMaxMemoText) return;  // long texts are printed each time, not kept
  s.text.assign(out, start);
  s.v = v;
  s.collections = collections;
}

std::string printShort(Isolate& iso, Value v, size_t maxChars, PrintMemo* memo) {
  ShortPrinter p{iso, {}, maxChars, memo};
  p.print(v, 0);
  return std::move(p.out);
}

SourcePos sourcePos(Isolate& iso, const Span& sp) {
  SourcePos p;
  if (const SourceFile* sf = iso.source(sp.file)) p.file = sf->name;
  p.line = sp.line;
  p.col = sp.col;
  p.len = sp.len;
  return p;
}

bool elides(size_t frames) { return frames > kOuterFrames + kInnerFrames; }

// Where the fiber's frame k is in a snapshot of its n frames: the frames elided from a
// deep stack all map to the one "elided" frame after the outermost ones.
size_t snapshotIndex(size_t k, size_t n) {
  if (!elides(n) || k <= kOuterFrames) return k;
  size_t innerFrom = n - kInnerFrames;
  return kOuterFrames + 1 + (k < innerFrom ? 0 : k - innerFrom);
}

FrameRef elidedFrames(size_t count) {
  auto s = std::make_shared<FrameSnapshot>();
  s->kind = "elided";
  s->about = "frames of a deep stack, counted and not recorded";
  s->note = std::to_string(count) + " frames not recorded";
  return s;
}

// The fiber's frames, outermost first, into `snap`.
void snapshotFrames(Fiber& f, SnapshotCache* cache, FiberSnapshot& snap) {
  size_t n = f.frames.size();
  snap.engineFrames = uint32_t(n);
  snap.stackValues = uint32_t(f.vals.size());
  snap.frames.reserve(snapshotIndex(n, n) + 1);
  if (cache && cache->iso != &f.iso) {
    cache->clear();
    cache->iso = &f.iso;
  }
  // Never shrunk: the entry of a frame a resume pushes keeps its storage for the next.
  if (cache && cache->frames.size() < n) cache->frames.resize(n);
  for (size_t k = 0; k < n; ++k) {
    if (elides(n) && k == kOuterFrames) {
      snap.frames.push_back(elidedFrames(n - kOuterFrames - kInnerFrames));
      k = n - kInnerFrames - 1;
      continue;
    }
    const Frame& fr = f.frames[k];
    size_t from = std::min<size_t>(fr.vbase, f.vals.size()), to = std::max(from, sliceEnd(f, k));
    snap.frames.push_back(shared(cache, cache ? &cache->frames[k] : nullptr, f.iso, fr, f.vals.data() + from, to - from, localsEnv(fr),
                                 [&](FramePrinter& print) { return frameOf(print, f, k); }));
  }
}

FiberSnapshot snapshotFiber(Fiber& f, SnapshotCache* cache) {
  FiberSnapshot snap;
  snapshotFrames(f, cache, snap);
  // Keyed by the caller's frame when it is a VM frame, else by the call and its
  // environment.
  const FrameSnapshot* vmCaller = !f.frames.empty() && f.frames.back().kind == FrameKind::VM ? snap.frames.back().get() : nullptr;
  Frame key{};
  Env* env = nullptr;
  if (vmCaller) {
    key = f.frames.back();
  } else {
    key.node = f.currentCall;
    key.env = f.env;
    env = f.currentCall && f.currentCall->owner ? f.env : nullptr;
  }
  snap.frames.push_back(shared(cache, cache ? &cache->site : nullptr, f.iso, key, nullptr, 0, env,
                               [&](FramePrinter& print) { return performSiteOf(print, f, vmCaller); }));
  return snap;
}

FiberSnapshot snapshotResumed(Fiber& f, const RawStack& atPerform, SnapshotCache* cache) {
  FiberSnapshot snap;
  snapshotFrames(f, cache, snap);
  if (atPerform.site) {
    size_t at = std::min(snapshotIndex(atPerform.frames.size(), f.frames.size()), snap.frames.size());
    snap.frames.insert(snap.frames.begin() + std::ptrdiff_t(at), atPerform.site);
  }
  return snap;
}

RawStack SnapshotCache::capture(const Fiber& f) {
  RawStack raw;
  if (!spare_.empty()) {
    raw = std::move(spare_.back());
    spare_.pop_back();
  }
  raw.frames.assign(f.frames.begin(), f.frames.end());
  raw.vals.assign(f.vals.begin(), f.vals.end());
  return raw;
}

void SnapshotCache::release(RawStack&& raw) {
  // A very deep stack's storage goes back to the allocator rather than stay held.
  if (spare_.size() >= kSpareStacks || raw.frames.capacity() > kMaxSpareFrames) return;
  raw.site.reset();
  spare_.push_back(std::move(raw));
}

StackCheck compareStacks(const RawStack& before, const Fiber& now) {
  StackCheck c;
  c.made = true;
  size_t n = before.frames.size();
  if (now.frames.size() < n) {
    c.difference = "the fiber has " + std::to_string(now.frames.size()) + " frames, " + std::to_string(n) + " were below the perform";
    return c;
  }
  for (size_t k = 0; k < n; ++k) {
    std::string field;
    if (!sameFrame(before.frames[k], now.frames[k], &field)) {
      c.framesCompared = uint32_t(k);
      c.difference = "frame " + std::to_string(k) + " (" + frameKindName(before.frames[k].kind) + ") changed: " + field;
      return c;
    }
  }
  c.framesCompared = uint32_t(n);
  size_t m = before.vals.size();
  if (now.vals.size() < m) {
    c.difference = "the value stack shrank from " + std::to_string(m) + " to " + std::to_string(now.vals.size());
    return c;
  }
  for (size_t i = 0; i < m; ++i) {
    if (before.vals[i] != now.vals[i]) {
      c.valuesCompared = uint32_t(i);
      c.difference = "value-stack entry " + std::to_string(i) + " changed";
      return c;
    }
  }
  c.valuesCompared = uint32_t(m);
  c.agrees = true;
  c.framesPushed = uint32_t(now.frames.size() - n);
  for (size_t k = 0; k < c.pushedKinds.size() && n + k < now.frames.size(); ++k) c.pushedKinds[k] = frameKindName(now.frames[n + k].kind);
  return c;
}

}  // namespace sx::inspect::detail

namespace sx::inspect {

std::string StackCheck::describe() const {
  if (!made) return {};
  if (!agrees) return difference;
  auto count = [](uint32_t n, const char* one, const char* many) { return std::to_string(n) + (n == 1 ? one : many); };
  std::string d = count(framesCompared, " frame", " frames") + " and " + count(valuesCompared, " stack value", " stack values") +
                  " below the perform unchanged";
  if (framesPushed) {
    d += "; " + count(framesPushed, " frame", " frames") + " pushed by the resume (";
    for (size_t k = 0; k < pushedKinds.size() && k < framesPushed; ++k) {
      if (k) d += ", ";
      d += pushedKinds[k];
    }
    if (framesPushed > pushedKinds.size()) d += ", …";
    d += ")";
  }
  return d;
}

}  // namespace sx::inspect
