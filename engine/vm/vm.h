// The bytecode VM: a computed-goto dispatch loop over VM frames that live in the fiber
// like every other frame. Calls between compiled functions and of plain natives stay in
// the loop; anything else (an interpreted lambda, a higher-order or host native, a
// continuation, a raise) leaves the loop with a VmExit and is carried out by the shared
// step loop (cek.cpp), which comes back here when a value returns to a VM frame.
#pragma once

#include "effects/fiber.h"

namespace sx {

struct VmExit {
  // Suspend: a perform the VM made suspended the fiber (f.pending is set); resuming
  // delivers the answer to the VM frame on top.
  enum Kind : uint8_t { Apply, Return, Raise, Suspend } kind;
  uint32_t argc = 0;  // Apply: the callee and args are the top argc+1 values of f.vals
  Value value;        // Return: the value; Raise: the raised value
};

// Runs the VM frame on top of f.frames until control must leave the VM.
VmExit vmRun(Fiber& f);

// If fn runs in the VM under the tier policy (compiling it on its first call), pushes its
// frame with the args at f.vals[cb+1 ..] and returns true.
bool vmEnter(Fiber& f, Value fn, size_t cb, uint32_t argc);

// Delivers a value to the VM frame on top (the result of the call it is waiting on).
void vmDeliver(Fiber& f, Value v);

// The source span and function name of a VM frame (for stack traces and snapshots).
Span vmFrameSpan(const Frame& fr);

// Per-instruction tracing for vm-trace: when set, the VM calls it before every
// instruction with the frame, the instruction offset, and the operand stack.
using VmTraceFn = void (*)(void* ctx, Fiber& f, const Frame& fr, uint32_t pc, const Value* stackBase, const Value* sp);
struct VmTracer {
  VmTraceFn fn = nullptr;
  void* ctx = nullptr;
};
extern thread_local VmTracer vmTracer;

}  // namespace sx
