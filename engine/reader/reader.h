// The SX reader: source text to datums, with a span on every datum.
//
// Spans: the span of a top-level datum is returned in Datum::span; the span of every
// datum inside a list is recorded on the pair whose car it is (Isolate::setPairSpans,
// field `car`), and the span of each list on its first pair (field `list`).
// The reader is iterative (an explicit stack), so nesting depth cannot overflow the
// C++ stack; it allocates but never reaches a safepoint.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "value/isolate.h"

namespace sx {

struct Datum {
  Value value;
  Span span;
};

struct ReadError {
  std::string message;  // e.g. "unbalanced parenthesis: ( opened here is never closed"
  Span span;            // where the problem is (file, line, column)
  bool incomplete = false;  // input ended inside a datum (a REPL reads another line)
};

struct ReadResult {
  std::vector<Datum> data;          // every datum read before any error
  std::optional<ReadError> error;   // the first error, if any
};

// Reads every datum in `text`. `fileId` comes from Isolate::addSource (0 = no file).
// The returned values are not rooted: root them (RootedValues) before the next safepoint.
ReadResult readAll(Isolate& iso, std::string_view text, uint32_t fileId);

// Convenience for tests and sx-parse: registers the text as a source named `name`.
ReadResult readString(Isolate& iso, std::string_view text, std::string name = "<string>");

}  // namespace sx
