// Fibers: every frame that can be live at a suspension is plain heap data here
// (DESIGN §1). A fiber is a stack of fixed-size frames plus a value stack. The CEK's
// continuation frames, higher-order primitive loops (HO frames), handler frames
// (guard, try-call, dynamic-wind, provide, scope, with-io-handlers) and prompts all
// live in `frames`; operands being collected for a call live in `vals`.
//
// Suspending is "stop stepping and hand the fiber to the driver"; resuming is "deliver
// the value to the top frame and keep stepping". Continuations copy a segment of
// frames and values; invoking one copies it back (multi-shot).
#pragma once

#include <cstdint>
#include <vector>

#include "cek/node.h"
#include "value/isolate.h"

namespace sx {

// X(Name, "what the frame waits for")
#define SX_FRAME_KINDS(X)                                                        \
  X(If, "the test of an If node")                                                \
  X(Seq, "kid i of a Seq node")                                                  \
  X(Args, "operand i of a Call node; operands so far on vals from vbase")        \
  X(SetLocal, "the value for a SetLocal node")                                   \
  X(SetGlobal, "the value for a SetGlobal node")                                 \
  X(DefineGlobal, "the value for a DefineGlobal node")                           \
  X(And, "kid i of an And node")                                                 \
  X(Or, "kid i of an Or node")                                                   \
  X(CondArrow, "the test of a CondArrow node")                                   \
  X(Guard, "the body of a guard; catches raises")                                \
  X(TryCall, "the thunk of try-call; catches raises")                            \
  X(Prompt, "the body of a reset")                                               \
  X(Provide, "the body under (provide a b)")                                     \
  X(Scope, "the body under (scope a); c holds emitted values, newest first")     \
  X(Wind, "the thunk of dynamic-wind; a = before, b = after, i = wind id")       \
  X(WindBefore, "the before thunk; then push the Wind frame and call the thunk") \
  X(WindAfter, "the after thunk on normal exit; then return b")                  \
  X(RaiseAfter, "an after thunk run while unwinding; then re-raise a")          \
  X(Rewind, "a continuation being installed; runs wind thunks one by one")       \
  X(Handlers, "with-io-handlers: a = table; its thunk runs above")               \
  X(HandlerRun, "an SX IO handler for a perform; i = its Handlers; a = answer tag") \
  X(Ho, "a higher-order primitive's loop state (effects/ho.h)")                  \
  X(Discard, "drop the returned value and return a instead")                     \
  X(VM, "a bytecode function: a = closure, i = ip, vbase = base, j = stack height")

enum class FrameKind : uint8_t {
#define X(n, d) n,
  SX_FRAME_KINDS(X)
#undef X
};
const char* frameKindName(FrameKind k);

struct Frame {
  FrameKind kind;
  uint8_t flags;
  uint16_t sub;       // Ho: the HoKind
  uint32_t i;         // operand index / loop index / wind id / handlers index
  const Node* node;   // the node being evaluated (spans, stack traces)
  Env* env;
  Value a, b, c;
  uint32_t vbase;     // vals size when the frame was pushed
  uint32_t j;         // extra small state
  const Code* code;   // VM: the frame's bytecode (cached from a's proto); 64-byte frames
};
static_assert(sizeof(Frame) == 64);

// HandlerRun flags: the handler's answer goes to the runtime's handlerAnswered hook with
// the tag in `a` (effects/run.h resumeWithHandler).
constexpr uint8_t kHandlerRunReports = 1;
// Ho flags (besides 1, several lists, effects/ho.cpp): the frame has been copied into a
// continuation, so its accumulated result list may be shared with the copies and is
// reversed into a new list at the end rather than in place.
constexpr uint8_t kHoCopied = 2;

enum class FiberState : uint8_t { Ready, Running, Suspended, Done, Error };

// How a fiber continues when it is run next: evaluate `node` in `env`, deliver `value`
// to the top frame, or apply the callee sitting `applyArgc + 1` values below the top of
// `vals`.
enum class Entry : uint8_t { Eval, Return, Apply };

// Why a fiber suspended: what the driver must do before resuming it.
struct PendingPerform {
  Value request;        // the request dict
  Value handler;        // an SX handler to call (unwind mode), or nil for a host op
  uint32_t handlersIndex = 0;  // frame index of the Handlers frame owning `handler`
  Value args;           // the request's :args list
  Value opName;         // string
};

struct Fiber {
  explicit Fiber(Isolate& iso);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  Isolate& iso;
  std::vector<Frame> frames;
  std::vector<Value> vals;
  FiberState state = FiberState::Ready;
  bool harness = false;  // a perform-harness state: every host op suspends it

  // Registers while not running (the CEK commits them before safepoints).
  const Node* node = nullptr;  // control (when entering in eval mode)
  Env* env = nullptr;
  Value value;                 // the value being returned (Entry::Return)
  Entry entry = Entry::Eval;
  uint32_t applyArgc = 0;      // Entry::Apply
  Value result;                // final value when Done
  Value error;                 // the raised value when Error
  Diagnostic diagnostic;       // filled for an uncaught error
  PendingPerform pending;      // when Suspended
  const Node* currentCall = nullptr;  // the call being applied (for error spans)
  // A VM tail call that left the VM: where it was (its frame is gone), for error spans.
  const struct Code* vmCallCode = nullptr;
  uint32_t vmCallPc = 0;
  const ProtoInfo* vmCallFn = nullptr;
  uint32_t nativeDepth = 0;    // nested runs through this fiber (harness, macro expansion)

  Frame& push(FrameKind k) {
    // Built in place: push_back(Frame{}) made a temporary that GCC copied in pieces of
    // different widths, and the copy's loads stalled on the temporary's stores (store
    // forwarding) on every call the VM makes.
    Frame& f = frames.emplace_back();
    f.kind = k;
    f.vbase = uint32_t(vals.size());
    return f;
  }
  void trace(Heap& h) const;
};

// The VM and native code only grow f.vals while they run: slots above a frame's stack
// top hold values that were live when written and have been traced by every collection
// since (a shrink happens only when control leaves them, or between an Ho frame's
// callbacks, and growth fills with nil). Grows vals to `need` slots: the check inline
// (every call and return makes it), the growth out of line one push at a time (it is a
// few slots at a call or a callback, for which resize's _M_default_append cost more).
// Always inlined: GCC does not inline it into the VM's loop unasked.
void growValsSlow(std::vector<Value>& vals, size_t need);
[[gnu::always_inline]] inline void growVals(std::vector<Value>& vals, size_t need) {
  if (vals.size() < need) [[unlikely]] growValsSlow(vals, need);
}

// A captured stack segment: frames [from, top) and the values they own.
struct ContinuationData {
  std::vector<Frame> frames;
  std::vector<Value> vals;
  uint32_t valsBase = 0;  // vals index the captured values started at
  bool delimited = false;
  bool harness = false;
};

// Copy frames [from, frames.size()) and their values out of a fiber.
ContinuationData* captureSegment(Fiber& f, size_t from, bool delimited);
// Push a copy of the segment onto the fiber, relocating value-stack bases.
void reinstateSegment(Fiber& f, const ContinuationData& d);
// shift: captures the frames and values above the nearest prompt as a delimited
// continuation, removes them from the fiber (the prompt stays) and returns the
// continuation. Throws when there is no enclosing reset.
Value captureToPrompt(Fiber& f);

}  // namespace sx
