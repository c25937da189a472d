// String and string-buffer primitives. Strings are immutable UTF-8; every length and
// index counts code points. Where a function takes a piece of text to look for or insert
// (a separator, a search string, a pad), a character is accepted as well as a string.
#include <algorithm>
#include <charconv>
#include <iterator>

#include "reader/printer.h"
#include "stdlib/equality.h"
#include "stdlib/prims_core.h"
#include "stdlib/prims_data.h"
#include "stdlib/utf8.h"

namespace sx {

namespace data {

Value charString(Isolate& iso, uint32_t cp) { return iso.str(utf8::encode(cp)); }

}  // namespace data

namespace {

using namespace data;

// A string argument, or a character as its one-character string.
std::string argText(Isolate& iso, const char* fn, Args a, uint32_t i) {
  if (a[i].isChar()) return utf8::encode(a[i].asChar());
  return std::string(argString(iso, fn, a, i));
}

const String* argStr(Isolate& iso, const char* fn, Args a, uint32_t i) {
  argString(iso, fn, a, i);
  return as<String>(a[i]);
}

Value codePointIndex(std::string_view s, size_t bytePos) {
  if (bytePos == std::string_view::npos) return Value::fixnum(-1);
  return Value::fixnum(int64_t(utf8::countBefore(s, bytePos)));
}

// ---- building and measuring ----------------------------------------------------------

Value str(Isolate& iso, Args a) {
  if (a.n == 1 && a[0].isFixnum()) {  // (str i), the common case: the digits directly
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, a[0].asFixnum());
    return iso.asciiStr(std::string_view(buf, size_t(r.ptr - buf)));
  }
  std::string out;
  for (uint32_t i = 0; i < a.n; ++i) printTo(iso, a[i], out, false);
  return iso.str(out);
}

// (string part ...): characters and strings concatenated.
Value string(Isolate& iso, Args a) {
  std::string out;
  for (uint32_t i = 0; i < a.n; ++i) {
    if (!a[i].isChar() && !isString(a[i])) argTypeError(iso, "string", i, "char or string", a[i]);
    out += argText(iso, "string", a, i);
  }
  return iso.str(out);
}

Value stringLength(Isolate& iso, Args a) { return Value::fixnum(argStr(iso, "string-length", a, 0)->charLen); }

template <uint32_t (*Map)(uint32_t)>
Value mapCase(Isolate& iso, const char* fn, Args a) {
  std::string_view s = argString(iso, fn, a, 0);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) utf8::append(out, Map(utf8::decode(s, i)));
  return iso.str(out);
}
Value upper(Isolate& iso, Args a) { return mapCase<charUpcase>(iso, "upper", a); }
Value upcase(Isolate& iso, Args a) { return mapCase<charUpcase>(iso, "upcase", a); }
Value stringUpcase(Isolate& iso, Args a) { return mapCase<charUpcase>(iso, "string-upcase", a); }
Value lower(Isolate& iso, Args a) { return mapCase<charDowncase>(iso, "lower", a); }
Value downcase(Isolate& iso, Args a) { return mapCase<charDowncase>(iso, "downcase", a); }
Value stringDowncase(Isolate& iso, Args a) { return mapCase<charDowncase>(iso, "string-downcase", a); }

enum TrimSides { kTrimLeft = 1, kTrimRight = 2, kTrimBoth = 3 };
Value trimWith(Isolate& iso, const char* fn, Args a, int sides) {
  std::string_view s = argString(iso, fn, a, 0);
  size_t from = 0, to = s.size();
  if (sides & kTrimLeft)
    while (from < to && utf8::isAsciiSpace(uint8_t(s[from]))) ++from;
  if (sides & kTrimRight)
    while (to > from && utf8::isAsciiSpace(uint8_t(s[to - 1]))) --to;
  return iso.str(s.substr(from, to - from));
}
Value trim(Isolate& iso, Args a) { return trimWith(iso, "trim", a, kTrimBoth); }
Value trimLeft(Isolate& iso, Args a) { return trimWith(iso, "trim-left", a, kTrimLeft); }
Value trimRight(Isolate& iso, Args a) { return trimWith(iso, "trim-right", a, kTrimRight); }

