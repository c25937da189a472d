// Reader and printer primitives. Text read here has no source file (fileId 0): its
// datums are data, so no spans are recorded for them.
#include "stdlib/prims_reader.h"

#include "reader/printer.h"
#include "reader/reader.h"
#include "stdlib/native.h"

namespace sx {

namespace {

// Reads all of a string argument; a read error raises SxError(Reader) with its position.
ReadResult readArg(Isolate& iso, const char* fn, Args a) {
  std::string_view text = argString(iso, fn, a, 0);
  ReadResult r = readAll(iso, text, 0);
  if (r.error) {
    const ReadError& e = *r.error;
    throw SxError(ErrorCode::Reader, std::string(fn) + ": " + std::to_string(e.span.line) + ":" +
                                         std::to_string(e.span.col) + ": " + e.message);
  }
  return r;
}

Value sxParse(Isolate& iso, Args a) {
  ReadResult r = readArg(iso, "sx-parse", a);
  std::vector<Value> items;
  items.reserve(r.data.size());
  for (const Datum& d : r.data) items.push_back(d.value);
  return iso.listFrom(items.data(), items.size());
}

Value readStringPrim(Isolate& iso, Args a) {
  ReadResult r = readArg(iso, "read-string", a);
  return r.data.empty() ? Value::nil() : r.data.front().value;
}

Value inspect(Isolate& iso, Args a) { return iso.str(printValue(iso, a[0])); }

const NativeDef kReaderNatives[] = {
    {"sx-parse", sxParse, 1, 1, 0, 0, "(sx-parse source) -> list: every datum in the SX source text"},
    {"read-string", readStringPrim, 1, 1, 0, 0, "(read-string source) -> datum: the first datum in source, or nil"},
    {"inspect", inspect, 1, 1, kNativePure, 0, "(inspect v) -> string: v in readable form"},
    {"sx-serialize", inspect, 1, 1, kNativePure, 0, "(sx-serialize v) -> string: v in readable form (as inspect)"},
};

}  // namespace

void registerReaderNatives(Isolate& iso) {
  iso.registerNatives(kReaderNatives, sizeof kReaderNatives / sizeof kReaderNatives[0]);
}

}  // namespace sx
