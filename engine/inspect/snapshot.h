// Fiber snapshots for the inspector: the engine's frames copied into plain structs, and
// the check that the frames below a perform are unchanged when it is resumed.
// Runs on the engine's thread only, while the fiber is not running.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "effects/fiber.h"
#include "inspect/inspector.h"

namespace sx::inspect::detail {

// The printed texts of atoms that never change (strings, closures, names...) by
// address, until the next collection (which may give an address to a new object): a
// recorded stack prints the same handler, callee and op name at every perform.
class PrintMemo {
 public:
  // Appends the readable form of `v` (not a container) to `out`.
  void append(Isolate& iso, Value v, std::string& out);

 private:
  struct Slot {
    Value v;
    uint64_t collections = UINT64_MAX;
    std::string text;
  };
  const Isolate* iso_ = nullptr;  // whose objects the slots name
  std::array<Slot, 64> slots_;
};

// The readable form of `v`, shortened: long containers stop after a few items, deep
// ones at a few levels, and the text at about `maxChars` ("…" marks a cut).
std::string printShort(Isolate& iso, Value v, size_t maxChars = 200, PrintMemo* memo = nullptr);

// The name a source span refers to, with its line and column.
SourcePos sourcePos(Isolate& iso, const Span& sp);

// The engine's own frames and value stack at a perform, kept to compare at the resume.
// Only the bits are compared; nothing in here is dereferenced later. The perform site's
// snapshot rides along, to be shown again at the resume.
struct RawStack {
  std::vector<Frame> frames;
  std::vector<Value> vals;
  FrameRef site;  // the perform site as snapshotted at the perform
};

// A dict a snapshot printed, with its version then (dictVersion).
struct DictSeen {
  const Dict* dict;
  uint32_t version;
};

// The frame snapshots of the last fiber snapshot, by depth, with the bits they were
// printed from. The next snapshot shares a frame's snapshot instead of printing it again
// when the engine frame and everything its printing read are unchanged: the frame and its
// value-stack slice and the environment slots shown as its locals are bit-identical, the
// dicts it printed have the same versions, it printed no other object that can change in
// place (a list, vector, buffer...), and no collection has run since (so an address
// still names the same object). At a recorded perform that is usually every frame below
// the one that performed, and at its resume every frame the resume did not push.
// One cache per recording thread.
class SnapshotCache {
 public:
  struct Entry {
    Frame frame{};
    std::vector<Value> vals;  // the frame's value-stack slice when printed
    std::vector<Value> env;   // the environment's slots, when they were printed as locals
    std::vector<DictSeen> dicts;
    uint64_t collections = 0;
    FrameRef snap;  // null: nothing to share
  };
  void clear() {
    frames.clear();
    site = Entry{};
  }
  // The fiber's frames and values at a perform, copied into the storage of a stack
  // released earlier: a recorded perform then allocates nothing for them.
  RawStack capture(const Fiber& f);
  void release(RawStack&& raw);

  const Isolate* iso = nullptr;
  std::vector<Entry> frames;  // by the frame's depth on the fiber
  Entry site;                 // the perform site
  PrintMemo printed;

 private:
  static constexpr size_t kSpareStacks = 4;  // more are only held at once in nested runs
  static constexpr size_t kMaxSpareFrames = 4096;
  std::vector<RawStack> spare_;
};



// At a perform: the fiber's frames, outermost first, then the perform site (the call that
// is suspended: in the VM frame on top, or f.currentCall in f.env). With a cache, frames
// that have not changed since the cache's last snapshot are shared with it.
FiberSnapshot snapshotFiber(Fiber& f, SnapshotCache* cache = nullptr);
// At its resume: the fiber's frames with the perform's site put back above the frames
// that were below it, under any the resume pushed (a HandlerRun to call an SX handler).
FiberSnapshot snapshotResumed(Fiber& f, const RawStack& atPerform, SnapshotCache* cache = nullptr);

// Compares the frames and values of `before` with the bottom of the fiber's stack now;
// frames the resume pushed on top (a HandlerRun to call an SX handler) are allowed.
StackCheck compareStacks(const RawStack& before, const Fiber& now);

}  // namespace sx::inspect::detail
