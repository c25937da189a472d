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

struct ShortPrinter {
  Isolate& iso;
  std::string out;
  size_t maxChars;

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
      printTo(iso, v, out, true);
      if (out.size() - start > room + 1) {
        size_t cut = start + room;
        while (cut > start && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
        out.resize(cut);
        out += "…";
      }
    }
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
std::vector<LocalVar> localsOf(Isolate& iso, const Node* n, Env* env) {
  std::vector<LocalVar> out;
  if (!n || !n->owner || !env) return out;
  const ProtoInfo& P = *n->owner;
  if (env->aux != P.nslots || P.slotNames.size() < P.nslots) return out;
  out.reserve(P.nslots);
  for (uint32_t i = 0; i < P.nslots; ++i) {
    Value name = P.slotNames[i];
    out.push_back({isSymbol(name) ? std::string(symName(name)) : "#" + std::to_string(i), printShort(iso, env->slots[i])});
  }
  return out;
}

// What an Ho frame's accumulated value `c` holds, per primitive.
void describeAccumulated(Isolate& iso, const Frame& fr, HoKind kind, HoState& ho) {
  switch (kind) {
    case HoKind::Map:
    case HoKind::MapIndexed:
    case HoKind::Filter:
    case HoKind::Remove:
    case HoKind::TakeWhile:
    case HoKind::Mapcat:
      ho.accumulatedLabel = "results so far";
      ho.accumulated = printShort(iso, reversed(iso, fr.c));
      break;
    case HoKind::Reduce:
      ho.accumulatedLabel = "accumulator";
      ho.accumulated = printShort(iso, fr.c);
      break;
    case HoKind::GroupBy:
      ho.accumulatedLabel = "groups so far (newest first)";
      ho.accumulated = printShort(iso, fr.c);
      break;
    case HoKind::SortBy:
      ho.accumulatedLabel = "(key . item) so far";
      ho.accumulated = printShort(iso, reversed(iso, fr.c));
      break;
    case HoKind::CountIf:
      ho.accumulatedLabel = "count so far";
      ho.accumulated = std::to_string(fr.j);
      break;
    default:
      break;
  }
}

HoState hoStateOf(Isolate& iso, const Frame& fr) {
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
    if (kind == HoKind::Map) describeAccumulated(iso, fr, kind, ho);
    return ho;
  }
  if (kind == HoKind::Sort) {  // merge sort: c is the state vector, b the buffer
    ho.accumulatedLabel = "merge sort in progress";
    return ho;
  }
  if (kind == HoKind::Update) {
    ho.accumulatedLabel = "calling the update function for key " + printShort(iso, fr.c);
    return ho;
  }
  ho.index = fr.i;
  ho.total = fr.i + listLength(fr.b);
  describeAccumulated(iso, fr, kind, ho);
  return ho;
}

// A VM frame: the closure's function, the offset of the instruction it is in, its
// locals (stack slots or heap Env, named like the CEK's slots) and operand stack.
FrameSnapshot vmFrameOf(Fiber& f, size_t k) {
  Isolate& iso = f.iso;
  const Frame& fr = f.frames[k];
  FrameSnapshot s;
  s.kind = frameKindName(fr.kind);
  s.tier = "vm";
  s.about = frameDetail(fr.kind);
  if (!isType(fr.a, ObjType::Lambda)) return s;
  const ProtoInfo& P = *as<Closure>(fr.a)->proto->info;
  const Code* code = P.code;
  s.function = nameOf(P);
  s.offset = fr.i > 0 ? fr.i - 1 : 0;
  if (!code) return s;
  s.span = sourcePos(iso, vmFrameSpan(fr));
  auto slotName = [&](uint32_t i) {
    return i < P.slotNames.size() && isSymbol(P.slotNames[i]) ? std::string(symName(P.slotNames[i])) : "#" + std::to_string(i);
  };
  if (code->isBlock) {
    s.note = "a block running in its creator's environment";
  } else if (code->needsEnv) {
    if (fr.env && fr.env->aux == P.nslots)
      for (uint32_t i = 0; i < P.nslots; ++i) s.locals.push_back({slotName(i), printShort(iso, fr.env->slots[i])});
  } else {
    s.locals.reserve(code->nlocals);
    for (uint32_t i = 0; i < code->nlocals && fr.vbase + i < f.vals.size(); ++i)
      s.locals.push_back({slotName(i), printShort(iso, f.vals[fr.vbase + i])});
  }
  size_t from = std::min<size_t>(size_t(fr.vbase) + code->nlocals, f.vals.size());
  size_t to = std::min<size_t>(size_t(fr.vbase) + fr.j, f.vals.size());
  if (k + 1 < f.frames.size()) to = std::min<size_t>(to, f.frames[k + 1].vbase);
  if (from < to) s.values.reserve(std::min(to - from, kMaxValues));
  for (size_t i = from; i < to && s.values.size() < kMaxValues; ++i) s.values.push_back(printShort(iso, f.vals[i]));
  return s;
}

