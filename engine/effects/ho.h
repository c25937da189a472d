// Higher-order primitives as resumable state machines (DESIGN §1). A primitive that
// calls SX functions never loops in C++: it keeps its state in an Ho frame on the
// fiber and, one step at a time, asks the driver to call a function and hand it the
// result. Both the CEK and the VM drive these frames, so a callback that suspends on
// `perform` leaves the loop state intact in the fiber.
#pragma once

#include "effects/fiber.h"
#include "stdlib/native.h"

namespace sx {

// X(Enum, "name", minArgs, maxArgs, "doc")
#define SX_HO_KINDS(X)                                                                    \
  X(Map, "map", 2, -1, "(map f xs ...) -> list of (f x ...), zipping several lists")      \
  X(MapIndexed, "map-indexed", 2, 2, "(map-indexed f xs) -> list of (f index x)")         \
  X(Filter, "filter", 2, 2, "(filter pred xs) -> the items for which pred is truthy")     \
  X(Remove, "remove", 2, 2, "(remove pred xs) -> the items for which pred is falsy")      \
  X(Reduce, "reduce", 2, 3, "(reduce f init xs) -> (f (f init x0) x1) ...")               \
  X(Some, "some", 2, 2, "(some pred xs) -> the first truthy (pred x), else false")        \
  X(Every, "every?", 2, 2, "(every? pred xs) -> true when (pred x) is truthy for all")    \
  X(ForEach, "for-each", 2, -1, "(for-each f xs ...) -> nil, calling f on each item")     \
  X(Find, "find", 2, 2, "(find pred xs) -> the first x with (pred x) truthy, else nil")   \
  X(FindIndex, "find-index", 2, 2, "(find-index pred xs) -> its index, else -1")          \
  X(TakeWhile, "take-while", 2, 2, "(take-while pred xs) -> the leading items passing")   \
  X(DropWhile, "drop-while", 2, 2, "(drop-while pred xs) -> xs after the leading passing") \
  X(Mapcat, "mapcat", 2, 2, "(mapcat f xs) -> (f x) lists appended")                      \
  X(GroupBy, "group-by", 2, 2, "(group-by f xs) -> dict from (str (f x)) to items")       \
  X(Sort, "sort", 1, 2, "(sort xs), (sort less? xs) -> a stably sorted list")             \
  X(SortBy, "sort-by", 2, 2, "(sort-by key xs) -> sorted by (key x), stable")             \
  X(Update, "update", 3, -1, "(update d k f args...) -> new dict with k set to (f v args...)") \
  X(CountIf, "count-if", 2, 2, "(count-if pred xs) -> how many items pass")

enum class HoKind : uint16_t {
#define X(e, n, mn, mx, d) e,
  SX_HO_KINDS(X)
#undef X
};

// What an HO step asks of the driver. A call is placed at the Ho frame's vbase: the
// callee in f.vals[vbase], its args above it. f.vals may extend past them (the slots a
// callback's frame used, kept so the next callback's frame needs no growing); a driver
// that wants the call on top of f.vals shrinks it to vbase + argc + 1.
struct HoAction {
  bool call;       // true: call f.vals[vbase] with the `argc` arguments above it
  uint32_t argc;   // for call
  Value value;     // for !call: the primitive's result
};

// Starts the primitive: `args` are its arguments (copied before the call pops them). The
// caller has pushed an Ho frame (top of f.frames) for it.
HoAction hoStart(Fiber& f, HoKind kind, Args args);
// Continues with the result of the last requested call.
HoAction hoStep(Fiber& f, Value result);

void registerHoNatives(Isolate& iso);

}  // namespace sx