Value stringRepeat(Isolate& iso, Args a) {
  std::string_view s = argString(iso, "string-repeat", a, 0);
  size_t n = argCount(iso, "string-repeat", a, 1);
  if (!s.empty() && n > (size_t(1) << 31) / s.size())
    throw SxError(ErrorCode::Range, "string-repeat: result would exceed 2 GiB");
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return iso.str(out);
}

Value stringReverse(Isolate& iso, Args a) {
  std::string_view s = argString(iso, "string-reverse", a, 0);
  std::vector<uint32_t> cps;
  for (size_t i = 0; i < s.size();) cps.push_back(utf8::decode(s, i));
  std::string out;
  out.reserve(s.size());
  for (auto it = cps.rbegin(); it != cps.rend(); ++it) utf8::append(out, *it);
  return iso.str(out);
}

// (string-pad-left s width [pad]): s preceded by pad (default a space), repeated code
// point by code point, up to `width` code points; s itself is never cut.
Value pad(Isolate& iso, const char* fn, Args a, bool left) {
  const String* s = argStr(iso, fn, a, 0);
  size_t width = argCount(iso, fn, a, 1);
  std::string padText = a.n > 2 ? argText(iso, fn, a, 2) : std::string(" ");
  if (padText.empty()) argTypeError(iso, fn, 2, "non-empty string or char", a[2]);
  if (width <= s->charLen) return Value::object(s);
  if (width > (size_t(1) << 28)) throw SxError(ErrorCode::Range, std::string(fn) + ": width too large");
  std::string fill;
  for (size_t i = 0, n = 0; n < width - s->charLen; ++n) {
    if (i >= padText.size()) i = 0;
    utf8::append(fill, utf8::decode(padText, i));
  }
  return iso.str(left ? fill + std::string(s->view()) : std::string(s->view()) + fill);
}
Value padLeft(Isolate& iso, Args a) { return pad(iso, "string-pad-left", a, true); }
Value padRight(Isolate& iso, Args a) { return pad(iso, "string-pad-right", a, false); }

// ---- pieces --------------------------------------------------------------------------

Value substring(Isolate& iso, Args a) {
  const String* s = argStr(iso, "substring", a, 0);
  int64_t start = std::max<int64_t>(argInt(iso, "substring", a, 1), 0);
  int64_t end = a.opt(2).isNil() ? int64_t(s->charLen) : std::max<int64_t>(argInt(iso, "substring", a, 2), 0);
  return iso.str(utf8::slice(s, size_t(start), size_t(end)));
}

Value stringRef(Isolate& iso, Args a) {
  const String* s = argStr(iso, "string-ref", a, 0);
  int64_t i = argInt(iso, "string-ref", a, 1);
  if (i < 0 || i >= int64_t(s->charLen))
    throw SxError(ErrorCode::Range, "string-ref: index " + std::to_string(i) + " out of range for string of length " +
                                        std::to_string(s->charLen));
  size_t at = utf8::byteOffset(s, size_t(i));
  return Value::character(utf8::decode(s->view(), at));
}

Value stringToList(Isolate& iso, Args a) {
  std::string_view s = argString(iso, "string->list", a, 0);
  std::vector<Value> chars;
  for (size_t i = 0; i < s.size();) chars.push_back(Value::character(utf8::decode(s, i)));
  return makeList(iso, chars);
}

Value listToString(Isolate& iso, Args a) {
  std::string out;
  for (Value x : listItems(iso, "list->string", 0, a[0])) {
    if (x.isChar()) utf8::append(out, x.asChar());
    else if (isString(x)) out += strView(x);
    else argTypeError(iso, "list->string", 0, "list of chars or strings", a[0]);
  }
  return iso.str(out);
}

// Splits on runs of ASCII whitespace, dropping empty pieces.
std::vector<Value> splitWhitespace(Isolate& iso, std::string_view s) {
  std::vector<Value> parts;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && utf8::isAsciiSpace(uint8_t(s[i]))) ++i;
    size_t start = i;
    while (i < s.size() && !utf8::isAsciiSpace(uint8_t(s[i]))) ++i;
    if (i > start) parts.push_back(iso.str(s.substr(start, i - start)));
  }
  return parts;
}

