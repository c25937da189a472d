// The 64-bit SX value word.
//
// Encoding (low bits of the word):
//   ...xxx1  fixnum: a 63-bit signed integer, stored as (n << 1) | 1
//   ...x000  pointer to a heap object (never 0)
//   ...x010  singleton immediates: nil, false, true, the empty list, unbound, ...
//   ...x110  char: the code point in the bits above the low byte (low byte 0x06)
// Integers outside the fixnum range but inside int64 are boxed (ObjType::Int64);
// doubles are boxed (ObjType::Float). Everything that is not an immediate lives on
// the isolate's heap and is traced by the collector.
#pragma once

#include <cstdint>
#include <cstring>

namespace sx {

struct Obj;

class Value {
 public:
  static constexpr uint64_t kNil = 0x02;
  static constexpr uint64_t kFalse = 0x0A;
  static constexpr uint64_t kTrue = 0x12;
  static constexpr uint64_t kEmpty = 0x1A;    // the empty list ()
  static constexpr uint64_t kUnbound = 0x22;  // a global cell with no value; never seen by SX code
  static constexpr uint64_t kVoid = 0x2A;     // internal "no value" marker (e.g. missing optional arg)
  static constexpr uint64_t kCharTag = 0x06;

  static constexpr int64_t kFixMax = (int64_t(1) << 62) - 1;
  static constexpr int64_t kFixMin = -(int64_t(1) << 62);

  constexpr Value() : bits_(kNil) {}
  static constexpr Value fromBits(uint64_t b) { Value v; v.bits_ = b; return v; }
  constexpr uint64_t bits() const { return bits_; }

  static constexpr Value nil() { return fromBits(kNil); }
  static constexpr Value boolean(bool b) { return fromBits(b ? kTrue : kFalse); }
  static constexpr Value t() { return fromBits(kTrue); }
  static constexpr Value f() { return fromBits(kFalse); }
  static constexpr Value empty() { return fromBits(kEmpty); }
  static constexpr Value unbound() { return fromBits(kUnbound); }
  static constexpr Value voidValue() { return fromBits(kVoid); }
  static constexpr Value fixnum(int64_t n) { return fromBits((uint64_t(n) << 1) | 1); }
  static constexpr bool fitsFixnum(int64_t n) { return n >= kFixMin && n <= kFixMax; }
  static constexpr Value character(uint32_t cp) { return fromBits((uint64_t(cp) << 8) | kCharTag); }
  static Value object(const Obj* o) { return fromBits(reinterpret_cast<uint64_t>(o)); }

  constexpr bool isFixnum() const { return bits_ & 1; }
  constexpr bool isObj() const { return (bits_ & 7) == 0; }
  constexpr bool isNil() const { return bits_ == kNil; }
  constexpr bool isFalse() const { return bits_ == kFalse; }
  constexpr bool isTrue() const { return bits_ == kTrue; }
  constexpr bool isBool() const { return bits_ == kTrue || bits_ == kFalse; }
  constexpr bool isEmpty() const { return bits_ == kEmpty; }
  constexpr bool isUnbound() const { return bits_ == kUnbound; }
  constexpr bool isVoid() const { return bits_ == kVoid; }
  constexpr bool isChar() const { return (bits_ & 0xFF) == kCharTag; }
  // Only false and nil are falsy.
  constexpr bool truthy() const { return bits_ != kFalse && bits_ != kNil; }

  constexpr int64_t asFixnum() const { return int64_t(bits_) >> 1; }
  constexpr uint32_t asChar() const { return uint32_t(bits_ >> 8); }
  Obj* asObj() const { return reinterpret_cast<Obj*>(bits_); }

  constexpr bool operator==(const Value& o) const { return bits_ == o.bits_; }
  constexpr bool operator!=(const Value& o) const { return bits_ != o.bits_; }

 private:
  uint64_t bits_;
};

static_assert(sizeof(Value) == 8);

}  // namespace sx
