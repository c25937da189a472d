// Number primitives: arithmetic, rounding, comparison chains, predicates, exactness,
// transcendental functions, bitwise operations, parsing and formatting, random integers.
//
// Decisions the rulings leave open:
// - `round` rounds half away from zero (as OCaml's Float.round and C's round do);
//   floor/ceil/round/truncate give integers for floats and rationals (a float too large
//   for int64, or inf/nan, stays a float).
// - `min`/`max` are inexact when any argument is a float ((max 1 2.5) -> 2.5,
//   (max 3 2.5) -> 3.0), as in Scheme; `clamp` returns one of its arguments unchanged.
// - `mod` takes the sign of the divisor, `remainder` and `quotient` the sign of the
//   dividend; integer or rational division by exact zero is a range error.
// - `(random-int n)` is uniform in [0, n), `(random-int lo hi)` in [lo, hi).
// - `parse-int` is strict (optional sign, digits of the radix, nothing else); an integer
//   argument is returned as is and any other non-string gives nil.
// Text conversion never depends on the process locale (std::from_chars / to_chars).
#include <charconv>
#include <cmath>
#include <functional>
#include <iterator>
#include <numeric>
#include <optional>
#include <random>
#include <string>

#include "reader/printer.h"
#include "stdlib/equality.h"
#include "stdlib/native.h"
#include "stdlib/numeric.h"
#include "stdlib/prims_core.h"

