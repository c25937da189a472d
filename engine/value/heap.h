// The isolate's heap: size-class chunks for small objects, individual blocks for
// large ones, and a precise, non-moving mark-and-sweep collector.
//
// The collector runs only when the isolate reaches a safepoint and calls
// Heap::collect() (CEK step boundaries, VM calls and back-edges). Allocation itself
// never collects, so C++ code between safepoints needs no root handles.
//
// Small objects are swept lazily: a collection marks, frees the dead large objects and
// leaves each size class's chunks unswept; allocation sweeps a class's next chunk when
// its free list runs out and allocates from it while it is in the cache. The next
// collection first sweeps what allocation did not reach (the marks must be clear).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include "value/objects.h"

namespace sx {

struct HeapStats {
  uint64_t collections = 0;
  uint64_t bytesAllocatedTotal = 0;
  uint64_t liveBytesAfterLastGc = 0;
  uint64_t objectsFreedTotal = 0;
};

class Heap {
 public:
  Heap();
  ~Heap();
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  // Allocates `bytes` (>= sizeof(Obj)) zeroed bytes with the header initialised.
  // Inline for the common case, a small object from its class's free list: most
  // allocations are pairs and closures whose size is a constant here, so the zeroing
  // becomes a few stores instead of a call to memset.
  Obj* allocate(ObjType type, size_t bytes) {
    bytes = (bytes + kGranule - 1) & ~(kGranule - 1);
    if (bytes < 16) bytes = 16;  // room for the header and a free-list link
    if (bytes <= kMaxSmall) {
      unsigned cls = unsigned(bytes / kGranule);
      if (Obj* o = freeList_[cls]) [[likely]] {
        freeList_[cls] = freeLink(o);
        return initObject(o, type, uint8_t(cls), bytes);
      }
    }
    return allocateSlow(type, bytes);
  }
  template <class T>
  T* make(ObjType type, size_t extra = 0) {
    return static_cast<T*>(allocate(type, sizeof(T) + extra));
  }

  // True when enough has been allocated since the last collection (or stress mode).
  bool wantsCollect() const { return stress_ || sinceGc_ >= threshold_; }
  void setStress(bool on) { stress_ = on; }
  bool stress() const { return stress_; }

  // Roots are reported by the callback; it calls mark() for each root value.
  using RootTracer = std::function<void(Heap&)>;
  void setRootTracer(RootTracer t) { tracer_ = std::move(t); }
  // Called for every object about to be freed that carries kFlagHasSpan (to drop its
  // side-table entries).
  using SweepHook = std::function<void(Obj*)>;
  void setSweepHook(SweepHook h) { sweepHook_ = std::move(h); }

  void collect();
  void mark(Value v) {
    if (v.isObj()) markObj(v.asObj());
  }
  void markObj(Obj* o) {
    if (o && !o->marked) {
      markVisited(o);
      grey_.push_back(o);
    }
  }
  // Marks o without queueing it, for a tracer that visits o's children itself (a
  // list's spine); counts its bytes as live.
  void markVisited(Obj* o) {
    o->marked = 1;
    live_ += o->sizeClass == kLargeClass ? kLargeLiveEstimate : o->sizeClass * kGranule;
  }

  const HeapStats& stats() const { return stats_; }
  size_t liveBytesEstimate() const { return live_ + sinceGc_; }

 private:
  struct Chunk;
  void traceChildren(Obj* o);
  void finalize(Obj* o);
  void sweepLarge();
  void finishSweep();
  Obj* sweepChunk(Chunk* ch);  // frees its dead objects, clears marks; its free slots as a list
  Obj* allocateSlow(ObjType type, size_t bytes);  // bytes rounded; a chunk swept or new, or a large object
  // A free slot's link to the next one, just past its header.
  static Obj*& freeLink(Obj* o) { return *reinterpret_cast<Obj**>(reinterpret_cast<char*>(o) + sizeof(Obj)); }
  Obj* initObject(Obj* o, ObjType type, uint8_t cls, size_t bytes) {
    std::memset(static_cast<void*>(o), 0, bytes);
    o->type = type;
    o->sizeClass = cls;
    sinceGc_ += bytes;
    stats_.bytesAllocatedTotal += bytes;
    return o;
  }

  static constexpr size_t kGranule = 8;
  static constexpr size_t kMaxSmall = 512;
  static constexpr unsigned kClasses = kMaxSmall / kGranule + 1;
  static constexpr uint8_t kLargeClass = 0xFF;
  // Large objects are rare; an estimate of their size is enough for pacing.
  static constexpr size_t kLargeLiveEstimate = 1024;

  std::vector<Chunk*> chunks_[kClasses];
  Obj* freeList_[kClasses] = {};
  // chunks_[c][sweepNext_[c], sweepEnd_[c]) are not swept since the last collection.
  size_t sweepNext_[kClasses] = {};
  size_t sweepEnd_[kClasses] = {};
  std::vector<Obj*> large_;
  std::vector<Obj*> grey_;
  size_t sinceGc_ = 0;
  size_t live_ = 0;  // bytes marked by the last collection
  size_t threshold_ = 8u << 20;
  bool stress_ = false;
  RootTracer tracer_;
  SweepHook sweepHook_;
  HeapStats stats_;
};

}  // namespace sx
