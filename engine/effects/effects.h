// perform: finding the resolver for a request (SX handlers installed by
// with-io-handlers, then the host's op table) and resolving it in place (inline mode)
// or suspending the fiber (unwind and step modes).
#pragma once

#include <string>

#include "effects/host.h"

namespace sx {

StepAction performRequest(Fiber& f, Value request);

// A fresh id for a dynamic-wind frame (continuations compare winds by id).
uint32_t& windCounter(Isolate& iso);

// A new error value with the message and the SX stack of the fiber at this point.
Value newErrorValue(Fiber& f, ErrorCode code, const std::string& message);

}  // namespace sx
