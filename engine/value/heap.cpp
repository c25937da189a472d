#include "value/heap.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "value/trace.h"

namespace sx {

namespace {

// Only these kinds own memory outside the heap.
inline bool needsFinalize(ObjType t) {
  switch (t) {
    case ObjType::Dict:
    case ObjType::Vector:
    case ObjType::StringBuffer:
    case ObjType::Proto:
    case ObjType::Continuation:
    case ObjType::FiberRef: return true;
    default: return false;
  }
}

}  // namespace

struct Heap::Chunk {
  static constexpr size_t kBytes = 64 * 1024;
  size_t objSize;
  size_t count;
  alignas(16) unsigned char data[kBytes];
};

Heap::Heap() = default;

Heap::~Heap() {
  for (unsigned c = 0; c < kClasses; ++c) {
    for (Chunk* ch : chunks_[c]) {
      for (size_t i = 0; i < ch->count; ++i) {
        auto* o = reinterpret_cast<Obj*>(ch->data + i * ch->objSize);
        if (o->type != ObjType::Free) finalize(o);
      }
      std::free(ch);
    }
  }
  for (Obj* o : large_) {
    finalize(o);
    std::free(o);
  }
}

Obj* Heap::allocateSlow(ObjType type, size_t bytes) {
  if (bytes <= kMaxSmall) {
    unsigned cls = unsigned(bytes / kGranule);
    // The class's free list is empty: sweep its next unswept chunk, else thread a new
    // chunk's slots onto it (last slot first, so allocation is ascending).
    while (sweepNext_[cls] < sweepEnd_[cls]) {
      if (Obj* head = sweepChunk(chunks_[cls][sweepNext_[cls]++])) {
        freeList_[cls] = freeLink(head);
        return initObject(head, type, uint8_t(cls), bytes);
      }
    }
    auto* ch = static_cast<Chunk*>(std::malloc(sizeof(Chunk)));
    if (!ch) throw std::bad_alloc();
    ch->objSize = bytes;
    ch->count = Chunk::kBytes / bytes;
    Obj* head = nullptr;
    for (size_t i = ch->count; i-- > 0;) {
      auto* slot = reinterpret_cast<Obj*>(ch->data + i * bytes);
      slot->type = ObjType::Free;
      freeLink(slot) = head;
      head = slot;
    }
    chunks_[cls].push_back(ch);
    freeList_[cls] = freeLink(head);
    return initObject(head, type, uint8_t(cls), bytes);
  }
  auto* o = static_cast<Obj*>(std::malloc(bytes));
  if (!o) throw std::bad_alloc();
  large_.push_back(o);
  return initObject(o, type, kLargeClass, bytes);
}

void Heap::collect() {
  finishSweep();
  live_ = 0;
  if (tracer_) tracer_(*this);
  while (!grey_.empty()) {
    Obj* o = grey_.back();
    grey_.pop_back();
    traceChildren(o);
  }
  sweepLarge();
  for (unsigned c = 0; c < kClasses; ++c) {
    freeList_[c] = nullptr;
    sweepNext_[c] = 0;
    sweepEnd_[c] = chunks_[c].size();
  }
  ++stats_.collections;
  stats_.liveBytesAfterLastGc = live_;
  sinceGc_ = 0;
  threshold_ = std::max<size_t>(8u << 20, live_);
}

void Heap::traceChildren(Obj* o) { traceObject(*this, o); }

void Heap::finalize(Obj* o) { finalizeObject(o); }

Obj* Heap::sweepChunk(Chunk* ch) {
  // The loop's state in locals: the calls it makes (the hook, finalizers) would otherwise
  // make it reload the chunk's fields and the counters from memory every slot.
  unsigned char* const data = ch->data;
  const size_t objSize = ch->objSize;
  const bool hook = bool(sweepHook_);
  uint64_t freed = 0;
  Obj* head = nullptr;
  for (size_t i = ch->count; i-- > 0;) {  // count is read once
    auto* o = reinterpret_cast<Obj*>(data + i * objSize);
    if (o->type != ObjType::Free) {
      if (o->marked) {
        o->marked = 0;
        continue;
      }
      if ((o->flags & kFlagHasSpan) && hook) sweepHook_(o);
      if (needsFinalize(o->type)) finalize(o);
      o->type = ObjType::Free;
      ++freed;
    }
    freeLink(o) = head;
    head = o;
  }
  stats_.objectsFreedTotal += freed;
  return head;
}

// The chunks allocation did not reach since the last collection: their free slots
// are threaded again after this collection's marking.
void Heap::finishSweep() {
  for (unsigned c = 0; c < kClasses; ++c)
    while (sweepNext_[c] < sweepEnd_[c]) sweepChunk(chunks_[c][sweepNext_[c]++]);
}

void Heap::sweepLarge() {
  size_t keep = 0;
  for (Obj* o : large_) {
    if (o->marked) {
      o->marked = 0;
      large_[keep++] = o;
    } else {
      if (sweepHook_) sweepHook_(o);
      finalize(o);
      std::free(o);
      ++stats_.objectsFreedTotal;
    }
  }
  large_.resize(keep);
}

}  // namespace sx