// (split s [sep]): pieces between occurrences of sep (empty pieces kept); sep "" splits
// into characters; without sep (or nil) splits on whitespace.
Value split(Isolate& iso, Args a) {
  std::string_view s = argString(iso, "split", a, 0);
  if (a.opt(1).isNil()) return makeList(iso, splitWhitespace(iso, s));
  std::string sep = argText(iso, "split", a, 1);
  std::vector<Value> parts;
  if (sep.empty()) {
    for (size_t i = 0; i < s.size();) parts.push_back(charString(iso, utf8::decode(s, i)));
    return makeList(iso, parts);
  }
  size_t start = 0;
  for (size_t at; (at = s.find(sep, start)) != std::string_view::npos; start = at + sep.size())
    parts.push_back(iso.str(s.substr(start, at - start)));
  parts.push_back(iso.str(s.substr(start)));
  return makeList(iso, parts);
}

// (join sep items): the display forms of items separated by sep. The data-first order
// (join items sep), as produced by ->, is accepted too.
Value join(Isolate& iso, Args a) {
  bool dataFirst = (isListLike(a[0]) || isVector(a[0])) && (isString(a[1]) || a[1].isChar());
  uint32_t sepIndex = dataFirst ? 1 : 0;
  std::string sep = argText(iso, "join", a, sepIndex);
  std::string out;
  bool firstItem = true;
  for (Value x : seqItems(iso, "join", 1 - sepIndex, a[1 - sepIndex])) {
    if (!firstItem) out += sep;
    firstItem = false;
    printTo(iso, x, out, false);
  }
  return iso.str(out);
}

Value replace(Isolate& iso, Args a) {
  std::string_view s = argString(iso, "replace", a, 0);
  std::string from = argText(iso, "replace", a, 1);
  std::string to = argText(iso, "replace", a, 2);
  if (from.empty()) return a[0];
  std::string out;
  size_t start = 0;
  for (size_t at; (at = s.find(from, start)) != std::string_view::npos; start = at + from.size()) {
    out.append(s.substr(start, at - start));
    out += to;
  }
  out.append(s.substr(start));
  return iso.str(out);
}

// ---- searching -----------------------------------------------------------------------

// Index of the first (or last) element of a list/vector equal to x, or -1.
Value elementIndex(Isolate& iso, const char* fn, Value coll, Value x, bool fromEnd) {
  std::vector<Value> items = seqItems(iso, fn, 0, coll);
  for (size_t k = 0; k < items.size(); ++k) {
    size_t i = fromEnd ? items.size() - 1 - k : k;
    if (valuesEqual(items[i], x)) return Value::fixnum(int64_t(i));
  }
  return Value::fixnum(-1);
}

// (index-of s part) -> code-point index or -1; (index-of xs x) -> element index or -1.
Value indexOf(Isolate& iso, Args a) {
  if (!isString(a[0])) return elementIndex(iso, "index-of", a[0], a[1], false);
  std::string_view s = strView(a[0]);
  return codePointIndex(s, s.find(argText(iso, "index-of", a, 1)));
}

Value lastIndexOf(Isolate& iso, Args a) {
  if (!isString(a[0])) return elementIndex(iso, "last-index-of", a[0], a[1], true);
  std::string_view s = strView(a[0]);
  return codePointIndex(s, s.rfind(argText(iso, "last-index-of", a, 1)));
}

Value stringContainsP(Isolate& iso, Args a) {
  std::string_view s = argString(iso, "string-contains?", a, 0);
  return Value::boolean(s.find(argText(iso, "string-contains?", a, 1)) != std::string_view::npos);
}

Value startsWithP(Isolate& iso, Args a) {
  std::string_view s = argString(iso, "starts-with?", a, 0);
  return Value::boolean(s.starts_with(argText(iso, "starts-with?", a, 1)));
}

Value endsWithP(Isolate& iso, Args a) {
  std::string_view s = argString(iso, "ends-with?", a, 0);
  return Value::boolean(s.ends_with(argText(iso, "ends-with?", a, 1)));
}

// ---- comparison (code point order, which is UTF-8 byte order) ------------------------

