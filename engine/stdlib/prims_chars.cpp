// Characters: conversions, case, classification, comparison chains.
//
// Every function that takes a char also takes a string of exactly one code point, since
// that is what `nth` on a string returns; char-upcase/char-downcase answer in the same
// kind they were given. Case mapping is simple one-to-one mapping from the tables below
// (ASCII, Latin-1, Latin Extended-A, Latin Extended Additional, Greek, Cyrillic,
// Armenian, fullwidth Latin); it does not depend on the process locale.
#include <functional>
#include <iterator>
#include <string>

#include "stdlib/native.h"
#include "stdlib/prims_core.h"
#include "stdlib/utf8.h"

namespace sx {
namespace {

// Uppercase code points lo..hi (every one, or every other one from lo when step is 2)
// whose lowercase form is cp + delta. Upcasing inverts the same table.
struct CaseRange {
  uint32_t lo, hi;
  int32_t delta;
  uint32_t step;
};

const CaseRange kCaseRanges[] = {
    {0x0041, 0x005A, 32, 1},    {0x00C0, 0x00D6, 32, 1},   {0x00D8, 0x00DE, 32, 1},  // ASCII, Latin-1
    {0x0100, 0x012E, 1, 2},     {0x0132, 0x0136, 1, 2},    {0x0139, 0x0147, 1, 2},   // Latin Extended-A
    {0x014A, 0x0176, 1, 2},     {0x0178, 0x0178, -121, 1}, {0x0179, 0x017D, 1, 2},
    {0x0386, 0x0386, 38, 1},    {0x0388, 0x038A, 37, 1},   {0x038C, 0x038C, 64, 1},  // Greek
    {0x038E, 0x038F, 63, 1},    {0x0391, 0x03A1, 32, 1},   {0x03A3, 0x03AB, 32, 1},
    {0x0400, 0x040F, 80, 1},    {0x0410, 0x042F, 32, 1},   {0x0460, 0x0480, 1, 2},   // Cyrillic
    {0x048A, 0x04BE, 1, 2},     {0x04C0, 0x04C0, 15, 1},   {0x04C1, 0x04CD, 1, 2},
    {0x04D0, 0x052E, 1, 2},     {0x0531, 0x0556, 48, 1},                             // Armenian
    {0x1E00, 0x1E94, 1, 2},     {0x1EA0, 0x1EFE, 1, 2},                              // Latin Ext. Additional
    {0xFF21, 0xFF3A, 32, 1},                                                         // fullwidth Latin
};

// Lowercase letters whose uppercase form is outside the table's inverse.
struct CasePair {
  uint32_t lower, upper;
};
const CasePair kExtraUpcase[] = {{0x00B5, 0x039C}, {0x0131, 0x0049}, {0x017F, 0x0053}, {0x03C2, 0x03A3}};

// Further letters, chiefly without case, as inclusive ranges (overlap with the case
// table is harmless).
struct CpRange {
  uint32_t lo, hi;
};
const CpRange kOtherLetters[] = {
    {0x00AA, 0x00AA}, {0x00B5, 0x00B5}, {0x00BA, 0x00BA}, {0x00DF, 0x00DF}, {0x00FF, 0x00FF},
    {0x0131, 0x0131}, {0x0138, 0x0138}, {0x0149, 0x0149}, {0x017F, 0x02AF},  // Latin Ext-B, IPA
    {0x0370, 0x0373}, {0x0376, 0x0377}, {0x037B, 0x037D}, {0x037F, 0x037F}, {0x03AC, 0x03FF},
    {0x0430, 0x045F}, {0x0461, 0x0481}, {0x048B, 0x052F}, {0x0561, 0x0587},  // Greek, Cyrillic, Armenian
    {0x05D0, 0x05EA}, {0x0620, 0x064A}, {0x0904, 0x0939}, {0x0E01, 0x0E30},  // Hebrew, Arabic, Devanagari, Thai
    {0x10A0, 0x10FF}, {0x1E00, 0x1FFF},                                      // Georgian, Latin/Greek extended
    {0x3041, 0x3096}, {0x30A1, 0x30FA}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},  // kana, CJK
    {0xAC00, 0xD7A3}, {0xFF41, 0xFF5A},                                      // Hangul, fullwidth
};

const CpRange kWhitespace[] = {
    {0x0009, 0x000D}, {0x0020, 0x0020}, {0x0085, 0x0085}, {0x00A0, 0x00A0}, {0x1680, 0x1680},
    {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000},
};

// The code point of '0' in each block of ten decimal digits.
const uint32_t kDigitZeros[] = {0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66,
                                0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0xFF10};

constexpr uint32_t kMaxCodePoint = 0x10FFFF;

bool inRanges(uint32_t cp, const CpRange* ranges, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (cp >= ranges[i].lo && cp <= ranges[i].hi) return true;
  return false;
}

bool inCaseRange(const CaseRange& r, uint32_t cp) {
  return cp >= r.lo && cp <= r.hi && (cp - r.lo) % r.step == 0;
}

bool validCodePoint(int64_t n) { return n >= 0 && n <= kMaxCodePoint && !(n >= 0xD800 && n <= 0xDFFF); }

uint32_t firstCodePoint(std::string_view s) {
  size_t i = 0;
  return utf8::decode(s, i);
}

// A char, or a string of exactly one code point.
uint32_t argChar(Isolate& iso, const char* fn, Args a, uint32_t i) {
  Value v = a[i];
  if (v.isChar()) return v.asChar();
  if (isString(v) && as<String>(v)->charLen == 1) return firstCodePoint(strView(v));
  argTypeError(iso, fn, i, "char", v);
}

Value oneCharString(Isolate& iso, uint32_t cp) { return iso.str(utf8::encode(cp)); }

// ---- conversions -------------------------------------------------------------------

Value charP(Isolate&, Args a) { return Value::boolean(a[0].isChar()); }
Value charToInteger(Isolate& iso, Args a) { return Value::fixnum(argChar(iso, "char->integer", a, 0)); }

uint32_t argCodePoint(Isolate& iso, const char* fn, Args a) {
  int64_t n = argInt(iso, fn, a, 0);
  if (!validCodePoint(n)) throw SxError(ErrorCode::Range, std::string(fn) + ": " + std::to_string(n) + " is not a Unicode code point");
  return uint32_t(n);
}

Value integerToChar(Isolate& iso, Args a) { return Value::character(argCodePoint(iso, "integer->char", a)); }
Value charFromCode(Isolate& iso, Args a) { return oneCharString(iso, argCodePoint(iso, "char-from-code", a)); }

Value charCode(Isolate& iso, Args a) {
  Value v = a[0];
  if (v.isChar()) return Value::fixnum(v.asChar());
  std::string_view s = argString(iso, "char-code", a, 0);
  if (s.empty()) throw SxError(ErrorCode::Range, "char-code: empty string");
  return Value::fixnum(firstCodePoint(s));
}

// Maps the char through f, answering a char for a char and a string for a string.
Value mapChar(Isolate& iso, const char* fn, Args a, uint32_t (*f)(uint32_t)) {
  uint32_t cp = f(argChar(iso, fn, a, 0));
  return a[0].isChar() ? Value::character(cp) : oneCharString(iso, cp);
}

Value charUpcaseFn(Isolate& iso, Args a) { return mapChar(iso, "char-upcase", a, charUpcase); }
Value charDowncaseFn(Isolate& iso, Args a) { return mapChar(iso, "char-downcase", a, charDowncase); }

// ---- classification ------------------------------------------------------------------

bool upperCase(uint32_t cp) { return charDowncase(cp) != cp; }
bool lowerCase(uint32_t cp) { return charUpcase(cp) != cp || cp == 0x00DF; }
bool numeric(uint32_t cp) { return charDigitValue(cp) >= 0; }

Value classify(Isolate& iso, Args a, const char* fn, bool (*test)(uint32_t)) {
  return Value::boolean(test(argChar(iso, fn, a, 0)));
}

Value alphabeticP(Isolate& iso, Args a) { return classify(iso, a, "char-alphabetic?", charAlphabetic); }
Value numericP(Isolate& iso, Args a) { return classify(iso, a, "char-numeric?", numeric); }
Value whitespaceP(Isolate& iso, Args a) { return classify(iso, a, "char-whitespace?", charWhitespace); }
Value upperCaseP(Isolate& iso, Args a) { return classify(iso, a, "char-upper-case?", upperCase); }
Value lowerCaseP(Isolate& iso, Args a) { return classify(iso, a, "char-lower-case?", lowerCase); }

Value digitValue(Isolate& iso, Args a) {
  int d = charDigitValue(argChar(iso, "digit-value", a, 0));
  return d < 0 ? Value::nil() : Value::fixnum(d);
}

// ---- comparison chains -----------------------------------------------------------------

uint32_t foldCase(uint32_t cp) { return charDowncase(charUpcase(cp)); }

template <class Cmp>
Value charChain(Isolate& iso, Args a, const char* fn, bool fold, Cmp cmp) {
  bool result = true;
  uint32_t prev = 0;
  for (uint32_t i = 0; i < a.size(); ++i) {
    uint32_t cp = argChar(iso, fn, a, i);
    if (fold) cp = foldCase(cp);
    if (i > 0 && !cmp(prev, cp)) result = false;
    prev = cp;
  }
  return Value::boolean(result);
}

Value charEq(Isolate& iso, Args a) { return charChain(iso, a, "char=?", false, std::equal_to<>()); }
Value charLt(Isolate& iso, Args a) { return charChain(iso, a, "char<?", false, std::less<>()); }
Value charGt(Isolate& iso, Args a) { return charChain(iso, a, "char>?", false, std::greater<>()); }
Value charLe(Isolate& iso, Args a) { return charChain(iso, a, "char<=?", false, std::less_equal<>()); }
Value charGe(Isolate& iso, Args a) { return charChain(iso, a, "char>=?", false, std::greater_equal<>()); }
Value charCiEq(Isolate& iso, Args a) { return charChain(iso, a, "char-ci=?", true, std::equal_to<>()); }
Value charCiLt(Isolate& iso, Args a) { return charChain(iso, a, "char-ci<?", true, std::less<>()); }
Value charCiGt(Isolate& iso, Args a) { return charChain(iso, a, "char-ci>?", true, std::greater<>()); }
Value charCiLe(Isolate& iso, Args a) { return charChain(iso, a, "char-ci<=?", true, std::less_equal<>()); }
Value charCiGe(Isolate& iso, Args a) { return charChain(iso, a, "char-ci>=?", true, std::greater_equal<>()); }

constexpr uint16_t P = kNativePure;

const NativeDef kNatives[] = {
    {"char?", charP, 1, 1, P, 0, "(char? x) -> boolean: x is a character"},
    {"char->integer", charToInteger, 1, 1, P, 0, "(char->integer c) -> integer: the code point of c"},
    {"integer->char", integerToChar, 1, 1, P, 0, "(integer->char n) -> char: the character with code point n"},
    {"char-from-code", charFromCode, 1, 1, P, 0, "(char-from-code n) -> string: the one-character string for code point n"},
    {"char-code", charCode, 1, 1, P, 0, "(char-code s) -> integer: the first code point of a string, or of a char"},
    {"char-upcase", charUpcaseFn, 1, 1, P, 0, "(char-upcase c) -> char: the uppercase form of c"},
    {"char-downcase", charDowncaseFn, 1, 1, P, 0, "(char-downcase c) -> char: the lowercase form of c"},
    {"char-alphabetic?", alphabeticP, 1, 1, P, 0, "(char-alphabetic? c) -> boolean: c is a letter"},
    {"char-numeric?", numericP, 1, 1, P, 0, "(char-numeric? c) -> boolean: c is a decimal digit"},
    {"char-whitespace?", whitespaceP, 1, 1, P, 0, "(char-whitespace? c) -> boolean: c is white space"},
    {"char-upper-case?", upperCaseP, 1, 1, P, 0, "(char-upper-case? c) -> boolean: c is an uppercase letter"},
    {"char-lower-case?", lowerCaseP, 1, 1, P, 0, "(char-lower-case? c) -> boolean: c is a lowercase letter"},
    {"digit-value", digitValue, 1, 1, P, 0, "(digit-value c) -> integer or nil: the value of a decimal digit"},
    {"char=?", charEq, 1, -1, P, 0, "(char=? c ...) -> boolean: all characters are the same"},
    {"char<?", charLt, 1, -1, P, 0, "(char<? c ...) -> boolean: code points strictly increase"},
    {"char>?", charGt, 1, -1, P, 0, "(char>? c ...) -> boolean: code points strictly decrease"},
    {"char<=?", charLe, 1, -1, P, 0, "(char<=? c ...) -> boolean: code points never decrease"},
    {"char>=?", charGe, 1, -1, P, 0, "(char>=? c ...) -> boolean: code points never increase"},
    {"char-ci=?", charCiEq, 1, -1, P, 0, "(char-ci=? c ...) -> boolean: char=? ignoring case"},
    {"char-ci<?", charCiLt, 1, -1, P, 0, "(char-ci<? c ...) -> boolean: char<? ignoring case"},
    {"char-ci>?", charCiGt, 1, -1, P, 0, "(char-ci>? c ...) -> boolean: char>? ignoring case"},
    {"char-ci<=?", charCiLe, 1, -1, P, 0, "(char-ci<=? c ...) -> boolean: char<=? ignoring case"},
    {"char-ci>=?", charCiGe, 1, -1, P, 0, "(char-ci>=? c ...) -> boolean: char>=? ignoring case"},
};

}  // namespace

uint32_t charDowncase(uint32_t cp) {
  for (const CaseRange& r : kCaseRanges)
    if (inCaseRange(r, cp)) return uint32_t(int64_t(cp) + r.delta);
  return cp;
}

uint32_t charUpcase(uint32_t cp) {
  for (const CaseRange& r : kCaseRanges) {
    int64_t upper = int64_t(cp) - r.delta;
    if (upper >= 0 && inCaseRange(r, uint32_t(upper))) return uint32_t(upper);
  }
  for (const CasePair& p : kExtraUpcase)
    if (p.lower == cp) return p.upper;
  return cp;
}

bool charAlphabetic(uint32_t cp) {
  return charDowncase(cp) != cp || charUpcase(cp) != cp || inRanges(cp, kOtherLetters, std::size(kOtherLetters));
}

bool charWhitespace(uint32_t cp) { return inRanges(cp, kWhitespace, std::size(kWhitespace)); }

int charDigitValue(uint32_t cp) {
  for (uint32_t zero : kDigitZeros)
    if (cp >= zero && cp < zero + 10) return int(cp - zero);
  return -1;
}

void registerCharNatives(Isolate& iso) { iso.registerNatives(kNatives, std::size(kNatives)); }

}  // namespace sx