namespace sx {
namespace {

using i128 = __int128;

constexpr int kMaxFormatPlaces = 100;  // format-decimal: beyond this a double has no digits left to show

Value argNum(Isolate& iso, const char* fn, Args a, uint32_t i) {
  if (!isNumber(a[i])) argTypeError(iso, fn, i, "number", a[i]);
  return a[i];
}

bool isNaNValue(Value v) { return isFloat(v) && std::isnan(as<Float>(v)->value); }

[[noreturn]] void rangeError(const char* fn, const std::string& what) {
  throw SxError(ErrorCode::Range, std::string(fn) + ": " + what);
}

// An integer, or a float with an integral value in int64 range (for odd?/even?).
int64_t argIntegral(Isolate& iso, const char* fn, Args a, uint32_t i) {
  Value v = a[i];
  if (isFloat(v)) {
    double d = as<Float>(v)->value;
    if (d == std::trunc(d) && d >= -0x1p63 && d < 0x1p63) return int64_t(d);
  }
  return argInt(iso, fn, a, i);
}

// ---- arithmetic --------------------------------------------------------------------

Value add(Isolate& iso, Args a) {
  Value acc = Value::fixnum(0);
  for (uint32_t i = 0; i < a.size(); ++i) acc = numAdd(iso, acc, argNum(iso, "+", a, i), "+");
  return acc;
}

Value mul(Isolate& iso, Args a) {
  Value acc = Value::fixnum(1);
  for (uint32_t i = 0; i < a.size(); ++i) acc = numMul(iso, acc, argNum(iso, "*", a, i), "*");
  return acc;
}

Value sub(Isolate& iso, Args a) {
  Value acc = argNum(iso, "-", a, 0);
  if (a.size() == 1) return numNeg(iso, acc, "-");
  for (uint32_t i = 1; i < a.size(); ++i) acc = numSub(iso, acc, argNum(iso, "-", a, i), "-");
  return acc;
}

Value divide(Isolate& iso, Args a) {
  Value acc = argNum(iso, "/", a, 0);
  if (a.size() == 1) return numDiv(iso, Value::fixnum(1), acc, "/");
  for (uint32_t i = 1; i < a.size(); ++i) acc = numDiv(iso, acc, argNum(iso, "/", a, i), "/");
  return acc;
}

Value inc(Isolate& iso, Args a) { return numAdd(iso, argNum(iso, "inc", a, 0), Value::fixnum(1), "inc"); }
Value dec(Isolate& iso, Args a) { return numSub(iso, argNum(iso, "dec", a, 0), Value::fixnum(1), "dec"); }
Value square(Isolate& iso, Args a) {
  Value x = argNum(iso, "square", a, 0);
  return numMul(iso, x, x, "square");
}

// ---- rounding ----------------------------------------------------------------------

enum class Rounding { Floor, Ceil, Round, Trunc };

double roundDouble(double d, Rounding r) {
  switch (r) {
    case Rounding::Floor: return std::floor(d);
    case Rounding::Ceil: return std::ceil(d);
    case Rounding::Round: return std::round(d);
    case Rounding::Trunc: break;
  }
  return std::trunc(d);
}

// num/den (den > 0) rounded to an integer.
i128 roundRatio(i128 num, i128 den, Rounding r) {
  i128 q = num / den, rem = num % den;
  switch (r) {
    case Rounding::Floor: return rem != 0 && num < 0 ? q - 1 : q;
    case Rounding::Ceil: return rem != 0 && num > 0 ? q + 1 : q;
    case Rounding::Round: {
      i128 mag = ((num < 0 ? -num : num) * 2 + den) / (den * 2);
      return num < 0 ? -mag : mag;
    }
    case Rounding::Trunc: break;
  }
  return q;
}

Value roundValue(Isolate& iso, Value v, Rounding r) {
  if (isInteger(v)) return v;
  if (isRational(v)) return iso.integer(int64_t(roundRatio(as<Rational>(v)->num, as<Rational>(v)->den, r)));
  double d = roundDouble(as<Float>(v)->value, r);
  if (std::isfinite(d) && d >= -0x1p63 && d < 0x1p63) return iso.integer(int64_t(d));
  return iso.flonum(d);
}

Value floorFn(Isolate& iso, Args a) { return roundValue(iso, argNum(iso, "floor", a, 0), Rounding::Floor); }
Value ceilFn(Isolate& iso, Args a) { return roundValue(iso, argNum(iso, "ceil", a, 0), Rounding::Ceil); }
Value roundFn(Isolate& iso, Args a) { return roundValue(iso, argNum(iso, "round", a, 0), Rounding::Round); }
Value truncateFn(Isolate& iso, Args a) { return roundValue(iso, argNum(iso, "truncate", a, 0), Rounding::Trunc); }

// ---- integer division ----------------------------------------------------------------

// x - y * round(x / y) for exact operands at least one of which is a rational.
Value exactRemainder(Isolate& iso, Value x, Value y, Rounding r, const char* fn) {
  Value q = roundValue(iso, numDiv(iso, x, y, fn), r);
  return numSub(iso, x, numMul(iso, y, q, fn), fn);
}

// The remainder of x / y rounded toward zero (Trunc) or toward negative infinity (Floor).
Value remainderOf(Isolate& iso, Args a, const char* fn, Rounding r) {
  if (a.size() == 2 && a[0].isFixnum() && a[1].isFixnum() && a[1].asFixnum() != 0) {
    // The common case, without the general path's checks: |m| < |y|, so m is a fixnum
    // (and a fixnum is never INT64_MIN, so % -1 cannot trap).
    int64_t ix = a[0].asFixnum(), iy = a[1].asFixnum(), m = ix % iy;
    if (r == Rounding::Floor && m != 0 && (m < 0) != (iy < 0)) m += iy;
    return Value::fixnum(m);
  }
  Value x = argNum(iso, fn, a, 0), y = argNum(iso, fn, a, 1);
  if (isFloat(x) || isFloat(y)) {
    double dy = toDouble(y), m = std::fmod(toDouble(x), dy);
    if (r == Rounding::Floor && m != 0 && (m < 0) != (dy < 0)) m += dy;
    return iso.flonum(m);
  }
  if (numEqual(y, Value::fixnum(0))) rangeError(fn, "division by zero");
  if (isRational(x) || isRational(y)) return exactRemainder(iso, x, y, r, fn);
  int64_t ix = intValue(x), iy = intValue(y);
  if (iy == -1) return Value::fixnum(0);  // INT64_MIN % -1 would trap
  int64_t m = ix % iy;
  if (r == Rounding::Floor && m != 0 && (m < 0) != (iy < 0)) m += iy;
  return iso.integer(m);
}

Value modFn(Isolate& iso, Args a) { return remainderOf(iso, a, "mod", Rounding::Floor); }
Value remainderFn(Isolate& iso, Args a) { return remainderOf(iso, a, "remainder", Rounding::Trunc); }

Value quotientFn(Isolate& iso, Args a) {
  Value x = argNum(iso, "quotient", a, 0), y = argNum(iso, "quotient", a, 1);
  if (isFloat(x) || isFloat(y)) return iso.flonum(std::trunc(toDouble(x) / toDouble(y)));
  if (numEqual(y, Value::fixnum(0))) rangeError("quotient", "division by zero");
  if (isRational(x) || isRational(y)) return roundValue(iso, numDiv(iso, x, y, "quotient"), Rounding::Trunc);
  int64_t ix = intValue(x), iy = intValue(y);
  if (ix == INT64_MIN && iy == -1) return iso.flonum(-double(INT64_MIN));
  return iso.integer(ix / iy);
}

// ---- magnitude ---------------------------------------------------------------------

Value absFn(Isolate& iso, Args a) {
  Value x = argNum(iso, "abs", a, 0);
  if (isFloat(x)) return iso.flonum(std::fabs(as<Float>(x)->value));
  return numCompare(iso, x, Value::fixnum(0), "abs") < 0 ? numNeg(iso, x, "abs") : x;
}

// The least (want = -1) or greatest (want = 1) argument; inexact if any argument is.
Value extremum(Isolate& iso, Args a, const char* fn, int want) {
  Value best = argNum(iso, fn, a, 0);
  bool inexact = isFloat(best);
  for (uint32_t i = 1; i < a.size(); ++i) {
    Value v = argNum(iso, fn, a, i);
    inexact = inexact || isFloat(v);
    if (isNaNValue(best)) continue;
    if (isNaNValue(v) || numCompare(iso, v, best, fn) * want > 0) best = v;
  }
  return inexact && !isFloat(best) ? iso.flonum(toDouble(best)) : best;
}

Value minFn(Isolate& iso, Args a) { return extremum(iso, a, "min", -1); }
Value maxFn(Isolate& iso, Args a) { return extremum(iso, a, "max", 1); }

Value clampFn(Isolate& iso, Args a) {
  Value x = argNum(iso, "clamp", a, 0), lo = argNum(iso, "clamp", a, 1), hi = argNum(iso, "clamp", a, 2);
  if (numCompare(iso, x, lo, "clamp") < 0) return lo;
  if (numCompare(iso, x, hi, "clamp") > 0) return hi;
  return x;
}

// ---- powers and roots ----------------------------------------------------------------

// base^exp for exp >= 0; false when the result overflows int64.
bool integerPower(int64_t base, int64_t exp, int64_t& out) {
  int64_t result = 1;
  for (;;) {
    if ((exp & 1) && __builtin_mul_overflow(result, base, &result)) return false;
    exp >>= 1;
    if (exp == 0) break;
    if (__builtin_mul_overflow(base, base, &base)) return false;
  }
  out = result;
  return true;
}

Value powFn(Isolate& iso, Args a) {
  Value b = argNum(iso, "pow", a, 0), e = argNum(iso, "pow", a, 1);
  if (isInteger(e) && intValue(e) >= 0) {
    int64_t n = intValue(e), num, den;
    if (isInteger(b) && integerPower(intValue(b), n, num)) return iso.integer(num);
    if (isRational(b) && integerPower(as<Rational>(b)->num, n, num) && integerPower(as<Rational>(b)->den, n, den))
      return iso.rational(num, den);
  }
  return iso.flonum(std::pow(toDouble(b), toDouble(e)));
}

// The exact square root of n >= 0, if n is a perfect square.
std::optional<int64_t> exactSqrt(int64_t n) {
  if (n < 0) return std::nullopt;
  auto s = int64_t(std::sqrt(double(n)));
  while (s > 0 && i128(s) * s > n) --s;
  while (i128(s + 1) * (s + 1) <= n) ++s;
  if (i128(s) * s != n) return std::nullopt;
  return s;
}

Value sqrtFn(Isolate& iso, Args a) {
  Value x = argNum(iso, "sqrt", a, 0);
  if (isInteger(x))
    if (auto s = exactSqrt(intValue(x))) return iso.integer(*s);
  if (isRational(x)) {
    auto n = exactSqrt(as<Rational>(x)->num), d = exactSqrt(as<Rational>(x)->den);
    if (n && d) return iso.rational(*n, *d);
  }
  return iso.flonum(std::sqrt(toDouble(x)));
}

Value unaryMath(Isolate& iso, Args a, const char* fn, double (*f)(double)) {
  return iso.flonum(f(argNumber(iso, fn, a, 0)));
}

Value expFn(Isolate& iso, Args a) { return unaryMath(iso, a, "exp", [](double x) { return std::exp(x); }); }
Value sinFn(Isolate& iso, Args a) { return unaryMath(iso, a, "sin", [](double x) { return std::sin(x); }); }
Value cosFn(Isolate& iso, Args a) { return unaryMath(iso, a, "cos", [](double x) { return std::cos(x); }); }
Value tanFn(Isolate& iso, Args a) { return unaryMath(iso, a, "tan", [](double x) { return std::tan(x); }); }
Value asinFn(Isolate& iso, Args a) { return unaryMath(iso, a, "asin", [](double x) { return std::asin(x); }); }
Value acosFn(Isolate& iso, Args a) { return unaryMath(iso, a, "acos", [](double x) { return std::acos(x); }); }

Value logFn(Isolate& iso, Args a) {
  double x = std::log(argNumber(iso, "log", a, 0));
  return iso.flonum(a.size() > 1 ? x / std::log(argNumber(iso, "log", a, 1)) : x);
}

Value atanFn(Isolate& iso, Args a) {
  double y = argNumber(iso, "atan", a, 0);
  return iso.flonum(a.size() > 1 ? std::atan2(y, argNumber(iso, "atan", a, 1)) : std::atan(y));
}

// ---- comparison chains -----------------------------------------------------------------

bool allEqual(Args a) {
  for (uint32_t i = 1; i < a.size(); ++i)
    if (!valuesEqual(a[i - 1], a[i])) return false;
  return true;
}

Value numEq(Isolate&, Args a) { return Value::boolean(allEqual(a)); }
Value numNotEq(Isolate&, Args a) { return Value::boolean(!allEqual(a)); }

// Numbers by value (anything involving NaN is false), strings and chars by code point.
template <class Holds>
Value orderChain(Isolate& iso, Args a, const char* fn, Holds holds) {
  for (uint32_t i = 1; i < a.size(); ++i) {
    if (isNaNValue(a[i - 1]) || isNaNValue(a[i])) return Value::f();
    if (!holds(compareValues(iso, a[i - 1], a[i], fn), 0)) return Value::f();
  }
  return Value::t();
}

Value lessFn(Isolate& iso, Args a) { return orderChain(iso, a, "<", std::less<>()); }
Value greaterFn(Isolate& iso, Args a) { return orderChain(iso, a, ">", std::greater<>()); }
Value lessEqFn(Isolate& iso, Args a) { return orderChain(iso, a, "<=", std::less_equal<>()); }
Value greaterEqFn(Isolate& iso, Args a) { return orderChain(iso, a, ">=", std::greater_equal<>()); }

// ---- predicates --------------------------------------------------------------------

Value zeroP(Isolate& iso, Args a) { return Value::boolean(numEqual(argNum(iso, "zero?", a, 0), Value::fixnum(0))); }

Value signTest(Isolate& iso, Args a, const char* fn, int sign) {
  Value x = argNum(iso, fn, a, 0);
  return Value::boolean(!isNaNValue(x) && numCompare(iso, x, Value::fixnum(0), fn) == sign);
}

Value positiveP(Isolate& iso, Args a) { return signTest(iso, a, "positive?", 1); }
Value negativeP(Isolate& iso, Args a) { return signTest(iso, a, "negative?", -1); }
Value oddP(Isolate& iso, Args a) { return Value::boolean(argIntegral(iso, "odd?", a, 0) % 2 != 0); }
Value evenP(Isolate& iso, Args a) { return Value::boolean(argIntegral(iso, "even?", a, 0) % 2 == 0); }

Value numberP(Isolate&, Args a) { return Value::boolean(isNumber(a[0])); }
Value integerP(Isolate&, Args a) { return Value::boolean(isInteger(a[0])); }
Value floatP(Isolate&, Args a) { return Value::boolean(isFloat(a[0])); }
Value rationalP(Isolate&, Args a) { return Value::boolean(isRational(a[0])); }
Value exactP(Isolate& iso, Args a) { return Value::boolean(!isFloat(argNum(iso, "exact?", a, 0))); }
Value inexactP(Isolate& iso, Args a) { return Value::boolean(isFloat(argNum(iso, "inexact?", a, 0))); }

// ---- exactness ---------------------------------------------------------------------

// The exact value of a finite double: an integer, or num / 2^k.
Value exactFromDouble(Isolate& iso, double d, const char* fn) {
  double num = d;
  int64_t den = 1;
  while (std::isfinite(num) && num != std::trunc(num) && den <= (INT64_MAX >> 1)) {
    num *= 2;  // exact: only the exponent changes
    den *= 2;
  }
  if (!std::isfinite(num) || num != std::trunc(num) || num < -0x1p63 || num >= 0x1p63)
    rangeError(fn, "cannot represent " + formatDouble(d) + " exactly in 64 bits");
  return iso.rational(int64_t(num), den);
}

Value toInexact(Isolate& iso, Args a) {
  Value x = argNum(iso, "exact->inexact", a, 0);
  return isFloat(x) ? x : iso.flonum(toDouble(x));
}

Value toExact(Isolate& iso, Args a) {
  Value x = argNum(iso, "inexact->exact", a, 0);
  return isFloat(x) ? exactFromDouble(iso, as<Float>(x)->value, "inexact->exact") : x;
}

// numerator (part = 0) or denominator (part = 1); inexact for a float, as in Scheme.
Value ratioPart(Isolate& iso, Args a, const char* fn, int part) {
  Value x = argNum(iso, fn, a, 0);
  Value exact = isFloat(x) ? exactFromDouble(iso, as<Float>(x)->value, fn) : x;
  int64_t num = isRational(exact) ? as<Rational>(exact)->num : intValue(exact);
  int64_t den = isRational(exact) ? as<Rational>(exact)->den : 1;
  int64_t r = part == 0 ? num : den;
  return isFloat(x) ? iso.flonum(double(r)) : iso.integer(r);
}

Value numeratorFn(Isolate& iso, Args a) { return ratioPart(iso, a, "numerator", 0); }
Value denominatorFn(Isolate& iso, Args a) { return ratioPart(iso, a, "denominator", 1); }

Value makeRational(Isolate& iso, Args a) {
  int64_t num = argInt(iso, "make-rational", a, 0), den = argInt(iso, "make-rational", a, 1);
  if (den == 0) rangeError("make-rational", "division by zero");
  return iso.rational(num, den);
}

// ---- text ------------------------------------------------------------------------------

int argRadix(Isolate& iso, const char* fn, Args a, uint32_t i) {
  if (i >= a.size()) return 10;
  int64_t r = argInt(iso, fn, a, i);
  if (r < 2 || r > 36) rangeError(fn, "radix must be between 2 and 36, got " + std::to_string(r));
  return int(r);
}

// Optional sign, then one or more digits of the radix, and nothing else.
std::optional<int64_t> parseInteger(std::string_view s, int radix) {
  bool plus = !s.empty() && s[0] == '+';
  if (plus) s.remove_prefix(1);
  if (s.empty() || s[0] == '+' || (plus && s[0] == '-')) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, radix);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Decimal float syntax: [sign] (digits [. digits] | . digits) [e [sign] digits].
bool floatSyntax(std::string_view s) {
  size_t i = 0, n = s.size();
  auto digits = [&] {
    size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  size_t whole = digits(), frac = 0;
  if (i < n && s[i] == '.') {
    ++i;
    frac = digits();
  }
  if (whole + frac == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == n;
}

std::optional<double> parseDouble(std::string_view s) {
  if (!floatSyntax(s)) return std::nullopt;
  if (s[0] == '+') s.remove_prefix(1);
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec == std::errc::result_out_of_range) {  // from_chars leaves d alone: overflow or underflow
    size_t e = s.find_first_of("eE");
    bool tiny = e != std::string_view::npos && s[e + 1] == '-';
    double magnitude = tiny ? 0.0 : HUGE_VAL;
    return s[0] == '-' ? -magnitude : magnitude;
  }
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return d;
}

Value parseInt(Isolate& iso, Args a) {
  int radix = argRadix(iso, "parse-int", a, 1);
  if (isInteger(a[0])) return a[0];
  if (!isString(a[0])) return Value::nil();
  auto v = parseInteger(strView(a[0]), radix);
  return v ? iso.integer(*v) : Value::nil();
}

Value parseFloat(Isolate& iso, Args a) {
  if (isNumber(a[0])) return iso.flonum(toDouble(a[0]));
  if (!isString(a[0])) return Value::nil();
  auto d = parseDouble(strView(a[0]));
  return d ? iso.flonum(*d) : Value::nil();
}

// An integer, "n/d" rational, or decimal float; nil when s is none of them.
Value numberFromText(Isolate& iso, std::string_view s, int radix) {
  if (auto i = parseInteger(s, radix)) return iso.integer(*i);
  size_t slash = s.find('/');
  if (slash != std::string_view::npos) {
    auto num = parseInteger(s.substr(0, slash), radix);
    std::string_view denText = s.substr(slash + 1);
    auto den = denText.empty() || denText[0] == '+' || denText[0] == '-' ? std::nullopt : parseInteger(denText, radix);
    return num && den && *den != 0 ? iso.rational(*num, *den) : Value::nil();
  }
  if (radix != 10) return Value::nil();
  auto d = parseDouble(s);
  return d ? iso.flonum(*d) : Value::nil();
}

Value stringToNumber(Isolate& iso, Args a) {
  int radix = argRadix(iso, "string->number", a, 1);
  return numberFromText(iso, argString(iso, "string->number", a, 0), radix);
}

std::string integerText(int64_t n, int radix) {
  char buf[72];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n, radix);
  return std::string(buf, end);
}

Value numberToString(Isolate& iso, Args a) {
  Value x = argNum(iso, "number->string", a, 0);
  int radix = argRadix(iso, "number->string", a, 1);
  if (isInteger(x)) return iso.str(integerText(intValue(x), radix));
  if (isRational(x))
    return iso.str(integerText(as<Rational>(x)->num, radix) + "/" + integerText(as<Rational>(x)->den, radix));
  if (radix != 10) rangeError("number->string", "a float can only be written in radix 10");
  return iso.str(formatDouble(as<Float>(x)->value));
}

Value formatDecimal(Isolate& iso, Args a) {
  Value x = argNum(iso, "format-decimal", a, 0);
  int64_t places = a.size() > 1 ? argInt(iso, "format-decimal", a, 1) : 2;
  if (places < 0 || places > kMaxFormatPlaces)
    rangeError("format-decimal", "places must be between 0 and " + std::to_string(kMaxFormatPlaces));
  if (isInteger(x)) {
    std::string s = integerText(intValue(x), 10);
    return iso.str(places == 0 ? s : s + "." + std::string(size_t(places), '0'));
  }
  char buf[512];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, toDouble(x), std::chars_format::fixed, int(places));
  return iso.str(std::string_view(buf, size_t(end - buf)));
}

// ---- bits ------------------------------------------------------------------------------

template <class Op>
Value bitwiseFold(Isolate& iso, Args a, const char* fn, int64_t identity, Op op) {
  int64_t acc = identity;
  for (uint32_t i = 0; i < a.size(); ++i) acc = op(acc, argInt(iso, fn, a, i));
  return iso.integer(acc);
}

Value bitAnd(Isolate& iso, Args a) { return bitwiseFold(iso, a, "bitwise-and", -1, std::bit_and<>()); }
Value bitOr(Isolate& iso, Args a) { return bitwiseFold(iso, a, "bitwise-or", 0, std::bit_or<>()); }
Value bitXor(Isolate& iso, Args a) { return bitwiseFold(iso, a, "bitwise-xor", 0, std::bit_xor<>()); }
Value bitNot(Isolate& iso, Args a) { return iso.integer(~argInt(iso, "bitwise-not", a, 0)); }

// n * 2^count, rounding toward negative infinity for negative counts; a float on overflow.
Value arithmeticShift(Isolate& iso, Args a) {
  int64_t n = argInt(iso, "arithmetic-shift", a, 0), count = argInt(iso, "arithmetic-shift", a, 1);
  if (count <= -63) return Value::fixnum(n < 0 ? -1 : 0);
  if (count < 0) return iso.integer(n >> -count);
  if (n == 0) return Value::fixnum(0);
  if (count < 63) {
    int64_t shifted = int64_t(uint64_t(n) << count);
    if ((shifted >> count) == n) return iso.integer(shifted);
  }
  return iso.flonum(std::ldexp(double(n), int(count < 4096 ? count : 4096)));
}

Value bitCount(Isolate& iso, Args a) {
  int64_t n = argInt(iso, "bit-count", a, 0);
  return Value::fixnum(__builtin_popcountll(uint64_t(n < 0 ? ~n : n)));
}

Value integerLength(Isolate& iso, Args a) {
  int64_t n = argInt(iso, "integer-length", a, 0);
  uint64_t m = uint64_t(n < 0 ? ~n : n);
  return Value::fixnum(m == 0 ? 0 : 64 - __builtin_clzll(m));
}

// ---- gcd, lcm ------------------------------------------------------------------------

uint64_t magnitude(int64_t n) { return n < 0 ? 0 - uint64_t(n) : uint64_t(n); }
Value unsignedResult(Isolate& iso, uint64_t u) {
  return u > uint64_t(INT64_MAX) ? iso.flonum(double(u)) : iso.integer(int64_t(u));
}

Value gcdFn(Isolate& iso, Args a) {
  uint64_t g = 0;
  for (uint32_t i = 0; i < a.size(); ++i) g = std::gcd(g, magnitude(argInt(iso, "gcd", a, i)));
  return unsignedResult(iso, g);
}

Value lcmFn(Isolate& iso, Args a) {
  unsigned __int128 l = 1;
  for (uint32_t i = 0; i < a.size(); ++i) {
    uint64_t m = magnitude(argInt(iso, "lcm", a, i));
    if (m == 0) return Value::fixnum(0);
    uint64_t g = std::gcd(uint64_t(l % m), m);
    if (__builtin_mul_overflow(l / g, m, &l)) rangeError("lcm", "result too large");
  }
  return l > uint64_t(INT64_MAX) ? iso.flonum(double(l)) : iso.integer(int64_t(l));
}

// ---- random ------------------------------------------------------------------------------

std::mt19937_64& randomEngine() {
  thread_local std::mt19937_64 engine = [] {
    std::random_device rd;
    std::seed_seq seed{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seed);
  }();
  return engine;
}

Value randomInt(Isolate& iso, Args a) {
  int64_t lo = 0, hi = argInt(iso, "random-int", a, 0);
  if (a.size() > 1) {
    lo = hi;
    hi = argInt(iso, "random-int", a, 1);
  }
  if (hi <= lo) rangeError("random-int", "empty range [" + std::to_string(lo) + ", " + std::to_string(hi) + ")");
  return iso.integer(std::uniform_int_distribution<int64_t>(lo, hi - 1)(randomEngine()));
}

constexpr uint16_t P = kNativePure;

const NativeDef kNatives[] = {
    {"+", add, 0, -1, P, 0, "(+ x ...) -> number: the sum; (+) is 0"},
    {"-", sub, 1, -1, P, 0, "(- x y ...) -> number: x minus the rest; (- x) negates"},
    {"*", mul, 0, -1, P, 0, "(* x ...) -> number: the product; (*) is 1"},
    {"/", divide, 1, -1, P, 0, "(/ x y ...) -> number: x divided by the rest (a float unless a rational is involved); (/ x) is 1/x"},
    {"inc", inc, 1, 1, P, 0, "(inc x) -> number: x + 1"},
    {"dec", dec, 1, 1, P, 0, "(dec x) -> number: x - 1"},
    {"square", square, 1, 1, P, 0, "(square x) -> number: x * x"},
    {"mod", modFn, 2, 2, P, 0, "(mod x y) -> number: x modulo y, with the sign of y"},
    {"remainder", remainderFn, 2, 2, P, 0, "(remainder x y) -> number: remainder of x / y, with the sign of x"},
    {"quotient", quotientFn, 2, 2, P, 0, "(quotient x y) -> number: x / y truncated toward zero"},
    {"floor", floorFn, 1, 1, P, 0, "(floor x) -> integer: the largest integer not above x"},
    {"ceil", ceilFn, 1, 1, P, 0, "(ceil x) -> integer: the smallest integer not below x"},
    {"ceiling", ceilFn, 1, 1, P, 0, "(ceiling x) -> integer: same as ceil"},
    {"round", roundFn, 1, 1, P, 0, "(round x) -> integer: the nearest integer, halves away from zero"},
    {"truncate", truncateFn, 1, 1, P, 0, "(truncate x) -> integer: x rounded toward zero"},
    {"abs", absFn, 1, 1, P, 0, "(abs x) -> number: the magnitude of x"},
    {"min", minFn, 1, -1, P, 0, "(min x ...) -> number: the least argument (a float if any argument is)"},
    {"max", maxFn, 1, -1, P, 0, "(max x ...) -> number: the greatest argument (a float if any argument is)"},
    {"clamp", clampFn, 3, 3, P, 0, "(clamp x lo hi) -> number: x limited to [lo, hi]"},
    {"pow", powFn, 2, 2, P, 0, "(pow b e) -> number: b to the power e; exact for an exact base and a natural exponent"},
    {"expt", powFn, 2, 2, P, 0, "(expt b e) -> number: same as pow"},
    {"sqrt", sqrtFn, 1, 1, P, 0, "(sqrt x) -> number: the square root; exact for perfect squares"},
    {"exp", expFn, 1, 1, P, 0, "(exp x) -> float: e to the power x"},
    {"log", logFn, 1, 2, P, 0, "(log x [base]) -> float: the natural logarithm, or the logarithm in base"},
    {"sin", sinFn, 1, 1, P, 0, "(sin x) -> float: the sine of x radians"},
    {"cos", cosFn, 1, 1, P, 0, "(cos x) -> float: the cosine of x radians"},
    {"tan", tanFn, 1, 1, P, 0, "(tan x) -> float: the tangent of x radians"},
    {"asin", asinFn, 1, 1, P, 0, "(asin x) -> float: the arc sine of x"},
    {"acos", acosFn, 1, 1, P, 0, "(acos x) -> float: the arc cosine of x"},
    {"atan", atanFn, 1, 2, P, 0, "(atan y [x]) -> float: the arc tangent of y, or of y/x using both signs"},
    {"=", numEq, 1, -1, P, 0, "(= a b ...) -> boolean: all equal (numbers by value, collections deeply)"},
    {"!=", numNotEq, 1, -1, P, 0, "(!= a b ...) -> boolean: not (= a b ...)"},
    {"not=", numNotEq, 1, -1, P, 0, "(not= a b ...) -> boolean: not (= a b ...)"},
    {"<", lessFn, 1, -1, P, 0, "(< a b ...) -> boolean: strictly increasing (numbers, strings or chars)"},
    {">", greaterFn, 1, -1, P, 0, "(> a b ...) -> boolean: strictly decreasing"},
    {"<=", lessEqFn, 1, -1, P, 0, "(<= a b ...) -> boolean: never decreasing"},
    {">=", greaterEqFn, 1, -1, P, 0, "(>= a b ...) -> boolean: never increasing"},
    {"zero?", zeroP, 1, 1, P, 0, "(zero? x) -> boolean: x equals 0"},
    {"positive?", positiveP, 1, 1, P, 0, "(positive? x) -> boolean: x > 0"},
    {"negative?", negativeP, 1, 1, P, 0, "(negative? x) -> boolean: x < 0"},
    {"odd?", oddP, 1, 1, P, 0, "(odd? n) -> boolean: n is odd"},
    {"even?", evenP, 1, 1, P, 0, "(even? n) -> boolean: n is even"},
    {"number?", numberP, 1, 1, P, 0, "(number? x) -> boolean: x is a number of any kind"},
    {"integer?", integerP, 1, 1, P, 0, "(integer? x) -> boolean: x is an exact integer ((integer? 1.0) is false)"},
    {"exact-integer?", integerP, 1, 1, P, 0, "(exact-integer? x) -> boolean: same as integer?"},
    {"float?", floatP, 1, 1, P, 0, "(float? x) -> boolean: x is a float"},
    {"rational?", rationalP, 1, 1, P, 0, "(rational? x) -> boolean: x is an exact non-integer ratio like 1/3"},
    {"exact?", exactP, 1, 1, P, 0, "(exact? x) -> boolean: x is an integer or a rational"},
    {"inexact?", inexactP, 1, 1, P, 0, "(inexact? x) -> boolean: x is a float"},
    {"exact->inexact", toInexact, 1, 1, P, 0, "(exact->inexact x) -> float: x as a float"},
    {"inexact->exact", toExact, 1, 1, P, 0, "(inexact->exact x) -> number: the exact integer or rational value of x"},
    {"numerator", numeratorFn, 1, 1, P, 0, "(numerator x) -> integer: the numerator of x in lowest terms"},
    {"denominator", denominatorFn, 1, 1, P, 0, "(denominator x) -> integer: the denominator of x in lowest terms"},
    {"make-rational", makeRational, 2, 2, P, 0, "(make-rational n d) -> number: the exact ratio n/d"},
    {"parse-int", parseInt, 1, 2, P, 0, "(parse-int s [radix]) -> integer or nil: strict integer parse"},
    {"parse-float", parseFloat, 1, 1, P, 0, "(parse-float s) -> float or nil: decimal number parse"},
    {"string->number", stringToNumber, 1, 2, P, 0, "(string->number s [radix]) -> number or nil: integer, n/d or float text"},
    {"number->string", numberToString, 1, 2, P, 0, "(number->string x [radix]) -> string: x written in radix 2..36"},
    {"format-decimal", formatDecimal, 1, 2, P, 0, "(format-decimal x [places]) -> string: x with exactly places decimals (default 2)"},
    {"bitwise-and", bitAnd, 0, -1, P, 0, "(bitwise-and n ...) -> integer: bitwise and; (bitwise-and) is -1"},
    {"bitwise-or", bitOr, 0, -1, P, 0, "(bitwise-or n ...) -> integer: bitwise or"},
    {"bitwise-xor", bitXor, 0, -1, P, 0, "(bitwise-xor n ...) -> integer: bitwise exclusive or"},
    {"bitwise-not", bitNot, 1, 1, P, 0, "(bitwise-not n) -> integer: the bitwise complement, -n - 1"},
    {"arithmetic-shift", arithmeticShift, 2, 2, P, 0, "(arithmetic-shift n count) -> integer: n shifted left (or right when negative)"},
    {"bit-count", bitCount, 1, 1, P, 0, "(bit-count n) -> integer: set bits of n (of -n - 1 when negative)"},
    {"integer-length", integerLength, 1, 1, P, 0, "(integer-length n) -> integer: bits needed to write n in two's complement, sign excluded"},
    {"gcd", gcdFn, 0, -1, P, 0, "(gcd n ...) -> integer: greatest common divisor; (gcd) is 0"},
    {"lcm", lcmFn, 0, -1, P, 0, "(lcm n ...) -> integer: least common multiple; (lcm) is 1"},
    {"random-int", randomInt, 1, 2, 0, 0, "(random-int [lo] hi) -> integer: uniform in [lo, hi), lo defaulting to 0"},
};

}  // namespace

void registerNumberNatives(Isolate& iso) { iso.registerNatives(kNatives, std::size(kNatives)); }

}  // namespace sx
