// The numeric tower (see numeric.h). Every operation unpacks its operands into a Num —
// exact numbers as num/den (den == 1 for integers), floats as a double — and works at the
// wider of the two kinds: Int < Ratio < Real. Exact rational arithmetic is done in
// 128-bit integers, so intermediate products of two int64s never overflow; a result that
// does not fit int64 once reduced becomes a float, as integer overflow does.
#include "stdlib/numeric.h"

#include <cmath>

#include "stdlib/native.h"

namespace sx {
namespace {

using i128 = __int128;

enum class NumKind : uint8_t { Int, Ratio, Real };

struct Num {
  NumKind kind = NumKind::Int;
  int64_t num = 0;
  int64_t den = 1;
  double real = 0;
};

bool unpack(Value v, Num& out) {
  if (v.isFixnum()) {
    out = {NumKind::Int, v.asFixnum(), 1, 0};
    return true;
  }
  if (!v.isObj()) return false;
  switch (v.asObj()->type) {
    case ObjType::Int64: out = {NumKind::Int, as<Int64>(v)->value, 1, 0}; return true;
    case ObjType::Rational: out = {NumKind::Ratio, as<Rational>(v)->num, as<Rational>(v)->den, 0}; return true;
    case ObjType::Float: out = {NumKind::Real, 0, 1, as<Float>(v)->value}; return true;
    default: return false;
  }
}

// `index` is the 0-based position of the operand in a binary operation.
Num unpackArg(Isolate& iso, Value v, const char* fn, uint32_t index) {
  Num n;
  if (!unpack(v, n)) argTypeError(iso, fn, index, "number", v);
  return n;
}

double asDouble(const Num& n) {
  switch (n.kind) {
    case NumKind::Int: return double(n.num);
    case NumKind::Ratio: return double(n.num) / double(n.den);
    case NumKind::Real: return n.real;
  }
  return n.real;
}

NumKind widest(const Num& x, const Num& y) { return x.kind > y.kind ? x.kind : y.kind; }

i128 absolute(i128 v) { return v < 0 ? -v : v; }

i128 gcd128(i128 a, i128 b) {
  a = absolute(a);
  b = absolute(b);
  while (b != 0) {
    i128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

bool fitsInt64(i128 v) { return v >= INT64_MIN && v <= INT64_MAX; }

// num/den (den != 0) as a normalised exact number, or a float when it does not fit.
Value exactResult(Isolate& iso, i128 num, i128 den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  i128 g = gcd128(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  if (fitsInt64(num) && fitsInt64(den)) return iso.rational(int64_t(num), int64_t(den));
  return iso.flonum(double(num) / double(den));
}

[[noreturn]] void divisionByZero(const char* fn) {
  throw SxError(ErrorCode::Range, std::string(fn) + ": division by zero");
}

// Exact integer i against double d, without rounding i. NaN sorts after everything.
int compareIntReal(int64_t i, double d) {
  if (std::isnan(d)) return -1;
  if (d >= 0x1p63) return -1;
  if (d < -0x1p63) return 1;
  double whole = std::trunc(d);
  int64_t w = int64_t(whole);
  if (i != w) return i < w ? -1 : 1;
  double frac = d - whole;
  return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

int compareReals(double a, double b) {
  bool an = std::isnan(a), bn = std::isnan(b);
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

int compareNums(const Num& x, const Num& y) {
  if (x.kind != NumKind::Real && y.kind != NumKind::Real) {
    i128 l = i128(x.num) * y.den, r = i128(y.num) * x.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  if (x.kind == NumKind::Int) return compareIntReal(x.num, y.real);
  if (y.kind == NumKind::Int) return -compareIntReal(y.num, x.real);
  return compareReals(asDouble(x), asDouble(y));
}

bool isNaNNum(const Num& n) { return n.kind == NumKind::Real && std::isnan(n.real); }

}  // namespace

Value numAdd(Isolate& iso, Value a, Value b, const char* fn) {
  if (a.isFixnum() && b.isFixnum()) return iso.integer(a.asFixnum() + b.asFixnum());
  Num x = unpackArg(iso, a, fn, 0), y = unpackArg(iso, b, fn, 1);
  switch (widest(x, y)) {
    case NumKind::Int: {
      int64_t r;
      if (__builtin_add_overflow(x.num, y.num, &r)) return iso.flonum(double(x.num) + double(y.num));
      return iso.integer(r);
    }
    case NumKind::Ratio: return exactResult(iso, i128(x.num) * y.den + i128(y.num) * x.den, i128(x.den) * y.den);
    case NumKind::Real: break;
  }
  return iso.flonum(asDouble(x) + asDouble(y));
}

Value numSub(Isolate& iso, Value a, Value b, const char* fn) {
  if (a.isFixnum() && b.isFixnum()) return iso.integer(a.asFixnum() - b.asFixnum());
  Num x = unpackArg(iso, a, fn, 0), y = unpackArg(iso, b, fn, 1);
  switch (widest(x, y)) {
    case NumKind::Int: {
      int64_t r;
      if (__builtin_sub_overflow(x.num, y.num, &r)) return iso.flonum(double(x.num) - double(y.num));
      return iso.integer(r);
    }
    case NumKind::Ratio: return exactResult(iso, i128(x.num) * y.den - i128(y.num) * x.den, i128(x.den) * y.den);
    case NumKind::Real: break;
  }
  return iso.flonum(asDouble(x) - asDouble(y));
}

Value numMul(Isolate& iso, Value a, Value b, const char* fn) {
  Num x = unpackArg(iso, a, fn, 0), y = unpackArg(iso, b, fn, 1);
  switch (widest(x, y)) {
    case NumKind::Int: {
      int64_t r;
      if (__builtin_mul_overflow(x.num, y.num, &r)) return iso.flonum(double(x.num) * double(y.num));
      return iso.integer(r);
    }
    case NumKind::Ratio: return exactResult(iso, i128(x.num) * y.num, i128(x.den) * y.den);
    case NumKind::Real: break;
  }
  return iso.flonum(asDouble(x) * asDouble(y));
}

Value numDiv(Isolate& iso, Value a, Value b, const char* fn) {
  Num x = unpackArg(iso, a, fn, 0), y = unpackArg(iso, b, fn, 1);
  NumKind k = widest(x, y);
  if (k == NumKind::Real) return iso.flonum(asDouble(x) / asDouble(y));
  if (y.num == 0) divisionByZero(fn);
  if (k == NumKind::Int) return iso.flonum(double(x.num) / double(y.num));
  return exactResult(iso, i128(x.num) * y.den, i128(x.den) * y.num);
}

Value numNeg(Isolate& iso, Value a, const char* fn) {
  Num x = unpackArg(iso, a, fn, 0);
  switch (x.kind) {
    case NumKind::Int: return x.num == INT64_MIN ? iso.flonum(-double(x.num)) : iso.integer(-x.num);
    case NumKind::Ratio: return exactResult(iso, -i128(x.num), x.den);
    case NumKind::Real: break;
  }
  return iso.flonum(-x.real);
}

int numCompare(Isolate& iso, Value a, Value b, const char* fn) {
  if (a.isFixnum() && b.isFixnum()) {
    int64_t l = a.asFixnum(), r = b.asFixnum();
    return l < r ? -1 : l > r ? 1 : 0;
  }
  return compareNums(unpackArg(iso, a, fn, 0), unpackArg(iso, b, fn, 1));
}

bool numEqual(Value a, Value b) {
  if (a.isFixnum() && b.isFixnum()) return a == b;
  Num x, y;
  if (!unpack(a, x) || !unpack(b, y)) return false;
  if (isNaNNum(x) || isNaNNum(y)) return false;
  return compareNums(x, y) == 0;
}

double toDouble(Value n) {
  Num x;
  return unpack(n, x) ? asDouble(x) : std::nan("");
}

}  // namespace sx
