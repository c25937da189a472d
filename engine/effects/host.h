// Host natives: primitives that act on the running fiber (control flow, effects,
// continuations, the perform harness). The step loop dispatches them by HostKind and
// carries out the StepAction they return.
#pragma once

#include "effects/fiber.h"
#include "stdlib/native.h"

namespace sx {

// X(Enum, "name", minArgs, maxArgs, "doc")
#define SX_HOST_KINDS(X)                                                                        \
  X(Apply, "apply", 1, -1, "(apply f args) or (apply f a b args) -> (f a b args...)")           \
  X(CallCC, "call/cc", 1, 1, "(call/cc f) -> calls f with the current continuation")            \
  X(CallCCLong, "call-with-current-continuation", 1, 1, "alias of call/cc")                     \
  X(DynamicWind, "dynamic-wind", 3, 3, "(dynamic-wind before thunk after) -> (thunk)")          \
  X(TryCall, "try-call", 1, 1, "(try-call thunk) -> {:ok true :value v} or {:ok false :error m}") \
  X(TryCallFull, "%try-call*", 1, 1, "like try-call, adding :error-object on failure")         \
  X(AssertError, "assert-error", 1, 2, "(assert-error thunk [msg]) -> true when thunk raises")  \
  X(WithIoHandlers, "with-io-handlers", 2, 2, "(with-io-handlers {:op f} thunk) -> (thunk)")    \
  X(Perform, "perform", 1, 1, "(perform {:op name :args (...)}) -> the resolver's answer")      \
  X(Context, "context", 1, 2, "(context name [default]) -> the nearest provided value")         \
  X(Emit, "emit!", 2, 2, "(emit! name v) -> v, added to the nearest scope named name")          \
  X(Emitted, "emitted", 1, 1, "(emitted name) -> the values emitted in that scope so far")      \
  X(Error, "error", 1, -1, "(error msg irritant...) raises an error value")                     \
  X(Raise, "raise", 1, 1, "(raise v) raises v")                                                 \
  X(RaiseContinuable, "raise-continuable", 1, 1, "(raise-continuable v) raises v")              \
  X(EvalIn, "%eval-in", 2, 2, "(%eval-in expr bindings) evaluates expr with a dict of locals")  \
  X(Eval, "eval", 1, 1, "(eval datum) evaluates a datum in the global environment")             \
  X(MakeCekState, "make-cek-state", 1, 3, "(make-cek-state expr [env] [kont]) -> a state")      \
  X(CekStepLoop, "cek-step-loop", 1, 1, "(cek-step-loop s) runs s until done or suspended")      \
  X(CekResume, "cek-resume", 2, 2, "(cek-resume s v) answers s's perform with v and runs it")

enum class HostKind : uint16_t {
#define X(e, n, mn, mx, d) e,
  SX_HOST_KINDS(X)
#undef X
};

struct StepAction {
  enum Kind : uint8_t { Return, Apply, Eval, Suspend, Raise } kind;
  Value value;            // Return: the value; Raise: the raised value
  uint32_t argc = 0;      // Apply: callee and args are the top argc+1 values of f.vals
  const Node* node = nullptr;  // Eval
  Env* env = nullptr;          // Eval
  static StepAction ret(Value v) { return {Return, v}; }
  static StepAction apply(uint32_t argc) { return {Apply, Value::nil(), argc}; }
  static StepAction raise(Value v) { return {Raise, v}; }
  static StepAction suspend() { return {Suspend, Value::nil()}; }
  static StepAction eval(const Node* n, Env* e) { return {Eval, Value::nil(), 0, n, e}; }
};

// Runs a host native. `args` point into f.vals (still in place; the callee sits just
// below them); the host native pops what it consumes via f.vals.resize(base).
StepAction runHostNative(Fiber& f, HostKind kind, size_t base, Args args);
// Delivers `v` to a frame of one of the host-owned kinds (Wind*, Handlers, HandlerRun,
// TryCall, Rewind, RaiseAfter). The frame is on top of f.frames.
StepAction returnToHostFrame(Fiber& f, Value v);
// The value try-call (flavour 0), %try-call* (1) or assert-error (2) returns when its
// thunk raised `cond`.
Value tryCallFailure(Fiber& f, uint8_t flavour, Value cond);
// Invokes a continuation object with one value.
StepAction invokeContinuation(Fiber& f, Value k, Value v);

void registerHostNatives(Isolate& iso);

}  // namespace sx
