// Fiber snapshots for the inspector: the engine's frames copied into plain structs, and
// the check that the frames below a perform are unchanged when it is resumed.
// Runs on the engine's thread only, while the fiber is not running.
#pragma once

#include <string>
#include <vector>

#include "effects/fiber.h"
#include "inspect/inspector.h"

namespace sx::inspect::detail {

// The readable form of `v`, shortened: long containers stop after a few items, deep
// ones at a few levels, and the text at about `maxChars` ("…" marks a cut).
std::string printShort(Isolate& iso, Value v, size_t maxChars = 200);

// The name a source span refers to, with its line and column.
SourcePos sourcePos(Isolate& iso, const Span& sp);

// The fiber's frames, outermost first, then the perform site (the call that is
// suspended: f.currentCall in f.env) when `withPerformSite`.
FiberSnapshot snapshotFiber(Fiber& f, bool withPerformSite);

// The engine's own frames and value stack at a perform, kept to compare at the resume.
// Only the bits are compared; nothing in here is dereferenced later.
struct RawStack {
  std::vector<Frame> frames;
  std::vector<Value> vals;
};
RawStack captureRaw(const Fiber& f);
// Compares the frames and values of `before` with the bottom of the fiber's stack now;
// frames the resume pushed on top (a HandlerRun to call an SX handler) are allowed.
StackCheck compareStacks(const RawStack& before, const Fiber& now);

}  // namespace sx::inspect::detail