template <bool (*Holds)(int)>
Value compareChain(Isolate& iso, const char* fn, Args a) {
  for (uint32_t i = 0; i < a.n; ++i) argString(iso, fn, a, i);
  for (uint32_t i = 0; i + 1 < a.n; ++i)
    if (!Holds(strView(a[i]).compare(strView(a[i + 1])))) return Value::f();
  return Value::t();
}
bool lt(int c) { return c < 0; }
bool gt(int c) { return c > 0; }
bool eq(int c) { return c == 0; }
bool le(int c) { return c <= 0; }
bool ge(int c) { return c >= 0; }
Value stringLt(Isolate& iso, Args a) { return compareChain<lt>(iso, "string<?", a); }
Value stringGt(Isolate& iso, Args a) { return compareChain<gt>(iso, "string>?", a); }
Value stringEq(Isolate& iso, Args a) { return compareChain<eq>(iso, "string=?", a); }
Value stringLe(Isolate& iso, Args a) { return compareChain<le>(iso, "string<=?", a); }
Value stringGe(Isolate& iso, Args a) { return compareChain<ge>(iso, "string>=?", a); }

// ---- string buffers ------------------------------------------------------------------

Value newBuffer(Isolate& iso, const char* fn, Args a) {
  std::string_view initial = a.n > 0 ? argString(iso, fn, a, 0) : std::string_view();
  auto* b = iso.heap.make<StringBuffer>(ObjType::StringBuffer);
  b->text = new std::string(initial);
  return Value::object(b);
}
Value makeStringBuffer(Isolate& iso, Args a) { return newBuffer(iso, "make-string-buffer", a); }
Value makeBuffer(Isolate& iso, Args a) { return newBuffer(iso, "make-buffer", a); }

std::string& argBuffer(Isolate& iso, const char* fn, Args a, uint32_t i) {
  if (!isType(a[i], ObjType::StringBuffer)) argTypeError(iso, fn, i, "string buffer", a[i]);
  return *as<StringBuffer>(a[i])->text;
}

Value stringBufferP(Isolate&, Args a) { return Value::boolean(isType(a[0], ObjType::StringBuffer)); }

// string-buffer-append! takes strings only; buffer-append! also takes any other value,
// appending its printed (inspect) form.
Value appendToBuffer(Isolate& iso, const char* fn, Args a, bool coerce) {
  std::string& text = argBuffer(iso, fn, a, 0);
  for (uint32_t i = 1; i < a.n; ++i) {
    if (isString(a[i])) text += strView(a[i]);
    else if (coerce) printTo(iso, a[i], text, true);
    else argTypeError(iso, fn, i, "string", a[i]);
  }
  return a[0];
}
Value stringBufferAppend(Isolate& iso, Args a) { return appendToBuffer(iso, "string-buffer-append!", a, false); }
Value bufferAppend(Isolate& iso, Args a) { return appendToBuffer(iso, "buffer-append!", a, true); }

Value stringBufferToString(Isolate& iso, Args a) { return iso.str(argBuffer(iso, "string-buffer->string", a, 0)); }
Value bufferToString(Isolate& iso, Args a) { return iso.str(argBuffer(iso, "buffer->string", a, 0)); }
Value stringBufferLength(Isolate& iso, Args a) {
  return Value::fixnum(int64_t(utf8Length(argBuffer(iso, "string-buffer-length", a, 0))));
}
Value bufferLength(Isolate& iso, Args a) { return Value::fixnum(int64_t(utf8Length(argBuffer(iso, "buffer-length", a, 0)))); }

constexpr uint16_t P = kNativePure;

