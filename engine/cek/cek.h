// The CEK machine's helpers shared with the effects layer (the step loop itself is
// internal to cek.cpp and entered through runFiber, effects/run.h).
#pragma once

#include <string>

#include "effects/fiber.h"

namespace sx {

Value makeClosureValue(Isolate& iso, Proto* p, Env* env);
Env* makeEnv(Isolate& iso, uint32_t slots, Env* parent);
std::string calleeName(Value fn);  // "f", "<lambda>", a native's name
// A safepoint: collects when the heap asks for it and honours an interrupt (throws
// SxError(Interrupted)). The fiber's registers must be committed.
void safepoint(Fiber& f);
// Unwinds the fiber to the nearest handler of a raised value (see cek.cpp).
bool raiseInFiber(Fiber& f, Value cond);

}  // namespace sx
