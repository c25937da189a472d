#include "effects/fiber.h"

#include "value/trace.h"

namespace sx {

const char* frameKindName(FrameKind k) {
  switch (k) {
#define X(n, d) \
  case FrameKind::n: return #n;
    SX_FRAME_KINDS(X)
#undef X
  }
  return "?";
}

void growValsSlow(std::vector<Value>& vals, size_t need) {
  while (vals.size() < need) vals.push_back(Value::nil());
}

Fiber::Fiber(Isolate& i) : iso(i) { iso.registerFiber(this); }
Fiber::~Fiber() { iso.unregisterFiber(this); }

static void markNode(Heap& h, const Node* n) {
  if (n && n->owner) h.markObj(n->owner->self);
}

static void traceFrames(Heap& h, const std::vector<Frame>& frames) {
  for (const Frame& fr : frames) {
    markNode(h, fr.node);
    h.markObj(fr.env);
    h.mark(fr.a);
    h.mark(fr.b);
    h.mark(fr.c);
  }
}

void Fiber::trace(Heap& h) const {
  traceFrames(h, frames);
  for (Value v : vals) h.mark(v);
  markNode(h, node);
  markNode(h, currentCall);
  h.markObj(env);
  h.mark(value);
  h.mark(result);
  h.mark(error);
  h.mark(pending.request);
  h.mark(pending.handler);
  h.mark(pending.args);
  h.mark(pending.opName);
}

void traceFiberRef(Heap& h, Fiber* f) {
  if (f) f->trace(h);
}

void finalizeFiberRef(Fiber* f) { delete f; }

void traceContinuation(Heap& h, ContinuationData* d) {
  if (!d) return;
  traceFrames(h, d->frames);
  for (Value v : d->vals) h.mark(v);
}

void finalizeContinuation(ContinuationData* d) { delete d; }

ContinuationData* captureSegment(Fiber& f, size_t from, bool delimited) {
  auto* d = new ContinuationData;
  d->delimited = delimited;
  d->harness = f.harness;
  for (size_t k = from; k < f.frames.size(); ++k)
    if (f.frames[k].kind == FrameKind::Ho) f.frames[k].flags |= kHoCopied;
  d->frames.assign(f.frames.begin() + long(from), f.frames.end());
  // Everything above the frame below the segment (the prompt) belongs to the segment.
  d->valsBase = from > 0 ? f.frames[from - 1].vbase : 0;
  d->vals.assign(f.vals.begin() + d->valsBase, f.vals.end());
  return d;
}

void reinstateSegment(Fiber& f, const ContinuationData& d) {
  int64_t delta = int64_t(f.vals.size()) - int64_t(d.valsBase);
  f.vals.insert(f.vals.end(), d.vals.begin(), d.vals.end());
  for (const Frame& fr : d.frames) {
    f.frames.push_back(fr);
    f.frames.back().vbase = uint32_t(int64_t(fr.vbase) + delta);
  }
}

Value captureToPrompt(Fiber& f) {
  size_t p = f.frames.size();
  while (p > 0 && f.frames[p - 1].kind != FrameKind::Prompt) --p;
  if (p == 0) throw SxError(ErrorCode::Syntax, "shift: no enclosing reset");
  ContinuationData* d = captureSegment(f, p, true);
  f.frames.resize(p);
  f.vals.resize(d->valsBase);
  auto* k = f.iso.heap.make<Continuation>(ObjType::Continuation);
  k->flags = 1;
  k->data = d;
  return Value::object(k);
}

}  // namespace sx