const NativeDef kNatives[] = {
    {"str", str, 0, -1, P, 0, "(str x ...) -> string: the display forms concatenated (nil is \"\")"},
    {"string", string, 0, -1, P, 0, "(string part ...) -> string: chars and strings concatenated"},
    {"string-length", stringLength, 1, 1, P, 0, "(string-length s) -> integer: the number of code points"},
    {"upper", upper, 1, 1, P, 0, "(upper s) -> string: s in upper case"},
    {"upcase", upcase, 1, 1, P, 0, "(upcase s) -> string: s in upper case"},
    {"string-upcase", stringUpcase, 1, 1, P, 0, "(string-upcase s) -> string: s in upper case"},
    {"lower", lower, 1, 1, P, 0, "(lower s) -> string: s in lower case"},
    {"downcase", downcase, 1, 1, P, 0, "(downcase s) -> string: s in lower case"},
    {"string-downcase", stringDowncase, 1, 1, P, 0, "(string-downcase s) -> string: s in lower case"},
    {"trim", trim, 1, 1, P, 0, "(trim s) -> string: s without leading and trailing whitespace"},
    {"trim-left", trimLeft, 1, 1, P, 0, "(trim-left s) -> string: s without leading whitespace"},
    {"trim-right", trimRight, 1, 1, P, 0, "(trim-right s) -> string: s without trailing whitespace"},
    {"string-repeat", stringRepeat, 2, 2, P, 0, "(string-repeat s n) -> string: s repeated n times"},
    {"string-reverse", stringReverse, 1, 1, P, 0, "(string-reverse s) -> string: the code points of s in reverse order"},
    {"string-pad-left", padLeft, 2, 3, P, 0, "(string-pad-left s width [pad]) -> string: s padded on the left to width"},
    {"string-pad-right", padRight, 2, 3, P, 0, "(string-pad-right s width [pad]) -> string: s padded on the right to width"},
    {"substring", substring, 2, 3, P, 0, "(substring s start [end]) -> string: code points [start, end), clamped"},
    {"string-ref", stringRef, 2, 2, P, 0, "(string-ref s i) -> char: the code point at index i"},
    {"string->list", stringToList, 1, 1, 0, 0, "(string->list s) -> list: the characters of s"},
    {"list->string", listToString, 1, 1, P, 0, "(list->string xs) -> string: chars and strings concatenated"},
    {"split", split, 1, 2, 0, 0, "(split s [sep]) -> list: the pieces of s between seps (whitespace when omitted)"},
    {"join", join, 2, 2, P, 0, "(join sep items) -> string: the display forms of items separated by sep"},
    {"replace", replace, 3, 3, P, 0, "(replace s from to) -> string: every occurrence of from replaced by to"},
    {"index-of", indexOf, 2, 2, P, 0, "(index-of s part) -> integer: the first index of part in s (or of an element in a list), or -1"},
    {"last-index-of", lastIndexOf, 2, 2, P, 0, "(last-index-of s part) -> integer: the last index of part in s (or of an element), or -1"},
    {"string-contains?", stringContainsP, 2, 2, P, 0, "(string-contains? s part) -> boolean: whether part occurs in s"},
    {"starts-with?", startsWithP, 2, 2, P, 0, "(starts-with? s prefix) -> boolean: whether s begins with prefix"},
    {"ends-with?", endsWithP, 2, 2, P, 0, "(ends-with? s suffix) -> boolean: whether s ends with suffix"},
    {"string<?", stringLt, 1, -1, P, 0, "(string<? s ...) -> boolean: strictly increasing in code point order"},
    {"string>?", stringGt, 1, -1, P, 0, "(string>? s ...) -> boolean: strictly decreasing in code point order"},
    {"string=?", stringEq, 1, -1, P, 0, "(string=? s ...) -> boolean: all equal"},
    {"string<=?", stringLe, 1, -1, P, 0, "(string<=? s ...) -> boolean: non-decreasing in code point order"},
    {"string>=?", stringGe, 1, -1, P, 0, "(string>=? s ...) -> boolean: non-increasing in code point order"},
    {"make-string-buffer", makeStringBuffer, 0, 1, 0, 0, "(make-string-buffer [s]) -> string-buffer: a new buffer holding s"},
    {"make-buffer", makeBuffer, 0, 1, 0, 0, "(make-buffer [s]) -> string-buffer: same as make-string-buffer"},
    {"string-buffer?", stringBufferP, 1, 1, P, 0, "(string-buffer? x) -> boolean: whether x is a string buffer"},
    {"buffer?", stringBufferP, 1, 1, P, 0, "(buffer? x) -> boolean: whether x is a string buffer"},
    {"string-buffer-append!", stringBufferAppend, 1, -1, 0, 0, "(string-buffer-append! buf s ...) -> string-buffer: appends the strings"},
    {"buffer-append!", bufferAppend, 1, -1, 0, 0, "(buffer-append! buf x ...) -> string-buffer: appends strings, or the printed form of other values"},
    {"string-buffer->string", stringBufferToString, 1, 1, 0, 0, "(string-buffer->string buf) -> string: the text so far"},
    {"buffer->string", bufferToString, 1, 1, 0, 0, "(buffer->string buf) -> string: the text so far"},
    {"string-buffer-length", stringBufferLength, 1, 1, 0, 0, "(string-buffer-length buf) -> integer: code points so far"},
    {"buffer-length", bufferLength, 1, 1, 0, 0, "(buffer-length buf) -> integer: code points so far"},
};

}  // namespace

void registerStringNatives(Isolate& iso) { iso.registerNatives(kNatives, std::size(kNatives)); }

}  // namespace sx
