// Error kinds, declared once, and the diagnostic record hosts receive.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace sx {

// X(Enum, "stable-code", "what it means")
#define SX_ERROR_CODES(X)                                                   \
  X(User, "user", "raised by (error msg) or (raise v)")                     \
  X(Reader, "reader", "malformed source text")                              \
  X(Syntax, "syntax", "a special form used with the wrong shape")           \
  X(Undefined, "undefined", "a symbol with no binding")                     \
  X(Type, "type", "an argument of the wrong type")                          \
  X(Arity, "arity", "a call with the wrong number of arguments")            \
  X(NotCallable, "not-callable", "calling a value that is not a function")  \
  X(Range, "range", "an index or size out of range")                        \
  X(Depth, "depth", "stack depth exceeded")                                 \
  X(UnknownOp, "unknown-op", "perform of an op no resolver knows")          \
  X(Interrupted, "interrupted", "the run was stopped from outside")         \
  X(Io, "io", "an IO operation failed")                                     \
  X(Match, "match", "no match clause matched")                              \
  X(Internal, "internal", "an engine invariant failed")

enum class ErrorCode : uint8_t {
#define X(e, c, d) e,
  SX_ERROR_CODES(X)
#undef X
};

const char* errorCodeName(ErrorCode c);

struct Span {
  uint32_t file = 0;  // index into the isolate's source table; 0 = no source
  uint32_t line = 0;  // 1-based
  uint32_t col = 0;   // 1-based, in code points
  uint32_t len = 0;   // in bytes
  bool valid() const { return file != 0; }
};

struct StackFrameInfo {
  std::string function;  // "" for top level
  std::string file;
  uint32_t line = 0, col = 0;
  std::string tier;      // "cek", "vm", ...
};

// A diagnostic as data: what the engine hands to hosts instead of printing.
struct Diagnostic {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  std::string file;
  uint32_t line = 0, col = 0;
  std::vector<StackFrameInfo> stack;
  std::string sourceLine;  // the text of the offending line, when known
};

// Thrown by primitives and engine internals; the driver turns it into an SX error
// raised on the current fiber (so guard/try-call catch it). It never crosses a
// suspension point: it is caught within the step that threw it.
struct SxError : std::runtime_error {
  ErrorCode code;
  Span span;
  SxError(ErrorCode c, const std::string& msg, Span s = {}) : std::runtime_error(msg), code(c), span(s) {}
};

[[noreturn]] void throwError(ErrorCode c, const std::string& msg);

}  // namespace sx