FrameSnapshot frameOf(Fiber& f, size_t k) {
  if (f.frames[k].kind == FrameKind::VM) return vmFrameOf(f, k);
  Isolate& iso = f.iso;
  const Frame& fr = f.frames[k];
  FrameSnapshot s;
  s.kind = frameKindName(fr.kind);
  s.tier = fr.node ? "cek" : "";  // loop and handler frames run no code of their own
  s.function = functionOf(fr.node);
  if (fr.node) s.span = sourcePos(iso, fr.node->span);
  s.about = frameDetail(fr.kind);
  // Ho and handler frames carry no environment of their own.
  if (fr.kind != FrameKind::Ho) s.locals = localsOf(iso, fr.node, fr.env);
  size_t from = std::min<size_t>(fr.vbase, f.vals.size());
  size_t to = k + 1 < f.frames.size() ? std::min<size_t>(f.frames[k + 1].vbase, f.vals.size()) : f.vals.size();
  if (from < to) s.values.reserve(std::min(to - from, kMaxValues));
  for (size_t i = from; i < to && s.values.size() < kMaxValues; ++i) s.values.push_back(printShort(iso, f.vals[i]));
  if (fr.kind == FrameKind::Ho) s.ho = hoStateOf(iso, fr);
  if (fr.kind == FrameKind::Handlers && isDict(fr.a)) s.note = printShort(iso, fr.a, 120);
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

std::string printShort(Isolate& iso, Value v, size_t maxChars) {
  ShortPrinter p{iso, {}, maxChars};
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

FiberSnapshot snapshotFiber(Fiber& f, bool withPerformSite) {
  FiberSnapshot snap;
  snap.engineFrames = uint32_t(f.frames.size());
  snap.stackValues = uint32_t(f.vals.size());
  snap.frames.reserve(f.frames.size() + (withPerformSite ? 1 : 0));
  for (size_t k = 0; k < f.frames.size(); ++k) snap.frames.push_back(frameOf(f, k));
  if (withPerformSite) {
    FrameSnapshot site;
    site.kind = "perform";
    site.about = "the suspended call of perform";
    if (!f.frames.empty() && f.frames.back().kind == FrameKind::VM) {
      // Called from bytecode: the VM frame below is the caller, at the call instruction.
      const FrameSnapshot& caller = snap.frames.back();
      site.tier = caller.tier;
      site.function = caller.function;
      site.offset = caller.offset;
      site.span = caller.span;
    } else {
      site.tier = "cek";
      site.function = functionOf(f.currentCall);
      if (f.currentCall) site.span = sourcePos(f.iso, f.currentCall->span);
      site.locals = localsOf(f.iso, f.currentCall, f.env);
    }
    snap.frames.push_back(std::move(site));
  }
  return snap;
}

RawStack captureRaw(const Fiber& f) { return RawStack{f.frames, f.vals}; }

StackCheck compareStacks(const RawStack& before, const Fiber& now) {
  StackCheck c;
  size_t n = before.frames.size();
  if (now.frames.size() < n) {
    c.detail = "the fiber has " + std::to_string(now.frames.size()) + " frames, " + std::to_string(n) + " were below the perform";
    return c;
  }
  for (size_t k = 0; k < n; ++k) {
    std::string field;
    if (!sameFrame(before.frames[k], now.frames[k], &field)) {
      c.framesCompared = uint32_t(k);
      c.detail = "frame " + std::to_string(k) + " (" + frameKindName(before.frames[k].kind) + ") changed: " + field;
      return c;
    }
  }
  c.framesCompared = uint32_t(n);
  size_t m = before.vals.size();
  if (now.vals.size() < m) {
    c.detail = "the value stack shrank from " + std::to_string(m) + " to " + std::to_string(now.vals.size());
    return c;
  }
  for (size_t i = 0; i < m; ++i) {
    if (before.vals[i] != now.vals[i]) {
      c.valuesCompared = uint32_t(i);
      c.detail = "value-stack entry " + std::to_string(i) + " changed";
      return c;
    }
  }
  c.valuesCompared = uint32_t(m);
  c.agrees = true;
  // Written into one buffer: this is the text of every agreeing resume.
  std::string& d = c.detail;
  d.reserve(128);
  d += std::to_string(n);
  d += " frames and ";
  d += std::to_string(m);
  d += " stack values below the perform unchanged";
  size_t extra = now.frames.size() - n;
  if (extra) {
    d += "; ";
    d += std::to_string(extra);
    d += extra == 1 ? " frame" : " frames";
    d += " pushed by the resume (";
    for (size_t k = n; k < now.frames.size(); ++k) {
      if (k > n) d += ", ";
      d += frameKindName(now.frames[k].kind);
    }
    d += ")";
  }
  return c;
}

}  // namespace sx::inspect::detail
