// Running fibers: the step loop's entry points and the synchronous helpers built on it.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "effects/fiber.h"

namespace sx {

enum class RunStatus : uint8_t { Done, Suspended, Error };

// Steps the fiber until it finishes, suspends at a perform (unwind mode, or any host op
// in a harness fiber), or ends with an uncaught error (f.error, f.diagnostic).
RunStatus runFiber(Fiber& f);

// Prepares a fiber to evaluate a toplevel proto.
void startToplevel(Fiber& f, Proto* p);
// Prepares a fiber to apply fn to args.
void startCall(Fiber& f, Value fn, const std::vector<Value>& args);
// Delivers the answer to a suspended perform.
void resumeWithValue(Fiber& f, Value v);
// Raises `err` at the suspended perform (an IO op failed).
void resumeWithError(Fiber& f, Value err);
// For a fiber suspended on an SX handler (unwind mode): call the handler, whose result
// answers the perform. With a non-zero answerTag the answer is also passed, when the
// handler returns it, to the runtime's handlerAnswered hook with that tag (the IDE's
// record of what a handler answered).
void resumeWithHandler(Fiber& f, int64_t answerTag = 0);

// Runs the fiber to completion, resolving every suspension with the isolate's host ops
// and SX handlers (the synchronous driver used by the CLI and the test runner).
RunStatus driveToCompletion(Fiber& f);

// Calls fn synchronously on a fresh fiber (macro expansion). Throws SxError when the
// call raises.
Value callSync(Isolate& iso, Value fn, const std::vector<Value>& args);

// ---- host IO ops -------------------------------------------------------------------
using OpFn = std::function<Value(Isolate& iso, Value args)>;  // args: the request's :args list
struct OpTable {
  std::unordered_map<std::string, OpFn> ops;
};
OpTable& opTable(Isolate& iso);
void registerOp(Isolate& iso, const std::string& name, OpFn fn);

// The error value for a C++ SxError raised while the fiber ran: an ErrorObj with the
// message and the SX stack at that point.
Value errorFromException(Fiber& f, const SxError& e);
// Builds the host-facing diagnostic for an uncaught raised value.
Diagnostic diagnosticFor(Isolate& iso, Value raised);
// The message string of a raised value (the message of an error, else its display form).
std::string raisedMessage(Isolate& iso, Value raised);

}  // namespace sx
