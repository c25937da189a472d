// Argument checking for natives. Every error names the function and the argument:
//   "+: expected number for argument 2, got string \"a\""
//   "cons: expected 2 arguments, got 3"
#include "stdlib/native.h"

#include "reader/printer.h"
#include "stdlib/prims_core.h"

namespace sx {

namespace {

constexpr size_t kShownValueBytes = 60;  // how much of a bad argument an error message shows

// The readable form, cut at a UTF-8 boundary near kShownValueBytes.
std::string shownValue(Isolate& iso, Value v) {
  std::string s = printValue(iso, v);
  if (s.size() <= kShownValueBytes) return s;
  size_t cut = kShownValueBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  s += "...";
  return s;
}

std::string plural(int64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

void argTypeError(Isolate& iso, const char* fn, uint32_t index, const char* expected, Value got) {
  std::string type(typeOfValue(got));
  std::string shown = shownValue(iso, got);
  std::string msg = std::string(fn) + ": expected " + expected + " for argument " + std::to_string(index + 1) +
                    ", got " + type;
  if (shown != type) msg += " " + shown;
  throw SxError(ErrorCode::Type, msg);
}

void arityError(const char* fn, uint32_t got, int16_t min, int16_t max) {
  std::string expected;
  if (max < 0) expected = "at least " + plural(min, "argument");
  else if (min == max) expected = plural(min, "argument");
  else expected = "between " + std::to_string(min) + " and " + std::to_string(max) + " arguments";
  throw SxError(ErrorCode::Arity, std::string(fn) + ": expected " + expected + ", got " + std::to_string(got));
}

int64_t argInt(Isolate& iso, const char* fn, Args a, uint32_t i) {
  Value v = a.opt(i);
  if (!isInteger(v)) argTypeError(iso, fn, i, "integer", v);
  return intValue(v);
}

double argNumber(Isolate& iso, const char* fn, Args a, uint32_t i) {
  Value v = a.opt(i);
  if (v.isFixnum()) return double(v.asFixnum());
  if (!isNumber(v)) argTypeError(iso, fn, i, "number", v);
  switch (v.asObj()->type) {
    case ObjType::Float: return as<Float>(v)->value;
    case ObjType::Int64: return double(as<Int64>(v)->value);
    default: return double(as<Rational>(v)->num) / double(as<Rational>(v)->den);
  }
}

std::string_view argString(Isolate& iso, const char* fn, Args a, uint32_t i) {
  Value v = a.opt(i);
  if (!isString(v)) argTypeError(iso, fn, i, "string", v);
  return strView(v);
}

std::string_view argName(Isolate& iso, const char* fn, Args a, uint32_t i) {
  Value v = a.opt(i);
  if (isString(v)) return strView(v);
  if (isSymbol(v)) return symName(v);
  if (isKeyword(v)) return as<Keyword>(v)->name->view();
  argTypeError(iso, fn, i, "string, symbol or keyword", v);
}

Value argList(Isolate& iso, const char* fn, Args a, uint32_t i) {
  Value v = a.opt(i);
  if (v.isNil()) return Value::empty();  // list primitives take nil as ()
  if (!isList(v)) argTypeError(iso, fn, i, "list", v);
  return v;
}

Dict* argDict(Isolate& iso, const char* fn, Args a, uint32_t i) {
  Value v = a.opt(i);
  if (!isDict(v)) argTypeError(iso, fn, i, "dict", v);
  return as<Dict>(v);
}

Vector* argVector(Isolate& iso, const char* fn, Args a, uint32_t i) {
  Value v = a.opt(i);
  if (!isVector(v)) argTypeError(iso, fn, i, "vector", v);
  return as<Vector>(v);
}

}  // namespace sx
