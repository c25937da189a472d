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
    // The class's free list is empty: thread a new chunk's slots onto it (last slot
    // first, so allocation is ascending).
    unsigned cls = unsigned(bytes / kGranule);
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
  return initObject(o, type, 0xFF, bytes);
}

void Heap::collect() {
  if (tracer_) tracer_(*this);
  while (!grey_.empty()) {
    Obj* o = grey_.back();
    grey_.pop_back();
    traceChildren(o);
  }
  sweep();
  ++stats_.collections;
  stats_.liveBytesAfterLastGc = live_;
  sinceGc_ = 0;
  threshold_ = std::max<size_t>(8u << 20, live_);
}

void Heap::traceChildren(Obj* o) { traceObject(*this, o); }

void Heap::finalize(Obj* o) { finalizeObject(o); }

void Heap::sweep() {
  live_ = 0;
  for (unsigned c = 0; c < kClasses; ++c) {
    Obj* head = nullptr;
    for (Chunk* ch : chunks_[c]) {
      for (size_t i = ch->count; i-- > 0;) {
        auto* o = reinterpret_cast<Obj*>(ch->data + i * ch->objSize);
        if (o->type != ObjType::Free) {
          if (o->marked) {
            o->marked = 0;
            live_ += ch->objSize;
            continue;
          }
          if ((o->flags & kFlagHasSpan) && sweepHook_) sweepHook_(o);
          if (needsFinalize(o->type)) finalize(o);
          o->type = ObjType::Free;
          ++stats_.objectsFreedTotal;
        }
        freeLink(o) = head;
        head = o;
      }
    }
    freeList_[c] = head;
  }
  size_t keep = 0;
  for (Obj* o : large_) {
    if (o->marked) {
      o->marked = 0;
      live_ += 1024;  // large objects are rare; an estimate is enough for pacing
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
