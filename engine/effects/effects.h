// perform: finding the resolver for a request (SX handlers installed by
// with-io-handlers, then the host's op table) and resolving it in place (inline mode)
// or suspending the fiber (unwind and step modes).
#pragma once

#include <string>

#include "effects/host.h"

namespace sx {

StepAction performRequest(Fiber& f, Value request);

// A perform that performRequest would answer by calling an SX handler at once (inline
// mode, or a harness): the handler, the index of its Handlers frame and its arguments.
// handler is unbound for any other perform (a malformed request, a host op, a
// suspension), which is performRequest's to make. Changes nothing: native code uses it
// to call the handler itself, pushing the HandlerRun frame as performRequest does.
struct PerformCall {
  Value handler = Value::unbound();
  uint32_t handlersIndex = 0;
  Value args;
  uint32_t argc = 0;
};
PerformCall performHandlerCall(const Fiber& f, Value request);

// A fresh id for a dynamic-wind frame (continuations compare winds by id).
uint32_t& windCounter(Isolate& iso);

// A new error value with the message and the SX stack of the fiber at this point.
Value newErrorValue(Fiber& f, ErrorCode code, const std::string& message);

}  // namespace sx
